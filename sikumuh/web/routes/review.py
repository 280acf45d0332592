"""Review and yearly lock of RT data, the rebuild of the summaries; the region's audit log."""

from __future__ import annotations

from django.urls import URLPattern, path

from sikumuh.web.views import review

urlpatterns: list[URLPattern] = [
    path("wilayah/<str:code>/tinjauan/", review.review, name="review"),
    path("wilayah/<str:code>/tinjauan/ajukan/", review.submit, name="review_submit"),
    path("wilayah/<str:code>/tinjauan/setujui/", review.approve, name="review_approve"),
    path("wilayah/<str:code>/tinjauan/kembalikan/", review.return_, name="review_return"),
    path("wilayah/<str:code>/tinjauan/kunci/", review.lock, name="review_lock"),
    path("wilayah/<str:code>/tinjauan/buka-kunci/", review.unlock, name="review_unlock"),
    path(
        "wilayah/<str:code>/tinjauan/hitung-ulang/",
        review.rebuild_summaries,
        name="review_rebuild_summaries",
    ),
    path("wilayah/<str:code>/audit/", review.audit_log, name="audit_log"),
]

"""A photo sent with an RT survey submission, served after the scope check: never from a public
media URL, because the photos show people and their houses. The RT page links each one."""

from __future__ import annotations

from django.http import FileResponse, Http404, HttpRequest
from django.views.decorators.http import require_GET

from sikumuh.surveys.models import ObservationPhoto
from sikumuh.web.scoping import login_required, scope_of

_TYPES = {".jpg": "image/jpeg", ".png": "image/png"}


@require_GET
@login_required
def rt_photo(request: HttpRequest, pk: int) -> FileResponse:
    """``/rt/foto/<pk>/``: the photo inline (the RT page shows it as a thumbnail), 404 outside
    the reader's desa or when only its name was imported."""
    photo = ObservationPhoto.objects.filter(
        scope_of(request).q("submission__observation__rt__desa__code"), pk=pk
    ).first()
    if photo is None or not photo.file:
        raise Http404("no photo")
    suffix = "." + photo.file.name.rsplit(".", 1)[-1].lower()
    try:
        handle = photo.file.open("rb")
    except FileNotFoundError as exc:  # the record outlived its file (a restored DB, a lost disk)
        raise Http404("photo file missing") from exc
    # Only JPEG and PNG are stored (checked by their first bytes on import, odk_export).
    response = FileResponse(handle, content_type=_TYPES.get(suffix, "application/octet-stream"))
    response["Content-Disposition"] = f'inline; filename="{photo.file.name.rsplit("/", 1)[-1]}"'
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response

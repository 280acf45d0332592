"""One's own account, the second sign-in step, password resets, and user management per region."""

from __future__ import annotations

from django.urls import URLPattern, path

from sikumuh.web.views.accounts import manage, own, signin

urlpatterns: list[URLPattern] = [
    path("masuk/kode/", signin.login_code, name="login_code"),
    path("masuk/lupa-sandi/", signin.password_reset, name="password_reset"),
    path("masuk/sandi/<str:uidb64>/<str:token>/", signin.password_set, name="password_set"),
    path("akun/", own.account, name="account"),
    path("akun/sandi/", own.password_change, name="password_change"),
    path("akun/2fa/", own.two_factor_setup, name="two_factor"),
    path("akun/2fa/matikan/", own.two_factor_disable, name="two_factor_disable"),
    path("akun/token/", own.token_create, name="token_create"),
    path("akun/token/<int:pk>/cabut/", own.token_revoke, name="token_revoke"),
    path("wilayah/<str:code>/pengguna/", manage.users, name="users"),
    path("wilayah/<str:code>/pengguna/baru/", manage.user_create, name="user_create"),
    path("wilayah/<str:code>/pengguna/<int:pk>/", manage.user_detail, name="user_detail"),
    path("wilayah/<str:code>/pengguna/<int:pk>/peran/", manage.user_grant, name="user_grant"),
    path(
        "wilayah/<str:code>/pengguna/peran/<int:pk>/cabut/",
        manage.user_revoke,
        name="user_revoke",
    ),
    path(
        "wilayah/<str:code>/pengguna/<int:pk>/nonaktif/",
        manage.user_deactivate,
        name="user_deactivate",
    ),
    path(
        "wilayah/<str:code>/pengguna/<int:pk>/aktifkan/",
        manage.user_reactivate,
        name="user_reactivate",
    ),
    path(
        "wilayah/<str:code>/pengguna/<int:pk>/undang-ulang/",
        manage.user_reinvite,
        name="user_reinvite",
    ),
]

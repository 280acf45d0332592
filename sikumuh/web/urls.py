from __future__ import annotations

from django.urls import path

from sikumuh.web.views import auth, home

app_name = "web"

urlpatterns = [
    path("", home.home, name="home"),
    path("masuk/", auth.login, name="login"),
    path("keluar/", auth.logout, name="logout"),
]

from __future__ import annotations

from django.urls import include, path

from sikumuh.web.views import auth, health, home

app_name = "web"

# Each area of the product owns one routes module (and one views module, one template folder,
# one translation catalogue), so areas grow without touching each other.
AREAS = (
    "dashboard",
    "sk",
    "delineation",
    "fieldwork",
    "rtdata",
    "investments",
    "review",
    "exports",
    "ujipetik",
    "reports",
    "accounts",
    "jobs",
)

urlpatterns = [
    path("", home.home, name="home"),
    path("healthz", health.healthz, name="healthz"),
    path("favicon.ico", home.favicon, name="favicon"),
    path("masuk/", auth.login, name="login"),
    path("keluar/", auth.logout, name="logout"),
    *[path("", include(f"sikumuh.web.routes.{area}")) for area in AREAS],
]

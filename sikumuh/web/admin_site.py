"""The Django admin site, its login held to the same limit as ours (`accounts.login_limit`).

Installed as the default admin site by `sikumuh.web.apps.AdminConfig` (INSTALLED_APPS), so every
`admin.register` and `admin.site` keep working unchanged.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin, auth
from django.http import HttpRequest, HttpResponse
from django.urls import reverse

from sikumuh.accounts import login_limit, two_factor
from sikumuh.web.views.accounts.signin import begin_second_step
from sikumuh.web.views.auth import refused


class LimitedAdminSite(admin.AdminSite):
    def login(self, request: HttpRequest, extra_context: dict[str, Any] | None = None) -> Any:
        if request.method != "POST":
            return super().login(request, extra_context)
        answer: list[HttpResponse] = []

        def check() -> bool:
            # Django's LoginView answers a redirect exactly when the password was right.
            answer.append(super(LimitedAdminSite, self).login(request, extra_context))
            return answer[0].status_code == 302 and request.user.is_authenticated

        if login_limit.guarded(request, request.POST.get("username", ""), check) is None:
            return refused(request, reverse("admin:index"))
        user = request.user
        if user.is_authenticated and two_factor.has_two_factor(user):
            # The password was right, but an account with an authenticator is only let in
            # after its code, here as on our own login page.
            auth.logout(request)
            next_url = request.POST.get("next") or request.GET.get("next") or ""
            return begin_second_step(request, user, next_url or reverse("admin:index"))
        return answer[0]

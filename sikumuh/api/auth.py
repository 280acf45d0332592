"""Bearer tokens (`Authorization: Bearer skm_…`): the tokens of `sikumuh.accounts.tokens`."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest
from ninja.security import HttpBearer

from sikumuh.accounts import two_factor
from sikumuh.accounts.tokens import authenticate_token
from sikumuh.api.errors import MustEnrol


class TokenAuth(HttpBearer):
    """The token's user, or None (ninja then answers 401 through our handler)."""

    def authenticate(self, request: HttpRequest, token: str) -> Any | None:
        user = authenticate_token(token)
        if user is not None and settings.REQUIRE_2FA and two_factor.must_enrol(user):
            raise MustEnrol
        if user is not None:
            # The scope helpers (and the audit actor) read the user from the request, as in
            # the web; the API keeps no session, so nothing else sees this user.
            request.user = user
        return user

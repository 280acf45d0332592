"""Every error as JSON `{"detail": "<message>"}`, in the request's language (Indonesian unless
the client asks for English with `Accept-Language: en`; see `sikumuh.web.middleware`).

Library messages (pydantic's, ninja's) never reach the client: a validation error says which
fields are wrong (`errors`: location and type), the sentence is ours.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja.errors import AuthenticationError, AuthorizationError, HttpError, ValidationError

if TYPE_CHECKING:
    from ninja import NinjaAPI

logger = logging.getLogger(__name__)


class Conflict(Exception):
    """The write cannot happen in the data's present state (a locked year)."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class MustEnrol(Exception):
    """An administrator's token while SIKUMUH_REQUIRE_2FA asks them to enrol an authenticator
    first: their web pages are closed until then, and their tokens are no way around it."""


class Invalid(Exception):
    """The values are well-formed but refused by the product's checks."""

    def __init__(self, message: str, problems: list[dict[str, Any]] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.problems = problems or []


def _answer(api: NinjaAPI, request: HttpRequest, status: int, **body: Any) -> HttpResponse:
    return api.create_response(request, body, status=status)


def install(api: NinjaAPI) -> None:
    """Replace ninja's handlers (English, library wording) by ours."""

    @api.exception_handler(AuthenticationError)
    def unauthenticated(request: HttpRequest, exc: Exception) -> HttpResponse:
        response = _answer(
            api, request, 401, detail=_("A valid API token is required (Authorization: Bearer).")
        )
        response["WWW-Authenticate"] = "Bearer"
        return response

    # Unknown, or outside the user's regions: the same answer, so nothing leaks. The lookups
    # are the web's (`sikumuh.web.scoping`), which raise Django's 404 and 403.
    @api.exception_handler(Http404)
    def not_found(request: HttpRequest, exc: Exception) -> HttpResponse:
        return _answer(api, request, 404, detail=_("Not found."))

    @api.exception_handler(PermissionDenied)
    @api.exception_handler(AuthorizationError)
    def forbidden(request: HttpRequest, exc: Exception) -> HttpResponse:
        return _answer(api, request, 403, detail=_("Your role may only read here."))

    @api.exception_handler(MustEnrol)
    def must_enrol(request: HttpRequest, exc: Exception) -> HttpResponse:
        message = _(
            "Two-factor sign-in is required for administrators: turn it on in your account"
            " before using your API tokens."
        )
        return _answer(api, request, 403, detail=message)

    @api.exception_handler(Conflict)
    def conflict(request: HttpRequest, exc: Conflict) -> HttpResponse:
        return _answer(api, request, 409, detail=exc.message)

    @api.exception_handler(Invalid)
    def invalid(request: HttpRequest, exc: Invalid) -> HttpResponse:
        return _answer(api, request, 422, detail=exc.message, errors=exc.problems)

    @api.exception_handler(ValidationError)
    def validation(request: HttpRequest, exc: ValidationError) -> HttpResponse:
        errors = [
            {"loc": [str(part) for part in e.get("loc", ())], "type": str(e.get("type", ""))}
            for e in exc.errors
        ]
        return _answer(
            api, request, 422, detail=_("The request has invalid values."), errors=errors
        )

    @api.exception_handler(HttpError)
    def http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
        logger.info("API HTTP error %s: %s", exc.status_code, exc)
        if exc.status_code == 400:  # ninja's answer to a body that is not JSON
            message = _("The request body cannot be read (JSON expected).")
        else:
            message = _("The request cannot be served.")
        return _answer(api, request, exc.status_code, detail=message)

    @api.exception_handler(Exception)
    def server_error(request: HttpRequest, exc: Exception) -> HttpResponse:
        logger.exception("API error on %s", request.path)
        return _answer(api, request, 500, detail=_("Internal error; it has been logged."))

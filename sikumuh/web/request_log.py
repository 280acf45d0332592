"""One JSON line per request on stdout (the formatter is in settings.LOGGING).

The line carries what an operator needs to follow a request through the proxy's log: method,
path, status, duration, the signed-in user's id and the client's address.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponseBase

logger = logging.getLogger("sikumuh.request")


def client_address(request: HttpRequest) -> str:
    """The client's address: behind the TLS proxy (SIKUMUH_BEHIND_PROXY), the last address in
    X-Forwarded-For, the one our proxy appended (earlier ones come from the client and can be
    forged); otherwise the peer's."""
    if settings.BEHIND_PROXY:
        forwarded = str(request.META.get("HTTP_X_FORWARDED_FOR", ""))
        last = forwarded.rsplit(",", 1)[-1].strip()
        if last:
            return last
    return str(request.META.get("REMOTE_ADDR", ""))


def _user_id(request: HttpRequest) -> int | None:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return None
    return int(user.pk)


class RequestLogMiddleware:
    """Outermost middleware, so that the duration covers the whole stack."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        started = time.perf_counter()
        response = self.get_response(request)
        logger.info(
            "request",
            extra={
                "method": request.method,
                "path": request.path,
                "status": response.status_code,
                "duration_ms": round((time.perf_counter() - started) * 1000, 1),
                "user_id": _user_id(request),
                "client": client_address(request),
            },
        )
        return response

"""Template context every page gets: the user's scope and the site's settings."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest

from sikumuh.accounts.scope import Scope


def site(request: HttpRequest) -> dict[str, Any]:
    return {
        "scope": Scope.for_user(getattr(request, "user", None)),
        "tile_url": settings.TILE_URL,
        "tile_attribution": settings.TILE_ATTRIBUTION,
    }

"""The API object: `/api/v1/`, its OpenAPI document and its docs page (Swagger UI served from
our static files: ninja's own copy, allowed by the CSP's `script-src 'self'`)."""

from __future__ import annotations

from ninja import NinjaAPI
from ninja.openapi.docs import Swagger

from sikumuh.api import errors
from sikumuh.api.auth import TokenAuth
from sikumuh.api.reads import router as reads
from sikumuh.api.writes import router as writes

DESCRIPTION = """\
The figures of sikumuh for other systems. Every request carries a token:
`Authorization: Bearer <token>` (tokens from `sikumuh users token USERNAME` or the account
page). A token sees what its user sees in the web: regions outside the user's scope answer 404,
a read-only role gets 403 on writes. Errors are `{"detail": "..."}`, in Bahasa Indonesia unless
the request says `Accept-Language: en`.
"""

api = NinjaAPI(
    title="sikumuh API",
    version="1",
    description=DESCRIPTION,
    auth=TokenAuth(),
    urls_namespace="api",
    docs=Swagger(),
    docs_url="/docs",
    openapi_url="/openapi.json",
)
errors.install(api)
api.add_router("/regions", reads)
api.add_router("/", writes)

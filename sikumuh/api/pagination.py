"""Lists answer a page at a time: `?limit=` (at most MAX_LIMIT) and `?offset=`."""

from __future__ import annotations

from ninja import Field, Schema
from ninja.pagination import LimitOffsetPagination

MAX_LIMIT = 500


class Page(LimitOffsetPagination):
    class Input(Schema):
        limit: int = Field(100, ge=1, le=MAX_LIMIT)
        # Bounded: an offset past any database's integer range must be a 422, not a crash.
        offset: int = Field(0, ge=0, le=10**9)

    def __init__(self, **kwargs: object) -> None:
        super().__init__(max_limit=MAX_LIMIT, **kwargs)

"""Reading the audit log: one object's history and a region's log, always within a scope.

Entries are scoped by the region they were recorded in (`AuditEntry.region_code`), like every
other read: a reader sees the entries of the regions their roles cover and nothing else. The
scope comes as ``within``, a filter on the entries' ``region_code`` made by the caller from the
reader's scope (`accounts.scope.Scope.q`, the one place of the scope rule, above audit). How an
entry reads (actions as sentences, changes field by field) is the pages' (`web.audit_rows`).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import models
from django.db.models import Q, QuerySet

from sikumuh.audit.models import AuditEntry
from sikumuh.regions.codes import NATIONAL


def history_for(obj: models.Model, *, within: Q, limit: int = 100) -> list[AuditEntry]:
    """The newest `limit` entries about `obj` within the reader's scope. One query."""
    entries = (
        AuditEntry.objects.filter(within)
        .filter(object_type=obj._meta.label_lower, object_id=str(obj.pk))
        .order_by("-at", "-id")[:limit]
    )
    return list(entries)


@dataclass(frozen=True)
class LogFilter:
    action: str = ""
    user: str = ""
    since: dt.date | None = None
    until: dt.date | None = None


def history_for_region(
    code: str, *, within: Q, filters: LogFilter | None = None
) -> QuerySet[AuditEntry]:
    """Entries recorded in region `code` or inside it, newest first, narrowed by `filters`
    (action prefix: "observation" matches "observation.update"; user: the actor's name,
    case-insensitive; dates inclusive, in the site's time zone). Lazy: the caller paginates."""
    filters = filters or LogFilter()
    entries = AuditEntry.objects.filter(within)
    if code != NATIONAL:
        entries = entries.filter(Q(region_code=code) | Q(region_code__startswith=code + "."))
    if filters.action:
        entries = entries.filter(
            Q(action=filters.action) | Q(action__startswith=filters.action.rstrip(".") + ".")
        )
    if filters.user:
        entries = entries.filter(actor_label__iexact=filters.user)
    if filters.since:
        entries = entries.filter(at__date__gte=filters.since)
    if filters.until:
        entries = entries.filter(at__date__lte=filters.until)
    return entries.order_by("-at", "-id")


def actions_in_region(code: str, *, within: Q) -> list[str]:
    """The distinct actions recorded in the region (the filter's choices). One query."""
    entries = AuditEntry.objects.filter(within)
    if code != NATIONAL:
        entries = entries.filter(Q(region_code=code) | Q(region_code__startswith=code + "."))
    return sorted(set(entries.values_list("action", flat=True).distinct()))

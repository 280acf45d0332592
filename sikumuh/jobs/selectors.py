"""Which jobs a person sees: their own, and as an administrator those about their regions."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from sikumuh.accounts.models import Role
from sikumuh.accounts.scope import Scope
from sikumuh.jobs.models import Job


def visible_jobs(user: Any) -> QuerySet[Job]:
    """The starter sees their job; an administrator of its region sees it too; nobody else."""
    if not user.is_authenticated:
        return Job.objects.none()
    scope = Scope.for_user(user)
    administered = Scope(tuple(g for g in scope.grants if g[1] == Role.ADMIN))
    return Job.objects.filter(Q(started_by=user) | administered.q("region_code"))


def own_jobs(user: Any) -> QuerySet[Job]:
    return Job.objects.filter(started_by=user)


def backlog() -> dict[str, int]:
    """Jobs waiting for a worker and jobs running (for `/healthz` and the operators)."""
    from django.db.models import Count

    counts = dict(
        Job.objects.filter(status__in=[Job.Status.QUEUED, Job.Status.RUNNING])
        .values_list("status")
        .annotate(n=Count("pk"))
        .values_list("status", "n")
    )
    return {
        "queued": counts.get(Job.Status.QUEUED, 0),
        "running": counts.get(Job.Status.RUNNING, 0),
    }


def upload_job(user: Any, kind: str, upload_id: str) -> Job | None:
    """The latest job of ``kind`` that ``user`` started on their staged upload ``upload_id``."""
    return own_jobs(user).filter(kind=kind, params__upload_id=upload_id).first()


def unfinished(kind: str, region_code: str) -> Job | None:
    """The latest job of ``kind`` about ``region_code`` still waiting or running, if any."""
    waiting = Job.objects.filter(kind=kind, region_code=region_code)
    return waiting.filter(status__in=[Job.Status.QUEUED, Job.Status.RUNNING]).first()

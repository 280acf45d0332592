"""Review of RT data and the yearly lock: facilitators submit, the Pokja approves or returns.

The workflow, per desa and year (the batch a facilitator collects):

    draft ──submit──▶ submitted ──approve──▶ approved
      ▲                  │
      └─── returned ◀────┘ return (a comment is required)

An approved year of a kabupaten can be locked by its administrator; while locked, no RT
observation of that kabupaten-year changes (`assert_not_locked` is called by
`surveys.actions.save_observation` and by `io.importer`), nor does its review state. Unlocking
needs a reason, kept in the audit log with every lock and unlock.

Who may do what is checked here too (not only in the views), so the CLI and any future API
cannot bypass it: submit needs an edit role in the desa, approve/return a review role, lock and
unlock the administrator role in the kabupaten. A system actor (CLI, demo) may do everything.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.utils import dateformat, timezone
from django.utils.translation import gettext as _

from sikumuh.accounts.scope import Scope
from sikumuh.audit.actions import Actor, build_entry, diff, record, record_many
from sikumuh.regions.models import Level, Region, code_at_level
from sikumuh.regions.timezones import tzinfo, zone_named, zone_of
from sikumuh.surveys.models import Observation, ReviewAction, ReviewEvent, Status, YearLock


class ReviewError(ValueError):
    """A review step that cannot be taken (nothing to move, comment missing, year locked)."""


class NotAllowed(ReviewError):
    """The actor's role does not allow this step here."""


class YearLocked(ReviewError):
    """The kabupaten-year is locked: its RT data cannot change until an admin unlocks it."""

    def __init__(self, lock: YearLock) -> None:
        self.lock = lock
        super().__init__(lock_text(lock))


def _day_in_region(moment: dt.datetime, region_code: str) -> str:
    """The day of ``moment`` in the region's own time zone, in words ("8 Desember 2026"): a
    lock made at 00.30 WITA in Tanah Laut is of the 8th, though Jakarta still reads the 7th."""
    zone = zone_of(region_code) or zone_named(settings.TIME_ZONE)
    return dateformat.format(timezone.localtime(moment, tzinfo(zone)), "j F Y")


def lock_text(lock: YearLock) -> str:
    """Why a locked kabupaten-year refuses every change, in the user's language: who locked it,
    when, and the lock note. The one wording of the web form, the import wizard and the CLI."""
    values = {
        "tahun": lock.tahun,
        # Read by people: the regency's name and a date in words, not "63.01" and ISO.
        "kabupaten": lock.kabupaten.name,
        "who": lock.locked_by_label or "?",
        "when": _day_in_region(lock.locked_at, lock.kabupaten_id) if lock.locked_at else "?",
    }
    text = (
        _(
            "year %(tahun)s of %(kabupaten)s is locked (by %(who)s on %(when)s);"
            " an administrator must unlock it first"
        )
        % values
    )
    if lock.note:
        text += ". " + _("Lock note: %(note)s") % {"note": lock.note}
    return text


# --- The lock ----------------------------------------------------------------------------------


def active_lock(kabupaten_code: str, tahun: int) -> YearLock | None:
    return (
        YearLock.objects.filter(kabupaten_id=kabupaten_code, tahun=tahun, locked=True)
        .select_related("kabupaten")
        .first()
    )


def assert_not_locked(kabupaten_code: str, tahun: int) -> None:
    """Raise `YearLocked` when the kabupaten-year is locked. One query."""
    lock = active_lock(kabupaten_code, tahun)
    if lock is not None:
        raise YearLocked(lock)


def locks_among(keys: set[tuple[str, int]]) -> dict[tuple[str, int], YearLock]:
    """The active locks among (kabupaten code, tahun) pairs, for the importer. One query."""
    if not keys:
        return {}
    kabupaten = {k for k, _ in keys}
    years = {t for _, t in keys}
    locks = YearLock.objects.filter(
        kabupaten_id__in=kabupaten, tahun__in=years, locked=True
    ).select_related("kabupaten")
    return {
        (lock.kabupaten_id, lock.tahun): lock
        for lock in locks
        if (lock.kabupaten_id, lock.tahun) in keys
    }


def status_for_write(actor: Actor, desa_code: str) -> str:
    """The status of an observation just created or changed by `actor`.

    Data written by the system (CLI imports, the demo) or by someone who may review the desa
    land approved; a facilitator's data land as drafts, to be submitted. Any change by a
    facilitator makes an approved RT-year a draft again: what the Pokja approved has changed.
    """
    if actor.user is None:
        return Status.APPROVED
    return Status.APPROVED if Scope.for_user(actor.user).can_review(desa_code) else Status.DRAFT


def returns_to_review(actor: Actor, desa_code: str, stored_status: str | None) -> bool:
    """Whether a change by `actor` would take approved data back to review (a draft the
    facilitator must submit again): the form asks for a confirmation first and the import
    wizard warns, so that what the Pokja approved does not silently become a draft."""
    return stored_status == Status.APPROVED and status_for_write(actor, desa_code) == Status.DRAFT


# --- Review steps ------------------------------------------------------------------------------


def _kabupaten_of(code: str) -> str:
    kabupaten = code_at_level(code, Level.KABUPATEN)
    if kabupaten is None:
        raise ReviewError(f"{code} is not inside a kabupaten/kota")
    return kabupaten


def _require(actor: Actor, code: str, allowed: str) -> None:
    if actor.user is None:
        return
    scope = Scope.for_user(actor.user)
    ok = {
        "edit": scope.can_edit,
        "review": scope.can_review,
        "admin": scope.can_admin,
    }[allowed](code)
    if not ok:
        raise NotAllowed(f"{actor.label} may not {allowed} in {code}")


@dataclass(frozen=True)
class StepResult:
    event: ReviewEvent
    moved: int


def _step(
    *,
    actor: Actor,
    desa: Region,
    tahun: int,
    action: str,
    from_statuses: tuple[str, ...],
    to_status: str,
    comment: str = "",
) -> StepResult:
    if desa.level != Level.DESA:
        raise ReviewError(f"{desa.code} is not a desa/kelurahan")
    kabupaten = _kabupaten_of(desa.code)
    now = timezone.now()
    with transaction.atomic():
        assert_not_locked(kabupaten, tahun)
        observations = list(
            Observation.objects.select_for_update()
            .filter(rt__desa=desa, tahun=tahun, status__in=from_statuses)
            .order_by("pk")
        )
        if not observations:
            raise ReviewError(
                _("no RT data of %(desa)s in %(tahun)s waiting for this step (%(step)s)")
                % {"desa": desa.code, "tahun": tahun, "step": action}
            )
        event = ReviewEvent.objects.create(
            desa=desa,
            tahun=tahun,
            action=action,
            comment=comment,
            actor=actor.user,
            actor_label=actor.label[:150],
            at=now,
        )
        event.observations.set(observations)
        context: dict[str, object] = {"review_event": event.pk}
        if comment:
            context["comment"] = comment
        entries = [
            build_entry(
                actor=actor,
                action=f"observation.{action}",
                obj=obs,
                changes={"status": [obs.status, to_status]},
                region_code=desa.code,
                context=context,
                at=now,
            )
            for obs in observations
        ]
        Observation.objects.filter(pk__in=[o.pk for o in observations]).update(status=to_status)
        changes: dict[str, list[object]] = {"observations": [None, len(observations)]}
        if comment:
            changes["comment"] = [None, comment]
        entries.append(
            build_entry(
                actor=actor,
                action=f"review.{action}",
                obj=event,
                changes=changes,
                region_code=desa.code,
                context={"tahun": tahun},
                at=now,
            )
        )
        record_many(entries)
    return StepResult(event=event, moved=len(observations))


def submit_desa_year(*, actor: Actor, desa: Region, tahun: int) -> StepResult:
    """The facilitator hands the desa's RT data of `tahun` (drafts and returned ones) to the
    Pokja."""
    _require(actor, desa.code, "edit")
    return _step(
        actor=actor,
        desa=desa,
        tahun=tahun,
        action=ReviewAction.SUBMIT,
        from_statuses=(Status.DRAFT, Status.RETURNED),
        to_status=Status.SUBMITTED,
    )


def approve_desa_year(*, actor: Actor, desa: Region, tahun: int, comment: str = "") -> StepResult:
    """The Pokja accepts the submitted RT data of the desa-year."""
    _require(actor, desa.code, "review")
    return _step(
        actor=actor,
        desa=desa,
        tahun=tahun,
        action=ReviewAction.APPROVE,
        from_statuses=(Status.SUBMITTED,),
        to_status=Status.APPROVED,
        comment=comment.strip(),
    )


def return_desa_year(*, actor: Actor, desa: Region, tahun: int, comment: str) -> StepResult:
    """The Pokja sends the submitted RT data back; the comment tells the facilitator why."""
    _require(actor, desa.code, "review")
    comment = comment.strip()
    if not comment:
        raise ReviewError(_("returning data needs a comment saying what to correct"))
    return _step(
        actor=actor,
        desa=desa,
        tahun=tahun,
        action=ReviewAction.RETURN,
        from_statuses=(Status.SUBMITTED,),
        to_status=Status.RETURNED,
        comment=comment,
    )


# --- Lock and unlock ---------------------------------------------------------------------------


def _lock_snapshot(lock: YearLock | None) -> dict[str, object]:
    if lock is None:
        return {}
    values = {
        "locked": lock.locked,
        "locked_by": lock.locked_by_label,
        "locked_at": lock.locked_at,
        "note": lock.note,
        "unlocked_by": lock.unlocked_by_label,
        "unlocked_at": lock.unlocked_at,
        "unlock_reason": lock.unlock_reason,
    }
    # Empty fields are absent, so a first lock does not log "unlock_reason: – → –".
    return {name: value for name, value in values.items() if value not in (None, "")}


def lock_year(*, actor: Actor, kabupaten: Region, tahun: int, note: str = "") -> YearLock:
    """Lock an approved year of a kabupaten. Refused while any of its RT data are not approved
    (a lock freezes what the Pokja accepted, nothing else). The note says why (shown with every
    refused change)."""
    if kabupaten.level != Level.KABUPATEN:
        raise ReviewError(f"{kabupaten.code} is not a kabupaten/kota")
    _require(actor, kabupaten.code, "admin")
    with transaction.atomic():
        lock = YearLock.objects.select_for_update().filter(kabupaten=kabupaten, tahun=tahun).first()
        if lock is not None and lock.locked:
            raise ReviewError(
                _("year %(tahun)s of %(kabupaten)s is already locked")
                % {"tahun": tahun, "kabupaten": kabupaten.code}
            )
        pending = (
            Observation.objects.filter(rt__location__kabupaten=kabupaten, tahun=tahun)
            .exclude(status=Status.APPROVED)
            .count()
        )
        if pending:
            raise ReviewError(
                _("%(n)s RT observations of %(kabupaten)s in %(tahun)s are not approved yet")
                % {"n": pending, "kabupaten": kabupaten.code, "tahun": tahun}
            )
        before = _lock_snapshot(lock)
        if lock is None:
            lock = YearLock(kabupaten=kabupaten, tahun=tahun)
        lock.locked = True
        lock.locked_by, lock.locked_by_label = actor.user, actor.label[:150]
        lock.locked_at = timezone.now()
        lock.note = note.strip()
        lock.save()
        record(
            actor=actor,
            action="year.lock",
            obj=lock,
            changes=diff(before, _lock_snapshot(lock)),
            region_code=kabupaten.code,
            context={"tahun": tahun},
        )
    return lock


def unlock_year(*, actor: Actor, kabupaten: Region, tahun: int, reason: str) -> YearLock:
    """Unlock a locked year; the reason is required and kept (row and audit log)."""
    _require(actor, kabupaten.code, "admin")
    reason = reason.strip()
    if not reason:
        raise ReviewError(_("unlocking a year needs a reason"))
    with transaction.atomic():
        lock = YearLock.objects.select_for_update().filter(kabupaten=kabupaten, tahun=tahun).first()
        if lock is None or not lock.locked:
            raise ReviewError(
                _("year %(tahun)s of %(kabupaten)s is not locked")
                % {"tahun": tahun, "kabupaten": kabupaten.code}
            )
        before = _lock_snapshot(lock)
        lock.locked = False
        lock.unlocked_by, lock.unlocked_by_label = actor.user, actor.label[:150]
        lock.unlocked_at = timezone.now()
        lock.unlock_reason = reason
        lock.save()
        record(
            actor=actor,
            action="year.unlock",
            obj=lock,
            changes=diff(before, _lock_snapshot(lock)),
            region_code=kabupaten.code,
            context={"tahun": tahun, "reason": reason},
        )
    return lock

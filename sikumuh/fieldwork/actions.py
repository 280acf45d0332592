"""Audited writes of sosialisasi and FGD records (one action per change, audit in the same
transaction; the web layer checks the user's scope before calling these)."""

from __future__ import annotations

import datetime as dt
from pathlib import PurePath
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from sikumuh.audit.actions import Actor, diff, record, snapshot
from sikumuh.audit.versioning import claim_version
from sikumuh.fieldwork.models import Fgd, Meeting, Sosialisasi
from sikumuh.regions.models import Level, Region

#: Minutes are PDFs or office documents, photos JPEG/PNG/WebP. Nothing executable, no HTML or
#: SVG (both could carry script if a browser ever rendered them inline).
ALLOWED_SUFFIXES = frozenset({"pdf", "jpg", "jpeg", "png", "webp", "doc", "docx", "odt", "zip"})
MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024

MEETING_FIELDS = ("date", "place", "participants", "notes", "attachment_name")


class FieldworkError(ValueError):
    """A record that cannot be stored: the message says which value is wrong."""


def _check_common(*, date: dt.date, participants: int | None, attachment: Any) -> None:
    if date > timezone.localdate():
        raise FieldworkError(_("the date of a meeting cannot be in the future"))
    if participants is not None and participants < 0:
        raise FieldworkError(_("the number of participants cannot be negative"))
    if attachment is not None:
        name = PurePath(attachment.name or "").name
        suffix = name.rsplit(".", 1)[-1].lower() if "." in name else ""
        if suffix not in ALLOWED_SUFFIXES:
            raise FieldworkError(
                _("attachment %(name)s: allowed are %(types)s")
                % {"name": name, "types": ", ".join(sorted(ALLOWED_SUFFIXES))}
            )
        if attachment.size is not None and attachment.size > MAX_ATTACHMENT_BYTES:
            raise FieldworkError(_("attachment %(name)s is larger than 10 MB") % {"name": name})


def _tracked(meeting: Meeting) -> dict[str, Any]:
    values = snapshot(meeting, MEETING_FIELDS)
    if isinstance(meeting, Sosialisasi):
        values["kecamatan"] = meeting.kecamatan_id
    elif isinstance(meeting, Fgd):
        values["desa"] = meeting.desa_id
        values["delineation_agreed"] = meeting.delineation_agreed
    return values


def _save(
    meeting: Sosialisasi | Fgd,
    *,
    actor: Actor,
    values: dict[str, Any],
    attachment: UploadedFile | None,
    remove_attachment: bool = False,
    expected_version: int | None = None,
) -> None:
    """Apply `values` (and the file), save, audit; inside the caller's transaction."""
    _check_common(
        date=values["date"], participants=values.get("participants"), attachment=attachment
    )
    creating = meeting.pk is None
    before = {} if creating else _tracked(meeting)
    old_file = meeting.attachment.name if meeting.attachment else ""
    for name, value in values.items():
        setattr(meeting, name, value)
    if attachment is not None:
        meeting.attachment_name = PurePath(attachment.name or "lampiran").name[:200]
        meeting.attachment.save(attachment.name or "lampiran", attachment, save=False)
    elif remove_attachment:
        meeting.attachment = ""
        meeting.attachment_name = ""
    if creating:
        meeting.created_by = actor.user
    changes = diff(before, _tracked(meeting))
    if attachment is not None and not changes.get("attachment_name"):
        # A new file under the same name is still a change worth logging.
        changes["attachment_name"] = [before.get("attachment_name"), meeting.attachment_name]
    if not changes and not creating:
        return
    if not creating:
        editable = (*MEETING_FIELDS, "delineation_agreed") if isinstance(meeting, Fgd) else None
        claim_version(meeting, expected_version, fields=editable or MEETING_FIELDS)
    meeting.save()
    kind = meeting._meta.model_name
    record(
        actor=actor,
        action=f"{kind}.{'create' if creating else 'update'}",
        obj=meeting,
        changes=changes,
        region_code=meeting.region_code,
    )
    if old_file and (attachment is not None or remove_attachment):
        storage = meeting.attachment.storage
        transaction.on_commit(lambda: storage.delete(old_file))


def create_sosialisasi(
    *,
    actor: Actor,
    kecamatan: Region,
    date: dt.date,
    place: str = "",
    participants: int | None = None,
    notes: str = "",
    attachment: UploadedFile | None = None,
) -> Sosialisasi:
    if kecamatan.level != Level.KECAMATAN:
        raise FieldworkError(f"{kecamatan.code} is not a kecamatan")
    meeting = Sosialisasi(kecamatan=kecamatan)
    values = {"date": date, "place": place, "participants": participants, "notes": notes}
    with transaction.atomic():
        _save(meeting, actor=actor, values=values, attachment=attachment)
    return meeting


def create_fgd(
    *,
    actor: Actor,
    desa: Region,
    date: dt.date,
    place: str = "",
    participants: int | None = None,
    notes: str = "",
    delineation_agreed: bool = False,
    attachment: UploadedFile | None = None,
) -> Fgd:
    if desa.level != Level.DESA:
        raise FieldworkError(f"{desa.code} is not a desa/kelurahan")
    meeting = Fgd(desa=desa)
    values = {
        "date": date,
        "place": place,
        "participants": participants,
        "notes": notes,
        "delineation_agreed": delineation_agreed,
    }
    with transaction.atomic():
        _save(meeting, actor=actor, values=values, attachment=attachment)
    return meeting


def update_meeting(
    *,
    actor: Actor,
    meeting: Sosialisasi | Fgd,
    values: dict[str, Any],
    attachment: UploadedFile | None = None,
    remove_attachment: bool = False,
    expected_version: int | None = None,
) -> Sosialisasi | Fgd:
    """Change a record's date, place, participants, notes (and for an FGD the delineation
    flag) and optionally replace or remove its attachment. The region stays: a meeting held
    elsewhere is another record. A form's save passes the `expected_version` it was opened
    with: if someone changed the record in between, `versioning.StaleEdit`."""
    allowed = {"date", "place", "participants", "notes"}
    if isinstance(meeting, Fgd):
        allowed.add("delineation_agreed")
    unknown = set(values) - allowed
    if unknown:
        raise FieldworkError(f"cannot change {', '.join(sorted(unknown))}")
    with transaction.atomic():
        _save(
            meeting,
            actor=actor,
            values={"date": meeting.date, **values},
            attachment=attachment,
            remove_attachment=remove_attachment,
            expected_version=expected_version,
        )
    return meeting


def delete_meeting(*, actor: Actor, meeting: Sosialisasi | Fgd) -> None:
    """Remove a record entered by mistake; the audit log keeps what it held."""
    with transaction.atomic():
        record(
            actor=actor,
            action=f"{meeting._meta.model_name}.delete",
            obj=meeting,
            changes=diff(_tracked(meeting), {}),
            region_code=meeting.region_code,
        )
        name = meeting.attachment.name if meeting.attachment else ""
        storage = meeting.attachment.storage
        meeting.delete()
        if name:
            transaction.on_commit(lambda: storage.delete(name))

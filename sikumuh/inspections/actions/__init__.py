"""Audited writes of the uji petik: one action per write, audit entry in the same transaction.

By concern: drawing the sample (`sample`), the checklist, findings and follow-ups
(`checklists`), the re-survey of volumes (`resurvey`).
"""

from __future__ import annotations

from sikumuh.inspections.models import SampleItem


def region_of(item: SampleItem) -> str:
    """The region an item's audit entries are filed under: its desa, else the kabupaten."""
    return item.desa_code or item.uji_petik.kabupaten_id

"""The demo's review state: imported by the system, so approved; `sikumuh demo` locks 2019."""

from __future__ import annotations

from typing import Any

from sikumuh.audit.actions import Actor
from sikumuh.demo.build import build_demo
from sikumuh.regions.models import Region
from sikumuh.surveys.models import Observation, Status, YearLock
from sikumuh.surveys.review import unlock_year

ACTOR = Actor.system("test")


def test_the_demo_data_are_approved_and_only_the_command_locks_the_baseline(
    load_regions_under: Any,
) -> None:
    load_regions_under("63.01")
    summary = build_demo(actor=ACTOR)
    assert not summary.baseline_locked
    assert not YearLock.objects.exists()  # tests that edit demo data find them editable
    assert set(Observation.objects.values_list("status", flat=True)) == {Status.APPROVED}

    locked = build_demo(actor=ACTOR, lock_baseline=True)
    assert locked.baseline_locked
    assert locked.changed
    lock = YearLock.objects.get()
    assert (lock.kabupaten_id, lock.tahun, lock.locked) == ("63.01", 2019, True)

    # An unlock made in the demo is respected by the next build.
    unlock_year(actor=ACTOR, kabupaten=Region.objects.get(code="63.01"), tahun=2019, reason="uji")
    again = build_demo(actor=ACTOR, lock_baseline=True)
    assert not again.changed
    assert not YearLock.objects.get().locked

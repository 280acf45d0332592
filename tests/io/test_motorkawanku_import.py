"""Importing a motorkawanku export: all or nothing by default, the valid rows on request,
re-imports change nothing; investments and outlines follow the observations."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from sikumuh.audit.actions import Actor
from sikumuh.audit.models import AuditEntry
from sikumuh.investments.models import Investment
from sikumuh.io.models import ImportRun
from sikumuh.io.motorkawanku import MotorkawankuError, import_motorkawanku
from sikumuh.io.motorkawanku.importer import CORRUPT
from sikumuh.regions.models import Region
from sikumuh.slums.models import Location, RtUnit
from sikumuh.surveys.models import Observation, Score

pytestmark = pytest.mark.django_db

# `export` is the `Export` builder of tests/io/conftest.py (edit `files`, then `write()`).
ACTOR = Actor.system("test")
NEGATIVE = "negative volume in 4a"


def run(directory: Path, **kwargs: Any) -> Any:
    return import_motorkawanku(directory, region_code="33.75", actor=ACTOR, **kwargs)


def test_a_consistent_export_is_committed_with_its_investments_and_outlines(
    kota_pekalongan: Region, export: Any
) -> None:
    report = run(export.write())
    assert report.status == ImportRun.Status.COMMITTED
    assert (report.created, report.counts["new_locations"], report.counts["new_rts"]) == (6, 2, 3)
    location = Location.objects.get(code="KWS-01")
    assert (location.name, location.desa_id, location.kabupaten_id) == (
        "Podosugih",
        "33.75.01.1003",
        "33.75",
    )
    assert Score.objects.filter(total=16, klass="kumuh_ringan").count() == 6
    assert report.extra["investments"]["created"] == 2
    assert Investment.objects.get(source_ref="investasi.json#1").rt.rt == "RT001-RW002"
    assert Location.objects.get(code="KWS-02").polygon["coordinates"][0][0] == [109.66, -6.88]
    assert RtUnit.objects.get(rt="RT001-RW002").polygon["type"] == "Polygon"
    assert report.extra["polygons"]["locations_set"] == 1
    assert ImportRun.objects.get(kind="motorkawanku-investasi").rows_created == 2
    assert ImportRun.objects.get(pk=report.run_id).report["investments"]["created"] == 2


def test_reimporting_the_same_export_changes_nothing_and_writes_no_audit(
    kota_pekalongan: Region, export: Any
) -> None:
    directory = export.write()
    run(directory)
    audit = AuditEntry.objects.count()
    again = run(directory)
    assert again.status == ImportRun.Status.UNCHANGED
    assert (again.created, again.updated, again.unchanged) == (0, 0, 6)
    assert again.extra["investments"]["status"] == "unchanged"
    assert again.extra["investments"]["unchanged"] == 2
    assert again.extra["polygons"]["unchanged"] == 2
    assert AuditEntry.objects.count() == audit
    assert Investment.objects.count() == 2


def test_a_changed_investment_volume_is_updated_with_an_audit_entry(
    kota_pekalongan: Region, export: Any
) -> None:
    run(export.write())
    export.files["investasi.json"][0]["volume"] = 150
    report = run(export.write())
    assert report.extra["investments"]["updated"] == 1
    assert str(Investment.objects.get(source_ref="investasi.json#1").volume) == "150.000000"
    entry = AuditEntry.objects.get(action="investment.update")
    assert [Decimal(v) for v in entry.changes["volume"]] == [100, 150]


def test_a_corrupt_record_rejects_the_whole_import_by_default(
    kota_pekalongan: Region, export: Any
) -> None:
    export.files["kumuhRT.json"][0]["2an"] = 0.25
    report = run(export.write())
    assert report.status == ImportRun.Status.REJECTED
    assert report.rejected_rows == ["1"]
    assert report.extra["rejected_by_reason"] == {CORRUPT: 1}
    assert (Observation.objects.count(), Location.objects.count(), Investment.objects.count()) == (
        0,
        0,
        0,
    )
    assert "investments" not in report.extra


def test_a_corrupt_record_is_never_stored_even_when_skipping_invalid_rows(
    kota_pekalongan: Region, export: Any
) -> None:
    export.files["kumuhRT.json"][0]["2an"] = 0.25
    report = run(export.write(), skip_invalid=True)
    assert report.status == ImportRun.Status.PARTIAL
    assert (report.created, report.rejected_rows) == (5, ["1"])
    assert not Observation.objects.filter(source_ref="kumuhRT.json#1").exists()


def test_an_investment_for_a_criterion_of_the_2016_rules_is_rejected(
    kota_pekalongan: Region, export: Any
) -> None:
    export.files["investasi.json"][1]["idKriteria"] = "4d"
    report = run(export.write(), skip_invalid=True)
    investments = report.extra["investments"]
    assert (investments["status"], investments["created"], investments["rejected"]) == (
        "partial",
        1,
        1,
    )
    (error,) = investments["errors"]
    assert (error["row"], error["column"], error["value"]) == ("2", "criterion", "4d")


def test_an_unknown_region_is_refused(kota_pekalongan: Region, export: Any) -> None:
    with pytest.raises(MotorkawankuError, match="not a kabupaten/kota code"):
        import_motorkawanku(export.write(), region_code="33.99", actor=ACTOR)


# The real data: /work/shared/data/pekalongan (README facts).


def test_pekalongan_by_default_is_rejected_and_stores_nothing(
    kota_pekalongan: Region, pekalongan_dir: Path
) -> None:
    report = run(pekalongan_dir)
    assert report.status == ImportRun.Status.REJECTED
    assert len(report.rejected_rows) == 256
    assert report.extra["rejected_by_reason"] == {CORRUPT: 250, NEGATIVE: 6}
    assert (Observation.objects.count(), Location.objects.count(), Investment.objects.count()) == (
        0,
        0,
        0,
    )
    assert ImportRun.objects.get().status == ImportRun.Status.REJECTED


def test_pekalongan_skipping_invalid_rows_stores_1904_and_is_unchanged_on_reimport(
    kota_pekalongan: Region, pekalongan_dir: Path
) -> None:
    report = run(pekalongan_dir, skip_invalid=True)
    assert report.status == ImportRun.Status.PARTIAL
    assert (report.rows_total, report.created, len(report.rejected_rows)) == (2160, 1904, 256)
    assert report.extra["rejected_by_reason"] == {CORRUPT: 250, NEGATIVE: 6}
    negative = report.extra["integrity"]["engine_rejections"][NEGATIVE]
    assert len(negative) == 6
    assert {r["row"] for r in negative} <= set(report.rejected_rows)
    assert {p.row for p in report.errors if "negative" in p.reason} == {r["row"] for r in negative}
    assert report.extra["integrity"]["cells_reproduced_consistent"] == 30_560
    assert report.extra["kawasan_comparison"]["cells_differing_per_year"]["2019"] == 16
    assert (Observation.objects.count(), Location.objects.count(), RtUnit.objects.count()) == (
        1904,
        25,
        382,
    )
    assert sum(1 for w in report.warnings if "above its denominator" in w.reason) == 40

    investments = report.extra["investments"]
    assert investments["created"] == Investment.objects.count() > 0
    assert investments["created"] + investments["rejected"] == 1091
    assert Location.objects.exclude(polygon=None).count() == 25

    again = run(pekalongan_dir, skip_invalid=True)
    assert again.status == ImportRun.Status.UNCHANGED
    assert (again.created, again.updated, again.unchanged) == (0, 0, 1904)
    assert again.extra["investments"]["status"] == "unchanged"
    assert Observation.objects.count() == 1904

"""Imports respect the yearly lock and the review state of whoever imports."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from sikumuh.audit.actions import Actor
from sikumuh.audit.models import AuditEntry
from sikumuh.core.criteria import get_rule_set
from sikumuh.core.rows import ImportReport, ObservationRow
from sikumuh.io.importer import import_rows, validate_rows
from sikumuh.io.models import ImportRun
from sikumuh.regions.models import Region
from sikumuh.surveys.models import Observation, Score
from sikumuh.surveys.review import lock_year
from tests import factories

ADMIN = Actor.system("test")


def row(n: int, *, rt: str = "001", tahun: int = 2019, share: str = "0.5") -> ObservationRow:
    rules = get_rule_set("permen-pupr-14-2018")
    return ObservationRow(
        file="rt.csv",
        row=str(n),
        kode_desa="63.01.03.1001",
        lokasi="L-01",
        lokasi_name="Lokasi satu",
        rt=rt,
        tahun=tahun,
        header=dict(factories.HEADER),
        volumes={
            c.code: (factories.HEADER[c.denominator] or Decimal(0)) * Decimal(share)
            for c in rules.criteria
        },
    )


def run(rows: list[ObservationRow], actor: Actor = ADMIN, **kwargs: Any) -> ImportReport:
    return import_rows(
        rows, actor=actor, kind="template", source="template", file_name="rt.csv", **kwargs
    )


@pytest.fixture
def locked_2019(personas: Any) -> None:
    """RT 001 of 2019 stored and approved; 2019 of Tanah Laut locked by its admin."""
    assert run([row(2)]).ok
    lock_year(
        actor=Actor.of(personas["admin"]), kabupaten=Region.objects.get(code="63.01"), tahun=2019
    )


def counts() -> tuple[int, int, int]:
    return Observation.objects.count(), Score.objects.count(), AuditEntry.objects.count()


def test_an_import_changing_a_locked_year_is_rejected_row_by_row_and_writes_nothing(
    locked_2019: None,
) -> None:
    before = counts()
    report = run([row(2, share="0.9"), row(3, rt="002"), row(4, rt="003", tahun=2021)])

    assert not report.ok
    assert report.status == ImportRun.Status.REJECTED
    assert [(p.row, p.column, p.value) for p in report.errors] == [
        ("2", "tahun", "2019"),
        ("3", "tahun", "2019"),
    ]
    reason = report.errors[0].reason
    assert "tahun 2019 untuk Kabupaten Tanah Laut terkunci (oleh admin pada" in reason
    assert counts() == before  # the 2021 row was valid, but nothing is written


def test_with_skip_invalid_the_other_years_are_stored_and_the_locked_rows_listed(
    locked_2019: None,
) -> None:
    report = run([row(3, rt="002"), row(4, rt="003", tahun=2021)], skip_invalid=True)
    assert report.status == ImportRun.Status.PARTIAL
    assert report.rejected_rows == ["3"]
    assert list(Observation.objects.values_list("rt__rt", "tahun").order_by("tahun")) == [
        ("001", 2019),
        ("003", 2021),
    ]


def test_re_importing_unchanged_rows_of_a_locked_year_is_fine(locked_2019: None) -> None:
    before = counts()
    report = run([row(2), row(3, rt="001", tahun=2021)])
    assert report.ok, report.errors
    assert (report.unchanged, report.created) == (1, 1)
    assert Observation.objects.count() == before[0] + 1


def test_validation_alone_already_names_the_lock(locked_2019: None) -> None:
    _, errors, _ = validate_rows([row(2, share="0.1")])
    assert [e.column for e in errors] == ["tahun"]


@pytest.mark.parametrize(("who", "status"), [("facilitator", "draft"), ("admin", "approved")])
def test_imported_rows_land_as_drafts_from_a_facilitator_and_approved_from_an_admin(
    personas: Any, who: str, status: str
) -> None:
    assert run([row(2)], actor=Actor.of(personas[who])).ok
    assert list(Observation.objects.values_list("status", flat=True)) == [status]
    entry = AuditEntry.objects.get(action="observation.create")
    assert entry.changes["status"] == [None, status]


def test_a_facilitator_re_import_that_changes_approved_data_makes_them_draft(
    personas: Any,
) -> None:
    assert run([row(2)]).ok
    assert run([row(2, share="0.2")], actor=Actor.of(personas["facilitator"])).ok
    assert list(Observation.objects.values_list("status", flat=True)) == ["draft"]
    entry = AuditEntry.objects.get(action="observation.update")
    assert entry.changes["status"] == ["approved", "draft"]

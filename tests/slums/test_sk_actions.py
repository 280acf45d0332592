"""Audited writes of SK versions and corrections (sikumuh.slums.actions)."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

import pytest

from sikumuh.audit.models import AuditEntry
from sikumuh.regions.models import Region
from sikumuh.slums.actions import DecreeError, create_decree, new_decree_version, update_decree
from sikumuh.slums.models import SkDecree, SkLocation
from tests.factories import ACTOR
from tests.slums.test_sk_data import first_version, two_versions

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def tanah_laut(load_regions_under: Callable[..., int]) -> None:
    load_regions_under("63.01")


def entries_of(decree: SkDecree) -> dict[str, Decimal]:
    return {
        e.location.code: e.luas_ha
        for e in SkLocation.objects.filter(decree=decree).select_related("location")
    }


def audit_of(decree: SkDecree) -> dict[str, AuditEntry]:
    entries = AuditEntry.objects.filter(object_type="slums.skdecree", object_id=str(decree.pk))
    return {entry.action: entry for entry in entries}


def test_a_new_version_supersedes_the_previous_one_which_keeps_its_own_list() -> None:
    versions = two_versions()
    assert versions.v2.supersedes == versions.v1
    assert entries_of(versions.v1) == {
        "SK-A": Decimal("4.95"),
        "SK-B": Decimal("3.00"),
        "SK-C": Decimal("12.50"),
    }
    assert entries_of(versions.v2) == {
        "SK-A": Decimal("4.95"),
        "SK-B": Decimal("2.50"),
        "SK-D": Decimal("1.25"),
    }


def test_a_new_version_audits_what_changed_and_marks_the_previous_one_superseded() -> None:
    versions = two_versions()
    new = audit_of(versions.v2)
    assert set(new) == {"sk.create", "sk.version"}
    assert new["sk.version"].changes == {
        "location:SK-B": ["3", "2.5"],
        "location:SK-C": ["12.5", None],
        "location:SK-D": [None, "1.25"],
    }
    assert new["sk.version"].context == {
        "supersedes": versions.v1.pk,
        "added": 1,
        "removed": 1,
        "changed": 1,
    }
    old = audit_of(versions.v1)
    assert old["sk.superseded"].changes == {"superseded_by": [None, versions.v2.pk]}
    assert old["sk.superseded"].region_code == "63.01"


def test_a_superseded_sk_cannot_get_a_second_new_version_and_nothing_is_written() -> None:
    versions = two_versions()
    counts = (SkDecree.objects.count(), SkLocation.objects.count(), AuditEntry.objects.count())
    with pytest.raises(DecreeError, match="already superseded"):
        new_decree_version(
            actor=ACTOR,
            previous=versions.v1,
            number="188.45/999/2022",
            year=2022,
            entries=[(versions.a, Decimal(1))],
        )
    assert (
        SkDecree.objects.count(),
        SkLocation.objects.count(),
        AuditEntry.objects.count(),
    ) == counts


@pytest.mark.parametrize(
    ("number", "year", "message"),
    [
        ("188.45/050/2016", 2021, "already registered"),  # the number of version 1
        ("188.45/001/2015", 2015, "cannot be older"),
    ],
)
def test_a_new_version_is_refused_with_a_taken_number_or_an_older_year(
    number: str, year: int, message: str
) -> None:
    v1, places = first_version()
    with pytest.raises(DecreeError, match=message):
        new_decree_version(
            actor=ACTOR, previous=v1, number=number, year=year, entries=[(places["a"], Decimal(1))]
        )
    assert SkDecree.objects.count() == 1


def test_registering_an_sk_number_twice_in_one_kabupaten_is_refused_clearly() -> None:
    v1, places = first_version()
    with pytest.raises(DecreeError, match="already registered"):
        create_decree(
            actor=ACTOR,
            kabupaten=v1.kabupaten,
            number=v1.number,
            year=2020,
            entries=[(places["d"], Decimal(1))],
        )


def test_a_location_listed_twice_in_one_sk_is_refused() -> None:
    _, places = first_version()
    with pytest.raises(DecreeError, match="twice"):
        create_decree(
            actor=ACTOR,
            kabupaten=Region.objects.get(code="63.01"),
            number="X/1",
            year=2020,
            entries=[(places["a"], Decimal(1)), (places["a"], Decimal(2))],
        )


def test_correcting_the_particulars_audits_each_changed_field() -> None:
    v1, _ = first_version()
    update_decree(actor=ACTOR, decree=v1, title="Penetapan lokasi kumuh", year=2016)
    v1.refresh_from_db()
    assert v1.title == "Penetapan lokasi kumuh"
    entry = audit_of(v1)["sk.update"]
    assert entry.changes == {"title": ["Penetapan lokasi kumuh 2016", "Penetapan lokasi kumuh"]}


def test_a_correction_that_changes_nothing_records_nothing() -> None:
    v1, _ = first_version()
    before = AuditEntry.objects.count()
    update_decree(actor=ACTOR, decree=v1, number=v1.number, year=v1.year)
    assert AuditEntry.objects.count() == before


def test_a_correction_cannot_take_another_sks_number_nor_touch_the_version_chain() -> None:
    versions = two_versions()
    with pytest.raises(DecreeError, match="already registered"):
        update_decree(actor=ACTOR, decree=versions.v2, number=versions.v1.number)
    with pytest.raises(ValueError, match="cannot change"):
        update_decree(actor=ACTOR, decree=versions.v2, supersedes=None)
    versions.v2.refresh_from_db()
    assert versions.v2.number == "188.45/120/2021"

"""Two saves with the same expected version at the same moment, each on its own connection (as
two server processes): exactly one wins, the other gets `StaleEdit`, one audit entry. Runs on
SQLite (a file database, see tests/concurrency.py) and on PostgreSQL (DATABASE_URL)."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

import pytest

from sikumuh.audit.actions import Actor
from sikumuh.audit.models import AuditEntry
from sikumuh.audit.versioning import NOT_STORED, StaleEdit
from sikumuh.core.criteria import DEFAULT_RULE_SET_ID, HEADER_FIELDS, get_rule_set
from sikumuh.io.importer import import_rows
from sikumuh.regions.models import Region
from sikumuh.slums.actions import create_decree, create_location, create_rt, update_decree
from sikumuh.slums.models import RtUnit, SkDecree
from sikumuh.surveys.actions import save_observation
from sikumuh.surveys.models import Observation
from tests.concurrency import in_parallel, shared_database
from tests.io.test_importer import row

__all__ = ["shared_database"]  # fixture, imported for pytest

SYSTEM = Actor.system("test")
HEADER = dict.fromkeys(HEADER_FIELDS, Decimal(100))


def volumes(value: int) -> dict[str, Decimal | None]:
    return dict.fromkeys(get_rule_set(DEFAULT_RULE_SET_ID).codes, Decimal(value))


def one_winner(results: list[object]) -> tuple[object, StaleEdit]:
    """The winner's result and the loser's error; fails on anything else."""
    errors = [r for r in results if isinstance(r, BaseException)]
    assert len(errors) == 1, results
    assert isinstance(errors[0], StaleEdit), repr(errors[0])
    (winner,) = [r for r in results if not isinstance(r, BaseException)]
    return winner, errors[0]


@pytest.fixture
def rt(load_regions_under: Callable[..., int]) -> RtUnit:
    load_regions_under("63.01")
    kabupaten = Region.objects.get(code="63.01")
    desa = Region.objects.get(code="63.01.03.1001")
    location = create_location(actor=SYSTEM, kabupaten=kabupaten, code="L1", name="L1", desa=desa)
    return create_rt(actor=SYSTEM, location=location, rt="001", desa=desa)


@pytest.mark.django_db(transaction=True)
def test_of_two_simultaneous_saves_of_one_sk_exactly_one_wins(
    load_regions_under: Callable[..., int], shared_database: Callable[[], None]
) -> None:
    load_regions_under("63.01")
    decree = create_decree(
        actor=SYSTEM, kabupaten=Region.objects.get(code="63.01"), number="1", year=2020, entries=[]
    )
    assert decree.version == 1
    shared_database()

    def save(i: int) -> str:
        stored = SkDecree.objects.get(pk=decree.pk)
        update_decree(actor=SYSTEM, decree=stored, expected_version=1, title=f"title {i}")
        return f"title {i}"

    winner, stale = one_winner(in_parallel(2, save))
    stored = SkDecree.objects.get(pk=decree.pk)
    assert stored.title == winner
    assert stored.version == 2
    assert stale.version == 2
    assert stale.current["title"] == winner
    assert stale.by == "test"
    assert AuditEntry.objects.filter(action="sk.update").count() == 1


@pytest.mark.django_db(transaction=True)
def test_of_two_simultaneous_first_saves_of_one_rt_year_exactly_one_wins(
    rt: RtUnit, shared_database: Callable[[], None]
) -> None:
    shared_database()

    def save(i: int) -> int:
        unit = RtUnit.objects.get(pk=rt.pk)
        save_observation(
            actor=SYSTEM,
            rt=unit,
            tahun=2024,
            header=HEADER,
            volumes=volumes(i + 1),
            expected_version=NOT_STORED,
        )
        return i + 1

    winner, stale = one_winner(in_parallel(2, save))
    stored = Observation.objects.get(rt=rt, tahun=2024)
    assert stored.volumes["1a"] == str(winner)
    assert stale.current["volumes"]["1a"] == str(winner)
    assert AuditEntry.objects.filter(action="observation.create").count() == 1


@pytest.mark.django_db(transaction=True)
def test_of_two_simultaneous_changes_of_one_rt_year_exactly_one_wins(
    rt: RtUnit, shared_database: Callable[[], None]
) -> None:
    save_observation(actor=SYSTEM, rt=rt, tahun=2024, header=HEADER, volumes=volumes(0))
    shared_database()

    def save(i: int) -> int:
        unit = RtUnit.objects.get(pk=rt.pk)
        save_observation(
            actor=SYSTEM,
            rt=unit,
            tahun=2024,
            header=HEADER,
            volumes=volumes(i + 1),
            expected_version=1,
        )
        return i + 1

    winner, _stale = one_winner(in_parallel(2, save))
    stored = Observation.objects.get(rt=rt, tahun=2024)
    assert stored.volumes["1a"] == str(winner)
    assert stored.version == 2
    assert AuditEntry.objects.filter(action="observation.update").count() == 1


@pytest.mark.django_db
def test_a_write_without_an_expected_version_moves_the_version_on(rt: RtUnit) -> None:
    """CLI and import writes take no version, yet a form opened before them is stale after."""
    first, _ = save_observation(actor=SYSTEM, rt=rt, tahun=2024, header=HEADER, volumes=volumes(0))
    assert first.version == 1
    second, _ = save_observation(actor=SYSTEM, rt=rt, tahun=2024, header=HEADER, volumes=volumes(1))
    assert second.version == 2
    with pytest.raises(StaleEdit):
        save_observation(
            actor=SYSTEM, rt=rt, tahun=2024, header=HEADER, volumes=volumes(2), expected_version=1
        )
    assert Observation.objects.get(pk=first.pk).volumes["1a"] == "1"


@pytest.mark.django_db
def test_an_import_that_changes_an_rt_year_makes_a_form_opened_before_it_stale(
    load_regions_under: Callable[..., int],
) -> None:
    load_regions_under("63.01")
    imported = {"actor": SYSTEM, "kind": "template", "source": "template", "file_name": "rt.csv"}
    import_rows([row(2)], **imported)
    stored = Observation.objects.get()
    opened = stored.version
    report = import_rows([row(2, share="0.25")], **imported)
    assert report.updated == 1
    with pytest.raises(StaleEdit):
        save_observation(
            actor=SYSTEM,
            rt=stored.rt,
            tahun=stored.tahun,
            header=HEADER,
            volumes=volumes(0),
            expected_version=opened,
        )
    assert Observation.objects.get().version == opened + 1

"""The investment file import: every refusal names file, row, column and value; all or nothing;
a re-import changes nothing; the run is recorded and each stored row audited."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

import pytest

from sikumuh.audit.actions import Actor
from sikumuh.audit.models import AuditEntry
from sikumuh.core.rows import ImportReport
from sikumuh.investments.models import Investment
from sikumuh.io.investment_file import REQUIRED, import_investment_file
from sikumuh.io.models import ImportRun
from sikumuh.regions.models import Region
from sikumuh.surveys.actions import save_observation
from sikumuh.surveys.review import lock_year
from tests import factories

pytestmark = pytest.mark.django_db

SARANG_HALANG = "63.01.03.1001"
BENUA_LAWAS = "63.01.01.2001"
HEADER = ",".join(REQUIRED) + ",status,keterangan"
GOOD = f"{SARANG_HALANG},L-01,001,2023,2b,200,m,Pengaspalan jalan,apbd,150000000,realisasi,"
ACTOR = Actor.system("test")


@pytest.fixture
def desa(load_regions_under: Callable[..., int]) -> None:
    """L-01 in Sarang Halang with RTs 001 (surveyed 2022: 390 m of bad road) and 002; L-02 in
    Benua Lawas with RT 001."""
    load_regions_under("63.01")
    loc = factories.location("L-01", SARANG_HALANG)
    rt1 = factories.rt(loc, "001")
    factories.rt(loc, "002")
    factories.rt(factories.location("L-02", BENUA_LAWAS), "001")
    save_observation(
        actor=ACTOR,
        rt=rt1,
        tahun=2022,
        header=factories.HEADER,
        volumes=factories.volumes_at("0.5"),
    )


def run(*lines: str, skip: bool = False, name: str = "investasi.csv") -> ImportReport:
    data = "\n".join([HEADER, *lines]).encode()
    return import_investment_file(
        data, file_name=name, region_code="63.01", actor=ACTOR, skip_invalid=skip
    )


def with_cell(column: str, value: str) -> str:
    cells = GOOD.split(",")
    names = [*REQUIRED, "status", "keterangan"]
    cells[names.index(column)] = value
    return ",".join(cells)


REFUSALS = [
    # (column, value, a fragment of the Indonesian reason)
    ("lokasi", "L-99", "tidak ada di basis data"),
    ("rt", "077", "RT 077 lokasi L-01 tidak ada"),
    ("kode_desa", "33.75.01.1001", "bukan desa wilayah 63.01"),
    ("kode_desa", BENUA_LAWAS, f"terletak di desa {SARANG_HALANG}"),
    # A criterion of 2016's rule set only: refused for an RT whose data use 2018's.
    ("kriteria", "4d", "tidak ada dalam aturan Permen PUPR No. 14/PRT/M/2018 yang dipakai data RT"),
    ("kriteria", "9z", "bukan salah satu"),
    ("kriteria", "", "kosong"),
    ("satuan", "KK", "satuan kriteria 2b adalah m"),
    ("volume", "-5", "harus lebih dari nol"),
    ("volume", "0", "harus lebih dari nol"),
    ("volume", "banyak", "bukan angka"),
    ("tahun", "23", "bukan tahun"),
    ("tahun", "1890", "bukan tahun"),
    ("biaya_rp", "150 juta", "bukan jumlah rupiah"),
    ("sumber_dana", "hibah", "sumber dana tidak dikenal"),
    ("status", "selesai", "rencana atau realisasi"),
    ("kegiatan", "", "kosong"),
]


@pytest.mark.parametrize(("column", "value", "fragment"), REFUSALS)
def test_a_bad_cell_refuses_the_file_naming_row_column_and_value_and_stores_nothing(
    desa: None, column: str, value: str, fragment: str
) -> None:
    report = run(with_cell("kegiatan", "Perbaikan jalan"), with_cell(column, value))
    assert report.status == "rejected"
    [problem] = report.errors
    assert (problem.file, problem.row, problem.column) == ("investasi.csv", "3", column)
    assert problem.value == value
    assert fragment in problem.reason
    assert Investment.objects.count() == 0
    assert ImportRun.objects.get().status == "rejected"


def test_a_missing_column_refuses_the_file_on_row_1(desa: None) -> None:
    data = b"kode_desa,lokasi\n63.01.03.1001,L-01\n"
    report = import_investment_file(data, file_name="x.csv", region_code="63.01", actor=ACTOR)
    assert report.status == "rejected"
    assert report.errors[0].row == "1"
    assert "kolom wajib tidak ada" in report.errors[0].reason


def test_a_file_with_a_negative_volume_or_an_unknown_rt_is_refused_with_nothing_stored(
    desa: None,
) -> None:
    negative = with_cell("kegiatan", "Jalan").replace(",200,", ",-1,")
    report = run(GOOD, negative, with_cell("rt", "099"))
    assert report.status == "rejected"
    assert {(p.row, p.column) for p in report.errors} == {("3", "volume"), ("4", "rt")}
    assert Investment.objects.count() == 0
    assert not AuditEntry.objects.filter(action__startswith="investment.").exists()


def test_skip_invalid_stores_the_valid_rows_and_lists_the_rest(desa: None) -> None:
    report = run(GOOD, with_cell("rt", "099"), skip=True)
    assert (report.status, report.created, report.rejected_rows) == ("partial", 1, ["3"])
    assert Investment.objects.count() == 1


def test_a_valid_file_is_stored_audited_and_recorded_and_a_reimport_changes_nothing(
    desa: None,
) -> None:
    location_level = with_cell("rt", "")
    indonesian = (
        f'{SARANG_HALANG},L-01,002,2023,4b,"12,5",meter,Saluran,APBD Kabupaten/Kota,'
        '"1.250.000",rencana,tahap 1'
    )
    report = run(GOOD, location_level, indonesian)
    assert (report.status, report.created) == ("committed", 3)
    stored = Investment.objects.get(criterion="4b")
    assert (stored.volume, stored.unit, stored.cost) == (Decimal("12.5"), "m", Decimal(1250000))
    assert (stored.status, stored.note, stored.funding_source) == ("rencana", "tahap 1", "apbd")
    assert Investment.objects.filter(rt__isnull=True).count() == 1
    assert AuditEntry.objects.filter(action="investment.create").count() == 3
    again = run(GOOD, location_level, indonesian)
    assert (again.status, again.unchanged, again.created) == ("unchanged", 3, 0)
    assert Investment.objects.count() == 3
    assert [r.status for r in ImportRun.objects.order_by("id")] == ["committed", "unchanged"]


def test_the_same_activity_from_two_sources_is_two_investments(desa: None) -> None:
    report = run(GOOD, with_cell("sumber_dana", "swadaya"))
    assert report.created == 2


def test_a_repeated_row_is_refused(desa: None) -> None:
    report = run(GOOD, GOOD)
    assert [(p.row, p.column) for p in report.errors] == [("3", "kegiatan")]


def test_a_changed_cost_updates_the_stored_investment_with_an_audit_entry(desa: None) -> None:
    run(GOOD)
    report = run(with_cell("biaya_rp", "160000000"))
    assert (report.status, report.updated) == ("committed", 1)
    assert Investment.objects.get().cost == Decimal(160000000)
    assert AuditEntry.objects.filter(action="investment.update").count() == 1


def test_a_volume_far_above_the_rts_own_is_a_warning_not_an_error(desa: None) -> None:
    report = run(with_cell("volume", "800"))  # the RT has 390 m of bad road
    assert report.status == "committed"
    [warning] = report.warnings
    assert (warning.column, warning.value) == ("volume", "800")
    assert "lebih dari dua kali" in warning.reason


def test_a_locked_year_refuses_new_rows_but_passes_unchanged_ones(desa: None) -> None:
    run(GOOD)
    lock_year(actor=ACTOR, kabupaten=Region.objects.get(code="63.01"), tahun=2023)
    report = run(GOOD, with_cell("kegiatan", "Jalan baru"))
    assert report.status == "rejected"
    [problem] = report.errors
    assert (problem.row, problem.column, problem.value) == ("3", "tahun", "2023")
    assert "terkunci" in problem.reason
    assert Investment.objects.count() == 1


def test_an_unreadable_file_is_a_rejected_run_without_a_traceback(desa: None) -> None:
    report = import_investment_file(
        b"PK\x03\x04garbage", file_name="x.xlsx", region_code="63.01", actor=ACTOR
    )
    assert report.status == "rejected"
    assert "tidak dapat dibaca" in report.errors[0].reason


def test_skip_invalid_with_every_row_invalid_is_a_rejection_not_unchanged(desa: None) -> None:
    # As the RT import: skipping every row stores nothing, and the run says it was refused.
    report = run(with_cell("rt", "099"), with_cell("lokasi", "L-99"), skip=True)
    assert (report.status, report.rejected_rows) == ("rejected", ["2", "3"])
    assert ImportRun.objects.get().status == "rejected"
    assert Investment.objects.count() == 0


def test_problems_are_listed_in_the_order_of_the_rows(desa: None) -> None:
    # Row 2's unit is checked against the RT's data after row 3's cells: listed first all the same.
    negative = with_cell("volume", "-5").replace("Pengaspalan jalan", "Saluran")
    report = run(with_cell("satuan", "KK"), negative, with_cell("rt", "099"))
    assert [(p.row, p.column) for p in report.errors] == [
        ("2", "satuan"),
        ("3", "volume"),
        ("4", "rt"),
    ]


def test_the_lists_download_imports_back_unchanged_with_the_references_of_its_source(
    desa: None,
) -> None:
    # Investments of the motorkawanku import (and the demo) carry a reference to their source
    # row; the Investasi download writes it as `referensi`, and the import reads it back, so
    # the download of the list re-imports as "unchanged" instead of doubling those investments.
    import io as text_io

    from sikumuh.io.exporters import investments
    from sikumuh.io.tables import write_table
    from sikumuh.slums.models import Location

    loc = Location.objects.get(code="L-01")
    Investment.objects.create(
        location=loc,
        rt=loc.rts.get(rt="001"),
        criterion="2b",
        tahun=2023,
        activity="Pengaspalan jalan",
        volume=Decimal(120),
        unit="m",
        funding_source="apbd",
        cost=Decimal(1250000),
        source_ref="motorkawanku:investasi.csv:12",
    )
    Investment.objects.create(
        location=loc,
        rt=None,
        criterion="4b",
        tahun=2024,
        activity="Saluran",
        volume=Decimal(30),
        unit="m",
    )
    header, rows = investments("63.01")
    out = text_io.StringIO()
    write_table(header, rows, out)
    report = import_investment_file(
        out.getvalue().encode(), file_name="unduhan.csv", region_code="63.01", actor=ACTOR
    )
    assert report.errors == []
    assert (report.status, report.unchanged, report.created) == ("unchanged", 2, 0)
    assert Investment.objects.count() == 2


def test_a_reference_longer_than_its_field_is_refused(desa: None) -> None:
    line = GOOD + ",," + "x" * 101
    data = "\n".join([HEADER + ",nama_lokasi,referensi", line]).encode()
    report = import_investment_file(data, file_name="a.csv", region_code="63.01", actor=ACTOR)
    assert [(p.row, p.column) for p in report.errors] == [("2", "referensi")]

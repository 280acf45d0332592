"""The SK lampiran importer: every refusal names file, row, column and value in Indonesian, and
nothing is written unless the whole file is valid."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

import pytest

from sikumuh.audit.models import AuditEntry
from sikumuh.io.models import ImportRun
from sikumuh.io.sk_import import check_lampiran, import_lampiran, lampiran_diff
from sikumuh.io.sk_lampiran import COLUMNS, lampiran_rows, problem_line
from sikumuh.io.tables import write_table
from sikumuh.regions.models import Region
from sikumuh.slums.actions import create_decree
from sikumuh.slums.models import Location, SkDecree
from tests.factories import ACTOR, location

pytestmark = pytest.mark.django_db

FILE = "lampiran.csv"
SARANG_HALANG = "63.01.03.1001"
ANGSAU = "63.01.03.1002"
HEADER = "kode_desa,kode_lokasi,nama_lokasi,luas_ha"


@pytest.fixture
def sk(load_regions_under: Callable[..., int]) -> SkDecree:
    load_regions_under("63.01", "33.75")
    one, two = location("TL-01", SARANG_HALANG), location("TL-02", ANGSAU)
    return create_decree(
        actor=ACTOR,
        kabupaten=Region.objects.get(code="63.01"),
        number="SK-2020",
        year=2020,
        date=dt.date(2020, 6, 15),
        entries=[(one, Decimal("4.95")), (two, Decimal("10.5"))],
    )


def tanah_laut() -> Region:
    return Region.objects.get(code="63.01")


def csv_file(*lines: str, name: str = FILE) -> io.BytesIO:
    data = io.BytesIO("\n".join(lines).encode("utf-8"))
    data.name = name
    return data


def check(*lines: str, number: str = "SK-2023", date: dt.date = dt.date(2023, 3, 1)) -> list[str]:
    result = check_lampiran(csv_file(*lines), kabupaten=tanah_laut(), number=number, date=date)
    return [problem_line(p) for p in result.errors]


# (case, file lines, the one expected message)
REFUSALS = [
    (
        "unknown desa code",
        [HEADER, "63.01.03.9999,TL-01,Lokasi TL-01,4.95"],
        (
            "lampiran.csv, baris 2, kolom kode_desa, nilai '63.01.03.9999': kode desa/kelurahan "
            "tidak dikenal"
        ),
    ),
    (
        "desa of another kabupaten",
        [HEADER, "33.75.01.1002,TL-09,Baru,1"],
        (
            "lampiran.csv, baris 2, kolom kode_desa, nilai '33.75.01.1002': desa/kelurahan tidak "
            "berada di Kabupaten Tanah Laut"
        ),
    ),
    (
        "a kecamatan given as desa",
        [HEADER, "63.01.03,TL-09,Baru,1"],
        (
            "lampiran.csv, baris 2, kolom kode_desa, nilai '63.01.03': kode desa/kelurahan tidak "
            "dikenal"
        ),
    ),
    (
        "duplicate location code",
        [HEADER, f"{SARANG_HALANG},TL-01,Lokasi TL-01,4.95", f"{SARANG_HALANG},TL-01,Lagi,1"],
        (
            "lampiran.csv, baris 3, kolom kode_lokasi, nilai 'TL-01': lokasi sudah tercantum pada "
            "baris 2"
        ),
    ),
    (
        "negative hectares",
        [HEADER, f"{SARANG_HALANG},TL-01,Lokasi TL-01,-4.95"],
        "lampiran.csv, baris 2, kolom luas_ha, nilai '-4.95': luas harus lebih dari 0 ha",
    ),
    (
        "zero hectares",
        [HEADER, f"{SARANG_HALANG},TL-01,Lokasi TL-01,0"],
        "lampiran.csv, baris 2, kolom luas_ha, nilai '0': luas harus lebih dari 0 ha",
    ),
    (
        "hectares that are not a number",
        [HEADER, f"{SARANG_HALANG},TL-01,Lokasi TL-01,empat"],
        "lampiran.csv, baris 2, kolom luas_ha, nilai 'empat': bukan angka luas (ha)",
    ),
    (
        "a plain number in a file written with decimal commas",
        [HEADER, f'{SARANG_HALANG},TL-01,Lokasi TL-01,"4,95"', f"{ANGSAU},TL-02,Dua,10.5"],
        "lampiran.csv, baris 3, kolom luas_ha, nilai '10.5': bukan angka luas (ha)",
    ),
    (
        "empty hectares",
        [HEADER, f"{SARANG_HALANG},TL-01,Lokasi TL-01,"],
        "lampiran.csv, baris 2, kolom luas_ha, nilai '': luas kosong",
    ),
    (
        "more than 4 decimals",
        [HEADER, f"{SARANG_HALANG},TL-01,Lokasi TL-01,4.95001"],
        (
            "lampiran.csv, baris 2, kolom luas_ha, nilai '4.95001': luas memiliki lebih dari 4 "
            "angka desimal"
        ),
    ),
    (
        "missing column",
        ["kode_desa,kode_lokasi,luas_ha", f"{SARANG_HALANG},TL-01,4.95"],
        "lampiran.csv, baris 1, kolom nama_lokasi: kolom tidak ada",
    ),
    (
        "an existing location in another desa",
        [HEADER, f"{ANGSAU},TL-01,Lokasi TL-01,4.95"],
        (
            f"lampiran.csv, baris 2, kolom kode_desa, nilai '{ANGSAU}': lokasi TL-01 berada di "
            f"desa Sarang Halang ({SARANG_HALANG})"
        ),
    ),
    (
        "unknown typology",
        ["kode_desa,kode_lokasi,nama_lokasi,tipologi,luas_ha", f"{ANGSAU},TL-09,Baru,di laut,1"],
        (
            "lampiran.csv, baris 2, kolom tipologi, nilai 'di laut': tipologi tidak dikenal; "
            "salah satu dari: Di atas air, Di tepi air, Di dataran rendah, Di perbukitan, "
            "Di daerah rawan bencana"
        ),
    ),
    (
        "empty location name",
        [HEADER, f"{ANGSAU},TL-09,,1"],
        "lampiran.csv, baris 2, kolom nama_lokasi, nilai '': nama lokasi kosong",
    ),
    (
        "header only",
        [HEADER],
        "lampiran.csv, baris 2: berkas tidak mencantumkan lokasi",
    ),
]


@pytest.mark.parametrize(
    ("lines", "message"), [c[1:] for c in REFUSALS], ids=[c[0] for c in REFUSALS]
)
def test_each_bad_row_is_refused_naming_file_row_column_and_value_in_indonesian(
    sk: SkDecree, lines: list[str], message: str
) -> None:
    assert check(*lines) == [message]


PARTICULARS = [
    (
        "a date before the previous version's",
        {"date": dt.date(2020, 6, 14)},
        (
            "lampiran.csv, baris -, kolom --date, nilai '2020-06-14': tanggal sebelum tanggal SK "
            "SK-2020 (2020-06-15), versi yang digantikannya"
        ),
    ),
    (
        "a number already registered",
        {"number": "SK-2020"},
        (
            "lampiran.csv, baris -, kolom --number, nilai 'SK-2020': SK dengan nomor ini sudah "
            "terdaftar untuk Kabupaten Tanah Laut"
        ),
    ),
]


@pytest.mark.parametrize(
    ("particulars", "message"), [c[1:] for c in PARTICULARS], ids=[c[0] for c in PARTICULARS]
)
def test_the_new_versions_number_and_date_are_checked(
    sk: SkDecree, particulars: dict[str, object], message: str
) -> None:
    lines = [HEADER, f"{SARANG_HALANG},TL-01,Lokasi TL-01,4.95"]
    assert check(*lines, **particulars) == [message]  # type: ignore[arg-type]


def test_hectares_are_read_in_indonesian_or_plain_writing(sk: SkDecree) -> None:
    for cell in ('"4,95"', "4.95"):
        result = check_lampiran(
            csv_file(HEADER, f"{SARANG_HALANG},TL-01,Lokasi TL-01,{cell}"),
            kabupaten=tanah_laut(),
            number="SK-2023",
            date=dt.date(2023, 3, 1),
        )
        assert result.preview is not None
        assert [row.luas_ha for row in result.preview.lampiran.rows] == [Decimal("4.95")]


def test_a_file_with_errors_writes_nothing(sk: SkDecree) -> None:
    before = (SkDecree.objects.count(), Location.objects.count(), AuditEntry.objects.count())
    result = import_lampiran(
        csv_file(HEADER, f"{ANGSAU},TL-09,Baru,1", f"{ANGSAU},TL-10,Lain,-1"),
        actor=ACTOR,
        kabupaten=tanah_laut(),
        number="SK-2023",
        date=dt.date(2023, 3, 1),
    )
    assert result.status == "rejected"
    after = (SkDecree.objects.count(), Location.objects.count(), AuditEntry.objects.count())
    assert after == before


def exported(decree: SkDecree, fmt: str, tmp_path: Path) -> Path:
    path = tmp_path / f"lampiran.{fmt}"
    if fmt == "csv":
        with open(path, "w", encoding="utf-8") as out:
            write_table(COLUMNS, lampiran_rows(decree), out, "csv")
    else:
        write_table(COLUMNS, lampiran_rows(decree), path, "xlsx")
    return path


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_an_exported_lampiran_imports_back_as_no_change(
    sk: SkDecree, fmt: str, tmp_path: Path
) -> None:
    Location.objects.filter(code="TL-02").update(name="=HYPERLINK(1)")  # neutralised, read back
    result = import_lampiran(
        exported(sk, fmt, tmp_path),
        actor=ACTOR,
        kabupaten=tanah_laut(),
        number="SK-2023",
        date=dt.date(2023, 3, 1),
    )
    assert (result.status, result.problems) == ("unchanged", [])
    assert SkDecree.objects.count() == 1


def test_a_new_version_adds_a_new_location_and_audits_it(sk: SkDecree) -> None:
    result = import_lampiran(
        csv_file(
            "kode_desa,kode_lokasi,nama_lokasi,tipologi,luas_ha",
            f"{SARANG_HALANG},TL-01,Lokasi TL-01,,5",
            f"{ANGSAU},TL-03,Tepi Sungai,Di tepi air,2.5",
        ),
        actor=ACTOR,
        kabupaten=tanah_laut(),
        number="SK-2023",
        date=dt.date(2023, 3, 1),
    )
    assert (result.status, result.created, result.updated) == ("committed", 1, 1)
    check = result.preview
    assert check is not None
    assert check.decree is not None
    assert check.decree.supersedes == sk
    assert check.decree.year == 2023
    assert Location.objects.get(code="TL-03").typology == "di_tepi_air"
    diff = check.diff
    assert diff is not None
    assert [c.code for c in diff.added] == ["TL-03"]
    assert [c.code for c in diff.dropped] == ["TL-02"]
    assert [(c.code, c.ha_before, c.ha_after) for c in diff.changed] == [
        ("TL-01", Decimal("4.95"), Decimal("5.0000"))
    ]
    assert (diff.total_before, diff.total_after) == (Decimal("15.45"), Decimal("7.5000"))
    actions = set(AuditEntry.objects.values_list("action", flat=True))
    assert {"sk.create", "sk.version", "sk.superseded", "location.create"} <= actions


DIFFS = [
    ("nothing before", {}, {"A": ("a", Decimal(1))}, (["A"], [], [], 0)),
    ("same", {"A": ("a", Decimal(1))}, {"A": ("a", Decimal("1.0"))}, ([], [], [], 1)),
    ("dropped", {"A": ("a", Decimal(1))}, {}, ([], ["A"], [], 0)),
    ("changed", {"A": ("a", Decimal(1))}, {"A": ("a", Decimal(2))}, ([], [], ["A"], 0)),
]


@pytest.mark.parametrize(
    ("before", "after", "expected"), [d[1:] for d in DIFFS], ids=[d[0] for d in DIFFS]
)
def test_the_diff_sorts_each_location_into_added_dropped_changed_or_unchanged(
    before: dict[str, tuple[str, Decimal]],
    after: dict[str, tuple[str, Decimal]],
    expected: tuple[list[str], list[str], list[str], int],
) -> None:
    diff = lampiran_diff(before, after)
    got = (
        [c.code for c in diff.added],
        [c.code for c in diff.dropped],
        [c.code for c in diff.changed],
        diff.unchanged,
    )
    assert got == expected


@pytest.mark.parametrize(
    ("lines", "status", "counts"),
    [
        ([HEADER, f"{SARANG_HALANG},TL-01,Lokasi TL-01,5"], "committed", (1, 0, 1, 0)),
        ([HEADER, f"{SARANG_HALANG},TL-01,Lokasi TL-01,-5"], "rejected", (1, 0, 0, 1)),
        (
            [HEADER, f"{SARANG_HALANG},TL-01,Lokasi TL-01,4.95", f"{ANGSAU},TL-02,Lokasi,10.5"],
            "unchanged",
            (2, 0, 0, 0),
        ),
    ],
)
def test_every_import_run_is_recorded_with_its_status(
    sk: SkDecree, lines: list[str], status: str, counts: tuple[int, int, int, int]
) -> None:
    import_lampiran(
        csv_file(*lines),
        actor=ACTOR,
        kabupaten=tanah_laut(),
        number="SK-2023",
        date=dt.date(2023, 3, 1),
    )
    run = ImportRun.objects.get()
    assert (run.kind, run.region_code, run.status) == ("sk-lampiran", "63.01", status)
    assert (run.rows_total, run.rows_created, run.rows_updated, run.rows_rejected) == counts


@pytest.mark.parametrize(
    ("registered", "cell", "warnings"),
    [
        ("di_tepi_air", "", []),  # an empty cell claims no typology
        ("di_tepi_air", "Di tepi air", []),
        (
            "di_tepi_air",
            "Di perbukitan",
            [
                (
                    "lampiran.csv, baris 2, kolom tipologi, nilai 'Di perbukitan': berbeda dari "
                    "tipologi terdaftar Di tepi air, yang tetap dipakai"
                )
            ],
        ),
        (
            "",
            "di_perbukitan",
            [
                (
                    "lampiran.csv, baris 2, kolom tipologi, nilai 'di_perbukitan': berbeda dari "
                    "tipologi terdaftar tanpa tipologi, yang tetap dipakai"
                )
            ],
        ),
    ],
)
def test_a_typology_other_than_the_registered_one_is_a_warning_naming_both(
    sk: SkDecree, registered: str, cell: str, warnings: list[str]
) -> None:
    Location.objects.filter(code="TL-01").update(typology=registered)
    result = check_lampiran(
        csv_file(
            "kode_desa,kode_lokasi,nama_lokasi,tipologi,luas_ha",
            f"{SARANG_HALANG},TL-01,Lokasi TL-01,{cell},5",
        ),
        kabupaten=tanah_laut(),
        number="SK-2023",
        date=dt.date(2023, 3, 1),
    )
    assert [problem_line(p) for p in result.warnings] == warnings

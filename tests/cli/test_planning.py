"""`sikumuh projection` and `sikumuh plan` on a fresh database with generated RTs of one desa."""

from __future__ import annotations

import csv
import io
import itertools
import json
import random
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

import pytest

from sikumuh.cli import main
from sikumuh.core.criteria import PERMEN_PUPR_14_2018, SlumClass
from sikumuh.core.decimals import to_micro
from sikumuh.core.planning import cheapest_graduation, costs_to_micro
from sikumuh.core.scoring import UnitInput, score_unit
from sikumuh.investments.models import Investment
from sikumuh.slums.models import RtUnit
from sikumuh.surveys.actions import save_observation
from sikumuh.surveys.models import Observation
from sikumuh.surveys.scoring import header_of, unit_input
from tests.conftest import REPO
from tests.factories import ACTOR, header, location, rt

pytestmark = pytest.mark.django_db

DESA = "63.01.03.1001"
SEED = 20261207

#: The illustrative default unit-cost table of docs/planning.md.
UNIT_COSTS = (REPO / "docs" / "biaya-satuan.csv").read_text(encoding="utf-8")


def call(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(list(argv), out=out, err=err)
    return code, out.getvalue(), err.getvalue()


@pytest.fixture
def desa(load_regions_under: Callable[..., int]) -> list[RtUnit]:
    """Eight RTs of one desa observed in 2021, volumes drawn from a seed (most are slums)."""
    load_regions_under("63.01")
    loc = location(desa=DESA)
    rng = random.Random(SEED)
    units = []
    for number in range(1, 9):
        unit = rt(loc, f"{number:03d}")
        h = header(f"{rng.randint(5, 40) / 10:.1f}")
        trouble = rng.choice([0.1, 0.3, 0.5, 0.6, 0.8])
        volumes: dict[str, Decimal | None] = {}
        for criterion in PERMEN_PUPR_14_2018.criteria:
            denominator = h[criterion.denominator]
            assert denominator is not None
            share = min(1.0, max(0.0, rng.gauss(trouble, 0.15)))
            places = Decimal("0.01") if criterion.unit in {"m", "ha"} else Decimal(1)
            volumes[criterion.code] = (denominator * Decimal(str(share))).quantize(places)
        save_observation(actor=ACTOR, rt=unit, tahun=2021, header=h, volumes=volumes)
        units.append(unit)
    return units


def _unit(rt_unit: RtUnit) -> tuple[UnitInput, Decimal]:
    obs = Observation.objects.get(rt=rt_unit, tahun=2021)
    assert obs.luas_ha is not None
    return unit_input(header_of(obs), obs.volumes, obs.percents), obs.luas_ha


def _slum(rt_unit: RtUnit) -> bool:
    klass = score_unit(_unit(rt_unit)[0]).klass
    return klass is not None and klass is not SlumClass.TIDAK_KUMUH


def test_investments_removing_every_volume_of_one_slum_rt_drop_exactly_its_hectares(
    desa: list[RtUnit],
) -> None:
    target = next(u for u in desa if _slum(u))
    unit, luas = _unit(target)
    for code, volume in unit.volumes.items():
        if volume:
            Investment.objects.create(
                location=target.location,
                rt=target,
                criterion=code,
                tahun=2022,
                activity="test",
                volume=volume,
            )
    Investment.objects.create(  # a location-level work: money and output only
        location=target.location, criterion="2b", tahun=2022, activity="test", volume=100
    )
    code, out, _ = call(
        "projection", "--region", DESA, "--base-year", "2021", "--until", "2022", "--format", "json"
    )
    assert code == 0
    report = json.loads(out)
    dropped = Decimal(str(report["measured_slum_ha"])) - Decimal(str(report["projected_slum_ha"]))
    assert dropped == luas
    assert report["investments_counted"] == sum(1 for v in unit.volumes.values() if v)
    assert report["investments_location_level"] == 1
    row = next(r for r in report["units"] if r["rt"] == target.rt)
    assert (row["projected_total"], row["projected_class"]) == (0, "tidak_kumuh")
    others = [r for r in report["units"] if r["rt"] != target.rt]
    assert all(r["total"] == r["projected_total"] for r in others)
    assert set(report["by_class"]["tidak_kumuh"]) == {
        "measured_ha",
        "measured_rt",
        "projected_ha",
        "projected_rt",
    }


def test_projection_before_any_investment_year_changes_nothing_and_says_so_in_text(
    desa: list[RtUnit],
) -> None:
    code, out, _ = call("projection", "--region", DESA, "--base-year", "2021", "--until", "2021")
    assert code == 0
    assert "0 investasi RT dihitung" in out
    assert any(line.startswith("  Kumuh ") and " RT → " in line for line in out.splitlines())


@pytest.fixture
def costs_file(tmp_path: Path) -> Path:
    path = tmp_path / "biaya.csv"
    path.write_text(UNIT_COSTS, encoding="utf-8")
    return path


def _brute_force_ha(desa: list[RtUnit], budget: int) -> Decimal:
    """The best hectares over every subset of graduable RTs, each at its cheapest graduation."""
    costs = costs_to_micro(
        {
            line.split(";")[0]: Decimal(line.split(";")[2].replace(".", ""))
            for line in UNIT_COSTS.splitlines()[1:]
        }
    )
    items = []
    for rt_unit in desa:
        unit, luas = _unit(rt_unit)
        graduation = cheapest_graduation(unit, PERMEN_PUPR_14_2018, costs)
        if graduation is not None:
            items.append((luas, graduation.cost))
    best = Decimal(0)
    for pick in itertools.product((0, 1), repeat=len(items)):
        chosen = [item for item, x in zip(items, pick, strict=True) if x]
        if sum(c for _, c in chosen) <= budget:
            best = max(best, sum((ha for ha, _ in chosen), Decimal(0)))
    return best


@pytest.mark.parametrize("budget", [150_000_000, 600_000_000, 2_000_000_000])
def test_plan_graduates_the_hectares_of_the_exact_optimum_as_its_actions_rescore(
    desa: list[RtUnit], costs_file: Path, budget: int
) -> None:
    code, out, _ = call(
        "plan",
        "--region",
        DESA,
        "--tahun",
        "2021",
        "--budget",
        str(budget),
        "--unit-costs",
        str(costs_file),
        "--format",
        "json",
    )
    assert code == 0
    report = json.loads(out)
    if budget == 2_000_000_000:
        assert len(report["rts"]) >= 2  # the case is not empty
    by_rt = {u.rt: u for u in desa}
    total_ha, total_cost = Decimal(0), 0
    for row in report["rts"]:
        unit, luas = _unit(by_rt[row["rt"]])
        volumes = dict(unit.volumes)
        for action in row["actions"]:
            before = volumes[action["kriteria"]]
            assert before is not None
            volumes[action["kriteria"]] = before - Decimal(str(action["volume"]))
            total_cost += action["biaya"]
        after = score_unit(UnitInput(header=unit.header, volumes=volumes))
        assert after.klass is SlumClass.TIDAK_KUMUH
        assert after.total == row["total_after"]
        total_ha += luas
    assert total_cost == report["cost"] <= budget
    assert Decimal(str(report["graduated_ha"])) == total_ha == _brute_force_ha(desa, budget)
    assert report["greedy_graduated_ha"] <= report["graduated_ha"]


def test_plan_exports_its_actions_as_a_planned_investment_file(
    desa: list[RtUnit], costs_file: Path, tmp_path: Path
) -> None:
    target = tmp_path / "rencana.csv"
    code, out, err = call(
        "plan",
        "--region",
        DESA,
        "--tahun",
        "2021",
        "--budget",
        "1.000.000.000",
        "--unit-costs",
        str(costs_file),
        "--export-investments",
        str(target),
    )
    assert code == 0
    assert "RT lulus" in out
    rows = list(csv.DictReader(io.StringIO(target.read_text(encoding="utf-8"))))
    assert rows
    assert list(rows[0]) == [
        "kode_desa",
        "lokasi",
        "rt",
        "tahun",
        "kriteria",
        "volume",
        "satuan",
        "kegiatan",
        "sumber_dana",
        "biaya_rp",
        "status",
        "keterangan",
    ]
    assert {r["status"] for r in rows} == {"rencana"}
    assert {r["kode_desa"] for r in rows} == {DESA}
    assert sum(int(r["biaya_rp"]) for r in rows) <= 1_000_000_000
    assert to_micro(Decimal(rows[0]["volume"])) > 0
    assert "rencana.csv" in err


BAD_TABLES = [
    (
        "kriteria;satuan;biaya_per_satuan\n9z;m;1000\n",
        "biaya.csv, baris 2, kolom kriteria, nilai '9z': kriteria tidak dikenal (mis. 1a … 7b)",
    ),
    (
        "kriteria;satuan;biaya_per_satuan\n2b;KK;1000\n",
        "biaya.csv, baris 2, kolom satuan, nilai 'KK': satuan kriteria 2b adalah m",
    ),
    (
        "kriteria;satuan;biaya_per_satuan\n2b;m;seribu\n",
        "biaya.csv, baris 2, kolom biaya_per_satuan, nilai 'seribu': bukan angka",
    ),
    (
        "kriteria;satuan;biaya_per_satuan\n2b;m;-5\n",
        (
            "biaya.csv, baris 2, kolom biaya_per_satuan, nilai '-5': "
            "biaya dalam rupiah harus lebih dari 0"
        ),
    ),
    (
        "kriteria;satuan;biaya_per_satuan\n2b;m;5\n2b;m;6\n",
        "biaya.csv, baris 3, kolom kriteria, nilai '2b': kriteria ini sudah diberi biaya di atas",
    ),
    (
        "kriteria;biaya\n2b;5\n",
        (
            "biaya.csv, baris 1, kolom satuan: "
            "kolom tidak ada; kolomnya: kriteria, satuan, biaya_per_satuan"
        ),
    ),
]


@pytest.mark.parametrize(("table", "message"), BAD_TABLES)
def test_a_bad_unit_cost_table_is_refused_naming_file_row_column_and_value(
    desa: list[RtUnit], tmp_path: Path, table: str, message: str
) -> None:
    path = tmp_path / "biaya.csv"
    path.write_text(table, encoding="utf-8")
    code, out, err = call(
        "plan", "--region", DESA, "--tahun", "2021", "--budget", "1000", "--unit-costs", str(path)
    )
    assert code == 2
    assert out == ""
    assert message in err.splitlines()
    assert "biaya.csv: tabel biaya satuan ditolak" in err


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--budget", "-5"], "--budget -5: diperlukan bilangan bulat rupiah, 0 atau lebih"),
        (["--budget", "1,5"], "--budget 1,5: diperlukan bilangan bulat rupiah, 0 atau lebih"),
        (["--region", "99.99"], "kode wilayah tidak dikenal: 99.99"),
    ],
)
def test_plan_refuses_a_bad_budget_or_region_in_one_line(
    desa: list[RtUnit], costs_file: Path, argv: list[str], message: str
) -> None:
    args = {"--region": DESA, "--budget": "1000", **dict(zip(argv[::2], argv[1::2], strict=True))}
    flat = [x for k, v in args.items() for x in (k, v)]
    code, _, err = call("plan", *flat, "--tahun", "2021", "--unit-costs", str(costs_file))
    assert code == 2
    assert err == f"sikumuh: kesalahan: {message}\n"


def test_plan_reads_the_unit_costs_from_xlsx_with_numeric_cells(
    desa: list[RtUnit], tmp_path: Path
) -> None:
    import xlsxwriter

    path = tmp_path / "biaya.xlsx"
    book = xlsxwriter.Workbook(str(path))
    sheet = book.add_worksheet()
    sheet.write_row(0, 0, ["kriteria", "satuan", "biaya_per_satuan"])
    for i, line in enumerate(UNIT_COSTS.splitlines()[1:], start=1):
        code, unit, cost = line.split(";")
        sheet.write_row(i, 0, [code, unit, int(cost.replace(".", ""))])
    book.close()
    code, out, _ = call(
        "plan",
        "--region",
        DESA,
        "--tahun",
        "2021",
        "--budget",
        "600000000",
        "--unit-costs",
        str(path),
        "--format",
        "json",
    )
    assert code == 0
    assert Decimal(str(json.loads(out)["graduated_ha"])) == _brute_force_ha(desa, 600_000_000)


#: The JSON keys issue 10 names, for the two commands (more may follow them; none may be missing).
PROJECTION_KEYS = {
    "region",
    "base_year",
    "until",
    "measured_slum_ha",
    "projected_slum_ha",
    "investments_counted",
    "by_class",
    "units",
}
PROJECTION_UNIT_KEYS = {
    "kode_desa",
    "lokasi",
    "rt",
    "luas_ha",
    "total",
    "class",
    "projected_total",
    "projected_class",
}
PLAN_KEYS = {"region", "tahun", "budget", "cost", "graduated_ha", "greedy_graduated_ha", "rts"}
PLAN_RT_KEYS = {"kode_desa", "lokasi", "rt", "luas_ha", "total_before", "total_after", "actions"}


def test_the_json_of_both_commands_has_every_key_the_issue_names(
    desa: list[RtUnit], costs_file: Path
) -> None:
    code, out, _ = call(
        "projection", "--region", DESA, "--base-year", "2021", "--until", "2023", "--format", "json"
    )
    assert code == 0
    projection = json.loads(out)
    assert set(projection) >= PROJECTION_KEYS
    assert projection["units"]
    assert all(set(unit) >= PROJECTION_UNIT_KEYS for unit in projection["units"])
    assert {"measured_ha", "measured_rt", "projected_ha", "projected_rt"} <= set(
        projection["by_class"]["kumuh_ringan"]
    )
    code, out, _ = call(
        "plan",
        *("--region", DESA, "--tahun", "2021", "--budget", "2.000.000.000"),
        *("--unit-costs", str(costs_file), "--format", "json"),
    )
    assert code == 0
    plan = json.loads(out)
    assert set(plan) >= PLAN_KEYS
    assert plan["rts"]
    assert all(set(row) >= PLAN_RT_KEYS for row in plan["rts"])
    actions = [action for row in plan["rts"] for action in row["actions"]]
    assert actions
    assert all(set(action) == {"kriteria", "volume", "biaya"} for action in actions)


def test_a_plan_from_a_locked_years_figures_is_taken_by_the_import_as_works_of_the_next_year(
    desa: list[RtUnit], costs_file: Path, tmp_path: Path
) -> None:
    # The Pokja locks 2021 once its data are approved, then plans from them: the plan's works
    # are for 2022, so the import takes the file, and once realised they count in the kumuh
    # akhir from base year 2021 (base year < tahun).
    from sikumuh.regions.models import Region
    from sikumuh.surveys.review import lock_year

    lock_year(actor=ACTOR, kabupaten=Region.objects.get(code="63.01"), tahun=2021)
    target = tmp_path / "rencana.csv"
    code, _, _ = call(
        "plan",
        *("--region", DESA, "--tahun", "2021", "--budget", "1.000.000.000"),
        *("--unit-costs", str(costs_file), "--export-investments", str(target)),
    )
    assert code == 0
    rows = list(csv.DictReader(io.StringIO(target.read_text(encoding="utf-8"))))
    assert rows
    assert {r["tahun"] for r in rows} == {"2022"}
    code, out, _ = call("import", "investments", str(target), "--region", DESA)
    assert code == 0, out
    assert Investment.objects.filter(status="rencana", tahun=2022).count() == len(rows)

"""`sikumuh score FILE`: scores a template file without a database, fast, and exactly as the
per-row reference (bench/reference_score.py) does."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from python_calamine import CalamineWorkbook

from sikumuh.cli import main
from sikumuh.core.criteria import HEADER_FIELDS, get_rule_set
from sikumuh.io.template import write_blank_template
from tests.conftest import REPO

CODES_2018 = get_rule_set("permen-pupr-14-2018").codes
CODES_2016 = get_rule_set("permen-pupr-02-2016").codes
#: The worked example's RT (criteria.md §8) with 40 of 50 buildings irregular (1a).
RT: dict[str, str] = {
    "kode_desa": "63.01.01.2001",
    "lokasi": "KW-01",
    "rt": "003",
    "tahun": "2024",
    "luas_ha": "1,5",
    "jumlah_bangunan": "50",
    "jumlah_penduduk": "1.218",
    "jumlah_kk": "60",
    "panjang_jalan_ideal_m": "780",
    "panjang_drainase_ideal_m": "385",
    **{f"v_{c}": "0" for c in CODES_2018},
    "v_1a": "40",
    "v_2b": "605",
    "v_3a": "54",
    "v_4c": "310",
}


def template(
    tmp_path: Path, rows: list[dict[str, str]], sep: str = ";", name: str = "t.csv"
) -> Path:
    columns = ["kode_desa", "lokasi", "rt", "tahun", "rules", *HEADER_FIELDS]
    columns += [f"{p}_{c}" for p in "vp" for c in CODES_2016]
    used = [c for c in columns if any(c in r for r in rows)]
    path = tmp_path / name
    lines = [sep.join(used)] + [sep.join(r.get(c, "") for c in used) for r in rows]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def score(*args: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    status = main(["score", *args], out=out, err=err)
    return status, out.getvalue(), err.getvalue()


def test_each_row_gets_its_percentages_scores_total_and_class(tmp_path: Path) -> None:
    status, out, err = score(str(template(tmp_path, [RT, {**RT, "rt": "004", "v_1a": "0"}])))
    assert (status, err) == (0, "")
    first, second = csv.DictReader(io.StringIO(out))
    assert list(first)[:5] == ["row", "kode_desa", "lokasi", "rt", "tahun"]
    assert [k for k in first if k.startswith("p_")] == [f"p_{c}" for c in CODES_2018]
    assert (first["p_1a"], first["p_2b"], first["p_3a"], first["p_4c"]) == (
        "80.00",
        "77.56",
        "90.00",
        "80.52",
    )
    assert (first["s_1a"], first["s_2b"], first["s_3a"], first["s_4c"]) == ("5", "5", "5", "5")
    assert (first["row"], first["total"], first["class"]) == ("2", "20", "kumuh_ringan")
    assert (second["row"], second["total"], second["class"]) == ("3", "15", "tidak_kumuh")
    assert first["warnings"] == ""


def test_indonesian_and_plain_number_writing_score_the_same(tmp_path: Path) -> None:
    plain = {k: v.replace(".", "").replace(",", ".") for k, v in RT.items() if k != "kode_desa"}
    plain["kode_desa"] = RT["kode_desa"]
    a = score(str(template(tmp_path, [RT], ";", "id.csv")))
    b = score(str(template(tmp_path, [plain], ",", "plain.csv")))
    assert a == b
    assert "1.218" not in a[1]  # read as 1218 people, not 1.218


def test_an_xlsx_template_scores_like_its_csv(tmp_path: Path) -> None:
    numbers = {k: v.replace(".", "").replace(",", ".") for k, v in RT.items()}
    row: dict[str, Any] = {
        k: float(v) for k, v in numbers.items() if k not in ("kode_desa", "lokasi", "rt")
    }
    row |= {"kode_desa": RT["kode_desa"], "lokasi": "KW-01", "rt": "003"}
    write_blank_template(tmp_path / "t.xlsx", "xlsx", [row])
    assert score(str(tmp_path / "t.xlsx")) == score(str(template(tmp_path, [RT])))


@pytest.mark.parametrize("rt", ["003", "3", "03A", "1/2"])
def test_the_rt_is_echoed_exactly_as_given(tmp_path: Path, rt: str) -> None:
    _, out, _ = score(str(template(tmp_path, [{**RT, "rt": rt}])))
    assert next(csv.DictReader(io.StringIO(out)))["rt"] == rt


@pytest.mark.parametrize(
    ("changes", "line"),
    [
        (
            {"v_1a": "-5"},
            (
                "error: t.csv, row 3, column v_1a, value '-5.000000': Criterion 1a: volume "
                "-5.000000 is negative; a volume counts what is in bad condition and cannot be "
                "below zero."
            ),
        ),
        ({"v_2a": "n/a"}, "error: t.csv, row 3, column v_2a, value 'n/a': not a number"),
        ({"rt": ""}, "error: t.csv, row 3, column rt, value '': empty; required"),
        (
            {"v_3b": ""},
            (
                "error: t.csv, row 3, column v_3b: Criterion 3b: neither a volume nor a percentage "
                "is given."
            ),
        ),
    ],
)
def test_a_row_with_an_error_goes_to_stderr_and_the_status_is_1(
    tmp_path: Path, changes: dict[str, str], line: str
) -> None:
    status, out, err = score(str(template(tmp_path, [RT, {**RT, **changes}])))
    assert status == 1
    assert err.splitlines() == [line]
    assert [r["row"] for r in csv.DictReader(io.StringIO(out))] == ["2"]


@pytest.mark.parametrize(
    ("rows", "missing", "status", "errors"),
    [
        (0, None, 0, []),
        (
            1,
            "panjang_drainase_ideal_m",
            1,
            ["error: t.csv, row 1, column panjang_drainase_ideal_m: required column is missing"],
        ),
    ],
    ids=["header-only", "required-column-missing"],
)
def test_a_file_without_rows_to_score_gives_just_the_header(
    tmp_path: Path, rows: int, missing: str | None, status: int, errors: list[str]
) -> None:
    columns = [c for c in RT if c != missing]
    lines = [";".join(columns)] + [";".join(RT[c] for c in columns)] * rows
    path = tmp_path / "t.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = score(str(path))
    assert (result[0], result[2].splitlines()) == (status, errors)
    assert list(csv.reader(io.StringIO(result[1])))[1:] == []
    status_json, out, _ = score(str(path), "--format", "json")
    assert (status_json, json.loads(out)["units"]) == (status, [])


def test_a_volume_above_its_denominator_is_scored_with_a_warning(tmp_path: Path) -> None:
    status, out, _ = score(str(template(tmp_path, [{**RT, "v_1a": "60", "v_4c": "400"}])))
    row = next(csv.DictReader(io.StringIO(out)))
    assert status == 0
    assert (row["p_1a"], row["s_1a"]) == ("120.00", "5")
    assert row["warnings"] == "1a:volume_above_denominator;4c:volume_above_denominator"


def test_json_lists_units_with_two_decimal_percentages_and_the_errors(tmp_path: Path) -> None:
    path = template(tmp_path, [RT, {**RT, "v_1a": "x"}])
    status, out, err = score(str(path), "--format", "json")
    report = json.loads(out)
    assert status == 1
    assert err == ""
    assert report["rules"] == "permen-pupr-14-2018"
    (unit,) = report["units"]
    assert (unit["row"], unit["rt"], unit["lokasi"], unit["tahun"]) == (2, "003", "KW-01", 2024)
    assert unit["percent"]["2b"] == 77.56
    assert unit["score"]["2b"] == 5
    assert (unit["total"], unit["class"], unit["warnings"]) == (20, "kumuh_ringan", [])
    assert report["errors"] == [
        {"file": "t.csv", "row": "3", "column": "v_1a", "value": "x", "reason": "not a number"}
    ]


def test_rules_2016_scores_nineteen_criteria(tmp_path: Path) -> None:
    old = {**RT, "v_4d": "0", "v_4e": "385", "v_6c": "60"}
    status, out, _ = score(str(template(tmp_path, [old])), "--rules", "2016")
    row = next(csv.DictReader(io.StringIO(out)))
    assert status == 0
    assert [k[2:] for k in row if k.startswith("s_")] == list(CODES_2016)
    assert (row["s_4e"], row["s_6c"], row["total"], row["class"]) == (
        "5",
        "5",
        "30",
        "kumuh_ringan",
    )


def test_the_rules_option_overrides_the_files_rules_column(tmp_path: Path) -> None:
    path = template(tmp_path, [{**RT, "rules": "permen-pupr-02-2016"}])
    _, out_file, _ = score(str(path))
    _, out_override, _ = score(str(path), "--rules", "permen-pupr-14-2018")
    assert "s_4d" in out_file.splitlines()[0]  # the file's 2016 rule set ...
    assert "s_4d" not in out_override.splitlines()[0]  # ... overridden


@pytest.mark.parametrize(
    ("rows", "args", "message"),
    [
        ([RT, {**RT, "rules": "2016"}], [], "mixes rule sets"),
        ([RT], ["--rules", "2099"], "unknown rule set '2099'"),
        ([RT], ["--format", "xlsx"], "--format xlsx needs -o FILE"),
    ],
)
def test_a_file_level_problem_is_one_line_and_status_2(
    tmp_path: Path, rows: list[dict[str, str]], args: list[str], message: str
) -> None:
    status, out, err = score(str(template(tmp_path, rows)), *args)
    assert (status, out) == (2, "")
    assert err.startswith("sikumuh: kesalahan: ")
    assert message in err
    assert err.count("\n") == 1


def test_a_missing_file_is_a_clear_error(tmp_path: Path) -> None:
    status, _, err = score(str(tmp_path / "nowhere.csv"))
    assert status == 2
    assert "no such file" in err


def test_xlsx_output_goes_to_the_named_file_with_formulas_neutralised(tmp_path: Path) -> None:
    target = tmp_path / "hasil.xlsx"
    path = template(tmp_path, [{**RT, "lokasi": "=HYPERLINK(1)"}])
    status, out, err = score(str(path), "--format", "xlsx", "-o", str(target))
    assert (status, out) == (0, "")
    assert "scored 1 of 1 rows under permen-pupr-14-2018" in err
    sheet = CalamineWorkbook.from_path(str(target)).get_sheet_by_name("data").to_python()
    header, row = sheet
    assert row[header.index("lokasi")] == "'=HYPERLINK(1)"
    assert row[header.index("p_2b")] == 77.56


def _bench_modules(monkeypatch: pytest.MonkeyPatch) -> tuple[Any, Any]:
    monkeypatch.syspath_prepend(str(REPO / "bench"))
    import reference_score
    import score_bench

    return score_bench, reference_score


@pytest.mark.parametrize("small_blocks", [False, True], ids=["blocks", "small-blocks"])
@pytest.mark.parametrize("rule_set_id", ["permen-pupr-14-2018", "permen-pupr-02-2016"])
def test_the_output_is_byte_identical_to_the_per_row_reference(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, rule_set_id: str, small_blocks: bool
) -> None:
    score_bench, reference = _bench_modules(monkeypatch)
    if small_blocks:  # many blocks of rows and groups of columns, read and written
        monkeypatch.setattr("sikumuh.io.fastcsv._BLOCK_ROWS", 700)
        monkeypatch.setattr("sikumuh.io.fastcsv._GROUP", 3)
        monkeypatch.setattr("sikumuh.io.column_writer._CHUNK", 1000)
    source = tmp_path / "generated.csv"
    score_bench.write_template_csv(source, 3000, 7, get_rule_set(rule_set_id))
    status, out, err = score(str(source))
    expected = io.StringIO()
    errors = reference.score_file_reference(source, expected)
    assert out == expected.getvalue()
    assert err.splitlines() == [f"error: {p}" for p in errors]
    assert status == 1
    assert len(errors) > 50


def test_an_xlsx_file_scores_byte_identically_to_the_per_row_reference(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    score_bench, reference = _bench_modules(monkeypatch)
    source = tmp_path / "generated.csv"
    score_bench.write_template_csv(source, 300, 11, get_rule_set("permen-pupr-14-2018"))
    with source.open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh, delimiter=";"))
    for row in rows:  # a spreadsheet holds numbers; keep the text cells (and "n/a") as text
        for key, value in row.items():
            if key not in ("kode_desa", "lokasi", "rt", "rules") and value not in ("", "n/a"):
                row[key] = float(value.replace(".", "").replace(",", "."))  # type: ignore[assignment]
    write_blank_template(tmp_path / "generated.xlsx", "xlsx", rows)
    _status, out, err = score(str(tmp_path / "generated.xlsx"))
    expected = io.StringIO()
    errors = reference.score_file_reference(tmp_path / "generated.xlsx", expected)
    assert out == expected.getvalue()
    assert err.splitlines() == [f"error: {p}" for p in errors]


def test_scoring_imports_no_django(tmp_path: Path) -> None:
    path = template(tmp_path, [RT])
    code = (
        "import sys\n"
        "from sikumuh.cli import main\n"
        f"status = main(['score', {str(path)!r}, '-o', {str(tmp_path / 'out.csv')!r}])\n"
        "assert 'django' not in sys.modules, sorted(m for m in sys.modules if 'django' in m)\n"
        "sys.exit(status)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stderr


def test_a_percentage_beyond_the_batch_range_is_scored_exactly_like_the_reference(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _, reference = _bench_modules(monkeypatch)
    absurd = {**RT, "rt": "002", "luas_ha": "0,000001", "v_1b": "999999999999"}
    bad = {**absurd, "rt": "009", "v_1a": "-1"}
    source = template(tmp_path, [RT, absurd, bad, {**absurd, "rt": ""}, RT])
    status, out, err = score(str(source))
    expected = io.StringIO()
    errors = reference.score_file_reference(source, expected)
    assert out == expected.getvalue()
    assert "99999999999900000000.00" in out  # 1b: the exact percentage, not an overflow
    assert [r["rt"] for r in csv.DictReader(io.StringIO(out))] == ["003", "002", "003"]
    assert err.splitlines() == [f"error: {p}" for p in errors]
    assert status == 1

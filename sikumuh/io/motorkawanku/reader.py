"""Reading a motorkawanku JSON export into observation rows (no database needed).

The export (see /work/shared/data/pekalongan/README.md) is a seeder dump of the motorkawanku
application: `kawasan.json` (slum locations, named by kelurahan and kecamatan), `rtrw.json` (RT
units with their header denominators), `kumuhRT.json` (one record per RT per year: volume
`<c>v`, stored fraction `<c>p`, stored score `<c>n` per criterion, `totalNilai`,
`tingkatKekumuhan`), `kumuhKawasan.json` (the same per kawasan), `investasi.json`,
`kriteria.json` and `latlng.json`. Only the volumes and the headers become data; the stored
percentages, scores and classes are checked against the engine (`integrity.py`), never copied.

Mapping onto the product:

* a kawasan becomes a Location coded ``KWS-<id, 2 digits>`` (stable across re-imports; the
  export has no code of its own) in the desa/kelurahan its name resolves to (`names.py`);
* an RT keeps its label as given ("RT001-RW002"); its header comes from `rtrw.json`
  (`luasVerifikasi` is the verified area, not `luasFlag`); stray ``__EMPTY_n`` keys are ignored;
* an observation row's `row` is the kumuhRT record id (Problem's convention for JSON exports),
  its `source_ref` ``kumuhRT.json#<id>``.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from sikumuh.core.criteria import DEFAULT_RULE_SET_ID, HEADER_FIELDS, get_rule_set
from sikumuh.core.decimals import to_decimal6
from sikumuh.core.rows import InvestmentRow, ObservationRow, Problem
from sikumuh.io import guard
from sikumuh.io.motorkawanku.geometry import PolygonSet, read_polygons
from sikumuh.io.motorkawanku.investments import read_investments
from sikumuh.io.motorkawanku.names import Candidate, Method, Resolution, resolve_kawasan

KAWASAN, RTRW, KUMUH_RT, KUMUH_KAWASAN = (
    "kawasan.json",
    "rtrw.json",
    "kumuhRT.json",
    "kumuhKawasan.json",
)
INVESTASI, KRITERIA, LATLNG = "investasi.json", "kriteria.json", "latlng.json"
REQUIRED_FILES = (KAWASAN, RTRW, KUMUH_RT)
OPTIONAL_FILES = (KUMUH_KAWASAN, INVESTASI, KRITERIA, LATLNG)

#: Our header field → the export's key (criteria.md §1).
HEADER_KEYS = {
    "luas_ha": "luasVerifikasi",
    "jumlah_bangunan": "jumlahBangunan",
    "jumlah_penduduk": "jumlahPenduduk",
    "jumlah_kk": "jumlahKK",
    "panjang_jalan_ideal_m": "panjangJalanIdeal",
    "panjang_drainase_ideal_m": "panjangDrainaseIdeal",
}
assert set(HEADER_KEYS) == set(HEADER_FIELDS)

#: motorkawanku scores with the 16 criteria of Permen PUPR 14/2018.
RULE_SET_ID = DEFAULT_RULE_SET_ID


class MotorkawankuError(ValueError):
    """The directory cannot be read as a motorkawanku export at all (missing file, not JSON)."""


def location_code(kawasan_id: int) -> str:
    """The product's code of a kawasan: "KWS-01" for id 1 (stable, sortable, ≥ 2 digits)."""
    return f"KWS-{kawasan_id:02d}"


@dataclass(frozen=True)
class Kawasan:
    id: int
    name: str
    wilayah: str
    header: dict[str, Decimal | None]

    @property
    def code(self) -> str:
        return location_code(self.id)


@dataclass(frozen=True)
class Rt:
    id: int
    kawasan_id: int
    label: str
    header: dict[str, Decimal | None]


@dataclass(frozen=True)
class StoredRecord:
    """One kumuhRT (or kumuhKawasan) record: volumes as data, the rest as stored, to check."""

    file: str
    id: int
    kawasan_id: int
    rt_id: int | None
    tahun: int
    volumes: dict[str, Decimal | None]
    stored_percent: dict[str, Any]  # `<c>p`, a fraction (0.6 = 60 %), raw from the JSON
    stored_score: dict[str, Any]  # `<c>n`
    stored_total: Any  # `totalNilai`
    stored_class: Any  # `tingkatKekumuhan`: KB/KS/KR/TK


@dataclass
class MotorkawankuData:
    """Everything read from one export, with the problems found while reading it."""

    directory: Path
    region_code: str
    kawasan: dict[int, Kawasan]
    rts: dict[int, Rt]
    rt_records: list[StoredRecord]
    kawasan_records: list[StoredRecord]
    resolutions: dict[int, Resolution]
    rows: list[ObservationRow]
    problems: list[Problem]
    investments: list[InvestmentRow] = field(default_factory=list)
    investment_problems: list[Problem] = field(default_factory=list)
    polygons: PolygonSet | None = None
    files_present: tuple[str, ...] = ()
    sha256: str = ""

    def describe_rt(self, record: StoredRecord) -> str:
        """ "RT RT001-RW002 (rtrw id 1, kawasan 1 Podosugih), 2019": who and when, for reasons."""
        rt = self.rts.get(record.rt_id) if record.rt_id is not None else None
        kawasan = self.kawasan.get(record.kawasan_id)
        name = f" {kawasan.name}" if kawasan else ""
        label = rt.label if rt else "?"
        return (
            f"RT {label} (rtrw id {record.rt_id}, kawasan {record.kawasan_id}{name}), "
            f"{record.tahun}"
        )


def _load(directory: Path, name: str) -> Any:
    """One JSON file of the export: refused past the byte limit, when not UTF-8 or not JSON,
    and when a text holds a NUL (``\\u0000``, which PostgreSQL cannot store)."""
    limits = guard.limits()
    try:
        with open(directory / name, "rb") as stream:
            data = guard.read_bounded(stream, name, limits)
        value = json.loads(guard.decode_text(data, name))
    except guard.FileRefused as exc:
        raise MotorkawankuError(exc.translated()) from exc
    except (json.JSONDecodeError, RecursionError) as exc:
        line = getattr(exc, "lineno", "?")
        raise MotorkawankuError(f"{name}: not valid JSON (line {line})") from exc
    if b"\\u0000" in data or b"\x00" in data:
        raise MotorkawankuError(f"{name}: a text holds a NUL character (\\u0000)")
    return value


def _records(data: Any, name: str) -> list[dict[str, Any]]:
    if not isinstance(data, list) or not all(isinstance(r, dict) for r in data):
        raise MotorkawankuError(f"{name}: expected a JSON list of records")
    return data


def _severity(file: str) -> str:
    """Errors go on kumuhRT records only: an error rejects its row, and the rows are kumuhRT
    records. A bad header value elsewhere is a warning; the engine then reports the missing
    denominator on every record that needs it."""
    return "error" if file == KUMUH_RT else "warning"


def _number(
    value: Any, problems: list[Problem], file: str, row: str, column: str
) -> Decimal | None:
    """A value quantized to the engine's 6 dp, or None (missing); a non-number is a problem."""
    try:
        return to_decimal6(value)
    except (TypeError, ValueError):
        problems.append(Problem(file, row, column, str(value), "not a number", _severity(file)))
        return None


def exact(value: Any) -> Decimal | None:
    """A stored JSON number as the exact decimal of its shortest text (floats through repr),
    unrounded: stored percentages are compared to ±0.005, so no precision may be lost."""
    if value is None or isinstance(value, bool):
        return None
    try:
        number = Decimal(repr(value)) if isinstance(value, float) else Decimal(str(value).strip())
    except InvalidOperation:
        return None
    return number if number.is_finite() else None


def _header(
    record: dict[str, Any], problems: list[Problem], file: str
) -> dict[str, Decimal | None]:
    row = str(record.get("id"))
    return {
        name: _number(record.get(key), problems, file, row, key)
        for name, key in HEADER_KEYS.items()
    }


def _id(record: dict[str, Any], key: str) -> int | None:
    value = record.get(key)
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, str) and value.strip().isdigit():
        return int(value)
    return None


def _stored(
    records: list[dict[str, Any]], file: str, codes: Sequence[str], problems: list[Problem]
) -> list[StoredRecord]:
    out: list[StoredRecord] = []
    seen: set[int] = set()
    for index, record in enumerate(records, start=1):
        rid, kid, tahun = _id(record, "id"), _id(record, "kawasan"), _id(record, "tahun")
        row = str(rid) if rid is not None else f"[{index}]"
        missing = [k for k, v in (("id", rid), ("kawasan", kid), ("tahun", tahun)) if v is None]
        rt_id = _id(record, "rt") if file == KUMUH_RT else None
        if file == KUMUH_RT and rt_id is None:
            missing.append("rt")
        if missing:
            problems.append(
                Problem(
                    file,
                    row,
                    missing[0],
                    str(record.get(missing[0])),
                    f"record without a valid {', '.join(missing)}",
                    _severity(file),
                )
            )
            continue
        assert rid is not None
        assert kid is not None
        assert tahun is not None
        if rid in seen:
            problems.append(Problem(file, row, "id", row, "duplicate record id", _severity(file)))
            continue
        seen.add(rid)
        out.append(
            StoredRecord(
                file=file,
                id=rid,
                kawasan_id=kid,
                rt_id=rt_id,
                tahun=tahun,
                volumes={
                    c: _number(record.get(f"{c}v"), problems, file, row, f"{c}v") for c in codes
                },
                stored_percent={c: record.get(f"{c}p") for c in codes},
                stored_score={c: record.get(f"{c}n") for c in codes},
                stored_total=record.get("totalNilai"),
                stored_class=record.get("tingkatKekumuhan"),
            )
        )
    return out


def files_sha256(directory: Path, names: Sequence[str]) -> str:
    """One digest of the export's files (name and bytes, in name order): the run's fingerprint."""
    digest = hashlib.sha256()
    for name in sorted(names):
        digest.update(name.encode() + b"\0" + (directory / name).read_bytes() + b"\0")
    return digest.hexdigest()


def read_motorkawanku(
    directory: Path | str,
    region_code: str,
    *,
    kecamatan: Sequence[Candidate],
    desa: Sequence[Candidate],
) -> MotorkawankuData:
    """Read an export and map it onto the kabupaten/kota `region_code`.

    `kecamatan` and `desa` are the candidate regions under `region_code` (a desa's `parent` is
    its kecamatan code); `importer.candidate_regions` loads them from the database. Raises
    :class:`MotorkawankuError` when a required file is missing or unreadable; everything else
    is reported as problems: errors on the kumuhRT record they affect (so they reject that row
    and no other), warnings elsewhere.
    """
    directory = Path(directory)
    if not directory.is_dir():
        raise MotorkawankuError(f"{directory} is not a directory")
    missing = [n for n in REQUIRED_FILES if not (directory / n).is_file()]
    if missing:
        raise MotorkawankuError(f"{directory}: missing {', '.join(missing)}")
    present = tuple(n for n in (*REQUIRED_FILES, *OPTIONAL_FILES) if (directory / n).is_file())
    codes = get_rule_set(RULE_SET_ID).codes
    problems: list[Problem] = []

    kawasan: dict[int, Kawasan] = {}
    for record in _records(_load(directory, KAWASAN), KAWASAN):
        kid = _id(record, "id")
        if kid is None or kid in kawasan:
            problems.append(
                Problem(
                    KAWASAN,
                    str(record.get("id")),
                    "id",
                    str(record.get("id")),
                    "missing or duplicate kawasan id",
                    "warning",
                )
            )
            continue
        kawasan[kid] = Kawasan(
            id=kid,
            name=str(record.get("kawasan") or "").strip(),
            wilayah=str(record.get("wilayah") or "").strip(),
            header=_header(record, problems, KAWASAN),
        )
    resolutions = {
        k.id: resolve_kawasan(k.id, k.name, k.wilayah, kecamatan=kecamatan, desa=desa)
        for k in kawasan.values()
    }
    for res in resolutions.values():
        if res.method == Method.SHARED_WORD:
            problems.append(
                Problem(
                    KAWASAN,
                    str(res.kawasan_id),
                    "kawasan",
                    res.kawasan,
                    f"kelurahan guessed: {res}",
                    "warning",
                )
            )

    rts: dict[int, Rt] = {}
    for record in _records(_load(directory, RTRW), RTRW):
        rid, kid = _id(record, "id"), _id(record, "kawasan")
        label = str(record.get("rtrw") or "").strip()
        if rid is None or rid in rts or kid not in kawasan or not label:
            problems.append(
                Problem(
                    RTRW,
                    str(record.get("id")),
                    "id",
                    str(record.get("id")),
                    "RT without a unique id, a known kawasan or a label; its records are rejected",
                    "warning",
                )
            )
            continue
        assert kid is not None
        # Keys such as "__EMPTY_3" are blank spreadsheet columns of the seeder: ignored.
        rts[rid] = Rt(rid, kid, label, _header(record, problems, RTRW))

    rt_records = _stored(_records(_load(directory, KUMUH_RT), KUMUH_RT), KUMUH_RT, codes, problems)
    kawasan_records: list[StoredRecord] = []
    if KUMUH_KAWASAN in present:
        kawasan_records = _stored(
            _records(_load(directory, KUMUH_KAWASAN), KUMUH_KAWASAN),
            KUMUH_KAWASAN,
            codes,
            problems,
        )

    data = MotorkawankuData(
        directory=directory,
        region_code=region_code,
        kawasan=kawasan,
        rts=rts,
        rt_records=rt_records,
        kawasan_records=kawasan_records,
        resolutions=resolutions,
        rows=[],
        problems=problems,
        files_present=present,
        sha256=files_sha256(directory, present),
    )
    data.rows = _rows(data)
    if INVESTASI in present:
        catalogue = _load(directory, KRITERIA) if KRITERIA in present else None
        data.investments, data.investment_problems = read_investments(
            _records(_load(directory, INVESTASI), INVESTASI), catalogue, data
        )
    if LATLNG in present:
        data.polygons = read_polygons(_records(_load(directory, LATLNG), LATLNG), data)
    return data


def _rows(data: MotorkawankuData) -> list[ObservationRow]:
    """One observation row per kumuhRT record that can be placed; an error for each other."""
    rows: list[ObservationRow] = []
    for record in data.rt_records:
        row = str(record.id)
        rt = data.rts.get(record.rt_id) if record.rt_id is not None else None
        kawasan = data.kawasan.get(record.kawasan_id)
        reason = ""
        if rt is None:
            reason = f"RT id {record.rt_id} is not in {RTRW}"
        elif kawasan is None:
            reason = f"kawasan id {record.kawasan_id} is not in {KAWASAN}"
        elif rt.kawasan_id != record.kawasan_id:
            reason = f"the record's kawasan {record.kawasan_id} is not its RT's ({rt.kawasan_id})"
        elif not data.resolutions[kawasan.id].resolved:
            res = data.resolutions[kawasan.id]
            reason = (
                f"kawasan {kawasan.id} {kawasan.name!r} ({kawasan.wilayah}) could not be placed "
                f"in a kelurahan of {data.region_code}: {res.note}"
            )
        if reason:
            column = "rt" if rt is None else "kawasan"
            value = str(record.rt_id) if rt is None else str(record.kawasan_id)
            data.problems.append(
                Problem(KUMUH_RT, row, column, value, f"{data.describe_rt(record)}: {reason}")
            )
            continue
        assert rt is not None
        assert kawasan is not None
        kode_desa = data.resolutions[kawasan.id].kode_desa
        assert kode_desa is not None
        rows.append(
            ObservationRow(
                file=KUMUH_RT,
                row=row,
                kode_desa=kode_desa,
                lokasi=kawasan.code,
                lokasi_name=kawasan.name,
                rt=rt.label,
                tahun=record.tahun,
                header=dict(rt.header),
                volumes=dict(record.volumes),
                rule_set=RULE_SET_ID,
                source_ref=f"{KUMUH_RT}#{record.id}",
            )
        )
    return rows

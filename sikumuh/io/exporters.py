"""Exporters: the standard tables of a region as ``(header, rows)``, for
:func:`sikumuh.io.tables.write_table` (the one renderer, which neutralises formula injection).

Exporters only read and yield rows; they never format a file (pretix's ``ListExporter`` habit).
Rows are produced lazily from chunked queries, so a national export streams instead of sitting
in memory. Every table is limited to one region (a Kemendagri code, or ``"ID"`` for the whole
country): the caller has checked that the user may see that region, and a role held in a region
covers everything inside it (:mod:`sikumuh.accounts.scope`).

Column names follow the import template (``kode_desa``, ``lokasi``, ``rt``, ``tahun``, the header
fields, ``v_<code>``), so the identity, header and volume columns of an observations export read
back as a template; computed columns have names of their own (``persen_``, ``nilai_``).
Numbers are written as numbers, with no trailing zeros ("1.5", not "1.500000").
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from decimal import Decimal
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone

from sikumuh.core.aggregation import SLUM_CLASSES
from sikumuh.core.criteria import (
    DEFAULT_RULE_SET_ID,
    HEADER_FIELDS,
    SlumClass,
    UnknownRuleSet,
    get_rule_set,
)
from sikumuh.investments.models import Investment
from sikumuh.io import investment_columns
from sikumuh.io.models import ImportRun
from sikumuh.io.template_columns import TEMPLATE_COLUMNS, TEMPLATE_IDENTITY_AND_HEADER
from sikumuh.regions.codes import inside as in_region
from sikumuh.slums.models import Location, SkLocation
from sikumuh.surveys.asof import as_of_observations
from sikumuh.surveys.models import Observation
from sikumuh.surveys.scoring import score_observations

CHUNK = 2000

Row = list[Any]
Table = tuple[list[str], Iterator[Row]]


def location_in_region(code: str, prefix: str = "") -> Q:
    """Locations inside a region: by their desa, or by their kabupaten when the region is the
    kabupaten (or holds it) — a location without a desa belongs to no smaller region."""
    return in_region(code, f"{prefix}desa__code") | in_region(code, f"{prefix}kabupaten__code")


def plain(value: Any) -> Any:
    """A Decimal (or decimal string) without trailing zeros and never in exponent form."""
    if value is None or value == "":
        return None
    number = value if isinstance(value, Decimal) else Decimal(str(value))
    number = number.normalize()
    return number.quantize(Decimal(1)) if number.as_tuple().exponent > 0 else number  # type: ignore[operator]


def plain_rows(rows: Iterable[Sequence[Any]]) -> Iterator[Row]:
    """Every number of ``rows`` as :func:`plain` writes it: the one place that keeps the
    database's places ("184.920000000000", "7.3000") out of every file a person opens (the
    exports of this module, the SK registry's tables)."""
    for row in rows:
        yield [
            plain(v) if isinstance(v, Decimal | float) and not isinstance(v, bool) else v
            for v in row
        ]


def class_label(klass: str | None) -> str | None:
    """The Indonesian label of a stored class ("Kumuh Sedang"), as forms and the SK print it."""
    return SlumClass(klass).label_id if klass else None


def _local(moment: dt.datetime | None) -> str | None:
    return None if moment is None else timezone.localtime(moment).isoformat(timespec="seconds")


def _codes(rule_set_ids: set[str]) -> list[str]:
    """Criterion codes of the rule sets present, in code order (the default when none)."""
    codes: set[str] = set()
    for rid in rule_set_ids or {DEFAULT_RULE_SET_ID}:
        try:
            codes.update(get_rule_set(rid).codes)
        except UnknownRuleSet:
            continue
    return sorted(codes)


# --- RT observations ----------------------------------------------------------------------------


def _observation_query(
    region_code: str, tahun: int | None, desa: str | None = None, klass: str | None = None
) -> tuple[QuerySet[Observation], list[str], bool]:
    """The region's observations under the filters, in RT order, with the criterion codes of
    their rule sets and whether any holds given percentages (legacy data)."""
    query = Observation.objects.filter(in_region(region_code, "rt__desa__code"))
    if tahun is not None:
        query = query.filter(tahun=tahun)
    if desa:
        query = query.filter(rt__desa_id=desa)
    if klass == "none":  # no class: not scored
        query = query.filter(Q(score__isnull=True) | Q(score__klass__isnull=True))
    elif klass:
        query = query.filter(score__klass=klass)
    return _described(query)


def _described(
    query: QuerySet[Observation],
) -> tuple[QuerySet[Observation], list[str], bool]:
    """Observations in RT order (or the query's own), with the criterion codes of their rule
    sets and whether any holds given percentages (legacy data)."""
    codes = _codes(set(query.order_by().values_list("rule_set", flat=True).distinct()))
    # Given percentages exist only in legacy data: their columns appear only when needed.
    with_percents = query.exclude(percents={}).exists()
    rows = query.select_related("rt__location", "rt__desa", "score")
    if not query.query.order_by:  # the caller's order kept (the rows as a page shows them)
        rows = rows.order_by("rt__desa_id", "rt__location__code", "rt__rt", "tahun")
    return rows, codes, with_percents


def _observation_cells(obs: Observation, codes: list[str]) -> dict[str, Any]:
    """Every column an observations table may hold, by name, for one RT-year."""
    score = getattr(obs, "score", None)
    percents = score.percents if score else {}
    scores = score.scores if score else {}
    return {
        "kode_desa": obs.rt.desa_id,
        "nama_desa": obs.rt.desa.name,
        "lokasi": obs.rt.location.code,
        "nama_lokasi": obs.rt.location.name,
        "rt": obs.rt.rt,
        "tahun": obs.tahun,
        "rules": obs.rule_set,
        **{f: plain(getattr(obs, f)) for f in HEADER_FIELDS},
        **{f"v_{c}": plain(obs.volumes.get(c)) for c in codes},
        **{f"p_{c}": plain(obs.percents.get(c)) for c in codes},
        **{f"persen_{c}": plain(percents.get(c)) for c in codes},
        **{f"nilai_{c}": scores.get(c) for c in codes},
        "total_nilai": score.total if score else None,
        "tingkat_kekumuhan": class_label(score.klass) if score else None,
        "status_review": obs.status,
        "sumber": obs.source,
        "diisi_pada": _local(obs.entered_at),
    }


def _observation_table(rows: QuerySet[Observation], codes: list[str], header: list[str]) -> Table:
    def generate() -> Iterator[Row]:
        for obs in rows.iterator(chunk_size=CHUNK):
            cells = _observation_cells(obs, codes)
            yield [cells[name] for name in header]

    return header, generate()


def _computed(codes: list[str]) -> list[str]:
    return [
        *(f"persen_{c}" for c in codes),
        *(f"nilai_{c}" for c in codes),
        "total_nilai",
        "tingkat_kekumuhan",
    ]


def observations(
    region_code: str,
    *,
    tahun: int | None = None,
    desa: str | None = None,
    klass: str | None = None,
) -> Table:
    """One row per RT and year: identity, header, volumes (and given percentages of legacy data),
    the computed percentages and scores, total and class. ``tahun``, ``desa`` (a desa code
    inside the region) and ``klass`` (a :class:`SlumClass` value, or "none") narrow it."""
    return _observations_export(*_observation_query(region_code, tahun, desa, klass))


def observations_of(query: QuerySet[Observation]) -> Table:
    """The same table for the observations a caller chose (the rows a page shows), in the
    query's order (RT order when it has none)."""
    return _observations_export(*_described(query))


def _observations_export(
    rows: QuerySet[Observation], codes: list[str], with_percents: bool
) -> Table:
    header = [
        "kode_desa",
        "nama_desa",
        "lokasi",
        "nama_lokasi",
        "rt",
        "tahun",
        "rules",
        *HEADER_FIELDS,
        *(f"v_{c}" for c in codes),
        *((f"p_{c}" for c in codes) if with_percents else ()),
        *_computed(codes),
        "sumber",
        "diisi_pada",
    ]
    return _observation_table(rows, codes, header)


def rt_data(region_code: str, *, tahun: int | None = None) -> Table:
    """The region's RT data as a filled-in import template (``sikumuh export rt-data``): the
    template's columns first, in template order, so that the file imports back as it is (and,
    unedited, changes nothing); then the read-only columns the importer ignores: the desa's
    name, the computed percentages and scores, total, class and review status."""
    rows, codes, with_percents = _observation_query(region_code, tahun)
    template = [c.name for c in TEMPLATE_COLUMNS if c.name in TEMPLATE_IDENTITY_AND_HEADER]
    header = [
        *template,
        *(f"v_{c}" for c in codes),
        *((f"p_{c}" for c in codes) if with_percents else ()),
        "nama_desa",
        *_computed(codes),
        "status_review",
    ]
    return _observation_table(rows, codes, header)


# --- Locations ----------------------------------------------------------------------------------


def _latest_sk(locations: list[int]) -> dict[int, SkLocation]:
    """Each location's entry in the most recent SK version that lists it."""
    latest: dict[int, SkLocation] = {}
    entries = (
        SkLocation.objects.filter(location_id__in=locations)
        .select_related("decree")
        .order_by("location_id", "-decree__year", "-decree_id")
    )
    for entry in entries:
        latest.setdefault(entry.location_id, entry)
    return latest


def _latest_year_scores(locations: list[int]) -> dict[int, dict[str, Any]]:
    """Per location, as of its latest surveyed year (criteria.md §9: each RT with its latest
    observation) scored from the sum of its RTs' volumes and denominators (criteria.md §5,
    never an average of scores), with its RT count, area and slum area (RTs not Tidak Kumuh)."""
    rows = (
        as_of_observations(Observation.objects.filter(rt__location_id__in=locations), None)
        .select_related("score")
        .only(
            "rt__location_id",
            "tahun",
            *HEADER_FIELDS,
            "volumes",
            "percents",
            "rule_set",
            "rt_id",
            "score__klass",
            "score__luas_ha",
        )
        .order_by("rt__location_id", "-tahun")
    )
    latest: dict[int, list[Observation]] = defaultdict(list)
    for obs in rows.iterator(chunk_size=CHUNK):
        latest[obs.rt.location_id].append(obs)
    result: dict[int, dict[str, Any]] = {}
    for location_id, group in latest.items():
        year = max(o.tahun for o in group)
        scored = score_observations(group).result
        slum = [
            o.score.luas_ha
            for o in group
            if hasattr(o, "score") and o.score.klass in SLUM_CLASSES and o.score.luas_ha
        ]
        result[location_id] = {
            "tahun": year,
            "rts": len(group),
            "luas": sum((o.luas_ha for o in group if o.luas_ha is not None), Decimal(0)),
            "slum": sum(slum, Decimal(0)),
            "total": scored.total,
            "klass": scored.klass.value if scored.klass else None,
        }
    return result


def locations(region_code: str) -> Table:
    """One row per slum location: its SK hectares (latest SK listing it), and its latest
    surveyed year's RTs, area, slum area, total and class."""
    header = [
        "kode_kabupaten",
        "kode_desa",
        "nama_desa",
        "lokasi",
        "nama_lokasi",
        "tipologi",
        "luas_sk_ha",
        "nomor_sk",
        "tahun_sk",
        "tahun_data",
        "jumlah_rt",
        "luas_rt_ha",
        "luas_kumuh_ha",
        "total_nilai",
        "tingkat_kekumuhan",
    ]

    def generate() -> Iterator[Row]:
        found = list(
            Location.objects.filter(location_in_region(region_code))
            .select_related("desa")
            .order_by("kabupaten_id", "code")
        )
        ids = [loc.pk for loc in found]
        sk = _latest_sk(ids)
        scores = _latest_year_scores(ids)
        for loc in found:
            entry = sk.get(loc.pk)
            latest = scores.get(loc.pk, {})
            yield [
                loc.kabupaten_id,
                loc.desa_id,
                loc.desa.name if loc.desa else None,
                loc.code,
                loc.name,
                loc.typology or None,
                plain(entry.luas_ha) if entry else None,
                entry.decree.number if entry else None,
                entry.decree.year if entry else None,
                latest.get("tahun"),
                latest.get("rts"),
                plain(latest.get("luas")),
                plain(latest.get("slum")),
                latest.get("total"),
                class_label(latest.get("klass")),
            ]

    return header, generate()


# --- Investments --------------------------------------------------------------------------------


def investments(region_code: str, *, where: Q | None = None) -> Table:
    """One row per investment (activity) of the region's locations (``where``: the page's
    filters). The columns of docs/investments.md come first: the export imports back."""
    header = [
        *investment_columns.REQUIRED,
        *investment_columns.OPTIONAL,
        "nama_lokasi",
        "referensi",
    ]
    rows = (
        Investment.objects.filter(location_in_region(region_code, "location__"), where or Q())
        .select_related("location", "rt")
        .order_by("location__kabupaten_id", "location__code", "tahun", "criterion", "id")
    )

    def generate() -> Iterator[Row]:
        for inv in rows.iterator(chunk_size=CHUNK):
            yield [
                inv.rt.desa_id if inv.rt else inv.location.desa_id,
                inv.location.code,
                inv.rt.rt if inv.rt else None,
                inv.tahun,
                inv.criterion,
                plain(inv.volume),
                inv.unit or None,
                inv.activity,
                inv.funding_source or None,
                plain(inv.cost),
                inv.status,
                inv.note or None,
                inv.location.name,
                inv.source_ref or None,
            ]

    return header, generate()


# --- Import runs --------------------------------------------------------------------------------


def import_runs(region_code: str) -> Table:
    """One row per recorded import run of the region (newest first)."""
    header = [
        "id",
        "jenis",
        "file",
        "sha256",
        "wilayah",
        "status",
        "mulai",
        "selesai",
        "oleh",
        "baris",
        "baru",
        "berubah",
        "tetap",
        "ditolak",
    ]
    rows = ImportRun.objects.filter(in_region(region_code, "region_code")).order_by(
        "-started_at", "-id"
    )

    def generate() -> Iterator[Row]:
        for run in rows.iterator(chunk_size=CHUNK):
            yield [
                run.pk,
                run.kind,
                run.file_name,
                run.file_sha256 or None,
                run.region_code or None,
                run.status,
                _local(run.started_at),
                _local(run.finished_at),
                run.actor_label,
                run.rows_total,
                run.rows_created,
                run.rows_updated,
                run.rows_unchanged,
                run.rows_rejected,
            ]

    return header, generate()


#: The exportable tables by URL name.
TABLES: dict[str, Callable[..., Table]] = {
    "observations": observations,
    "locations": locations,
    "investments": investments,
    "imports": import_runs,
}

__all__ = [
    "TABLES",
    "Table",
    "import_runs",
    "in_region",
    "investments",
    "locations",
    "observations",
    "rt_data",
]

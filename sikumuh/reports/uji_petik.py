"""The *Laporan Uji Petik*: its tables, charts and map, from :mod:`uji_petik_data`.

Sections follow uji-petik.md "What the report shows": the regency's slum figures (per kecamatan
before → now, each reduction with its base, status removal, delineation and data-collection
progress), how the sample was drawn, the results with their confidence intervals, data
reliability, findings and follow-ups, and an annex with the sample list and its seed.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from sikumuh.core.criteria import SlumClass
from sikumuh.inspections.population import strata_field_label
from sikumuh.reports import charts, maps
from sikumuh.reports.common import class_legend, region_title
from sikumuh.reports.filters import num
from sikumuh.reports.removal import removal_table
from sikumuh.reports.tables import Column, Table
from sikumuh.reports.uji_petik_data import AreaRow, UjiPetikData
from sikumuh.reports.uji_petik_tables import inspection_tables, percent

_SLUM_CLASSES = [k for k in SlumClass if k is not SlumClass.TIDAK_KUMUH]


# --- The regency's slum figures ----------------------------------------------------------------


def _area_cells(row: AreaRow) -> list[Any]:
    return [
        row.name,
        row.sk_ha,
        row.before_ha,
        row.now_ha,
        row.reduction.ha if row.reduction else None,
        row.reduction.percent if row.reduction else None,
        row.reduction_sk.percent if row.reduction_sk else None,
    ]


def kecamatan_table(data: UjiPetikData) -> Table:
    before, now = data.baseline_year or "", data.data_year or ""
    return Table(
        key="kecamatan",
        sheet=_("Slum area per kecamatan"),
        title=_("Slum area per kecamatan, %(before)s → %(now)s") % {"before": before, "now": now},
        columns=[
            Column(_("Kecamatan")),
            Column(_("SK area"), "ha"),
            Column(_("Slum area %(year)s") % {"year": before}, "ha"),
            Column(_("Slum area %(year)s") % {"year": now}, "ha"),
            Column(_("Reduction"), "ha"),
            Column(_("Share of the kecamatan's baseline"), "pct"),
            Column(_("Share of the kabupaten's SK area"), "pct"),
        ],
        rows=[_area_cells(r) for r in data.kecamatan],
        footer=_area_cells(data.total) if data.total else None,
        note=_(
            "Slum area: the area of the RTs not Tidak Kumuh (Permen PUPR 14/2018). Before: each "
            "kecamatan's first year with RT data; the kabupaten's SK area is %(sk)s Ha."
        )
        % {"sk": _plain_ha(data.sk_base_ha)},
    )


def _plain_ha(value: Decimal | None) -> str:
    return "–" if value is None else num(value, 2)


def progress_table(data: UjiPetikData) -> Table:
    polygons: dict[str, list[int]] = {}
    for loc in data.locations:
        tally = polygons.setdefault((loc.desa_code or "")[:8], [0, 0])
        tally[0] += loc.has_polygon
        tally[1] += 1
    rows = []
    for k in data.progress.kecamatan:
        if not k.code.startswith(data.region.code + "."):
            continue
        dates = sorted(s.date for s in k.sosialisasi)
        delineated, located = polygons.get(k.code, [0, 0])
        rows.append(
            [
                k.name,
                dates[0] if dates else None,
                k.sk_desa,
                k.fgd_sk_desa,
                sum(1 for d in k.desa if d.in_sk and d.delineation_agreed),
                f"{delineated} / {located}" if located else "",
            ]
        )
    p = data.progress
    return Table(
        key="progress",
        sheet=_("Data collection"),
        title=_("Delineation and baseline data collection per kecamatan"),
        columns=[
            Column(_("Kecamatan")),
            Column(_("Sosialisasi"), "date"),
            Column(_("SK desa"), "int"),
            Column(_("FGD held"), "int"),
            Column(_("Delineation agreed"), "int"),
            Column(_("Locations with a polygon")),
        ],
        rows=rows,
        footer=[
            _("Total"),
            None,
            p.sk_desa,
            p.fgd_sk_desa,
            p.delineation_agreed_sk_desa,
            f"{data.delineated} / {len(data.locations)}",
        ],
    )


# --- Charts, map, context ----------------------------------------------------------------------


def _figures(data: UjiPetikData) -> dict[str, str | None]:
    with_data = [r for r in data.kecamatan if r.before_ha is not None]
    before = charts.Series(
        str(data.baseline_year or ""),
        charts.BEFORE_COLOUR,
        [float(r.before_ha or 0) for r in with_data],
    )
    now = charts.Series(
        str(data.data_year or ""), charts.AFTER_COLOUR, [float(r.now_ha or 0) for r in with_data]
    )
    figures: dict[str, str | None] = {
        "kecamatan_chart": charts.before_after(
            [r.name for r in with_data], before, now, unit=_("Slum area (Ha)")
        ),
        "trend_chart": charts.stacked_bars(
            [str(y.tahun) for y in data.years],
            [
                charts.Series(
                    k.label_id,
                    charts.CLASS_COLOURS[k.value],
                    [float(y.by_class[k.value].ha) for y in data.years],
                )
                for k in _SLUM_CLASSES
            ],
            unit=_("Slum area (Ha)"),
            reference=(_("SK area"), float(data.sk_base_ha)) if data.sk_base_ha else None,
        ),
        "map": maps.location_map(
            [
                maps.MapShape(loc.geometry, loc.klass.value if loc.klass else "", loc.code)
                for loc in data.map_locations
            ],
            legend=class_legend(),
            north=pgettext("north arrow", "N"),
        ),
        "estimates_chart": None,
    }
    if data.inspection is not None:
        estimates = data.inspection.view.estimates
        figures["estimates_chart"] = charts.intervals(
            [str(e.label) for e in estimates],
            [float(p) if (p := percent(e.estimate.p)) is not None else None for e in estimates],
            [float(p) if (p := percent(e.estimate.low)) is not None else None for e in estimates],
            [float(p) if (p := percent(e.estimate.high)) is not None else None for e in estimates],
            unit="%",
        )
    return figures


def summary_table(data: UjiPetikData) -> Table:
    """The key figures, for the workbook (the PDF gives them as sentences)."""
    p = data.progress
    rows: list[list[Any]] = []
    if data.total is not None and data.total.reduction is not None:
        t = data.total
        rows += [
            [_("Slum area %(year)s") % {"year": t.before_year}, t.before_ha, "Ha"],
            [_("Slum area %(year)s") % {"year": data.data_year}, t.now_ha, "Ha"],
            [_("Reduction"), t.reduction.ha if t.reduction else None, "Ha"],
        ]
        if t.reduction and t.reduction.percent is not None:
            label = _("Reduction, share of the kabupaten's baseline")
            rows.append([label, t.reduction.percent, "%"])
        if t.reduction_sk and t.reduction_sk.percent is not None:
            label = _("Reduction, share of the kabupaten's SK area")
            rows.append([label, t.reduction_sk.percent, "%"])
    for row in data.kecamatan:
        if not row.reduced or row.reduction is None:
            continue
        name = {"name": row.name}
        rows.append([_("Reduction in Kecamatan %(name)s") % name, row.reduction.ha, "Ha"])
        rows.append(
            [
                _("Reduction in Kecamatan %(name)s, share of its baseline") % name,
                row.reduction.percent,
                "%",
            ]
        )
        if row.reduction_sk is not None:
            rows.append(
                [
                    _("Reduction in Kecamatan %(name)s, share of the kabupaten's SK area") % name,
                    row.reduction_sk.percent,
                    "%",
                ]
            )
    rows += [
        [_("Kecamatan with sosialisasi held"), p.sosialisasi_kecamatan, _("kecamatan")],
        [_("SK desa with an FGD held"), p.fgd_sk_desa, _("of %(n)s desa") % {"n": p.sk_desa}],
        [_("SK desa with an FGD held, share"), p.fgd_percent, "%"],
        [
            _("Kecamatan whose slum status is removed"),
            len(data.removal.kecamatan),
            ", ".join(k.name for k in data.removal.kecamatan),
        ],
        [
            _("Desa whose slum status is removed"),
            len(data.removal.desa),
            ", ".join(d.name for d in data.removal.desa),
        ],
    ]
    return Table(
        key="summary",
        sheet=_("Summary"),
        title=_("Summary"),
        columns=[Column(_("Item")), Column(_("Figure"), "dec2"), Column(_("Unit or base"))],
        rows=rows,
    )


def tables(data: UjiPetikData) -> list[Table]:
    """Every table of the report, in the order of the workbook's sheets."""
    part = inspection_tables(data.inspection)
    ordered = [summary_table(data), kecamatan_table(data), removal_table(data.removal)]
    ordered.append(progress_table(data))
    if part:
        ordered += [part["strata"], part["estimates"], part["estimates_strata"]]
        ordered += [*part["reliability"], part["findings"], part["follow_ups"], part["sample"]]
    return ordered


def context(data: UjiPetikData) -> dict[str, Any]:
    """What the template needs (tables, figures, data); call inside the report's language."""
    part = inspection_tables(data.inspection)
    inspection = data.inspection
    return {
        "data": data,
        "title": _("Laporan Uji Petik"),
        "region_title": region_title(data.region),
        "kecamatan_table": kecamatan_table(data),
        "removal_table": removal_table(data.removal),
        "progress_table": progress_table(data),
        "reduced": [r for r in data.kecamatan if r.reduced],
        "unchanged": [r for r in data.kecamatan if r.reduction and r.reduction.ha == 0],
        "grown": [r for r in data.kecamatan if r.reduction and r.reduction.ha < 0],
        "inspection": inspection,
        "part": part,
        "strata_fields": [
            strata_field_label(f)
            for f in (inspection.uji_petik.strata_fields if inspection else [])
        ],
        "purposive_count": sum(1 for r in inspection.view.rows if r.item.purposive)
        if inspection
        else 0,
        "reliability_share": percent(inspection.reliability.summary.overall.share)
        if inspection
        else None,
        "open_follow_ups": sum(1 for f in inspection.follow_ups if f.status == "open")
        if inspection
        else 0,
        **_figures(data),
    }

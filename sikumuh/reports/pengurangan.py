"""The *Laporan Pengurangan Luasan Kumuh*: tables, charts and map from :mod:`pengurangan_data`."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from sikumuh.core.criteria import SlumClass
from sikumuh.regions.models import Level
from sikumuh.reports import charts, maps
from sikumuh.reports.common import class_label, class_legend, coverage_text, region_title
from sikumuh.reports.filters import num
from sikumuh.reports.pengurangan_data import PenguranganData
from sikumuh.reports.removal import removal_table
from sikumuh.reports.tables import Column, Table
from sikumuh.surveys.dashboard import CLASS_KEYS

_SLUM_CLASSES = [k for k in SlumClass if k is not SlumClass.TIDAK_KUMUH]


def child_heading(level: int) -> str:
    return {
        0: _("Province"),
        Level.PROVINSI: _("Kabupaten/kota"),
        Level.KABUPATEN: "Kecamatan",
        Level.KECAMATAN: _("Desa/kelurahan"),
        Level.DESA: _("Location"),
    }[level]


def years_table(data: PenguranganData) -> Table:
    base = data.baseline.tahun if data.baseline else ""
    columns = [
        Column(_("Year")),
        Column(_("Slum area"), "ha"),
        *(Column(SlumClass(k).label_id, "ha") for k in CLASS_KEYS),
        Column(_("RTs assessed"), "int"),
        Column(_("Reduction since %(year)s") % {"year": base}, "ha"),
        Column(_("Share of the baseline"), "pct"),
    ]
    if data.show_sk_base:
        columns.append(Column(_("Share of the SK area"), "pct"))
    columns.append(Column(_("Reduced since the year before"), "ha"))
    rows = []
    for row in data.rows:
        cells: list[Any] = [
            row.tahun,
            row.area.slum_ha,
            *(row.area.by_class[k].ha for k in CLASS_KEYS),
            sum(c.rt for c in row.area.by_class.values()),
            row.reduction.ha if row.reduction else None,
            row.reduction.percent if row.reduction else None,
        ]
        if data.show_sk_base:
            cells.append(row.reduction_sk.percent if row.reduction_sk else None)
        cells.append(row.change)
        rows.append(cells)
    note = _(
        "Slum area: the area of the RTs not Tidak Kumuh (Permen PUPR 14/2018). Reductions are "
        "measured from %(year)s, the first year with RT data."
    ) % {"year": base}
    if data.show_sk_base and data.sk_base_ha is not None:
        note += " " + _("The kabupaten's SK area, the other base, is %(ha)s Ha.") % {
            "ha": num(data.sk_base_ha, 2)
        }
    # criteria.md §9: each year is as of itself; its coverage is stated, never implied whole.
    note += " " + _("Each year counts every RT with its latest data up to that year.")
    note += "".join(" " + coverage_text(row.coverage) for row in data.rows if row.coverage)
    return Table(
        key="years",
        sheet=_("Per year"),
        title=_("Slum area per year"),
        columns=columns,
        rows=rows,
        note=note,
    )


def children_table(data: PenguranganData) -> Table:
    heading = child_heading(data.level)
    columns = [Column(heading), Column(_("SK area"), "ha")]
    columns += [Column(_("Slum area %(year)s") % {"year": y}, "ha") for y in data.years]
    columns += [Column(_("Reduction"), "ha"), Column(_("Share of its baseline"), "pct")]
    rows = []
    for child in data.children:
        reduction = child.reduction
        rows.append(
            [
                child.name,
                child.sk_ha,
                *(child.by_year.get(y) for y in data.years),
                reduction.ha if reduction else None,
                reduction.percent if reduction else None,
            ]
        )
    return Table(
        key="children",
        sheet=_("Per %(level)s") % {"level": heading.lower()},
        title=_("Slum area per %(level)s") % {"level": heading.lower()},
        columns=columns,
        rows=rows,
    )


def locations_table(data: PenguranganData) -> Table:
    columns = [
        Column(_("Code")),
        Column(_("Location")),
        Column(_("Desa/kelurahan")),
        Column(_("SK area"), "ha"),
    ]
    for year in data.years:
        columns += [
            Column(_("Slum area %(year)s") % {"year": year}, "ha"),
            Column(_("Class %(year)s") % {"year": year}),
        ]
    columns.append(Column(_("Reduction"), "ha"))
    rows = []
    for loc in data.locations:
        cells: list[Any] = [loc.code, loc.name, loc.desa_name, loc.sk_ha]
        for year in data.years:
            cells += [loc.by_year.get(year), class_label(loc.classes.get(year))]
        cells.append(loc.reduction.ha if loc.reduction else None)
        rows.append(cells)
    return Table(
        key="locations",
        sheet=_("Per location"),
        title=_("Slum area per location"),
        columns=columns,
        rows=rows,
        note=_("A location's class is scored from the sum of its RTs (Permen PUPR 14/2018)."),
    )


def decrees_table(data: PenguranganData) -> Table:
    return Table(
        key="decrees",
        sheet=_("SK versions"),
        title=_("Versions of the SK Kumuh"),
        columns=[
            Column("SK"),
            Column(_("Year")),
            Column(_("Locations"), "int"),
            Column(_("Area"), "ha"),
            Column(_("In force")),
        ],
        rows=[
            [d.decree.number, d.decree.year, d.locations, d.total_ha, d.is_latest]
            for d in data.decrees
        ],
    )


def tables(data: PenguranganData) -> list[Table]:
    result = [years_table(data), children_table(data)]
    if data.locations:
        result.append(locations_table(data))
    if data.decrees:
        result.append(decrees_table(data))
    if data.removal is not None and data.removal.decree is not None:
        result.append(removal_table(data.removal))
    return result


def _figures(data: PenguranganData) -> dict[str, str | None]:
    areas = [r.area for r in data.rows]
    first, last = data.baseline, data.latest
    with_data = [c for c in data.children if any(v is not None for v in c.by_year.values())]
    figures: dict[str, str | None] = {
        "trend_chart": charts.stacked_bars(
            [str(y.tahun) for y in areas],
            [
                charts.Series(
                    k.label_id,
                    charts.CLASS_COLOURS[k.value],
                    [float(y.by_class[k.value].ha) for y in areas],
                )
                for k in _SLUM_CLASSES
            ],
            unit=_("Slum area (Ha)"),
            reference=(_("SK area"), float(data.sk_base_ha))
            if data.sk_base_ha and data.level >= Level.KABUPATEN and data.level < Level.KECAMATAN
            else None,
        ),
        "children_chart": None,
        "map": None,
    }
    if first is not None and last is not None and first is not last and with_data:
        figures["children_chart"] = charts.before_after(
            [c.name for c in with_data],
            charts.Series(
                str(first.tahun),
                charts.BEFORE_COLOUR,
                [float(c.by_year.get(first.tahun) or 0) for c in with_data],
            ),
            charts.Series(
                str(last.tahun),
                charts.AFTER_COLOUR,
                [float(c.by_year.get(last.tahun) or 0) for c in with_data],
            ),
            unit=_("Slum area (Ha)"),
        )
    if data.map_locations:
        figures["map"] = maps.location_map(
            [
                maps.MapShape(loc.geometry, loc.klass.value if loc.klass else "", loc.code)
                for loc in data.map_locations
            ],
            legend=class_legend(),
            north=pgettext("north arrow", "N"),
        )
    return figures


def context(data: PenguranganData) -> dict[str, Any]:
    heading = child_heading(data.level)
    return {
        "data": data,
        "title": _("Laporan Pengurangan Luasan Kumuh"),
        "region_title": region_title(data.region),
        "years_table": years_table(data),
        "children_table": children_table(data),
        "locations_table": locations_table(data) if data.locations else None,
        "decrees_table": decrees_table(data) if data.decrees else None,
        "removal_table": removal_table(data.removal)
        if data.removal is not None and data.removal.decree is not None
        else None,
        "child_heading": heading,
        "wide_locations": len(data.years) > 2,
        **_figures(data),
    }

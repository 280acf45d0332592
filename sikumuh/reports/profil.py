"""The *Profil Kawasan Kumuh* of one location: its tables, trend chart and map."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext

from sikumuh.core.criteria import SlumClass
from sikumuh.core.handling import BASIC_SERVICE_ASPECTS, SERVICE_COVERAGE_MIN, Authority, Typology
from sikumuh.reports import charts, maps
from sikumuh.reports.common import class_label, class_legend, region_title
from sikumuh.reports.profil_data import ProfilData, total_cost
from sikumuh.reports.tables import Column, Table
from sikumuh.surveys.dashboard import CLASS_KEYS, geometry_of

AUTHORITY_LABELS = {
    Authority.KABUPATEN_KOTA: gettext_lazy("Kabupaten/kota government"),
    Authority.PROVINSI: gettext_lazy("Provincial government"),
    Authority.PUSAT: gettext_lazy("Central government"),
}
SERVICE_LABELS = {
    "jalan": gettext_lazy("Neighbourhood roads"),
    "air_minum": gettext_lazy("Drinking water"),
    "drainase": gettext_lazy("Drainage"),
    "air_limbah": gettext_lazy("Wastewater"),
    "persampahan": gettext_lazy("Solid waste"),
}


def criteria_table(data: ProfilData) -> Table:
    first, latest = data.first, data.latest
    first_year, latest_year = data.first_year, data.latest_year
    same = first_year == latest_year
    columns = [Column(_("Aspect")), Column(_("Criterion"))]
    if not same:
        columns += [
            Column(_("Share %(year)s") % {"year": first_year}, "pct"),
            Column(_("Score %(year)s") % {"year": first_year}, "int"),
        ]
    columns += [
        Column(_("Share %(year)s") % {"year": latest_year}, "pct"),
        Column(_("Score %(year)s") % {"year": latest_year}, "int"),
    ]
    rows = []
    for criterion in data.rule_set.criteria if data.rule_set else ():
        row: list[Any] = [criterion.aspect_name, f"{criterion.code} {criterion.name}"]
        for result in ([] if same else [first]) + [latest]:
            row += [
                result.percent.get(criterion.code) if result else None,
                result.score.get(criterion.code) if result else None,
            ]
        rows.append(row)
    footer: list[Any] = [_("Total score and class"), ""]
    for result in ([] if same else [first]) + [latest]:
        footer += [class_label(result.klass) if result else "", result.total if result else None]
    return Table(
        key="criteria",
        sheet=_("Criteria"),
        title=_("Criteria: share of the location in bad condition and score"),
        columns=columns,
        rows=rows,
        footer=footer if rows else None,
        note=_(
            "Scored from the sum of the location's RTs (%(rules)s): each criterion's share is its "
            "volume over its denominator, scored 0, 1, 3 or 5 by band; the total gives the class."
        )
        % {"rules": data.rule_set.title if data.rule_set else "–"},
    )


def trend_table(data: ProfilData) -> Table:
    rows = []
    for year in data.detail.years:
        result = data.detail.results.get(year.tahun)
        rows.append(
            [
                year.tahun,
                result.total if result else None,
                class_label(result.klass) if result else "",
                year.slum_ha,
                year.by_class[SlumClass.TIDAK_KUMUH.value].ha,
                sum(c.rt for k, c in year.by_class.items() if k != SlumClass.TIDAK_KUMUH.value),
                year.rt_count,
            ]
        )
    return Table(
        key="trend",
        sheet=_("Trend"),
        title=_("The location per year"),
        columns=[
            Column(_("Year")),
            Column(_("Total score"), "int"),
            Column(_("Class")),
            Column(_("Slum area"), "ha"),
            Column(_("Area Tidak Kumuh"), "ha"),
            Column(_("Slum RTs"), "int"),
            Column(_("RTs"), "int"),
        ],
        rows=rows,
    )


def rt_table(data: ProfilData) -> Table:
    years = [y.tahun for y in data.detail.years]
    columns = [Column("RT")]
    for year in years:
        columns += [
            Column(_("Class %(year)s") % {"year": year}),
            Column(_("Area %(year)s") % {"year": year}, "ha"),
        ]
    rows = []
    for rt in data.detail.rts:
        row: list[Any] = [rt.rt]
        for year in years:
            stored = rt.years.get(year)
            row += [class_label(stored.klass) if stored else "", stored.luas_ha if stored else None]
        rows.append(row)
    return Table(key="rts", sheet="RT", title=_("RTs of the location"), columns=columns, rows=rows)


def _above(coverage: Decimal | None) -> bool | None:
    """Programme guidance: a basic service counts as served above 80 % coverage."""
    return None if coverage is None else coverage > SERVICE_COVERAGE_MIN


def services_table(data: ProfilData) -> Table:
    coverage = data.removal.coverage if data.removal else {}
    return Table(
        key="services",
        sheet=_("Basic services"),
        title=_("Coverage of the basic services (%(year)s)") % {"year": data.latest_year},
        columns=[
            Column(_("Basic service")),
            Column(_("Coverage"), "pct"),
            Column(_("Above 80 %")),
        ],
        rows=[
            [str(SERVICE_LABELS[s]), coverage.get(s), _above(coverage.get(s))]
            for s in BASIC_SERVICE_ASPECTS
        ],
        note=_("Coverage = 100 % minus the mean of the service's criteria shares."),
    )


def investments_table(data: ProfilData) -> Table:
    return Table(
        key="investments",
        sheet=_("Investments"),
        title=_("Investments in the location"),
        columns=[
            Column(_("Fiscal year")),
            Column(_("Criterion")),
            Column(_("Activity")),
            Column("RT"),
            Column(_("Volume"), "dec2"),
            Column(_("Unit")),
            Column(_("Funding source")),
            Column(_("Cost"), "rupiah"),
        ],
        rows=[
            [
                i.tahun,
                i.criterion,
                i.activity,
                i.rt.rt if i.rt else "",
                i.volume,
                i.unit,
                i.get_funding_source_display(),
                i.cost,
            ]
            for i in data.investments
        ],
        footer=[_("Total"), "", "", "", None, "", "", total_cost(data.investments)]
        if data.investments
        else None,
    )


def sk_table(data: ProfilData) -> Table:
    return Table(
        key="sk",
        sheet="SK",
        title=_("The location in the SK Kumuh"),
        columns=[Column("SK"), Column(_("Year")), Column(_("Area"), "ha"), Column(_("In force"))],
        rows=[[e.number, e.year, e.luas_ha, e.in_force] for e in data.detail.sk_entries],
    )


def identity_table(data: ProfilData) -> Table:
    loc = data.location
    latest = data.latest
    rows: list[list[Any]] = [
        [_("Code"), loc.code],
        [_("Name"), loc.name],
        [_("Desa/kelurahan"), region_title(loc.desa) if loc.desa else "–"],
        ["Kecamatan", data.kecamatan.name if data.kecamatan else "–"],
        [_("Kabupaten/kota"), region_title(loc.kabupaten)],
        [_("Typology"), Typology(loc.typology).label_id if loc.typology else "–"],
        [_("SK area (Ha)"), data.detail.sk_ha],
        [
            _("Authority (by area)"),
            str(AUTHORITY_LABELS[data.authority]) if data.authority else "–",
        ],
        [_("Latest class"), class_label(latest.klass) if latest else "–"],
        [_("Latest total score"), latest.total if latest else None],
        [_("Year of the latest data"), data.latest_year],
    ]
    return Table(
        key="identity",
        sheet=_("Location"),
        title=_("Location"),
        columns=[Column(_("Item")), Column(_("Figure"))],
        rows=rows,
    )


def tables(data: ProfilData) -> list[Table]:
    return [
        identity_table(data),
        criteria_table(data),
        trend_table(data),
        services_table(data),
        rt_table(data),
        investments_table(data),
        sk_table(data),
    ]


def _figures(data: ProfilData) -> dict[str, str | None]:
    years = data.detail.years
    klass = data.latest.klass.value if data.latest and data.latest.klass else ""
    shapes = []
    geometry = geometry_of(data.location.polygon)
    if geometry is not None:
        shapes.append(maps.MapShape(geometry, klass, data.location.code))
    shapes += [
        maps.MapShape(polygon, "", f"RT {rt}", outline=True) for rt, polygon in data.rt_shapes
    ]
    return {
        "trend_chart": charts.stacked_bars(
            [str(y.tahun) for y in years],
            [
                charts.Series(
                    SlumClass(k).label_id,
                    charts.CLASS_COLOURS[k],
                    [float(y.by_class[k].ha) for y in years],
                )
                for k in CLASS_KEYS
            ],
            unit=_("Area of the RTs (Ha)"),
        ),
        "map": maps.location_map(
            shapes,
            legend=[(v, label) for v, label in class_legend() if v == klass],
            north=pgettext("north arrow", "N"),
            dots=False,
            width_cm=16,
            height_cm=10,
        ),
    }


def context(data: ProfilData) -> dict[str, Any]:
    latest = data.latest
    return {
        "data": data,
        "title": _("Profil Kawasan Kumuh"),
        "region_title": f"{data.location.name} ({data.location.code})",
        "identity_table": identity_table(data),
        "criteria_table": criteria_table(data),
        "trend_table": trend_table(data),
        "services_table": services_table(data),
        "rt_table": rt_table(data),
        "investments_table": investments_table(data),
        "sk_table": sk_table(data),
        "klass": latest.klass if latest else None,
        "klass_label": class_label(latest.klass) if latest else "",
        "place": ", ".join(
            region_title(r)
            for r in (data.location.desa, data.kecamatan, data.location.kabupaten)
            if r is not None
        ),
        "authority": AUTHORITY_LABELS[data.authority] if data.authority else None,
        "typology": Typology(data.location.typology).label_id if data.location.typology else "–",
        "investment_total": total_cost(data.investments),
        **_figures(data),
    }

"""The tables of the spot check itself in the *Laporan Uji Petik*: strata, results with their
confidence intervals, data reliability, findings, follow-ups and the sample list (the annex).

The figures come from :mod:`sikumuh.inspections.selectors` (the estimates from
:mod:`sikumuh.core.estimates`); nothing is computed here but percentages for printing.
"""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction
from typing import Any

from django.utils.translation import gettext as _

from sikumuh.reports.common import class_label
from sikumuh.reports.filters import pct
from sikumuh.reports.tables import Column, Table
from sikumuh.reports.uji_petik_data import Inspection


def percent(share: float | Fraction | None) -> Decimal | None:
    """A share (0–1) as a percentage with two decimals."""
    if share is None:
        return None
    return (Decimal(float(share)) * 100).quantize(Decimal("0.01"))


# --- The spot check ----------------------------------------------------------------------------


def strata_table(inspection: Inspection) -> Table:
    return Table(
        key="strata",
        sheet=_("Strata"),
        title=_("Strata of the sample"),
        columns=[
            Column(_("Stratum")),
            Column("N_h", "int"),
            Column("n_h", "int"),
            Column("W_h = N_h/N", "dec4"),
        ],
        rows=[
            [
                s["label"],
                s["N"],
                s["n"],
                Decimal(float(Fraction(s["weight"]))).quantize(Decimal("0.0001")),
            ]
            for s in inspection.view.strata
        ],
    )


def estimates_table(inspection: Inspection) -> Table:
    rows = []
    for e in inspection.view.estimates:
        est = e.estimate
        rows.append(
            [
                str(e.label),
                percent(est.p),
                percent(est.low),
                percent(est.high),
                f"{est.positive} / {est.answered}",
                f"{e.purposive_yes} / {e.purposive_answered}" if e.purposive_answered else "",
            ]
        )
    return Table(
        key="estimates",
        sheet=_("Results"),
        title=_("Results: share of the works, with 95 % confidence intervals"),
        columns=[
            Column(_("Indicator")),
            Column(_("Estimate"), "pct"),
            Column(_("Lower bound"), "pct"),
            Column(_("Upper bound"), "pct"),
            Column(_("Random items (yes / answered)")),
            Column(_("Purposive items (yes / answered)")),
        ],
        rows=rows,
        note=_(
            "Stratified estimator (weights N_h/N, finite population correction), 95 % normal "
            "interval; items whose answer is missing are left out. Purposive items are shown "
            "apart and not counted in the estimates."
        ),
    )


def estimates_by_stratum_table(inspection: Inspection) -> Table:
    labels = {s["key"]: s["label"] for s in inspection.view.strata}
    rows = [
        [
            str(e.label),
            labels.get(s.key, s.key),
            s.population,
            s.positive,
            s.answered,
            percent(s.p),
            percent(s.low),
            percent(s.high),
        ]
        for e in inspection.view.estimates
        for s in e.estimate.strata
    ]
    return Table(
        key="estimates_strata",
        sheet=_("Results per stratum"),
        title=_("Results per stratum"),
        columns=[
            Column(_("Indicator")),
            Column(_("Stratum")),
            Column("N_h", "int"),
            Column(_("yes"), "int"),
            Column(_("answered"), "int"),
            Column(_("Estimate"), "pct"),
            Column(_("Lower bound"), "pct"),
            Column(_("Upper bound"), "pct"),
        ],
        rows=rows,
    )


def estimates_by_stratum_summary(inspection: Inspection) -> Table:
    """The same results, one row per stratum, for the printed annex (the workbook keeps one
    number per cell): each indicator as "yes/answered: estimate (lower – upper)"."""
    estimates = inspection.view.estimates
    per_stratum = [{s.key: s for s in e.estimate.strata} for e in estimates]
    rows = []
    for stratum in inspection.view.strata:
        row: list[Any] = [stratum["label"], stratum["N"]]
        for by_key in per_stratum:
            s = by_key.get(stratum["key"])
            if s is None or s.p is None:
                row.append("–")
                continue
            row.append(
                f"{s.positive}/{s.answered}: {pct(percent(s.p))} "
                f"({pct(percent(s.low))} – {pct(percent(s.high))})"
            )
        rows.append(row)
    return Table(
        key="estimates_strata",
        sheet=_("Results per stratum"),
        title=_("Results per stratum"),
        columns=[Column(_("Stratum")), Column("N_h", "int")]
        + [Column(str(e.label)) for e in estimates],
        rows=rows,
        note=_("Per indicator: yes / answered, the estimate and its 95 % confidence interval."),
    )


def reliability_tables(inspection: Inspection) -> list[Table]:
    summary = inspection.reliability.summary
    names = inspection.view.names
    criteria = Table(
        key="reliability",
        sheet=_("Data reliability"),
        title=_("Reported against found volumes, per criterion"),
        columns=[
            Column(_("Criterion")),
            Column(_("Compared"), "int"),
            Column(_("Mean |difference|"), "dec2"),
            Column(_("Mean relative difference"), "dec2"),
            Column(_("Mean difference (percentage points)"), "dec2"),
            Column(_("Within tolerance"), "int"),
        ],
        rows=[
            [c.code, c.compared, c.mean_abs, c.mean_rel, c.mean_abs_pp, c.within]
            for c in summary.criteria
            if c.compared
        ],
        note=_(
            "Within tolerance: the criterion's percentage from the found volume is at most "
            "%(tol)s percentage points from the reported one."
        )
        % {"tol": summary.tolerance_pp},
    )
    groups = Table(
        key="reliability_groups",
        sheet=_("Reliability per group"),
        title=_("Reliability per facilitator and per desa"),
        columns=[
            Column(_("Group")),
            Column(_("Name")),
            Column(_("Within tolerance"), "int"),
            Column(_("Compared"), "int"),
            Column(_("Share within tolerance"), "pct"),
        ],
        rows=[
            [_("Facilitator"), r.label, r.within, r.compared, percent(r.share)]
            for r in summary.by_facilitator
        ]
        + [
            [_("Desa"), names.get(r.label, r.label), r.within, r.compared, percent(r.share)]
            for r in summary.by_desa
        ],
    )
    resurveys = Table(
        key="resurveys",
        sheet=_("Re-surveyed RTs"),
        title=_("Re-surveyed RTs: class reported → class found"),
        columns=[
            Column("RT"),
            Column(_("Desa/kelurahan")),
            Column(_("Facilitator")),
            Column(_("Class reported")),
            Column(_("Class found")),
        ],
        rows=[
            [
                row.record.rt,
                names.get(row.record.desa, row.record.desa),
                row.record.facilitator,
                class_label(row.record.class_reported),
                class_label(row.record.class_found),
            ]
            for row in inspection.reliability.rows
        ],
    )
    return [criteria, groups, resurveys]


def findings_table(inspection: Inspection) -> Table:
    rows = []
    for number, finding in enumerate(inspection.findings, 1):
        follow_ups = list(finding.follow_ups.all())
        rows.append(
            [
                number,
                finding.sample_item.key if finding.sample_item else "",
                finding.get_severity_display(),
                finding.description,
                "; ".join(f.action for f in follow_ups),
                "; ".join(f.responsible for f in follow_ups),
                min((f.deadline for f in follow_ups if f.deadline), default=None),
                "; ".join(str(f.get_status_display()) for f in follow_ups),
            ]
        )
    return Table(
        key="findings",
        sheet=_("Findings"),
        title=_("Findings and recommendations"),
        columns=[
            Column(_("No."), "int"),
            Column(_("Item")),
            Column(_("Severity")),
            Column(_("Finding")),
            Column(_("Recommendation / action")),
            Column(_("Person responsible")),
            Column(_("Deadline"), "date"),
            Column(_("Status")),
        ],
        rows=rows,
    )


def follow_ups_table(inspection: Inspection) -> Table:
    rows = [
        [
            f.action,
            f.responsible,
            f.deadline,
            str(f.get_status_display()),
            f.carried_from.uji_petik.title if f.carried_from else inspection.uji_petik.title,
            f.closing_evidence,
        ]
        for f in inspection.follow_ups
    ]
    return Table(
        key="follow_ups",
        sheet=_("Follow-ups"),
        title=_("Status of the follow-ups, earlier spot checks included"),
        columns=[
            Column(_("Recommendation / action")),
            Column(_("Person responsible")),
            Column(_("Deadline"), "date"),
            Column(_("Status")),
            Column(_("From the uji petik")),
            Column(_("Closing evidence")),
        ],
        rows=rows,
    )


def sample_table(inspection: Inspection) -> Table:
    names = inspection.view.names
    rows = []
    for row in inspection.view.rows:
        item, checklist = row.item, row.checklist
        inv = item.investment
        rows.append(
            [
                item.position,
                item.key,
                names.get(item.kecamatan_code, item.kecamatan_code),
                names.get(item.desa_code, item.desa_code),
                item.rt.rt if item.rt else "",
                inv.activity if inv else "",
                inv.volume if inv else None,
                inv.unit if inv else "",
                inv.tahun if inv else None,
                item.stratum_label or item.stratum_key,
                item.purposive,
                checklist.get_function_display() if checklist and checklist.function else "",
                checklist.get_quality_display() if checklist and checklist.quality else "",
                checklist.meets_spec if checklist else None,
                checklist.maintained if checklist else None,
            ]
        )
    return Table(
        key="sample",
        sheet=_("Sample list"),
        title=_("Sample list (seed %(seed)s)") % {"seed": inspection.uji_petik.seed},
        columns=[
            Column(_("No."), "int"),
            Column(_("Item")),
            Column(_("Kecamatan")),
            Column(_("Desa/kelurahan")),
            Column("RT"),
            Column(_("Activity")),
            Column(_("Volume"), "dec2"),
            Column(_("Unit")),
            Column(_("Fiscal year")),
            Column(_("Stratum")),
            Column(_("Purposive")),
            Column(_("Function")),
            Column(_("Quality")),
            Column(_("Built to specification")),
            Column(_("Maintained")),
        ],
        rows=rows,
    )


def inspection_tables(inspection: Inspection | None) -> dict[str, Any]:
    if inspection is None:
        return {}
    return {
        "strata": strata_table(inspection),
        "estimates": estimates_table(inspection),
        "estimates_strata": estimates_by_stratum_table(inspection),
        "estimates_strata_summary": estimates_by_stratum_summary(inspection),
        "reliability": reliability_tables(inspection),
        "findings": findings_table(inspection),
        "follow_ups": follow_ups_table(inspection),
        "sample": sample_table(inspection),
    }

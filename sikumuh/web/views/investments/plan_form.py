"""The planner page's form: the year, the budget and the unit-cost table (one field per
criterion, Indonesian numbers such as ``1.500.000`` accepted; empty: not acted on)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from sikumuh.investments.plans import year_problem
from sikumuh.investments.unit_costs import priced_criteria
from sikumuh.io.unit_costs import parse_rupiah
from sikumuh.web.views.investments.numbers import cost_text

STATUSES = (
    ("all", gettext_lazy("all data (working view)")),
    ("approved", gettext_lazy("approved data only (official)")),
)


def cost_field(code: str) -> str:
    return f"biaya_{code}"


class PlanForm(forms.Form):
    tahun = forms.IntegerField(
        label=gettext_lazy("RT figures as of"), min_value=2000, max_value=2100
    )
    budget = forms.CharField(
        label=gettext_lazy("Budget (Rp)"),
        max_length=40,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "placeholder": "1.500.000.000"}),
    )
    status = forms.ChoiceField(label=gettext_lazy("Data"), choices=STATUSES, initial="all")

    def __init__(
        self, *args: Any, region_code: str = "", costs_only: bool = False, **kwargs: Any
    ) -> None:
        """``costs_only``: the form saves the unit costs; the year and budget may be empty.
        ``region_code``: the kabupaten whose RT data of the year the plan needs."""
        super().__init__(*args, **kwargs)
        self.region_code = region_code
        self.costs_only = costs_only
        if costs_only:
            for name in ("tahun", "budget", "status"):
                self.fields[name].required = False
        self.criteria = priced_criteria()
        for code, criterion in self.criteria.items():
            self.fields[cost_field(code)] = forms.CharField(
                label=f"{code} ({criterion.unit})",
                required=False,
                max_length=40,
                widget=forms.TextInput(attrs={"inputmode": "decimal", "class": "num"}),
            )

    def clean_budget(self) -> int | None:
        if self.costs_only and not self.cleaned_data["budget"]:
            return None
        value = parse_rupiah(self.cleaned_data["budget"])
        if value is None or value != value.to_integral_value():
            raise forms.ValidationError(_("A whole number of rupiah, 0 or more, is needed."))
        return int(value)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        tahun = data.get("tahun")
        if not self.costs_only and tahun is not None:
            problem = year_problem(self.region_code, tahun, data.get("status") or "all")
            if problem is not None:
                self.add_error("tahun", problem)
        costs: dict[str, Decimal] = {}
        for code in self.criteria:
            name = cost_field(code)
            text = (data.get(name) or "").strip()
            if not text:
                continue
            value = parse_rupiah(text)
            if value is None or value <= 0:
                self.add_error(name, _("A cost in rupiah above 0 is needed."))
                continue
            costs[code] = value
        if not costs and not any(cost_field(code) in self.errors for code in self.criteria):
            raise forms.ValidationError(_("Give a unit cost for at least one criterion."))
        data["costs"] = costs
        return data

    def cost_rows(self) -> list[tuple[str, Any, forms.BoundField]]:
        """(code, criterion, field) per criterion, for the table."""
        return [(code, c, self[cost_field(code)]) for code, c in self.criteria.items()]

    def params(self) -> dict[str, Any]:
        """The job's params (exact strings for the costs)."""
        data = self.cleaned_data
        return {
            "tahun": data["tahun"],
            "budget": data["budget"],
            "status": data["status"],
            "costs": {code: f"{cost.normalize():f}" for code, cost in data["costs"].items()},
        }


def initial_from(tahun: int | None, costs: dict[str, Decimal], budget: str = "") -> dict[str, Any]:
    initial: dict[str, Any] = {"tahun": tahun, "budget": budget, "status": "all"}
    initial |= {cost_field(code): cost_text(cost) for code, cost in costs.items()}
    return initial

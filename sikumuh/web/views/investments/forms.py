"""The form of one investment: where (on adding), which criterion, year, activity, volume in the
criterion's unit, source of funds, cost, plan or realised, note."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from sikumuh.core.criteria import RULE_SETS, RuleSet
from sikumuh.investments.models import FundingSource, InvestmentStatus
from sikumuh.web.stale import VersionedForm
from sikumuh.web.views.investments.numbers import IndonesianDecimalField

#: A criterion's unit is the same in every rule set that has it.
UNIT_OF = {c.code: c.unit for rules in RULE_SETS.values() for c in rules.criteria}


def criterion_choices(rule_sets: list[RuleSet]) -> list[tuple[str, str]]:
    """The criteria of these rule sets, once each, by code."""
    found = {c.code: c for rules in rule_sets for c in rules.criteria}
    return [(c.code, f"{c.code} {c.name} ({c.unit})") for _, c in sorted(found.items())]


class InvestmentForm(VersionedForm):
    place = forms.ChoiceField(label=_("Location or RT"))
    criterion = forms.ChoiceField(label=_("Criterion"))
    tahun = forms.IntegerField(label=_("Budget year"), min_value=2000, max_value=2100)
    activity = forms.CharField(label=_("Activity"), max_length=200)
    volume = IndonesianDecimalField(
        label=_("Volume (in the criterion's unit)"),
        min_value=Decimal("0.000001"),
        max_digits=18,
        decimal_places=6,
    )
    funding_source = forms.ChoiceField(
        label=_("Source of funds"), choices=[("", "–"), *FundingSource.choices], required=False
    )
    cost = IndonesianDecimalField(
        label=_("Cost (Rp)"), min_value=0, max_digits=18, decimal_places=2, required=False
    )
    status = forms.ChoiceField(label=_("Status"), choices=InvestmentStatus.choices)
    note = forms.CharField(
        label=_("Note"), max_length=500, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(
        self,
        *args: Any,
        places: list[tuple[str, str]] | None,
        rule_sets: list[RuleSet],
        **kwargs: Any,
    ) -> None:
        """``rule_sets``: those whose criteria are offered (`investments.checks`: the place's
        own, or on adding the region's, the place being chosen in the form)."""
        super().__init__(*args, **kwargs)
        self.fields["criterion"].choices = criterion_choices(rule_sets)  # type: ignore[attr-defined]
        if places is None:  # editing: the place stays
            del self.fields["place"]
        else:
            self.fields["place"].choices = places  # type: ignore[attr-defined]

    def values(self) -> dict[str, Any]:
        """The investment's fields; the unit is the criterion's (criteria.md §7)."""
        data = self.cleaned_data
        return {
            "criterion": data["criterion"],
            "tahun": data["tahun"],
            "activity": data["activity"].strip(),
            "volume": data["volume"],
            "unit": UNIT_OF[data["criterion"]],
            "funding_source": data["funding_source"] or "",
            "cost": data["cost"],
            "status": data["status"],
            "note": data["note"].strip(),
        }

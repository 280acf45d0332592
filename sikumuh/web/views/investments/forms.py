"""The form of one investment: where (on adding), which criterion, year, activity, volume in the
criterion's unit, source of funds, cost, plan or realised, note."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from sikumuh.core.criteria import DEFAULT_RULE_SET_ID, get_rule_set
from sikumuh.investments.models import FundingSource, InvestmentStatus
from sikumuh.web.stale import VersionedForm
from sikumuh.web.views.investments.numbers import IndonesianDecimalField

RULES = get_rule_set(DEFAULT_RULE_SET_ID)
UNIT_OF = {c.code: c.unit for c in RULES.criteria}


class InvestmentForm(VersionedForm):
    place = forms.ChoiceField(label=_("Location or RT"))
    criterion = forms.ChoiceField(
        label=_("Criterion"),
        choices=[(c.code, f"{c.code} {c.name} ({c.unit})") for c in RULES.criteria],
    )
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

    def __init__(self, *args: Any, places: list[tuple[str, str]] | None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
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

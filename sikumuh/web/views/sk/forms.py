"""Forms of the registry: a decree's particulars, and its locations with their hectares."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from sikumuh.regions.codes import DECREE_YEAR_MIN, YEAR_MAX
from sikumuh.slums.models import Location, SkDecree
from sikumuh.web.stale import VersionedForm

#: SkLocation.luas_ha holds 12 digits with 4 decimals.
HA_MAX_DIGITS = 12
HA_DECIMALS = 4
MIN_YEAR = DECREE_YEAR_MIN
MAX_YEAR = YEAR_MAX
PARTICULARS = ("number", "date", "year", "title", "note")


class DecreeForm(VersionedForm):
    """Number, date, year, title and note of an SK; the number is unique per kabupaten."""

    number = forms.CharField(label=_("SK number"), max_length=150)
    date = forms.DateField(
        label=_("Date"),
        required=False,
        widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"}),
    )
    year = forms.IntegerField(label=_("Year"), min_value=MIN_YEAR, max_value=MAX_YEAR)
    title = forms.CharField(label=_("Title"), max_length=300, required=False)
    note = forms.CharField(
        label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(
        self, *args: Any, kabupaten_code: str, exclude_pk: int | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.kabupaten_code = kabupaten_code
        self.exclude_pk = exclude_pk

    def particular_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in PARTICULARS]

    def clean_number(self) -> str:
        number = str(self.cleaned_data["number"]).strip()
        taken = SkDecree.objects.filter(kabupaten_id=self.kabupaten_code, number=number)
        if self.exclude_pk is not None:
            taken = taken.exclude(pk=self.exclude_pk)
        if taken.exists():
            raise forms.ValidationError(
                _("An SK with this number is already registered for this kabupaten/kota.")
            )
        return number


class DecreeEntriesForm(DecreeForm):
    """The particulars plus one hectare field per location of the kabupaten: a location is in
    the SK when its field holds an area, out of it when the field is empty."""

    def __init__(
        self,
        *args: Any,
        locations: Sequence[Location],
        previous_ha: Mapping[int, Decimal] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.locations = list(locations)
        self.previous_ha = dict(previous_ha or {})
        for location in self.locations:
            previous = self.previous_ha.get(location.pk)
            self.fields[self.field_name(location)] = forms.DecimalField(
                label=location.name,
                required=False,
                min_value=Decimal("0.0001"),
                max_digits=HA_MAX_DIGITS,
                decimal_places=HA_DECIMALS,
                # "4,95" in Bahasa Indonesia, "4.95" in English.
                localize=True,
                initial=None if previous is None else _plain(previous),
                widget=forms.TextInput(attrs={"inputmode": "decimal", "size": 8}),
            )

    @staticmethod
    def field_name(location: Location) -> str:
        return f"ha_{location.pk}"

    def rows(self) -> list[tuple[Location, forms.BoundField, Decimal | None]]:
        """(location, its hectare field, its hectares in the previous version) for the page."""
        return [
            (loc, self[self.field_name(loc)], self.previous_ha.get(loc.pk))
            for loc in self.locations
        ]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        entries = [
            (location, cleaned[name])
            for location in self.locations
            if (name := self.field_name(location)) in cleaned and cleaned[name] is not None
        ]
        if not entries and not self.errors:
            raise forms.ValidationError(_("List at least one location with its area."))
        cleaned["entries"] = entries
        return cleaned


def _plain(value: Decimal) -> Decimal:
    """4.9500 → 4.95 (and 50.0000 → 50), so the form shows what was decreed."""
    return Decimal(format(value.normalize(), "f"))

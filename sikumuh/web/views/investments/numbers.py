"""Numbers in the Investasi forms as people write them in Indonesian: ``1.500.000`` rupiah,
``12,5`` m. One reading for every such field (the planner's budget and unit costs, the
investment's volume and cost): `sikumuh.io.unit_costs.parse_rupiah`, a dot before three
digits grouping thousands."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms

from sikumuh.io.unit_costs import parse_rupiah


def cost_text(value: Decimal) -> str:
    """A number as the forms show it: ``1.500.000``, ``750.000,5`` or ``12,5``."""
    whole, _, fraction = f"{value.normalize():f}".partition(".")
    grouped = f"{int(whole):,}".replace(",", ".")
    return f"{grouped},{fraction}" if fraction else grouped


class IndonesianDecimalField(forms.DecimalField):
    """A decimal of 0 or more typed as people write it (``1.500.000``, ``12,5``; a plain
    ``12.5`` too) and shown so; the DecimalField's bounds and places still apply."""

    widget = forms.TextInput

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.widget.attrs.setdefault("inputmode", "decimal")

    # django-stubs type DecimalField.to_python as IntegerField's (int); Django returns a Decimal.
    def to_python(self, value: Any) -> Decimal | None:  # type: ignore[override]
        if value in self.empty_values:
            return None
        if isinstance(value, Decimal):
            return value
        parsed = parse_rupiah(str(value))
        if parsed is None:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        # The reader keeps its own places (1500000.000000), which the field's places would
        # count; without an exponent (1.5E+6) in what the audit log records.
        number = parsed.normalize()
        return number.quantize(Decimal(1)) if int(number.as_tuple().exponent) > 0 else number

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, Decimal | int) and not isinstance(value, bool):
            return cost_text(Decimal(value))
        return value

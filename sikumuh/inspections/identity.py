"""What a sampled item is, in words: the identity block of the checklist and the choice labels.

uji-petik.md "identity": location (kecamatan, desa, RT, coordinates), activity type, volume and
unit, fiscal year, funding source, implementer, criteria addressed.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from django.utils.formats import number_format

from sikumuh.audit.actions import json_value
from sikumuh.core.criteria import DEFAULT_RULE_SET_ID, get_rule_set
from sikumuh.inspections.models import SampleItem
from sikumuh.investments.models import FundingSource
from sikumuh.regions.models import Region

_CRITERIA = {c.code: c for c in get_rule_set(DEFAULT_RULE_SET_ID).criteria}
_FUNDING = dict(FundingSource.choices)


def identity_of(item: SampleItem, names: Mapping[str, str] | None = None) -> dict[str, Any]:
    """A JSON-safe snapshot of the item's identity (kept with the checklist as it was)."""
    if names is None:
        names = dict(
            Region.objects.filter(code__in=[item.kecamatan_code, item.desa_code]).values_list(
                "code", "name"
            )
        )
    rt = item.rt
    identity: dict[str, Any] = {
        "key": item.key,
        "kecamatan": names.get(item.kecamatan_code, item.kecamatan_code),
        "desa": names.get(item.desa_code, item.desa_code),
        "rt": rt.rt if rt else "",
        "location": "",
    }
    inv = item.investment
    if inv is not None:
        criterion = _CRITERIA.get(inv.criterion)
        identity.update(
            {
                "location": f"{inv.location.code} {inv.location.name}",
                "activity": inv.activity,
                "activity_type": criterion.aspect_name if criterion else "",
                "criterion": f"{inv.criterion} {criterion.name}" if criterion else inv.criterion,
                "volume": json_value(inv.volume),
                "unit": inv.unit,
                "tahun": inv.tahun,
                "funding_source": str(_FUNDING.get(inv.funding_source, inv.funding_source)),
                "cost": json_value(inv.cost),
                "implementer": "",
            }
        )
    elif rt is not None:
        identity["location"] = f"{rt.location.code} {rt.location.name}"
    return identity


def label_of(item: SampleItem, names: Mapping[str, str]) -> str:
    """One line for lists and the XLSForm choice: "UP3-7 · Pembangunan jalan … · Sarang
    Halang RT 004 · 2021"."""
    desa = names.get(item.desa_code, item.desa_code)
    rt = f" RT {item.rt.rt}" if item.rt else ""
    inv = item.investment
    if inv is not None:
        # The volume as the active language writes numbers ("0,93 ha" in Bahasa Indonesia).
        volume = number_format(Decimal(json_value(inv.volume)), force_grouping=True)
        what = f"{inv.activity} ({volume} {inv.unit})".replace(" )", ")")
        return f"{item.key} · {what} · {desa}{rt} · {inv.tahun}"
    return f"{item.key} · {desa}{rt}"

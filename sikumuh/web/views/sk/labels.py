"""Words shown for the registry's coded values, in the active language.

Class names (Kumuh Berat … Tidak Kumuh) and typologies (di tepi air …) are domain terms that stay
Indonesian in both languages (the glossary); the government levels and the basic services are
translated.
"""

from __future__ import annotations

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from sikumuh.core.criteria import SlumClass
from sikumuh.core.handling import BASIC_SERVICE_ASPECTS, Authority

AUTHORITY_LABELS: dict[Authority, Promise] = {
    Authority.KABUPATEN_KOTA: _("Kabupaten/kota government"),
    Authority.PROVINSI: _("Provincial government"),
    Authority.PUSAT: _("Central government"),
}

#: The five basic services of the removal condition, in the order of their aspects.
SERVICES: tuple[str, ...] = tuple(BASIC_SERVICE_ASPECTS)
SERVICE_LABELS: dict[str, Promise] = {
    "jalan": _("Neighbourhood roads"),
    "air_minum": _("Drinking water"),
    "drainase": _("Drainage"),
    "air_limbah": _("Wastewater"),
    "persampahan": _("Solid waste"),
}

#: A difference between two SK versions (`surveys.sk_entries.DiffRow.kind`).
CHANGE_LABELS: dict[str, Promise] = {
    "added": _("added"),
    "removed": _("removed"),
    "changed": _("area changed"),
}


def class_label(klass: SlumClass | None) -> str:
    return klass.label_id if klass is not None else ""


def yes_no(value: bool) -> str:
    return str(_("yes") if value else _("no"))

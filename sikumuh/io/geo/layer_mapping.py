"""Which attribute of a foreign GIS layer holds what: the mapping of a consultant's slum layer
onto the product's SK locations (issue #11 §1, "a foreign layer in").

Consultants name their attributes as they like (``NAMA_LOKASI``, ``Nm_Lokasi``, ``DESA``,
``KELURAHAN``, ``KEC``, ``LUAS_HA``, ``TINGKAT_KUMUH`` …), so the user maps them on a preview; the
preview starts from a guess made from these usual names. Pure: no database.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from sikumuh.core.criteria import SlumClass
from sikumuh.io.geo.check import text_of
from sikumuh.io.geo.read import GeoFile

#: The roles an attribute can play, in the order the preview shows them.
ROLES = ("name", "desa", "kecamatan", "class", "ha", "code")
#: What each role holds, for the preview's labels and the messages.
ROLE_LABELS = {
    "name": gettext_lazy("location name"),
    "desa": gettext_lazy("desa/kelurahan"),
    "kecamatan": gettext_lazy("kecamatan"),
    "class": gettext_lazy("slum class"),
    "ha": gettext_lazy("stated area (ha)"),
    "code": gettext_lazy("location code"),
}
#: Roles the import cannot do without.
REQUIRED = ("name", "desa")

#: Usual attribute names per role, compared without case, spaces or punctuation, most specific
#: first. A name is taken for the first role that lists it.
HINTS: dict[str, tuple[str, ...]] = {
    # A DBF keeps 10 letters of a name: NAMA_LOKASI arrives as NAMA_LOKAS, hence the stubs.
    "code": (
        "kode_lokasi",
        "kode_lokas",
        "kd_lokasi",
        "kodelokasi",
        "kode_kawasan",
        "kd_kawasan",
        "id_lokasi",
    ),
    "name": (
        "nama_lokasi",
        "nama_lokas",
        "nm_lokasi",
        "namalokasi",
        "nama_kawasan",
        "nm_kawasan",
        "lokasi",
        "kawasan",
        "nama",
        "name",
    ),
    "desa": (
        "desa_kel",
        "desa_kelurahan",
        "kel_desa",
        "kelurahan_desa",
        "nama_desa",
        "nm_desa",
        "nama_kel",
        "nm_kel",
        "kelurahan",
        "desa",
        "kel",
        "wadmkd",
    ),
    "kecamatan": ("nama_kec", "nm_kec", "kecamatan", "kec", "kec_", "wadmkc"),
    "class": (
        "klasifikasi",
        "klasifikas",
        "tingkat_kumuh",
        "tingkat_kekumuhan",
        "tingkat_ku",
        "tingkat_ke",
        "kategori_kumuh",
        "kelas_kumuh",
        "klas_kumuh",
        "kategori",
        "kelas",
        "tingkat",
    ),
    "ha": (
        "luas_ha",
        "luasha",
        "luas_ha_",
        "luas_sk_ha",
        "luas_kawasan",
        "luas_sk",
        "luas",
        "area_ha",
        "ha",
        "luasan",
    ),
}


def _key(name: str) -> str:
    """``Nm_Lokasi``, ``NM LOKASI`` and ``nm-lokasi`` compare alike: ``nm_lokasi``."""
    return "_".join(re.split(r"[^a-z0-9]+", name.casefold())).strip("_")


def guess_mapping(fields: Sequence[str]) -> dict[str, str]:
    """role → attribute for the roles whose usual names the layer has (one attribute, one role)."""
    by_key: dict[str, str] = {}
    for name in fields:
        by_key.setdefault(_key(name), name)
    taken: set[str] = set()
    mapping: dict[str, str] = {}
    for role in ("code", "name", "desa", "kecamatan", "class", "ha"):
        for hint in HINTS[role]:
            found = by_key.get(hint)
            if found is not None and found not in taken:
                mapping[role] = found
                taken.add(found)
                break
    return mapping


class MappingError(ValueError):
    """A mapping the import cannot use: one translated line."""


def parse_mapping(text: str) -> dict[str, str]:
    """``name=Nm_Lokasi,desa=DESA`` → {"name": "Nm_Lokasi", "desa": "DESA"} (the CLI's --map)."""
    mapping: dict[str, str] = {}
    for part in (p.strip() for p in text.split(",")):
        if not part:
            continue
        role, sep, attribute = (s.strip() for s in part.partition("="))
        if not sep or not attribute:
            raise MappingError(_("%(part)s: write ROLE=ATTRIBUTE") % {"part": part})
        if role not in ROLES:
            raise MappingError(
                _("%(role)s: unknown role; one of: %(roles)s")
                % {"role": role, "roles": ", ".join(ROLES)}
            )
        mapping[role] = attribute
    return mapping


def mapping_problems(mapping: Mapping[str, str], fields: Sequence[str]) -> list[str]:
    """Why `mapping` cannot be used on a layer with `fields` (empty when it can)."""
    reasons = [
        _("choose the attribute holding the %(label)s (%(role)s=…)")
        % {"label": ROLE_LABELS[role], "role": role}
        for role in REQUIRED
        if role not in mapping
    ]
    for role, attribute in mapping.items():
        if attribute not in fields:
            reasons.append(
                _("%(role)s: the layer has no attribute %(attribute)s (it has: %(fields)s)")
                % {"role": role, "attribute": attribute, "fields": ", ".join(fields) or "-"}
            )
    used = list(mapping.values())
    for attribute in sorted({a for a in used if used.count(a) > 1}):
        reasons.append(_("the attribute %(attribute)s is mapped twice") % {"attribute": attribute})
    return reasons


@dataclass(frozen=True)
class AttributeSample:
    name: str
    values: list[str]  # the first distinct non-empty values, as text
    guessed_role: str | None


def samples(geofile: GeoFile, *, per_attribute: int = 3) -> list[AttributeSample]:
    """Each attribute with a few of its values and the role guessed for it (the preview)."""
    guessed = {attribute: role for role, attribute in guess_mapping(geofile.fields).items()}
    out = []
    for name in geofile.fields:
        values: list[str] = []
        for feature in geofile.features:
            text = text_of(feature.properties.get(name))
            if text and text not in values:
                values.append(text)
            if len(values) >= per_attribute:
                break
        out.append(AttributeSample(name, values, guessed.get(name)))
    return out


#: Words a layer uses for each slum class (after lower-casing; "Kumuh Berat", "BERAT", "KB").
_CLASS_WORDS: dict[str, SlumClass] = {
    "berat": SlumClass.BERAT,
    "kb": SlumClass.BERAT,
    "tinggi": SlumClass.BERAT,
    "sedang": SlumClass.SEDANG,
    "ks": SlumClass.SEDANG,
    "ringan": SlumClass.RINGAN,
    "kr": SlumClass.RINGAN,
    "rendah": SlumClass.RINGAN,
}


def parse_class(value: Any) -> SlumClass | None:
    """The slum class a layer states ("Kumuh Sedang", "SEDANG", "KS"); None when not one."""
    for word in re.split(r"[^a-z]+", text_of(value).casefold()):
        if word in _CLASS_WORDS:
            return _CLASS_WORDS[word]
    return None

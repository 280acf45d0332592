"""One feature of a foreign GIS layer as it would become an SK location with its polygon: what
`layer_check` found for it, and how the CLI's JSON and the recorded run show it."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from shapely.geometry.base import BaseGeometry

from sikumuh.core.criteria import SlumClass
from sikumuh.core.rows import Problem
from sikumuh.io.motorkawanku.names import Resolution
from sikumuh.slums.models import Location

#: Stated and computed hectares further apart than this (% of the stated) are flagged.
AREA_TOLERANCE_PCT = Decimal(2)


@dataclass
class LayerFeature:
    """One feature of the layer as it would become an SK location with its polygon."""

    index: int
    name: str
    desa_text: str
    kecamatan_text: str
    class_text: str
    slum_class: SlumClass | None = None
    resolution: Resolution | None = None
    code: str = ""  # the location's code: an existing one, or the one a new location gets
    location: Location | None = None  # the existing location it delivers, None for a new one
    computed_class: SlumClass | None = None  # from the existing location's RTs
    computed_tahun: int | None = None  # the latest year of those RTs' data
    stated_ha: Decimal | None = None
    computed_ha: Decimal | None = None
    difference_pct: Decimal | None = None
    geometry: BaseGeometry | None = None  # EPSG:4326, usable
    source_crs: str = ""
    problems: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not any(p.severity == "error" for p in self.problems)

    @property
    def desa_code(self) -> str | None:
        return self.resolution.kode_desa if self.resolution else None

    @property
    def area_differs(self) -> bool:
        return self.difference_pct is not None and abs(self.difference_pct) > AREA_TOLERANCE_PCT

    @property
    def class_differs(self) -> bool:
        """The layer states a class and the product computes another (both known)."""
        return None not in (self.slum_class, self.computed_class) and (
            self.slum_class != self.computed_class
        )

    @property
    def sk_ha(self) -> Decimal | None:
        """The hectares the SK lists: as stated, or as computed when the layer states none."""
        return self.stated_ha if self.stated_ha is not None else self.computed_ha

    def as_dict(self) -> dict[str, Any]:
        res = self.resolution
        return {
            "index": self.index,
            "name": self.name,
            "desa": self.desa_text,
            "kecamatan": self.kecamatan_text,
            "kode_desa": self.desa_code,
            "desa_name": res.desa_name if res else None,
            "method": str(res.method) if res else None,
            "class": str(self.slum_class) if self.slum_class else None,
            "computed_class": str(self.computed_class) if self.computed_class else None,
            "class_differs": self.class_differs,
            "code": self.code,
            "new_location": self.location is None,
            "stated_ha": decimal_text(self.stated_ha),
            "computed_ha": decimal_text(self.computed_ha),
            "difference_pct": decimal_text(self.difference_pct),
            "area_differs": self.area_differs,
            "ok": self.ok,
        }


def decimal_text(value: Decimal | None) -> str | None:
    return None if value is None else str(value)


def total_of(values: Iterable[Decimal | None]) -> Decimal:
    return sum((v for v in values if v is not None), Decimal(0))

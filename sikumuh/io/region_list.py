"""Loading the shipped Kemendagri 2025 region list (Kepmendagri No. 300.2.2-2138 Tahun 2025).

Idempotent: a second load inserts nothing and changes nothing; a newer list updates names.
"""

from __future__ import annotations

import csv
import gzip
import io
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from importlib import resources

from django.db import transaction

from sikumuh.audit.actions import Actor, record
from sikumuh.regions.models import Region, kind_of, level_of

REGIONS_FILE = "kemendagri_2025.csv.gz"
AREA_POPULATION_FILE = "kabupaten_luas_penduduk_2025.csv.gz"


@dataclass(frozen=True)
class LoadSummary:
    created: int
    updated: int
    unchanged: int

    @property
    def total(self) -> int:
        return self.created + self.updated + self.unchanged


def _read_packaged(name: str) -> Iterator[dict[str, str]]:
    data = resources.files("sikumuh.regions").joinpath("data", name).read_bytes()
    with io.TextIOWrapper(io.BytesIO(gzip.decompress(data)), encoding="utf-8") as text:
        yield from csv.DictReader(text)


def packaged_regions() -> list[Region]:
    stats = {row["kode"]: row for row in _read_packaged(AREA_POPULATION_FILE)}
    regions = []
    for row in _read_packaged(REGIONS_FILE):
        code, name = row["kode"].strip(), row["nama"].strip()
        level = level_of(code)
        extra = stats.get(code)
        regions.append(
            Region(
                code=code,
                name=name,
                level=level,
                kind=kind_of(code, name),
                parent_id=code.rsplit(".", 1)[0] if level > 1 else None,
                luas_km2=Decimal(extra["luas_km2"]) if extra and extra["luas_km2"] else None,
                penduduk=int(extra["penduduk_total"])
                if extra and extra["penduduk_total"]
                else None,
            )
        )
    # Parents first, so foreign keys hold on databases that check them immediately.
    regions.sort(key=lambda r: (r.level, r.code))
    return regions


_FIELDS = ("name", "level", "kind", "parent_id", "luas_km2", "penduduk")


def load_regions(*, actor: Actor | None = None) -> LoadSummary:
    """Insert missing regions and update changed ones, in one transaction, with one audit entry."""
    actor = actor or Actor.system()
    wanted = packaged_regions()
    existing = {r.code: r for r in Region.objects.all()}
    to_create = [r for r in wanted if r.code not in existing]
    to_update = []
    for region in wanted:
        old = existing.get(region.code)
        if old is not None and any(getattr(old, f) != getattr(region, f) for f in _FIELDS):
            to_update.append(region)
    summary = LoadSummary(
        created=len(to_create),
        updated=len(to_update),
        unchanged=len(wanted) - len(to_create) - len(to_update),
    )
    if not to_create and not to_update:
        return summary
    with transaction.atomic():
        Region.objects.bulk_create(to_create, batch_size=5000)
        Region.objects.bulk_update(to_update, _FIELDS, batch_size=2000)
        anchor = Region.objects.get(code=wanted[0].code)
        record(
            actor=actor,
            action="regions.load",
            obj=anchor,
            changes={},
            context={
                "source": REGIONS_FILE,
                "created": summary.created,
                "updated": summary.updated,
            },
        )
    return summary

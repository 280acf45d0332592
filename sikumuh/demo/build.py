"""Writing the Tanah Laut demo into the database through the product's own audited writes.

Locations and the SK go through `sikumuh.slums.actions`, the RT data through the importer (source
"demo", so every screen can say the data are synthetic), the investments through
`sikumuh.investments.actions.import_investments`. Idempotent: a second build finds everything
in place, writes nothing (no row, no audit entry, not even an import-run record) and says so.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction

from sikumuh.audit.actions import Actor
from sikumuh.core.criteria import HEADER_FIELDS
from sikumuh.demo.tanah_laut import DEFAULT_SEED, SOURCE_FILE, DemoData, generate
from sikumuh.investments.actions import InvestmentRow, import_investments
from sikumuh.io.importer import import_rows
from sikumuh.io.rows import ObservationRow
from sikumuh.regions.models import Level, Region
from sikumuh.slums.actions import create_decree, create_location
from sikumuh.slums.models import Location, SkDecree
from sikumuh.surveys.models import Observation, Source

IMPORT_KIND = "demo"


class DemoError(Exception):
    """The demo cannot be built here (regions missing, data rejected): one clear line."""


@dataclass(frozen=True)
class DemoSummary:
    """What one build wrote; all zero and False when the demo was already complete."""

    seed: int
    kabupaten_code: str
    sk_number: str
    sk_created: bool
    locations_created: int
    observations_created: int
    observations_updated: int
    investments_created: int
    investments_updated: int

    @property
    def changed(self) -> bool:
        return bool(
            self.sk_created
            or self.locations_created
            or self.observations_created
            or self.observations_updated
            or self.investments_created
            or self.investments_updated
        )


def build_demo(*, actor: Actor, seed: int = DEFAULT_SEED) -> DemoSummary:
    """Generate the demo for `seed` and write whatever of it the database does not hold yet."""
    data = generate(seed)
    codes = {data.kabupaten_code, *(loc.desa_code for loc in data.locations)}
    regions = Region.objects.in_bulk(list(codes))
    missing = sorted(codes - set(regions))
    if missing:
        raise DemoError(
            f"regions {', '.join(missing[:5])} are not in the database; run `sikumuh migrate` first"
        )
    kabupaten = regions[data.kabupaten_code]
    if kabupaten.level != Level.KABUPATEN:
        raise DemoError(f"{kabupaten.code} is not a kabupaten/kota")

    with transaction.atomic():
        locations, locations_created = _ensure_locations(data, kabupaten, regions, actor=actor)
        sk_created = _ensure_decree(data, kabupaten, locations, actor=actor)
        created = updated = 0
        if not _observations_in_place(data):
            report = import_rows(
                list(data.rows),
                actor=actor,
                kind=IMPORT_KIND,
                source=Source.DEMO,
                file_name=SOURCE_FILE,
                region_code=data.kabupaten_code,
                extra={"seed": seed},
            )
            if not report.ok:
                raise DemoError(f"the demo RT data were rejected: {report.errors[0]}")
            created, updated = report.created, report.updated
        investments = import_investments(
            [
                InvestmentRow(
                    file=SOURCE_FILE,
                    row=str(number),
                    kabupaten_code=data.kabupaten_code,
                    lokasi=inv.location_code,
                    rt=inv.rt,
                    criterion=inv.criterion,
                    tahun=inv.tahun,
                    activity=inv.activity,
                    volume=inv.volume,
                    unit=inv.unit,
                    funding_source=inv.funding_source,
                    cost=inv.cost,
                    source_ref=inv.source_ref,
                )
                for number, inv in enumerate(data.investments, 1)
            ],
            actor=actor,
            context={"import": IMPORT_KIND, "seed": seed},
        )
        if not investments.ok:
            raise DemoError(f"the demo investments were rejected: {investments.errors[0]}")
    return DemoSummary(
        seed=seed,
        kabupaten_code=data.kabupaten_code,
        sk_number=data.sk_number,
        sk_created=sk_created,
        locations_created=locations_created,
        observations_created=created,
        observations_updated=updated,
        investments_created=investments.created,
        investments_updated=investments.updated,
    )


def _ensure_locations(
    data: DemoData, kabupaten: Region, regions: dict[str, Region], *, actor: Actor
) -> tuple[dict[str, Location], int]:
    """The demo's locations, created with their desa and typology where absent. An existing
    location of the same code is left as it is (someone may have edited it)."""
    existing = {
        loc.code: loc
        for loc in Location.objects.filter(
            kabupaten=kabupaten, code__in=[d.code for d in data.locations]
        )
    }
    created = 0
    for demo in data.locations:
        if demo.code in existing:
            continue
        existing[demo.code] = create_location(
            actor=actor,
            kabupaten=kabupaten,
            code=demo.code,
            name=demo.name,
            desa=regions[demo.desa_code],
            typology=demo.typology.value,
        )
        created += 1
    return existing, created


def _ensure_decree(
    data: DemoData, kabupaten: Region, locations: dict[str, Location], *, actor: Actor
) -> bool:
    """The demo SK, created once; an SK of that number is never rewritten."""
    if SkDecree.objects.filter(kabupaten=kabupaten, number=data.sk_number).exists():
        return False
    create_decree(
        actor=actor,
        kabupaten=kabupaten,
        number=data.sk_number,
        year=data.sk_year,
        date=data.sk_date,
        title=data.sk_title,
        entries=[(locations[loc.code], loc.sk_ha) for loc in data.locations],
        note="Data demo sintetis (sikumuh demo); hanya angka berita uji petik 2021 yang nyata.",
    )
    return True


def _observations_in_place(data: DemoData) -> bool:
    """True when every demo row is already stored with the same values, so that a rebuild does
    not even record an import run. Anything missing or different goes through the importer."""
    stored = {
        (obs.rt.location.code, obs.rt.rt, obs.tahun): obs
        for obs in Observation.objects.filter(
            rt__location__kabupaten_id=data.kabupaten_code,
            rt__location__code__in={row.lokasi for row in data.rows},
        ).select_related("rt__location")
    }
    return all(_same(row, stored.get((row.lokasi, row.rt, row.tahun))) for row in data.rows)


def _same(row: ObservationRow, obs: Observation | None) -> bool:
    if obs is None or obs.rule_set != row.rule_set or obs.percents:
        return False
    if any(getattr(obs, name) != row.header.get(name) for name in HEADER_FIELDS):
        return False
    stored = {code: None if v is None else Decimal(v) for code, v in obs.volumes.items()}
    return stored == row.volumes

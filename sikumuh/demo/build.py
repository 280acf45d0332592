"""Writing the Tanah Laut demo into the database through the product's own audited writes.

Locations and the SK go through `sikumuh.slums.actions`, the RT data through the importer (source
"demo", so every screen can say the data are synthetic), the investments through
`sikumuh.investments.actions.import_investments`, the sosialisasi and FGD records (report: 7
kecamatan, 35 of 48 SK desa) through `sikumuh.fieldwork.actions`. Idempotent: a second build
finds everything in place, writes nothing (no row, no audit entry, not even an import-run
record) and says so.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction

from sikumuh.audit.actions import Actor
from sikumuh.core.criteria import HEADER_FIELDS
from sikumuh.core.rows import InvestmentRow, ObservationRow
from sikumuh.demo.fieldwork import generate_fieldwork
from sikumuh.demo.polygons import demo_polygons
from sikumuh.demo.tanah_laut import DEFAULT_SEED, SOURCE_FILE, DemoData, generate
from sikumuh.demo.ujipetik_build import ensure_demo_uji_petik
from sikumuh.fieldwork.actions import create_fgd, create_sosialisasi
from sikumuh.fieldwork.models import Fgd, Sosialisasi
from sikumuh.investments.actions import import_investments
from sikumuh.io.importer import import_rows
from sikumuh.regions.models import Level, Region
from sikumuh.slums.actions import create_decree, create_location
from sikumuh.slums.delineation_actions import save_geometry
from sikumuh.slums.models import Location, SkDecree
from sikumuh.surveys.models import Observation, Source, YearLock
from sikumuh.surveys.review import lock_year

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
    fieldwork_created: int = 0
    baseline_locked: bool = False
    polygons_created: int = 0

    @property
    def changed(self) -> bool:
        return bool(
            self.sk_created
            or self.locations_created
            or self.observations_created
            or self.observations_updated
            or self.investments_created
            or self.investments_updated
            or self.fieldwork_created
            or self.baseline_locked
            or self.polygons_created
        )


def build_demo(
    *, actor: Actor, seed: int = DEFAULT_SEED, lock_baseline: bool = False
) -> DemoSummary:
    """Generate the demo for `seed` and write whatever of it the database does not hold yet.

    `lock_baseline` also locks the approved baseline year (2019) of the kabupaten, as the Pokja
    would once the SK rests on it; `sikumuh demo` asks for it, tests that edit demo data do not.
    A lock that was lifted since (there is a YearLock row) is left lifted.
    """
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
        polygons_created = _ensure_polygons(data, locations, seed=seed, actor=actor)
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
        fieldwork_created = _ensure_fieldwork(data, regions_under=kabupaten, actor=actor)
        ensure_demo_uji_petik(actor=actor, seed=seed)  # the 2020 and 2021 uji petik
        baseline_locked = False
        if (
            lock_baseline
            and not YearLock.objects.filter(kabupaten=kabupaten, tahun=data.baseline_year).exists()
        ):
            lock_year(
                actor=actor,
                kabupaten=kabupaten,
                tahun=data.baseline_year,
                note=f"Data dasar {data.baseline_year} untuk SK kumuh, final.",
            )
            baseline_locked = True
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
        fieldwork_created=fieldwork_created,
        baseline_locked=baseline_locked,
        polygons_created=polygons_created,
    )


def _ensure_fieldwork(data: DemoData, *, regions_under: Region, actor: Actor) -> int:
    """The demo's sosialisasi and FGD records, each created only where its kecamatan (desa)
    has no record yet, so a rebuild writes nothing and edits made in the demo are kept."""
    fieldwork = generate_fieldwork(data)
    codes = {s.kecamatan_code for s in fieldwork.sosialisasi} | {f.desa_code for f in fieldwork.fgd}
    regions = Region.objects.in_bulk(list(codes))
    if len(regions) != len(codes):
        raise DemoError(f"regions of {regions_under.code} are missing; run `sikumuh migrate`")
    held_kecamatan = set(
        Sosialisasi.objects.filter(kecamatan_id__in=codes).values_list("kecamatan_id", flat=True)
    )
    held_desa = set(Fgd.objects.filter(desa_id__in=codes).values_list("desa_id", flat=True))
    created = 0
    for sos in fieldwork.sosialisasi:
        if sos.kecamatan_code in held_kecamatan:
            continue
        create_sosialisasi(
            actor=actor,
            kecamatan=regions[sos.kecamatan_code],
            date=sos.date,
            place=sos.place,
            participants=sos.participants,
            notes=sos.notes,
        )
        created += 1
    for fgd in fieldwork.fgd:
        if fgd.desa_code in held_desa:
            continue
        create_fgd(
            actor=actor,
            desa=regions[fgd.desa_code],
            date=fgd.date,
            place=fgd.place,
            participants=fgd.participants,
            notes=fgd.notes,
            delineation_agreed=fgd.delineation_agreed,
        )
        created += 1
    return created


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


def _ensure_polygons(
    data: DemoData, locations: dict[str, Location], *, seed: int, actor: Actor
) -> int:
    """The demo's synthetic delineations, saved as version 1 of each location that has no
    polygon yet (through the delineation action, so they are audited like an upload)."""
    missing = [loc for loc in data.locations if locations[loc.code].polygon is None]
    if not missing:
        return 0
    polygons = demo_polygons(data.locations, seed)
    for demo in missing:
        save_geometry(
            actor=actor,
            location=locations[demo.code],
            geometry=polygons[demo.code],
            source=SOURCE_FILE,
            note="Delineasi demo sintetis",
        )
    return len(missing)


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

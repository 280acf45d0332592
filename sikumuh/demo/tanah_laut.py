"""Synthetic slum data for Kabupaten Tanah Laut (63.01) that reproduce the 2021 uji petik figures.

No public source gives the regency's slum data per RT, so everything here apart from the figures
of the Bappeda news report of 5 November 2021 (seed-facts.md) is synthetic, made by code from a
seed. Pure: no Django, no database; `sikumuh.demo.build` writes it through the product.

What the data are built to show (each figure is computed by the product from the RT data):

* an SK Kumuh (2020) listing 48 locations, one in each of 48 real desa/kelurahan, 184.92 ha;
* RT data for the baseline year 2019 and for 2021. Every SK RT is kumuh at baseline, so the
  kabupaten's baseline slum area equals the SK total;
* in Kecamatan Pelaihari, RTs covering exactly 23.17 ha become Tidak Kumuh: 47.53 → 24.36 ha,
  48.75 % of its own baseline and 12.53 % of the SK total (the percentage the report quotes);
* every SK location in Kecamatan Bajuin (Sungai Bakar, Pemalongan) and Batu Ampar (Gunung Mas)
  is Tidak Kumuh in 2021 with every basic service above 80 % coverage (status removed);
* the RTs of the other eight kecamatan are surveyed again in 2021 and are still kumuh;
* the TA 2020–2021 investments that explain each improvement: for every invested criterion the
  2021 volume is max(0, baseline − Σ investment), so "kumuh akhir" projection and survey agree.

Why 2019 is the baseline: it is the last year before the TA 2020 and 2021 investments that the
uji petik of November 2021 evaluates, and the survey on which the (synthetic) SK of 2020 rests;
the report's "before" is that baseline and its "now" the 2021 survey.

Exactness: areas are whole hundredths of a hectare, split from the target totals by largest
remainder over seeded integer weights, so every partition sums exactly and a location's SK
hectares are the sum of its RTs. Volumes come from a target score per criterion, drawn inside that
score's band (whole units for counts and metres, hundredths for hectares). The tests re-score
every row with the engine instead of trusting this construction.
"""

from __future__ import annotations

import csv
import datetime as dt
import gzip
import io
import random
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from importlib import resources

from sikumuh.core.criteria import HEADER_FIELDS, PERMEN_PUPR_14_2018, SlumClass
from sikumuh.core.handling import Typology
from sikumuh.core.rows import ObservationRow
from sikumuh.demo.rt_scores import (
    CLASS_WEIGHTS,
    CODES,
    CRITERIA,
    RESIDUAL,
    Role,
    draw_volume,
    scores_2021,
    scores_for_class,
)

KABUPATEN = "63.01"
PELAIHARI = "63.01.03"
BAJUIN = "63.01.10"
BATU_AMPAR = "63.01.09"
#: Kecamatan whose slum status the report says was removed (every SK location Tidak Kumuh).
REMOVED_KECAMATAN = (BAJUIN, BATU_AMPAR)
#: Sungai Bakar, Pemalongan (Bajuin) and Gunung Mas (Batu Ampar): the report's three desa.
REMOVED_DESA = ("63.01.10.2002", "63.01.10.2006", "63.01.09.2002")

# The figures of the source document (seed-facts.md): the specification, not results.
SK_TOTAL_HA = Decimal("184.92")
PELAIHARI_BASELINE_HA = Decimal("47.53")
PELAIHARI_CURRENT_HA = Decimal("24.36")

BASELINE_YEAR = 2019
CURRENT_YEAR = 2021
INVESTMENT_YEARS = (2020, 2021)
DEFAULT_SEED = 2021

SK_NUMBER = "DEMO/188.45/2020"
SK_YEAR = 2020
SK_DATE = dt.date(2020, 6, 15)
SK_TITLE = (
    "Penetapan Lokasi Perumahan Kumuh dan Permukiman Kumuh Kabupaten Tanah Laut (demo sintetis)"
)
DEMO_LABEL = "Data demo sintetis — bukan data resmi Kabupaten Tanah Laut"
SOURCE_FILE = "demo:tanah-laut"
RULE_SET = PERMEN_PUPR_14_2018

_REGIONS_FILE = "kemendagri_2025.csv.gz"  # the loader's packaged Kemendagri 2025 list


@dataclass(frozen=True)
class KecamatanPlan:
    """How many SK locations a kecamatan gets, their typology, and its data-collection state.

    ``sosialisasi``: the baseline data collection was opened there by 2021 (the report: 7
    kecamatan); FGD was then held in each of its SK desa (the report: 35 of 48 desa).
    """

    code: str
    locations: int
    typology: Typology
    fixed_desa: tuple[str, ...] = ()
    sosialisasi: bool = False


# 48 locations over the 11 kecamatan. Pelaihari, the regency's urban centre, gets its 5 kelurahan
# and 3 desa; Bajuin and Batu Ampar get exactly the desa the report names; the 7 kecamatan with
# sosialisasi hold 35 SK desa (FGD held in all of them); Kintap, Bajuin and Batu Ampar had none
# (the last two need no new delineation: their status was removed). Typology is illustrative:
# coastal and tidal-river kecamatan "di tepi air", the hills of Bajuin/Batu Ampar "di perbukitan".
KECAMATAN_PLAN: tuple[KecamatanPlan, ...] = (
    KecamatanPlan("63.01.01", 5, Typology.DI_TEPI_AIR, sosialisasi=True),  # Takisung
    KecamatanPlan("63.01.02", 5, Typology.DI_DATARAN_RENDAH, sosialisasi=True),  # Jorong
    KecamatanPlan(PELAIHARI, 8, Typology.DI_DATARAN_RENDAH),
    KecamatanPlan("63.01.04", 5, Typology.DI_TEPI_AIR, sosialisasi=True),  # Kurau
    KecamatanPlan("63.01.05", 6, Typology.DI_DATARAN_RENDAH, sosialisasi=True),  # Bati Bati
    KecamatanPlan("63.01.06", 4, Typology.DI_TEPI_AIR, sosialisasi=True),  # Panyipatan
    KecamatanPlan("63.01.07", 2, Typology.DI_TEPI_AIR),  # Kintap
    KecamatanPlan("63.01.08", 4, Typology.DI_DATARAN_RENDAH, sosialisasi=True),  # Tambang Ulang
    KecamatanPlan(BATU_AMPAR, 1, Typology.DI_PERBUKITAN, fixed_desa=("63.01.09.2002",)),
    KecamatanPlan(BAJUIN, 2, Typology.DI_PERBUKITAN, fixed_desa=("63.01.10.2002", "63.01.10.2006")),
    KecamatanPlan("63.01.11", 6, Typology.DI_TEPI_AIR, sosialisasi=True),  # Bumi Makmur
)


@dataclass(frozen=True)
class DemoLocation:
    code: str
    name: str
    desa_code: str
    desa_name: str
    kecamatan_code: str
    kecamatan_name: str
    typology: Typology
    sk_ha: Decimal
    rts: tuple[str, ...]


@dataclass(frozen=True)
class DemoRt:
    location_code: str
    rt: str
    desa_code: str
    luas_ha: Decimal
    role: Role


@dataclass(frozen=True)
class DemoInvestment:
    """One activity of TA 2020/2021 in one RT; ``volume`` in the criterion's unit."""

    location_code: str
    rt: str
    criterion: str
    tahun: int
    activity: str
    volume: Decimal
    unit: str
    funding_source: str  # a `sikumuh.investments.models.FundingSource` value
    cost: Decimal  # Rupiah
    source_ref: str


@dataclass(frozen=True)
class DemoData:
    seed: int
    kabupaten_code: str
    sk_number: str
    sk_year: int
    sk_date: dt.date
    sk_title: str
    baseline_year: int
    current_year: int
    locations: tuple[DemoLocation, ...]
    rts: tuple[DemoRt, ...]
    rows: tuple[ObservationRow, ...]
    investments: tuple[DemoInvestment, ...]
    #: Kecamatan where the baseline data collection was opened (the report: 7).
    sosialisasi_kecamatan: tuple[str, ...]
    #: SK desa where the FGD was held (the report: 35 of 48).
    fgd_desa: tuple[str, ...]

    @property
    def sk_total_ha(self) -> Decimal:
        return sum((loc.sk_ha for loc in self.locations), Decimal(0))

    def rows_for(self, year: int) -> list[ObservationRow]:
        return [row for row in self.rows if row.tahun == year]


# --- Regions -----------------------------------------------------------------------------------


def region_names(prefix: str = KABUPATEN) -> dict[str, str]:
    """Code → name of the packaged Kemendagri regions under `prefix` (read without Django)."""
    data = resources.files("sikumuh.regions").joinpath("data", _REGIONS_FILE).read_bytes()
    with io.TextIOWrapper(io.BytesIO(gzip.decompress(data)), encoding="utf-8") as text:
        return {
            row["kode"].strip(): row["nama"].strip()
            for row in csv.DictReader(text)
            if row["kode"].startswith(prefix + ".")
        }


def _is_kelurahan(desa_code: str) -> bool:
    # Kepmendagri 2025: a last segment starting with 1 is a kelurahan, with 2 a desa.
    return desa_code.rsplit(".", 1)[1].startswith("1")


def choose_desa(plan: KecamatanPlan, names: Mapping[str, str]) -> list[str]:
    """The SK desa of a kecamatan: the fixed ones, else its kelurahan and then desa spread evenly
    over the code list. Independent of the seed, so every seed describes the same SK."""
    if plan.fixed_desa:
        return list(plan.fixed_desa)
    children = sorted(c for c in names if c.startswith(plan.code + ".") and c.count(".") == 3)
    kelurahan = [c for c in children if _is_kelurahan(c)][: plan.locations]
    desa = [c for c in children if not _is_kelurahan(c)]
    wanted = plan.locations - len(kelurahan)
    if wanted > len(desa):
        raise ValueError(f"kecamatan {plan.code} has too few desa for {plan.locations} locations")
    return sorted(kelurahan + [desa[i * len(desa) // wanted] for i in range(wanted)])


# --- Exact areas -------------------------------------------------------------------------------


def _hundredths(value: Decimal) -> int:
    scaled = value * 100
    if scaled != scaled.to_integral_value():
        raise ValueError(f"{value} is not a whole number of hundredths")
    return int(scaled)


def allocate(total: int, weights: Sequence[int], minimum: int) -> list[int]:
    """Split `total` (integer units) into parts ≥ `minimum`, proportional to integer `weights`
    above the minimum, summing exactly to `total` (largest remainder, ties to the first)."""
    spare = total - minimum * len(weights)
    if spare < 0 or not weights or min(weights) <= 0:
        raise ValueError(f"cannot split {total} into {len(weights)} parts of at least {minimum}")
    weight_sum = sum(weights)
    parts = [spare * w // weight_sum for w in weights]
    remainders = [spare * w % weight_sum for w in weights]
    order = sorted(range(len(weights)), key=lambda i: (-remainders[i], i))
    for i in order[: spare - sum(parts)]:
        parts[i] += 1
    return [minimum + p for p in parts]


# --- Volumes from target scores ----------------------------------------------------------------

# --- Header and investments --------------------------------------------------------------------


def _header_units(rng: random.Random, luas: int) -> dict[str, int]:
    """Denominators in whole units (luas in hundredths of a ha): a low-density settlement of
    20–45 buildings/ha, 1.0–1.25 KK per building, 3.3–4.0 people per KK, 120–220 m of road per
    ha and drains along 1.2–1.8 × the road length."""
    bangunan = max(8, luas * rng.randint(20, 45) // 100)
    kk = bangunan * rng.randint(100, 125) // 100
    jalan = max(60, luas * rng.randint(120, 220) // 100)
    return {
        "luas_ha": luas,
        "jumlah_bangunan": bangunan,
        "jumlah_penduduk": kk * rng.randint(33, 40) // 10,
        "jumlah_kk": kk,
        "panjang_jalan_ideal_m": jalan,
        "panjang_drainase_ideal_m": jalan * rng.randint(12, 18) // 10,
    }


def _decimal(units: int, field_name: str) -> Decimal:
    """Units → Decimal: hectares are counted in hundredths, everything else in whole units."""
    return Decimal(units).scaleb(-2) if field_name == "luas_ha" else Decimal(units)


# Kegiatan per criterion: (activity, Rupiah per unit of the criterion, funding sources). Unit
# costs are round, plausible 2020–2021 figures for South Kalimantan, not programme prices.
_ACTIVITIES: dict[str, tuple[str, int, tuple[str, ...]]] = {
    "1a": ("Penataan bangunan (garis sempadan dan tata letak)", 3_500_000, ("apbd", "swadaya")),
    "1c": ("Rehabilitasi rumah tidak layak huni (RTLH)", 20_000_000, ("apbn", "apbd")),
    "2a": ("Pembangunan jalan lingkungan", 850_000, ("apbn", "apbd", "dana_desa")),
    "2b": ("Peningkatan jalan lingkungan (rabat beton)", 600_000, ("apbn", "apbd", "dana_desa")),
    "3a": ("Sambungan rumah air minum (PDAM)", 2_500_000, ("apbd", "apbn")),
    "3b": ("Sumur bor dan hidran umum", 1_500_000, ("apbn", "dana_desa")),
    "4a": ("Penanganan genangan (normalisasi saluran)", 120_000_000, ("apbd", "apbn")),
    "4b": ("Pembangunan saluran drainase lingkungan", 950_000, ("apbn", "apbd")),
    "4c": ("Rehabilitasi saluran drainase", 450_000, ("apbn", "dana_desa")),
    "5a": ("Jamban sehat dengan tangki septik individual", 6_000_000, ("apbn", "swadaya")),
    "5b": ("IPAL komunal dan sambungan rumah", 9_000_000, ("apbn",)),
    "6a": ("Gerobak sampah, tong pilah dan TPS-3R", 350_000, ("apbd", "apbn")),
    "6b": ("Pengelolaan sampah berbasis masyarakat (bank sampah)", 150_000, ("apbd", "swadaya")),
    "7a": ("Hidran kebakaran dan pos pemadam lingkungan", 1_200_000, ("apbd", "csr")),
    "7b": ("Alat pemadam api ringan (APAR)", 650_000, ("csr", "apbd", "swadaya")),
}


def _investments(
    rng: random.Random, rt: DemoRt, code: str, amount: int
) -> Iterator[DemoInvestment]:
    """The activities that reduced criterion `code` of an RT by `amount` units: one, or one per
    budget year (their volumes add up to `amount`)."""
    activity, unit_cost, sources = _ACTIVITIES[code]
    if _is_kelurahan(rt.desa_code):  # Dana Desa goes to desa, never to kelurahan
        sources = tuple(s for s in sources if s != "dana_desa")
    if amount >= 2 and rng.random() < 0.3:
        first = rng.randint(1, amount - 1)
        parts = [(INVESTMENT_YEARS[0], first), (INVESTMENT_YEARS[1], amount - first)]
    else:
        parts = [(rng.choice(INVESTMENT_YEARS), amount)]
    criterion = CRITERIA[code]
    per_unit = 100 if criterion.denominator == "luas_ha" else 1
    for tahun, units in parts:
        rupiah = units * unit_cost * rng.randint(85, 115) // (100 * per_unit)
        yield DemoInvestment(
            location_code=rt.location_code,
            rt=rt.rt,
            criterion=code,
            tahun=tahun,
            activity=activity,
            volume=_decimal(units, criterion.denominator),
            unit=criterion.unit,
            funding_source=rng.choice(sources),
            cost=Decimal(round(rupiah, -3)),
            source_ref=f"demo:{rt.location_code}/{rt.rt}/{code}/{tahun}",
        )


# --- The data set ------------------------------------------------------------------------------


def _survey_units(
    rng: random.Random, rt: DemoRt, header: Mapping[str, int], residual: frozenset[str]
) -> tuple[dict[str, int], dict[str, int], list[DemoInvestment]]:
    """Baseline and 2021 volumes (whole units) of one RT, and the investments between them."""
    klass = rng.choices(
        (SlumClass.RINGAN, SlumClass.SEDANG, SlumClass.BERAT), CLASS_WEIGHTS[rt.role]
    )[0]
    scores = scores_for_class(rng, klass)
    baseline = {c: draw_volume(rng, header[CRITERIA[c].denominator], s) for c, s in scores.items()}
    later = scores_2021(rng, rt.role, scores, residual)
    current = dict(baseline)
    spent: list[DemoInvestment] = []
    for code in CODES:
        if later[code] != scores[code]:
            current[code] = draw_volume(rng, header[CRITERIA[code].denominator], later[code])
            spent.extend(_investments(rng, rt, code, baseline[code] - current[code]))
    return baseline, current, spent


def _rt_labels(rng: random.Random, count: int) -> list[str]:
    """RT numbers as the field writes them ("003"): distinct, not always consecutive."""
    return [f"{n:03d}" for n in sorted(rng.sample(range(1, count + 9), count))]


def _plan_rts(
    rng: random.Random, desa: list[tuple[KecamatanPlan, str]]
) -> list[list[tuple[Role, int]]]:
    """Per location, its RTs' roles and areas (hundredths of a ha), hitting the targets exactly."""
    roles: list[list[Role]] = []
    for plan, desa_code in desa:
        if plan.code == PELAIHARI:
            count = rng.randint(3, 6)
            # The kelurahan (the town) got most of the handling; every location keeps ≥ 1 kumuh RT
            # in a kelurahan so that Pelaihari always has both kinds.
            improved = (
                rng.randint(1, count - 1) if _is_kelurahan(desa_code) else rng.randint(0, count)
            )
            roles.append([Role.IMPROVED] * improved + [Role.STILL_KUMUH] * (count - improved))
        elif plan.code in REMOVED_KECAMATAN:
            roles.append([Role.REMOVED] * rng.randint(2, 4))
        else:
            roles.append([Role.UNHANDLED] * rng.randint(2, 5))
    pools = {
        # Pelaihari: 23.17 ha handled, 24.36 ha still kumuh; the rest of the SK is elsewhere.
        (Role.IMPROVED,): _hundredths(PELAIHARI_BASELINE_HA - PELAIHARI_CURRENT_HA),
        (Role.STILL_KUMUH,): _hundredths(PELAIHARI_CURRENT_HA),
        (Role.REMOVED, Role.UNHANDLED): _hundredths(SK_TOTAL_HA - PELAIHARI_BASELINE_HA),
    }
    areas: dict[tuple[int, int], int] = {}
    for pool_roles, total in pools.items():
        slots = [(i, j) for i, rs in enumerate(roles) for j, r in enumerate(rs) if r in pool_roles]
        # At least 0.30 ha an RT, up to about 4 times the smallest weight.
        parts = allocate(total, [rng.randint(40, 160) for _ in slots], minimum=30)
        areas.update(zip(slots, parts, strict=True))
    return [[(r, areas[(i, j)]) for j, r in enumerate(rts)] for i, rts in enumerate(roles)]


def generate(seed: int = DEFAULT_SEED) -> DemoData:
    """The whole demo data set for Tanah Laut. The same seed gives the same data; another seed
    gives other RTs (areas, volumes, investments) over the same 48 desa, with the same figures."""
    rng = random.Random(seed)
    names = region_names(KABUPATEN)
    desa = [(plan, code) for plan in KECAMATAN_PLAN for code in choose_desa(plan, names)]
    desa.sort(key=lambda item: item[1])
    rt_plans = _plan_rts(rng, desa)

    locations: list[DemoLocation] = []
    rts: list[DemoRt] = []
    baseline_rows: list[ObservationRow] = []
    current_rows: list[ObservationRow] = []
    investments: list[DemoInvestment] = []
    for index, ((plan, desa_code), rt_plan) in enumerate(zip(desa, rt_plans, strict=True), 1):
        code = f"TL-{index:02d}"
        name = f"Kawasan {names[desa_code]}"
        labels = _rt_labels(rng, len(rt_plan))
        residual = frozenset({"1b", rng.choice(RESIDUAL)})
        for label, (role, luas) in zip(labels, rt_plan, strict=True):
            rt = DemoRt(code, label, desa_code, _decimal(luas, "luas_ha"), role)
            rts.append(rt)
            header_units = _header_units(rng, luas)
            header = {f: _decimal(header_units[f], f) for f in HEADER_FIELDS}
            units, units_2021, spent = _survey_units(rng, rt, header_units, residual)
            investments.extend(spent)
            for year, volume_units, out in (
                (BASELINE_YEAR, units, baseline_rows),
                (CURRENT_YEAR, units_2021, current_rows),
            ):
                out.append(
                    ObservationRow(
                        file=SOURCE_FILE,
                        row="",  # numbered below, once both years are listed
                        kode_desa=desa_code,
                        lokasi=code,
                        rt=label,
                        tahun=year,
                        header=dict(header),
                        volumes={
                            c: _decimal(v, CRITERIA[c].denominator) for c, v in volume_units.items()
                        },
                        lokasi_name=name,
                        rule_set=RULE_SET.id,
                        source_ref=f"demo:{code}/{label}/{year}",
                    )
                )
        locations.append(
            DemoLocation(
                code=code,
                name=name,
                desa_code=desa_code,
                desa_name=names[desa_code],
                kecamatan_code=plan.code,
                kecamatan_name=names[plan.code],
                typology=plan.typology,
                sk_ha=sum((_decimal(luas, "luas_ha") for _, luas in rt_plan), Decimal(0)),
                rts=tuple(labels),
            )
        )
    rows = baseline_rows + current_rows
    for number, row in enumerate(rows, 1):
        row.row = str(number)
    sosialisasi = tuple(p.code for p in KECAMATAN_PLAN if p.sosialisasi)
    return DemoData(
        seed=seed,
        kabupaten_code=KABUPATEN,
        sk_number=SK_NUMBER,
        sk_year=SK_YEAR,
        sk_date=SK_DATE,
        sk_title=SK_TITLE,
        baseline_year=BASELINE_YEAR,
        current_year=CURRENT_YEAR,
        locations=tuple(locations),
        rts=tuple(rts),
        rows=tuple(rows),
        investments=tuple(investments),
        sosialisasi_kecamatan=sosialisasi,
        fgd_desa=tuple(loc.desa_code for loc in locations if loc.kecamatan_code in sosialisasi),
    )

"""Synthetic uji petik answers for the Tanah Laut demo: checklists, findings, re-surveys.

Pure (no Django): `sikumuh.demo.ujipetik_build` draws the samples through the product and writes
these answers through its audited actions. The news report of 5 November 2021 says the spot
check of TA 2021 was held (Thursday 4 November 2021, Bappeda Tanah Laut) but gives no result of
it, so every answer here is invented — plausibly (most works berfungsi, a few findings) and
reproducibly: each item's answers come from a generator seeded with (seed, item), so they do
not change when another item enters the sample.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

DEFAULT_SEED = 2021
KABUPATEN = "63.01"

#: The earlier spot check (TA 2020 works), whose open follow-ups carry into 2021.
EARLIER = {
    "title": "Uji petik Program KOTAKU TA 2020 (demo sintetis)",
    "tahun": (2020,),
    "n": 10,
    "strata": ("kecamatan",),
    "seed": 2020,
    "drawn_at": dt.datetime(2020, 11, 19, 9, 0, tzinfo=dt.UTC),
}
#: The spot check of the news report: TA 2020–2021 works, kecamatan × activity type.
CURRENT = {
    "title": "Uji Petik Program KOTAKU TA 2021 (demo sintetis)",
    "tahun": (2020, 2021),
    "n": 40,
    "strata": ("kecamatan", "aspect"),
    "seed": DEFAULT_SEED,
    "drawn_at": dt.datetime(2021, 10, 18, 1, 0, tzinfo=dt.UTC),
}
NOTE = (
    "Data demo sintetis. Uji petik program KOTAKU TA 2021 diselenggarakan Pokja PPAS bersama "
    "Tim Fasilitator, Kamis 4 November 2021 di Aula Dialektika Bappeda Tanah Laut; jawaban "
    "checklist di sini rekaan."
)
#: A finding of the TA 2020 spot check still open a year later: carried into TA 2021.
EARLIER_OPEN_FINDING: dict[str, Any] = {
    "severity": "sedang",
    "description": "Berita acara serah terima aset belum ditandatangani; KPP belum menerima aset.",
    "action": "Serah terima aset dari KSM kepada KPP dan pencatatan dalam daftar aset desa.",
    "responsible": "Dinas Perkim Kab. Tanah Laut",
    "deadline": dt.date(2021, 3, 31),
}
PURPOSIVE_REASON = "Nilai kegiatan terbesar yang tidak terpilih acak (dipilih Pokja)"

SURVEYORS = (
    "Tim Pokja PPAS (Bappeda)",
    "Tim Pokja PPAS (Dinas Perkim)",
    "KMW Kalimantan Selatan",
    "Satker PIP Kalimantan Selatan",
)
RESPONSIBLE = (
    "BKM/LKM setempat",
    "KSM pelaksana",
    "Dinas Perkim Kab. Tanah Laut",
    "Tim Fasilitator Kotaku Kab. Tanah Laut",
)
FACILITATORS = ("Faskel Tim 1", "Faskel Tim 2", "Faskel Tim 3")
# Around Pelaihari (WGS 84, latitude first as a phone's GPS gives it).
_CENTRE = {"63.01.03": (-3.80, 114.76), "63.01.10": (-3.70, 114.85), "63.01.09": (-3.87, 114.96)}


@dataclass(frozen=True)
class DemoFinding:
    severity: str
    description: str
    action: str
    responsible: str
    deadline: dt.date
    #: Closing evidence when the follow-up is already done, else None.
    closed_with: str | None


@dataclass(frozen=True)
class DemoChecklist:
    values: dict[str, Any]
    submitted_at: dt.datetime
    finding: DemoFinding | None


def checklist(
    *,
    seed: int,
    item: str,
    volume: Decimal,
    kecamatan: str,
    fieldwork_day: dt.date,
) -> DemoChecklist:
    """The answers for one sampled work (`item`: its stable reference)."""
    rng = random.Random(f"{seed}:checklist:{item}")
    roll = rng.random()
    function = (
        "berfungsi" if roll < 0.82 else "berfungsi_sebagian" if roll < 0.95 else ("tidak_berfungsi")
    )
    if function == "berfungsi":
        quality = "baik" if rng.random() < 0.85 else "rusak_ringan"
    elif function == "berfungsi_sebagian":
        quality = "rusak_ringan" if rng.random() < 0.7 else "rusak_berat"
    else:
        quality = "rusak_berat"
    short = rng.random() < 0.1
    built = (
        (volume * Decimal(rng.randint(85, 97)) / 100).quantize(Decimal("0.01"))
        if short
        else (volume)
    )
    meets_spec = not short and rng.random() < 0.93
    planned_users = rng.randint(15, 120)
    kpp = rng.random() < 0.85
    handed = rng.random() < 0.8
    lat, lon = _CENTRE.get(kecamatan, (-3.8, 114.8))
    values: dict[str, Any] = {
        "volume_planned": volume,
        "volume_built": built,
        "meets_spec": meets_spec,
        "quality": quality,
        "function": function,
        "users_planned": planned_users,
        "users_actual": planned_users * rng.randint(75, 110) // 100,
        "kpp_formed": kpp,
        "kpp_dues_or_schedule": (rng.random() < 0.75) if kpp else None,
        "handed_over": handed,
        "doc_plans_budget": rng.random() < 0.95,
        "doc_accountability": rng.random() < 0.9,
        "doc_photos": rng.random() < 0.85,
        "doc_handover": handed,
        "land_free_of_dispute": rng.random() < 0.97,
        "no_environmental_harm": rng.random() < 0.98,
        "notes": "",
        "latitude": Decimal(str(round(lat + rng.uniform(-0.04, 0.04), 6))),
        "longitude": Decimal(str(round(lon + rng.uniform(-0.04, 0.04), 6))),
        "surveyor": rng.choice(SURVEYORS),
    }
    hour = rng.randint(1, 7)  # 09:00–15:00 WITA is 01:00–07:00 UTC
    submitted = dt.datetime.combine(fieldwork_day, dt.time(hour, rng.randint(0, 59)), dt.UTC)
    return DemoChecklist(values, submitted, _finding(rng, values, fieldwork_day))


def _finding(rng: random.Random, values: Mapping[str, Any], day: dt.date) -> DemoFinding | None:
    if values["function"] == "tidak_berfungsi":
        severity, text = "tinggi", "Prasarana tidak berfungsi; masyarakat belum memanfaatkannya."
        action = "Perbaikan konstruksi dan aktivasi KPP untuk pengoperasian."
    elif values["quality"] == "rusak_berat":
        severity, text = "tinggi", "Kerusakan berat pada konstruksi sebagian prasarana."
        action = "Perbaikan konstruksi dengan dana pemeliharaan APBD atau swadaya."
    elif not values["meets_spec"]:
        severity, text = "sedang", "Volume atau mutu terbangun tidak sesuai gambar rencana dan RAB."
        action = "Klarifikasi KSM pelaksana dan pekerjaan tambah sesuai spesifikasi."
    elif values["function"] == "berfungsi_sebagian":
        severity, text = "sedang", "Prasarana baru berfungsi sebagian."
        action = "Penyempurnaan sambungan dan sosialisasi pemanfaatan."
    elif values["kpp_formed"] is False:
        severity, text = "rendah", "KPP belum terbentuk; belum ada jadwal pemeliharaan."
        action = "Pembentukan KPP dan penyusunan jadwal pemeliharaan."
    else:
        return None
    done = rng.random() < 0.35
    return DemoFinding(
        severity=severity,
        description=text,
        action=action,
        responsible=rng.choice(RESPONSIBLE),
        deadline=day + dt.timedelta(days=rng.choice((45, 60, 90))),
        closed_with=(
            "Perbaikan selesai; foto dan berita acara pemeriksaan dilampirkan." if done else None
        ),
    )


def resurvey(
    *, seed: int, item: str, reported: Mapping[str, Decimal | None], whole: Mapping[str, bool]
) -> dict[str, Decimal]:
    """Volumes found on the ground for three to five criteria of an RT: mostly close to the
    reported ones, now and then well off (so the reliability figures have something to show).
    `whole`: criteria counted in whole units (buildings, metres, KK) rather than hectares."""
    rng = random.Random(f"{seed}:resurvey:{item}")
    codes = sorted(c for c, v in reported.items() if v is not None)
    found: dict[str, Decimal] = {}
    for code in rng.sample(codes, min(len(codes), rng.randint(3, 5))):
        base = reported[code] or Decimal(0)
        factor = Decimal(rng.choice((100, 100, 100, 95, 110, 60, 150, 200))) / 100
        value = base * factor if base else Decimal(rng.choice((0, 0, 3)))
        found[code] = value.quantize(Decimal(1) if whole.get(code, True) else Decimal("0.01"))
    return found

"""Builders of small SIM KOTAKU exports for the tests, as the data README describes them: the
"Profil Kumuh Basis" and "Delineasi Kumuh Akhir" layers, with its odd spellings (upper-case
names, "Pasir Kraton Kramat" for Pasirkratonkramat, "Sekoduwet" for Sokoduwet, empty separator
columns `A1`…, `kumuh_akhi` cut by Shapefile, `kum_awal` in other exports), written as GeoJSON,
zipped Shapefile or CSV. And the quirks of real exports the README does not describe: `luas_awal`
is the slum area delineated inside the RT, not its polygon's (here 60 % of it, and a Tidak Kumuh
RT has one too); `0.001` stands for an unmeasured area; an RT cut in two is two features of the
same attributes; Kebumen's Sumber reads "download pada 281120"."""

from __future__ import annotations

import csv
import warnings
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from pyproj import Geod
from shapely.geometry.base import BaseGeometry

from sikumuh.io.simkotaku import PERCENT_COLUMNS
from tests.io.geo_files import square, write, write_shapefile_zip

SUMBER = "Data SIM KOTAKU, 25-11-2020"
_GEOD = Geod(ellps="WGS84")


@dataclass
class Rt:
    """One RT of the export: every criterion at `percent` unless `percents` says otherwise."""

    kode_rtrw: str
    kecamatan: str
    kelurahan: str
    percent: str
    lon: float
    lat: float
    percents: dict[str, str] = field(default_factory=dict)
    luas_awal: str | None = None  # the status layer's; default: `SLUM_SHARE` of the polygon

    @property
    def geometry(self) -> BaseGeometry:
        return square(self.lon, self.lat, 0.001)

    @property
    def area_ha(self) -> Decimal:
        area, _perimeter = _GEOD.geometry_area_perimeter(self.geometry)
        return Decimal(str(round(abs(area) / 10_000, 2)))

    def value(self, code: str) -> str:
        return self.percents.get(code, self.percent)

    @property
    def stated_ha(self) -> str:
        """`luas_awal`: the slum area inside the RT, as real exports give it."""
        if self.luas_awal is not None:
            return self.luas_awal
        return str((self.area_ha * SLUM_SHARE).quantize(Decimal("0.01")))


#: The share of an RT's polygon its delineated slum area covers (real exports: 44–82 %).
SLUM_SHARE = Decimal("0.6")


#: Four RTs of Kota Pekalongan, one per class under Permen PUPR 02/2016 (19 criteria):
#: 80 % everywhere scores 95 (berat), 60 % 57 (sedang), 30 % 19 (ringan), 10 % 0 (tidak kumuh).
def default_rts() -> list[Rt]:
    return [
        Rt("33750108-RT001-RW002", "PEKALONGAN BARAT", "MEDONO", "80.0", 109.660, -6.89),
        Rt("33750115-RT003-RW001", "Pekalongan Barat", "Pasir Kraton Kramat", "60", 109.662, -6.89),
        Rt("33750209-RT002-RW005", "Pekalongan Timur", "Kali Baros", "30.00", 109.664, -6.89),
        Rt("33750412-RT010-RW003", "PEKALONGAN SELATAN", "Sekoduwet", "10.5", 109.666, -6.89),
    ]


#: (total, class as SIM KOTAKU writes it) of each default RT, in order.
EXPECTED = [(95, "Kumuh Berat"), (57, "KUMUH SEDANG"), (19, "kumuh ringan"), (0, "Tidak Kumuh")]


def slum_ha(rts: list[Rt], status: list[tuple[int, str] | None]) -> Decimal:
    """SIM KOTAKU's slum hectares: Σ luas_awal of the RTs it classes kumuh."""
    return sum(
        (
            Decimal(rt.stated_ha)
            for rt, given in zip(rts, status, strict=True)
            if given is not None and given[1].lower() != "tidak kumuh"
        ),
        Decimal(0),
    )


def profil_properties(rt: Rt, fid: int) -> dict[str, Any]:
    """The profil layer's properties in the export's order (`A1`…`A8` empty separators)."""
    props: dict[str, Any] = {
        "FID": str(fid),
        "Kode": rt.kode_rtrw,
        "Provinsi": "JAWA TENGAH",
        "Kota_Kab": "KOTA PEKALONGAN",
        "Kecamatan": rt.kecamatan,
        "Kelurahan": rt.kelurahan,
        "Kode_RTRW": rt.kode_rtrw,
    }
    for aspect, codes in _aspects().items():
        props[f"A{aspect}"] = " "
        values = [Decimal(rt.value(code)) for code in codes]
        for code in codes:
            props[PERCENT_COLUMNS[code]] = rt.value(code)
        props[f"k{aspect}_p"] = str(round(sum(values) / len(values), 2))
    props["A8"] = " "
    props["Sumber"] = SUMBER
    return props


def _aspects() -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for code in PERCENT_COLUMNS:
        out.setdefault(code[0], []).append(code)
    return out


def status_properties(rt: Rt, fid: int, skor: int, kumuh: str, *, kum: str) -> dict[str, Any]:
    """The status layer's properties; `kum` is the spelling of the class columns' stem. Every
    RT has a `luas_awal`, Tidak Kumuh ones too (as in real exports)."""
    luas = rt.stated_ha
    return {
        "FID": str(fid),
        "Prov": "JAWA TENGAH",
        "Kab_Kota": "KOTA PEKALONGAN",
        "Kecamatan": rt.kecamatan,
        "Kelurahan": rt.kelurahan,
        "Kode_RTRW": rt.kode_rtrw,
        "A1": " ",
        "skor_awal": str(skor),
        "luas_awal": luas,
        f"{kum}_awal": kumuh,
        "A2": " ",
        "skor_akhir": "0",
        "luas_akhir": "0",
        f"{kum}_akhir": "Tidak Kumuh",
        "A3": " ",
        "p_kumuh": luas,
        "Sumber": SUMBER,
    }


@dataclass
class Export:
    """Edit `rts` / `status` ((total, class) per RT, None to leave one out), then write."""

    directory: Path
    rts: list[Rt] = field(default_factory=default_rts)
    status: list[tuple[int, str] | None] = field(default_factory=lambda: list(EXPECTED))

    def profil_features(self) -> list[tuple[dict[str, Any], BaseGeometry]]:
        return [(profil_properties(rt, i), rt.geometry) for i, rt in enumerate(self.rts)]

    def status_features(self, kum: str = "kumuh") -> list[tuple[dict[str, Any], BaseGeometry]]:
        return [
            (status_properties(rt, i, given[0], given[1], kum=kum), rt.geometry)
            for i, (rt, given) in enumerate(zip(self.rts, self.status, strict=True))
            if given is not None
        ]

    def write_profil(self, suffix: str) -> Path:
        return _write(self.directory / f"profil_kumuh_basis{suffix}", self.profil_features())

    def write_status(self, suffix: str, kum: str = "kumuh") -> Path:
        path = self.directory / f"delineasi_kumuh_akhir{suffix}"
        return _write(path, self.status_features(kum))

    def write(self, name: str, features: list[tuple[dict[str, Any], BaseGeometry]]) -> Path:
        """Features built by the test (an RT in two parts, a doubled one), as a file."""
        return _write(self.directory / name, features)


def _write(path: Path, features: list[tuple[dict[str, Any], BaseGeometry]]) -> Path:
    if path.suffix == ".zip":
        with warnings.catch_warnings():
            # GDAL cuts `kumuh_akhir` to `kumuh_akhi`, as in real Shapefile exports: wanted.
            warnings.filterwarnings("ignore", message="Normalized/laundered field name")
            return write_shapefile_zip(path, features)
    if path.suffix == ".csv":
        with path.open("w", newline="", encoding="utf-8") as handle:
            writer = csv.DictWriter(handle, fieldnames=list(features[0][0]))
            writer.writeheader()
            writer.writerows(props for props, _g in features)
        return path
    return write(path, features)

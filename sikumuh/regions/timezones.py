"""The time zone of a region, by its province (Keputusan Presiden No. 41 Tahun 1987 on the
division of Indonesia into three time zones, in force since 1 January 1988).

* WIB (UTC+7): Sumatera, Jawa, Kalimantan Barat and Kalimantan Tengah;
* WITA (UTC+8): Bali, Nusa Tenggara Barat and Timur, Kalimantan Selatan, Timur (and Utara, split
  from Timur in 2012), every Sulawesi province;
* WIT (UTC+9): Maluku, Maluku Utara and every Papua province (91–96 after the 2022 splits).

Rule as data: one table of two-digit Kemendagri province codes. A code the table does not know
(the nation, "ID") has no zone of its own: the server's (`settings.TIME_ZONE`) applies.
"""

from __future__ import annotations

import zoneinfo
from dataclasses import dataclass


@dataclass(frozen=True)
class Zone:
    abbreviation: str  # as Indonesians write it after a time: "19.27 WITA"
    name: str  # the IANA zone


WIB = Zone("WIB", "Asia/Jakarta")
WITA = Zone("WITA", "Asia/Makassar")
WIT = Zone("WIT", "Asia/Jayapura")

#: Province code → zone (Keppres 41/1987).
PROVINCE_ZONES: dict[str, Zone] = {
    # Sumatera
    **dict.fromkeys(("11", "12", "13", "14", "15", "16", "17", "18", "19", "21"), WIB),
    # Jawa
    **dict.fromkeys(("31", "32", "33", "34", "35", "36"), WIB),
    # Kalimantan Barat, Tengah | Selatan, Timur, Utara
    "61": WIB,
    "62": WIB,
    **dict.fromkeys(("63", "64", "65"), WITA),
    # Bali, Nusa Tenggara
    **dict.fromkeys(("51", "52", "53"), WITA),
    # Sulawesi
    **dict.fromkeys(("71", "72", "73", "74", "75", "76"), WITA),
    # Maluku, Papua
    **dict.fromkeys(("81", "82", "91", "92", "93", "94", "95", "96"), WIT),
}

_BY_NAME = {z.name: z for z in (WIB, WITA, WIT)}


def zone_of(region_code: str | None) -> Zone | None:
    """The zone of the region (any level: its first two digits name the province)."""
    if not region_code:
        return None
    return PROVINCE_ZONES.get(region_code[:2])


def zone_named(name: str) -> Zone:
    """The zone for an IANA name (the server's): its Indonesian abbreviation when it is one of
    the three, else the name itself."""
    return _BY_NAME.get(name, Zone(name, name))


def tzinfo(zone: Zone) -> zoneinfo.ZoneInfo:
    return zoneinfo.ZoneInfo(zone.name)

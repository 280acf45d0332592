"""Reading `latlng.json` polygons into GeoJSON geometries for locations and RTs.

motorkawanku stores Leaflet shapes: positions are **[latitude, longitude]**, the reverse of
GeoJSON's [longitude, latitude] (RFC 7946 §3.1.1), and a "Polygon" is a bare ring (a list of
positions), not a list of rings. Each record names its kawasan by `kelurahan`, sometimes
misspelled ("Kalibaros", "Sekoduwet", "Noyotaansari", "Kandang panjang"): names are matched to
the export's kawasan with the same matcher as regions (`names.match_name`). A record with
`kodeRTRW` is an RT's outline; one without is the kawasan's.

In the Pekalongan export the 12 "MultiPolygon" records are single two-point lines: not areas,
skipped with a warning. Seven RTs have two outlines: distinct outlines of one target are merged
into a MultiPolygon, exact repeats dropped.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from sikumuh.core.rows import Problem
from sikumuh.io.motorkawanku.names import Candidate, Method, match_name

if TYPE_CHECKING:
    from sikumuh.io.motorkawanku.reader import MotorkawankuData

FILE = "latlng.json"
Ring = list[list[float]]
Geometry = dict[str, Any]


@dataclass
class PolygonSet:
    """Geometries by location code and by (location code, RT label), ready to store."""

    locations: dict[str, Geometry] = field(default_factory=dict)
    rts: dict[tuple[str, str], Geometry] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    names: dict[str, str] = field(default_factory=dict)  # name as written → "KWS-xx [method]"
    records: int = 0


def ring_from_latlng(positions: Any) -> Ring | None:
    """A closed GeoJSON ring [[lon, lat], ...] from Leaflet [lat, lon] positions, or None when
    it is not an area (fewer than 3 distinct points) or a position is not a coordinate pair."""
    if not isinstance(positions, list):
        return None
    ring: Ring = []
    for position in positions:
        if (
            not isinstance(position, list)
            or len(position) < 2
            or not all(isinstance(v, int | float) and not isinstance(v, bool) for v in position[:2])
        ):
            return None
        lat, lon = float(position[0]), float(position[1])
        if not (-90 <= lat <= 90 and -180 <= lon <= 180):
            return None
        ring.append([lon, lat])
    if len({(p[0], p[1]) for p in ring}) < 3:
        return None
    if ring[0] != ring[-1]:
        ring.append(list(ring[0]))  # RFC 7946 §3.1.6: first and last positions are equal
    return ring


def _depth(value: Any) -> int:
    depth = 0
    while isinstance(value, list) and value:
        depth, value = depth + 1, value[0]
    return depth


def polygons_of(record_type: Any, coordinates: Any) -> list[list[Ring]]:
    """The record's polygons (each a list of rings) in GeoJSON order; [] when none is usable.

    Depth tells the layout whatever `type` says: 2 = one bare ring, 3 = rings (a Leaflet polygon
    with holes, or for "MultiPolygon" one ring per part), 4 = polygons of rings."""
    depth = _depth(coordinates)
    if depth == 2:
        ring = ring_from_latlng(coordinates)
        return [[ring]] if ring else []
    if depth == 3:
        rings = [ring_from_latlng(r) for r in coordinates]
        if record_type == "MultiPolygon":
            return [[r] for r in rings if r]
        return [[r for r in rings if r]] if rings and rings[0] else []
    if depth == 4:
        out = []
        for polygon in coordinates:
            rings = [ring_from_latlng(r) for r in polygon]
            if rings and rings[0]:
                out.append([r for r in rings if r])
        return out
    return []


def geometry_of(polygons: list[list[Ring]]) -> Geometry:
    """One GeoJSON geometry: a Polygon for one part, a MultiPolygon for more."""
    if len(polygons) == 1:
        return {"type": "Polygon", "coordinates": polygons[0]}
    return {"type": "MultiPolygon", "coordinates": polygons}


def read_polygons(records: list[dict[str, Any]], data: MotorkawankuData) -> PolygonSet:
    """Match each record to a kawasan (and RT) of the export and convert its outline."""
    result = PolygonSet(records=len(records))
    candidates = [Candidate(k.code, k.name) for k in data.kawasan.values()]
    labels = {(rt.kawasan_id, rt.label.upper()): rt.label for rt in data.rts.values()}
    kawasan_id = {k.code: k.id for k in data.kawasan.values()}
    parts: dict[str | tuple[str, str], list[list[Ring]]] = defaultdict(list)
    for index, record in enumerate(records, start=1):
        row = str(index)  # latlng.json records have no id: their 1-based position
        name = str(record.get("kelurahan") or "")

        def warn(column: str, value: Any, reason: str, row: str = row) -> None:
            result.problems.append(
                Problem(FILE, row, column, None if value is None else str(value), reason, "warning")
            )

        match = match_name(name, candidates)
        if match.candidate is None or match.method == Method.SHARED_WORD:
            warn("kelurahan", name, f"no kawasan of this name ({match.note}); outline skipped")
            continue
        result.names[name] = f"{match.candidate.code} [{match.method}]"
        polygons = polygons_of(record.get("type"), record.get("coordinates"))
        if not polygons:
            warn(
                "coordinates",
                record.get("type"),
                "not an area (fewer than 3 distinct [lat, lon] points); outline skipped",
            )
            continue
        label_raw = record.get("kodeRTRW")
        if label_raw is None:
            target: str | tuple[str, str] = match.candidate.code
        else:
            kid = kawasan_id[match.candidate.code]
            label = labels.get((kid, str(label_raw).strip().upper()))
            if label is None:
                warn("kodeRTRW", label_raw, f"not an RT of {match.candidate.name}; outline skipped")
                continue
            target = (match.candidate.code, label)
        for polygon in polygons:
            if polygon not in parts[target]:
                parts[target].append(polygon)
    for target, polygons in parts.items():
        if isinstance(target, tuple):
            result.rts[target] = geometry_of(polygons)
        else:
            result.locations[target] = geometry_of(polygons)
    return result

"""A static map of slum locations, drawn with matplotlib from their GeoJSON polygons.

No tiles and no network: the polygons (``Location.polygon``, GeoJSON in EPSG:4326, coordinates
in lon/lat order, RFC 7946) are filled by class, labelled, and given a scale bar and a north
arrow. The map is drawn in plain degrees with the aspect ratio set to 1/cos(latitude) at its
centre, so that a kilometre is as long east–west as north–south there (an equirectangular view:
at Indonesian latitudes, within a few degrees of the equator, the error across a kabupaten is
far below what the eye sees). The scale bar uses the same local scale.

At the scale of a whole kabupaten a location of a few hectares is smaller than a pixel, so each
shape is also marked by a dot of its class at a point inside it.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sikumuh.reports.charts import CLASS_COLOURS, FONT_SIZE, data_uri, figure

#: Metres per degree of latitude (mean), and of longitude at the equator (WGS 84).
M_PER_DEGREE = 111_320.0
#: The smallest span shown (degrees, about 330 m): one small location still gets some context.
MIN_SPAN = 0.003
_NICE_KM = (0.05, 0.1, 0.2, 0.25, 0.5, 1, 2, 2.5, 5, 10, 20, 25, 50, 100)

Ring = list[tuple[float, float]]


@dataclass(frozen=True)
class MapShape:
    """One shape on the map: a GeoJSON geometry (EPSG:4326, lon/lat), its class value ("" for
    none), its label; ``outline`` draws it unfilled (e.g. the RTs over their location)."""

    geometry: dict[str, Any]
    klass: str
    label: str
    outline: bool = False


def polygons(geometry: dict[str, Any]) -> list[list[Ring]]:
    """The polygons of a Polygon or MultiPolygon, each as rings (exterior first)."""
    kind, coordinates = geometry.get("type"), geometry.get("coordinates") or []
    parts = [coordinates] if kind == "Polygon" else coordinates if kind == "MultiPolygon" else []
    result = []
    for part in parts:
        rings = [[(float(p[0]), float(p[1])) for p in ring] for ring in part if len(ring) >= 3]
        if rings:
            result.append(rings)
    return result


def anchor(rings: list[list[Ring]]) -> tuple[float, float]:
    """A point inside the largest polygon for its dot and label (shapely's representative
    point; the vertex mean of the exterior if the polygon is invalid)."""
    from shapely.geometry import Polygon

    exterior_sizes = [len(r[0]) for r in rings]
    rings_of = rings[exterior_sizes.index(max(exterior_sizes))]
    try:
        point = Polygon(rings_of[0], rings_of[1:]).representative_point()
        return float(point.x), float(point.y)
    except (ValueError, TypeError):  # a degenerate ring: fall back to the mean of its vertices
        xs, ys = zip(*rings_of[0], strict=True)
        return sum(xs) / len(xs), sum(ys) / len(ys)


def nice_length_km(span_km: float) -> float:
    """A round scale-bar length near a quarter of the map's width."""
    target = span_km / 4
    fitting = [k for k in _NICE_KM if k <= target]
    return fitting[-1] if fitting else _NICE_KM[0]


def location_map(
    shapes: Sequence[MapShape],
    *,
    legend: Sequence[tuple[str, str]],
    north: str,
    dots: bool = True,
    labels: bool = True,
    width_cm: float = 16,
    height_cm: float = 12,
) -> str | None:
    """The map as a PNG ``data:`` URI; None when no shape has a polygon.

    ``legend``: (class value, label) of the classes to list; ``north``: the letter on the north
    arrow ("U" in Bahasa Indonesia).
    """
    from matplotlib.patches import Patch, PathPatch
    from matplotlib.path import Path

    drawn = [(shape, polygons(shape.geometry)) for shape in shapes]
    drawn = [(shape, rings) for shape, rings in drawn if rings]
    if not drawn:
        return None
    xs = [x for _, rings in drawn for poly in rings for x, _ in poly[0]]
    ys = [y for _, rings in drawn for poly in rings for _, y in poly[0]]
    centre_x, centre_y = (min(xs) + max(xs)) / 2, (min(ys) + max(ys)) / 2
    cos_lat = math.cos(math.radians(centre_y))
    span_y = max(max(ys) - min(ys), MIN_SPAN) * 1.15
    span_x = max(max(xs) - min(xs), MIN_SPAN) * 1.15
    # Fit the figure's proportions, so the local scale is equal in both directions.
    ratio = width_cm / height_cm
    if span_x * cos_lat / span_y < ratio:
        span_x = span_y * ratio / cos_lat
    else:
        span_y = span_x * cos_lat / ratio

    fig = figure(width_cm, height_cm)
    ax = fig.add_subplot()
    for shape, rings in drawn:
        colour = CLASS_COLOURS.get(shape.klass, CLASS_COLOURS[""])
        for poly in rings:
            path = Path.make_compound_path(*(Path(ring, closed=True) for ring in poly))
            ax.add_patch(
                PathPatch(
                    path,
                    facecolor="none" if shape.outline else colour,
                    edgecolor="#424242" if not shape.outline else "#1a237e",
                    linewidth=0.5 if not shape.outline else 0.7,
                    linestyle="-" if not shape.outline else "--",
                    alpha=0.9,
                )
            )
        x, y = anchor(rings)
        if dots and not shape.outline:
            ax.plot(
                [x],
                [y],
                marker="o",
                markersize=4.5,
                color=colour,
                markeredgecolor="#212121",
                markeredgewidth=0.5,
            )
        if labels and shape.label:
            ax.annotate(
                shape.label,
                (x, y),
                xytext=(3, 3),
                textcoords="offset points",
                fontsize=FONT_SIZE - 2.5,
                color="#212121",
            )
    ax.set_xlim(centre_x - span_x / 2, centre_x + span_x / 2)
    ax.set_ylim(centre_y - span_y / 2, centre_y + span_y / 2)
    ax.set_aspect(1 / cos_lat)
    ax.tick_params(labelsize=FONT_SIZE - 2)
    ax.ticklabel_format(useOffset=False, style="plain")
    _scale_bar(ax, centre_x - span_x / 2, centre_y - span_y / 2, span_x, span_y, cos_lat)
    _north_arrow(ax, north)
    handles = [
        Patch(
            facecolor=CLASS_COLOURS.get(value, CLASS_COLOURS[""]), edgecolor="#424242", label=label
        )
        for value, label in legend
    ]
    if handles:
        ax.legend(handles=handles, fontsize=FONT_SIZE - 1, loc="upper left", framealpha=0.9)
    return data_uri(fig)


def _scale_bar(
    ax: Any, left: float, bottom: float, span_x: float, span_y: float, cos_lat: float
) -> None:
    span_km = span_x * M_PER_DEGREE * cos_lat / 1000
    length_km = nice_length_km(span_km)
    length_deg = length_km * 1000 / (M_PER_DEGREE * cos_lat)
    x0, y0 = left + span_x * 0.05, bottom + span_y * 0.06
    ax.plot([x0, x0 + length_deg], [y0, y0], color="#212121", linewidth=2.2, solid_capstyle="butt")
    text = f"{length_km * 1000:g} m" if length_km < 1 else f"{length_km:g} km"
    ax.annotate(
        text,
        (x0 + length_deg / 2, y0),
        xytext=(0, 4),
        textcoords="offset points",
        ha="center",
        fontsize=FONT_SIZE - 1,
    )


def _north_arrow(ax: Any, letter: str) -> None:
    ax.annotate(
        letter,
        xy=(0.95, 0.95),
        xytext=(0.95, 0.84),
        xycoords="axes fraction",
        textcoords="axes fraction",
        ha="center",
        va="center",
        fontsize=FONT_SIZE,
        fontweight="bold",
        arrowprops={"arrowstyle": "-|>", "color": "#212121", "linewidth": 1.2},
    )

"""Charts of the reports, drawn with matplotlib and embedded as PNG ``data:`` URIs.

matplotlib is used through :class:`matplotlib.figure.Figure` only (never ``pyplot``): no global
figure state, no GUI backend, safe in a web worker. It is imported when a chart is drawn, so the
CLI and the web start without it. The colours of the classes are those of the web pages
(``web/app.css``), so a reader sees the same legend everywhere.
"""

from __future__ import annotations

import base64
import io
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from matplotlib.figure import Figure

#: Class colours (web/app.css: --berat, --sedang, --ringan, --tidak); grey for no class.
CLASS_COLOURS = {
    "kumuh_berat": "#b2182b",
    "kumuh_sedang": "#ef8a62",
    "kumuh_ringan": "#fddbc7",
    "tidak_kumuh": "#67a9cf",
    "": "#bdbdbd",
}
BEFORE_COLOUR = "#9e9e9e"
AFTER_COLOUR = "#b2182b"
CM = 1 / 2.54  # matplotlib sizes figures in inches
FONT_SIZE = 8


@dataclass(frozen=True)
class Series:
    label: str
    colour: str
    values: Sequence[float]


def figure(width_cm: float, height_cm: float) -> Figure:
    from matplotlib.figure import Figure

    return Figure(figsize=(width_cm * CM, height_cm * CM), layout="constrained")


#: Raster resolution: sharp on paper at the printed size, and a PNG is drawn by WeasyPrint in
#: milliseconds where a vector chart of the same figure (thousands of SVG paths) takes a second.
DPI = 200


def data_uri(fig: Figure) -> str:
    """The figure as a PNG ``data:`` URI (no software or date in the metadata, so the same
    figures give the same bytes)."""
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=DPI, metadata={"Software": None})
    return "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode("ascii")


def _style(ax: object) -> None:
    from matplotlib.axes import Axes

    assert isinstance(ax, Axes)
    ax.tick_params(labelsize=FONT_SIZE)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    ax.grid(axis="y", color="#e0e0e0", linewidth=0.6)
    ax.set_axisbelow(True)


def stacked_bars(
    categories: Sequence[str],
    series: Sequence[Series],
    *,
    unit: str,
    reference: tuple[str, float] | None = None,
) -> str | None:
    """Bars per category (years) stacked by series (classes); an optional horizontal line
    (``reference``: label, value), e.g. the SK area. None without data."""
    if not categories or not series:
        return None
    fig = figure(16, 6.5)
    ax = fig.add_subplot()
    bottom = [0.0] * len(categories)
    for item in series:
        ax.bar(
            categories,
            item.values,
            bottom=bottom,
            label=item.label,
            color=item.colour,
            edgecolor="#616161",
            linewidth=0.4,
            width=0.6,
        )
        bottom = [b + v for b, v in zip(bottom, item.values, strict=True)]
    if reference is not None:
        ax.axhline(reference[1], color="#424242", linestyle="--", linewidth=0.8)
        ax.annotate(
            reference[0],
            (0, reference[1]),
            xycoords=("axes fraction", "data"),
            xytext=(2, 2),
            textcoords="offset points",
            fontsize=FONT_SIZE - 1,
        )
    ax.set_ylabel(unit, fontsize=FONT_SIZE)
    ax.set_ylim(0, max([*bottom, reference[1] if reference else 0.0, 1.0]) * 1.12)
    _style(ax)
    ax.legend(fontsize=FONT_SIZE - 1, frameon=False, loc="upper right")
    return data_uri(fig)


def before_after(
    categories: Sequence[str],
    before: Series,
    after: Series,
    *,
    unit: str,
) -> str | None:
    """Horizontal pairs of bars per category (kecamatan): before and now."""
    if not categories:
        return None
    height = max(5.0, 0.75 * len(categories) + 1.5)
    fig = figure(16, height)
    ax = fig.add_subplot()
    positions = list(range(len(categories)))
    bar = 0.38
    ax.barh(
        [p - bar / 2 for p in positions],
        before.values,
        height=bar,
        color=before.colour,
        label=before.label,
    )
    ax.barh(
        [p + bar / 2 for p in positions],
        after.values,
        height=bar,
        color=after.colour,
        label=after.label,
    )
    ax.set_yticks(positions, list(categories))
    ax.invert_yaxis()
    ax.set_xlabel(unit, fontsize=FONT_SIZE)
    _style(ax)
    ax.grid(axis="y", visible=False)
    ax.grid(axis="x", color="#e0e0e0", linewidth=0.6)
    ax.legend(fontsize=FONT_SIZE - 1, frameon=False, loc="lower right")
    return data_uri(fig)


def intervals(
    labels: Sequence[str],
    estimates: Sequence[float | None],
    lows: Sequence[float | None],
    highs: Sequence[float | None],
    *,
    unit: str,
) -> str | None:
    """Estimates with their 95 % confidence intervals (percent, 0–100), one row each."""
    rows = [
        (label, p, low, high)
        for label, p, low, high in zip(labels, estimates, lows, highs, strict=True)
        if p is not None and low is not None and high is not None
    ]
    if not rows:
        return None
    fig = figure(16, 1.3 * len(rows) + 1.5)
    ax = fig.add_subplot()
    for k, (_, p, low, high) in enumerate(rows):
        ax.plot([low, high], [k, k], color="#424242", linewidth=1.4)
        ax.plot([low, low], [k - 0.12, k + 0.12], color="#424242", linewidth=1.0)
        ax.plot([high, high], [k - 0.12, k + 0.12], color="#424242", linewidth=1.0)
        ax.plot([p], [k], marker="o", color=AFTER_COLOUR, markersize=5)
    ax.set_yticks(range(len(rows)), [r[0] for r in rows])
    ax.invert_yaxis()
    ax.set_xlim(0, 100)
    ax.set_ylim(len(rows) - 0.5, -0.5)
    ax.set_xlabel(unit, fontsize=FONT_SIZE)
    _style(ax)
    ax.grid(axis="y", visible=False)
    ax.grid(axis="x", color="#e0e0e0", linewidth=0.6)
    return data_uri(fig)

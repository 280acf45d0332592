"""The geometry engine's issues (`sikumuh.core.geometry`, English codes and reasons) in the
active language: one sentence each, for the delineation upload, the geo check and the map editor."""

from __future__ import annotations

from django.utils.translation import gettext as _

from sikumuh.core.geometry import Flag, Issue


def issue_text(issue: Issue) -> str:
    """The engine's geometry issue (`core.geometry`, English) in the active language."""
    reason = issue.reason
    if issue.flag is Flag.MISSING:
        return _("the feature has no geometry")
    if issue.flag is Flag.EMPTY:
        return _("the geometry is empty")
    if issue.flag is Flag.NOT_POLYGON:
        kind = reason.split(",")[0].removeprefix("a ")
        return _("a %(kind)s, not a polygon") % {"kind": kind}
    if issue.flag is Flag.INVALID:
        # GEOS names the fault and where ("Self-intersection[114.75 -3.8]"): kept as it says.
        return _("the polygon is not valid: %(detail)s") % {
            "detail": reason.removeprefix("invalid ring: ")
        }
    if issue.flag is Flag.SWAPPED:
        return _(
            "the coordinates are in (latitude, longitude) order; GeoJSON and Shapefile want "
            "(longitude, latitude)"
        )
    if issue.flag is Flag.OUTSIDE:
        bounds = reason.split(" are not ")[0].removeprefix("coordinates ")
        return _(
            "coordinates %(bounds)s lie outside Indonesia (longitude 94–142, latitude −11–6): "
            "is the CRS right?"
        ) % {"bounds": bounds}
    return reason

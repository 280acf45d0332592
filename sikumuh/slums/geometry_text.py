"""The geometry engine's issues (`sikumuh.core.geometry`, English codes and reasons) in the
active language: one sentence each, for the delineation upload, the geo check and the map editor."""

from __future__ import annotations

import logging
import re
from decimal import Decimal, InvalidOperation

from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from sikumuh.core.geometry import Flag, Issue

_log = logging.getLogger(__name__)

#: GEOS's validity faults (``shapely.is_valid_reason``: "Self-intersection[114.75 -3.8]"), the
#: fixed wording of its TopologyValidationError, as a person reads them.
_FAULTS = {
    "Self-intersection": gettext_noop("its boundary crosses itself"),
    "Ring Self-intersection": gettext_noop("a ring touches itself"),
    "Hole lies outside shell": gettext_noop("a hole lies outside the outer ring"),
    "Holes are nested": gettext_noop("a hole lies inside another hole"),
    "Interior is disconnected": gettext_noop("its interior is cut in parts"),
    "Nested shells": gettext_noop("an outer ring lies inside another"),
    "Duplicate Rings": gettext_noop("a ring is repeated"),
    "Too few distinct points in geometry component": gettext_noop(
        "a ring has too few distinct points"
    ),
    "Invalid Coordinate": gettext_noop("a coordinate is not a number"),
    "Ring is not closed": gettext_noop("a ring is not closed"),
    "Repeated Point": gettext_noop("a point is repeated"),
}
#: The geometry types that are no polygon (shapely's ``geom_type``), as a person reads them.
_KINDS = {
    "Point": gettext_noop("a point"),
    "MultiPoint": gettext_noop("a set of points"),
    "LineString": gettext_noop("a line"),
    "LinearRing": gettext_noop("a line"),
    "MultiLineString": gettext_noop("a set of lines"),
    "GeometryCollection": gettext_noop("a collection of geometries"),
}
_FAULT = re.compile(r"(?P<fault>[^\[]+)\[(?P<x>\S+) (?P<y>\S+)\]")


def _coordinate(text: str) -> str:
    try:
        return str(number_format(Decimal(text).normalize()))
    except InvalidOperation:
        return text


def invalid_text(detail: str) -> str:
    """GEOS's reason a polygon is not valid, in the active language with the place it names
    (longitude, latitude); a reason GEOS words otherwise is logged and the polygon only called
    not valid (the library's words are not shown)."""
    match = _FAULT.fullmatch(detail.strip())
    if match is None or match["fault"] not in _FAULTS:
        _log.info("polygon not valid: %s", detail)
        return _("the polygon is not valid")
    return _("the polygon is not valid: %(fault)s near longitude %(x)s, latitude %(y)s") % {
        "fault": _(_FAULTS[match["fault"]]),
        "x": _coordinate(match["x"]),
        "y": _coordinate(match["y"]),
    }


def issue_text(issue: Issue) -> str:
    """The engine's geometry issue (`core.geometry`, English) in the active language."""
    reason = issue.reason
    if issue.flag is Flag.MISSING:
        return _("the feature has no geometry")
    if issue.flag is Flag.EMPTY:
        return _("the geometry is empty")
    if issue.flag is Flag.NOT_POLYGON:
        kind = reason.split(",")[0].removeprefix("a ")
        if kind in _KINDS:
            return _("%(kind)s, not a polygon") % {"kind": _(_KINDS[kind])}
        return _("not a polygon")
    if issue.flag is Flag.INVALID:
        return invalid_text(reason.removeprefix("invalid ring: "))
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

"""Audited writes of location polygons (delineation): one version per save, none overwritten.

Every saved polygon becomes a new `LocationGeometry` version, the current one is also copied to
`Location.polygon`, and each location gets one ``location.geometry`` audit entry with its area
and version before and after, all in one transaction. The file importers that call this
(`sikumuh.io.geo.delineation`, `sikumuh.io.geo.layer_import`) validate a whole file first.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _
from shapely.geometry.base import BaseGeometry

from sikumuh.audit.actions import Actor, build_entry, diff, record_many
from sikumuh.core.geometry import (
    WGS84,
    GeometryError,
    check_geometry,
    normalise_crs,
    parse_geojson,
    reproject_to_wgs84,
    to_geojson,
    to_ha,
)
from sikumuh.slums.delineation_selectors import region_code_of
from sikumuh.slums.geometry_text import issue_text
from sikumuh.slums.models import Location, LocationGeometry


class GeometryRejected(ValueError):
    """A polygon that cannot be saved (invalid ring, swapped, outside Indonesia): the reasons."""


@dataclass(frozen=True)
class GeometryItem:
    """One polygon to save as `location`'s new version."""

    location: Location
    geometry: BaseGeometry  # checked, EPSG:4326
    area_ha: float
    source_crs: str


def save_geometry(
    *,
    actor: Actor,
    location: Location,
    geometry: Mapping[str, Any] | BaseGeometry,
    source: str,
    source_crs: str = WGS84,
    note: str = "",
) -> LocationGeometry:
    """Save one polygon (GeoJSON or shapely, in `source_crs`) as the location's new version."""
    try:
        shape = parse_geojson(geometry) if isinstance(geometry, Mapping) else geometry
        crs = normalise_crs(source_crs)
        shape = reproject_to_wgs84(shape, crs)
    except GeometryError as exc:
        raise GeometryRejected(_("not a usable polygon: %(detail)s") % {"detail": exc}) from exc
    check = check_geometry(shape)
    if not check.ok or check.geometry is None or check.area_ha is None:
        raise GeometryRejected("; ".join(issue_text(issue) for issue in check.issues))
    with transaction.atomic():
        [version] = save_versions(
            actor=actor,
            items=[GeometryItem(location, check.geometry, check.area_ha, crs)],
            source=source,
            note=note,
            context={},
        )
    return version


def save_versions(
    *,
    actor: Actor,
    items: Sequence[GeometryItem],
    source: str,
    note: str,
    context: Mapping[str, Any],
) -> list[LocationGeometry]:
    """Add one version per item, make it current, copy it to `Location.polygon`, audit each.

    Call inside a transaction (the importers' one commit)."""
    pks = [item.location.pk for item in items]
    locations = Location.objects.select_for_update().in_bulk(pks)
    current = {
        g.location_id: g
        for g in LocationGeometry.objects.filter(location_id__in=pks, is_current=True)
    }
    latest = dict(
        LocationGeometry.objects.filter(location_id__in=pks)
        .values_list("location_id")
        .annotate(v=Max("version"))
    )
    LocationGeometry.objects.filter(pk__in=[g.pk for g in current.values()]).update(
        is_current=False
    )
    now = timezone.now()
    versions = LocationGeometry.objects.bulk_create(
        [
            LocationGeometry(
                location_id=item.location.pk,
                version=latest.get(item.location.pk, 0) + 1,
                geometry=to_geojson(item.geometry),
                area_ha=to_ha(item.area_ha),
                source_name=source[:300],
                source_crs=item.source_crs,
                uploaded_by=actor.user,
                uploaded_at=now,
                note=note,
                is_current=True,
            )
            for item in items
        ]
    )
    entries = []
    for item, version in zip(items, versions, strict=True):
        location = locations[item.location.pk]
        before = current.get(location.pk)
        entries.append(
            build_entry(
                actor=actor,
                action="location.geometry",
                obj=location,
                changes=diff(
                    {
                        "area_ha": before.area_ha if before else _area_of(location.polygon),
                        "version": before.version if before else None,
                    },
                    {"area_ha": version.area_ha, "version": version.version},
                ),
                region_code=region_code_of(location),
                context={
                    **context,
                    "source": source,
                    "crs": item.source_crs,
                    "geometry_id": version.pk,
                },
                at=now,
            )
        )
        location.polygon = version.geometry
        item.location.polygon = version.geometry
    Location.objects.bulk_update(list(locations.values()), ["polygon"])
    record_many(entries)
    return versions


def _area_of(polygon: dict[str, Any] | None) -> Decimal | None:
    """The area of a polygon stored before versions existed (or set without this action)."""
    if not polygon:
        return None
    try:
        area = check_geometry(parse_geojson(polygon)).area_ha
    except GeometryError:
        return None
    return None if area is None else to_ha(area)

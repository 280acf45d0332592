"""SK Kumuh decrees, slum locations, and the RT units they are made of."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sikumuh.audit.versioning import Versioned
from sikumuh.core.criteria import SlumClass
from sikumuh.core.handling import Typology
from sikumuh.regions.models import Region

TYPOLOGY_CHOICES = [(t.value, t.label_id) for t in Typology]
#: The classes a decree or a consultant's layer states for a slum location (a location it
#: lists is slum: "tidak kumuh" is never stated).
STATED_CLASS_CHOICES = [(c.value, c.label_id) for c in SlumClass if c is not SlumClass.TIDAK_KUMUH]


class SkDecree(Versioned):
    """The regent's slum decree (SK Kawasan Kumuh). A 5-yearly review makes a new version that
    `supersedes` the previous one; each version keeps its own list of locations and hectares."""

    kabupaten = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="sk_decrees")
    number = models.CharField(_("nomor SK"), max_length=150)
    date = models.DateField(_("tanggal"), null=True, blank=True)
    year = models.PositiveSmallIntegerField(_("tahun"))
    title = models.CharField(_("judul"), max_length=300, blank=True)
    supersedes = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="superseded_by"
    )
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["kabupaten_id", "-year", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["kabupaten", "number"], name="sk_number_unique")
        ]

    def __str__(self) -> str:
        return f"SK {self.number} ({self.year})"


class Location(models.Model):
    """A delineated slum location (lokasi/kawasan kumuh), usually inside one desa/kelurahan."""

    kabupaten = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+")
    desa = models.ForeignKey(
        Region, null=True, blank=True, on_delete=models.PROTECT, related_name="slum_locations"
    )
    code = models.CharField(_("kode lokasi"), max_length=40)
    name = models.CharField(_("nama lokasi"), max_length=200)
    typology = models.CharField(_("tipologi"), max_length=32, choices=TYPOLOGY_CHOICES, blank=True)
    # Optional delineation: a GeoJSON geometry in EPSG:4326 (lon, lat order).
    polygon = models.JSONField(null=True, blank=True)
    source_ref = models.CharField(max_length=100, blank=True)

    class Meta:
        ordering = ["kabupaten_id", "code"]
        constraints = [
            models.UniqueConstraint(fields=["kabupaten", "code"], name="location_code_unique")
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class SkLocation(models.Model):
    """A location as listed in one SK version, with the hectares the decree gives it."""

    decree = models.ForeignKey(SkDecree, on_delete=models.CASCADE, related_name="entries")
    location = models.ForeignKey(Location, on_delete=models.PROTECT, related_name="sk_entries")
    luas_ha = models.DecimalField(_("luas (ha)"), max_digits=12, decimal_places=4)
    # The class the SK's source states (a consultant's GIS layer, `sikumuh import layer`),
    # compared with the one computed from the RTs; NULL when none was stated, as surveys'
    # `klass` is NULL when none was computed.
    stated_class = models.CharField(  # noqa: DJ001
        _("tingkat kekumuhan menurut SK"),
        max_length=16,
        choices=STATED_CLASS_CHOICES,
        null=True,
        blank=True,
    )

    class Meta:
        ordering = ["decree_id", "location__code"]
        constraints = [
            models.UniqueConstraint(fields=["decree", "location"], name="sk_location_unique")
        ]

    def __str__(self) -> str:
        return f"{self.location} {self.luas_ha} ha"


class RtUnit(models.Model):
    """An RT (or the part of it) inside a slum location: the smallest unit of assessment."""

    location = models.ForeignKey(Location, on_delete=models.PROTECT, related_name="rts")
    desa = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+")
    # As given by the source ("003", "RT001-RW002"): echoed, never renumbered.
    rt = models.CharField(_("RT"), max_length=40)
    polygon = models.JSONField(null=True, blank=True)
    source_ref = models.CharField(max_length=100, blank=True)

    class Meta:
        ordering = ["location_id", "rt"]
        constraints = [models.UniqueConstraint(fields=["location", "rt"], name="rt_unique")]

    def __str__(self) -> str:
        return f"RT {self.rt} (lokasi {self.location_id})"


class LocationGeometry(models.Model):
    """One version of a location's delineation. Every upload adds a version and none is ever
    overwritten, so the boundary agreed at each FGD stays readable; the current one is also
    copied to `Location.polygon`, which the rest of the product reads."""

    location = models.ForeignKey(Location, on_delete=models.CASCADE, related_name="geometries")
    version = models.PositiveIntegerField()
    # GeoJSON geometry, EPSG:4326, (lon, lat) order, after any reprojection of the upload.
    geometry = models.JSONField()
    # Geodesic area on the WGS 84 ellipsoid (sikumuh.core.geometry.geodesic_area_ha).
    area_ha = models.DecimalField(_("luas (ha)"), max_digits=12, decimal_places=4)
    source_name = models.CharField(max_length=300, blank=True)
    source_crs = models.CharField(max_length=2000, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_at = models.DateTimeField(default=timezone.now)
    note = models.TextField(blank=True)
    is_current = models.BooleanField(default=False)

    class Meta:
        ordering = ["location_id", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["location", "version"], name="geometry_version_unique"),
            models.UniqueConstraint(
                fields=["location"],
                condition=models.Q(is_current=True),
                name="geometry_one_current",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.location_id} v{self.version} {self.area_ha} ha"

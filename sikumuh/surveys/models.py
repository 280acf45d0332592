"""Yearly RT observations (as entered) and the scores computed from them."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_stubs_ext import StrOrPromise

from sikumuh.core.criteria import DEFAULT_RULE_SET_ID, SlumClass
from sikumuh.slums.models import Location, RtUnit


def header_decimal(
    verbose_name: StrOrPromise,
) -> models.DecimalField[Decimal | None, Decimal | None]:
    """A header denominator as entered: 6 decimals, empty allowed (legacy data lack some)."""
    return models.DecimalField(verbose_name, max_digits=18, decimal_places=6, null=True, blank=True)


class Source(models.TextChoices):
    FORM = "form", _("Formulir")
    TEMPLATE = "template", _("Impor templat")
    MOTORKAWANKU = "motorkawanku", _("Impor motorkawanku")
    ODK = "odk", _("ODK/Kobo")
    DEMO = "demo", _("Data demo (sintetis)")


class Observation(models.Model):
    """One RT in one year: the header denominators and per-criterion volumes as entered.

    Volumes (or, for legacy data, percentages) are kept as decimal strings keyed by criterion
    code, so a rule set with other criteria (Permen PUPR 02/2016 has 19) needs no migration.
    """

    rt = models.ForeignKey(RtUnit, on_delete=models.CASCADE, related_name="observations")
    tahun = models.PositiveSmallIntegerField(_("tahun"))
    luas_ha = header_decimal(_("luas (ha)"))
    jumlah_bangunan = header_decimal(_("jumlah bangunan"))
    jumlah_penduduk = header_decimal(_("jumlah penduduk"))
    jumlah_kk = header_decimal(_("jumlah KK"))
    panjang_jalan_ideal_m = header_decimal(_("panjang jalan ideal (m)"))
    panjang_drainase_ideal_m = header_decimal(_("panjang drainase ideal (m)"))
    volumes = models.JSONField(default=dict, blank=True)
    percents = models.JSONField(default=dict, blank=True)
    rule_set = models.CharField(max_length=40, default=DEFAULT_RULE_SET_ID)
    source = models.CharField(max_length=20, choices=Source.choices)
    source_ref = models.CharField(max_length=200, blank=True)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    entered_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["rt_id", "tahun"]
        constraints = [models.UniqueConstraint(fields=["rt", "tahun"], name="observation_unique")]

    def __str__(self) -> str:
        return f"RT {self.rt_id} {self.tahun}"


CLASS_CHOICES = [(c.value, c.label_id) for c in SlumClass]


class Score(models.Model):
    """The result of scoring one observation under one rule set.

    Region codes, year and area are copied from the observation so that slum-area figures for
    any region are one indexed aggregate query.
    """

    observation = models.OneToOneField(Observation, on_delete=models.CASCADE, related_name="score")
    rule_set = models.CharField(max_length=40)
    percents = models.JSONField(default=dict)
    scores = models.JSONField(default=dict)
    total = models.SmallIntegerField(null=True)
    # NULL (not "") means "not scored": the unit had errors. noqa: a real third state.
    klass = models.CharField(max_length=16, choices=CLASS_CHOICES, null=True)  # noqa: DJ001
    aspect_means = models.JSONField(default=dict)
    sectoral_mean = models.DecimalField(max_digits=7, decimal_places=2, null=True)
    warnings = models.JSONField(default=list, blank=True)
    computed_at = models.DateTimeField(default=timezone.now)
    # Denormalised for aggregation.
    tahun = models.PositiveSmallIntegerField()
    luas_ha = models.DecimalField(max_digits=18, decimal_places=6, null=True)
    location = models.ForeignKey(Location, on_delete=models.CASCADE, related_name="+")
    province_code = models.CharField(max_length=2)
    kabupaten_code = models.CharField(max_length=5)
    kecamatan_code = models.CharField(max_length=8)
    desa_code = models.CharField(max_length=13)

    class Meta:
        indexes = [
            models.Index(fields=["kabupaten_code", "tahun"]),
            models.Index(fields=["kecamatan_code", "tahun"]),
            models.Index(fields=["desa_code", "tahun"]),
            models.Index(fields=["province_code", "tahun"]),
            models.Index(fields=["location", "tahun"]),
        ]

    def __str__(self) -> str:
        return f"{self.observation_id}: {self.total} {self.klass}"

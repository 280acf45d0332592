"""Data-collection progress: socialisation meetings per kecamatan and FGDs per desa.

The baseline data collection (pendataan) of a kabupaten is opened by a sosialisasi in each
kecamatan; then an FGD in each desa/kelurahan of the SK Kumuh list agrees the delineation and
the data (glossary: sosialisasi, FGD). The progress the Pokja reports ("FGD 35 dari 48 desa") is
computed from these rows by `sikumuh.fieldwork.selectors`.

Attachments (minutes, attendance lists, photos) are stored under MEDIA_ROOT but never served
from a public URL: `web.views.fieldwork.attachment` checks the reader's scope first.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sikumuh.audit.versioning import Versioned
from sikumuh.regions.models import Region


def attachment_path(instance: models.Model, filename: str) -> str:
    """A private path: kind and year only; the name the user gave is kept in `attachment_name`
    and the stored one is made unique by the storage."""
    suffix = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    return f"fieldwork/{instance._meta.model_name}/{timezone.now():%Y}/lampiran.{suffix}"


class Meeting(Versioned):
    """What a sosialisasi and an FGD both record."""

    date = models.DateField(_("date"))
    place = models.CharField(_("place"), max_length=200, blank=True)
    participants = models.PositiveIntegerField(_("participants"), null=True, blank=True)
    notes = models.TextField(_("notes or minutes"), blank=True)
    attachment = models.FileField(_("attachment"), upload_to=attachment_path, blank=True)
    attachment_name = models.CharField(max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        abstract = True


class Sosialisasi(Meeting):
    """A socialisation meeting that opens the data collection in a kecamatan."""

    kecamatan = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["kecamatan_id", "date", "id"]
        verbose_name = "sosialisasi"
        verbose_name_plural = "sosialisasi"

    def __str__(self) -> str:
        return f"Sosialisasi {self.kecamatan_id} {self.date:%Y-%m-%d}"

    @property
    def region_code(self) -> str:
        return str(self.kecamatan_id)


class Fgd(Meeting):
    """A focus-group discussion in a desa/kelurahan: agrees the delineation and the data."""

    desa = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+")
    delineation_agreed = models.BooleanField(_("delineation agreed"), default=False)

    class Meta:
        ordering = ["desa_id", "date", "id"]
        verbose_name = "FGD"
        verbose_name_plural = "FGD"

    def __str__(self) -> str:
        return f"FGD {self.desa_id} {self.date:%Y-%m-%d}"

    @property
    def region_code(self) -> str:
        return str(self.desa_id)

"""The Kemendagri administrative hierarchy: provinsi → kabupaten/kota → kecamatan → desa/kelurahan.

RTs are not Kemendagri units; they live with the slum locations (`sikumuh.slums.RtUnit`).
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Level(models.IntegerChoices):
    PROVINSI = 1, _("Provinsi")
    KABUPATEN = 2, _("Kabupaten/Kota")
    KECAMATAN = 3, _("Kecamatan")
    DESA = 4, _("Desa/Kelurahan")


class Kind(models.TextChoices):
    PROVINSI = "provinsi", _("Provinsi")
    KABUPATEN = "kabupaten", _("Kabupaten")
    KOTA = "kota", _("Kota")
    KECAMATAN = "kecamatan", _("Kecamatan")
    DESA = "desa", _("Desa")
    KELURAHAN = "kelurahan", _("Kelurahan")


class Region(models.Model):
    # The Kemendagri code is the natural key: "63", "63.01", "63.01.03", "63.01.03.1001".
    code = models.CharField(primary_key=True, max_length=13)
    name = models.CharField(max_length=120)
    level = models.PositiveSmallIntegerField(choices=Level.choices, db_index=True)
    kind = models.CharField(max_length=12, choices=Kind.choices)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    # Area (km², BIG) and population, known for provinces and kabupaten/kota only.
    luas_km2 = models.DecimalField(max_digits=12, decimal_places=3, null=True, blank=True)
    penduduk = models.PositiveIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    @property
    def kabupaten_code(self) -> str | None:
        return code_at_level(self.code, Level.KABUPATEN)


def level_of(code: str) -> int:
    """Level of a Kemendagri code by its number of dotted segments (1 to 4)."""
    parts = code.split(".")
    if not 1 <= len(parts) <= 4 or not all(p.isdigit() for p in parts):
        raise ValueError(f"not a Kemendagri region code: {code!r}")
    return len(parts)


def code_at_level(code: str, level: int) -> str | None:
    """The ancestor code of `code` at `level` (itself at its own level), None above it."""
    parts = code.split(".")
    if level > len(parts):
        return None
    return ".".join(parts[:level])


def kind_of(code: str, name: str) -> str:
    level = level_of(code)
    if level == Level.PROVINSI:
        return Kind.PROVINSI
    if level == Level.KABUPATEN:
        return Kind.KOTA if name.startswith("Kota ") else Kind.KABUPATEN
    if level == Level.KECAMATAN:
        return Kind.KECAMATAN
    # Kepmendagri 2025: in the last segment a leading 1 is a kelurahan, a leading 2 a desa.
    return Kind.KELURAHAN if code.rsplit(".", 1)[1].startswith("1") else Kind.DESA

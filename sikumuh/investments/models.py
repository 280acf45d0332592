"""Investments (activities) per RT or location and criterion: what the money built."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from sikumuh.audit.versioning import Versioned
from sikumuh.slums.models import Location, RtUnit


class FundingSource(models.TextChoices):
    APBN = "apbn", "APBN"
    APBD_PROVINSI = "apbd_provinsi", "APBD Provinsi"
    APBD = "apbd", "APBD Kabupaten/Kota"
    DANA_DESA = "dana_desa", "Dana Desa"
    CSR = "csr", "CSR"
    SWADAYA = "swadaya", _("Swadaya")
    LAINNYA = "lainnya", _("Lainnya")


class InvestmentStatus(models.TextChoices):
    RENCANA = "rencana", _("Rencana")
    REALISASI = "realisasi", _("Realisasi")


class Investment(Versioned):
    location = models.ForeignKey(Location, on_delete=models.PROTECT, related_name="investments")
    rt = models.ForeignKey(
        RtUnit, null=True, blank=True, on_delete=models.PROTECT, related_name="investments"
    )
    criterion = models.CharField(_("kriteria"), max_length=3)
    tahun = models.PositiveSmallIntegerField(_("tahun anggaran"))
    activity = models.CharField(_("kegiatan"), max_length=200)
    # In the criterion's own unit (m of road, KK connected, units of building): criteria.md §7.
    volume = models.DecimalField(_("volume"), max_digits=18, decimal_places=6)
    unit = models.CharField(_("satuan"), max_length=20, blank=True)
    funding_source = models.CharField(
        _("sumber dana"), max_length=20, choices=FundingSource.choices, blank=True
    )
    cost = models.DecimalField(
        _("biaya (Rp)"), max_digits=18, decimal_places=2, null=True, blank=True
    )
    source_ref = models.CharField(max_length=100, blank=True)
    # A planned work (rencana) counts in no projection of what the money fixed (criteria.md §7);
    # the data imported so far are realised works.
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=InvestmentStatus.choices,
        default=InvestmentStatus.REALISASI,
    )
    note = models.CharField(_("keterangan"), max_length=500, blank=True)

    class Meta:
        ordering = ["location_id", "tahun", "criterion", "id"]
        indexes = [models.Index(fields=["location", "tahun"])]

    def __str__(self) -> str:
        return f"{self.tahun} {self.criterion} {self.activity} {self.volume} {self.unit}"


class UnitCost(models.Model):
    """The planner's price of one criterion in one kabupaten/kota (criteria.md §10): rupiah per
    unit of the criterion's volume. A kabupaten with no row uses the default table
    (``investments.unit_costs.DEFAULT_UNIT_COSTS``); a criterion left out of a saved table
    cannot be acted on. Written through ``investments.unit_costs`` (audited)."""

    region = models.ForeignKey(
        "regions.Region", on_delete=models.CASCADE, related_name="unit_costs"
    )
    criterion = models.CharField(_("kriteria"), max_length=3)
    unit = models.CharField(_("satuan"), max_length=20)
    cost_per_unit = models.DecimalField(_("biaya per satuan (Rp)"), max_digits=18, decimal_places=2)

    class Meta:
        ordering = ["region_id", "criterion"]
        constraints = [
            models.UniqueConstraint(fields=["region", "criterion"], name="unit_cost_once")
        ]

    def __str__(self) -> str:
        return f"{self.region_id} {self.criterion} {self.cost_per_unit}/{self.unit}"

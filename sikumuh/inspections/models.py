"""Uji petik (spot check): samples, checklists per sampled work, findings, follow-ups, re-surveys.

uji-petik.md is the specification: two things are checked (the works, and the data of sampled
RTs), on a stratified random sample whose seed is stored so that anyone can draw it again.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_stubs_ext import StrOrPromise

from sikumuh.audit.versioning import Versioned
from sikumuh.investments.models import Investment
from sikumuh.regions.models import Region
from sikumuh.slums.models import RtUnit
from sikumuh.surveys.models import Observation


class PopulationKind(models.TextChoices):
    INVESTMENTS = "investments", _("Activities (investments)")
    RTS = "rts", _("RT")


class AllocationChoice(models.TextChoices):
    SIZE = "size", _("Proportional to size")
    COST = "cost", _("Proportional to cost")


class UjiPetikStatus(models.TextChoices):
    OPEN = "open", _("In progress")
    CLOSED = "closed", _("Closed")


class UjiPetik(models.Model):
    """One spot check of a kabupaten/kota: how its sample was drawn, and the sample.

    The parameters and the seed are enough to draw the same sample again from the same
    population (`sikumuh.core.sampling`); `plan` keeps what the draw gave per stratum.
    """

    kabupaten = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+")
    title = models.CharField(_("title"), max_length=200)
    # Fiscal years (tahun anggaran) of the population, e.g. [2020, 2021].
    tahun = models.JSONField(_("fiscal years"), default=list)
    population = models.CharField(
        _("sampling population"),
        max_length=12,
        choices=PopulationKind.choices,
        default="investments",
    )
    strata_fields = models.JSONField(_("strata fields"), default=list)
    n_requested = models.PositiveIntegerField(_("sample size"))
    min_per_stratum = models.PositiveIntegerField(_("minimum per stratum"), default=1)
    allocation = models.CharField(
        _("allocation"), max_length=8, choices=AllocationChoice.choices, default="size"
    )
    seed = models.BigIntegerField(_("seed"))
    # {"population": N, "strata": [{key, label, N, n, minimum, cost, weight}], "notes": [...]}
    plan = models.JSONField(default=dict, blank=True)
    drawn_at = models.DateTimeField(default=timezone.now)
    drawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    drawn_by_label = models.CharField(max_length=150, blank=True)
    status = models.CharField(
        max_length=8, choices=UjiPetikStatus.choices, default=UjiPetikStatus.OPEN
    )
    note = models.TextField(_("note"), blank=True)

    class Meta:
        ordering = ["kabupaten_id", "-drawn_at", "-id"]
        verbose_name = "uji petik"
        verbose_name_plural = "uji petik"

    def __str__(self) -> str:
        return self.title


class SampleItem(models.Model):
    """One sampled activity (or RT). `rt` is the RT the item lies in (an investment's RT, if it
    has one), so that a sampled work's RT can be re-surveyed too."""

    uji_petik = models.ForeignKey(UjiPetik, on_delete=models.CASCADE, related_name="items")
    investment = models.ForeignKey(
        Investment, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    rt = models.ForeignKey(
        RtUnit, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    stratum_key = models.CharField(max_length=200)
    stratum_label = models.CharField(max_length=300, blank=True)
    stratum_population = models.PositiveIntegerField()  # N_h
    purposive = models.BooleanField(default=False)
    purposive_reason = models.CharField(max_length=300, blank=True)
    position = models.PositiveIntegerField()
    # Denormalised for scoping (a facilitator of a desa fills the checklists in that desa).
    kecamatan_code = models.CharField(max_length=8)
    desa_code = models.CharField(max_length=13)

    class Meta:
        ordering = ["uji_petik_id", "position"]
        constraints = [
            models.UniqueConstraint(fields=["uji_petik", "position"], name="sample_position_unique")
        ]

    def __str__(self) -> str:
        return self.key

    @property
    def key(self) -> str:
        """The stable key used by the XLSForm choice list and the ODK/Kobo import."""
        return f"UP{self.uji_petik_id}-{self.position}"


class Quality(models.TextChoices):
    BAIK = "baik", _("Good")
    RUSAK_RINGAN = "rusak_ringan", _("Lightly damaged")
    RUSAK_BERAT = "rusak_berat", _("Heavily damaged")


class Function(models.TextChoices):
    BERFUNGSI = "berfungsi", _("Fully functioning")
    SEBAGIAN = "berfungsi_sebagian", _("Partly functioning")
    TIDAK = "tidak_berfungsi", _("Not functioning")


class ChecklistSource(models.TextChoices):
    WEB = "web", _("Web form")
    ODK = "odk", "ODK Central"
    KOBO = "kobo", "KoboToolbox"
    DEMO = "demo", _("Demo data (synthetic)")


def _yes_no(label: StrOrPromise) -> models.BooleanField[bool | None, bool | None]:
    return models.BooleanField(label, null=True, blank=True)


class Checklist(Versioned):
    """The field checklist of one sampled work (uji-petik.md "Checklist per sampled activity").

    Every answer may be empty (not checked); the estimates count only answered items.
    """

    sample_item = models.OneToOneField(
        SampleItem, on_delete=models.CASCADE, related_name="checklist"
    )
    # Location, activity, volume, year, funding, implementer as the work was when checked.
    identity = models.JSONField(default=dict, blank=True)
    volume_planned = models.DecimalField(
        _("planned volume"), max_digits=18, decimal_places=4, null=True, blank=True
    )
    volume_built = models.DecimalField(
        _("built volume"), max_digits=18, decimal_places=4, null=True, blank=True
    )
    meets_spec = _yes_no(_("built to specification"))
    quality = models.CharField(
        _("construction quality"), max_length=16, choices=Quality.choices, blank=True
    )
    function = models.CharField(_("function"), max_length=20, choices=Function.choices, blank=True)
    users_planned = models.PositiveIntegerField(_("planned users"), null=True, blank=True)
    users_actual = models.PositiveIntegerField(_("actual users"), null=True, blank=True)
    kpp_formed = _yes_no(_("KPP formed"))
    kpp_dues_or_schedule = _yes_no(_("dues or maintenance schedule"))
    handed_over = _yes_no(_("assets handed over"))
    doc_plans_budget = _yes_no(_("plans and budget (RAB)"))
    doc_accountability = _yes_no(_("accountability report"))
    doc_photos = _yes_no(_("photos 0-50-100 %"))
    doc_handover = _yes_no(_("hand-over minutes"))
    land_free_of_dispute = _yes_no(_("land free of dispute (grant letter)"))
    no_environmental_harm = _yes_no(_("no environmental harm"))
    notes = models.TextField(_("note"), blank=True)
    # WGS 84 (EPSG:4326), as a phone's GPS gives it.
    latitude = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)
    source = models.CharField(max_length=8, choices=ChecklistSource.choices, default="web")
    # The ODK/Kobo instanceID ("uuid:…"); NULL for web entries.
    submission_id = models.CharField(max_length=100, null=True, blank=True, unique=True)
    submitted_at = models.DateTimeField(default=timezone.now)
    surveyor = models.CharField(_("surveyor"), max_length=150, blank=True)

    def __str__(self) -> str:
        return f"checklist {self.sample_item_id}"

    @property
    def maintained(self) -> bool | None:
        """Maintained = a KPP is formed and has dues or a maintenance schedule (uji-petik.md
        "maintenance"); unknown when either answer is missing, unless one is already "no"."""
        if self.kpp_formed is False or self.kpp_dues_or_schedule is False:
            return False
        if self.kpp_formed is None or self.kpp_dues_or_schedule is None:
            return None
        return True


class Severity(models.TextChoices):
    RENDAH = "rendah", _("Low")
    SEDANG = "sedang", _("Medium")
    TINGGI = "tinggi", _("High")


class Finding(models.Model):
    uji_petik = models.ForeignKey(UjiPetik, on_delete=models.CASCADE, related_name="findings")
    sample_item = models.ForeignKey(
        SampleItem, null=True, blank=True, on_delete=models.CASCADE, related_name="findings"
    )
    severity = models.CharField(_("severity"), max_length=8, choices=Severity.choices)
    description = models.TextField(_("finding"))
    photo = models.FileField(_("photo"), upload_to="uji-petik/temuan/%Y/", blank=True)
    # The attachment's file name in an ODK/Kobo submission (the files themselves come apart).
    photo_ref = models.CharField(max_length=200, blank=True)
    # The submission that reported it, so that a re-import does not add it twice.
    submission_id = models.CharField(max_length=100, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    created_by_label = models.CharField(max_length=150, blank=True)

    class Meta:
        ordering = ["uji_petik_id", "id"]

    def __str__(self) -> str:
        return f"{self.get_severity_display()}: {self.description[:60]}"


class FollowUpStatus(models.TextChoices):
    OPEN = "open", _("Open")
    DONE = "done", _("Done")
    CARRIED = "carried", _("Carried into the next uji petik")


class FollowUp(Versioned):
    """A recommendation and its follow-up. One still open when the next uji petik of the
    kabupaten is drawn is carried into it: a copy there (`carried_from` → this one), this one
    marked carried, so each open follow-up is tracked in exactly one uji petik."""

    uji_petik = models.ForeignKey(UjiPetik, on_delete=models.CASCADE, related_name="follow_ups")
    finding = models.ForeignKey(Finding, on_delete=models.CASCADE, related_name="follow_ups")
    action = models.TextField(_("recommendation / action"))
    responsible = models.CharField(_("person responsible"), max_length=200)
    deadline = models.DateField(_("deadline"), null=True, blank=True)
    status = models.CharField(
        max_length=8, choices=FollowUpStatus.choices, default=FollowUpStatus.OPEN
    )
    closing_evidence = models.TextField(_("closing evidence"), blank=True)
    closing_file = models.FileField(upload_to="uji-petik/tindak-lanjut/%Y/", blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    carried_from = models.OneToOneField(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="carried_into"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["uji_petik_id", "deadline", "id"]

    @property
    def overdue(self) -> bool:
        """Still open past its deadline (the site's date): flagged "lewat tenggat"."""
        return (
            self.status == FollowUpStatus.OPEN
            and self.deadline is not None
            and self.deadline < timezone.localdate()
        )

    def __str__(self) -> str:
        return f"{self.responsible}: {self.action[:60]}"


class Resurvey(Versioned):
    """Volumes found on the ground for a sampled item's RT, against the reported observation."""

    sample_item = models.OneToOneField(
        SampleItem, on_delete=models.CASCADE, related_name="resurvey"
    )
    observation = models.ForeignKey(Observation, on_delete=models.PROTECT, related_name="+")
    # {criterion code: decimal string} in the criterion's unit, only the criteria measured.
    volumes_found = models.JSONField(default=dict)
    # Who reported the data: the observation's entered_by, else its source (or as given).
    facilitator = models.CharField(_("facilitator"), max_length=150, blank=True)
    measured_by = models.CharField(_("measured by"), max_length=150, blank=True)
    measured_on = models.DateField(_("date"), default=timezone.localdate)
    notes = models.TextField(blank=True)

    def __str__(self) -> str:
        return f"resurvey {self.sample_item_id}"

"""Yearly RT observations (as entered) and the scores computed from them."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_stubs_ext import StrOrPromise

from sikumuh.audit.versioning import Versioned
from sikumuh.core.criteria import DEFAULT_RULE_SET_ID, SlumClass
from sikumuh.regions.models import Region
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
    SIMKOTAKU = "simkotaku", _("Impor SIM KOTAKU")
    DEMO = "demo", _("Data demo (sintetis)")


class Status(models.TextChoices):
    """Where an RT-year stands in the review (`sikumuh.surveys.review` moves it on).

    Facilitators' data start as drafts; they submit a desa-year, the Pokja approves it or
    returns it with a comment. Writes by a reviewer, an administrator or the system (CLI imports,
    the demo) land approved: the Pokja's own data need no second Pokja.
    """

    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    APPROVED = "approved", _("Approved")
    RETURNED = "returned", _("Returned")


class Observation(Versioned):
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
    # Default "approved": rows that existed before the review step (and rows written outside the
    # actions) count as approved; the actions always set the status explicitly.
    status = models.CharField(
        _("review status"), max_length=10, choices=Status.choices, default=Status.APPROVED
    )

    class Meta:
        ordering = ["rt_id", "tahun"]
        constraints = [models.UniqueConstraint(fields=["rt", "tahun"], name="observation_unique")]
        indexes = [
            # The dashboards' count of data not approved yet (`surveys.dashboard.unapproved`):
            # only the rows awaiting review (usually few), holding all that count reads.
            models.Index(
                fields=["tahun", "status", "rt"],
                condition=~models.Q(status=Status.APPROVED),
                name="observation_unapproved",
            ),
        ]

    def __str__(self) -> str:
        return f"RT {self.rt_id} {self.tahun}"


class ObservationSubmission(models.Model):
    """A phone submission (ODK Central / KoboToolbox, the RT survey form) that brought an
    observation in: its instance id and the GPS point taken in the RT. Kept beside the
    observation rather than in it: one RT-year may be surveyed twice, and only phone data have
    a point. A re-import of the same submission updates this row, never adds one."""

    observation = models.ForeignKey(
        Observation, on_delete=models.CASCADE, related_name="submissions"
    )
    instance_id = models.CharField(max_length=200, unique=True)
    # WGS 84 degrees as the phone gave them; NULL when the submission has no point.
    latitude = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)
    accuracy_m = models.DecimalField(max_digits=9, decimal_places=1, null=True, blank=True)
    imported_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["observation_id", "-imported_at", "-id"]

    def __str__(self) -> str:
        return f"{self.instance_id} ({self.observation_id})"


class ObservationPhoto(models.Model):
    """A photo of one criterion sent with a phone submission (the RT survey's ``foto_<code>``).

    ``name`` is the attachment's name in the export; ``file`` is empty while only the CSV was
    imported (the export without its media names the photos but does not hold them). Served
    only through the RT page's scoped view, never from a public media URL: photos show people
    and houses. One per submission and criterion, so a re-import keeps one copy."""

    submission = models.ForeignKey(
        ObservationSubmission, on_delete=models.CASCADE, related_name="photos"
    )
    criterion = models.CharField(max_length=8)
    name = models.CharField(max_length=200)
    file = models.FileField(upload_to="survei-rt/foto/%Y/", blank=True)
    sha256 = models.CharField(max_length=64, blank=True)

    class Meta:
        ordering = ["submission_id", "criterion"]
        constraints = [
            models.UniqueConstraint(
                fields=["submission", "criterion"], name="observation_photo_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.criterion}: {self.name}"


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


class ReviewAction(models.TextChoices):
    SUBMIT = "submit", _("Submitted")
    APPROVE = "approve", _("Approved")
    RETURN = "return", _("Returned")


class ReviewEvent(models.Model):
    """One review step on the RT observations of a desa in a year (the batch a facilitator
    submits and the Pokja approves or returns). The observations it moved are listed."""

    desa = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+")
    tahun = models.PositiveSmallIntegerField(_("year"))
    action = models.CharField(_("step"), max_length=10, choices=ReviewAction.choices)
    comment = models.TextField(_("comment"), blank=True)
    observations = models.ManyToManyField(Observation, related_name="review_events", blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    actor_label = models.CharField(max_length=150)
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["desa", "tahun"])]

    def __str__(self) -> str:
        return f"{self.action} {self.desa_id} {self.tahun}"


class YearLock(models.Model):
    """The lock of a kabupaten's approved year: while `locked`, no RT observation of that
    kabupaten-year may change. One row per kabupaten-year; each lock and unlock (with its
    reason) is kept in the audit log, the row holds the latest of each."""

    kabupaten = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+")
    tahun = models.PositiveSmallIntegerField(_("year"))
    locked = models.BooleanField(_("locked"), default=True)
    locked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    locked_by_label = models.CharField(max_length=150, blank=True)
    locked_at = models.DateTimeField(null=True, blank=True)
    #: Why the year was locked (e.g. "data SK 2019 final"), shown wherever its data are refused.
    note = models.TextField(_("lock note"), blank=True)
    unlocked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    unlocked_by_label = models.CharField(max_length=150, blank=True)
    unlocked_at = models.DateTimeField(null=True, blank=True)
    unlock_reason = models.TextField(_("reason for unlocking"), blank=True)

    class Meta:
        ordering = ["kabupaten_id", "tahun"]
        constraints = [
            models.UniqueConstraint(fields=["kabupaten", "tahun"], name="year_lock_unique")
        ]

    def __str__(self) -> str:
        state = "terkunci" if self.locked else "terbuka"
        return f"{self.kabupaten_id} {self.tahun} {state}"


#: What the national and provincial sums read, in the order of their covering index (below).
_BY_PROVINCE = [
    "province_code", "tahun",
    "kumuh_berat_ha", "kumuh_berat_rt", "kumuh_sedang_ha", "kumuh_sedang_rt",
    "kumuh_ringan_ha", "kumuh_ringan_rt", "tidak_kumuh_ha", "tidak_kumuh_rt",
    "unscored_ha", "unscored_rt", "has_demo", "rt_observed",
]  # fmt: skip


class LocationScore(models.Model):
    """A slum location as of one year, scored from the sum of its RTs (criteria.md §5): total,
    class, percentages and scores, with its RTs' hectares and counts per class.

    As of the year (criteria.md §9): each RT counts with its latest observation of a year ≤ the
    row's year. A location has a row for every year from its first observation to the last year
    observed anywhere, so summing rows of one year gives any region's as-of figures; the
    series of a region lists only the years where ``rt_observed`` sums above 0.

    Derived data, kept current by `sikumuh.surveys.location_scores.refresh_location_scores`
    (called by every write of observations) so that the dashboards and the map read a
    location's class in one indexed query instead of summing the volumes of all its RTs.
    ``sikumuh rebuild-summaries`` recomputes every row. The region codes are the location's
    (its desa, else only its kabupaten), copied for aggregation like those of `Score`.
    """

    location = models.ForeignKey(Location, on_delete=models.CASCADE, related_name="+")
    tahun = models.PositiveSmallIntegerField()
    #: The rule set of the location's first RT (by id, `core.location.choose_rule_set`); RTs
    #: under another one are left out of the class.
    rule_set = models.CharField(max_length=40)
    # NULL: the sum of the RTs does not score (a missing denominator, a criterion given only as
    # a percentage in some RT). noqa: a real third state, as in `Score`.
    total = models.SmallIntegerField(null=True)
    klass = models.CharField(max_length=16, choices=CLASS_CHOICES, null=True)  # noqa: DJ001
    percents = models.JSONField(default=dict)
    scores = models.JSONField(default=dict)
    # Hectares (Σ Score.luas_ha) and RT counts per RT class; "unscored": RTs without a class.
    kumuh_berat_ha = models.DecimalField(max_digits=18, decimal_places=6, default=Decimal(0))
    kumuh_sedang_ha = models.DecimalField(max_digits=18, decimal_places=6, default=Decimal(0))
    kumuh_ringan_ha = models.DecimalField(max_digits=18, decimal_places=6, default=Decimal(0))
    tidak_kumuh_ha = models.DecimalField(max_digits=18, decimal_places=6, default=Decimal(0))
    unscored_ha = models.DecimalField(max_digits=18, decimal_places=6, default=Decimal(0))
    kumuh_berat_rt = models.PositiveIntegerField(default=0)
    kumuh_sedang_rt = models.PositiveIntegerField(default=0)
    kumuh_ringan_rt = models.PositiveIntegerField(default=0)
    tidak_kumuh_rt = models.PositiveIntegerField(default=0)
    unscored_rt = models.PositiveIntegerField(default=0)
    #: Σ luas_ha of the RTs not Tidak Kumuh (criteria.md §5) and of the RTs with a class.
    slum_ha = models.DecimalField(max_digits=18, decimal_places=6, default=Decimal(0))
    assessed_ha = models.DecimalField(max_digits=18, decimal_places=6, default=Decimal(0))
    #: Some RT of the location holds synthetic demo data that year (the dashboards' banner).
    has_demo = models.BooleanField(default=False)
    #: RTs observed in the year itself; the others (Σ ``*_rt`` − this) are carried from their
    #: latest earlier year (criteria.md §9, the year's coverage).
    rt_observed = models.PositiveIntegerField(default=0)
    computed_at = models.DateTimeField(default=timezone.now)
    province_code = models.CharField(max_length=2)
    kabupaten_code = models.CharField(max_length=5)
    # Empty for a location without a desa: it lies in its kabupaten only.
    kecamatan_code = models.CharField(max_length=8, blank=True)
    desa_code = models.CharField(max_length=13, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["location", "tahun"], name="location_score_unique")
        ]
        indexes = [
            models.Index(fields=["kabupaten_code", "tahun"]),
            models.Index(fields=["kecamatan_code", "tahun"]),
            models.Index(fields=["desa_code", "tahun"]),
            # Covering the national and provincial sums (`dashboard.years_from_location_scores`):
            # read from the index alone, not from the rows with their JSON (2–3× faster at
            # 37,000 rows, on SQLite and PostgreSQL).
            models.Index(fields=_BY_PROVINCE, name="location_score_by_province"),
        ]

    def __str__(self) -> str:
        return f"{self.location_id} {self.tahun}: {self.total} {self.klass}"

"""Forms of the uji petik pages: draw a sample, the checklist, findings, follow-ups, re-survey.

Labels are English msgids translated in `sikumuh/locale/ujipetik`; the answers' wording follows
the XLSForm (`sikumuh.inspections.form`), so web and phone ask the same questions.
"""

from __future__ import annotations

import secrets
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from sikumuh.inspections.models import Function, Quality, Severity
from sikumuh.inspections.population import INVESTMENTS, RTS, STRATA_FIELDS
from sikumuh.web.file_types import is_of_type
from sikumuh.web.stale import VersionedForm

#: A new seed offered on the draw form: large enough that nobody picks it by habit, small
#: enough to read out at a meeting.
SEED_LIMIT = 1_000_000_000
MAX_FILE_BYTES = 10 * 1024 * 1024


def _date_widget() -> forms.DateInput:
    # ISO value: the browser's date picker shows it whatever the page language.
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _strata_choices() -> list[tuple[str, Any]]:
    seen: dict[str, Any] = {}
    for kind in (INVESTMENTS, RTS):
        for name, label in STRATA_FIELDS[kind]:
            seen.setdefault(name, label)
    return list(seen.items())


class IdListWidget(forms.TextInput):
    """Ids from a list of checkboxes sharing one name, read as the comma-separated text the
    field always took (so the server checks them exactly as before)."""

    def value_from_datadict(self, data: Any, files: Any, name: str) -> Any:
        values = data.getlist(name) if hasattr(data, "getlist") else [data.get(name)]
        return ",".join(str(v).strip() for v in values if v and str(v).strip())


class DrawForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200, required=False)
    tahun = forms.TypedMultipleChoiceField(
        label=_("Fiscal years"), coerce=int, widget=forms.CheckboxSelectMultiple
    )
    population = forms.ChoiceField(
        label=_("Sampling population"),
        choices=[(INVESTMENTS, _("Activities (investments)")), (RTS, _("RTs"))],
        initial=INVESTMENTS,
    )
    strata = forms.MultipleChoiceField(
        label=_("Strata"),
        choices=_strata_choices,
        initial=["kecamatan", "aspect"],
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("RTs can be stratified by kecamatan, slum class, desa and location."),
    )
    n = forms.IntegerField(label=_("Sample size (random items)"), min_value=1, initial=30)
    minimum = forms.IntegerField(label=_("Minimum per stratum"), min_value=0, initial=1)
    allocation = forms.ChoiceField(
        label=_("Allocate the rest"),
        choices=[("size", _("Proportional to size")), ("cost", _("Proportional to cost"))],
        initial="size",
    )
    seed = forms.IntegerField(
        label=_("Random seed"),
        min_value=0,
        max_value=2**63 - 1,
        help_text=_("Stored with the sample: drawing again with it gives the same sample."),
    )
    purposive = forms.CharField(
        label=_("Purposive additions"),
        required=False,
        max_length=5000,
        # Ticked in the page's picker (one value per item) or typed as before: one text,
        # checked by clean_purposive either way.
        widget=IdListWidget,
    )
    purposive_reason = forms.CharField(
        label=_("Why these were chosen"), required=False, max_length=300
    )
    note = forms.CharField(
        label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args: Any, years: list[int], **kwargs: Any) -> None:
        kwargs.setdefault("initial", {})
        kwargs["initial"].setdefault("seed", secrets.randbelow(SEED_LIMIT))
        if years:
            kwargs["initial"].setdefault("tahun", [years[-1]])
        super().__init__(*args, **kwargs)
        self.fields["tahun"].choices = [(y, str(y)) for y in years]  # type: ignore[attr-defined]

    def clean_purposive(self) -> list[int]:
        text: str = self.cleaned_data["purposive"]
        ids = []
        for part in text.replace(";", ",").split(","):
            if part.strip():
                if not part.strip().isdigit():
                    raise forms.ValidationError(_("Give whole numbers separated by commas."))
                ids.append(int(part))
        return ids

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        kind, strata = data.get("population"), data.get("strata") or []
        if kind in STRATA_FIELDS:
            allowed = {name for name, _label in STRATA_FIELDS[kind]}
            wrong = [s for s in strata if s not in allowed]
            if wrong:
                self.add_error("strata", _("These fields do not apply to this population."))
        return data


def _yes_no(label: Any) -> forms.NullBooleanField:
    return forms.NullBooleanField(label=label, required=False, widget=forms.NullBooleanSelect)


def _choice(label: Any, choices: Any) -> forms.ChoiceField:
    return forms.ChoiceField(
        label=label, choices=[("", _("Not checked")), *choices], required=False
    )


class ChecklistForm(VersionedForm):
    """The dimensions of uji-petik.md "Checklist per sampled activity"."""

    surveyor = forms.CharField(label=_("Surveyor"), max_length=150, required=False)
    volume_planned = forms.DecimalField(
        label=_("Planned volume"), min_value=0, max_digits=18, decimal_places=4, required=False
    )
    volume_built = forms.DecimalField(
        label=_("Built volume"), min_value=0, max_digits=18, decimal_places=4, required=False
    )
    meets_spec = _yes_no(_("Built to specification?"))
    quality = _choice(_("Construction quality"), Quality.choices)
    function = _choice(_("Function"), Function.choices)
    users_planned = forms.IntegerField(label=_("Planned users"), min_value=0, required=False)
    users_actual = forms.IntegerField(label=_("Actual users"), min_value=0, required=False)
    kpp_formed = _yes_no(_("Users' and maintenance group (KPP) formed?"))
    kpp_dues_or_schedule = _yes_no(_("Dues or a maintenance schedule in place?"))
    handed_over = _yes_no(_("Assets handed over?"))
    doc_plans_budget = _yes_no(_("Plans and budget (RAB) available?"))
    doc_accountability = _yes_no(_("Accountability report available?"))
    doc_photos = _yes_no(_("Photos at 0-50-100 % available?"))
    doc_handover = _yes_no(_("Hand-over minutes available?"))
    land_free_of_dispute = _yes_no(_("Land free of dispute (grant letter)?"))
    no_environmental_harm = _yes_no(_("No environmental harm?"))
    latitude = forms.DecimalField(
        label=_("Latitude"), min_value=-90, max_value=90, decimal_places=6, required=False
    )
    longitude = forms.DecimalField(
        label=_("Longitude"), min_value=-180, max_value=180, decimal_places=6, required=False
    )
    notes = forms.CharField(
        label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    SECTIONS = (
        (_("Volume and specification"), ("volume_planned", "volume_built", "meets_spec")),
        (_("Quality and function"), ("quality", "function")),
        (_("Utilisation"), ("users_planned", "users_actual")),
        (_("Maintenance and KPP"), ("kpp_formed", "kpp_dues_or_schedule", "handed_over")),
        (
            _("Documentation"),
            ("doc_plans_budget", "doc_accountability", "doc_photos", "doc_handover"),
        ),
        (_("Safeguards"), ("land_free_of_dispute", "no_environmental_harm")),
        (_("Location and notes"), ("latitude", "longitude", "notes", "surveyor")),
    )

    def sections(self) -> list[tuple[Any, list[forms.BoundField]]]:
        return [(title, [self[name] for name in names]) for title, names in self.SECTIONS]


class FindingForm(forms.Form):
    severity = forms.ChoiceField(label=_("Severity"), choices=Severity.choices)
    description = forms.CharField(
        label=_("Finding"), widget=forms.Textarea(attrs={"rows": 2}), max_length=5000
    )
    photo = forms.ImageField(label=_("Photo (JPG or PNG, at most 10 MB)"), required=False)
    item = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def clean_photo(self) -> Any:
        photo = self.cleaned_data.get("photo")
        if photo is not None and photo.size > MAX_FILE_BYTES:
            raise forms.ValidationError(_("The file is larger than 10 MB."))
        return photo


class FollowUpForm(forms.Form):
    action = forms.CharField(
        label=_("Recommendation / action"), widget=forms.Textarea(attrs={"rows": 2})
    )
    responsible = forms.CharField(label=_("Person responsible"), max_length=200)
    deadline = forms.DateField(label=_("Deadline"), required=False, widget=_date_widget())


class CloseFollowUpForm(forms.Form):
    evidence = forms.CharField(
        label=_("Closing evidence"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    file = forms.FileField(
        label=_("Evidence file (PDF, JPG, PNG or WebP, at most 10 MB)"), required=False
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        upload = data.get("file")
        if upload is not None and upload.size > MAX_FILE_BYTES:
            self.add_error("file", _("The file is larger than 10 MB."))
        elif upload is not None and not is_of_type(upload):
            self.add_error("file", _("The evidence file must be a PDF, JPG, PNG or WebP file."))
        if not (data.get("evidence") or "").strip() and upload is None:
            raise forms.ValidationError(_("Describe or attach the evidence."))
        return data


class PurposiveForm(forms.Form):
    object_id = forms.TypedChoiceField(label=_("Item"), coerce=int)
    reason = forms.CharField(label=_("Why it was chosen"), max_length=300, required=False)

    def __init__(self, *args: Any, choices: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["object_id"].choices = choices  # type: ignore[attr-defined]


class SubmissionsForm(forms.Form):
    file = forms.FileField(label=_("CSV export of ODK Central or KoboToolbox"))
    skip_invalid = forms.BooleanField(
        label=_("Store the valid rows and list the others"), required=False
    )


class ResurveyForm(VersionedForm):
    """One optional volume per criterion (blank = not measured)."""

    facilitator = forms.CharField(label=_("Facilitator who reported the data"), max_length=150)
    measured_by = forms.CharField(label=_("Measured by"), max_length=150, required=False)
    measured_on = forms.DateField(label=_("Date"), widget=_date_widget())
    notes = forms.CharField(
        label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args: Any, criteria: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.criteria = criteria
        for code, label in criteria:
            self.fields[f"v_{code}"] = forms.DecimalField(
                label=label, min_value=0, max_digits=18, decimal_places=6, required=False
            )

    def volumes(self) -> dict[str, Any]:
        return {
            code: self.cleaned_data.get(f"v_{code}")
            for code, _label in self.criteria
            if self.cleaned_data.get(f"v_{code}") is not None
        }

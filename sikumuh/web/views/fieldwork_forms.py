"""Forms of the data-collection pages: record a sosialisasi or an FGD, edit one."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from sikumuh.web.stale import VersionedForm


def _date_widget() -> forms.DateInput:
    # An ISO value, so the browser's date picker shows it whatever the page language.
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class MeetingForm(forms.Form):
    date = forms.DateField(label=_("Date"), widget=_date_widget())
    place = forms.CharField(label=_("Place"), max_length=200, required=False)
    participants = forms.IntegerField(
        label=_("Participants"), min_value=0, max_value=100_000, required=False
    )
    notes = forms.CharField(
        label=_("Notes or minutes"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    attachment = forms.FileField(
        label=_("Attachment (minutes or photos: PDF, JPG, PNG, DOCX; at most 10 MB)"),
        required=False,
    )


class SosialisasiForm(MeetingForm):
    kecamatan = forms.ChoiceField(label=_("Kecamatan"))
    field_order = ("kecamatan", "date", "place", "participants", "notes", "attachment")

    def __init__(self, *args: object, choices: list[tuple[str, str]], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["kecamatan"].choices = choices  # type: ignore[attr-defined]


class FgdForm(MeetingForm):
    desa = forms.ChoiceField(label=_("Desa/kelurahan"))
    delineation_agreed = forms.BooleanField(label=_("Delineation agreed"), required=False)
    field_order = (
        "desa",
        "date",
        "place",
        "participants",
        "delineation_agreed",
        "notes",
        "attachment",
    )

    def __init__(self, *args: object, choices: list[tuple[str, str]], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["desa"].choices = choices  # type: ignore[attr-defined]


class MeetingEditForm(VersionedForm, MeetingForm):
    remove_attachment = forms.BooleanField(label=_("Remove the attachment"), required=False)


class FgdEditForm(MeetingEditForm):
    delineation_agreed = forms.BooleanField(label=_("Delineation agreed"), required=False)
    field_order = (
        "date",
        "place",
        "participants",
        "delineation_agreed",
        "notes",
        "attachment",
        "remove_attachment",
    )

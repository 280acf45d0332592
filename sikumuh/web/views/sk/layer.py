"""A consultant's GIS layer taken in as SK locations and their delineation, for the kabupaten's
administrators (issue #11 §1): one page, three steps of the same form, as the lampiran upload.

1. with a file: the layer is staged (``sikumuh.io.staging``, nothing in the database), its
   attributes listed with sample values and a select box per role, preset to the guessed
   mapping (`layer_mapping.guess_mapping`), and checked with that mapping at once;
2. with the staged upload's id and ``action=check``: checked again with the chosen mapping (and
   SK number, date, CRS, skip-invalid);
3. with the id and ``action=confirm``: checked once more and committed, all or nothing unless
   skip-invalid (:func:`sikumuh.io.geo.layer_import.import_layer`), then the staged file is
   removed.

Access as every SK write: 404 for who may not read the kabupaten's SK, 403 for who only reads it.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from sikumuh.audit.actions import Actor
from sikumuh.core.rows import COMMITTED, PARTIAL
from sikumuh.io import staging as staged
from sikumuh.io.geo import FORMATS, GeoFileError, read_geofile
from sikumuh.io.geo.layer_check import LayerReport, check_layer
from sikumuh.io.geo.layer_import import import_layer
from sikumuh.io.geo.layer_mapping import ROLE_LABELS, ROLES, guess_mapping, samples
from sikumuh.io.sk_lampiran import NUMBER_LENGTH, known_problems
from sikumuh.regions.models import Region
from sikumuh.web.scoping import login_required
from sikumuh.web.views.sk.access import sk_admin_kabupaten

#: A kabupaten's slum layer is a few MB; as the delineation upload allows.
MAX_BYTES = 30 * 1024 * 1024
#: Problems listed on the page (the rest are counted).
MAX_LISTED = 500
#: How a desa name was found (`motorkawanku.names.Method`), for the preview; exact says nothing.
METHOD_LABELS = {
    "normalised": gettext_lazy("spelling normalised"),
    "all-parts": gettext_lazy("every word found"),
    "prefix": gettext_lazy("the name begins alike"),
    "similar": gettext_lazy("similar spelling"),
    "shared-word": gettext_lazy("a guess: check it"),
}


class LayerForm(forms.Form):
    file = forms.FileField(required=False, label=gettext_lazy("GIS layer"))
    upload_id = forms.UUIDField(required=False, widget=forms.HiddenInput)
    number = forms.CharField(
        required=False, max_length=NUMBER_LENGTH, label=gettext_lazy("SK number")
    )
    date = forms.DateField(
        required=False,
        label=gettext_lazy("Date"),
        widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"}),
    )
    source_crs = forms.CharField(
        required=False, max_length=200, label=gettext_lazy("CRS, if the file does not say")
    )
    skip_invalid = forms.BooleanField(
        required=False, label=gettext_lazy("Skip the invalid features and save the others")
    )
    note = forms.CharField(required=False, max_length=1000, label=gettext_lazy("Note"))
    action = forms.ChoiceField(required=False, choices=[("check", "check"), ("confirm", "confirm")])

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for role in ROLES:
            self.fields[f"map_{role}"] = forms.CharField(required=False, max_length=100)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if bool((data.get("number") or "").strip()) != (data.get("date") is not None):
            raise forms.ValidationError(_("Give the SK's number and date together, or neither."))
        return data

    def mapping(self) -> dict[str, str]:
        return {
            role: self.cleaned_data[f"map_{role}"].strip()
            for role in ROLES
            if self.cleaned_data.get(f"map_{role}", "").strip()
        }


@require_http_methods(["GET", "POST"])
@login_required
def sk_layer(request: HttpRequest, code: str) -> HttpResponse:
    kabupaten = sk_admin_kabupaten(request, code)
    form = LayerForm(request.POST or None, request.FILES or None)
    if request.method != "POST" or not form.is_valid():
        return _form_page(request, kabupaten, form)
    data = form.cleaned_data
    user_id = int(request.user.pk or 0)  # signed in: never 0
    mapping = form.mapping()
    if data["file"] is not None:
        try:
            upload = staged.store(
                data["file"],
                user_id=user_id,
                region_code=kabupaten.code,
                suffixes=FORMATS,
                max_bytes=MAX_BYTES,
            )
        except staged.UploadRefused as exc:
            form.add_error("file", _refusal(exc))
            return _form_page(request, kabupaten, form)
        action, mapping = "check", {}
    elif data["upload_id"] is not None:
        found = staged.load(
            str(data["upload_id"]), user_id=user_id, region_code=kabupaten.code, suffixes=FORMATS
        )
        if found is None:
            form.add_error("file", _("The uploaded file has expired: choose it again."))
            return _form_page(request, kabupaten, form)
        upload, action = found, data["action"] or "check"
    else:
        form.add_error("file", _("Choose a file to upload."))
        return _form_page(request, kabupaten, form)
    try:
        geofile = read_geofile(upload.path, name=upload.file_name)
    except GeoFileError as exc:
        staged.discard(upload)
        form.add_error("file", str(exc))
        return _form_page(request, kabupaten, form)
    mapping = mapping or guess_mapping(geofile.fields)
    options: dict[str, Any] = {
        "kabupaten": kabupaten,
        "mapping": mapping,
        "file_name": upload.file_name,
        "source_crs": data["source_crs"].strip() or None,
        "number": data["number"] or "",
        "date": data["date"],
        "geofile": geofile,
    }
    if action == "confirm":
        result = import_layer(
            upload.path,
            actor=Actor.of(request.user),
            skip_invalid=data["skip_invalid"],
            note=data["note"],
            **options,
        )
        check = result.preview
        if result.status in (COMMITTED, PARTIAL) and check is not None:
            staged.discard(upload)
            messages.success(
                request,
                _("%(n)d locations from %(file)s saved with their polygons.")
                % {"n": len(check.usable), "file": upload.file_name},
            )
            if check.decree is not None:
                return redirect("web:sk_detail", pk=check.decree.pk)
            return redirect("web:delineation", code=kabupaten.code)
    else:
        result = check_layer(upload.path, **options)
    context = {"samples": samples(geofile), "mapping": mapping}
    return _report(request, kabupaten, upload, result, data, context)


def _refusal(exc: staged.UploadRefused) -> str:
    if exc.reason == "type":
        return _("%(file)s: the file must be one of %(formats)s") % {
            "file": exc.file_name,
            "formats": ", ".join(FORMATS),
        }
    return _("%(file)s: the file is larger than %(mb)d MB") % {
        "file": exc.file_name,
        "mb": MAX_BYTES // 2**20,
    }


def _form_page(request: HttpRequest, kabupaten: Region, form: LayerForm) -> HttpResponse:
    return render(
        request,
        "web/sk/layer.html",
        {
            "form": form,
            "region_code": kabupaten.code,
            "kabupaten": kabupaten,
            "accept": ",".join(FORMATS),
        },
        status=400 if form.is_bound and form.errors else 200,
    )


def _may_confirm(result: LayerReport, skip_invalid: bool) -> bool:
    check = result.preview
    if check is None or not check.file_ok or not check.usable:
        return False
    return not result.errors or skip_invalid


def _report(
    request: HttpRequest,
    kabupaten: Region,
    upload: staged.Upload,
    result: LayerReport,
    data: dict[str, Any],
    context: dict[str, Any],
) -> HttpResponse:
    check = result.preview
    assert check is not None  # check_layer always sets it
    problems = known_problems(check.problems)
    roles = [(role, ROLE_LABELS[role], context["mapping"].get(role, "")) for role in ROLES]
    return render(
        request,
        "web/sk/layer_report.html",
        {
            **context,
            "region_code": kabupaten.code,
            "kabupaten": kabupaten,
            "upload": upload,
            "check": check,
            "rows": [
                (f, METHOD_LABELS.get(str(f.resolution.method), "") if f.resolution else "")
                for f in check.features
            ],
            "roles": roles,
            "fields": [s.name for s in context["samples"]],
            "problems": problems[:MAX_LISTED],
            "problems_total": len(problems),
            "errors": len(result.errors),
            "may_confirm": _may_confirm(result, data["skip_invalid"]),
            "number": data["number"] or "",
            "date": data["date"].isoformat() if data["date"] else "",
            "source_crs": data["source_crs"],
            "skip_invalid": data["skip_invalid"],
            "note": data["note"],
        },
    )

"""The SK lampiran as a file on the registry's pages: download any version's lampiran, and upload
one as the kabupaten's new SK version.

The upload is one page, three steps of the same form (as the delineation upload):

1. with a file, a number and a date: the file is staged (``sikumuh.io.staging``, nothing in the
   database) and checked: every problem, then the change against the version it replaces;
2. with the staged upload's id and ``action=check``: checked again (another number or date);
3. with the id and ``action=confirm``: checked once more and registered, all or nothing
   (:func:`sikumuh.io.sk_import.import_lampiran`), then the staged file is removed.

Only the kabupaten's administrators upload (a decree is the regent's act); whoever reads the
decree downloads its lampiran, limited to the entries they may see.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from sikumuh.audit.actions import Actor
from sikumuh.core.rows import COMMITTED
from sikumuh.io import staging as staged
from sikumuh.io.sk_import import LampiranReport, check_lampiran, import_lampiran
from sikumuh.io.sk_lampiran import COLUMNS, NUMBER_LENGTH, known_problems, lampiran_rows
from sikumuh.regions.models import Region
from sikumuh.web.scoping import login_required
from sikumuh.web.views.sk import exports
from sikumuh.web.views.sk.access import (
    decree_or_404,
    sk_admin_kabupaten,
    visible_entries,
)

SUFFIXES = (".csv", ".xlsx")
#: A lampiran lists tens or hundreds of locations: a few hundred kB at most.
MAX_BYTES = 5 * 1024 * 1024


@require_GET
@login_required
def sk_lampiran(request: HttpRequest, pk: int) -> HttpResponse:
    """The decree's lampiran as CSV (default) or XLSX, in the importable columns."""
    decree = decree_or_404(request, pk)
    rows = lampiran_rows(decree, visible_entries(request, decree.kabupaten_id))
    name = f"lampiran-sk-{decree.kabupaten_id}-{decree.number}"
    return exports.table_response(
        exports.wanted_format(request) or "csv", name, (list(COLUMNS), iter(rows))
    )


class UploadForm(forms.Form):
    file = forms.FileField(required=False, label=gettext_lazy("Lampiran file (CSV or XLSX)"))
    upload_id = forms.UUIDField(required=False, widget=forms.HiddenInput)
    number = forms.CharField(label=gettext_lazy("SK number"), max_length=NUMBER_LENGTH)
    date = forms.DateField(
        label=gettext_lazy("Date"),
        widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"}),
    )
    note = forms.CharField(label=gettext_lazy("Note"), required=False, max_length=1000)
    action = forms.ChoiceField(required=False, choices=[("check", "check"), ("confirm", "confirm")])

    def particular_fields(self) -> list[forms.BoundField]:
        """The fields shown (the registry's shared partial lists these)."""
        return list(self.visible_fields())


@require_http_methods(["GET", "POST"])
@login_required
def sk_upload(request: HttpRequest, code: str) -> HttpResponse:
    kabupaten = sk_admin_kabupaten(request, code)
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method != "POST" or not form.is_valid():
        return _form_page(request, kabupaten, form)
    data = form.cleaned_data
    user_id = int(request.user.pk or 0)  # signed in: never 0
    if data["file"] is not None:
        try:
            upload = staged.store(
                data["file"],
                user_id=user_id,
                region_code=kabupaten.code,
                suffixes=SUFFIXES,
                max_bytes=MAX_BYTES,
            )
        except staged.UploadRefused as exc:
            form.add_error("file", _refusal(exc))
            return _form_page(request, kabupaten, form)
        action = "check"
    elif data["upload_id"] is not None:
        found = staged.load(
            str(data["upload_id"]), user_id=user_id, region_code=kabupaten.code, suffixes=SUFFIXES
        )
        if found is None:
            form.add_error("file", _("The uploaded file has expired: choose it again."))
            return _form_page(request, kabupaten, form)
        upload, action = found, data["action"] or "check"
    else:
        form.add_error("file", _("Choose a file to upload."))
        return _form_page(request, kabupaten, form)
    return _check_or_confirm(request, kabupaten, upload, data, confirm=action == "confirm")


def _check_or_confirm(
    request: HttpRequest,
    kabupaten: Region,
    upload: staged.Upload,
    data: dict[str, Any],
    *,
    confirm: bool,
) -> HttpResponse:
    options: dict[str, Any] = {
        "kabupaten": kabupaten,
        "number": data["number"],
        "date": data["date"],
        "name": upload.file_name,
    }
    if not confirm:
        result = check_lampiran(upload.path, **options)
        return _report(request, kabupaten, upload, result, data)
    result = import_lampiran(
        upload.path, actor=Actor.of(request.user), note=data["note"], **options
    )
    decree = result.preview.decree if result.preview else None
    if result.status != COMMITTED or decree is None:
        return _report(request, kabupaten, upload, result, data)
    staged.discard(upload)
    messages.success(
        request,
        _("SK %(number)s registered from %(file)s.")
        % {"number": decree.number, "file": upload.file_name},
    )
    return redirect("web:sk_detail", pk=decree.pk)


def _refusal(exc: staged.UploadRefused) -> str:
    if exc.reason == "type":
        return _("%(file)s: the file must be a .csv or .xlsx file") % {"file": exc.file_name}
    return _("%(file)s: the file is larger than %(mb)d MB") % {
        "file": exc.file_name,
        "mb": MAX_BYTES // 2**20,
    }


def _form_page(request: HttpRequest, kabupaten: Region, form: UploadForm) -> HttpResponse:
    return render(
        request,
        "web/sk/upload.html",
        {"form": form, "region_code": kabupaten.code, "kabupaten": kabupaten, "columns": COLUMNS},
    )


def _report(
    request: HttpRequest,
    kabupaten: Region,
    upload: staged.Upload,
    result: LampiranReport,
    data: dict[str, Any],
) -> HttpResponse:
    date: dt.date = data["date"]
    return render(
        request,
        "web/sk/upload_report.html",
        {
            "region_code": kabupaten.code,
            "kabupaten": kabupaten,
            "upload": upload,
            "result": result,
            "check": result.preview,
            "problems": known_problems(result.problems),
            "errors": len(result.errors),
            "number": data["number"],
            "date": date.isoformat(),
            "note": data["note"],
        },
    )

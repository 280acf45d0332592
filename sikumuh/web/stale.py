"""The page side of optimistic locking (`sikumuh.audit.versioning`): the hidden version a form
carries, and the answer to a save refused as stale.

A view adopts it in three lines::

    form = MyForm(request.POST, ...)  # MyForm(VersionedForm, ...)
    ...
    try:
        action(..., expected_version=form.expected_version())
    except StaleEdit as exc:
        show_theirs(form, exc)
        return render(..., {"form": form}, status=CONFLICT)

The form comes back with the person's own values, the message (who changed the record, when)
as a form error, each differing field's stored value beside it (as its help text), and the new
version in the hidden field, so that saving again saves over what they have now seen.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from django import forms
from django.http import QueryDict
from django.template.loader import render_to_string
from django.utils import dateformat, timezone
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from sikumuh.audit.actions import json_value
from sikumuh.audit.versioning import NOT_STORED, StaleEdit

#: Conflict: someone else saved the record after this form was opened.
CONFLICT = 409
#: Shown for an empty stored value.
EMPTY = "–"


class VersionedForm(forms.Form):
    """A form with the hidden `version` of the record it was opened on."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=NOT_STORED)

    def expected_version(self) -> int | None:
        """The version the form was opened on; None (no check) for a post without one."""
        value = self.cleaned_data.get("version")
        return int(value) if value is not None else None


def posted_version(data: Mapping[str, Any]) -> int | None:
    """The `version` of a form posted without a Django form (the RT form, a row's button);
    None (no check) when the post has none."""
    text = str(data.get("version", ""))
    return int(text) if text.isdigit() else None


def stale_message(exc: StaleEdit) -> str:
    """Who changed the record and when, in the site's time zone ("7 Desember 2026 14.05")."""
    who = exc.by or _("someone else")
    if exc.at is None:
        return _(
            "This record was changed by %(who)s after you opened it. Their values are shown"
            " below; check them and save again."
        ) % {"who": who}
    when = dateformat.format(timezone.localtime(exc.at), "j F Y H.i")
    return _(
        "This record was changed by %(who)s on %(when)s after you opened it. Their values are"
        " shown below; check them and save again."
    ) % {"who": who, "when": when}


def their_note(text: str) -> SafeString:
    """The other person's value as shown beside a field (escaped: it is someone's input); the
    same partial as the RT form's."""
    # The template escapes `text`.
    return mark_safe(render_to_string("web/_theirs.html", {"value": text}).strip())


def show_theirs(
    form: forms.Form, exc: StaleEdit, current: Mapping[str, Any] | None = None
) -> dict[str, str]:
    """Prepare a validated form to be shown again after `exc`: the message as a form error,
    the stored value beside each field that differs from the person's, the new version in
    the hidden field. `current` maps form field names to stored values where they differ from
    the model's (default: `exc.current`). Returns {field: their value as text}."""
    current = exc.current if current is None else current
    mine = getattr(form, "cleaned_data", {})
    theirs: dict[str, str] = {}
    for name, value in current.items():
        field = form.fields.get(name)
        if field is None or _same(mine.get(name), value):
            continue
        theirs[name] = _text(field, value)
        # A bound field copies its help text when first made (validation made it already).
        field.help_text = form[name].help_text = their_note(theirs[name])
    data = QueryDict(mutable=True)
    data.update(form.data)
    data[form.add_prefix("version")] = str(exc.version)
    form.data = data
    form.add_error(None, stale_message(exc))
    return theirs


def _blank(value: Any) -> bool:
    return value is None or value == ""


def _same(mine: Any, theirs: Any) -> bool:
    if _blank(mine) and _blank(theirs):
        return True
    return bool(json_value(mine) == json_value(theirs) or str(json_value(mine)) == str(theirs))


def _text(field: forms.Field, value: Any) -> str:
    """A stored value as the person would have typed or chosen it."""
    if _blank(value):
        return EMPTY
    choices = getattr(field, "choices", None)
    if choices:
        labels = {str(key): str(label) for key, label in choices}
        return labels.get(str(value), str(value))
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(field, forms.DateField):
        try:
            return dateformat.format(dt.date.fromisoformat(str(value)), "j F Y")
        except ValueError:
            return str(value)
    return str(value)

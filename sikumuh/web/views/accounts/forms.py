"""Forms of the account pages: inviting a user, granting a role."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth import get_user_model
from django.contrib.auth.validators import UnicodeUsernameValidator
from django.utils.translation import gettext_lazy as _

from sikumuh.accounts.models import Role


class GrantForm(forms.Form):
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices)
    region = forms.CharField(
        label=_("Region code"),
        max_length=13,
        help_text=_("Kemendagri code, e.g. 63.01 or 63.01.03.1001 (within your area)."),
    )

    def clean_region(self) -> str:
        return str(self.cleaned_data["region"]).strip()


class InviteForm(GrantForm):
    username = forms.CharField(
        label=_("Username"), max_length=150, validators=[UnicodeUsernameValidator()]
    )
    email = forms.EmailField(label=_("E-mail"))
    field_order = ("username", "email", "role", "region")

    def clean_username(self) -> Any:
        username = self.cleaned_data["username"]
        if get_user_model().objects.filter(username__iexact=username).exists():
            raise forms.ValidationError(_("This username is taken."))
        return username

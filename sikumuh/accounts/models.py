"""Users hold roles in regions: every page, export and download is scoped by them."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from sikumuh.regions.models import Region


class Role(models.TextChoices):
    ADMIN = "admin", _("Administrator")
    REVIEWER = "reviewer", _("Peninjau (Pokja/Bappeda)")
    EDITOR = "editor", _("Fasilitator (editor)")
    VIEWER = "viewer", _("Pemantau (viewer)")


class Membership(models.Model):
    """A role held in a region and everything inside it. `region` empty = the whole country."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    region = models.ForeignKey(
        Region, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    role = models.CharField(_("peran"), max_length=10, choices=Role.choices)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "region", "role"], name="membership_unique")
        ]

    def __str__(self) -> str:
        # Read in the audit log ("demo-pemantau: Pemantau (viewer) · Kabupaten Tanah Laut"):
        # the role by its label, the region by its name, not codes.
        region = self.region.name if self.region is not None else _("Indonesia")
        return f"{self.user.get_username()}: {self.get_role_display()} · {region}"


class LoginCounter(models.Model):
    """Login attempts counted per normalised username or per client address (`login_limit`).

    A table rather than the cache: Django's cache `incr` is a read then a write, so parallel
    guesses in several server processes could all pass; an `UPDATE … SET count = count + 1`
    under the row lock cannot.
    """

    key = models.CharField(max_length=80, primary_key=True)  # "user:<sha256>" or "ip:<address>"
    count = models.PositiveIntegerField(default=0)
    started = models.DateTimeField()  # start of the counting window (the cool-down)

    def __str__(self) -> str:
        return f"{self.key}: {self.count}"


class TotpDevice(models.Model):
    """A user's authenticator app (TOTP, RFC 6238). Unconfirmed until the user has typed one
    code from it; only a confirmed device asks for codes at login.

    The secret is stored as is (base32): the database must be guarded like the secret key.
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="totp_device"
    )
    secret = models.CharField(max_length=64)
    confirmed = models.BooleanField(default=False)
    created = models.DateTimeField(auto_now_add=True)
    # The time step of the last code accepted: a code is never accepted twice (RFC 6238 §5.2).
    last_step = models.BigIntegerField(default=0)

    def __str__(self) -> str:
        return f"TOTP {self.user_id} ({'confirmed' if self.confirmed else 'pending'})"


class RecoveryCode(models.Model):
    """A one-time code for a user who lost the authenticator; stored as its SHA-256 only."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="recovery_codes"
    )
    digest = models.CharField(max_length=64)
    used = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"recovery code {self.pk} of {self.user_id}"


class ApiToken(models.Model):
    """A token for the REST API: only a short prefix (to tell tokens apart) and the SHA-256 of
    the whole token are kept; the token itself is shown once."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens"
    )
    prefix = models.CharField(max_length=16, db_index=True)
    hash = models.CharField(max_length=64, unique=True)
    created = models.DateTimeField(auto_now_add=True)
    last_used = models.DateTimeField(null=True, blank=True)
    revoked = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"token {self.prefix}… of {self.user_id}"

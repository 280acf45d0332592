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
        return f"{self.user_id} {self.role} @ {self.region_id or 'ID'}"


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

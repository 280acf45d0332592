"""Two-factor sign-in: TOTP codes (RFC 6238, 30-second steps, 6 digits) from an authenticator
app, and one-time recovery codes for a lost phone.

A code is accepted one step either side of now (RFC 6238 §5.2 allows for clock drift and the
time to type) and never twice: the device remembers the last step it accepted, and the update
that moves it forward is conditional, so two requests racing with one code cannot both pass.
"""

from __future__ import annotations

import hashlib
import secrets
import time
from typing import Any

import pyotp
import segno
from django.db import transaction
from django.utils import timezone

from sikumuh.accounts.models import RecoveryCode, Role, TotpDevice
from sikumuh.accounts.scope import Scope
from sikumuh.audit.actions import Actor, record

ISSUER = "sikumuh"
RECOVERY_CODES = 10
_RECOVERY_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"  # no 0/o, 1/l/i to misread


def new_secret() -> str:
    return pyotp.random_base32()


def provisioning_uri(secret: str, username: str) -> str:
    return pyotp.TOTP(secret).provisioning_uri(name=username, issuer_name=ISSUER)


def qr_svg(uri: str) -> str:
    """The otpauth URI as an inline SVG QR code (no image request, allowed by our CSP)."""
    return str(segno.make(uri, error="m").svg_inline(scale=4, dark="#111", title=ISSUER))


def matching_step(secret: str, code: str, *, now: float | None = None) -> int | None:
    """The time step whose code `code` is (now, one before or one after), else None."""
    code = "".join(code.split())
    if not (code.isdigit() and len(code) == 6):
        return None
    totp = pyotp.TOTP(secret)
    moment = time.time() if now is None else now
    current = int(moment // totp.interval)
    for step in (current, current - 1, current + 1):
        if secrets.compare_digest(totp.at(step * totp.interval), code):
            return step
    return None


def has_two_factor(user: Any) -> bool:
    return TotpDevice.objects.filter(user=user, confirmed=True).exists()


def must_enrol(user: Any) -> bool:
    """An administrator (anywhere, or a superuser) without a confirmed device."""
    if not user.is_authenticated:
        return False
    scope = Scope.for_user(user)
    is_admin = any(role == Role.ADMIN for _, role in scope.grants)
    return is_admin and not has_two_factor(user)


def _recovery_digest(code: str) -> str:
    normalised = "".join(code.split()).replace("-", "").lower()
    return hashlib.sha256(normalised.encode()).hexdigest()


def _new_recovery_code() -> str:
    raw = "".join(secrets.choice(_RECOVERY_ALPHABET) for _ in range(10))
    return f"{raw[:5]}-{raw[5:]}"


def enable(*, actor: Actor, user: Any, secret: str, code: str) -> list[str] | None:
    """Confirm the authenticator with one of its codes; the new recovery codes (to be shown
    once), or None when the code does not match."""
    step = matching_step(secret, code)
    if step is None:
        return None
    codes = [_new_recovery_code() for _ in range(RECOVERY_CODES)]
    with transaction.atomic():
        device, _ = TotpDevice.objects.update_or_create(
            user=user, defaults={"secret": secret, "confirmed": True, "last_step": step}
        )
        RecoveryCode.objects.filter(user=user).delete()
        RecoveryCode.objects.bulk_create(
            RecoveryCode(user=user, digest=_recovery_digest(c)) for c in codes
        )
        record(actor=actor, action="user.2fa_enable", obj=device, changes={})
    return codes


def disable(*, actor: Actor, user: Any) -> None:
    with transaction.atomic():
        device = TotpDevice.objects.filter(user=user).first()
        if device is None:
            return
        record(actor=actor, action="user.2fa_disable", obj=device, changes={})
        device.delete()
        RecoveryCode.objects.filter(user=user).delete()


def verify(*, user: Any, code: str) -> bool:
    """A code from the authenticator (once) or an unused recovery code (spent now)."""
    device = TotpDevice.objects.filter(user=user, confirmed=True).first()
    if device is None:
        return False
    step = matching_step(device.secret, code)
    if step is not None:
        return bool(
            TotpDevice.objects.filter(pk=device.pk, last_step__lt=step).update(last_step=step)
        )
    with transaction.atomic():
        spent = RecoveryCode.objects.filter(
            user=user, digest=_recovery_digest(code), used__isnull=True
        ).update(used=timezone.now())
        if spent:
            record(
                actor=Actor.of(user),
                action="user.2fa_recovery_code",
                obj=device,
                changes={},
                context={"left": RecoveryCode.objects.filter(user=user, used__isnull=True).count()},
            )
    return bool(spent)

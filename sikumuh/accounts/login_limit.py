"""One limit on failed logins for every login path (our login page and the Django admin's).

Each attempt is counted *before* the password is checked, atomically, per normalised username
and per client address; an attempt over the limit is refused without checking anything, so 30
parallel guesses after 4 failures get one check, not 30. A success clears that username's
counter and gives back only its own reservation on the address: one's own login does not wipe
the failures an address made against other accounts.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import ipaddress
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Case, F, Q, Value, When
from django.http import HttpRequest
from django.utils import timezone

from sikumuh.accounts.models import LoginCounter


def normalise_username(raw: str) -> str:
    """The username as authentication sees it, folded for case.

    AuthenticationForm strips the field and applies NFKC (`UsernameField`); the key also folds
    case, so " Demo-Admin" and "demo-admin" share one budget (stricter than the exact match of
    ModelBackend, never looser).
    """
    return unicodedata.normalize("NFKC", raw.strip()).strip().casefold()


def client_address(request: HttpRequest) -> str:
    """The client's address: REMOTE_ADDR, or behind our proxy (settings.BEHIND_PROXY) the last
    address of X-Forwarded-For — the one our proxy appended; those before it are the client's
    own claims. IPv6 counts per /64, the block one subscriber gets."""
    raw = str(request.META.get("REMOTE_ADDR", ""))
    if settings.BEHIND_PROXY:
        forwarded = str(request.META.get("HTTP_X_FORWARDED_FOR", "")).split(",")
        raw = forwarded[-1].strip() or raw
    try:
        address = ipaddress.ip_address(raw)
    except ValueError:
        return "unknown"
    if address.version == 6:
        return str(ipaddress.ip_network(f"{address}/64", strict=False))
    return str(address)


@dataclass(frozen=True)
class Attempt:
    user_key: str
    address_key: str


def _keys(request: HttpRequest, username: str, purpose: str) -> Attempt:
    """The counters' keys; `purpose` ("" for passwords, "otp", "reset") gives each step its own
    budget, so that a code step or a reset request cannot spend the password step's."""
    digest = hashlib.sha256(normalise_username(username).encode()).hexdigest()
    prefix = f"{purpose}:" if purpose else ""
    return Attempt(
        user_key=f"{prefix}user:{digest}",
        address_key=f"{prefix}ip:{client_address(request)}"[:80],
    )


def _count(key: str, now: dt.datetime) -> int:
    """Add one attempt to `key` (a window older than the cool-down starts again at 1); the new
    count. Runs inside the caller's transaction, which holds the row lock until it commits."""
    expired = Q(started__lt=now - dt.timedelta(seconds=settings.LOGIN_COOLDOWN_SECONDS))
    updated = LoginCounter.objects.filter(key=key).update(
        count=Case(When(expired, then=Value(1)), default=F("count") + 1),
        started=Case(When(expired, then=Value(now)), default=F("started")),
    )
    if not updated:
        try:
            with transaction.atomic():
                LoginCounter.objects.create(key=key, count=1, started=now)
            return 1
        except IntegrityError:  # another process created it meanwhile: count on that row
            LoginCounter.objects.filter(key=key).update(count=F("count") + 1)
    return LoginCounter.objects.filter(key=key).values_list("count", flat=True).get()


def reserve(request: HttpRequest, username: str, *, purpose: str = "") -> Attempt | None:
    """Count this attempt; None when the username or the address is over the limit."""
    attempt = _keys(request, username, purpose)
    now = timezone.now()
    # Forget windows long over, so the table stays as small as the recent attempts.
    LoginCounter.objects.filter(
        started__lt=now - dt.timedelta(seconds=2 * settings.LOGIN_COOLDOWN_SECONDS)
    ).delete()
    with transaction.atomic():
        # Always the same order, so that two attempts never wait on each other's rows.
        counts = [_count(key, now) for key in sorted((attempt.user_key, attempt.address_key))]
    return None if max(counts) > settings.LOGIN_FAILURE_LIMIT else attempt


def succeeded(attempt: Attempt) -> None:
    """The password was right: clear the username's failures, give back this attempt's count
    on the address (its earlier failures stay)."""
    with transaction.atomic():
        LoginCounter.objects.filter(key=attempt.user_key).delete()
        LoginCounter.objects.filter(key=attempt.address_key, count__gt=0).update(
            count=F("count") - 1
        )


def guarded(
    request: HttpRequest, username: str, check: Callable[[], bool], *, purpose: str = ""
) -> bool | None:
    """Run `check` (which verifies the password, or the second factor) if the limit allows;
    None when refused, else what `check` answered."""
    attempt = reserve(request, username, purpose=purpose)
    if attempt is None:
        return None
    ok = check()
    if ok:
        succeeded(attempt)
    return ok

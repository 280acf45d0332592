"""TOTP codes (RFC 6238) and recovery codes: accepted within one step of now, never twice."""

from __future__ import annotations

import time
from typing import Any

import pyotp
import pytest

from sikumuh.accounts import two_factor
from sikumuh.accounts.models import RecoveryCode, TotpDevice
from sikumuh.audit.actions import Actor
from sikumuh.audit.models import AuditEntry
from tests.conftest import Personas

SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"  # 160 bits, as pyotp.random_base32()


@pytest.mark.parametrize(
    ("offset_steps", "accepted"),
    [(-2, False), (-1, True), (0, True), (1, True), (2, False)],
)
def test_a_code_is_accepted_one_step_either_side_of_now(offset_steps: int, accepted: bool) -> None:
    now = 1_800_000_000.0
    code = pyotp.TOTP(SECRET).at(now + 30 * offset_steps)
    assert (two_factor.matching_step(SECRET, code, now=now) is not None) is accepted


@pytest.mark.parametrize("code", ["", "12345", "1234567", "abcdef", "12 34 5x"])
def test_anything_but_six_digits_is_no_totp_code(code: str) -> None:
    assert two_factor.matching_step(SECRET, code) is None


def test_spaces_inside_a_code_are_ignored() -> None:
    code = pyotp.TOTP(SECRET).now()
    assert two_factor.matching_step(SECRET, f"{code[:3]} {code[3:]}") is not None


def test_the_qr_code_is_an_inline_svg_of_the_otpauth_uri() -> None:
    uri = two_factor.provisioning_uri(SECRET, "fasilitator")
    assert uri.startswith("otpauth://totp/sikumuh:fasilitator?secret=" + SECRET)
    assert two_factor.qr_svg(uri).startswith("<svg")


def enrolled(user: Any) -> list[str]:
    # Enrolled with the previous step's code, so the current one is still unused.
    code = pyotp.TOTP(SECRET).at(time.time() - 30)
    codes = two_factor.enable(actor=Actor.of(user), user=user, secret=SECRET, code=code)
    assert codes is not None
    return codes


@pytest.mark.django_db
def test_enabling_stores_only_hashes_of_the_recovery_codes(personas: Personas) -> None:
    user = personas["viewer"]
    codes = enrolled(user)
    assert len(codes) == len(set(codes)) == two_factor.RECOVERY_CODES
    stored = set(RecoveryCode.objects.filter(user=user).values_list("digest", flat=True))
    assert not stored & set(codes)
    assert all(len(d) == 64 for d in stored)
    assert TotpDevice.objects.get(user=user).confirmed
    assert AuditEntry.objects.filter(action="user.2fa_enable", actor=user).exists()


@pytest.mark.django_db
def test_a_wrong_code_enables_nothing(personas: Personas) -> None:
    user = personas["viewer"]
    wrong = "000000" if pyotp.TOTP(SECRET).now() != "000000" else "111111"
    assert two_factor.enable(actor=Actor.of(user), user=user, secret=SECRET, code=wrong) is None
    assert not TotpDevice.objects.filter(user=user).exists()


@pytest.mark.django_db
def test_a_totp_code_is_accepted_once_only(personas: Personas) -> None:
    user = personas["viewer"]
    enrolled(user)
    code = pyotp.TOTP(SECRET).now()
    assert two_factor.verify(user=user, code=code)
    assert not two_factor.verify(user=user, code=code)


@pytest.mark.django_db
def test_the_code_used_to_enrol_cannot_log_in(personas: Personas) -> None:
    user = personas["viewer"]
    code = pyotp.TOTP(SECRET).now()
    two_factor.enable(actor=Actor.of(user), user=user, secret=SECRET, code=code)
    assert not two_factor.verify(user=user, code=code)


@pytest.mark.django_db
def test_a_recovery_code_works_once_in_any_case_and_spacing(personas: Personas) -> None:
    user = personas["viewer"]
    codes = enrolled(user)
    assert two_factor.verify(user=user, code=" " + codes[0].upper().replace("-", " ") + " ")
    assert not two_factor.verify(user=user, code=codes[0])
    assert two_factor.verify(user=user, code=codes[1])
    entry = AuditEntry.objects.filter(action="user.2fa_recovery_code").latest("pk")
    assert entry.context == {"left": two_factor.RECOVERY_CODES - 2}


@pytest.mark.django_db
def test_codes_of_another_user_do_not_work(personas: Personas) -> None:
    codes = enrolled(personas["viewer"])
    assert not two_factor.verify(user=personas["reviewer"], code=codes[0])
    assert not two_factor.verify(user=personas["reviewer"], code=pyotp.TOTP(SECRET).now())


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("persona", "must"), [("admin", True), ("outsider", True), ("reviewer", False)]
)
def test_administrators_without_an_authenticator_must_enrol(
    personas: Personas, persona: str, must: bool
) -> None:
    assert two_factor.must_enrol(personas[persona]) is must


@pytest.mark.django_db
def test_an_enrolled_administrator_need_not_enrol_again(personas: Personas) -> None:
    enrolled(personas["admin"])
    assert not two_factor.must_enrol(personas["admin"])

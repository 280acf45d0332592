"""The encrypted envelope: what goes in comes out with the passphrase; a wrong passphrase, a
flipped bit, a missing, repeated or reordered chunk, or a cut-short file is refused."""

from __future__ import annotations

import io

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sikumuh.io.backup import envelope
from sikumuh.io.backup.envelope import CHUNK, MAGIC, EnvelopeError

PASSPHRASE = "frasa sandi"
HEADER = len(MAGIC) + 3 + 16 + 7
SEALED = CHUNK + 16  # a chunk with its tag
REAL_COST = (envelope._LOG2_N, envelope._R, envelope._P)


@pytest.fixture(autouse=True)
def _cheap_key(monkeypatch: pytest.MonkeyPatch) -> None:
    """scrypt at 2^10 here (the header carries the cost; the real one is 2^17, see below)."""
    monkeypatch.setattr(envelope, "_LOG2_N", 10)


def test_the_key_costs_what_owasp_recommends_for_scrypt() -> None:
    assert REAL_COST == (17, 8, 1)


def seal(data: bytes, passphrase: str = PASSPHRASE) -> bytes:
    target = io.BytesIO()
    envelope.encrypt(io.BytesIO(data), target, passphrase)
    return target.getvalue()


def unseal(data: bytes, passphrase: str = PASSPHRASE) -> bytes:
    target = io.BytesIO()
    envelope.decrypt(io.BytesIO(data), target, passphrase)
    return target.getvalue()


@pytest.mark.parametrize("size", [1, CHUNK - 1, CHUNK, CHUNK + 1, 2 * CHUNK + 5])
def test_what_is_sealed_is_unsealed_with_the_passphrase_at_every_chunk_boundary(
    size: int,
) -> None:
    data = bytes(range(256)) * (size // 256) + b"x" * (size % 256)
    sealed = seal(data)
    assert sealed.startswith(MAGIC)
    assert size < 32 or data[:32] not in sealed  # one byte may turn up in any ciphertext
    assert unseal(sealed) == data


@settings(max_examples=5, deadline=None)
@given(st.binary(min_size=1, max_size=3000))
def test_any_content_round_trips(data: bytes) -> None:
    assert unseal(seal(data)) == data


def two_chunks() -> bytes:
    return seal(b"a" * CHUNK + b"b" * 100)


def flip(data: bytes, at: int) -> bytes:
    return data[:at] + bytes([data[at] ^ 1]) + data[at + 1 :]


@pytest.mark.parametrize(
    ("case", "damage"),
    [
        ("bit flipped in the first chunk", lambda d: flip(d, HEADER + 10)),
        ("bit flipped in the last tag", lambda d: flip(d, len(d) - 1)),
        ("bit flipped in the salt", lambda d: flip(d, len(MAGIC) + 5)),
        ("last chunk cut off", lambda d: d[: HEADER + SEALED]),
        ("file cut short", lambda d: d[:-10]),
        ("chunks swapped", lambda d: d[:HEADER] + d[HEADER + SEALED :] + d[HEADER:][:SEALED]),
        ("first chunk repeated", lambda d: d[: HEADER + SEALED] + d[HEADER:]),
        ("header only", lambda d: d[:HEADER]),
    ],
)
def test_a_damaged_file_is_refused(case: str, damage: object) -> None:
    with pytest.raises(EnvelopeError):
        unseal(damage(two_chunks()))  # type: ignore[operator]


def test_a_wrong_passphrase_is_refused() -> None:
    with pytest.raises(EnvelopeError):
        unseal(seal(b"data"), "frasa lain")


def test_a_plain_file_is_not_taken_for_an_envelope() -> None:
    with pytest.raises(EnvelopeError):
        unseal(b"PK\x03\x04" + b"\x00" * 100)

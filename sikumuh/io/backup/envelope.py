"""The encrypted envelope around a backup archive: scrypt key, AES-256-GCM in 1 MiB chunks.

Like ODK Central's backups, an archive is encrypted with a key derived from a passphrase the
operator keeps elsewhere. The chunks follow the STREAM construction (Hoang, Reyhanitabar,
Rogaway, Vizár 2015, as in `age`): each chunk's nonce is a random prefix, the chunk's number and
a last-chunk flag, and the header is authenticated with every chunk, so a reordered, cut-short
or altered file fails its tag instead of decrypting to something else. scrypt N=2^17, r=8, p=1
(128 MiB, a fraction of a second) is the cost OWASP recommends for scrypt.
"""

from __future__ import annotations

import os
import struct
from typing import BinaryIO

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.scrypt import Scrypt

MAGIC = b"SIKUMUH-BACKUP-AES256GCM-1\n"
CHUNK = 1 << 20
_TAG = 16
_HEADER = struct.Struct(">BBB16s7s")  # log2(N), r, p, salt, nonce prefix
_LOG2_N, _R, _P = 17, 8, 1


class EnvelopeError(Exception):
    """The passphrase is wrong or the encrypted file is damaged (the tags cannot tell which)."""


def is_encrypted(path: os.PathLike[str] | str) -> bool:
    with open(path, "rb") as handle:
        return handle.read(len(MAGIC)) == MAGIC


def _key(passphrase: str, salt: bytes, log2_n: int, r: int, p: int) -> AESGCM:
    kdf = Scrypt(salt=salt, length=32, n=1 << log2_n, r=r, p=p)
    return AESGCM(kdf.derive(passphrase.encode("utf-8")))


def _nonce(prefix: bytes, counter: int, last: bool) -> bytes:
    return prefix + struct.pack(">IB", counter, 1 if last else 0)


def encrypt(source: BinaryIO, target: BinaryIO, passphrase: str) -> None:
    """Encrypt `source` (read to its end) into `target`."""
    salt, prefix = os.urandom(16), os.urandom(7)
    header = MAGIC + _HEADER.pack(_LOG2_N, _R, _P, salt, prefix)
    aead = _key(passphrase, salt, _LOG2_N, _R, _P)
    target.write(header)
    chunk, counter = source.read(CHUNK), 0
    while True:
        following = source.read(CHUNK)
        last = not following
        target.write(aead.encrypt(_nonce(prefix, counter, last), chunk, header))
        if last:
            return
        chunk, counter = following, counter + 1


def decrypt(source: BinaryIO, target: BinaryIO, passphrase: str) -> None:
    """Decrypt `source` into `target`; EnvelopeError at the first chunk that fails its tag or
    when the file ends before its last chunk."""
    magic = source.read(len(MAGIC))
    fields = source.read(_HEADER.size)
    if magic != MAGIC or len(fields) != _HEADER.size:
        raise EnvelopeError("not an encrypted sikumuh backup")
    log2_n, r, p, salt, prefix = _HEADER.unpack(fields)
    if not (10 <= log2_n <= 20 and 1 <= r <= 32 and 1 <= p <= 16):
        raise EnvelopeError("unreasonable key parameters")
    aead = _key(passphrase, salt, log2_n, r, p)
    header = magic + fields
    chunk, counter = source.read(CHUNK + _TAG), 0
    while True:
        following = source.read(CHUNK + _TAG)
        last = not following
        try:
            target.write(aead.decrypt(_nonce(prefix, counter, last), chunk, header))
        except InvalidTag as exc:
            raise EnvelopeError(f"chunk {counter} fails its tag") from exc
        if last:
            return
        chunk, counter = following, counter + 1

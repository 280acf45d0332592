"""Resolving the place names of a motorkawanku export to Kemendagri codes.

The export names places, never codes: each kawasan has a `kawasan` name (usually its kelurahan)
and a `wilayah` (its kecamatan). The Pekalongan export spells some of them differently from the
Kepmendagri 2025 list ("Pasir Kraton Kramat" vs "Pasirkratonkramat") and its polygon file
misspells others ("Kalibaros", "Sekoduwet", "Noyotaansari"). Resolution is tried from the most
to the least certain way, and every result says how it was made, so a user can check each guess:

1. ``exact``       the same text;
2. ``normalised``  the same letters once case, spaces, hyphens and "Kelurahan"/"Desa" prefixes
                   are ignored;
3. ``all-parts``   one candidate holds every word of the name, or the name holds every word of
                   one candidate (merged kelurahan such as "Kuripan Yosorejo");
4. ``prefix``      one candidate's letters start with the name's, or the reverse;
5. ``similar``     one candidate at least 85 % similar (one or two letters off: "Sekoduwet");
6. ``shared-word`` a guess: the first candidate (by code) sharing a word of 3+ letters, reported
                   as a warning;
7. otherwise unresolved, reported as an error.

Pure: candidates are passed in, so this is tested without a database.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

#: Words that name the kind of unit, not the unit ("Kelurahan Medono" is Medono).
#: "Ds." is how consultants' GIS layers abbreviate desa ("DS. BAJUIN", issue #11 §1).
_KIND_WORDS = frozenset({"kelurahan", "kel", "desa", "ds", "kecamatan", "kec", "kawasan"})
#: difflib ratio above which a name is taken as a misspelling of a candidate.
SIMILARITY_CUTOFF = 0.85


class Method(StrEnum):
    EXACT = "exact"
    NORMALISED = "normalised"
    ALL_PARTS = "all-parts"
    PREFIX = "prefix"
    SIMILAR = "similar"
    SHARED_WORD = "shared-word"
    UNRESOLVED = "unresolved"


#: Methods a user should look at (the others are certain up to spelling).
GUESSES = frozenset({Method.SHARED_WORD})


@dataclass(frozen=True)
class Candidate:
    """A named unit a name may resolve to: a region (code = Kemendagri code) or a kawasan."""

    code: str
    name: str
    parent: str = ""  # the parent's code (a desa's kecamatan), "" when not needed


@dataclass(frozen=True)
class Match:
    candidate: Candidate | None
    method: Method
    note: str = ""


def words(name: str) -> list[str]:
    """Lower-case ASCII words of a name, without kind words: "Kel. Pasir-Kraton" → pasir, kraton."""
    text = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower()
    return [w for w in re.split(r"[^a-z0-9]+", text) if w and w not in _KIND_WORDS]


def squash(name: str) -> str:
    """The name's letters only: "Pasir Kraton Kramat" and "Pasirkratonkramat" squash alike."""
    return "".join(words(name))


def _one(found: list[Candidate]) -> Candidate | None:
    unique = {c.code: c for c in found}
    return next(iter(unique.values())) if len(unique) == 1 else None


def _names(found: Sequence[Candidate]) -> str:
    return ", ".join(f"{c.name} ({c.code})" for c in sorted(found, key=lambda c: c.code))


def match_name(name: str, candidates: Sequence[Candidate]) -> Match:
    """The candidate `name` designates, and how it was found (see the module docstring)."""
    text = name.strip()
    if not text or not candidates:
        return Match(None, Method.UNRESOLVED, "no name" if not text else "no candidates")
    found = _one([c for c in candidates if c.name.strip() == text])
    if found:
        return Match(found, Method.EXACT)
    key, parts = squash(text), set(words(text))
    if not key:
        return Match(None, Method.UNRESOLVED, "the name has no letters")
    found = _one([c for c in candidates if squash(c.name) == key])
    if found:
        return Match(found, Method.NORMALISED)
    ambiguous: list[Candidate] = []
    # A part of the name may be written apart or together ("Pasir Kraton" in
    # "Pasirkratonkramat"), so parts are looked for in the other's squashed letters.
    holders = [
        c
        for c in candidates
        if all(p in squash(c.name) for p in parts)
        or (bool(words(c.name)) and all(w in key for w in words(c.name)))
    ]
    found = _one(holders)
    if found:
        return Match(found, Method.ALL_PARTS)
    ambiguous.extend(holders)
    prefixed = [
        c
        for c in candidates
        if min(len(key), len(squash(c.name))) >= 4
        and (squash(c.name).startswith(key) or key.startswith(squash(c.name)))
    ]
    found = _one(prefixed)
    if found:
        return Match(found, Method.PREFIX)
    ambiguous.extend(c for c in prefixed if c not in ambiguous)
    by_key = {squash(c.name): c for c in candidates}
    close = difflib.get_close_matches(key, list(by_key), n=2, cutoff=SIMILARITY_CUTOFF)
    if len(close) == 1 or (
        len(close) == 2
        and difflib.SequenceMatcher(None, key, close[0]).ratio()
        > difflib.SequenceMatcher(None, key, close[1]).ratio()
    ):
        return Match(
            by_key[close[0]], Method.SIMILAR, f"read {text!r} as {by_key[close[0]].name!r}"
        )
    sharing = sorted(
        (c for c in candidates if parts & {w for w in words(c.name) if len(w) >= 3}),
        key=lambda c: c.code,
    )
    if sharing:
        note = f"guessed: first of {_names(sharing)} sharing a word with {text!r}"
        return Match(sharing[0], Method.SHARED_WORD, note)
    note = f"ambiguous: {_names(ambiguous)}" if ambiguous else "no candidate matches"
    return Match(None, Method.UNRESOLVED, note)


@dataclass(frozen=True)
class Resolution:
    """How one kawasan of the export was placed: its kecamatan and its desa/kelurahan."""

    kawasan_id: int
    kawasan: str
    wilayah: str
    kecamatan_code: str | None
    kecamatan_name: str | None
    kode_desa: str | None
    desa_name: str | None
    method: Method
    note: str = ""

    @property
    def resolved(self) -> bool:
        return self.kode_desa is not None

    def as_dict(self) -> dict[str, Any]:
        return {
            "kawasan_id": self.kawasan_id,
            "kawasan": self.kawasan,
            "wilayah": self.wilayah,
            "kecamatan_code": self.kecamatan_code,
            "kecamatan_name": self.kecamatan_name,
            "kode_desa": self.kode_desa,
            "desa_name": self.desa_name,
            "method": str(self.method),
            "note": self.note,
        }

    def __str__(self) -> str:
        where = f"{self.kawasan!r} ({self.wilayah})"
        if not self.resolved:
            return f"kawasan {self.kawasan_id} {where}: not resolved ({self.note})"
        note = f"; {self.note}" if self.note else ""
        return (
            f"kawasan {self.kawasan_id} {where} → {self.kode_desa} {self.desa_name}"
            f" [{self.method}{note}]"
        )


def resolve_kawasan(
    kawasan_id: int,
    kawasan: str,
    wilayah: str,
    *,
    kecamatan: Sequence[Candidate],
    desa: Sequence[Candidate],
) -> Resolution:
    """Place a kawasan: its `wilayah` among the kecamatan, then its name among that kecamatan's
    desa/kelurahan. A kecamatan that is not found (or only guessed) widens the desa search to
    the whole kabupaten, where only a certain match (exact … similar) is accepted: a guess
    across kecamatan would too easily land in the wrong part of the city."""
    kec = match_name(wilayah, kecamatan)
    if kec.candidate is None or kec.method in GUESSES:
        found = match_name(kawasan, desa)
        if found.candidate is None or found.method in GUESSES:
            note = f"kecamatan {wilayah!r} not found ({kec.note}); no certain kelurahan match"
            return Resolution(
                kawasan_id, kawasan, wilayah, None, None, None, None, Method.UNRESOLVED, note
            )
        parent = {c.code: c for c in kecamatan}.get(found.candidate.parent)
        note = "; ".join(
            n
            for n in (
                f"kecamatan {wilayah!r} not found, kelurahan found in the kabupaten",
                found.note,
            )
            if n
        )
        return Resolution(
            kawasan_id,
            kawasan,
            wilayah,
            parent.code if parent else None,
            parent.name if parent else None,
            found.candidate.code,
            found.candidate.name,
            found.method,
            note,
        )
    inside = [c for c in desa if c.parent == kec.candidate.code]
    found = match_name(kawasan, inside)
    kec_note = "" if kec.method == Method.EXACT else f"kecamatan {kec.method}: {kec.candidate.name}"
    note = "; ".join(n for n in (kec_note, found.note) if n)
    return Resolution(
        kawasan_id,
        kawasan,
        wilayah,
        kec.candidate.code,
        kec.candidate.name,
        found.candidate.code if found.candidate else None,
        found.candidate.name if found.candidate else None,
        found.method,
        note,
    )

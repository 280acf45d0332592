"""The demo's RT scores: the class an RT is drawn in, the criterion scores that make it, and
how they change by 2021 for each role an RT plays (`Role`). Pure data, seeded by the caller's
`random.Random` (`sikumuh.demo.tanah_laut.generate`)."""

from __future__ import annotations

import random
from collections.abc import Mapping
from enum import StrEnum

from sikumuh.core.criteria import PERMEN_PUPR_14_2018, SlumClass

RULE_SET = PERMEN_PUPR_14_2018


class Role(StrEnum):
    """What happens to an RT between the baseline and 2021."""

    IMPROVED = "improved"  # Pelaihari: Tidak Kumuh by 2021 (the 23.17 ha)
    STILL_KUMUH = "still_kumuh"  # Pelaihari: still kumuh in 2021, some partly improved
    REMOVED = "removed"  # Bajuin/Batu Ampar: Tidak Kumuh, every basic service above 80 %
    UNHANDLED = "unhandled"  # the other kecamatan: surveyed again, unchanged, still kumuh


# Percentage ranges (hundredths of a percent) in which a volume is drawn for a target score:
# inside the bands of Permen PUPR 14/2018 (criteria.md §3: 76–100 → 5, 51–75 → 3, 25–50 → 1,
# below 25 → 0), away from their edges; score 0 stays at or below 15 % so that a basic service
# scored 0 is always above the programme's 80 % coverage. `_BANDS` are the full bands, used only
# when a small denominator leaves no whole unit inside the preferred range.
_PREFERRED = {0: (0, 1500), 1: (2800, 4800), 3: (5400, 7200), 5: (7800, 10000)}
_BANDS = {0: (0, 1500), 1: (2500, 5099), 3: (5100, 7599), 5: (7600, 10000)}
_NEXT_SCORE = {0: 1, 1: 3, 3: 5}
_LOWER_SCORE = {5: 3, 3: 1, 1: 0}
# Target totals per class, 2 below each class maximum: raising one criterion adds at most 2.
_CLASS_TOTALS = {
    SlumClass.RINGAN: (16, 35),
    SlumClass.SEDANG: (38, 57),
    SlumClass.BERAT: (60, 78),
}
CLASS_WEIGHTS = {
    Role.IMPROVED: (60, 35, 5),  # ringan, sedang, berat at baseline
    Role.STILL_KUMUH: (35, 45, 20),
    Role.REMOVED: (80, 20, 0),
    Role.UNHANDLED: (55, 35, 10),
}
# Building density above the spatial plan's norm (1b) is rare in this rural regency.
_CRITERION_WEIGHT = {"1b": 1}
CODES = RULE_SET.codes
CRITERIA = {c.code: c for c in RULE_SET.criteria}
# Density (1b) cannot be bought down in two budget years; every other criterion has an activity.
_INVESTABLE = tuple(c for c in CODES if c != "1b")
# What a location with its status removed may still score on, besides 1b: not a basic service.
RESIDUAL = ("1a", "1c", "7a", "7b")


def draw_volume(rng: random.Random, denominator: int, score: int) -> int:
    """A whole number of units whose percentage of `denominator` falls in the score's band."""
    for low, high in (_PREFERRED[score], _BANDS[score]):
        least = -(-low * denominator // 10000)
        most = high * denominator // 10000
        if least <= most:
            return rng.randint(least, most)
    raise ValueError(f"no volume of {denominator} units scores {score}")


def scores_for_class(rng: random.Random, klass: SlumClass) -> dict[str, int]:
    """Per-criterion scores whose total lies in the class: raise random criteria one band at a
    time until a drawn target total is reached."""
    low, high = _CLASS_TOTALS[klass]
    target = rng.randint(low, high)
    scores = dict.fromkeys(CODES, 0)
    while sum(scores.values()) < target:
        open_codes = [c for c in CODES if scores[c] < 5]
        weights = [_CRITERION_WEIGHT.get(c, 4) for c in open_codes]
        code = rng.choices(open_codes, weights)[0]
        scores[code] = _NEXT_SCORE[scores[code]]
    return scores


def scores_2021(
    rng: random.Random, role: Role, baseline: Mapping[str, int], residual: frozenset[str]
) -> dict[str, int]:
    """The 2021 score of each criterion (investments only ever lower a score).

    `residual`: for a location whose status is removed, the only criteria its RTs may still
    score on (1b and one building or fire criterion). Then the location, scored from the sum of
    its RTs, totals at most 10 as well, not only each RT: a location's percentage of a
    criterion is a weighted mean of its RTs', so scoring on different criteria in different RTs
    could add up above 15 at location level.
    """
    scores = dict(baseline)
    if role is Role.UNHANDLED:
        return scores
    if role is Role.STILL_KUMUH:
        # Some RTs got one activity that improved a criterion without lifting the RT out of kumuh.
        candidates = [c for c in _INVESTABLE if scores[c] >= 3]
        if candidates and rng.random() < 0.5:
            code = rng.choice(candidates)
            lowered = _LOWER_SCORE[scores[code]]
            if sum(scores.values()) - scores[code] + lowered >= 16:
                scores[code] = lowered
        return scores
    if role is Role.REMOVED:
        # Every basic service at score 0 (≤ 15 % unserved) is above the programme's 80 %
        # coverage (criteria.md §5); the residual criteria are not basic services.
        return {c: s if c in residual else 0 for c, s in scores.items()}
    # Tidak Kumuh is a total below 16 (Permen PUPR 14/2018); 1b alone scores at most 5.
    limit = rng.randint(6, 13)
    for code in rng.sample(_INVESTABLE, len(_INVESTABLE)):
        if sum(scores.values()) <= limit:
            break
        scores[code] = 0
    return scores

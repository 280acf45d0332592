"""Fixtures shared by the whole suite: personas come later; regions and paths now."""

from __future__ import annotations

import functools
from collections.abc import Callable
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SHARED_DATA = REPO.parent / "shared" / "data"
PEKALONGAN = SHARED_DATA / "pekalongan"


@functools.cache
def _packaged_fields() -> tuple[dict[str, object], ...]:
    from sikumuh.regions.loader import packaged_regions

    names = ("code", "name", "level", "kind", "parent_id", "luas_km2", "penduduk")
    return tuple({n: getattr(r, n) for n in names} for r in packaged_regions())


def _load_subset(prefixes: tuple[str, ...]) -> int:
    """Load the packaged regions under the given codes (and their ancestors) into the test DB.

    The whole list (91,599 rows) takes seconds; most tests need one kabupaten.
    """
    from sikumuh.regions.models import Region

    wanted = []
    for fields in _packaged_fields():
        code = str(fields["code"])
        if any(code == p or code.startswith(p + ".") or p.startswith(code + ".") for p in prefixes):
            wanted.append(Region(**fields))
    existing = set(
        Region.objects.filter(code__in=[r.code for r in wanted]).values_list("code", flat=True)
    )
    Region.objects.bulk_create([r for r in wanted if r.code not in existing], batch_size=2000)
    return len(wanted)


@pytest.fixture
def load_regions_under(db: None) -> Callable[..., int]:
    """`load_regions_under("63.01", "33.75")` loads those kabupaten with their parents."""

    def load(*prefixes: str) -> int:
        return _load_subset(prefixes)

    return load


@pytest.fixture
def pekalongan_dir() -> Path:
    if not (PEKALONGAN / "kumuhRT.json").exists():
        pytest.skip(f"the Pekalongan data set is not at {PEKALONGAN}")
    return PEKALONGAN

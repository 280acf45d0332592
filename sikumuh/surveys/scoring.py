"""Bridge between stored observations and the pure scoring engine."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import Any

from sikumuh.core.criteria import HEADER_FIELDS, get_rule_set
from sikumuh.core.location import LocationResult, score_location
from sikumuh.core.scoring import UnitInput, UnitResult, score_unit
from sikumuh.regions.models import Level, code_at_level


def unit_input(
    header: dict[str, Decimal | None],
    volumes: dict[str, Any],
    percents: dict[str, Any],
) -> UnitInput:
    return UnitInput.from_values(header=header, volumes=volumes, percents=percents)


def score_values(
    *,
    header: dict[str, Decimal | None],
    volumes: dict[str, Any],
    percents: dict[str, Any],
    rule_set_id: str,
) -> UnitResult:
    return score_unit(unit_input(header, volumes, percents), get_rule_set(rule_set_id))


def _dec(value: Decimal | None) -> str | None:
    return None if value is None else format(value, "f")


def score_fields(result: UnitResult, *, desa_code: str) -> dict[str, Any]:
    """The stored Score columns for one result (region codes denormalised for aggregation)."""
    return {
        "rule_set": result.rule_set_id,
        "percents": {c: _dec(p) for c, p in result.percent.items()},
        "scores": dict(result.score),
        "total": result.total,
        "klass": None if result.klass is None else result.klass.value,
        "aspect_means": {str(a): _dec(m) for a, m in result.aspect_means.items()},
        "sectoral_mean": result.sectoral_mean,
        "warnings": [w.code + (f":{w.criterion}" if w.criterion else "") for w in result.warnings],
        "province_code": code_at_level(desa_code, Level.PROVINSI),
        "kabupaten_code": code_at_level(desa_code, Level.KABUPATEN),
        "kecamatan_code": code_at_level(desa_code, Level.KECAMATAN),
        "desa_code": desa_code,
    }


def header_of(obj: Any) -> dict[str, Decimal | None]:
    return {name: getattr(obj, name) for name in HEADER_FIELDS}


def score_observations(observations: Iterable[Any]) -> LocationResult:
    """A location (any group of RTs) scored from the sum of its RTs' observations: the core's
    one rule (`core.location.score_location`). Takes `Observation` objects or value rows (dicts
    with ``rt_id``, ``rule_set``, ``volumes``, ``percents`` and the header fields)."""
    return score_location(
        (_get(o, "rt_id"), _get(o, "rule_set"), _input_of(o)) for o in observations
    )


def _get(obj: Any, name: str) -> Any:
    return obj[name] if isinstance(obj, Mapping) else getattr(obj, name)


def _input_of(obj: Any) -> UnitInput:
    header = {name: _get(obj, name) for name in HEADER_FIELDS}
    return unit_input(header, _get(obj, "volumes") or {}, _get(obj, "percents") or {})

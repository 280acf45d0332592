"""A stateful property test of the figures over time (criteria.md §9): random sequences of the
real actions — RT data entered for a new or past year by the facilitator or the Pokja, submit,
return, approve, a new SK version, a new location — and after each step every figure of the
kabupaten is checked against a small independent as-of model (a dict of observations)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import pytest
from django.db import transaction
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    initialize,
    invariant,
    precondition,
    rule,
    run_state_machine_as_test,
)

from sikumuh.audit.actions import Actor
from sikumuh.regions.models import Region
from sikumuh.slums.actions import create_decree
from sikumuh.slums.models import RtUnit
from sikumuh.surveys import dashboard
from sikumuh.surveys.actions import save_observation
from sikumuh.surveys.asof import ALL, APPROVED, StatusFilter
from sikumuh.surveys.review import (
    ReviewError,
    YearLocked,
    approve_desa_year,
    lock_year,
    return_desa_year,
    submit_desa_year,
    unlock_year,
)
from sikumuh.surveys.selectors import slum_area
from tests.conftest import Personas
from tests.factories import header, location, rt, volumes_at

KABUPATEN = "63.01"
DESA = "63.01.03.1001"  # the facilitator's desa
YEARS = st.integers(min_value=2019, max_value=2023)
#: Every criterion at 80 % scores 5 (total 80, Kumuh Berat); at 0 % nothing (Tidak Kumuh).
SHARES = {"0.8": True, "0": False}  # share → slum
AREAS = ("1.25", "2.5", "0.75")


@dataclass
class Obs:
    """The model's RT-year: its hectares, whether it is slum, its review status."""

    luas: Decimal
    slum: bool
    status: str


class AsOfMachine(RuleBasedStateMachine):
    personas: Personas

    def __init__(self) -> None:
        super().__init__()
        self._atomic = transaction.atomic()
        self._atomic.__enter__()
        self.rts: list[RtUnit] = []
        self.obs: dict[tuple[int, int], Obs] = {}
        self.sks: list[tuple[dt.date, Decimal]] = []
        self.locked: set[int] = set()

    def teardown(self) -> None:
        transaction.set_rollback(True)
        self._atomic.__exit__(None, None, None)

    # --- Actions ------------------------------------------------------------------------------

    @initialize()
    def first_location(self) -> None:
        self.new_location()

    @rule()
    @precondition(lambda self: len(self.rts) < 6)
    def new_location(self) -> None:
        loc = location(code=f"P-{len(self.rts)}", desa=DESA)
        self.rts.extend([rt(loc, "001"), rt(loc, "002")])

    @rule(
        which=st.integers(min_value=0, max_value=5),
        tahun=YEARS,
        share=st.sampled_from(sorted(SHARES)),
        area=st.sampled_from(AREAS),
        by_facilitator=st.booleans(),
    )
    def enter(self, which: int, tahun: int, share: str, area: str, by_facilitator: bool) -> None:
        unit = self.rts[which % len(self.rts)]
        user = self.personas["facilitator" if by_facilitator else "reviewer"]
        h = header(area)
        if tahun in self.locked:
            # A locked year cannot change (criteria.md §9): refused, nothing stored.
            with pytest.raises(YearLocked):
                save_observation(
                    actor=Actor.of(user),
                    rt=unit,
                    tahun=tahun,
                    header=h,
                    volumes=volumes_at(share, h),
                )
            return
        save_observation(
            actor=Actor.of(user), rt=unit, tahun=tahun, header=h, volumes=volumes_at(share, h)
        )
        stored = self.obs.get((unit.pk, tahun))
        if stored is not None and (stored.luas, stored.slum) == (Decimal(area), SHARES[share]):
            return  # the same values again change nothing, not even the review status
        status = "draft" if by_facilitator else "approved"
        self.obs[(unit.pk, tahun)] = Obs(Decimal(area), SHARES[share], status)

    @rule(tahun=YEARS, step=st.sampled_from(["submit", "approve", "return"]))
    def review(self, tahun: int, step: str) -> None:
        desa = Region.objects.get(code=DESA)
        moves = {
            "submit": (("draft", "returned"), "submitted"),
            "approve": (("submitted",), "approved"),
            "return": (("submitted",), "returned"),
        }
        sources, target = moves[step]
        waiting = [k for k, o in self.obs.items() if k[1] == tahun and o.status in sources]
        facilitator = Actor.of(self.personas["facilitator"])
        reviewer = Actor.of(self.personas["reviewer"])
        try:
            if step == "submit":
                submit_desa_year(actor=facilitator, desa=desa, tahun=tahun)
            elif step == "approve":
                approve_desa_year(actor=reviewer, desa=desa, tahun=tahun)
            else:
                return_desa_year(actor=reviewer, desa=desa, tahun=tahun, comment="x")
        except ReviewError:
            assert not waiting
            return
        for key in waiting:
            self.obs[key].status = target

    @rule(tahun=YEARS)
    def lock(self, tahun: int) -> None:
        """The administrator locks a year: only when every RT-year of it is approved."""
        pending = any(k[1] == tahun and o.status != "approved" for k, o in self.obs.items())
        kabupaten = Region.objects.get(code=KABUPATEN)
        try:
            lock_year(actor=Actor.of(self.personas["admin"]), kabupaten=kabupaten, tahun=tahun)
        except ReviewError:
            assert tahun in self.locked or pending
            return
        assert tahun not in self.locked
        assert not pending
        self.locked.add(tahun)

    @rule(tahun=YEARS)
    def unlock(self, tahun: int) -> None:
        kabupaten = Region.objects.get(code=KABUPATEN)
        try:
            unlock_year(
                actor=Actor.of(self.personas["admin"]), kabupaten=kabupaten, tahun=tahun, reason="x"
            )
        except ReviewError:
            assert tahun not in self.locked
            return
        self.locked.discard(tahun)

    @rule(tahun=YEARS, month=st.integers(min_value=1, max_value=12))
    def new_sk_version(self, tahun: int, month: int) -> None:
        units = {u.location_id: u.location for u in self.rts}
        per_location = Decimal(len(self.sks) + 1) * 10
        create_decree(
            actor=Actor.system("test"),
            kabupaten=Region.objects.get(code=KABUPATEN),
            number=f"SK-{len(self.sks)}",
            year=tahun,
            date=dt.date(tahun, month, 1),
            entries=[(loc, per_location) for loc in units.values()],
        )
        self.sks.append((dt.date(tahun, month, 1), per_location * len(units)))

    # --- The model ----------------------------------------------------------------------------

    def _expected(self, status: StatusFilter) -> dict[int, tuple[Decimal, int, int]]:
        """Per year of the series: slum ha, RTs observed in it, RTs counted."""
        counted = {k: o for k, o in self.obs.items() if status == ALL or o.status == "approved"}
        years = sorted({t for _, t in counted})
        result = {}
        for year in years:
            latest: dict[int, tuple[int, Obs]] = {}
            for (unit, t), o in counted.items():
                if t <= year and (unit not in latest or latest[unit][0] < t):
                    latest[unit] = (t, o)
            slum = sum((o.luas for _, o in latest.values() if o.slum), Decimal(0))
            observed = sum(1 for t, _ in latest.values() if t == year)
            result[year] = (slum, observed, len(latest))
        return result

    def _sk_ha(self, year: int) -> Decimal | None:
        in_force = [s for s in enumerate(self.sks) if s[1][0] <= dt.date(year, 12, 31)]
        if not in_force:
            return None
        return max(in_force, key=lambda s: (s[1][0], s[0]))[1][1]

    # --- The checks ---------------------------------------------------------------------------

    @invariant()
    def slum_area_is_as_of_under_both_filters(self) -> None:
        for status in (ALL, APPROVED):
            report = slum_area(KABUPATEN, status=status)
            got = {
                y.tahun: (y.slum_ha, y.coverage.observed, y.coverage.total) for y in report.years
            }
            assert got == self._expected(status)
            for year in report.years:
                assert year.coverage.complete == (year.coverage.observed == year.coverage.total)
                sk_ha = self._sk_ha(year.tahun)
                assert (year.sk.ha if year.sk else None) == sk_ha

    @invariant()
    def the_stored_summaries_agree(self) -> None:
        expected = self._expected(ALL)
        totals, _children, _demo, covered = dashboard.years_from_location_scores("63")
        assert {t: y.slum_ha for t, y in totals.items()} == {t: e[0] for t, e in expected.items()}
        assert {t: (c.observed, c.total) for t, c in covered.items()} == {
            t: (e[1], e[2]) for t, e in expected.items()
        }
        for tahun in expected:
            assert dashboard.location_years(KABUPATEN, tahun) == (
                dashboard.location_years_from_rts(KABUPATEN, tahun)
            )


def test_figures_stay_as_of_through_any_sequence_of_actions(personas: Personas) -> None:
    AsOfMachine.personas = personas
    run_state_machine_as_test(
        AsOfMachine,
        settings=settings(
            max_examples=12,
            stateful_step_count=10,
            deadline=None,
            suppress_health_check=[HealthCheck.too_slow],
        ),
    )


@pytest.fixture(autouse=True)
def _no_leftover_class_state() -> Any:
    yield
    AsOfMachine.personas = None  # type: ignore[assignment]

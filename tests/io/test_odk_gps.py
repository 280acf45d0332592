"""The GPS point of each RT survey submission is kept with its observation, shown on the RT page,
and checked against the RT's location polygon and the kabupaten: warnings, never errors."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import translation

from sikumuh.audit.actions import Actor
from sikumuh.audit.models import AuditEntry
from sikumuh.io.importer import ImportReport
from sikumuh.io.models import ImportRun
from sikumuh.io.odk_rt_import import import_rt_submissions
from sikumuh.slums.models import Location
from sikumuh.surveys.models import Observation, ObservationSubmission
from tests.conftest import Personas
from tests.factories import location, rt
from tests.io.rt_survey_helpers import answers, kobo_csv, odk_central_csv

pytestmark = pytest.mark.django_db
REGION = "63.01"
# A square of about 1.1 km around (-3.80, 114.77), in (lon, lat) order.
SQUARE = {
    "type": "Polygon",
    "coordinates": [[[114.765, -3.805], [114.775, -3.805], [114.775, -3.795], [114.765, -3.795],
                     [114.765, -3.805]]],
}  # fmt: skip


@pytest.fixture
def region(load_regions_under: Callable[..., int]) -> Location:
    load_regions_under("63.01", "33.75")
    loc = location("L-01", "63.01.03.1001")
    Location.objects.filter(pk=loc.pk).update(polygon=SQUARE)
    rt(loc, "001")
    rt(loc, "002")
    return loc


def run(data: bytes) -> ImportReport:
    with translation.override("id"):
        return import_rt_submissions(
            data, actor=Actor.system(), file_name="rt_survey.csv", region_code=REGION
        )


@pytest.mark.parametrize("export", [odk_central_csv, kobo_csv])
def test_the_point_is_kept_with_the_observation(
    region: Location, export: Callable[..., bytes]
) -> None:
    report = run(export([("a-1", answers(titik="-3.80123 114.76543 20 5"))]))
    assert report.status == ImportRun.Status.COMMITTED, report.errors
    assert report.warnings == []
    kept = ObservationSubmission.objects.get()
    assert kept.instance_id == "uuid:a-1"
    assert kept.observation == Observation.objects.get()
    assert (kept.latitude, kept.longitude, kept.accuracy_m) == (
        Decimal("-3.80123"),
        Decimal("114.76543"),
        Decimal("5"),
    )
    assert AuditEntry.objects.filter(action="observation.submission").count() == 1
    assert report.extra["submissions_kept"] == 1


def test_a_reimport_keeps_one_point_and_writes_nothing(region: Location) -> None:
    data = odk_central_csv([("a-1", answers(titik="-3.80123 114.76543 20 5"))])
    run(data)
    again = run(data)
    assert again.status == ImportRun.Status.UNCHANGED
    assert ObservationSubmission.objects.count() == 1
    assert again.extra["changes_kept"] == 0
    assert AuditEntry.objects.filter(action="observation.submission").count() == 1


@pytest.mark.parametrize(
    ("point", "value", "reason"),
    [
        ("-3.7 114.77 10 5", "-3.700000, 114.770000", "di luar poligon lokasi L-01"),
        ("-1.0 110.0 10 5", "-1.000000, 110.000000", "di luar kabupaten/kota 63.01"),
        ("", None, "tidak memiliki titik GPS"),
        ("95 114.77 1 1", "95 114.77 1", "bukan titik GPS"),
    ],
)
def test_a_point_outside_or_missing_is_a_warning_naming_row_and_column(
    region: Location, point: str, value: str | None, reason: str
) -> None:
    report = run(odk_central_csv([("a-1", answers()), ("a-2", answers(rt="002", titik=point))]))
    assert report.status == ImportRun.Status.COMMITTED, report.errors
    assert Observation.objects.count() == 2
    [warning] = report.warnings
    assert (warning.row, warning.column, warning.value) == ("3", "identitas-titik-Latitude", value)
    assert reason in warning.reason


def test_outside_indonesia_when_no_location_is_delineated(region: Location) -> None:
    Location.objects.update(polygon=None)
    report = run(odk_central_csv([("a-1", answers(titik="3.8 14.77 1 1"))]))
    assert "di luar Indonesia" in report.warnings[0].reason


def test_the_rt_page_shows_the_point(region: Location, personas: Personas) -> None:
    run(odk_central_csv([("a-1", answers(titik="-3.80123 114.76543 20 5"))]))
    obs = Observation.objects.get()
    form = reverse("web:rt_form", kwargs={"pk": obs.rt_id, "tahun": obs.tahun})
    for url in (form, reverse("web:rt", args=[obs.rt_id])):
        html = personas.client("viewer").get(url).content.decode()
        assert "Titik GPS: -3,80123, 114,76543 (±5 m)" in html

"""The rebuild of a kabupaten's location summaries from the review page: its administrators
start a job (audited) that recomputes that kabupaten's locations only; other roles are refused,
other regions are not found (issue 9, §3). And `sikumuh rebuild-summaries --region`."""

from __future__ import annotations

import io

import pytest
from django.urls import reverse

from sikumuh.audit.models import AuditEntry
from sikumuh.cli import main
from sikumuh.jobs.kinds.summaries import KIND
from sikumuh.jobs.models import Job
from sikumuh.surveys.models import LocationScore
from tests.conftest import Personas
from tests.jobs.support import JOB_URL, work_off
from tests.web.test_dashboard_support import KABUPATEN, SARANG_HALANG, demo, demo_module

pytestmark = pytest.mark.django_db
__all__ = ["demo", "demo_module"]  # fixtures, imported for pytest

#: The demo's location-years in Tanah Laut (as `sikumuh rebuild-summaries` counts them).
TANAH_LAUT_ROWS = 144
OTHER_KABUPATEN = "33.75"


def rebuild_url(code: str = KABUPATEN) -> str:
    return reverse("web:review_rebuild_summaries", kwargs={"code": code})


def test_the_administrator_starts_a_rebuild_of_the_kabupaten_and_sees_its_job(
    demo: Personas,
) -> None:
    LocationScore.objects.all().delete()
    client = demo.client("admin")
    response = client.post(rebuild_url())
    found = JOB_URL.match(response["Location"])
    assert found, response["Location"]
    job = Job.objects.get(pk=int(found.group(1)))
    assert (job.kind, job.region_code, job.params) == (KIND, KABUPATEN, {"kabupaten": KABUPATEN})
    entry = AuditEntry.objects.get(action="job.start")
    assert (entry.actor, entry.region_code) == (demo["admin"], KABUPATEN)

    work_off()
    job.refresh_from_db()
    assert (job.status, job.result) == (Job.Status.SUCCEEDED, {"location_years": TANAH_LAUT_ROWS})
    assert LocationScore.objects.count() == TANAH_LAUT_ROWS
    page = client.get(f"/tugas/{job.pk}/").content.decode()
    assert "Penghitungan ulang ringkasan lokasi" in page
    assert f"<dd>{TANAH_LAUT_ROWS}</dd>" in page


def test_a_second_request_while_one_waits_shows_the_same_job(demo: Personas) -> None:
    client = demo.client("admin")
    first = client.post(rebuild_url())["Location"]
    assert client.post(rebuild_url())["Location"] == first
    assert Job.objects.filter(kind=KIND).count() == 1
    work_off()
    assert client.post(rebuild_url())["Location"] != first  # done: a new one may start


def test_the_review_page_offers_the_button_to_the_administrator_only(demo: Personas) -> None:
    review = reverse("web:review", kwargs={"code": KABUPATEN})
    assert f'action="{rebuild_url()}"' in demo.client("admin").get(review).content.decode()
    for persona in ("viewer", "reviewer"):
        page = demo.client(persona).get(review).content.decode()
        assert 'id="rebuild-summaries"' not in page, persona


@pytest.mark.parametrize(
    ("persona", "code", "status"),
    [
        ("viewer", KABUPATEN, 403),
        ("reviewer", KABUPATEN, 403),
        ("facilitator", KABUPATEN, 404),  # sees its desa only
        ("facilitator", SARANG_HALANG, 404),  # a desa is no kabupaten
        ("admin", SARANG_HALANG, 404),
        ("outsider", KABUPATEN, 404),
        ("admin", OTHER_KABUPATEN, 404),
    ],
)
def test_only_an_administrator_of_the_kabupaten_may_rebuild(
    demo: Personas, persona: str, code: str, status: int
) -> None:
    assert demo.client(persona).post(rebuild_url(code)).status_code == status
    assert not Job.objects.exists()


def test_the_rebuild_answers_only_post(demo: Personas) -> None:
    assert demo.client("admin").get(rebuild_url()).status_code == 405


def test_a_failed_rebuild_is_readable_and_tried_again(
    demo: Personas, monkeypatch: pytest.MonkeyPatch
) -> None:
    from sikumuh.jobs.kinds import summaries

    def broken(*args: object, **kwargs: object) -> int:
        raise RuntimeError("/srv/sikumuh/location_scores.py exploded")

    real = summaries.rebuild_location_scores
    monkeypatch.setattr(summaries, "rebuild_location_scores", broken)
    client = demo.client("admin")
    job_url = client.post(rebuild_url())["Location"]
    work_off()
    page = client.get(job_url).content.decode()
    assert "Tugas terhenti karena kesalahan yang tidak terduga." in page
    assert "/srv/" not in page
    monkeypatch.setattr(summaries, "rebuild_location_scores", real)
    assert client.post(job_url + "coba-lagi/")["Location"] == job_url
    work_off()
    job = Job.objects.get(kind=KIND)
    assert (job.status, job.attempts) == (Job.Status.SUCCEEDED, 2)


# --- The command ---------------------------------------------------------------------------------


def test_the_command_rebuilds_one_kabupaten_only(demo: Personas) -> None:
    LocationScore.objects.all().delete()
    out = io.StringIO()
    assert main(["rebuild-summaries", "--region", OTHER_KABUPATEN], out=out, err=io.StringIO()) == 0
    assert out.getvalue().startswith("location summaries rebuilt: 0 location-years in ")
    assert not LocationScore.objects.exists()
    out = io.StringIO()
    assert main(["rebuild-summaries", "--region", KABUPATEN], out=out, err=io.StringIO()) == 0
    assert out.getvalue().startswith(f"location summaries rebuilt: {TANAH_LAUT_ROWS} ")
    assert LocationScore.objects.count() == TANAH_LAUT_ROWS


@pytest.mark.parametrize("code", ["99.99", SARANG_HALANG])
def test_the_command_refuses_a_code_that_is_no_kabupaten(demo: Personas, code: str) -> None:
    err = io.StringIO()
    assert main(["rebuild-summaries", "--region", code], out=io.StringIO(), err=err) == 2
    assert code in err.getvalue()

"""The import wizard and the review state: rows into a locked year are refused with the lock's
reason in Indonesian (never a 500), and a facilitator is warned before storing rows that take
approved data back to review."""

from __future__ import annotations

from pathlib import Path

import pytest

from sikumuh.audit.actions import Actor
from sikumuh.io.models import ImportRun
from sikumuh.regions.models import Region
from sikumuh.surveys.models import Observation, Status
from sikumuh.surveys.review import lock_year
from tests.conftest import Personas
from tests.web.test_rtdata_support import (
    SARANG_HALANG,
    demo,
    demo_module,
    media,
    sarang_halang_rows,
    template_file,
)
from tests.web.test_rtdata_wizard import DESA_WIZARD, confirm, review_url, snapshot, upload

pytestmark = pytest.mark.django_db
__all__ = ["demo", "demo_module", "media"]  # fixtures, imported for pytest


def lock_2019(demo: Personas) -> None:
    lock_year(
        actor=Actor.of(demo.users["admin"]),
        kabupaten=Region.objects.get(code="63.01"),
        tahun=2019,
        note="Baseline final.",
    )


@pytest.mark.parametrize("persona", ["facilitator", "admin"])
def test_rows_into_a_locked_year_are_refused_with_the_lock_in_indonesian(
    demo: Personas, media: Path, persona: str
) -> None:
    lock_2019(demo)
    client = demo.client(persona)
    content = template_file(sarang_halang_rows(2019, v_2b=0))
    url = review_url(upload(client, content, url=DESA_WIZARD))
    review = client.get(url)
    assert review.status_code == 200
    html = review.content.decode()
    assert 'id="import-errors"' in html
    assert "tahun 2019 untuk Kabupaten Tanah Laut terkunci (oleh admin pada" in html
    assert "Catatan kunci: Baseline final." in html
    before = snapshot()
    job = confirm(client, url)
    run = ImportRun.objects.latest("started_at")
    assert run.status == "rejected"
    assert snapshot()[:2] == before[:2]  # only the rejected run is recorded
    assert job.result == {"run_id": run.pk}  # the failed job links to it
    page = client.get(f"/impor/riwayat/{run.pk}/")
    assert page.status_code == 200
    assert "terkunci" in page.content.decode()


def test_the_facilitator_is_warned_before_changing_approved_data(
    demo: Personas, media: Path
) -> None:
    client = demo.client("facilitator")
    rows = sarang_halang_rows(2021)
    rows[0]["v_2b"] = 0
    url = review_url(upload(client, template_file(rows), url=DESA_WIZARD))
    html = client.get(url).content.decode()
    assert 'id="import-returns-to-review"' in html
    assert "1 baris mengubah data yang sudah disetujui Pokja." in html
    confirm(client, url)
    statuses = Observation.objects.filter(rt__desa_id=SARANG_HALANG, tahun=2021).values_list(
        "status", flat=True
    )
    assert sorted(statuses) == [Status.APPROVED] * 5 + [Status.DRAFT]


@pytest.mark.parametrize("persona", ["admin"])
def test_who_stores_approved_data_sees_no_such_warning(
    demo: Personas, media: Path, persona: str
) -> None:
    rows = sarang_halang_rows(2021)
    rows[0]["v_2b"] = 0
    client = demo.client(persona)
    url = review_url(upload(client, template_file(rows), url=DESA_WIZARD))
    assert 'id="import-returns-to-review"' not in client.get(url).content.decode()


@pytest.mark.parametrize(
    ("persona", "status"), [("viewer", 403), ("reviewer", 403), ("outsider", 404)]
)
def test_the_wizard_stays_closed_to_who_may_not_edit(
    demo: Personas, media: Path, persona: str, status: int
) -> None:
    content = template_file(sarang_halang_rows(2019))
    assert upload(demo.client(persona), content, url=DESA_WIZARD).status_code == status

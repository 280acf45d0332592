"""The review page and its POST endpoints: submit, approve, return, lock, unlock.

Persona checklist on every URL: works; in-scope user ok; outsider 404; read-only role refused
(403) on writes; bad id 404; wrong method 405.
"""

from __future__ import annotations

from typing import Any

import pytest

from sikumuh.audit.actions import Actor
from sikumuh.audit.models import AuditEntry
from sikumuh.regions.models import Region
from sikumuh.surveys.actions import save_observation
from sikumuh.surveys.models import Observation, Status, YearLock
from sikumuh.surveys.review import lock_year, submit_desa_year
from sikumuh.surveys.review_selectors import review_overview
from tests import factories

DESA = "63.01.03.1001"
OTHER_DESA = "63.01.03.1002"


@pytest.fixture
def data(personas: Any) -> dict[str, Any]:
    """Two RTs of the facilitator's desa (drafts, 2021) and one approved RT of another desa."""
    location = factories.location("L-01", DESA)
    other = factories.location("L-02", OTHER_DESA)
    facilitator = Actor.of(personas["facilitator"])
    for rt, actor in (
        (factories.rt(location, "001"), facilitator),
        (factories.rt(location, "002"), facilitator),
        (factories.rt(other, "001"), Actor.system("test")),
    ):
        save_observation(
            actor=actor,
            rt=rt,
            tahun=2021,
            header=factories.HEADER,
            volumes=factories.volumes_at("0.5"),
        )
    return {"location": location}


def statuses(desa: str = DESA) -> list[str]:
    return sorted(Observation.objects.filter(rt__desa_id=desa).values_list("status", flat=True))


def submit(personas: Any) -> None:
    submit_desa_year(
        actor=Actor.of(personas["facilitator"]), desa=Region.objects.get(code=DESA), tahun=2021
    )


# --- The page ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("who", "code", "status"),
    [
        ("admin", "63.01", 200),
        ("reviewer", "63.01", 200),
        ("viewer", "63.01", 200),
        ("facilitator", DESA, 200),
        ("facilitator", "63.01", 404),
        ("outsider", "63.01", 404),
        ("admin", "99.99", 404),
    ],
)
def test_the_review_page_is_scoped(
    data: dict[str, Any], personas: Any, who: str, code: str, status: int
) -> None:
    assert personas.client(who).get(f"/wilayah/{code}/tinjauan/").status_code == status


def test_the_review_page_answers_only_get(personas: Any) -> None:
    assert personas.client("admin").post("/wilayah/63.01/tinjauan/").status_code == 405


def test_each_role_sees_the_buttons_of_its_step(data: dict[str, Any], personas: Any) -> None:
    facilitator = personas.client("facilitator").get(f"/wilayah/{DESA}/tinjauan/").content
    assert b"Ajukan" in facilitator
    assert b"Setujui" not in facilitator
    submit(personas)
    reviewer = personas.client("reviewer").get("/wilayah/63.01/tinjauan/").content
    assert b"Setujui" in reviewer
    assert b"Kembalikan" in reviewer
    assert b"Kunci tahun" not in reviewer
    admin = personas.client("admin").get("/wilayah/63.01/tinjauan/").content
    assert b"Kunci tahun" in admin
    viewer = personas.client("viewer").get("/wilayah/63.01/tinjauan/").content.decode()
    assert not any(word in viewer for word in ("Ajukan", "Setujui", "Kembalikan", "Kunci tahun"))


def test_the_overview_counts_by_status_in_three_queries(
    data: dict[str, Any], personas: Any, django_assert_num_queries: Any
) -> None:
    submit(personas)
    with django_assert_num_queries(3):
        years = review_overview("63.01")
    [block] = years
    assert [(r.desa_code, r.draft, r.submitted, r.approved) for r in block.rows] == [
        (DESA, 0, 2, 0),
        (OTHER_DESA, 0, 0, 1),
    ]
    assert block.rows[0].last_event is not None
    assert block.rows[0].last_event.action == "submit"


# --- Submit, approve, return -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("who", "code", "status"),
    [
        ("facilitator", DESA, 302),
        ("admin", DESA, 302),
        ("viewer", DESA, 403),
        ("reviewer", DESA, 403),
        ("outsider", DESA, 404),
        ("facilitator", OTHER_DESA, 404),
        ("admin", "63.01", 404),  # not a desa
        ("admin", "63.01.99.9999", 404),
    ],
)
def test_submitting_a_desa_year(
    data: dict[str, Any], personas: Any, who: str, code: str, status: int
) -> None:
    response = personas.client(who).post(f"/wilayah/{code}/tinjauan/ajukan/", {"tahun": "2021"})
    assert response.status_code == status
    expected = ["submitted", "submitted"] if status == 302 else ["draft", "draft"]
    assert statuses() == expected


@pytest.mark.parametrize(
    ("who", "status", "after"),
    [
        ("reviewer", 302, "approved"),
        ("admin", 302, "approved"),
        ("facilitator", 403, "submitted"),
        ("viewer", 403, "submitted"),
        ("outsider", 404, "submitted"),
    ],
)
def test_approving_a_desa_year(
    data: dict[str, Any], personas: Any, who: str, status: int, after: str
) -> None:
    submit(personas)
    response = personas.client(who).post(f"/wilayah/{DESA}/tinjauan/setujui/", {"tahun": "2021"})
    assert response.status_code == status
    assert statuses() == [after, after]


def test_returning_needs_a_comment_which_the_facilitator_then_reads(
    data: dict[str, Any], personas: Any
) -> None:
    submit(personas)
    reviewer = personas.client("reviewer")
    url = f"/wilayah/{DESA}/tinjauan/kembalikan/"
    response = reviewer.post(url, {"tahun": "2021", "comment": "  "}, follow=True)
    assert "memerlukan catatan" in response.content.decode()
    assert statuses() == ["submitted", "submitted"]

    response = reviewer.post(url, {"tahun": "2021", "comment": "RT 002: jumlah KK keliru"})
    assert response.status_code == 302
    assert statuses() == ["returned", "returned"]
    page = personas.client("facilitator").get(f"/wilayah/{DESA}/tinjauan/").content.decode()
    assert "RT 002: jumlah KK keliru" in page
    assert "Ajukan" in page  # returned data can be submitted again
    assert (
        personas.client("facilitator").post(url, {"tahun": "2021", "comment": "x"}).status_code
        == 403
    )


def test_a_step_with_nothing_to_move_says_so(data: dict[str, Any], personas: Any) -> None:
    response = personas.client("reviewer").post(
        f"/wilayah/{DESA}/tinjauan/setujui/", {"tahun": "2021"}, follow=True
    )
    assert "Tidak dilakukan" in response.content.decode()


@pytest.mark.parametrize("tahun", ["", "dua ribu", "99999"])
def test_a_bad_year_is_a_bad_request(data: dict[str, Any], personas: Any, tahun: str) -> None:
    client = personas.client("admin")
    assert client.post(f"/wilayah/{DESA}/tinjauan/ajukan/", {"tahun": tahun}).status_code == 400
    assert client.post("/wilayah/63.01/tinjauan/kunci/", {"tahun": tahun}).status_code == 400


@pytest.mark.parametrize("step", ["ajukan", "setujui", "kembalikan", "kunci", "buka-kunci"])
def test_the_steps_answer_only_post(personas: Any, step: str) -> None:
    assert personas.client("admin").get(f"/wilayah/63.01/tinjauan/{step}/").status_code == 405


def test_after_a_step_the_user_returns_to_a_safe_next_page(
    data: dict[str, Any], personas: Any
) -> None:
    client = personas.client("facilitator")
    url = f"/wilayah/{DESA}/tinjauan/ajukan/"
    response = client.post(url, {"tahun": "2021", "next": "https://evil.example/"})
    assert response["Location"] == f"/wilayah/{DESA}/tinjauan/"


# --- Lock and unlock ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("who", "status"),
    [("admin", 302), ("reviewer", 403), ("viewer", 403), ("facilitator", 404), ("outsider", 404)],
)
def test_locking_a_year(personas: Any, who: str, status: int) -> None:
    response = personas.client(who).post("/wilayah/63.01/tinjauan/kunci/", {"tahun": "2021"})
    assert response.status_code == status
    assert YearLock.objects.filter(locked=True).exists() == (status == 302)


def test_a_year_with_pending_data_is_not_locked_and_the_page_says_why(
    data: dict[str, Any], personas: Any
) -> None:
    response = personas.client("admin").post(
        "/wilayah/63.01/tinjauan/kunci/", {"tahun": "2021"}, follow=True
    )
    assert "2 data RT 63.01 tahun 2021 belum disetujui" in response.content.decode()
    assert not YearLock.objects.exists()


def test_unlocking_needs_a_reason_and_only_the_admin_may(personas: Any) -> None:
    lock_year(
        actor=Actor.of(personas["admin"]), kabupaten=Region.objects.get(code="63.01"), tahun=2021
    )
    url = "/wilayah/63.01/tinjauan/buka-kunci/"
    assert (
        personas.client("reviewer").post(url, {"tahun": "2021", "reason": "x"}).status_code == 403
    )
    assert (
        personas.client("outsider").post(url, {"tahun": "2021", "reason": "x"}).status_code == 404
    )
    admin = personas.client("admin")
    response = admin.post(url, {"tahun": "2021", "reason": ""}, follow=True)
    assert "memerlukan alasan" in response.content.decode()
    assert YearLock.objects.get().locked
    assert admin.post(url, {"tahun": "2021", "reason": "revisi SK"}).status_code == 302
    lock = YearLock.objects.get()
    assert (lock.locked, lock.unlock_reason) == (False, "revisi SK")
    page = admin.get("/wilayah/63.01/tinjauan/").content.decode()
    assert "revisi SK" in page


def test_a_locked_year_shows_no_review_buttons(data: dict[str, Any], personas: Any) -> None:
    Observation.objects.update(status=Status.APPROVED)
    lock_year(
        actor=Actor.of(personas["admin"]), kabupaten=Region.objects.get(code="63.01"), tahun=2021
    )
    Observation.objects.filter(rt__desa_id=DESA).update(status=Status.DRAFT)  # as if legacy
    page = personas.client("facilitator").get(f"/wilayah/{DESA}/tinjauan/").content.decode()
    assert "Terkunci" in page
    assert "Ajukan" not in page


@pytest.mark.parametrize(
    ("who", "status"),
    [("admin", 302), ("reviewer", 403), ("viewer", 403), ("facilitator", 404), ("outsider", 404)],
)
def test_a_lock_keeps_its_note_shown_on_the_review_page_and_audited(
    personas: Any, who: str, status: int
) -> None:
    note = "Data dasar SK 2021, final."
    url = "/wilayah/63.01/tinjauan/kunci/"
    response = personas.client(who).post(url, {"tahun": "2021", "note": f"  {note} "})
    assert response.status_code == status
    if status != 302:
        assert not YearLock.objects.exists()
        return
    lock = YearLock.objects.get()
    assert lock.note == note
    assert AuditEntry.objects.get(action="year.lock").changes["note"] == [None, note]
    page = personas.client("viewer").get("/wilayah/63.01/tinjauan/").content.decode()
    assert f'<q class="lock-note">{note}</q>' in page

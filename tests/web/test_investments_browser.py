"""The Investasi pages in a real browser (strict CSP, Indonesian), at desktop width and on a 390 px
phone: the list with its filters and totals, adding an investment through the form, the import
wizard with a good file (stored) and a bad one (its errors listed, nothing stored), nothing wider
than the screen, no script or console error. And the personas: the viewer reads and is offered
no way to write; the facilitator of Sarang Halang is offered only their desa's locations and RTs.
(A facilitator's POST for another desa is refused in tests/web/test_investments_pages.py.)"""

from __future__ import annotations

from typing import Any

import pytest

from sikumuh.investments.models import Investment
from sikumuh.io.models import ImportRun
from tests.conftest import browser_login
from tests.web.test_investments_pages import BENUA_LAWAS, KAB, SARANG_HALANG, data
from tests.web.test_rtdata_support import media

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
__all__ = ["data", "media"]  # fixtures, imported for pytest

WIDTHS = [1280, 390]
HEADER = "kode_desa,lokasi,rt,tahun,kriteria,volume,satuan,kegiatan,sumber_dana,biaya_rp\n"
GOOD = f"{SARANG_HALANG},L-01,001,2024,3a,12,KK,Sambungan air minum,dana_desa,3000000\n"
NEGATIVE = f"{SARANG_HALANG},L-01,001,2024,5a,-4,KK,Jamban sehat,apbd,1000000\n"
UNKNOWN_RT = f"{SARANG_HALANG},L-01,099,2024,7a,2,unit,Hidran,apbd,1000000\n"


@pytest.fixture(autouse=True)
def fast_passwords(settings: Any) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def errors(page: Any) -> list[str]:
    """Script errors, console errors and requests off the site made by the Investasi pages.

    Requests off the site are refused; the dashboard that the login lands on asks for map tiles,
    whose refusal is not the Investasi pages' business."""
    base = page.base_url
    page.route(
        "**/*",
        lambda route: route.continue_() if route.request.url.startswith(base) else route.abort(),
    )
    found: list[str] = []

    def ours() -> bool:
        return "/investasi/" in page.url or "/impor/" in page.url

    def console(message: Any) -> None:
        off_site = not message.location.get("url", base).startswith(base)
        if message.type == "error" and not off_site:
            found.append(f"{page.url}: {message.text}")

    def request(req: Any) -> None:
        if not req.url.startswith(base) and ours():
            found.append(f"{page.url}: asks for {req.url}")

    page.on("pageerror", lambda e: found.append(f"{page.url}: {e}"))
    page.on("console", console)
    page.on("request", request)
    return found


def open_as(page: Any, who: str, width: int, path: str) -> None:
    page.set_viewport_size({"width": width, "height": 900})
    browser_login(page, who)
    page.wait_for_url("**/wilayah/**")
    page.goto(page.base_url + path)


def fits(page: Any, width: int) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= width  # nothing overflows


def list_path(code: str = KAB) -> str:
    return f"/wilayah/{code}/investasi/"


def listed(page: Any) -> list[str]:
    return [r.inner_text() for r in page.locator("table.inv-list tbody tr").all()]


@pytest.mark.parametrize("width", WIDTHS)
def test_the_admin_filters_the_list_and_adds_an_investment_through_the_form(
    page: Any, data: dict[str, Any], errors: list[str], width: int
) -> None:
    open_as(page, "admin", width, list_path())
    totals = page.inner_text("table.inv-totals")
    assert "Rp 2.000.000" in totals  # 2b × 2023 × APBD: the two works in Sarang Halang
    assert "240 m" in totals
    assert "Rp 5.000.000" in totals
    assert len(listed(page)) == 3
    fits(page, width)

    page.select_option("#f-kriteria", "4b")
    page.click(".rt-filters button[type=submit]")
    page.wait_for_url("**kriteria=4b**")
    rows = listed(page)
    assert len(rows) == 1
    assert "Saluran" in rows[0]
    assert "Rp 5.000.000" in page.inner_text("table.inv-totals")
    assert "Rp 2.000.000" not in page.inner_text("table.inv-totals")
    page.select_option("#f-kriteria", "")
    page.select_option("#f-sumber", "apbd")
    page.click(".rt-filters button[type=submit]")
    page.wait_for_url("**sumber=apbd**")
    assert len(listed(page)) == 2
    fits(page, width)

    page.click(f"a[href='{list_path()}baru/']")
    page.wait_for_url("**/investasi/baru/")
    fits(page, width)
    page.select_option("#id_place", f"R{data['rt_here'].pk}")
    page.select_option("#id_criterion", "3a")
    page.fill("#id_tahun", "2024")
    page.fill("#id_activity", "Sambungan air minum")
    page.fill("#id_volume", "12")
    page.select_option("#id_funding_source", "dana_desa")
    page.fill("#id_cost", "3000000")
    page.select_option("#id_status", "rencana")
    page.click("form.card button[type=submit].primary")
    page.wait_for_url("**/investasi/?lokasi=*")
    added = next(r for r in listed(page) if "Sambungan air minum" in r)
    assert "Rp 3.000.000" in added
    assert "12 KK" in added
    assert "Rencana" in added
    stored = Investment.objects.get(activity="Sambungan air minum")
    assert (stored.rt_id, stored.unit, stored.status) == (data["rt_here"].pk, "KK", "rencana")
    fits(page, width)
    assert errors == []


def upload(page: Any, text: str) -> None:
    page.goto(page.base_url + list_path() + "impor/")
    page.set_input_files(
        "#f-file",
        files=[{"name": "investasi.csv", "mimeType": "text/csv", "buffer": text.encode()}],
    )
    page.click("form.card button[type=submit].primary")
    page.wait_for_url("**/investasi/impor/*-*/")


@pytest.mark.usefixtures("media")
@pytest.mark.parametrize("width", WIDTHS)
def test_the_import_wizard_stores_a_good_file_and_lists_a_bad_files_errors(
    page: Any, data: dict[str, Any], errors: list[str], width: int
) -> None:
    open_as(page, "admin", width, list_path())
    page.click(f"a[href='{list_path()}impor/']")
    page.wait_for_url("**/investasi/impor/")
    fits(page, width)

    before = Investment.objects.count()
    upload(page, HEADER + NEGATIVE + GOOD + UNKNOWN_RT)
    assert page.inner_text("#count-rejected") == "2"
    cells = [
        [c.inner_text() for c in row.locator("td").all()]
        for row in page.locator("#import-errors tbody tr").all()
    ]
    assert [c[:4] for c in cells] == [
        ["investasi.csv", "2", "volume", "-4"],
        ["investasi.csv", "4", "rt", "099"],
    ]
    assert cells[0][4] == "volume harus lebih dari nol"
    assert cells[1][4].startswith("RT 099 lokasi L-01 tidak ada")
    assert page.locator("#import-refused").is_visible()
    fits(page, width)
    # A file that would be refused offers no plain "Simpan": only storing the valid rows with
    # the invalid ones skipped, said on the button (issue 12).
    buttons = page.locator("#import-confirm button[type=submit]")
    assert buttons.count() == 1
    assert "Lewati" in buttons.inner_text()
    assert Investment.objects.count() == before
    assert not ImportRun.objects.filter(status="committed").exists()

    upload(page, HEADER + GOOD)
    assert page.inner_text("#count-new") == "1"
    assert page.locator("#import-errors").count() == 0
    assert Investment.objects.count() == before  # the check stores nothing
    fits(page, width)
    page.click("#import-confirm button[type=submit]")
    page.wait_for_url("**/impor/**")
    assert "Tersimpan" in page.inner_text("#run-status")
    assert Investment.objects.count() == before + 1
    page.goto(page.base_url + list_path())
    assert any("Sambungan air minum" in r for r in listed(page))
    fits(page, width)
    assert errors == []


@pytest.mark.parametrize("width", WIDTHS)
def test_the_viewer_reads_the_list_and_is_offered_no_way_to_write(
    page: Any, data: dict[str, Any], errors: list[str], width: int
) -> None:
    open_as(page, "viewer", width, list_path())
    assert len(listed(page)) == 3
    assert "Rp 2.000.000" in page.inner_text("table.inv-totals")
    for link in ("/baru/", "/impor/", "/ubah/"):
        assert page.locator(f"a[href*='{link}']").count() == 0, link
    assert page.locator("#plan-link").is_visible()  # reading the planner is open to all
    fits(page, width)
    assert page.request.get(page.base_url + list_path() + "baru/").status == 403
    assert errors == []


@pytest.mark.parametrize("width", WIDTHS)
def test_the_facilitator_adds_only_in_their_desa(
    page: Any, data: dict[str, Any], errors: list[str], width: int
) -> None:
    open_as(page, "facilitator", width, list_path(SARANG_HALANG))
    rows = listed(page)
    assert len(rows) == 2  # their desa's two works, not Benua Lawas's
    assert all("Saluran" not in r for r in rows)
    assert page.locator("a[href*='/ubah/']").count() == 2
    fits(page, width)

    page.click(f"a[href='{list_path(SARANG_HALANG)}baru/']")
    page.wait_for_url("**/investasi/baru/")
    offered = page.eval_on_selector_all("#id_place option", "os => os.map(o => o.value)")
    here = data["rt_here"]
    assert set(offered) == {f"L{here.location_id}", f"R{here.pk}"}
    fits(page, width)
    page.select_option("#id_place", f"R{here.pk}")
    page.select_option("#id_criterion", "2b")
    page.fill("#id_tahun", "2024")
    page.fill("#id_activity", "Paving blok")
    page.fill("#id_volume", "80")
    page.click("form.card button[type=submit].primary")
    page.wait_for_url("**/investasi/?lokasi=*")
    assert any("Paving blok" in r for r in listed(page))
    assert Investment.objects.get(activity="Paving blok").rt_id == here.pk
    for code in (KAB, BENUA_LAWAS):  # another desa's pages do not exist for them
        assert page.request.get(page.base_url + list_path(code) + "baru/").status == 404
    assert errors == []

"""WCAG 2 AA on the main pages, checked by axe-core in a real browser at desktop and phone
width (issue 12, point 8): no serious or critical violation (colour contrast, form labels,
names of controls, keyboard-reachable scroll boxes). axe-core comes from npm (frontend/
package.json) and is copied to tests/vendor by `make vendor`: the tests inject it into the page,
the application never serves it."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest

from sikumuh.audit.actions import Actor
from sikumuh.demo.build import build_demo
from sikumuh.slums.models import Location, SkDecree
from tests.conftest import Personas, browser_login
from tests.web.crawl import DESKTOP, PHONE
from tests.web.test_phone_width_browser import SARANG_HALANG, first_rt

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

AXE = Path(__file__).resolve().parents[1] / "vendor" / "axe-core" / "axe.min.js"
#: WCAG 2.0 and 2.1, levels A and AA.
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
BLOCKING = {"serious", "critical"}
RUN = """tags => axe.run(document, {
  runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']
}).then(r => r.violations.map(v => ({
  id: v.id, impact: v.impact, help: v.help,
  nodes: v.nodes.slice(0, 3).map(n => n.target.join(' ') + ' — ' + n.failureSummary.split('\\n')[1])
})))"""


@pytest.fixture(autouse=True)
def fast_passwords(settings: Any) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(scope="module")
def axe_source() -> str:
    if not AXE.is_file():
        if os.environ.get("CI"):
            pytest.fail(f"{AXE} is missing: run `make vendor`")
        pytest.skip(f"axe-core is not at {AXE}: run `make vendor`")
    return AXE.read_text()


def main_pages() -> list[str]:
    """The pages people use most, one of each kind, in the demo."""
    location = Location.objects.filter(desa_id=SARANG_HALANG).order_by("code")[0]
    sk = SkDecree.objects.order_by("pk")[0]
    rt = first_rt()
    return [
        "/wilayah/63.01/",
        "/wilayah/63.01.03/",
        f"/lokasi/{location.pk}/",
        f"/rt/{rt}/?tahun=2021",
        f"/rt/{rt}/isian/2021/",
        "/wilayah/63.01/data-rt/",
        "/wilayah/63.01/sk/",
        f"/sk/{sk.pk}/",
        "/wilayah/63.01/delineasi/",
        "/wilayah/63.01/tinjauan/",
        "/wilayah/63.01/audit/",
        "/wilayah/63.01/pendataan/",
        "/wilayah/63.01/investasi/",
        "/wilayah/63.01/uji-petik/",
        "/wilayah/63.01/laporan/",
        "/wilayah/63.01/impor/",
        "/akun/",
    ]


def violations(page: Any, axe_source: str) -> list[str]:
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        # Through the DevTools protocol: the page's Content Security Policy refuses inline
        # scripts, and axe is never a static file of the application.
        page.evaluate(axe_source)
    found = page.evaluate(RUN, TAGS)
    return [
        f"{v['impact']} {v['id']} ({v['help']}): " + "; ".join(v["nodes"])
        for v in found
        if v["impact"] in BLOCKING
    ]


def test_the_main_pages_have_no_serious_accessibility_violation_on_desktop_and_phone(
    page: Any, personas: Personas, axe_source: str
) -> None:
    build_demo(actor=Actor.system("test"))
    page.goto(page.base_url + "/masuk/")
    problems = [f"/masuk/ {p}" for p in violations(page, axe_source)]
    browser_login(page, "admin")
    page.wait_for_url("**/wilayah/63.01/")
    for path in main_pages():
        for size, name in ((DESKTOP, "desktop"), (PHONE, "phone")):
            page.set_viewport_size(size)
            page.goto(page.base_url + path)
            if page.locator("[data-map]").count():
                page.wait_for_selector("[data-map][data-ready]")
            problems += [f"{name} {path} {p}" for p in violations(page, axe_source)]
    assert problems == [], "\n".join(problems)

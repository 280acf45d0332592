"""The API's docs page in Chromium: Swagger UI from our own static files, under our CSP."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_docs_page_renders_every_operation_from_our_own_files_under_the_csp(
    page: Any,
) -> None:
    console: list[str] = []
    hosts: set[str] = set()
    page.on("console", lambda message: console.append(message.text))
    page.on("request", lambda request: hosts.add(urlsplit(request.url).netloc))
    response = page.goto(page.base_url + "/api/v1/docs")
    assert "script-src 'self'" in response.headers["content-security-policy"]
    page.wait_for_selector(".opblock-summary-path")
    paths = page.locator(".opblock-summary-path").all_inner_texts()
    assert "/api/v1/regions/{code}/slum-area" in [p.replace("\u200b", "") for p in paths]
    assert "/api/v1/observations" in [p.replace("\u200b", "") for p in paths]
    assert hosts == {urlsplit(page.base_url).netloc}  # no CDN, nothing else
    assert not [m for m in console if "Content Security Policy" in m], console

"""Fixtures shared by the whole suite: personas come later; regions and paths now."""

from __future__ import annotations

import functools
import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from hypothesis import settings as hypothesis_settings

REPO = Path(__file__).resolve().parents[1]


def _shared_data() -> Path:
    """Where the workplace's shared data lies: $SIKUMUH_SHARED_DATA, the checkout's sibling
    `shared/data`, or /work/shared/data (CI clones the repository elsewhere)."""
    candidates = [REPO.parent / "shared" / "data", Path("/work/shared/data")]
    if env := os.environ.get("SIKUMUH_SHARED_DATA"):
        candidates.insert(0, Path(env))
    return next((c for c in candidates if c.is_dir()), candidates[0])


# Hypothesis: "ci" (the default) keeps tests/fuzz to seconds; `make fuzz` picks "fuzz".
hypothesis_settings.register_profile("ci", deadline=None, max_examples=10, database=None)
hypothesis_settings.register_profile("fuzz", deadline=None, max_examples=3000)
hypothesis_settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))

SHARED_DATA = _shared_data()
PEKALONGAN = SHARED_DATA / "pekalongan"


@pytest.fixture(autouse=True, scope="session")
def _fast_password_hashing() -> Iterator[None]:
    """Real hashing costs ~0.3 s a password; the suite logs personas in thousands of times."""
    from django.test.utils import override_settings

    with override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]):
        yield


@functools.cache
def _packaged_fields() -> tuple[dict[str, object], ...]:
    from sikumuh.io.region_list import packaged_regions

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


# --- Personas ------------------------------------------------------------------------------------
# Every view is checked with the same people: the regency's administrator, its Pokja reviewer, a
# facilitator of one desa (Sarang Halang, Pelaihari), a viewer, and an outsider who administers
# another city (Kota Pekalongan).

PASSWORD = "sandi-uji-123"
PERSONA_ROLES = {
    "admin": ("63.01", "admin"),
    "reviewer": ("63.01", "reviewer"),
    "facilitator": ("63.01.03.1001", "editor"),
    "viewer": ("63.01", "viewer"),
    "outsider": ("33.75", "admin"),
}


@dataclass
class Personas:
    users: dict[str, Any]

    def client(self, name: str) -> Client:
        client = Client()
        client.force_login(self.users[name])
        return client

    def __getitem__(self, name: str) -> Any:
        return self.users[name]


@pytest.fixture
def personas(load_regions_under: Callable[..., int]) -> Personas:
    from django.contrib.auth.models import User

    from sikumuh.accounts.actions import grant_role
    from sikumuh.audit.actions import Actor
    from sikumuh.regions.models import Region

    load_regions_under("63.01", "33.75")
    users = {}
    for name, (code, role) in PERSONA_ROLES.items():
        user = User.objects.create_user(name, password=PASSWORD)
        grant_role(
            actor=Actor.system("test"), user=user, region=Region.objects.get(code=code), role=role
        )
        users[name] = user
    return Personas(users)


# --- Browser -------------------------------------------------------------------------------------

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


@pytest.fixture(scope="session")
def chromium() -> Iterator[Any]:
    """Debian's chromium driven by Playwright; skipped (with the reason) where none exists,
    except in CI, where a missing browser is a failure."""
    if not Path(CHROMIUM).exists():
        if os.environ.get("CI"):
            pytest.fail(f"CI must run the browser tests but {CHROMIUM} is missing")
        pytest.skip(
            f"browser tests need Debian's chromium at {CHROMIUM} (apt-get install chromium)"
        )
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(chromium: Any, live_server: Any) -> Iterator[Any]:
    context = chromium.new_context(locale="id-ID", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(10_000)
    page.base_url = live_server.url  # type: ignore[attr-defined]
    yield page
    context.close()


def browser_login(page: Any, username: str, password: str = PASSWORD) -> None:
    page.goto(page.base_url + "/masuk/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("button[type=submit].primary")

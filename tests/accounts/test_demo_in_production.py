"""A production site refuses to start while a demo login still works, and `sikumuh demo`
refuses to run in production (issue 7, finding 4)."""

from __future__ import annotations

import io
import runpy
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command
from django.core.management.base import SystemCheckError

from sikumuh.accounts.checks import demo_logins_in_production
from sikumuh.accounts.demo import ensure_demo_accounts
from sikumuh.audit.actions import Actor
from sikumuh.cli import base, main
from sikumuh.cli.demo import _ensure_demo_user

DEMO_LOGINS = ["admin", "demo-admin", "demo-fasilitator", "demo-pemantau", "demo-pokja"]


@pytest.fixture
def demo_database(load_regions_under: Any) -> None:
    """What `sikumuh demo` leaves behind: the superuser and one account per role."""
    load_regions_under("63.01")
    _ensure_demo_user()
    ensure_demo_accounts(actor=Actor.system("test"))


def flagged() -> list[str]:
    return [str(error.obj) for error in demo_logins_in_production()]


def test_in_production_every_demo_login_is_an_error(demo_database: None, settings: Any) -> None:
    settings.PRODUCTION = True
    assert flagged() == DEMO_LOGINS
    assert {error.id for error in demo_logins_in_production()} == {"sikumuh.E001"}


def test_outside_production_the_demo_logins_are_fine(demo_database: None) -> None:
    assert flagged() == []


@pytest.mark.parametrize(
    ("change", "still_flagged"),
    [
        ("password", ["admin", "demo-admin", "demo-fasilitator", "demo-pokja"]),
        ("deactivate", ["admin", "demo-admin", "demo-fasilitator", "demo-pokja"]),
        ("delete", ["admin", "demo-admin", "demo-fasilitator", "demo-pokja"]),
    ],
)
def test_a_demo_account_stops_counting_once_its_password_changed_or_it_is_gone(
    demo_database: None, settings: Any, change: str, still_flagged: list[str]
) -> None:
    user = get_user_model().objects.get(username="demo-pemantau")
    if change == "password":
        user.set_password("sandi-baru-yang-panjang")
        user.save()
    elif change == "deactivate":
        user.is_active = False
        user.save()
    else:
        user.delete()
    settings.PRODUCTION = True
    assert flagged() == still_flagged


def test_manage_py_check_fails_in_production_with_demo_logins(
    demo_database: None, settings: Any
) -> None:
    settings.PRODUCTION = True
    with pytest.raises(SystemCheckError, match="demo-fasilitator"):
        call_command("check", stdout=io.StringIO(), stderr=io.StringIO())


def test_the_wsgi_application_refuses_to_start_in_production(
    demo_database: None, settings: Any
) -> None:
    settings.PRODUCTION = True
    with pytest.raises(ImproperlyConfigured, match="demo-admin"):
        runpy.run_module("config.wsgi")
    settings.PRODUCTION = False
    assert "application" in runpy.run_module("config.wsgi")


def test_sikumuh_commands_refuse_to_run_in_production_with_demo_logins(
    demo_database: None, settings: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(base, "_ready", False)
    settings.PRODUCTION = True
    out, err = io.StringIO(), io.StringIO()
    assert main(["migrate"], out, err) == 2
    assert "Akun demo demo-admin masih memakai kata sandi" in err.getvalue()
    assert "Traceback" not in err.getvalue()


@pytest.mark.django_db
def test_sikumuh_demo_refuses_to_run_in_production_and_writes_nothing(
    settings: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(base, "_ready", False)
    settings.PRODUCTION = True
    out, err = io.StringIO(), io.StringIO()

    assert main(["demo", "--no-serve"], out, err) == 2

    assert err.getvalue().startswith(
        "sikumuh: kesalahan: sikumuh demo tidak dijalankan di produksi"
    )
    assert err.getvalue().count("\n") == 1
    assert out.getvalue() == ""
    assert not get_user_model().objects.exists()

"""Helpers shared by the RT data and export tests (no tests here): the Tanah Laut demo, files
written through the product's own template writer, and reading downloads back."""

from __future__ import annotations

import io
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.http import HttpResponseBase

from sikumuh.audit.actions import Actor
from sikumuh.core.criteria import HEADER_FIELDS
from sikumuh.demo.build import build_demo
from sikumuh.io.exporters import plain
from sikumuh.io.template import write_blank_template
from sikumuh.slums.models import RtUnit
from sikumuh.surveys.models import Observation
from tests.conftest import PASSWORD, PERSONA_ROLES, Personas, _load_subset

SARANG_HALANG = "63.01.03.1001"  # the facilitator's desa (Kecamatan Pelaihari)
BENUA_LAWAS = "63.01.01.2001"  # another desa of Tanah Laut (Kecamatan Takisung)


def _personas() -> Personas:
    from django.contrib.auth.models import User

    from sikumuh.accounts.actions import grant_role
    from sikumuh.regions.models import Region

    users = {}
    for name, (code, role) in PERSONA_ROLES.items():
        user = User.objects.create_user(name, password=PASSWORD)
        grant_role(
            actor=Actor.system("test"), user=user, region=Region.objects.get(code=code), role=role
        )
        users[name] = user
    return Personas(users)


@pytest.fixture(scope="module")
def demo_module(django_db_setup: None, django_db_blocker: Any) -> Iterator[Personas]:
    """The regions of 63.01 and 33.75, the personas and the Tanah Laut demo, written once per
    test module (building them costs seconds) and removed after it. Each test still runs in
    its own transaction, rolled back at its end, so what a test writes is gone for the next."""
    with django_db_blocker.unblock():
        _load_subset(("63.01", "33.75"))
        personas = _personas()
        build_demo(actor=Actor.system("test"))
    yield personas
    with django_db_blocker.unblock():
        call_command("flush", interactive=False, verbosity=0)


@pytest.fixture
def demo(demo_module: Personas, db: None) -> Personas:
    """The personas (``demo.client("facilitator")``) over the synthetic Tanah Laut demo (2019
    and 2021 RT data)."""
    return demo_module


@pytest.fixture
def media(settings: Any, tmp_path: Path) -> Path:
    """Uploads go to a temporary MEDIA_ROOT."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return Path(settings.MEDIA_ROOT)


def rt_in(desa: str, number: str | None = None) -> RtUnit:
    units = RtUnit.objects.filter(desa_id=desa).order_by("location__code", "rt")
    return units.get(rt=number) if number else units[0]


def observation_row(obs: Observation, **changes: Any) -> dict[str, Any]:
    """A template row holding a stored observation (volumes as stored), with changes."""
    row: dict[str, Any] = {
        "kode_desa": obs.rt.desa_id,
        "lokasi": obs.rt.location.code,
        "nama_lokasi": obs.rt.location.name,
        "rt": obs.rt.rt,
        "tahun": obs.tahun,
        **{name: plain(getattr(obs, name)) for name in HEADER_FIELDS},
        **{f"v_{code}": plain(value) for code, value in obs.volumes.items()},
    }
    row.update(changes)
    return row


def template_file(rows: list[dict[str, Any]], fmt: str = "csv") -> bytes:
    """A template file written by the product's own writer."""
    if fmt == "csv":
        text = io.StringIO()
        write_blank_template(text, "csv", rows)
        return text.getvalue().encode("utf-8")
    binary = io.BytesIO()
    write_blank_template(binary, "xlsx", rows)
    return binary.getvalue()


def sarang_halang_rows(tahun: int, **changes: Any) -> list[dict[str, Any]]:
    """The facilitator's RTs as template rows for ``tahun``, volumes of their 2021 data."""
    observations = Observation.objects.filter(rt__desa_id=SARANG_HALANG, tahun=2021).order_by(
        "rt__rt"
    )
    return [observation_row(o, tahun=tahun, **changes) for o in observations]


def body(response: HttpResponseBase) -> bytes:
    """The whole body of a response. The test client closes a streaming (or file) response
    once its content has been read, as a WSGI server does; closing it again here would also
    close the test's database connection."""
    if response.streaming:
        return b"".join(response.streaming_content)  # type: ignore[attr-defined]
    return bytes(response.content)  # type: ignore[attr-defined]


def csv_rows(response: HttpResponseBase) -> list[list[str]]:
    import csv

    return list(csv.reader(io.StringIO(body(response).decode("utf-8"))))


def xlsx_rows(data: bytes, sheet: str | None = None) -> list[list[Any]]:
    """The cells of a workbook's sheet (the first unless named), read by python-calamine."""
    from python_calamine import CalamineWorkbook

    book = CalamineWorkbook.from_filelike(io.BytesIO(data))
    return book.get_sheet_by_name(sheet or book.sheet_names[0]).to_python()


def decimal(value: Any) -> Decimal:
    return Decimal(str(value))


def iter_pages(client: Any, url: str) -> Iterator[str]:
    page = 1
    while True:
        response = client.get(url, {"halaman": page})
        yield response.content.decode()
        if f"halaman={page + 1}" not in response.content.decode():
            return
        page += 1

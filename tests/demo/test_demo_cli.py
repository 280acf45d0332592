"""`sikumuh demo --no-serve` on an empty database: the real path, all 91,599 regions included."""

from __future__ import annotations

import io

import pytest
from django.contrib.auth import get_user_model

from sikumuh.cli import base, main
from sikumuh.regions.models import Region


@pytest.mark.slow
@pytest.mark.django_db
def test_sikumuh_demo_builds_prints_the_report_figures_and_how_to_log_in(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(base, "_ready", False)  # migrate and load the regions as a fresh run does
    out, err = io.StringIO(), io.StringIO()

    assert main(["demo", "--no-serve", "--port", "8123"], out, err) == 0, err.getvalue()

    text = out.getvalue()
    assert "Data demo sintetis — bukan data resmi Kabupaten Tanah Laut" in text
    assert "SK DEMO/188.45/2020 (2020): 184.92 ha" in text
    assert "Kecamatan Pelaihari slum area: 2019 47.53 ha -> 2021 24.36 ha" in text
    assert "reduction 23.17 ha = 48.75 % of luas kumuh 63.01.03 tahun 2019 (47.53 ha)" in text
    assert "reduction 23.17 ha = 12.53 % of luas kumuh SK (total kabupaten/kota)" in text
    assert "Kecamatan Bajuin slum area: 2019" in text
    assert "http://127.0.0.1:8123/admin/ — user admin, password admin-demo" in text
    assert Region.objects.count() > 90_000
    admin = get_user_model().objects.get(username="admin")
    assert admin.is_superuser
    assert admin.check_password("admin-demo")

    again = io.StringIO()
    assert main(["demo", "--no-serve"], again, err) == 0
    assert "demo already complete: nothing changed" in again.getvalue()

from __future__ import annotations

import io

import pytest

from sikumuh.cli import main
from sikumuh.regions.models import Region


@pytest.mark.django_db
def test_migrate_prepares_the_database_and_loads_every_region_once() -> None:
    out = io.StringIO()
    assert main(["migrate"], out=out, err=io.StringIO()) == 0
    assert "regions: 91599 (91599 new, 0 updated)" in out.getvalue()
    assert Region.objects.count() == 91_599
    out = io.StringIO()
    assert main(["migrate"], out=out, err=io.StringIO()) == 0
    assert "(0 new, 0 updated)" in out.getvalue()

from __future__ import annotations

import io
from pathlib import Path

import pytest
from django.db import connection
from django.test import override_settings

from sikumuh.cli import main
from sikumuh.regions.models import Region

DATABASE_CACHE = {
    "default": {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "sikumuh_cache",
    }
}


@pytest.mark.django_db
def test_migrate_prepares_the_database_the_cache_table_the_static_files_and_every_region_once(
    tmp_path: Path,
) -> None:
    with override_settings(CACHES=DATABASE_CACHE, STATIC_ROOT=tmp_path):
        out = io.StringIO()
        assert main(["migrate"], out=out, err=io.StringIO()) == 0
        assert f"static files in {tmp_path}" in out.getvalue()
        assert "regions: 91599 (91599 new, 0 updated)" in out.getvalue()
        assert Region.objects.count() == 91_599
        assert "sikumuh_cache" in connection.introspection.table_names()
        assert (tmp_path / "web" / "app.css").is_file()
        assert (tmp_path / "web" / "favicon.svg").is_file()
        out = io.StringIO()
        assert main(["migrate"], out=out, err=io.StringIO()) == 0
        assert "(0 new, 0 updated)" in out.getvalue()

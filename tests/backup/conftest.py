"""The Tanah Laut demo built once into an SQLite file, with an uploaded file, and backed up; the
restores run in their own processes against fresh SQLite files or PostgreSQL databases."""

from __future__ import annotations

import json
import subprocess
import sys
import uuid
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import REPO
from tests.postgres import postgres_database

RUN = "import sys; from sikumuh.cli import main; sys.exit(main(sys.argv[1:]))"
PASSPHRASE = "kunci cadangan Tanah Laut 2026"
MEDIA_FILE = "uji-petik/temuan/2021/foto-temuan.jpg"
MEDIA_BYTES = b"\xff\xd8\xff\xe0 not really a JPEG \x00\x01\x02"

# Every table's row count, read with plain SQL (not through the backup's code).
COUNT_ROWS = """
import json, django
django.setup()
from django.db import connection
with connection.cursor() as cursor:
    counts = {}
    for table in sorted(connection.introspection.table_names()):
        cursor.execute(f"SELECT COUNT(*) FROM {connection.ops.quote_name(table)}")
        counts[table] = cursor.fetchone()[0]
print(json.dumps(counts))
"""


@dataclass(frozen=True)
class Site:
    """One installation: its database and its var/ folder (MEDIA_ROOT is var/media)."""

    database_url: str
    var: Path

    @property
    def env(self) -> dict[str, str]:
        return {
            "PATH": "/usr/bin:/bin",
            "DATABASE_URL": self.database_url,
            "DJANGO_SETTINGS_MODULE": "config.settings",
            "SIKUMUH_VAR_DIR": str(self.var),
        }

    def sikumuh(self, *argv: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-c", RUN, *argv], cwd=REPO, env=self.env, input=stdin,
            capture_output=True, text=True, timeout=600,
        )  # fmt: skip

    def ok(self, *argv: str, stdin: str = "") -> str:
        result = self.sikumuh(*argv, stdin=stdin)
        assert result.returncode == 0, result.stderr[-3000:]
        return result.stdout

    def python(self, code: str) -> str:
        result = subprocess.run(
            [sys.executable, "-c", code], cwd=REPO, env=self.env, capture_output=True,
            text=True, timeout=600, check=False,
        )  # fmt: skip
        assert result.returncode == 0, result.stderr[-3000:]
        return result.stdout

    def row_counts(self) -> dict[str, int]:
        return dict(json.loads(self.python(COUNT_ROWS)))

    def slum_area(self) -> Any:
        return json.loads(self.ok("slum-area", "--region", "63.01", "--format", "json"))

    def rt_data(self) -> bytes:
        """`sikumuh export rt-data` of the regency, every year: the CSV's bytes."""
        output = self.var.parent / f"rt-data-{uuid.uuid4().hex[:8]}.csv"
        self.ok("export", "rt-data", "--region", "63.01", "-o", str(output))
        return output.read_bytes()


def manifest(archive: Path) -> dict[str, Any]:
    with zipfile.ZipFile(archive) as zf:
        return dict(json.loads(zf.read("manifest.json")))


def table_digests(archive: Path) -> dict[str, tuple[int, str]]:
    """model → (rows, SHA-256 of its rows as the backup writes them): the content hash."""
    return {t["model"]: (t["rows"], t["sha256"]) for t in manifest(archive)["tables"]}


@dataclass(frozen=True)
class Source:
    site: Site
    archive: Path
    slum_area: Any
    rt_data: bytes
    row_counts: dict[str, int]


@pytest.fixture(scope="session")
def source(tmp_path_factory: pytest.TempPathFactory) -> Source:
    """The demo on SQLite (regions, SK, RT data, investments, uji petik, accounts) plus one
    uploaded file, and its plain backup."""
    root = tmp_path_factory.mktemp("source")
    site = Site(f"sqlite:///{root / 'sikumuh.sqlite3'}", root / "var")
    site.ok("demo", "--no-serve")
    media = site.var / "media" / MEDIA_FILE
    media.parent.mkdir(parents=True)
    media.write_bytes(MEDIA_BYTES)
    archive = root / "cadangan.zip"
    site.ok("backup", "-o", str(archive))
    return Source(site, archive, site.slum_area(), site.rt_data(), site.row_counts())


@pytest.fixture(params=["sqlite", "postgresql"])
def empty_site(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Site]:
    """An installation with an empty database of either engine and no uploaded files."""
    if request.param == "sqlite":
        yield Site(f"sqlite:///{tmp_path / 'target.sqlite3'}", tmp_path / "var")
        return
    with postgres_database("sikumuh_backup_test") as url:
        yield Site(url, tmp_path / "var")


@pytest.fixture
def empty_sqlite_site(tmp_path: Path) -> Site:
    return Site(f"sqlite:///{tmp_path / 'target.sqlite3'}", tmp_path / "var")

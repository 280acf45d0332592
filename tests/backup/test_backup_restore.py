"""`sikumuh backup` of the SQLite demo and `sikumuh restore` into empty databases of both
engines, in real processes: the figures (`slum-area`), the RT data (`export rt-data`), every
table's row count (plain SQL) and every table's content hash (its rows as the backup writes
them, backed up again from the target) come back identical; encrypted archives, wrong
passphrases, tampered members, non-empty targets and backups of an older schema."""

from __future__ import annotations

import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.backup.conftest import (
    MEDIA_BYTES,
    MEDIA_FILE,
    PASSPHRASE,
    Site,
    Source,
    manifest,
    table_digests,
)

pytestmark = pytest.mark.slow


def assert_same_data(target: Site, source: Source, tmp_path: Path) -> None:
    assert target.slum_area() == source.slum_area
    assert target.rt_data() == source.rt_data
    assert target.row_counts() == source.row_counts
    again = tmp_path / "again.zip"
    target.ok("backup", "-o", str(again))
    assert table_digests(again) == table_digests(source.archive)
    assert (target.var / "media" / MEDIA_FILE).read_bytes() == MEDIA_BYTES


def assert_nothing_written(target: Site) -> None:
    assert target.row_counts() == {}
    assert not (target.var / "media").exists()


def test_the_manifest_names_versions_schema_engine_row_counts_and_checksums(
    source: Source,
) -> None:
    found = manifest(source.archive)
    assert found["engine"] == "sqlite"
    assert found["product_version"]
    assert "0005_observation_unapproved_index" in found["schema"]["surveys"]
    tables = {t["model"]: t for t in found["tables"]}
    assert tables["surveys.observation"]["rows"] == source.row_counts["surveys_observation"]
    assert "sessions.session" not in tables
    assert "accounts.logincounter" not in tables
    assert {"auth.user", "auth.user_groups", "contenttypes.contenttype"} <= set(tables)
    assert [m["path"] for m in found["media"]] == [MEDIA_FILE]
    assert all(len(t["sha256"]) == 64 for t in [*found["tables"], *found["media"]])


def test_a_sqlite_backup_restores_into_an_empty_database_of_either_engine_identically(
    source: Source, empty_site: Site, tmp_path: Path
) -> None:
    assert source.rt_data.count(b"\n") > 100  # the demo's RTs, not an empty export
    out = empty_site.ok("restore", str(source.archive))

    assert out.startswith("dipulihkan:")
    assert_same_data(empty_site, source, tmp_path)
    # Sequences start after the restored ids (PostgreSQL): a new account gets a new id.
    empty_site.python(
        "import django; django.setup(); from django.contrib.auth.models import User;"
        " User.objects.create_user('akun-baru')"
    )


def test_an_encrypted_backup_round_trips_and_a_wrong_passphrase_writes_nothing(
    source: Source, empty_sqlite_site: Site, tmp_path: Path
) -> None:
    archive = tmp_path / "cadangan.enc"
    out = source.site.ok("backup", "-o", str(archive), "--passphrase-stdin", stdin=PASSPHRASE)
    assert "terenkripsi" in out
    assert not zipfile.is_zipfile(archive)
    assert b"demo-pokja" not in archive.read_bytes()

    wrong = empty_sqlite_site.sikumuh(
        "restore", str(archive), "--passphrase-stdin", stdin="kunci lain\n"
    )
    assert wrong.returncode != 0
    assert wrong.stderr.strip().splitlines() == [
        (
            "sikumuh: kesalahan: cadangan.enc: frasa sandi salah, atau arsip rusak;"
            " tidak ada yang dipulihkan"
        )
    ]
    assert_nothing_written(empty_sqlite_site)
    without = empty_sqlite_site.sikumuh("restore", str(archive))
    assert without.returncode != 0
    assert "--passphrase-stdin" in without.stderr

    empty_sqlite_site.ok("restore", str(archive), "--passphrase-stdin", stdin=PASSPHRASE + "\n")
    assert_same_data(empty_sqlite_site, source, tmp_path)


def rewrite(archive: Path, target: Path, member: str, change: bytes) -> None:
    """A copy of the archive whose `member` has `change` appended (the manifest untouched)."""
    with zipfile.ZipFile(archive) as old, zipfile.ZipFile(target, "w") as new:
        for info in old.infolist():
            data = old.read(info)
            new.writestr(info, data + change if info.filename == member else data)


@pytest.mark.parametrize(
    ("member", "change"),
    [
        ("data/slums.skdecree.jsonl", b"[]\n"),
        ("data/auth.user.jsonl", b" "),
        (f"media/{MEDIA_FILE}", b"!"),
    ],
)
def test_a_tampered_member_is_refused_by_its_checksum_and_nothing_is_written(
    source: Source, empty_sqlite_site: Site, tmp_path: Path, member: str, change: bytes
) -> None:
    tampered = tmp_path / "diubah.zip"
    rewrite(source.archive, tampered, member, change)

    result = empty_sqlite_site.sikumuh("restore", str(tampered))

    assert result.returncode != 0
    assert result.stderr.strip().splitlines() == [
        (
            f"sikumuh: kesalahan: diubah.zip: anggota {member} tidak cocok dengan checksum-nya;"
            " tidak ada yang dipulihkan"
        )
    ]
    assert_nothing_written(empty_sqlite_site)


def cut_short(archive: Path, target: Path) -> None:
    target.write_bytes(archive.read_bytes()[:-5000])


def other_zip(archive: Path, target: Path) -> None:
    with zipfile.ZipFile(target, "w") as zf:
        zf.writestr("manifest.json", '{"format": "sikumuh-backup", "tables": 3}')


@pytest.mark.parametrize("damage", [cut_short, other_zip])
def test_a_damaged_archive_is_refused_in_one_line_and_nothing_is_written(
    source: Source, empty_sqlite_site: Site, tmp_path: Path, damage: Callable[[Path, Path], None]
) -> None:
    damaged = tmp_path / "rusak.zip"
    damage(source.archive, damaged)

    result = empty_sqlite_site.sikumuh("restore", str(damaged))

    assert result.returncode != 0
    assert result.stderr.strip().splitlines() == [
        (
            "sikumuh: kesalahan: rusak.zip: frasa sandi salah, atau arsip rusak;"
            " tidak ada yang dipulihkan"
        )
    ]
    assert_nothing_written(empty_sqlite_site)


def test_a_database_with_data_is_refused_without_force_and_replaced_with_it(
    source: Source, tmp_path: Path
) -> None:
    # A copy of the source plus one more account: not empty.
    database = tmp_path / "berisi.sqlite3"
    database.write_bytes(Path(source.site.database_url.removeprefix("sqlite:///")).read_bytes())
    target = Site(f"sqlite:///{database}", tmp_path / "var")
    target.python(
        "import django; django.setup(); from django.contrib.auth.models import User;"
        " User.objects.create_user('penyusup')"
    )
    before = target.row_counts()

    refused = target.sikumuh("restore", str(source.archive))

    assert refused.returncode != 0
    assert "basis data tidak kosong" in refused.stderr
    assert "--force" in refused.stderr
    assert target.row_counts() == before

    target.ok("restore", str(source.archive), "--force")
    assert_same_data(target, source, tmp_path)


PENDING_MIGRATIONS = (
    "import django; django.setup(); from django.db import connection;"
    " from django.db.migrations.executor import MigrationExecutor as E;"
    " e = E(connection); print(len(e.migration_plan(e.loader.graph.leaf_nodes())))"
)


def test_a_backup_of_an_older_schema_restores_and_is_migrated_forward(
    source: Source, empty_sqlite_site: Site, tmp_path: Path
) -> None:
    # The source rolled back before the location scores (surveys 0003 creates the table and
    # fills it from the RT data): the backup records surveys at 0002 and has no such table.
    database = tmp_path / "lama.sqlite3"
    database.write_bytes(Path(source.site.database_url.removeprefix("sqlite:///")).read_bytes())
    old = Site(f"sqlite:///{database}", source.site.var)
    old.python(
        "import django; django.setup(); from django.core.management import call_command;"
        " call_command('migrate', 'surveys', '0002', verbosity=0)"
    )
    rolled_back = old.python(PENDING_MIGRATIONS).strip()
    archive = tmp_path / "lama.zip"
    old.ok("backup", "-o", str(archive))
    assert manifest(archive)["schema"]["surveys"] == ["0001_initial", "0002_review_and_year_lock"]
    assert "surveys.locationscore" not in table_digests(archive)

    out = empty_sqlite_site.ok("restore", str(archive))

    # Every migration the rollback undid runs again after the load, and none is left.
    assert int(rolled_back) > 0
    assert f"{rolled_back} migrasi dijalankan setelah pemuatan" in out
    assert empty_sqlite_site.python(PENDING_MIGRATIONS).strip() == "0"
    assert empty_sqlite_site.slum_area() == source.slum_area
    assert empty_sqlite_site.rt_data() == source.rt_data
    assert empty_sqlite_site.row_counts() == source.row_counts
    again = tmp_path / "again.zip"
    empty_sqlite_site.ok("backup", "-o", str(again))
    rebuilt = table_digests(again)
    expected = table_digests(source.archive)
    # The location scores were rebuilt by the migration (new ids and times); the year locks lost
    # their note when the source was rolled back past the migration adding it (the backup of
    # that older schema never had it); all else as stored.
    for table in ("surveys.locationscore", "surveys.yearlock"):
        assert rebuilt.pop(table)[0] == expected.pop(table)[0]
    assert rebuilt == expected

"""Three `sikumuh import template` processes on the same file at once: one stores it, the
others find it stored or get one clean line; no traceback, no "database is locked" (issue 7,
finding 5). Real processes on a real database: the SQLite file in WAL mode, or PostgreSQL."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from django.db import connection

from sikumuh.surveys.models import Observation
from tests.concurrency import shared_database  # noqa: F401  # fixture
from tests.conftest import REPO
from tests.io.test_motorkawanku_cli import CODES

RTS = 1000
RUN = "import sys; from sikumuh.cli import main; sys.exit(main(sys.argv[1:]))"


def template_csv(path: Path) -> Path:
    """RTs of Sarang Halang (Tanah Laut), the worked example's header and volumes."""
    header = "kode_desa,lokasi,rt,tahun,luas_ha,jumlah_bangunan,jumlah_penduduk,jumlah_kk,"
    header += "panjang_jalan_ideal_m,panjang_drainase_ideal_m," + ",".join(f"v_{c}" for c in CODES)
    volumes = ",".join("605" if c == "2b" else "0.2" if c == "4a" else "0" for c in CODES)
    lines = [header] + [
        f"63.01.03.1001,L-01,{n:04d},2019,1.5,50,200,60,780,385,{volumes}" for n in range(RTS)
    ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def database_url() -> str:
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{db['NAME']}"
    port = f":{db['PORT']}" if db["PORT"] else ""
    return f"postgres://{db['USER']}@{db['HOST']}{port}/{db['NAME']}"


def test_three_identical_imports_at_once_store_the_file_once_without_a_traceback(
    load_regions_under: Any,
    shared_database: Callable[[], None],  # noqa: F811  # the fixture imported above
    tmp_path: Path,
) -> None:
    load_regions_under("63.01")
    shared_database()
    path = template_csv(tmp_path / "rt.csv")
    env = {
        "PATH": "/usr/bin:/bin",
        "DATABASE_URL": database_url(),
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "SIKUMUH_VAR_DIR": str(tmp_path / "var"),
    }
    command = [sys.executable, "-c", RUN, "import", "template", str(path)]
    processes = [
        subprocess.Popen(command, cwd=REPO, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        for _ in range(3)
    ]
    results = [(p.wait(120), *(s.decode() for s in p.communicate())) for p in processes]

    for code, out, err in results:
        assert "Traceback" not in err, err[-2000:]
        assert "locked" not in err + out, err[-2000:]
        assert code in (0, 1), err[-2000:]
    statuses = sorted(out.splitlines()[0] for _, out, _ in results)
    assert statuses.count("status: tersimpan") == 1, statuses
    for code, out, _ in results:
        if out.startswith("status: ditolak, tidak ada yang disimpan"):
            assert "impor lain sedang berjalan" in out
        else:
            assert code == 0
    assert Observation.objects.count() == RTS

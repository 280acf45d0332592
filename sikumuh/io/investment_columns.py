"""The investment file's columns (docs/investments.md): read by the investment import, written
by the planner's export (a plan is a file of status ``rencana`` the import takes back)."""

from __future__ import annotations

REQUIRED = (
    "kode_desa",
    "lokasi",
    "rt",
    "tahun",
    "kriteria",
    "volume",
    "satuan",
    "kegiatan",
    "sumber_dana",
    "biaya_rp",
)
OPTIONAL = ("status", "keterangan")

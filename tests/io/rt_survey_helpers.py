"""Submissions made from the RT survey form, exported as ODK Central and KoboToolbox would."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from typing import Any

from sikumuh.core.criteria import HEADER_FIELDS, get_rule_set
from sikumuh.io.rt_survey_form import GPS, HEADER_GROUP, IDENTITY_GROUP, RULE_SET_ID, photo_name

RULES = get_rule_set(RULE_SET_ID)
HEADER = {
    "luas_ha": "1.5",
    "jumlah_bangunan": "50",
    "jumlah_penduduk": "200",
    "jumlah_kk": "60",
    "panjang_jalan_ideal_m": "780",
    "panjang_drainase_ideal_m": "385",
}


def answers(**overrides: str) -> dict[str, str]:
    """One RT's answers: every volume half its denominator unless overridden (v_1a="…")."""
    values = {
        "kode_desa": "63.01.03.1001",
        "lokasi": "L-01",
        "rt": "001",
        "tahun": "2026",
        **HEADER,
        **{f"v_{c.code}": str(float(HEADER[c.denominator]) / 2) for c in RULES.criteria},
    }
    values.update(overrides)
    return values


def _group_of(name: str) -> str:
    if name in ("kode_desa", "lokasi", "rt", "tahun", GPS):
        return IDENTITY_GROUP
    if name in HEADER_FIELDS:
        return HEADER_GROUP
    return f"aspek_{name.split('_')[-1][0]}"


def _columns() -> list[str]:
    names = ["kode_desa", "lokasi", "rt", "tahun", *HEADER_FIELDS]
    for c in RULES.criteria:
        names += [f"v_{c.code}", photo_name(c.code)]
    return names


def odk_central_csv(submissions: Sequence[tuple[str, dict[str, str]]]) -> bytes:
    """ODK Central's "Download all → CSV": group paths joined with "-", the geopoint split,
    meta-instanceID and KEY as "uuid:…", SubmissionDate in UTC."""
    header = ["SubmissionDate", "identitas-kode_desa", "identitas-lokasi", "identitas-rt",
              "identitas-tahun", "identitas-titik-Latitude", "identitas-titik-Longitude",
              "identitas-titik-Altitude", "identitas-titik-Accuracy"]  # fmt: skip
    names = _columns()[4:]
    header += [f"{_group_of(n)}-{n}" for n in names]
    header += ["meta-instanceID", "KEY", "SubmitterID", "SubmitterName", "AttachmentsPresent",
               "AttachmentsExpected", "Status", "ReviewState", "DeviceID", "Edits",
               "FormVersion"]  # fmt: skip
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    for instance, values in submissions:
        row: list[Any] = ["2026-12-01T03:04:05.678Z"]
        row += [values.get(n, "") for n in ("kode_desa", "lokasi", "rt", "tahun")]
        row += ["-3.801", "114.77", "12", "4.5"]
        row += [values.get(n, "") for n in names]
        row += [f"uuid:{instance}", f"uuid:{instance}", "5", "surveyor", "0", "0", "", "",
                "collect:abc", "0", "2026-x"]  # fmt: skip
        writer.writerow(row)
    return out.getvalue().encode()


def kobo_csv(submissions: Sequence[tuple[str, dict[str, str]]]) -> bytes:
    """KoboToolbox's CSV ("XML values and headers"): "/" between groups, ";" separated, the
    geopoint as "lat lon alt acc", ``_uuid`` bare."""
    names = _columns()
    header = ["start", "end", *(f"{_group_of(n)}/{n}" for n in names), "identitas/titik",
              "_identitas_titik_latitude", "_identitas_titik_longitude", "_id", "_uuid",
              "_submission_time", "_index"]  # fmt: skip
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\n")
    writer.writerow(header)
    for k, (instance, values) in enumerate(submissions, start=1):
        row = ["2026-12-01T10:00:00.000+08:00", "2026-12-01T10:30:00.000+08:00"]
        row += [values.get(n, "") for n in names]
        row += ["-3.801 114.77 12 4.5", "-3.801", "114.77", str(k), instance,
                "2026-12-01T02:31:00", str(k)]  # fmt: skip
        writer.writerow(row)
    return out.getvalue().encode()

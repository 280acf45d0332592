"""Submissions made from the generated RT survey form (its survey sheet read back), exported as
ODK Central and KoboToolbox would."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from typing import Any

import openpyxl

from sikumuh.core.criteria import get_rule_set
from sikumuh.io.rt_survey_form import RULE_SET_ID, region_rt_choices, write_rt_survey

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


def form_questions(region_code: str = "63.01", tahun: int = 2026) -> list[tuple[str, str, str]]:
    """``(group path, type, name)`` of every answered question of the generated form, in form
    order, read back from its survey sheet (notes carry no answer and are not exported)."""
    buffer = io.BytesIO()
    write_rt_survey(
        buffer,
        region_code=region_code,
        region_name="Tanah Laut",
        tahun=tahun,
        rts=region_rt_choices(region_code),
    )
    sheet = openpyxl.load_workbook(buffer)["survey"]
    groups: list[str] = []
    questions = []
    for type_, name, *_rest in sheet.iter_rows(min_row=2, values_only=True):
        if type_ == "begin_group":
            groups.append(str(name))
        elif type_ == "end_group":
            groups.pop()
        elif type_ != "note":
            questions.append(("/".join(groups), str(type_), str(name)))
    return questions


def _value(kind: str, name: str, values: dict[str, str]) -> list[str]:
    if kind == "geopoint":
        # "titik" overrides the point as "lat lon alt acc" ("" for none).
        point = values.get(name, "-3.801 114.77 12 4.5").split()
        return point + [""] * (4 - len(point))
    if kind == "image":
        # Photos are optional; the export names the attachment when there is one.
        return [values.get(name, "")]
    return [values.get(name, "")]


def odk_central_csv(submissions: Sequence[tuple[str, dict[str, str]]]) -> bytes:
    """ODK Central's "Download all → CSV" of the generated form: SubmissionDate first, group
    paths joined with "-", a geopoint split in four, then meta-instanceID, KEY and Central's
    own columns."""
    header = ["SubmissionDate"]
    questions = form_questions()
    for path, kind, name in questions:
        column = f"{path.replace('/', '-')}-{name}" if path else name
        if kind == "geopoint":
            header += [f"{column}-{part}" for part in ("Latitude", "Longitude", "Altitude",
                                                       "Accuracy")]  # fmt: skip
        else:
            header.append(column)
    header += ["meta-instanceID", "KEY", "SubmitterID", "SubmitterName", "AttachmentsPresent",
               "AttachmentsExpected", "Status", "ReviewState", "DeviceID", "Edits",
               "FormVersion"]  # fmt: skip
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    for instance, values in submissions:
        row: list[Any] = ["2026-12-01T03:04:05.678Z"]
        for _path, kind, name in questions:
            row += _value(kind, name, values)
        row += [f"uuid:{instance}", f"uuid:{instance}", "5", "surveyor", "0", "0", "", "",
                "collect:abc", "0", "2026-x"]  # fmt: skip
        writer.writerow(row)
    return out.getvalue().encode()


def kobo_csv(submissions: Sequence[tuple[str, dict[str, str]]]) -> bytes:
    """KoboToolbox's CSV ("XML values and headers") of the generated form: "/" between groups,
    ";" separated, a geopoint as "lat lon alt acc" plus its parts, ``_uuid`` bare."""
    questions = form_questions()
    header = ["start", "end"]
    for path, kind, name in questions:
        column = f"{path}/{name}" if path else name
        header.append(column)
        if kind == "geopoint":
            header += [f"_{name}_{part}" for part in ("latitude", "longitude", "altitude",
                                                      "precision")]  # fmt: skip
    header += ["_id", "_uuid", "_submission_time", "_index"]
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\n")
    writer.writerow(header)
    for k, (instance, values) in enumerate(submissions, start=1):
        row = ["2026-12-01T10:00:00.000+08:00", "2026-12-01T10:30:00.000+08:00"]
        for _path, kind, name in questions:
            if kind == "geopoint":
                parts = _value(kind, name, values)
                row += [" ".join(parts).strip(), *parts]
            else:
                row += _value(kind, name, values)
        row += [str(k), instance, "2026-12-01T02:31:00", str(k)]
        writer.writerow(row)
    return out.getvalue().encode()

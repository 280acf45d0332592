"""The CSV exports of ODK Central and KoboToolbox, read the same way for every form.

Both exports, as their documentation and files show them:

* ODK Central ("Download all → CSV"): one column per question, group paths joined with "-"
  (``volume-meets_spec``), a geopoint split into ``location-Latitude``/``-Longitude``/
  ``-Altitude``/``-Accuracy``, ``meta-instanceID`` and ``KEY`` (both "uuid:…"),
  ``SubmissionDate`` (ISO 8601, UTC).
* KoboToolbox (CSV, "XML values and headers"): group paths joined with "/"
  (``volume/meets_spec``), ``;`` as the default separator, a geopoint as "lat lon alt acc" plus
  ``_location_latitude``…, ``_uuid`` (without "uuid:"), ``_submission_time`` (UTC, no zone).

The form-specific importers (uji petik checklists, the RT survey) map the canonical column names
this module gives to their own fields.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from collections.abc import Collection, Mapping

from sikumuh.io import guard

GEO_PARTS = frozenset({"latitude", "longitude", "altitude", "accuracy", "precision"})
INSTANCE_COLUMNS = ("instance_id", "key", "_uuid")
TIME_COLUMNS = ("submission_time", "end")
# Canonical names of the exports' own columns.
_SPECIAL = {
    "meta-instanceid": "instance_id",
    "meta/instanceid": "instance_id",
    "instanceid": "instance_id",
    "key": "key",
    "_uuid": "_uuid",
    "submissiondate": "submission_time",
    "_submission_time": "submission_time",
}


def column_name(
    header: str, questions: Collection[str], labels: Mapping[str, str] | None = None
) -> str:
    """The question (or export field) a header stands for: group prefixes dropped, geopoint
    parts as ``<question>__<part>``; `labels` (lower-case label → name) reads a "labels"
    export."""
    text = header.strip().lstrip("\ufeff")
    special = _SPECIAL.get(text.lower())
    if special:
        return special
    kobo_geo = re.fullmatch(r"_(\w+?)_(latitude|longitude|altitude|precision)", text)
    if kobo_geo:
        return f"{kobo_geo[1]}__{kobo_geo[2]}"
    parts = re.split(r"[-/]", text)
    last = parts[-1]
    if last.lower() in GEO_PARTS and len(parts) >= 2:
        return f"{parts[-2]}__{last.lower()}"
    if last in questions:
        return last
    return (labels or {}).get(text.lower(), last)


def is_kobo(header: list[str]) -> bool:
    """Kobo's own columns start with "_"; ODK Central's are KEY, SubmissionDate, meta-…."""
    return any(h.strip() in {"_uuid", "_submission_time"} for h in header)


def read_csv(data: bytes, file_name: str = "upload.csv") -> tuple[list[str], list[list[str]]]:
    """Header and rows of a CSV export: UTF-8 (with or without BOM), "," ";" or tab.

    :class:`~sikumuh.io.guard.FileRefused` for a file past the limits, not UTF-8, with a cell
    too long to be one answer (the csv module's field limit) or holding a NUL (which
    PostgreSQL cannot store)."""
    limits = guard.limits()
    guard.check_size(len(data), file_name, limits)
    text = guard.decode_text(data, file_name)
    first = text.split("\n", 1)[0]
    delimiter = max((",", ";", "\t"), key=first.count)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    rows: list[list[str]] = []
    try:
        for row in reader:
            if any(cell.strip() for cell in row):
                rows.append(row)
            if len(rows) > limits.max_rows + 1:
                raise guard.too_many_rows(file_name, limits)
    except csv.Error as exc:
        raise guard.csv_refusal(file_name, reader.line_num) from exc
    found = guard.nul_cell(rows, rows[0]) if "\x00" in text else None
    if found is not None:
        raise guard.nul_refusal(file_name, found[0] + 1, found[1])
    if not rows:
        return [], []
    return rows[0], rows[1:]


def cell(cells: list[str], index: Mapping[str, int], name: str) -> str:
    """The stripped cell of column `name` ("" when the column or the cell is missing)."""
    position = index.get(name)
    if position is None or position >= len(cells):
        return ""
    return cells[position].strip()


def first_index(columns: list[str]) -> dict[str, int]:
    """Canonical column name → its first position."""
    index: dict[str, int] = {}
    for position, name in enumerate(columns):
        index.setdefault(name, position)
    return index


def instance_id(cells: list[str], index: Mapping[str, int]) -> str:
    """The submission's instance id, stored as "uuid:…" (Kobo's `_uuid` is bare); "" if none."""
    value = next((cell(cells, index, c) for c in INSTANCE_COLUMNS if cell(cells, index, c)), "")
    if not value:
        return ""
    return value if value.startswith("uuid:") else f"uuid:{value}"


def parse_datetime(value: str) -> dt.datetime:
    """ISO 8601; "Z" and offsets kept; no zone = UTC (both services export UTC).
    :class:`ValueError` otherwise."""
    moment = dt.datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)

"""The yearly RT survey as an XLSForm for ODK Collect and KoboCollect (issue 11 §3).

One submission = one RT in one year, the template's row (:mod:`sikumuh.io.template_columns`):
``kode_desa``, ``lokasi`` and ``rt`` chosen from the desa's stored locations and RTs (cascading
choices, desa → lokasi → RT), the year fixed by the form, the header of denominators and the 16
volumes of Permen PUPR 14/2018, a GPS point and an optional photo per criterion. Question names
are the template's column names, so the import maps a submission onto a template row and the
template's checks apply unchanged.

The product's checks (`sikumuh.core.issues`) travel with the form: what is an error there
(a negative volume or denominator, a missing value, a volume over a zero denominator) is a
constraint the phone enforces; what is a warning (a volume above its denominator) is a note
shown beside the answer, so the surveyor looks again but may go on.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from sikumuh.core.criteria import HEADER_FIELDS, Criterion, get_rule_set
from sikumuh.io.tables import Target
from sikumuh.io.template_columns import COUNT_FIELDS, TEMPLATE_COLUMNS
from sikumuh.io.xlsform import EN, ID, FormSheet, group_rows, write_form

RULE_SET_ID = "permen-pupr-14-2018"
SURVEY_HEADER = (
    "type",
    "name",
    f"label::{ID}",
    f"label::{EN}",
    "required",
    f"required_message::{ID}",
    f"required_message::{EN}",
    "relevant",
    "constraint",
    f"constraint_message::{ID}",
    f"constraint_message::{EN}",
    "choice_filter",
    "calculation",
    "parameters",
)
CHOICES_HEADER = ("list_name", "name", f"label::{ID}", f"label::{EN}", "kode_desa", "lokasi")
SETTINGS_HEADER = (
    "form_title",
    "form_id",
    "version",
    "default_language",
    "instance_name",
    "allow_choice_duplicates",
)
IDENTITY_GROUP, HEADER_GROUP = "identitas", "pembagi"
GPS = "titik"
_MEANING = {c.name: c for c in TEMPLATE_COLUMNS}
_REQUIRED_ID = "Wajib diisi."


@dataclass(frozen=True)
class RtChoice:
    """One stored RT of the region, with what its choice labels show."""

    kode_desa: str
    nama_desa: str
    lokasi: str
    nama_lokasi: str
    rt: str


def form_id(region_code: str, tahun: int) -> str:
    return f"sikumuh_rt_{region_code.replace('.', '_')}_{tahun}"


def photo_name(code: str) -> str:
    return f"foto_{code}"


def _row(
    type_: str,
    name: str,
    label_id: str,
    label_en: str,
    *,
    required: bool = False,
    relevant: str = "",
    constraint: str = "",
    message_id: str = "",
    message_en: str = "",
    choice_filter: str = "",
    calculation: str = "",
    parameters: str = "",
) -> list[str]:
    """One survey row, cells in :data:`SURVEY_HEADER` order."""
    return [
        type_,
        name,
        label_id,
        label_en,
        "yes" if required else "",
        _REQUIRED_ID if required else "",
        "Required." if required else "",
        relevant,
        constraint,
        message_id,
        message_en,
        choice_filter,
        calculation,
        parameters,
    ]


def _with_unit(label: str, unit: str) -> str:
    return f"{label} ({unit})" if unit else label


def _identity_rows(tahun: int) -> Iterator[list[str]]:
    begin, end = group_rows("group", IDENTITY_GROUP, len(SURVEY_HEADER))
    begin[2:4] = ["Identitas RT", "The RT"]
    yield begin
    yield _row("select_one desa", "kode_desa", "Desa/kelurahan", "Desa/kelurahan", required=True)
    yield _row(
        "select_one lokasi",
        "lokasi",
        "Lokasi kumuh",
        "Slum location",
        choice_filter="kode_desa=${kode_desa}",
        required=True,
    )
    yield _row(
        "select_one rt",
        "rt",
        "RT",
        "RT",
        choice_filter="kode_desa=${kode_desa} and lokasi=${lokasi}",
        required=True,
    )
    yield _row("calculate", "tahun", "Tahun pendataan", "Survey year", calculation=str(tahun))
    yield _row("geopoint", GPS, "Titik GPS di RT", "GPS point in the RT")
    yield end


def _header_rows() -> Iterator[list[str]]:
    begin, end = group_rows("group", HEADER_GROUP, len(SURVEY_HEADER))
    begin[2:4] = ["Data dasar (pembagi)", "Base figures (denominators)"]
    yield begin
    for name in HEADER_FIELDS:
        column = _MEANING[name]
        whole = name in COUNT_FIELDS
        # A negative denominator is an error of the engine (issues.NEGATIVE_DENOMINATOR); a
        # fractional count is an error of the template (io/template.py).
        yield _row(
            "integer" if whole else "decimal",
            name,
            _with_unit(column.meaning_id, column.unit),
            _with_unit(column.meaning_en, column.unit),
            constraint=". >= 0",
            message_id="Tidak boleh negatif.",
            message_en="Cannot be negative.",
            required=True,
        )
    yield end


def _criterion_rows(criterion: Criterion) -> Iterator[list[str]]:
    code, den = criterion.code, criterion.denominator
    name = f"v_{code}"
    column = _MEANING[name]
    den_id = _MEANING[den].meaning_id.lower()
    # Errors (issues.NEGATIVE_VOLUME, VOLUME_OVER_ZERO_DENOMINATOR, MISSING_VALUE) block the
    # answer; the warning (issues.VOLUME_ABOVE_DENOMINATOR) is a note the surveyor can pass.
    yield _row(
        "decimal",
        name,
        _with_unit(column.meaning_id, criterion.unit),
        _with_unit(column.meaning_en, criterion.unit),
        constraint=f". >= 0 and (. = 0 or ${{{den}}} > 0)",
        message_id=(f"Volume tidak boleh negatif, dan harus 0 bila {den_id} bernilai 0."),
        message_en=(f"The volume cannot be negative, and must be 0 when {den} is 0."),
        required=True,
    )
    yield _row(
        "note",
        f"cek_{code}",
        f"Perhatian: volume {code} melebihi {den_id} (${{{den}}}). Periksa kembali.",
        f"Warning: volume {code} is above {den} (${{{den}}}). Please check.",
        relevant=f"${{{name}}} > ${{{den}}}",
    )
    yield _row(
        "image",
        photo_name(code),
        f"Foto kondisi {code} (tidak wajib)",
        f"Photo of {code} (optional)",
        # Phones take 12-megapixel photos; 1024 px is enough to see a road or a drain.
        parameters="max-pixels=1024",
    )


def _aspect_rows() -> Iterator[list[str]]:
    rule_set = get_rule_set(RULE_SET_ID)
    for aspect, criteria in rule_set.aspects.items():
        begin, end = group_rows("group", f"aspek_{aspect}", len(SURVEY_HEADER))
        begin[2:4] = [f"Aspek {aspect}: {criteria[0].aspect_name}", f"Aspect {aspect}"]
        yield begin
        for criterion in criteria:
            yield from _criterion_rows(criterion)
        yield end


def survey_rows(tahun: int) -> list[list[str]]:
    return [*_identity_rows(tahun), *_header_rows(), *_aspect_rows()]


def choice_rows(rts: Sequence[RtChoice]) -> list[list[Any]]:
    """``desa`` once per desa; ``lokasi`` once per (desa, location); ``rt`` per RT (names
    repeat across lists' filters, hence ``allow_choice_duplicates``)."""
    rows: list[list[Any]] = []
    desa_seen: set[str] = set()
    lokasi_seen: set[tuple[str, str]] = set()
    for rt in rts:
        if rt.kode_desa not in desa_seen:
            desa_seen.add(rt.kode_desa)
            label = f"{rt.nama_desa} ({rt.kode_desa})"
            rows.append(["desa", rt.kode_desa, label, label, "", ""])
        if (rt.kode_desa, rt.lokasi) not in lokasi_seen:
            lokasi_seen.add((rt.kode_desa, rt.lokasi))
            label = f"{rt.nama_lokasi} ({rt.lokasi})"
            rows.append(["lokasi", rt.lokasi, label, label, rt.kode_desa, ""])
        rows.append(["rt", rt.rt, f"RT {rt.rt}", f"RT {rt.rt}", rt.kode_desa, rt.lokasi])
    return rows


def form_version(tahun: int, choices: list[list[Any]]) -> str:
    """Changes whenever the choices do (an RT added), as ODK Central needs a new version for a
    changed form."""
    digest = hashlib.sha256(repr(choices).encode()).hexdigest()[:10]
    return f"{tahun}-{digest}"


def write_rt_survey(
    out: Target, *, region_code: str, region_name: str, tahun: int, rts: Sequence[RtChoice]
) -> None:
    """Write the RT survey XLSForm of `region_code` for `tahun` with `rts` as choices."""
    if not rts:
        raise ValueError("the region has no stored RT")
    choices = choice_rows(rts)
    settings = [
        f"Pendataan RT {region_name} {tahun}",
        form_id(region_code, tahun),
        form_version(tahun, choices),
        ID,
        "concat(${kode_desa}, ' ', ${lokasi}, ' RT ', ${rt})",
        "yes",
    ]
    write_form(
        out,
        survey=FormSheet(
            SURVEY_HEADER,
            survey_rows(tahun),
            (18, 16, 50, 50, 8, 14, 14, 22, 30, 40, 40, 30, 12, 16),
        ),
        choices=FormSheet(CHOICES_HEADER, choices, (10, 16, 40, 40, 16, 16)),
        settings=FormSheet(SETTINGS_HEADER, [settings], (40, 30, 18, 22, 40, 12)),
    )


def region_rt_choices(region_code: str) -> list[RtChoice]:
    """The stored RTs under `region_code` (a kabupaten, kecamatan or desa), ordered by desa,
    location and RT: the form's choices (one query)."""
    from sikumuh.io.exporters import in_region
    from sikumuh.slums.models import RtUnit

    rts = (
        RtUnit.objects.filter(in_region(region_code, "desa__code"))
        .select_related("desa", "location")
        .order_by("desa_id", "location__code", "rt")
    )
    return [
        RtChoice(rt.desa_id, rt.desa.name, rt.location.code, rt.location.name, rt.rt) for rt in rts
    ]

"""The checklist's questions, once, as data: the XLSForm is built from them and the ODK/Kobo
import reads submissions with them (uji-petik.md "Checklist per sampled activity").

Both languages are written into the XLSForm itself (``label::Bahasa Indonesia (id)`` and
``label::English (en)``): the form on a phone does not depend on the server's language.
"""

from __future__ import annotations

from dataclasses import dataclass

#: Choice lists: list name → ((name, label id, label en), ...).
CHOICES: dict[str, tuple[tuple[str, str, str], ...]] = {
    "ya_tidak": (
        ("ya", "Ya", "Yes"),
        ("tidak", "Tidak", "No"),
        ("tidak_tahu", "Tidak diketahui", "Unknown"),
    ),
    "kualitas": (
        ("baik", "Baik", "Good"),
        ("rusak_ringan", "Rusak ringan", "Lightly damaged"),
        ("rusak_berat", "Rusak berat", "Heavily damaged"),
    ),
    "fungsi": (
        ("berfungsi", "Berfungsi", "Fully functioning"),
        ("berfungsi_sebagian", "Berfungsi sebagian", "Partly functioning"),
        ("tidak_berfungsi", "Tidak berfungsi", "Not functioning"),
    ),
    "tingkat": (
        ("tidak_ada", "Tidak ada temuan", "No finding"),
        ("rendah", "Rendah", "Low"),
        ("sedang", "Sedang", "Medium"),
        ("tinggi", "Tinggi", "High"),
    ),
}
#: The sampled items' choice list (filled per uji petik).
ITEM_LIST = "sampel"
YES_NO_VALUE = {"ya": True, "tidak": False, "tidak_tahu": None}


@dataclass(frozen=True)
class Question:
    """One row of the XLSForm survey sheet. `kind` tells the import how to read the answer:
    item, text, decimal, integer, yes_no, choice, geopoint, date, image, or "" (not stored)."""

    type: str
    name: str
    label_id: str
    label_en: str
    kind: str = ""
    group: str = ""
    required: bool = False
    relevant: str = ""
    constraint: str = ""
    hint_id: str = ""
    hint_en: str = ""
    appearance: str = ""
    parameters: str = ""


_HAS_FINDING = "${finding_severity} != 'tidak_ada'"
_NOT_NEGATIVE = ". >= 0"

#: Groups in order: (name, label id, label en).
GROUPS: tuple[tuple[str, str, str], ...] = (
    ("volume", "Volume dan spesifikasi", "Volume and specification"),
    ("kondisi", "Kualitas dan fungsi", "Quality and function"),
    ("pemanfaatan", "Pemanfaatan", "Utilisation"),
    ("pemeliharaan", "Pemeliharaan dan KPP", "Maintenance and KPP"),
    ("dokumen", "Dokumentasi", "Documentation"),
    ("pengaman", "Pengaman sosial dan lingkungan", "Safeguards"),
    ("temuan", "Temuan", "Findings"),
    ("rekomendasi", "Rekomendasi dan tindak lanjut", "Recommendation and follow-up"),
)

QUESTIONS: tuple[Question, ...] = (
    Question("start", "start", "", ""),
    Question("end", "end", "", ""),
    Question(
        f"select_one {ITEM_LIST}",
        "item",
        "Kegiatan sampel yang diperiksa",
        "Sampled activity checked",
        kind="item",
        required=True,
        appearance="minimal autocomplete",
    ),
    Question("text", "surveyor", "Nama pemeriksa", "Surveyor's name", kind="text", required=True),
    Question(
        "decimal",
        "volume_planned",
        "Volume rencana",
        "Planned volume",
        kind="decimal",
        group="volume",
        constraint=_NOT_NEGATIVE,
        hint_id="Dalam satuan kegiatan (m, unit, KK, ha)",
        hint_en="In the activity's unit (m, units, households, ha)",
    ),
    Question(
        "decimal",
        "volume_built",
        "Volume terbangun",
        "Built volume",
        kind="decimal",
        group="volume",
        constraint=_NOT_NEGATIVE,
    ),
    Question(
        "select_one ya_tidak",
        "meets_spec",
        "Sesuai spesifikasi teknis?",
        "Built to specification?",
        kind="yes_no",
        group="volume",
        required=True,
    ),
    Question(
        "select_one kualitas",
        "quality",
        "Kualitas konstruksi",
        "Construction quality",
        kind="choice",
        group="kondisi",
        required=True,
    ),
    Question(
        "select_one fungsi",
        "function",
        "Fungsi",
        "Function",
        kind="choice",
        group="kondisi",
        required=True,
    ),
    Question(
        "integer",
        "users_planned",
        "Pemanfaat rencana (KK/jiwa)",
        "Planned users (households/people)",
        kind="integer",
        group="pemanfaatan",
        constraint=_NOT_NEGATIVE,
    ),
    Question(
        "integer",
        "users_actual",
        "Pemanfaat nyata (KK/jiwa)",
        "Actual users (households/people)",
        kind="integer",
        group="pemanfaatan",
        constraint=_NOT_NEGATIVE,
    ),
    Question(
        "select_one ya_tidak",
        "kpp_formed",
        "KPP (kelompok pemanfaat dan pemelihara) terbentuk?",
        "Users' and maintenance group (KPP) formed?",
        kind="yes_no",
        group="pemeliharaan",
        required=True,
    ),
    Question(
        "select_one ya_tidak",
        "kpp_dues_or_schedule",
        "Ada iuran atau jadwal pemeliharaan?",
        "Dues or a maintenance schedule in place?",
        kind="yes_no",
        group="pemeliharaan",
        relevant="${kpp_formed} = 'ya'",
    ),
    Question(
        "select_one ya_tidak",
        "handed_over",
        "Aset sudah diserahterimakan?",
        "Assets handed over?",
        kind="yes_no",
        group="pemeliharaan",
    ),
    Question(
        "select_one ya_tidak",
        "doc_plans_budget",
        "Gambar rencana dan RAB tersedia?",
        "Plans and budget available?",
        kind="yes_no",
        group="dokumen",
    ),
    Question(
        "select_one ya_tidak",
        "doc_accountability",
        "Laporan pertanggungjawaban tersedia?",
        "Accountability report available?",
        kind="yes_no",
        group="dokumen",
    ),
    Question(
        "select_one ya_tidak",
        "doc_photos",
        "Foto 0-50-100 % tersedia?",
        "Photos at 0-50-100 % available?",
        kind="yes_no",
        group="dokumen",
    ),
    Question(
        "select_one ya_tidak",
        "doc_handover",
        "Berita acara serah terima tersedia?",
        "Hand-over minutes available?",
        kind="yes_no",
        group="dokumen",
    ),
    Question(
        "select_one ya_tidak",
        "land_free_of_dispute",
        "Lahan bebas sengketa (ada surat hibah)?",
        "Land free of dispute (grant letter)?",
        kind="yes_no",
        group="pengaman",
    ),
    Question(
        "select_one ya_tidak",
        "no_environmental_harm",
        "Tidak menimbulkan kerusakan lingkungan?",
        "No environmental harm?",
        kind="yes_no",
        group="pengaman",
    ),
    Question(
        "select_one tingkat",
        "finding_severity",
        "Tingkat temuan",
        "Finding severity",
        kind="choice",
        group="temuan",
        required=True,
    ),
    Question(
        "text",
        "finding_description",
        "Uraian temuan",
        "Finding",
        kind="text",
        group="temuan",
        required=True,
        relevant=_HAS_FINDING,
    ),
    Question(
        "image",
        "finding_photo",
        "Foto temuan",
        "Photo of the finding",
        kind="image",
        group="temuan",
        relevant=_HAS_FINDING,
        # Photos are evidence, not prints: 1280 px keeps them readable and uploads short.
        parameters="max-pixels=1280",
    ),
    Question(
        "text",
        "recommendation",
        "Rekomendasi / tindakan",
        "Recommendation / action",
        kind="text",
        group="rekomendasi",
        relevant=_HAS_FINDING,
    ),
    Question(
        "text",
        "responsible",
        "Penanggung jawab",
        "Person responsible",
        kind="text",
        group="rekomendasi",
        relevant=_HAS_FINDING,
    ),
    Question(
        "date",
        "deadline",
        "Batas waktu",
        "Deadline",
        kind="date",
        group="rekomendasi",
        relevant=_HAS_FINDING,
    ),
    Question(
        "geopoint",
        "location",
        "Titik lokasi (GPS)",
        "Location (GPS)",
        kind="geopoint",
    ),
    Question("text", "notes", "Catatan", "Notes", kind="text", appearance="multiline"),
)

QUESTION_BY_NAME = {q.name: q for q in QUESTIONS}

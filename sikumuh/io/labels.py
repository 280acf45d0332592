"""What a person reads for the codes of the import runs: their statuses and their kinds.

Rule as data: one table per kind of code, looked up by :func:`label` (and by the web's
``label`` filter); a code no table knows is shown as it is, so a new importer is never hidden.
"""

from __future__ import annotations

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

#: `ImportRun.status`.
RUN_STATUS: dict[str, Promise] = {
    "committed": pgettext_lazy("import run", "stored"),
    "partial": _("stored, invalid rows skipped"),
    "unchanged": _("nothing changed"),
    "rejected": _("refused, nothing stored"),
}

#: `ImportRun.kind`: which importer wrote the run.
IMPORT_KIND: dict[str, Promise] = {
    "template": _("import template"),
    "motorkawanku": _("motorkawanku export"),
    "motorkawanku-investasi": _("motorkawanku investments"),
    "odk": _("RT survey form (ODK/Kobo)"),
    "simkotaku": _("SIM KOTAKU"),
    "investments": pgettext_lazy("import kind", "investments"),
    "delineation": _("delineation"),
    "sk-lampiran": _("SK lampiran"),
    "uji-petik-submissions": _("uji petik submissions (ODK/Kobo)"),
    "demo": _("demo data"),
}

TABLES: dict[str, dict[str, Promise]] = {"run_status": RUN_STATUS, "import_kind": IMPORT_KIND}


def label(code: str | None, table: str) -> str:
    """The label of ``code`` in ``table`` (a key of :data:`TABLES`), else the code itself."""
    if not code:
        return "–"
    found = TABLES[table].get(code)
    return str(found) if found is not None else code

"""Importing a SIM KOTAKU export: the profil layer (and optionally the status layer).

1. read both files (`layers`) and refuse a profil layer without its columns;
2. turn every profil record into an observation row (`profil`): Kode_RTRW parsed, kelurahan
   resolved by names, percentages checked (a negative one is an error of its row, or 0 with a
   warning under ``negatives_as_zero``); a row with any error is not offered to the importer,
   only its problems are;
3. compare the status layer's before figures with the engine's (`status`), every difference
   listed in the report, and take its `luas_awal` as each RT's area (the slum hectares SIM
   KOTAKU counts), in place of the polygon's;
4. `import_rows` (one commit, or none; `--skip-invalid` stores the valid rows);
5. when the rows were stored: the RT outlines (`motorkawanku.attach_polygons`, audited).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

from django.utils.translation import gettext as _

from sikumuh.audit.actions import Actor
from sikumuh.core.rows import ImportReport, Problem, Refuse
from sikumuh.io.importer import Progress, import_rows
from sikumuh.io.motorkawanku.geometry import PolygonSet
from sikumuh.io.motorkawanku.importer import attach_polygons, candidate_regions
from sikumuh.io.motorkawanku.names import Candidate
from sikumuh.io.runs import KEPT_PROBLEMS, add_to_run
from sikumuh.io.simkotaku.layers import SimkotakuError, read_layer
from sikumuh.io.simkotaku.profil import PERCENT_COLUMNS, missing_columns, profil_rows
from sikumuh.io.simkotaku.status import compare_status, stated_areas, with_stated_areas
from sikumuh.regions.models import Level, Region
from sikumuh.surveys.models import Source

KIND = "simkotaku"


def import_simkotaku(
    profil: Path,
    status: Path | None = None,
    *,
    region_code: str,
    actor: Actor,
    tahun: int | None = None,
    skip_invalid: bool = False,
    negatives_as_zero: bool = False,
    progress: Progress | None = None,
    dry_run: bool = False,
    refuse: Refuse | None = None,
    on_read: Callable[[int], None] | None = None,
) -> ImportReport:
    """Import `profil` (and compare `status`) onto the kabupaten/kota `region_code`.

    ``dry_run`` only checks (the web wizard's review: no run, no outline stored); ``refuse``
    takes out the rows the user may not write, with a problem each; ``on_read`` hears how many
    rows were read, before they are checked. ``negatives_as_zero`` scores a negative percentage
    as 0 with a warning, as SIM KOTAKU does, instead of refusing its row.

    Raises `SimkotakuError` (one translated line) for an unknown region or an unusable file."""
    region = Region.objects.filter(code=region_code, level=Level.KABUPATEN).first()
    if region is None:
        raise SimkotakuError(
            _("%(code)s is not a kabupaten/kota code in the database") % {"code": region_code}
        )
    layer = read_layer(profil)
    missing = missing_columns(layer)
    if missing:
        raise SimkotakuError(
            _("%(file)s: not a Profil Kumuh Basis layer, columns missing: %(columns)s")
            % {"file": layer.file, "columns": ", ".join(missing)}
        )
    status_layer = read_layer(status) if status is not None else None
    kecamatan, desa = candidate_regions(region_code)
    data = profil_rows(
        layer,
        tahun=tahun,
        kecamatan=kecamatan,
        desa=desa,
        kabupaten=Candidate(region.code, region.name),
        negatives_as_zero=negatives_as_zero,
    )
    extra: dict[str, Any] = {"region": region_code, "kelurahan_names": data.names_summary()}
    rows, problems = data.rows, data.problems
    if status_layer is not None:
        differences = compare_status(status_layer, data.kode_rtrw)  # against the polygons
        extra["status_file"] = status_layer.file
        extra["status_rows"] = len(status_layer.records)
        extra["status_differences"] = [d.as_dict() for d in differences]
        rows = with_stated_areas(rows, stated_areas(status_layer))
    if negatives_as_zero:
        extra["negatives_as_zero"] = True
    digest = hashlib.sha256(profil.read_bytes())
    if refuse is not None:
        rows, refused = refuse(rows)
        problems = [*problems, *refused]
    if on_read is not None:
        on_read(len(rows))
    report = import_rows(
        rows,
        actor=actor,
        kind=KIND,
        source=Source.SIMKOTAKU,
        file_name=layer.file,
        parse_problems=problems,
        skip_invalid=skip_invalid,
        region_code=region_code,
        file_sha256=digest.hexdigest(),
        extra=extra,
        progress=progress,
        dry_run=dry_run,
    )
    _name_export_columns(report)
    if dry_run:
        return report
    if report.ok and data.outlines:
        outlines = attach_polygons(
            PolygonSet(rts=data.outlines, records=len(data.outlines)),
            kabupaten_code=region_code,
            actor=actor,
            context={"import": KIND, "run": report.run_id},
            file=layer.file,
        )
        report.extra["polygons"] = outlines
        counts = {k: v for k, v in outlines.items() if k not in ("errors", "warnings")}
        add_to_run(report, {"polygons": counts})
    return report


def _name_export_columns(report: ImportReport) -> None:
    """The engine names a given percentage's column `p_<code>` (the template's); the export's
    is `k<aspect>_<letter>_p`: rename them in the report and in the run's record."""
    columns = {f"p_{code}": name for code, name in PERCENT_COLUMNS.items()}

    def renamed(problems: list[Problem]) -> list[Problem]:
        return [replace(p, column=columns.get(p.column or "", p.column)) for p in problems]

    report.errors, report.warnings = renamed(report.errors), renamed(report.warnings)
    if report.run_id is None:  # a dry run records nothing
        return
    add_to_run(
        report,
        {
            "errors": [p.as_dict() for p in report.errors[:KEPT_PROBLEMS]],
            "warnings": [p.as_dict() for p in report.warnings[:KEPT_PROBLEMS]],
        },
    )

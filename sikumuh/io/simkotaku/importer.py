"""Importing a SIM KOTAKU export: the profil layer (and optionally the status layer).

1. read both files (`layers`) and refuse a profil layer without its columns;
2. turn every profil record into an observation row (`profil`): Kode_RTRW parsed, kelurahan
   resolved by names, percentages checked (a negative one is an error of its row); a row with
   any error is not offered to the importer, only its problems are;
3. compare the status layer's before figures with the engine's (`status`), every difference
   listed in the report;
4. `import_rows` (one commit, or none; `--skip-invalid` stores the valid rows);
5. when the rows were stored: the RT outlines (`motorkawanku.attach_polygons`, audited).
"""

from __future__ import annotations

import hashlib
from dataclasses import replace
from pathlib import Path
from typing import Any

from django.utils.translation import gettext as _

from sikumuh.audit.actions import Actor
from sikumuh.io.importer import ImportReport, Progress, import_rows
from sikumuh.io.models import ImportRun
from sikumuh.io.motorkawanku.geometry import PolygonSet
from sikumuh.io.motorkawanku.importer import attach_polygons, candidate_regions
from sikumuh.io.motorkawanku.names import Candidate
from sikumuh.io.rows import Problem
from sikumuh.io.simkotaku.layers import SimkotakuError, read_layer
from sikumuh.io.simkotaku.profil import PERCENT_COLUMNS, missing_columns, profil_rows
from sikumuh.io.simkotaku.status import compare_status
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
    progress: Progress | None = None,
) -> ImportReport:
    """Import `profil` (and compare `status`) onto the kabupaten/kota `region_code`.

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
    )
    extra: dict[str, Any] = {"region": region_code, "kelurahan_names": data.names_summary()}
    if status_layer is not None:
        differences = compare_status(status_layer, data.kode_rtrw)
        extra["status_file"] = status_layer.file
        extra["status_rows"] = len(status_layer.records)
        extra["status_differences"] = [d.as_dict() for d in differences]
    digest = hashlib.sha256(profil.read_bytes())
    report = import_rows(
        data.rows,
        actor=actor,
        kind=KIND,
        source=Source.SIMKOTAKU,
        file_name=layer.file,
        parse_problems=data.problems,
        skip_invalid=skip_invalid,
        region_code=region_code,
        file_sha256=digest.hexdigest(),
        extra=extra,
        progress=progress,
    )
    _name_export_columns(report)
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
        _add_to_run(report, {"polygons": counts})
    return report


def _name_export_columns(report: ImportReport) -> None:
    """The engine names a given percentage's column `p_<code>` (the template's); the export's
    is `k<aspect>_<letter>_p`: rename them in the report and in the run's record."""
    columns = {f"p_{code}": name for code, name in PERCENT_COLUMNS.items()}

    def renamed(problems: list[Problem]) -> list[Problem]:
        return [replace(p, column=columns.get(p.column or "", p.column)) for p in problems]

    report.errors, report.warnings = renamed(report.errors), renamed(report.warnings)
    _add_to_run(
        report,
        {
            "errors": [p.as_dict() for p in report.errors[:5000]],
            "warnings": [p.as_dict() for p in report.warnings[:5000]],
        },
    )


def _add_to_run(report: ImportReport, values: dict[str, Any]) -> None:
    """Add what was learnt after `import_rows` recorded the run to the run's report."""
    assert report.run_id is not None  # import_rows records every run
    run = ImportRun.objects.get(pk=report.run_id)
    run.report = {**run.report, **values}
    run.save(update_fields=["report"])

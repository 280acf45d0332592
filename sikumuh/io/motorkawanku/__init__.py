"""The motorkawanku JSON export (kawasan, RT, yearly RT/kawasan scores, investments, outlines).

`read_motorkawanku` reads without the database (regions are passed in); `check_integrity` and
`compare_kawasan` check the export's stored figures with the engine; `import_motorkawanku`
runs it all and commits through the shared importer. See each module's docstring.
"""

from __future__ import annotations

from sikumuh.io.motorkawanku.geometry import PolygonSet, read_polygons
from sikumuh.io.motorkawanku.importer import (
    attach_polygons,
    candidate_regions,
    import_motorkawanku,
)
from sikumuh.io.motorkawanku.integrity import (
    PERCENT_TOLERANCE,
    IntegrityReport,
    KawasanComparison,
    check_integrity,
    compare_kawasan,
)
from sikumuh.io.motorkawanku.names import Candidate, Method, Resolution, match_name, resolve_kawasan
from sikumuh.io.motorkawanku.reader import (
    MotorkawankuData,
    MotorkawankuError,
    location_code,
    read_motorkawanku,
)

__all__ = [
    "PERCENT_TOLERANCE",
    "Candidate",
    "IntegrityReport",
    "KawasanComparison",
    "Method",
    "MotorkawankuData",
    "MotorkawankuError",
    "PolygonSet",
    "Resolution",
    "attach_polygons",
    "candidate_regions",
    "check_integrity",
    "compare_kawasan",
    "import_motorkawanku",
    "location_code",
    "match_name",
    "read_motorkawanku",
    "read_polygons",
    "resolve_kawasan",
]

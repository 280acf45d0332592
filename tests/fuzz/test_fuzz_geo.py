"""Fuzzing the geometry reader (issue #7, "How to keep it fixed"): mutated GeoJSON, KML, KMZ
and zipped Shapefile bytes give a result or a clean `GeoFileError`, never another exception.
The number of examples comes from the Hypothesis profile (a few seconds in CI, longer with
`make fuzz`); each result also goes through the file-only check, where GEOS would fail."""

from __future__ import annotations

import io
import tempfile
import zipfile
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from sikumuh.io.geo import GeoFileError, read_geofile, survey
from tests.io.geo_files import square, write, write_shapefile_zip
from tests.io.geo_payloads import kml_with_network_link

FEATURES = [({"kode": "TL-01"}, square(114.75, -3.8)), ({"kode": "TL-02"}, square(114.76, -3.8))]


def _seeds() -> dict[str, bytes]:
    """One small valid file per container, written by GDAL as a GIS would."""
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        seeds = {
            "peta.geojson": write(folder / "peta.geojson", FEATURES).read_bytes(),
            "peta.kml": kml_with_network_link("http://127.0.0.1:9/x.kml").encode(),
            "lokasi.zip": write_shapefile_zip(folder / "lokasi.zip", FEATURES).read_bytes(),
        }
    kmz = io.BytesIO()
    with zipfile.ZipFile(kmz, "w") as archive:
        archive.writestr("doc.kml", seeds["peta.kml"])
    seeds["peta.kmz"] = kmz.getvalue()
    return seeds


SEEDS = _seeds()


@st.composite
def mutated(draw: st.DrawFn) -> tuple[str, bytes]:
    """A seed with a few bytes replaced, inserted or cut off."""
    name = draw(st.sampled_from(sorted(SEEDS)))
    data = bytearray(SEEDS[name])
    for _ in range(draw(st.integers(0, 8))):
        at = draw(st.integers(0, len(data) - 1))
        action = draw(st.sampled_from(["replace", "insert", "delete"]))
        chunk = draw(st.binary(min_size=1, max_size=8))
        if action == "replace":
            data[at : at + len(chunk)] = chunk
        elif action == "insert":
            data[at:at] = chunk
        else:
            del data[at : at + len(chunk)]
    if draw(st.booleans()):
        data = data[: draw(st.integers(0, len(data)))]
    return name, bytes(data)


@settings(deadline=None)
@given(mutated())
def test_mutated_geometry_files_give_a_result_or_a_clean_error(case: tuple[str, bytes]) -> None:
    name, data = case
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / name
        path.write_bytes(data)
        try:
            geofile = read_geofile(path)
        except GeoFileError as refused:
            message = str(refused)
        else:
            message = ""
    if message:
        assert message.startswith(f"{name}: ")
        assert tmp not in message
        return
    result = survey(geofile)
    assert len(result.features) == len(geofile.features)

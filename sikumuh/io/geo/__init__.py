"""Delineation files: read (GeoJSON, zipped Shapefile, GeoPackage, KML, KMZ), check against the
locations or on their own (`survey`), and write the locations back out (GeoJSON, zipped
Shapefile)."""

from __future__ import annotations

from sikumuh.io.geo.check import (
    MATCH_FIELD_HINTS,
    FeatureResult,
    GeoAnalysis,
    LocationRef,
    analyse,
    detect_match_field,
)
from sikumuh.io.geo.read import ACCEPT, FORMATS, GeoFeature, GeoFile, GeoFileError, read_geofile
from sikumuh.io.geo.survey import Survey, SurveyedFeature, survey
from sikumuh.io.geo.write import LocationExport, geojson_bytes, shapefile_zip_bytes

__all__ = [
    "ACCEPT",
    "FORMATS",
    "MATCH_FIELD_HINTS",
    "FeatureResult",
    "GeoAnalysis",
    "GeoFeature",
    "GeoFile",
    "GeoFileError",
    "LocationExport",
    "LocationRef",
    "Survey",
    "SurveyedFeature",
    "analyse",
    "detect_match_field",
    "geojson_bytes",
    "read_geofile",
    "shapefile_zip_bytes",
    "survey",
]

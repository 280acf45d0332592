"""Data-collection progress: socialisation meetings per kecamatan and FGDs per desa."""

from __future__ import annotations

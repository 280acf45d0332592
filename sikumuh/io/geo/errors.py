"""The one error of a geometry file that cannot be read at all."""

from __future__ import annotations

import logging

logger = logging.getLogger("sikumuh.io.geo")


class GeoFileError(Exception):
    """The file cannot be read at all: one translated line naming the file and why.

    The text is fixed by the product: never a GDAL or Python message, never a server path (those
    go to the log, see `refuse`), because the uploader may be probing the server (issue #7).
    """


def refuse(message: str, *, cause: BaseException | None = None) -> GeoFileError:
    """A `GeoFileError` with `message`; the library's own words are logged, not shown."""
    if cause is not None:
        logger.info("geometry file refused: %s (%s: %s)", message, type(cause).__name__, cause)
    return GeoFileError(message)

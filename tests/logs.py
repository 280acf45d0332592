"""What a logger of the settings writes, captured through its own formatter."""

from __future__ import annotations

import contextlib
import io
import logging
from collections.abc import Iterator


@contextlib.contextmanager
def captured(name: str) -> Iterator[io.StringIO]:
    """The lines the logger ``name`` writes while the block runs, formatted as the settings'
    first handler of that logger formats them (one JSON line each)."""
    logger = logging.getLogger(name)
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(logger.handlers[0].formatter)
    logger.addHandler(handler)
    try:
        yield stream
    finally:
        logger.removeHandler(handler)

"""A column of texts kept as bytes: read from a file, picked by row and written out again
without a Python string per cell.

The identity columns of a 200,000-row survey file (``kode_desa``, ``lokasi``, ``rt``) pass
through ``sikumuh score`` unchanged: read as byte offsets (:mod:`sikumuh.io.fastcsv`), the rows
kept that scored, written by the column writer
(:func:`sikumuh.io.column_writer.write_columns`). Made
into strings and back, they cost more than the scoring. A :class:`ByteTexts` holds them as a
byte matrix and still is a ``Sequence[str]``: the strings are made, all at once, the first time
one is asked for (an import builds its rows from them).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any, overload

import numpy as np
from numpy.typing import NDArray

U8 = NDArray[np.uint8]


class ByteTexts(Sequence[str]):
    """Texts as the rows of an ASCII byte matrix: row ``k`` is text ``k``, left-aligned and
    NUL-padded (no text holds a NUL of its own)."""

    def __init__(self, cells: U8) -> None:
        self.cells = cells
        self._texts: list[str] | None = None

    def __len__(self) -> int:
        return int(self.cells.shape[0])

    @overload
    def __getitem__(self, k: int) -> str: ...

    @overload
    def __getitem__(self, k: slice) -> list[str]: ...

    def __getitem__(self, k: int | slice) -> str | list[str]:
        return self.texts()[k]

    def __iter__(self) -> Iterator[str]:
        return iter(self.texts())

    def __contains__(self, value: object) -> bool:
        return value in self.texts()

    def texts(self) -> list[str]:
        """The texts as strings (made once)."""
        if self._texts is None:
            n, width = self.cells.shape
            # A newline after each text (none holds one), the padding dropped: one decode and
            # one split make every string.
            lines = np.empty((n, width + 1), dtype=np.uint8)
            lines[:, :width] = self.cells
            lines[:, width] = ord("\n")
            self._texts = lines[lines != 0].tobytes().decode("ascii").split("\n")[:n]
        return self._texts

    def take(self, rows: NDArray[np.integer[Any]]) -> ByteTexts:
        """The texts of ``rows``, in that order."""
        return ByteTexts(self.cells[rows])

    def empty(self) -> NDArray[np.intp]:
        """The rows whose text is empty."""
        if self.cells.shape[1] == 0:
            return np.arange(len(self))
        return np.flatnonzero(self.cells[:, 0] == 0)


def byte_texts(cells: U8, rows: NDArray[np.intp], n: int) -> Sequence[str] | None:
    """``n`` stripped texts from the bytes ``cells[:, k]`` (one cell per column, 0-padded) of
    ``rows`` (the other rows are empty); None for cells that bytes do not strip the way
    ``str.strip`` does: non-ASCII, or holding the separators 0x1c–0x1f."""
    if (cells >= 0x80).any() or ((cells - np.uint8(0x1C)) < 4).any():
        return None
    width = cells.shape[0]
    stripped = np.strings.strip(np.ascontiguousarray(cells.T).view(f"S{width}").ravel())
    matrix = np.zeros((n, stripped.itemsize), dtype=np.uint8)
    matrix[rows] = stripped.view(np.uint8).reshape(rows.size, stripped.itemsize)
    return ByteTexts(matrix)

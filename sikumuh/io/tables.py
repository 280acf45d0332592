"""The one renderer for tabular output (CSV and XLSX). Exporters only yield rows into it.

Formula injection
    A spreadsheet runs a cell that starts with ``=``, ``+``, ``-`` or ``@`` as a formula (tab and
    carriage return can hide one), so a location named ``=HYPERLINK(...)`` in a survey file would
    run on the machine of whoever opens our export. Every *string* cell starting with one of
    these gets a leading apostrophe, in CSV and XLSX alike (OWASP "CSV injection"; pretix's
    ``ListExporter`` with defusedcsv does the same). Numbers stay numbers: ``-5`` given as an
    int, float or Decimal is written as a number; only the *string* ``"-5"`` is quoted.

CSV
    ``,`` between cells, ``\n`` after each row, UTF-8; a cell holding ``,``, ``"``, a newline or
    a carriage return is quoted (``"`` doubled). :func:`csv_field` renders every cell of
    :func:`write_table`. :func:`sikumuh.io.column_writer.write_columns`, the fast path for
    200,000-row results, gives the same bytes (tests compare them) a column at a time: numbers
    are formatted digit by digit with NumPy as ``str`` writes them, text cells go through
    :func:`csv_field` whenever one needs neutralising or quoting, and the rows are laid out side
    by side in a byte matrix.
CSV for Excel in Indonesia (``csv_excel``)
    Excel set to Indonesian reads ``;`` between cells and a decimal comma, and takes a file as
    UTF-8 only with a byte-order mark: this variant writes those (``1,5`` for 1.5), beside the
    plain CSV that programs read. Text cells are neutralised the same way.
XLSX
    XlsxWriter in ``constant_memory`` mode (rows are flushed as written, so 200,000 rows use
    little memory), strings always written as strings (never parsed as formulas or URLs).
    Numbers carry a number format (thousands grouped, decimals shown only when there are some),
    which Excel shows in the reader's own separators ("1.234,5" in Indonesian).
"""

from __future__ import annotations

import math
import numbers
import os
from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import IO, Any, TextIO

#: The CSV that Excel in Indonesia opens as it is (see the module docstring).
EXCEL_CSV = "csv_excel"
FORMATS = ("csv", EXCEL_CSV, "xlsx")
#: What a format's file name ends with.
SUFFIXES = {"csv": ".csv", EXCEL_CSV: "-excel.csv", "xlsx": ".xlsx"}
BOM = "\ufeff"
#: What makes a spreadsheet treat a cell as a formula (or hide one).
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")

Target = str | os.PathLike[str] | IO[bytes]


def neutralise(value: Any) -> Any:
    """``value`` made safe for a spreadsheet: a string starting with a formula trigger gets a
    leading apostrophe; every other value (numbers included, negative ones too) is unchanged."""
    if isinstance(value, str) and value.startswith(FORMULA_TRIGGERS):
        return "'" + value
    return value


_QUOTE_IF = (",", '"', "\n", "\r")


def csv_field(value: Any) -> str:
    """One CSV cell: None empty, strings neutralised and quoted when needed, numbers by ``str``
    (a Decimal keeps its places: ``77.50``)."""
    if value is None:
        return ""
    if not isinstance(value, str):
        return str(value)
    text = "'" + value if value.startswith(FORMULA_TRIGGERS) else value
    if any(c in text for c in _QUOTE_IF):
        return '"' + text.replace('"', '""') + '"'
    return str(text)


_QUOTE_IF_EXCEL = (";", '"', "\n", "\r")


def excel_field(value: Any) -> str:
    """One cell of the CSV for Excel in Indonesia: numbers with a decimal comma, text as
    :func:`csv_field` neutralises it, quoted when it holds ``;``, ``"`` or a line break."""
    if value is None:
        return ""
    if isinstance(value, bool) or not isinstance(value, str | numbers.Real | Decimal):
        value = str(value)
    if not isinstance(value, str):
        return str(value).replace(".", ",")
    text = "'" + value if value.startswith(FORMULA_TRIGGERS) else value
    if any(c in text for c in _QUOTE_IF_EXCEL):
        return '"' + text.replace('"', '""') + '"'
    return text


def _excel_line(row: Sequence[Any]) -> str:
    line = ";".join(map(excel_field, row))
    return line or ('""' if len(row) == 1 else "")


def _csv_line(row: Sequence[Any]) -> str:
    line = ",".join(map(csv_field, row))
    return line or ('""' if len(row) == 1 else "")  # a lone empty cell is not an empty line


def write_table(
    header: Sequence[str],
    rows: Iterable[Sequence[Any]],
    out: TextIO | Target,
    fmt: str = "csv",
) -> int:
    """Write ``header`` and ``rows`` as CSV (to a text stream) or XLSX (to a path or binary
    stream); returns the number of data rows written."""
    if fmt == "csv":
        return write_csv(header, rows, out)  # type: ignore[arg-type]  # a text stream for CSV
    if fmt == EXCEL_CSV:
        return write_excel_csv(header, rows, out)  # type: ignore[arg-type]  # a text stream
    if fmt == "xlsx":
        return write_xlsx(out, [("data", header, rows)])[0]  # type: ignore[arg-type]
    raise ValueError(f"unknown table format {fmt!r}; expected one of {', '.join(FORMATS)}")


def write_csv(header: Sequence[str], rows: Iterable[Sequence[Any]], out: TextIO) -> int:
    """CSV rows (see the module docstring); returns the number of data rows."""
    out.write(_csv_line(header) + "\n")
    count = 0
    for row in rows:
        out.write(_csv_line(row) + "\n")
        count += 1
    return count


def write_excel_csv(
    header: Sequence[str], rows: Iterable[Sequence[Any]], out: TextIO, *, bom: bool = True
) -> int:
    """The CSV for Excel in Indonesia (see the module docstring); ``bom`` False for the pieces
    after the first of a streamed file."""
    if bom:
        out.write(BOM)
    out.write(_excel_line(header) + "\n")
    count = 0
    for row in rows:
        out.write(_excel_line(row) + "\n")
        count += 1
    return count


SheetSpec = tuple[str, Sequence[str], Iterable[Sequence[Any]]]


def write_xlsx(
    out: Target,
    sheets: Sequence[SheetSpec],
    *,
    widths: Sequence[Sequence[float]] | None = None,
) -> list[int]:
    """An XLSX workbook with one worksheet per ``(name, header, rows)``; returns row counts.

    ``widths`` optionally sets each sheet's column widths (characters).
    """
    import xlsxwriter

    target = os.fspath(out) if isinstance(out, str | os.PathLike) else out
    book = xlsxwriter.Workbook(
        target,
        {
            "constant_memory": True,
            "strings_to_formulas": False,
            "strings_to_urls": False,
            "strings_to_numbers": False,
        },
    )
    bold = book.add_format({"bold": True})
    formats = {
        "whole": book.add_format({"num_format": "#,##0"}),
        "decimal": book.add_format({"num_format": "#,##0.0#####"}),
    }
    counts: list[int] = []
    try:
        for k, (name, header, rows) in enumerate(sheets):
            sheet = book.add_worksheet(name)
            for j, width in enumerate(widths[k] if widths else ()):
                sheet.set_column(j, j, width)
            for j, title in enumerate(header):
                sheet.write_string(0, j, neutralise(title), bold)
            sheet.freeze_panes(1, 0)
            count = 0
            for count, row in enumerate(rows, start=1):
                for j, value in enumerate(row):
                    _write_cell(sheet, count, j, value, formats)
            counts.append(count)
    finally:
        book.close()
    return counts


def _write_cell(sheet: Any, i: int, j: int, value: Any, formats: dict[str, Any]) -> None:
    if value is None or value == "":
        return  # constant_memory: an unwritten cell is an empty cell
    if isinstance(value, str):
        sheet.write_string(i, j, neutralise(value))
    elif isinstance(value, bool):
        sheet.write_boolean(i, j, value)
    elif isinstance(value, numbers.Real | Decimal):
        number = float(value)
        if math.isfinite(number):
            # Integers (years, counts, ids) keep Excel's General format: "2021", not "2.021".
            if isinstance(value, int):
                sheet.write_number(i, j, number)
            else:
                whole = number == int(number)
                sheet.write_number(i, j, number, formats["whole" if whole else "decimal"])
        else:
            sheet.write_string(i, j, str(value))
    else:  # dates too: as text, the same as the CSV, unambiguous in every spreadsheet
        sheet.write_string(i, j, neutralise(str(value)))

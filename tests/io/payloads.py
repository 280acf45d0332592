"""Hostile files, crafted small: each one once brought the server down or answered 500
(issue 7, findings 2 and 6). Shared by the reader, CLI, web and fuzz tests."""

from __future__ import annotations

import io
import zipfile

_CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/'
    'package/2006/content-types"><Default Extension="rels" ContentType="application/'
    'vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType='
    '"application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/'
    'vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName='
    '"/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.'
    'spreadsheetml.worksheet+xml"/></Types>'
)
_RELS = (
    '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.'
    'org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.'
    'openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target='
    '"xl/workbook.xml"/></Relationships>'
)
_WORKBOOK = (
    '<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/'
    'spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships"><sheets><sheet name="data" sheetId="1" r:id="rId1"/></sheets></workbook>'
)
_WORKBOOK_RELS = (
    '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.'
    'org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.'
    'openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/'
    'sheet1.xml"/></Relationships>'
)
_SHEET = (
    '<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/'
    'spreadsheetml/2006/main">{dimension}<sheetData>{rows}</sheetData></worksheet>'
)


def cell(ref: str, text: str) -> str:
    return f'<c r="{ref}" t="inlineStr"><is><t>{text}</t></is></c>'


def workbook(rows: str, *, dimension: str = "", extra: dict[str, bytes] | None = None) -> bytes:
    """A minimal XLSX whose one sheet ("data") holds ``rows`` (``<row>`` elements)."""
    sheet = _SHEET.format(
        dimension=f'<dimension ref="{dimension}"/>' if dimension else "", rows=rows
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", _CONTENT_TYPES)
        archive.writestr("_rels/.rels", _RELS)
        archive.writestr("xl/workbook.xml", _WORKBOOK)
        archive.writestr("xl/_rels/workbook.xml.rels", _WORKBOOK_RELS)
        archive.writestr("xl/worksheets/sheet1.xml", sheet)
        for name, data in (extra or {}).items():
            archive.writestr(name, data)
    return buffer.getvalue()


#: The 2 KB workbook whose only cell is at XFD1048576: calamine asked for 549,755,813,888 bytes.
FAR_CELL = workbook(f'<row r="1048576">{cell("XFD1048576", "x")}</row>')
#: A header at A1 and a cell far away, under a dimension that claims A1:B2.
DIMENSION_LIE = workbook(
    f'<row r="1">{cell("A1", "kode_desa")}</row><row r="900000">{cell("XFD900000", "x")}</row>',
    dimension="A1:B2",
)
#: One cell far to the right (column 16,384) on row 1.
FAR_COLUMN = workbook(f'<row r="1">{cell("A1", "kode_desa")}{cell("XFD1", "x")}</row>')
#: The same far cell without any reference: calamine places it by counting.
NO_REFERENCES = workbook("<row>" + "<c/>" * 300 + '<c t="inlineStr"><is><t>x</t></is></c></row>')
#: A shared-strings part of 200 MB of zeros, a few hundred KB packed.
ZIP_BOMB = workbook(
    f'<row r="1">{cell("A1", "kode_desa")}</row>',
    extra={"xl/sharedStrings.xml": b"\0" * (200 * 1024 * 1024)},
)
#: The sheet padded with 64 MB of whitespace (it packs to some 64 KB).
WHITESPACE = workbook(" " * (64 * 1024 * 1024) + f'<row r="1">{cell("A1", "kode_desa")}</row>')
#: A NUL written the XLSX way, in a data cell.
NUL_CELL = workbook(
    f'<row r="1">{cell("A1", "kode_desa")}{cell("B1", "rt")}</row>'
    f'<row r="2">{cell("A2", "63.01")}{cell("B2", "a_x0000_b")}</row>'
)
#: "kode_desa,rt" and a row, in UTF-16 little-endian without the byte-order mark.
UTF16_NO_BOM = "kode_desa,lokasi,rt\n63.01.01.2001,L1,001\n".encode("utf-16-le")

"""One-sheet XLSX workbooks, written with vectorised string operations.

An XLSX file is a zip of a few XML parts; all but the sheet are fixed text. The
sheet's rows are built column by column (each distinct value escaped once, the
pieces joined by Arrow), so a workbook of a million rows costs seconds, and the
rows of one indicator are cut out of the whole table's rows as bytes.
XlsxWriter, used before, writes cell by cell in Python: about 15,000 rows a
second, 90 s of the build for the per-indicator workbooks at 1.3 million rows.

Cells, from the values typed.py typed once for every file: numbers and integers as numbers (a number
in its shortest text, typed.number_text), booleans as booleans, dates as dates (a day number shown as
YYYY-MM-DD), text as inline strings; an empty CSV cell is no cell. The header is bold, frozen
and filtered. A workbook may carry a second sheet of what the rows are (info_rows): a download that
stands alone, with its title, unit, sources, licence and version.
"""

from __future__ import annotations

import datetime
from xml.sax.saxutils import escape, quoteattr

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from ..data.columnar import Coded, text
from ..data.typed import TypedColumns, days_since, texts

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
RELS = "http://schemas.openxmlformats.org/package/2006/relationships"
OFFICE_RELS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
XML_HEAD = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
SHEET_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml"
CONTENT_TYPES = (
    f'{XML_HEAD}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    f'<Override PartName="/xl/workbook.xml" ContentType="{SHEET_TYPE}.sheet.main+xml"/>'
    f'<Override PartName="/xl/worksheets/sheet1.xml" ContentType="{SHEET_TYPE}.worksheet+xml"/>'
    "{info_sheet_type}"
    f'<Override PartName="/xl/styles.xml" ContentType="{SHEET_TYPE}.styles+xml"/>'
    '<Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/>'
    '<Override PartName="/docProps/app.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.extended-properties+xml"/></Types>'
)
ROOT_RELS = (
    f'{XML_HEAD}<Relationships xmlns="{RELS}">'
    f'<Relationship Id="rId1" Type="{OFFICE_RELS}/officeDocument" Target="xl/workbook.xml"/>'
    '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/'
    'core-properties" Target="docProps/core.xml"/>'
    f'<Relationship Id="rId3" Type="{OFFICE_RELS}/extended-properties" Target="docProps/app.xml"/></Relationships>'
)
WORKBOOK_RELS = (
    f'{XML_HEAD}<Relationships xmlns="{RELS}">'
    f'<Relationship Id="rId1" Type="{OFFICE_RELS}/worksheet" Target="worksheets/sheet1.xml"/>'
    f'<Relationship Id="rId2" Type="{OFFICE_RELS}/styles" Target="styles.xml"/>{{info_sheet_rel}}</Relationships>'
)
INFO_SHEET_TYPE = f'<Override PartName="/xl/worksheets/sheet2.xml" ContentType="{SHEET_TYPE}.worksheet+xml"/>'
INFO_SHEET_REL = f'<Relationship Id="rId3" Type="{OFFICE_RELS}/worksheet" Target="worksheets/sheet2.xml"/>'
DAY_ZERO = datetime.date(1899, 12, 30)  # a spreadsheet's day 0 (day 60 is the 1900 leap day that never was)
STYLES = (  # style 0: normal; style 1: bold (the header); style 2: a date, YYYY-MM-DD
    f'{XML_HEAD}<styleSheet xmlns="{MAIN}">'
    '<numFmts count="1"><numFmt numFmtId="164" formatCode="yyyy\\-mm\\-dd"/></numFmts>'
    '<fonts count="2"><font><sz val="11"/><name val="Calibri"/></font>'
    '<font><b/><sz val="11"/><name val="Calibri"/></font></fonts>'
    '<fills count="2"><fill><patternFill patternType="none"/></fill>'
    '<fill><patternFill patternType="gray125"/></fill></fills>'
    '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
    '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
    '<cellXfs count="3"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
    '<xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/>'
    '<xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/></cellXfs>'
    '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles></styleSheet>'
)
# Characters XML 1.0 cannot carry at all; validated data has none, but a workbook must never be unreadable.
NOT_IN_XML_RE2 = r"[\x00-\x08\x0b\x0c\x0e-\x1f\x{FFFE}\x{FFFF}]"
CONTROL_BYTES = bytes([*range(0x00, 0x09), 0x0B, 0x0C, *range(0x0E, 0x20)])


def has_characters_not_in_xml(content: bytes) -> bool:
    """One look at the whole CSV, instead of one per cell (bytes.translate and find run in C)."""
    without_controls = content.translate(None, CONTROL_BYTES)
    return len(without_controls) != len(content) or b"\xef\xbf\xbe" in content or b"\xef\xbf\xbf" in content


def column_letter(index: int) -> str:
    """0 -> A, 25 -> Z, 26 -> AA."""
    letters = ""
    index += 1
    while index:
        index, remainder = divmod(index - 1, 26)
        letters = chr(65 + remainder) + letters
    return letters


class SheetRows:
    """The <row> elements of a table's rows, put together column-wise: each column's distinct values
    are written and escaped once, and each cell and each row is one Arrow join of its pieces.

    coded: the table's columns (column -> (each row's code, the distinct values)); kinds: column ->
    schema type; strip_invalid=False when the text is known to hold no character XML cannot carry
    (has_characters_not_in_xml); typed: the columns typed (typed.py), typed here by kinds if not given.
    """

    def __init__(self, coded: Coded, kinds: dict[str, str], strip_invalid: bool = True, typed=None):
        kinds = {column: kinds.get(column, "string") for column in coded}
        typed = typed if typed is not None else TypedColumns(coded, kinds)
        self.columns = []
        for index, (column, (codes, _)) in enumerate(coded.items()):
            values = typed[column]
            tails = _cell_tails(values, kinds[column], strip_invalid)  # what follows the row number
            empty = values.is_null().to_numpy(zero_copy_only=False)
            self.columns.append((column_letter(index), codes, tails, empty))

    def xml(self, positions: np.ndarray, row_numbers: np.ndarray) -> pa.LargeStringArray:
        """One <row> element for each row at positions, numbered row_numbers (2 for the first row under
        the header); an empty cell is no cell."""
        numbers = pa.array(np.asarray(row_numbers, dtype=np.int64)).cast(pa.large_string())
        cells = []
        for letter, codes, tails, empty in self.columns:
            chosen = codes[positions]
            cell = pc.binary_join_element_wise(text(f'<c r="{letter}'), numbers, tails.take(pa.array(chosen)), text(""))
            cells.append(pc.if_else(pa.array(empty[chosen]), text(""), cell))
        return pc.binary_join_element_wise(text('<row r="'), numbers, text('">'), *cells, text("</row>"), text(""))


VALUE_CELLS = {"number": '"><v>', "integer": '"><v>', "boolean": '" t="b"><v>', "date": '" s="2"><v>'}  # up to <v>


def _cell_tails(values: pa.Array, kind: str, strip_invalid: bool) -> pa.Array:
    """The end of each typed value's cell, from the closing quote of its reference: numbers as
    numbers, booleans as booleans, dates as day numbers, text as an inline string (keeping a value's
    outer spaces, which validated data does not have); null for an empty cell."""
    if kind in VALUE_CELLS:
        written = days_since(values, DAY_ZERO).cast(pa.string()) if kind == "date" else texts(values, kind)
        return pc.binary_join_element_wise(text(VALUE_CELLS[kind]), _large(written), text("</v></c>"), text(""))
    values = _large(values)
    padded = pc.not_equal(pc.utf8_trim_whitespace(values), values)
    opening = pc.if_else(padded, text('<t xml:space="preserve">'), text("<t>"))
    return pc.binary_join_element_wise(
        text('" t="inlineStr"><is>'), opening, _escaped(values, strip_invalid), text("</t></is></c>"), text("")
    )


def _large(values: pa.Array) -> pa.Array:
    """Text as Arrow's large_string, which the joins take throughout."""
    return values.cast(pa.large_string())


def _escaped(values: pa.Array, strip_invalid: bool) -> pa.Array:
    if strip_invalid:
        values = pc.replace_substring_regex(values, NOT_IN_XML_RE2, "")
    for character, reference in (("&", "&amp;"), ("<", "&lt;"), (">", "&gt;"), ("\r", "&#13;")):
        # a carriage return is kept as a reference: else XML reads it as a line feed
        values = pc.replace_substring(values, character, reference)
    return values


INFO_SHEET = "info"


def info_sheet(rows: list[tuple[str, str]]) -> bytes:
    """A two-column sheet: a bold name and its text in each row."""
    cells = "".join(
        f'<row r="{n}"><c r="A{n}" s="1" t="inlineStr"><is><t>{escape(name)}</t></is></c>'
        f'<c r="B{n}" t="inlineStr"><is><t xml:space="preserve">{escape(value)}</t></is></c></row>'
        for n, (name, value) in enumerate(rows, start=1)
    )
    return (
        f'{XML_HEAD}<worksheet xmlns="{MAIN}"><cols><col min="1" max="1" width="28" customWidth="1"/>'
        f'<col min="2" max="2" width="100" customWidth="1"/></cols><sheetData>{cells}</sheetData></worksheet>'
    ).encode()


SHEET = "xl/worksheets/sheet1.xml"


def sheet_ends(columns: list[str], row_count: int) -> tuple[bytes, bytes]:
    """The sheet's XML before its <row> elements under the header (the header row included), and after."""
    last = f"{column_letter(len(columns) - 1)}{row_count + 1}"
    header = "".join(
        f'<c r="{column_letter(i)}1" s="1" t="inlineStr"><is><t>{escape(name)}</t></is></c>'
        for i, name in enumerate(columns)
    )
    widths = "".join(
        f'<col min="{i}" max="{i}" width="{max(10, min(60, len(name) + 4))}" customWidth="1"/>'
        for i, name in enumerate(columns, start=1)
    )
    head = (
        f'{XML_HEAD}<worksheet xmlns="{MAIN}"><dimension ref="A1:{last}"/>'
        '<sheetViews><sheetView workbookViewId="0"><pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" '
        'state="frozen"/></sheetView></sheetViews><sheetFormatPr defaultRowHeight="15"/>'
        f'<cols>{widths}</cols><sheetData><row r="1">{header}</row>'
    )
    return head.encode(), f'</sheetData><autoFilter ref="A1:{last}"/></worksheet>'.encode()


def workbook_parts(
    columns: list[str],
    rows,
    row_count: int,
    sheet: str,
    created: datetime.datetime,
    title: str,
    info_rows: list[tuple[str, str]] | None = None,
) -> dict[str, bytes]:
    """The parts of a workbook whose sheet has a header of columns and row_count <row> elements (rows:
    bytes, or a buffer such as Arrow's), and with info_rows a second sheet, 'info', of what they are."""
    sheet = sheet[:31]
    head, tail = sheet_ends(columns, row_count)
    worksheet = head + rows + tail
    quoted_sheet = "'" + sheet.replace("'", "''") + "'"
    workbook = (
        f'{XML_HEAD}<workbook xmlns="{MAIN}" xmlns:r="{OFFICE_RELS}"><sheets>'
        f'<sheet name={quoteattr(sheet)} sheetId="1" r:id="rId1"/>'
        + (f'<sheet name="{INFO_SHEET}" sheetId="2" r:id="rId3"/>' if info_rows else "")
        + "</sheets><definedNames>"
        f'<definedName name="_xlnm._FilterDatabase" localSheetId="0" hidden="1">'
        f"{escape(quoted_sheet)}!$A$1:${column_letter(len(columns) - 1)}${row_count + 1}</definedName>"
        "</definedNames></workbook>"
    )
    stamp = created.strftime("%Y-%m-%dT%H:%M:%SZ")
    core = (
        f'{XML_HEAD}<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/'
        'core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" '
        'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
        f"<dc:title>{escape(title)}</dc:title><dc:creator>vn-dx-open-data</dc:creator>"
        f'<dcterms:created xsi:type="dcterms:W3CDTF">{stamp}</dcterms:created>'
        f'<dcterms:modified xsi:type="dcterms:W3CDTF">{stamp}</dcterms:modified></cp:coreProperties>'
    )
    app = (
        f'{XML_HEAD}<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties">'
        "<Application>vn-dx-open-data</Application></Properties>"
    )
    parts = {
        "[Content_Types].xml": CONTENT_TYPES.replace("{info_sheet_type}", INFO_SHEET_TYPE if info_rows else ""),
        "_rels/.rels": ROOT_RELS,
        "docProps/core.xml": core,
        "docProps/app.xml": app,
        "xl/workbook.xml": workbook,
        "xl/_rels/workbook.xml.rels": WORKBOOK_RELS.replace("{info_sheet_rel}", INFO_SHEET_REL if info_rows else ""),
        "xl/styles.xml": STYLES,
    }
    out = {name: part.encode("utf-8") for name, part in parts.items()} | {SHEET: worksheet}
    if info_rows:
        out["xl/worksheets/sheet2.xml"] = info_sheet(info_rows)
    return out

"""A table's whole-table files besides its CSV: the Excel CSV (a byte-order mark, CRLF, no cell a
spreadsheet would run as a formula) and the typed JSON records; written a chunk of rows at a time."""

from __future__ import annotations

import json
from functools import partial
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa

from ..data.columnar import Coded, RecordText, row_count
from ..data.package import WRITE_ROWS, csv_text
from ..data.typed import TypedColumns, number_text
from .blocks import key_of

EXCEL_CSV_CHUNK = 1 << 24  # bytes of the CSV given line ends for Excel at a time (not a copy of the whole file)


# A spreadsheet reads a cell that starts with one of these as a formula ('=1+1', '=HYPERLINK(...)',
# '@SUM(...)'); OWASP's advice for CSV injection is to start such a text cell with an apostrophe.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(text: str) -> str:
    """A text cell as a spreadsheet may open it: with a leading apostrophe if it would start a formula."""
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def write_excel_csv(path: Path, content: bytes, coded: Coded, kinds: dict[str, str]) -> None:
    """The CSV as Excel opens it by double-click: a byte-order mark, CRLF line ends, and no text cell
    that a spreadsheet would run as a formula (spreadsheet_safe; numbers keep their minus sign). The
    plain CSV stays byte for byte the package's file; only this copy is changed, and only where a text
    cell needs it."""
    risky = {
        column
        for column, (_, distinct) in coded.items()
        if kinds[column] == "string" and any(text.startswith(FORMULA_STARTS) for text in distinct)
    }
    with path.open("wb") as handle:
        handle.write(b"\xef\xbb\xbf")
        if not risky:
            for start in range(0, len(content), EXCEL_CSV_CHUNK):
                handle.write(content[start : start + EXCEL_CSV_CHUNK].replace(b"\n", b"\r\n"))
            return
        handle.write(content[: content.index(b"\n") + 1].replace(b"\n", b"\r\n"))  # the header
        safe = {
            column: (codes, np.array([spreadsheet_safe(t) for t in distinct], dtype=object))
            if column in risky
            else (codes, distinct)
            for column, (codes, distinct) in coded.items()
        }
        records, rows = csv_text(safe), row_count(coded)
        for first in range(0, rows, WRITE_ROWS):
            chunk = records.records_buffer(np.arange(first, min(first + WRITE_ROWS, rows)))
            handle.write(chunk.to_pybytes().replace(b"\n", b"\r\n"))


class JsonRecords:
    """The rows as a JSON array of objects, typed (numbers, booleans, null for any empty cell), laid
    out as pandas' to_json(orient="records", indent=1) lays them out, a block of rows at a time
    (blocks.py: pieces()).

    Each column's distinct values are typed once (typed.py, shared with every other file) and encoded
    once, and Arrow puts the rows' objects together (encoding 1.3 million rows one by one took 6.5 s).
    A number is its shortest text that reads back as the same value (typed.number_text), with a decimal
    point unless every value of its column is whole (written as integers, as pandas typed such a
    column): so a block's text depends on its rows and on that one fact of the column (signature()).
    """

    def __init__(self, coded: Coded, kinds: dict[str, str], typed: TypedColumns | None = None):
        self.coded, self.kinds = coded, kinds
        self.typed = typed if typed is not None else TypedColumns(coded, kinds)
        self._records = None

    def is_whole(self, column: str) -> bool:
        """A number column whose every value is whole and none empty: written as integers."""
        values = self.typed[column]
        return values.null_count == 0 and bool(np.all(np.mod(values.to_numpy(), 1) == 0))

    def _write(self, index: int, column: str, distinct: list) -> list[str]:
        before = ("\n {\n  " if index == 0 else ",\n  ") + json.dumps(column, ensure_ascii=False) + ":"
        after = "\n }," if index == len(self.coded) - 1 else ""  # the last object's comma is dropped: rows()
        return [before + text + after for text in self.json_values(column)]

    def json_values(self, column: str) -> list[str]:
        """Each of the column's distinct values as JSON: numbers, integers and truth values as JSON
        writes them, texts and dates as pandas' to_json writes a string (not ASCII-escaped, '/' as '\\/')."""
        values, kind = self.typed[column], self.kinds[column]
        if kind == "number":
            text = number_text if self.is_whole(column) else repr
            return ["null" if v is None else text(v) for v in values.to_pylist()]
        if kind in ("integer", "boolean"):
            return [json.dumps(v) for v in values.to_pylist()]
        return _json_strings(values.cast(pa.string()).to_pylist())

    def signature(self) -> str:
        """What a record's text depends on besides its own cells: which number columns are written as
        integers, from all their values together (one fraction or one empty cell anywhere, and every
        number is written with a decimal point)."""
        numbers = [c for c in self.coded if self.kinds[c] == "number"]
        return " ".join(f"{column}:{'whole' if self.is_whole(column) else 'float'}" for column in numbers)

    def rows(self, start: int, stop: int) -> memoryview:
        """The objects of rows start to stop; the last row's without the comma after it."""
        if self._records is None:
            self._records = RecordText(self.coded, self._write)
        chunk = memoryview(self._records.records_buffer(np.arange(start, stop)))
        return chunk[:-1] if stop == row_count(self.coded) else chunk

    def pieces(self, blocks: list[tuple[int, int]], keys: list[str]) -> list:
        """The file as blocks.Piece: '[', each block of rows (keys: each block's key from its rows, to
        which the signature() is added), and the end."""
        if not blocks:
            return [(key_of("json", "[]"), lambda: b"[]\n")]
        signature = self.signature()
        rows = [(key_of(signature, key), partial(self.rows, a, b)) for key, (a, b) in zip(keys, blocks)]
        return [(key_of("json", "["), lambda: b"["), *rows, (key_of("json", "]"), lambda: b"\n]\n")]


def _json_strings(values: list[str | None]) -> list[str]:
    """Each text as pandas' to_json writes it in a record (not ASCII-escaped), null for None."""
    marker = '},{"v":'  # cannot occur inside an encoded value: a string's own quotes are escaped
    text = pd.DataFrame({"v": pd.Series(values, dtype=object)}).to_json(orient="records", force_ascii=False)
    return text[len('[{"v":') : -len("}]")].split(marker)


def record_spans(coded: Coded, content: bytes) -> tuple[bytes, np.ndarray, np.ndarray]:
    """The header line, and where each row's record starts and ends (with its newline) in content.

    A record is a line unless a quoted value holds a line break; then the records are found by
    formatting each row again, as csv.writer would (csv_records).
    """
    newlines = np.flatnonzero(np.frombuffer(content, dtype=np.uint8) == ord("\n"))
    if len(newlines) == row_count(coded) + 1:
        return content[: newlines[0] + 1], newlines[:-1] + 1, newlines[1:] + 1
    header = content[: content.index(b"\n") + 1]
    lengths = np.array([len(record.encode("utf-8")) for record in csv_records(coded)], dtype=np.int64)
    ends = len(header) + np.cumsum(lengths)
    if ends[-1] != len(content):
        raise AssertionError("the records, formatted again, differ from the published CSV")
    return header, ends - lengths, ends


def csv_records(coded: Coded) -> np.ndarray:
    """Each row as one CSV record with its newline, quoted as csv.writer quotes (QUOTE_MINIMAL)."""
    return np.array(csv_text(coded).records(np.arange(row_count(coded))).to_pylist(), dtype=object)

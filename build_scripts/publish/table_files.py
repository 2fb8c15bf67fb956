"""A table's whole-table files besides its CSV: the Excel CSV (a byte-order mark, CRLF, no cell a
spreadsheet would run as a formula) and the typed JSON records; written a chunk of rows at a time."""

from __future__ import annotations

import json
from functools import partial
from pathlib import Path

import numpy as np
import pandas as pd

from ..data.columnar import Coded, RecordText, row_count
from ..data.package import WRITE_ROWS, csv_text
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


def _typed_frame(frame: pd.DataFrame, kinds: dict[str, str]) -> pd.DataFrame:
    typed = frame.copy()
    for column, kind in kinds.items():
        if kind == "number":
            typed[column] = pd.to_numeric(frame[column].replace("", None))
        elif kind == "integer":
            typed[column] = pd.to_numeric(frame[column].replace("", None)).astype("Int64")
        elif kind == "boolean":
            typed[column] = frame[column].map({"true": True, "false": False})
        else:  # text and dates: an empty cell is a missing value, null (as the API writes it)
            typed[column] = frame[column].mask(frame[column] == "", None)
    return typed


class JsonRecords:
    """The rows as a JSON array of objects, typed (numbers, booleans, null for any empty cell), laid
    out as pandas' to_json(orient="records", indent=1) lays them out, a block of rows at a time
    (blocks.py: pieces()).

    Each column's distinct values are typed and encoded once, by pandas, and Arrow puts the rows'
    objects together (typing and encoding 1.3 million rows took 6.5 s); that is done when the first
    block is made, and a column's values are typed together (a number column with one fraction or one
    empty cell writes every number with a decimal point), so a block's text is the same in every build.
    """

    def __init__(self, coded: Coded, kinds: dict[str, str]):
        self.coded, self.kinds = coded, kinds
        self._records = None
        self._typed: dict[str, pd.Series] = {}

    def typed(self, column: str) -> pd.Series:
        """The column's distinct values as pandas types them, together (once: the signature and the
        records both read them)."""
        if column not in self._typed:
            frame = pd.DataFrame({column: list(self.coded[column][1])}, dtype=object)
            self._typed[column] = _typed_frame(frame, {column: self.kinds[column]})[column]
        return self._typed[column]

    def _write(self, index: int, column: str, distinct: list) -> list[str]:
        before = ("\n {\n  " if index == 0 else ",\n  ") + json.dumps(column, ensure_ascii=False) + ":"
        after = "\n }," if index == len(self.coded) - 1 else ""  # the last object's comma is dropped: rows()
        return [before + text + after for text in _json_values(self.typed(column))]

    def signature(self) -> str:
        """What a record's text depends on besides its own cells: the type pandas gives each number
        column, from all its values together (one fraction or one empty cell anywhere, and every number
        is written with a decimal point)."""
        numbers = [c for c in self.coded if self.kinds[c] in ("number", "integer")]
        return " ".join(f"{column}:{self.typed(column).dtype}" for column in numbers)

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


def _json_values(values: pd.Series) -> list[str]:
    """Each value as pandas' to_json writes it in a record (double_precision=15, not ASCII-escaped)."""
    marker = '},{"v":'  # cannot occur inside an encoded value: a string's own quotes are escaped
    text = pd.DataFrame({"v": values}).to_json(orient="records", force_ascii=False, double_precision=15)
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

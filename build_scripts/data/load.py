"""Stage 1: read the curated CSV files as maintainers and spreadsheets write them.

Accepted as spreadsheets produce them: a UTF-8 byte-order mark, CRLF line
endings, Unicode NFD text (normalised to NFC), spaces around values (trimmed).
Rejected with a precise problem: another encoding, another delimiter, missing
or extra columns, an empty or header-only file, rows with too many or too few
fields.
"""

from __future__ import annotations

import csv
import io
import unicodedata
from collections import deque
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.csv as arrow_csv

from ..data import schema
from ..data.schema import Resource
from ..problems import InputError, Problem

CHUNK_ROWS = 50_000  # csv records held as lists before SharedCells turns them into shared columns
PIECE_CHARS = 1 << 20  # text normalised and split into lines at a time
FIELD_SIZE_LIMIT = 2**31 - 1  # csv.reader reads a cell of any length; textrules.py refuses one too long

BOMS = {
    b"\xef\xbb\xbf": None,
    b"\xff\xfe": "UTF-16 (little-endian), as spreadsheets write 'Unicode text'",
    b"\xfe\xff": "UTF-16 (big-endian)",
}


@dataclass
class Table:
    resource: Resource
    file: str  # path as shown in messages, e.g. data/observations.csv
    frame: pd.DataFrame  # every column as text, trimmed and NFC-normalised, '' for empty
    row_numbers: list[int]  # spreadsheet row of each record (header = 1)
    codes: dict[str, tuple[np.ndarray, np.ndarray]]  # column -> each cell's code, and the distinct values

    @cached_property
    def rows(self) -> list[dict[str, str]]:
        return self.frame.to_dict("records")


def load_tables(data_dir: Path, label: str = "data") -> dict[str, Table]:
    """Read every resource; raise InputError with all problems of all files."""
    tables, problems = read_tables(data_dir, label)
    if problems:
        raise InputError(problems)
    return tables


def read_tables(data_dir: Path, label: str = "data") -> tuple[dict[str, Table], list[Problem]]:
    """Read every resource that can be read, and list the problems of those that cannot."""
    tables, problems = {}, []
    for resource in schema.resources():
        path = data_dir / f"{resource.name}.csv"
        file = f"{label}/{resource.name}.csv"
        table, found = read_table(path, file, resource)
        problems += found
        if table is not None and not found:
            tables[resource.name] = table
    pa.default_memory_pool().release_unused()  # Arrow's allocator keeps freed pages for reuse otherwise
    return tables, problems


def read_table(path: Path, file: str, resource: Resource) -> tuple[Table | None, list[Problem]]:
    if not path.exists():
        return None, [
            Problem(
                file,
                None,
                None,
                "file-missing",
                "the file does not exist",
                f"create it with the header {','.join(resource.fields)}",
            )
        ]
    text, problem = decode(path.read_bytes(), file)
    if problem:
        return None, [problem]
    if not text or text.isspace():  # as `not text.strip()`, without a copy of the whole text
        return None, [
            Problem(
                file,
                None,
                None,
                "empty-file",
                "the file is empty",
                f"it needs the header {','.join(resource.fields)} and at least one row",
            )
        ]
    read_by_arrow = _read_plain_csv(text, file, resource)
    if read_by_arrow is not None:
        return read_by_arrow, []
    csv.field_size_limit(FIELD_SIZE_LIMIT)  # the default, 131,072, raised csv.Error on a long cell
    reader = csv.reader(lines_of(text))
    del text  # the line reader now holds the only reference, and lets go of it after the last line
    header = [h.strip() for h in next(reader)]
    problems = check_header(header, file, resource)
    if problems:
        deque(reader, maxlen=0)  # the records are still parsed: a malformed one raises csv.Error, as it did
        return None, problems
    cells = SharedCells(header)
    chunk, chunk_numbers = [], []
    for line, record in enumerate(reader, start=2):
        if len(record) == len(header):
            chunk.append(record)
            chunk_numbers.append(line)
            if len(chunk) == CHUNK_ROWS:
                cells.add(chunk, chunk_numbers)
                chunk, chunk_numbers = [], []
        elif any(cell.strip() for cell in record):  # a blank line, as spreadsheets leave, is skipped
            rule = "extra-cell" if len(record) > len(header) else "missing-cell"
            problems.append(
                Problem(
                    file,
                    line,
                    None,
                    rule,
                    f"{len(record)} fields where the header has {len(header)}",
                    "a comma inside a value needs the value in double quotes",
                )
            )
    cells.add(chunk, chunk_numbers)
    codes = cells.codes(resource.fields)
    frame = frame_of(codes)
    if frame.empty and resource.name not in schema.MAY_BE_EMPTY:
        problems.append(
            Problem(file, None, None, "no-rows", "the file has a header but no rows", "add at least one row")
        )
    return Table(resource, file, frame, cells.numbers, codes), problems


def _read_plain_csv(text: str, file: str, resource: Resource) -> Table | None:
    """The table read by Arrow's CSV reader, in C++ on every core, when the file is plain: NFC text, a
    header without quotes that check_header accepts, no blank line, every record with one field per
    column. Anything else gives None, and the file is read
    record by record, as csv.reader reads it, to name each problem with its row.

    For plain files both readers give the same cells (tests/test_load.py compares them on random
    files); a blank line or a short or long record makes Arrow fail or differ, so those go the slow way.
    """
    if "\n" not in text:
        return None
    first_line = text[: text.index("\n")]
    if text.startswith("\n") or "\n\n" in text or '"' in first_line or not unicodedata.is_normalized("NFC", text):
        return None
    header = [h.strip() for h in first_line.split(",")]
    if check_header(header, file, resource):
        return None
    try:
        table = arrow_csv.read_csv(
            io.BytesIO(text.encode("utf-8")),
            read_options=arrow_csv.ReadOptions(skip_rows=1, column_names=[f"{i}" for i in range(len(header))]),
            parse_options=arrow_csv.ParseOptions(newlines_in_values=True, ignore_empty_lines=False),
            convert_options=arrow_csv.ConvertOptions(
                column_types={f"{i}": pa.string() for i in range(len(header))},
                strings_can_be_null=False,
                quoted_strings_can_be_null=False,
            ),
        )
    except pa.ArrowInvalid:
        return None
    cells = SharedCells(header)
    codes, distinct = [], []
    for column in table.columns:
        encoded = column.combine_chunks().dictionary_encode()
        codes.append(encoded.indices.to_numpy(zero_copy_only=False))
        distinct.append(np.array(encoded.dictionary.to_pylist(), dtype=object))
    cells.add_coded(codes, distinct, list(range(2, table.num_rows + 2)))
    if not cells.numbers:  # every record blank: the slow way names the problem
        return None
    codes = cells.codes(resource.fields)
    return Table(resource, file, frame_of(codes), cells.numbers, codes)


def lines_of(text: str) -> Iterator[str]:
    """The lines of the text, each with its line feed, NFC-normalised a piece of PIECE_CHARS or so at a time.

    Not io.StringIO(text): it copies the whole text at four bytes a character (500 MB for the 130 MB
    observations file). Pieces end after a line feed, which nothing composes with, so normalising them
    one by one gives the same text as normalising the whole file (and copies a piece, not the file,
    when the file is NFD). decode() has turned every line ending into a line feed.
    """
    start = 0
    while start < len(text):
        end = text.find("\n", start + PIECE_CHARS) + 1 or len(text)
        yield from io.StringIO(unicodedata.normalize("NFC", text[start:end]), newline="")
        start = end


class SharedCells:
    """A table's columns, built from csv records a chunk at a time: trimmed, without blank records, and
    with every distinct cell text held once.

    A long table repeats few values (1.3 M observation rows hold 230,000 distinct cells): kept as
    csv.reader's lists of strings it took a gigabyte, as columns of shared strings a tenth of that.
    Trimming and the blank-record test also run once per distinct value of a chunk, not once per cell.
    """

    def __init__(self, header: list[str]):
        self.header = header
        self.known: list[dict[str, str]] = [{} for _ in header]  # per column, text -> its one trimmed string
        self.ids: list[dict[str, int]] = [{} for _ in header]  # per column, trimmed string -> its code
        self.code_parts: list[list[np.ndarray]] = [[] for _ in header]  # per column, one array per chunk
        self.numbers: list[int] = []  # spreadsheet row of each record kept

    def add(self, records: list[list[str]], numbers: list[int]) -> None:
        """Append records that have one field per column; drop those whose every cell is empty."""
        if not records:
            return
        grid = np.array(records, dtype=object)
        codes, distinct = zip(*(pd.factorize(grid[:, column]) for column in range(len(self.header))))
        self.add_coded(codes, distinct, numbers)

    def add_coded(self, codes, distinct, numbers: list[int]) -> None:
        """Append records given per column as codes into that column's distinct texts."""
        blank = np.ones(len(numbers), dtype=bool)
        for column_codes, column_distinct in zip(codes, distinct):
            blank &= (column_distinct == "")[column_codes]  # empty before trimming: a record of spaces is not blank
        kept = ~blank
        for column, (column_codes, column_distinct) in enumerate(zip(codes, distinct)):
            known, ids = self.known[column], self.ids[column]
            kept_codes = column_codes[kept]
            global_codes = np.full(len(column_distinct), -1, dtype=np.int32)
            for code in np.unique(kept_codes):  # a value only blank records had is not the column's
                global_codes[code] = ids.setdefault(_shared_trimmed(column_distinct[code], known), len(ids))
            self.code_parts[column].append(global_codes[kept_codes])
        self.numbers += [number for number, is_blank in zip(numbers, blank) if not is_blank]

    def codes(self, fields: tuple[str, ...]) -> dict[str, tuple[np.ndarray, np.ndarray]]:
        """Per column: each kept cell's code, and the column's distinct (trimmed) values in code order."""
        out = {}
        for name in fields:
            column = self.header.index(name)
            parts = self.code_parts[column]
            codes = np.concatenate(parts) if parts else np.empty(0, dtype=np.int32)
            out[name] = (codes, np.array(list(self.ids[column]), dtype=object))
        return out


def frame_of(codes: dict[str, tuple[np.ndarray, np.ndarray]]) -> pd.DataFrame:
    """The columns as text (object dtype) with a 0..n-1 index, each cell its column's one string object
    for its value."""
    columns = {name: distinct.take(cells) for name, (cells, distinct) in codes.items()}
    return pd.DataFrame(columns, dtype=object, copy=False)


def _shared_trimmed(text: str, known: dict[str, str]) -> str:
    """text trimmed, as the one string object its column uses for that value."""
    shared = known.get(text)
    if shared is None:
        trimmed = text.strip()
        shared = known[text] = known.setdefault(trimmed, trimmed)
    return shared


def decode(raw: bytes, file: str) -> tuple[str, Problem | None]:
    for bom, foreign in BOMS.items():
        if raw.startswith(bom):
            if foreign:
                return "", Problem(
                    file, None, None, "encoding", f"the file is {foreign}", "save it as 'CSV UTF-8 (comma delimited)'"
                )
            raw = raw[len(bom) :]
            break
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        return "", Problem(
            file,
            None,
            None,
            "encoding",
            f"not UTF-8 (byte {raw[error.start]:#04x} at offset {error.start}); it looks like {guess_encoding(raw)}",
            "save it as 'CSV UTF-8 (comma delimited)'",
        )
    if "\x00" in text:
        return "", Problem(
            file,
            None,
            None,
            "encoding",
            "the file holds NUL bytes; it looks like UTF-16 without a byte-order mark",
            "save it as 'CSV UTF-8 (comma delimited)'",
        )
    return text.replace("\r\n", "\n").replace("\r", "\n"), None


def guess_encoding(raw: bytes) -> str:
    if raw.count(b"\x00") > len(raw) // 4:
        return "UTF-16 without a byte-order mark"
    # Windows-1258 is the Vietnamese code page: combining tones at 0xCC, 0xD2, 0xDE, 0xEC, 0xF2
    if any(b in raw for b in (b"\xd2", b"\xde", b"\xec", b"\xf2", b"\xcc")):
        return "Windows-1258 (the Vietnamese Windows code page)"
    return "Windows-1252 or another 8-bit code page"


def check_header(header: list[str], file: str, resource: Resource) -> list[Problem]:
    expected = list(resource.fields)
    if len(header) == 1 and (";" in header[0] or "\t" in header[0]):
        delimiter = "semicolon" if ";" in header[0] else "tab"
        return [
            Problem(
                file,
                1,
                None,
                "delimiter",
                f"the header is {delimiter}-separated: '{header[0][:60]}'",
                "save the file with commas between values (CSV UTF-8 comma delimited)",
            )
        ]
    problems = []
    missing = [c for c in expected if c not in header]
    extra = [c for c in header if c not in expected]
    for column in missing:
        problems.append(
            Problem(
                file,
                1,
                column,
                "missing-column",
                "the column is missing from the header",
                f"expected columns: {','.join(expected)}",
            )
        )
    for column in extra:
        problems.append(
            Problem(
                file,
                1,
                column or "(empty)",
                "extra-column",
                "the header has a column the schema does not define",
                f"expected columns: {','.join(expected)}",
            )
        )
    duplicated = sorted({c for c in header if header.count(c) > 1})
    for column in duplicated:
        problems.append(Problem(file, 1, column, "duplicate-column", "the column appears twice in the header"))
    return problems

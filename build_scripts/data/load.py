"""Stage 1: read the curated CSV files as maintainers and spreadsheets write them.

Accepted as spreadsheets produce them: a UTF-8 byte-order mark, CRLF line
endings, Unicode NFD text (normalised to NFC), spaces around values (trimmed).
Rejected with a precise problem: another encoding, another delimiter, missing
or extra columns, an empty or header-only file, rows with too many or too few
fields.

file_format.py decodes the file and checks its header; shared_cells.py holds the cells read.
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
from ..data.file_format import check_header, decode
from ..data.schema import Resource
from ..data.shared_cells import SharedCells, frame_of
from ..data.typed import TypedColumns
from ..problems import InputError, Problem

CHUNK_ROWS = 50_000  # csv records held as lists before SharedCells turns them into shared columns
PIECE_CHARS = 1 << 20  # text normalised and split into lines at a time
FIELD_SIZE_LIMIT = 2**31 - 1  # csv.reader reads a cell of any length; textrules.py refuses one too long


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

    @cached_property
    def typed(self) -> TypedColumns:
        """The columns typed by their fields' types (typed.py), each when first asked for."""
        return TypedColumns(self.codes, {column: self.resource.field_def(column).type for column in self.codes})


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
    raw = path.read_bytes()
    text, problem = decode(raw, file)
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
    same_bytes = raw if not raw.startswith(b"\xef\xbb\xbf") and b"\r" not in raw else None  # the text's UTF-8
    read_by_arrow = _read_plain_csv(text, file, resource, same_bytes)
    if read_by_arrow is not None:
        return read_by_arrow, []
    del raw, same_bytes  # the slow way reads the text only
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


def _read_plain_csv(text: str, file: str, resource: Resource, encoded: bytes | None = None) -> Table | None:
    """The table read by Arrow's CSV reader, in C++ on every core, when the file is plain: NFC cells, a
    header without quotes that check_header accepts, no blank line, every record with one field per
    column. Anything else gives None, and the file is read
    record by record, as csv.reader reads it, to name each problem with its row.

    For plain files both readers give the same cells (tests/test_load.py compares them on random
    files); a blank line or a short or long record makes Arrow fail or differ, so those go the slow way.
    encoded: the text as UTF-8 where the caller has it (the file's bytes, when decoding changed nothing).
    """
    if "\n" not in text:
        return None
    first_line = text[: text.index("\n")]
    if text.startswith("\n") or "\n\n" in text or '"' in first_line:
        return None
    header = [h.strip() for h in first_line.split(",")]
    if check_header(header, file, resource):
        return None
    try:
        table = arrow_csv.read_csv(
            io.BytesIO(encoded if encoded is not None else text.encode("utf-8")),
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
    # NFC, checked on the distinct cells rather than on the whole text (0.3 s at L): the comma, the quote
    # and the line feed that part the cells compose with nothing, so the text is NFC when each cell is
    if not all(unicodedata.is_normalized("NFC", cell) for values in distinct for cell in values):
        return None
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

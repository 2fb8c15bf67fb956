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
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

import pandas as pd

from .problems import InputError, Problem
from .schema import RESOURCES, Resource

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
    for resource in RESOURCES:
        path = data_dir / f"{resource.name}.csv"
        file = f"{label}/{resource.name}.csv"
        table, found = read_table(path, file, resource)
        problems += found
        if table is not None and not found:
            tables[resource.name] = table
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
    if not text.strip():
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
    text = unicodedata.normalize("NFC", text)  # one pass over the whole file, not one per cell
    records = list(csv.reader(io.StringIO(text, newline="")))
    header = [h.strip() for h in records[0]]
    problems = check_header(header, file, resource)
    if problems:
        return None, problems
    kept, numbers = [], []
    for line, record in enumerate(records[1:], start=2):
        if len(record) == len(header):
            kept.append(record)
            numbers.append(line)
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
    del records
    frame = pd.DataFrame(kept, columns=header, dtype=object)
    blank = (frame == "").all(axis=1) if len(frame) else pd.Series([], dtype=bool)
    frame, numbers = frame[~blank.to_numpy()], [n for n, b in zip(numbers, blank) if not b]
    for column in header:
        frame[column] = frame[column].str.strip()
    frame = frame[list(resource.fields)].reset_index(drop=True)
    if frame.empty:
        problems.append(
            Problem(file, None, None, "no-rows", "the file has a header but no rows", "add at least one row")
        )
    return Table(resource, file, frame, numbers), problems


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

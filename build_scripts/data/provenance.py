"""Check every figure against the archived source documents.

Only this module reads the archive (passed with --archive; `make validate` and
`make site` pass ../shared/sources when that folder exists); the build never
depends on it, and says when provenance was not checked.
"""

from __future__ import annotations

import hashlib
import unicodedata
from pathlib import Path

from ..data.load import Table
from ..problems import InputError, Problem


def check_provenance(tables: dict[str, Table], archive: Path) -> list[Problem]:
    """Problems of provenance: hashes that differ, as_written not on its cited line."""
    if not archive.is_dir():
        raise InputError(
            [
                Problem(
                    str(archive),
                    None,
                    None,
                    "archive-missing",
                    "the archive directory does not exist",
                    "pass --archive with the folder of the archived sources",
                )
            ]
        )
    if "sources" not in tables:
        return []  # the sources file itself is broken: reported by the loader
    sources = tables["sources"]
    lines_by_source: dict[str, list[str]] = {}
    problems = []
    for row, number in zip(sources.rows, sources.row_numbers):
        path = archive / row["archive_file"]
        if not path.is_file():
            problems.append(
                Problem(
                    sources.file, number, "archive_file", "archive-file", f"'{row['archive_file']}' is not in {archive}"
                )
            )
            continue
        raw = path.read_bytes()
        digest = hashlib.sha256(raw).hexdigest()
        if digest != row["archive_sha256"]:
            problems.append(
                Problem(
                    sources.file,
                    number,
                    "archive_sha256",
                    "archive-hash",
                    f"recorded {row['archive_sha256'][:12]}… but the file hashes to {digest[:12]}…",
                    "the archived copy changed or the hash is wrong",
                )
            )
        text = unicodedata.normalize("NFC", raw.decode("utf-8", errors="replace"))
        lines_by_source[row["source_id"]] = text.split("\n")
    for table_name in ("observations", "events"):
        if table_name in tables:
            problems += _check_citations(tables[table_name], lines_by_source)
    return problems


def _check_citations(table: Table, lines_by_source: dict[str, list[str]]) -> list[Problem]:
    problems = []
    frame = table.frame
    written_column = frame["as_written"] if "as_written" in frame else [""] * len(frame)
    # Columns zipped, not rows as dicts: this runs over every observation (a million at the largest size).
    for source_id, line_text, written, number in zip(
        frame["source_id"], frame["line"], written_column, table.row_numbers
    ):
        lines = lines_by_source.get(source_id)
        if lines is None:
            continue  # unknown source or unreadable archive file: reported elsewhere
        line = int(line_text) if line_text.isdigit() else 0
        if not 1 <= line <= len(lines):
            problems.append(
                Problem(
                    table.file,
                    number,
                    "line",
                    "line-range",
                    f"line {line_text} but the source has {len(lines)} lines",
                )
            )
            continue
        if written and written not in lines[line - 1]:
            elsewhere = [i + 1 for i, text in enumerate(lines) if written in text]
            hint = f"it is on line {', '.join(map(str, elsewhere))}" if elsewhere else "it is on no line"
            problems.append(
                Problem(
                    table.file,
                    number,
                    "as_written",
                    "as-written-on-line",
                    f"'{written}' is not on line {line} of {source_id}",
                    hint,
                )
            )
    return problems

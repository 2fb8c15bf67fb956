"""Which download files a portal publishes compressed, by the size of its tables (the formats of
formats.py say which of them may be: the writers, pages, catalogue and API read that).

A static host limits a site and its files (GitHub Pages: 1 GB a site; a file over 100 MB is refused).
A table whose CSV is over BULK_CSV_BYTES is "bulk": its whole-table CSV and JSON, the package's SQLite
database, and its slices by place and by source are published gzip-compressed (pandas, readr, DuckDB
and frictionless read .csv.gz as they read .csv), since the JSON is about three times the CSV and the
database about two and a half: uncompressed, they would pass the file limit. The slices by indicator
stay plain CSV and XLSX, as readers open them. Past a spreadsheet's row limit, no whole-table Excel
CSV or workbook is published (a spreadsheet cannot open it; the workbooks by indicator stand in).
Parquet is always published as it is (columnar and compressed already).
"""

from __future__ import annotations

import gzip
from contextlib import contextmanager
from pathlib import Path

BULK_CSV_BYTES = 25_000_000
EXCEL_MAX_ROWS = 1_048_575  # rows below the header in one sheet
# zlib level of the compressed files: at L's 172 MB of observations CSV, level 1 took 0.87 s for 19 MB,
# level 6 4.53 s for 15 MB; the JSON and the database are larger still, and a clean build compresses
# all of them (a rebuild only the blocks that changed: blocks.py)
GZIP_LEVEL = 1
SLICED = "observations"  # the resource that is sliced by indicator, place and source


def is_bulk(files: dict[str, bytes], name: str) -> bool:
    """files: resource name -> its published CSV's bytes."""
    return len(files[name]) > BULK_CSV_BYTES


@contextmanager
def open_gzip(path: Path):
    """A file to write gzip-compressed, the same bytes every time (no file name, no time in the header)."""
    with path.open("wb") as raw:
        with gzip.GzipFile(filename="", fileobj=raw, mode="wb", compresslevel=GZIP_LEVEL, mtime=0) as out:
            yield out

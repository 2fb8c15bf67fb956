"""Which download files a portal publishes, by the size of its tables: the one place that the writer of
the downloads (exports.py), the pages that link them and the API agree on.

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
PLAIN_SLICES = ("indicators",)  # the slices published uncompressed whatever the size
SLICED = "observations"  # the resource that is sliced by indicator, place and source


def is_bulk(files: dict[str, bytes], name: str) -> bool:
    """files: resource name -> its published CSV's bytes."""
    return len(files[name]) > BULK_CSV_BYTES


def gz(bulk: bool) -> str:
    return ".gz" if bulk else ""


def resource_files(name: str, files: dict[str, bytes], rows: int) -> list[tuple[str, str]]:
    """(text key of its label, file name) of each whole-table download of a resource, in the order the
    pages list them."""
    suffix = gz(is_bulk(files, name))
    out = [("csv", f"{name}.csv{suffix}")]
    if rows <= EXCEL_MAX_ROWS:
        out += [("excel_csv", f"{name}.excel.csv"), ("excel", f"{name}.xlsx")]
    return out + [("json", f"{name}.json{suffix}"), ("parquet", f"{name}.parquet")]


def package_files(package: str, files: dict[str, bytes]) -> list[tuple[str | None, str]]:
    """(text key of its label, or None where the file name is its label; file name) of the downloads
    of the whole package."""
    bulk = any(is_bulk(files, name) for name in files)
    return [("zip", f"{package}.zip"), (None, "datapackage.json"), ("sqlite", f"{package}.sqlite{gz(bulk)}")]


def sqlite_file(package: str, files: dict[str, bytes]) -> str:
    return package_files(package, files)[-1][1]


def slice_path(folder: str, key: str, files: dict[str, bytes]) -> str:
    """The path under downloads/ of one slice of the observations (folder: indicators, places, sources)."""
    plain = folder in PLAIN_SLICES or not is_bulk(files, SLICED)
    return f"{folder}/{key}.csv{gz(not plain)}"


@contextmanager
def open_gzip(path: Path):
    """A file to write gzip-compressed, the same bytes every time (no file name, no time in the header)."""
    with path.open("wb") as raw:
        with gzip.GzipFile(filename="", fileobj=raw, mode="wb", compresslevel=GZIP_LEVEL, mtime=0) as out:
            yield out

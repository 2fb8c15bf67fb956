"""Stage 3b: the downloads: each resource as CSV, Excel-friendly CSV, XLSX and JSON;
the observations as one CSV per indicator, place and source and one XLSX per
indicator; the whole package as a zip. Byte-for-byte reproducible.
"""

from __future__ import annotations

import datetime
import io
import json
import os
import time
import zipfile
from pathlib import Path

import numpy as np
import pandas as pd

from ..config.site import current
from ..data import schema
from ..data.columnar import Coded, RecordText, joined_buffer, positions_by_value, row_count
from ..data.package import WRITE_ROWS, Published, build_descriptor, csv_text, dump_json
from ..publish import xlsx
from ..publish.bulk import (
    SLICED,
    gzip_bytes,
    gzip_file,
    is_bulk,
    open_gzip,
    resource_files,
    slice_path,
    sqlite_file,
)
from ..publish.database import write_parquet, write_sqlite
from ..publish.standalone import IndicatorMetadata

ZIP_EPOCH = (1980, 1, 1, 0, 0, 0)


def fixed_zip_time() -> tuple:
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if not epoch:
        return ZIP_EPOCH
    return max(time.gmtime(int(epoch))[:6], ZIP_EPOCH)


def write_downloads(out: Path, metadata: dict, published: dict[str, Published]) -> dict[str, int]:
    """Write every download, from each table as the package publishes it; returns how many files of
    each kind were written."""
    out.mkdir(parents=True, exist_ok=True)
    files = {name: table.content for name, table in published.items()}
    # a bulk table's CSV is published compressed (bulk.py): the descriptor beside it describes that file;
    # the zip's own descriptor describes the plain CSV files the zip holds
    compressed = {name: gzip_bytes(content) for name, content in files.items() if is_bulk(files, name)}
    names = {name: f"{name}.csv.gz" for name in compressed}
    descriptor = dump_json(build_descriptor(metadata, {**files, **compressed}, "", published=True, names=names))
    (out / "datapackage.json").write_bytes(descriptor)
    created = datetime.datetime(*fixed_zip_time())
    counts = {"workbooks": 0, "split CSVs": 0}
    for resource in schema.resources():
        name = resource.name
        content, coded = files[name], published[name].coded
        rows = row_count(coded)
        listed = dict((key, file) for key, file in resource_files(name, files, rows))
        (out / listed["csv"]).write_bytes(compressed.get(name, content))
        kinds = {column: resource.field_def(column).type for column in resource.published_fields}
        if "excel_csv" in listed:  # not past a spreadsheet's row limit
            _write_excel_csv(out / listed["excel_csv"], content, coded, kinds)
        with open_gzip(out / listed["json"]) if name in compressed else (out / listed["json"]).open("wb") as handle:
            _write_json_records(handle, coded, kinds)
        sheet_rows = xlsx.SheetRows(coded, kinds, xlsx.has_characters_not_in_xml(content))
        if "excel" in listed:  # past Excel's row limit, the workbooks per indicator stand in
            xml = joined_buffer(sheet_rows.xml(np.arange(rows), np.arange(rows) + 2))
            parts = xlsx.workbook_parts(list(coded), xml, rows, name, created, name)
            (out / listed["excel"]).write_bytes(zip_bytes(parts, sort=False))
            counts["workbooks"] += 1
            del xml, parts
        if name == SLICED:
            described = IndicatorMetadata(
                metadata, {name: table.coded for name, table in published.items()}, current().languages
            )
            counts["split CSVs"] = _split_csvs(out, coded, content, files)
            counts["workbooks"] += _indicator_workbooks(out / "indicators", coded, sheet_rows, created, described)
            for indicator_id in described.cited:
                (out / "indicators" / f"{indicator_id}.csv-metadata.json").write_bytes(
                    dump_json(described.csvw(indicator_id))
                )
    plain = dump_json(build_descriptor(metadata, files, "", published=True)) if compressed else descriptor
    entries = {"datapackage.json": plain} | {f"{r.name}.csv": files[r.name] for r in schema.resources()}
    (out / f"{metadata['name']}.zip").write_bytes(zip_bytes(entries))
    # The package as databases (database.py): one SQLite file, and a Parquet file per resource.
    database = out / sqlite_file(metadata["name"], files)
    if database.suffix == ".gz":
        write_sqlite(database.with_suffix(""), published)
        gzip_file(database.with_suffix(""), database)
    else:
        write_sqlite(database, published)
    write_parquet(out, published)
    counts["database files"] = 1 + len(published)
    return counts


EXCEL_CSV_CHUNK = 1 << 24  # bytes of the CSV given line ends for Excel at a time (not a copy of the whole file)


# A spreadsheet reads a cell that starts with one of these as a formula ('=1+1', '=HYPERLINK(...)',
# '@SUM(...)'); OWASP's advice for CSV injection is to start such a text cell with an apostrophe.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(text: str) -> str:
    """A text cell as a spreadsheet may open it: with a leading apostrophe if it would start a formula."""
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def _write_excel_csv(path: Path, content: bytes, coded: Coded, kinds: dict[str, str]) -> None:
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


JSON_CHUNK_ROWS = 100_000


def _write_json_records(handle, coded: Coded, kinds: dict[str, str]) -> None:
    """The rows as a JSON array of objects, typed (numbers, booleans, null for any empty cell), laid
    out as pandas' to_json(orient="records", indent=1) lays them out.

    Each column's distinct values are typed and encoded once, by pandas, and Arrow puts the rows'
    objects together (typing and encoding 1.3 million rows took 6.5 s); rows are joined a chunk at a
    time, so that a million rows never sit in memory as one string.
    """
    rows = row_count(coded)
    if not rows:
        handle.write(b"[]\n")
        return
    last = len(coded) - 1

    def write(index: int, column: str, distinct: list) -> list[str]:
        typed = _typed_frame(pd.DataFrame({column: distinct}, dtype=object), {column: kinds[column]})[column]
        before = ("\n {\n  " if index == 0 else ",\n  ") + json.dumps(column, ensure_ascii=False) + ":"
        after = "\n }," if index == last else ""  # the comma after the last object is dropped below
        return [before + text + after for text in _json_values(typed)]

    records = RecordText(coded, write)
    handle.write(b"[")
    for first in range(0, rows, JSON_CHUNK_ROWS):
        chunk = records.records_buffer(np.arange(first, min(first + JSON_CHUNK_ROWS, rows)))
        handle.write(chunk if first + JSON_CHUNK_ROWS < rows else chunk.slice(0, chunk.size - 1))
    handle.write(b"\n]\n")


def _json_values(values: pd.Series) -> list[str]:
    """Each value as pandas' to_json writes it in a record (double_precision=15, not ASCII-escaped)."""
    marker = '},{"v":'  # cannot occur inside an encoded value: a string's own quotes are escaped
    text = pd.DataFrame({"v": values}).to_json(orient="records", force_ascii=False, double_precision=15)
    return text[len('[{"v":') : -len("}]")].split(marker)


SPLITS = {"indicators": "indicator_id", "places": "geo", "sources": "source_id"}  # folder -> column
WRITE_BUFFER = 1 << 20  # bytes: a split file's many slices reach the disk in few writes


def _split_csvs(out: Path, coded: Coded, content: bytes, files: dict[str, bytes]) -> int:
    """The observations split by indicator, place and source: one CSV each, with the whole file's header,
    quoting and row order: each file is cut from the published file's bytes, a run of rows at a time
    (gzip-compressed where bulk.slice_path says so)."""
    header, starts, ends = _record_spans(coded, content)
    view = memoryview(content)
    written = 0
    for folder, column in SPLITS.items():
        (out / folder).mkdir(parents=True, exist_ok=True)
        for key, positions in positions_by_value(coded, column).items():
            name = key.lower() if column == "geo" else key
            breaks = np.flatnonzero(np.diff(positions) != 1)  # runs of consecutive rows: one slice each
            firsts, lasts = np.r_[positions[:1], positions[breaks + 1]], np.r_[positions[breaks], positions[-1:]]
            path = out / slice_path(folder, name, files)
            with open_gzip(path) if path.suffix == ".gz" else path.open("wb", buffering=WRITE_BUFFER) as handle:
                handle.write(header)  # then the slices as views of the file: never copied into one body
                handle.writelines(view[a:b] for a, b in zip(starts[firsts].tolist(), ends[lasts].tolist()))
            written += 1
    return written


def _record_spans(coded: Coded, content: bytes) -> tuple[bytes, np.ndarray, np.ndarray]:
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
        raise AssertionError("the observation records, formatted again, differ from the published CSV")
    return header, ends - lengths, ends


def csv_records(coded: Coded) -> np.ndarray:
    """Each row as one CSV record with its newline, quoted as csv.writer quotes (QUOTE_MINIMAL)."""
    return np.array(csv_text(coded).records(np.arange(row_count(coded))).to_pylist(), dtype=object)


WORKBOOK_BATCH_ROWS = 50_000
WORKBOOK_LEVEL = 1  # zlib level of the many small workbooks: 3x faster than 6, files about a quarter larger


def _indicator_workbooks(
    folder: Path, coded: Coded, sheet_rows: xlsx.SheetRows, created, described: IndicatorMetadata
) -> int:
    """One workbook per indicator, made in batches of indicators so that only a batch's XML is in memory."""
    folder.mkdir(parents=True, exist_ok=True)
    groups = list(positions_by_value(coded, "indicator_id").items())
    written, start = 0, 0
    while start < len(groups):
        stop, rows = start, 0
        while stop < len(groups) and (rows == 0 or rows + len(groups[stop][1]) <= WORKBOOK_BATCH_ROWS):
            rows += len(groups[stop][1])
            stop += 1
        batch = groups[start:stop]
        positions = np.concatenate([p for _, p in batch])
        numbers = np.concatenate([np.arange(len(p)) + 2 for _, p in batch])
        xml = sheet_rows.xml(positions, numbers)
        offset = 0
        for key, group in batch:
            rows_xml = joined_buffer(xml.slice(offset, len(group)))
            info = described.info_rows(key)
            parts = xlsx.workbook_parts(list(coded), rows_xml, len(group), key, created, key, info_rows=info)
            (folder / f"{key}.xlsx").write_bytes(zip_bytes(parts, sort=False, level=WORKBOOK_LEVEL))
            offset += len(group)
            written += 1
        start = stop
    return written


def zip_bytes(entries: dict[str, bytes], sort: bool = True, level: int | None = None) -> bytes:
    out = io.BytesIO()
    names = sorted(entries) if sort else list(entries)
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name in names:
            info = zipfile.ZipInfo(name, date_time=fixed_zip_time())
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            archive.writestr(info, entries[name], compresslevel=level)
    return out.getvalue()

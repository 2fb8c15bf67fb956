"""Stage 3b: the downloads: each resource as CSV, Excel-friendly CSV, XLSX and JSON;
the observations as one CSV per indicator, place and source and one XLSX per
indicator; the whole package as a zip. Byte-for-byte reproducible.
"""

from __future__ import annotations

import datetime
import io
import os
import time
import zipfile
from functools import partial
from pathlib import Path

import numpy as np

from ..config.site import current
from ..data import schema
from ..data.columnar import Coded, joined_buffer, positions_by_value, row_count
from ..data.package import Published, build_descriptor, dump_json
from ..publish import xlsx
from ..publish.bulk import (
    GZIP_LEVEL,
    SLICED,
    gzip_bytes,
    gzip_file,
    is_bulk,
    open_gzip,
    resource_files,
    slice_path,
    sqlite_file,
)
from ..publish.database import write_parquet_file, write_sqlite
from ..publish.kept_downloads import KeptDownloads, digest_of, shared_digest
from ..publish.standalone import IndicatorMetadata
from ..publish.table_files import record_spans, write_excel_csv, write_json_records

ZIP_EPOCH = (1980, 1, 1, 0, 0, 0)


def fixed_zip_time() -> tuple:
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if not epoch:
        return ZIP_EPOCH
    return max(time.gmtime(int(epoch))[:6], ZIP_EPOCH)


def write_downloads(
    out: Path, metadata: dict, published: dict[str, Published], kept_folder: Path | None = None
) -> dict[str, int]:
    """Write every download, from each table as the package publishes it; returns how many files of
    each kind were written. With kept_folder, a file whose inputs did not change since the last build
    is linked from it instead of made again (kept_downloads.py)."""
    out.mkdir(parents=True, exist_ok=True)
    files = {name: table.content for name, table in published.items()}
    zip_time = fixed_zip_time()
    kept = KeptDownloads(kept_folder, out, shared_digest(metadata, files, zip_time))
    everything = digest_of(kept.shared, *(files[r.name] for r in schema.resources()))

    for table in published.values():  # before the database's process forks: it and the split CSVs read them
        table.row_hashes  # noqa: B018 - a cached property

    # first, in a process of its own: the longest to make
    def database(path: Path) -> str:  # the package as one SQLite file (database.py), compressed if bulk
        keep = Path(kept_folder).parent / "database" if kept_folder else None  # the last build's (kept_database.py)
        done = write_sqlite(path.with_suffix("") if path.suffix == ".gz" else path, published, keep)
        if path.suffix == ".gz":
            gzip_file(path.with_suffix(""), path)
        return done

    kept.file_beside(sqlite_file(metadata["name"], files), everything, database)
    # a bulk table's CSV is published compressed (bulk.py): the descriptor beside it describes that file;
    # the zip's own descriptor describes the plain CSV files the zip holds
    bulk = [name for name in files if is_bulk(files, name)]
    compressed = {}
    if not kept.fresh("datapackage.json", everything):
        compressed = {name: gzip_bytes(files[name]) for name in bulk}
    names = {name: f"{name}.csv.gz" for name in bulk}

    def descriptor(path: Path) -> None:
        path.write_bytes(dump_json(build_descriptor(metadata, {**files, **compressed}, "", True, names)))

    kept.file("datapackage.json", everything, descriptor)
    created = datetime.datetime(*zip_time)
    counts = {"workbooks": 0, "split CSVs": 0}
    for resource in schema.resources():
        _resource_downloads(kept, resource, published, compressed, bulk, created, metadata, counts)

    def package_zip(path: Path) -> None:  # a bulk package's at the compressed files' level: 3.4 s at L at 6
        plain = dump_json(build_descriptor(metadata, files, "", published=True))
        entries = {"datapackage.json": plain} | {f"{r.name}.csv": files[r.name] for r in schema.resources()}
        path.write_bytes(zip_bytes(entries, level=GZIP_LEVEL if bulk else None))

    kept.file(f"{metadata['name']}.zip", everything, package_zip)
    counts["database files"] = 1 + len(published)
    kept.finish()
    counts["made again"] = kept.made
    counts["kept"] = kept.linked
    counts["slowest"] = kept.slowest()
    return counts


def _resource_downloads(
    kept: KeptDownloads, resource, published: dict, compressed: dict, bulk: list, created, metadata: dict, counts
) -> None:
    """A resource's whole-table files (bulk.resource_files), and for the sliced one its slices and their
    workbooks; each made, or linked where kept."""
    files = {name: table.content for name, table in published.items()}
    name = resource.name
    content, coded = files[name], published[name].coded
    rows = row_count(coded)
    listed = dict(resource_files(name, files, rows))
    kinds = {column: resource.field_def(column).type for column in resource.published_fields}
    whole = digest_of(kept.shared, name, content)
    csv_bytes = (lambda: compressed.get(name) or gzip_bytes(content)) if name in bulk else (lambda: content)
    kept.file(listed["csv"], whole, lambda path: path.write_bytes(csv_bytes()))
    if "excel_csv" in listed:  # not past a spreadsheet's row limit
        kept.file(listed["excel_csv"], whole, lambda path: write_excel_csv(path, content, coded, kinds))

    def json_records(path: Path) -> None:
        with open_gzip(path) if name in bulk else path.open("wb") as handle:
            write_json_records(handle, coded, kinds)

    if name in bulk:  # a bulk table's JSON is the longest after the database: made in a process of its own
        kept.file_beside(listed["json"], whole, json_records)
    else:
        kept.file(listed["json"], whole, json_records)
    kept.file(listed["parquet"], whole, lambda path: write_parquet_file(path, resource, coded))
    sheet_rows = xlsx.SheetRows(coded, kinds, xlsx.has_characters_not_in_xml(content))
    if "excel" in listed:  # past Excel's row limit, the workbooks per indicator stand in

        def workbook(path: Path) -> None:
            xml = joined_buffer(sheet_rows.xml(np.arange(rows), np.arange(rows) + 2))
            path.write_bytes(
                zip_bytes(xlsx.workbook_parts(list(coded), xml, rows, name, created, name), False, WORKBOOK_LEVEL)
            )

        kept.file(listed["excel"], whole, workbook)
        counts["workbooks"] += 1
    if name == SLICED:
        described = IndicatorMetadata(
            metadata, {name: table.coded for name, table in published.items()}, current().languages
        )
        slices = _split_csvs(kept, published[name], files)
        counts["split CSVs"] = len(slices)
        counts["workbooks"] += _indicator_workbooks(kept, coded, sheet_rows, created, described, slices)
        for indicator_id in described.cited:  # made from the small tables (shared) and the indicator's rows
            kept.file(
                f"indicators/{indicator_id}.csv-metadata.json",
                digest_of(slices[slice_path("indicators", indicator_id, {})], "csvw"),
                lambda path, key=indicator_id: path.write_bytes(dump_json(described.csvw(key))),
            )


SPLITS = {"indicators": "indicator_id", "places": "geo", "sources": "source_id"}  # folder -> column
WRITE_BUFFER = 1 << 20  # bytes: a split file's many slices reach the disk in few writes


def _split_csvs(kept: KeptDownloads, table: Published, files: dict[str, bytes]) -> dict[str, str]:
    """The observations split by indicator, place and source: one CSV each, with the whole file's header,
    quoting and row order: each file is cut from the published file's bytes, a run of rows at a time
    (gzip-compressed where bulk.slice_path says so); a slice whose rows are as the last build's (the hash
    of each row's cells, in order: Published.row_hashes) is linked (kept). Returns each slice's path under
    the downloads and its digest.

    The digest is of the rows' hashes, not of the slice's bytes: hashing the bytes of the place and source
    slices, a row at a time, took 2.9 s at 1.3 million rows after one changed value."""
    coded, content, hashes = table.coded, table.content, table.row_hashes
    header = content[: content.find(b"\n") + 1]
    spans = _Spans(coded, content)
    digests = {}
    for folder, column in SPLITS.items():
        (kept.out / folder).mkdir(parents=True, exist_ok=True)
        for key, positions in positions_by_value(coded, column).items():
            name = key.lower() if column == "geo" else key
            rel = slice_path(folder, name, files)
            digests[rel] = digest_of(kept.shared, header, hashes[positions].tobytes())
            kept.file(rel, digests[rel], partial(_write_slice, spans=spans, positions=positions))
    return digests


class _Spans:
    """Where each row's record starts and ends in the published file (table_files.record_spans), found
    when the first slice is made: after one changed value, most are linked."""

    def __init__(self, coded: Coded, content: bytes):
        self.coded, self.content = coded, content
        self._found = None

    def of(self, positions: np.ndarray) -> tuple[bytes, memoryview, list[tuple[int, int]]]:
        """The header, the file, and the runs of consecutive rows at positions: one (start, end) each."""
        if self._found is None:
            self._found = record_spans(self.coded, self.content)
        header, starts, ends = self._found
        breaks = np.flatnonzero(np.diff(positions) != 1)
        firsts, lasts = np.r_[positions[:1], positions[breaks + 1]], np.r_[positions[breaks], positions[-1:]]
        return header, memoryview(self.content), list(zip(starts[firsts].tolist(), ends[lasts].tolist()))


def _write_slice(path: Path, spans: _Spans, positions: np.ndarray) -> None:
    header, view, runs = spans.of(positions)
    with open_gzip(path) if path.suffix == ".gz" else path.open("wb", buffering=WRITE_BUFFER) as handle:
        handle.write(header)  # then the runs as views of the file: never copied into one body
        handle.writelines(view[a:b] for a, b in runs)


WORKBOOK_BATCH_ROWS = 50_000
WORKBOOK_LEVEL = 1  # zlib level of the workbooks: 3x faster than 6, files about a quarter larger


def _indicator_workbooks(
    kept: KeptDownloads, coded: Coded, sheet_rows: xlsx.SheetRows, created, described: IndicatorMetadata, slices
) -> int:
    """One workbook per indicator, made in batches of indicators so that only a batch's XML is in memory;
    an indicator whose rows (its CSV slice's digest) did not change keeps its workbook."""
    (kept.out / "indicators").mkdir(parents=True, exist_ok=True)
    groups, indicators = [], positions_by_value(coded, "indicator_id")
    for key, group in indicators.items():
        rel = f"indicators/{key}.xlsx"
        digest = digest_of(slices[slice_path("indicators", key, {})], "xlsx")
        if kept.fresh(rel, digest):
            kept.link(rel, digest)
        else:
            groups.append((key, group, rel, digest))
    start = 0
    while start < len(groups):
        stop, rows = start, 0
        while stop < len(groups) and (rows == 0 or rows + len(groups[stop][1]) <= WORKBOOK_BATCH_ROWS):
            rows += len(groups[stop][1])
            stop += 1
        batch = groups[start:stop]
        positions = np.concatenate([p for _, p, _, _ in batch])
        numbers = np.concatenate([np.arange(len(p)) + 2 for _, p, _, _ in batch])
        xml = sheet_rows.xml(positions, numbers)
        offset = 0
        for key, group, rel, digest in batch:
            rows_xml = joined_buffer(xml.slice(offset, len(group)))
            info = described.info_rows(key)
            parts = xlsx.workbook_parts(list(coded), rows_xml, len(group), key, created, key, info_rows=info)
            (kept.out / rel).write_bytes(zip_bytes(parts, sort=False, level=WORKBOOK_LEVEL))
            kept.made_file(rel, digest)
            offset += len(group)
        start = stop
    return len(indicators)


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

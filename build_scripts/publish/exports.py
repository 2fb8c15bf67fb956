"""Stage 3b: the downloads: each resource as CSV, Excel-friendly CSV, XLSX and JSON;
the observations as one CSV per indicator, place and source and one XLSX per
indicator; the whole package as a zip. Byte-for-byte reproducible.

The large whole-table files (the JSON, a bulk table's compressed CSV, the whole-table workbook, the
package zip and the compressed database) are written a block of rows at a time (blocks.py): a rebuild
copies the blocks whose rows did not change from the last build's file.
"""

from __future__ import annotations

import datetime
from functools import cached_property, partial
from pathlib import Path

import numpy as np

from ..cache import CODE
from ..config.site import current
from ..data import schema
from ..data.columnar import Coded, joined_buffer, positions_by_value, row_count
from ..data.package import Published, build_descriptor, dump_json
from ..data.typed import TypedColumns
from ..publish import blocks, xlsx
from ..publish.bulk import GZIP_LEVEL, SLICED, is_bulk, open_gzip, resource_files, slice_path, sqlite_file
from ..publish.database import write_parquet_file, write_sqlite
from ..publish.kept_downloads import KeptDownloads, Made, digest_of, shared_digest
from ..publish.standalone import IndicatorMetadata
from ..publish.table_files import JsonRecords, record_spans, write_excel_csv
from ..publish.zips import fixed_zip_time, write_zip, zip_bytes

DEFAULT_LEVEL = -1  # zlib's default level (6)
# The code that writes a block's bytes from its rows: a block of the last build's file is copied only
# if that code is the same (after a change to how a value is written, every block is made again)
WRITERS = blocks.key_of(
    *(
        (CODE / module).read_bytes()
        for module in ("data/typed.py", "data/package.py", "publish/table_files.py", "publish/xlsx.py")
    )
)


def write_downloads(
    out: Path, metadata: dict, published: dict[str, Published], kept_folder: Path | None = None
) -> dict[str, int]:
    """Write every download, from each table as the package publishes it; returns how many files of
    each kind were written. With kept_folder, a file whose inputs did not change since the last build
    is linked from it instead of made again (kept_downloads.py), and a large one whose rows changed is
    made of the last build's blocks where they are unchanged (blocks.py)."""
    out.mkdir(parents=True, exist_ok=True)
    files = {name: table.content for name, table in published.items()}
    zip_time = fixed_zip_time()
    kept = KeptDownloads(kept_folder, out, shared_digest(metadata, files, zip_time))
    everything = digest_of(kept.shared, *(files[r.name] for r in schema.resources()))
    rows = {name: TableRows(table) for name, table in published.items()}
    for table in rows.values():  # before the database's process forks: it and the split CSVs read them
        table.blocks  # noqa: B018 - a cached property, and the row hashes it is cut by

    # first, in a process of its own: the longest to make
    sqlite_rel = sqlite_file(metadata["name"], files)
    last_database = kept.last(sqlite_rel)

    def database(path: Path) -> Made:  # the package as one SQLite file (database.py), compressed if bulk
        keep = Path(kept_folder).parent / "database" if kept_folder else None  # the last build's (kept_database.py)
        plain = path.with_suffix("") if path.suffix == ".gz" else path
        done = write_sqlite(plain, published, keep)
        if path.suffix != ".gz":
            return Made(done)
        stream = blocks.write_file(path, blocks.file_pieces(plain), last_database, GZIP_LEVEL)
        plain.unlink()
        return Made.of(stream, said=done)

    kept.file_beside(sqlite_rel, everything, database)
    bulk = [name for name in files if is_bulk(files, name)]
    created = datetime.datetime(*zip_time)
    counts = {"workbooks": 0, "split CSVs": 0}
    for resource in schema.resources():
        _resource_downloads(kept, resource, published, rows, bulk, created, metadata, counts)

    # a bulk table's CSV is published compressed (bulk.py): the descriptor beside it describes that file;
    # the zip's own descriptor describes the plain CSV files the zip holds
    def descriptor(path: Path) -> None:
        compressed = {name: (out / f"{name}.csv.gz").read_bytes() for name in bulk}
        names = {name: f"{name}.csv.gz" for name in bulk}
        path.write_bytes(dump_json(build_descriptor(metadata, {**files, **compressed}, "", True, names)))

    kept.file("datapackage.json", everything, descriptor)
    zip_rel = f"{metadata['name']}.zip"
    last_zip = kept.last(zip_rel)
    level = GZIP_LEVEL if bulk else DEFAULT_LEVEL  # a bulk package's at the compressed files' level: 3.4 s at L at 6

    def package_zip(path: Path) -> Made:
        plain = dump_json(build_descriptor(metadata, files, "", published=True))
        entries = {"datapackage.json": None} | {f"{r.name}.csv": r.name for r in schema.resources()}

        def build(archive) -> Made:
            streams = []
            for entry in sorted(entries):
                if entries[entry] is None:
                    archive.add(entry, plain, level)
                else:
                    streams.append(archive.add_blocks(entry, rows[entries[entry]].csv_pieces(), last_zip, level))
            return Made.of(*streams)

        return write_zip(path, build)

    kept.file(zip_rel, everything, package_zip)
    counts["database files"] = 1 + len(published)
    kept.finish()
    counts["made again"] = kept.made
    counts["kept"] = kept.linked
    counts["blocks made again"], counts["blocks"] = kept.blocks_made
    counts["slowest"] = kept.slowest()
    return counts


class TableRows:
    """A published table cut into blocks of rows (blocks.row_blocks, by the rows' hashes), each block's
    key, and its rows' bytes in the published file: where each record starts and ends is found when a
    block or a slice is first made (after one changed value, most are kept)."""

    def __init__(self, table: Published):
        self.table = table
        self.header = table.content[: table.content.find(b"\n") + 1]
        self._spans = None

    @cached_property
    def blocks(self) -> list[tuple[int, int]]:
        return blocks.row_blocks(self.table.row_hashes)

    def keys(self, kind: str, numbered: bool = False) -> list[str]:
        """Each block's key for a file of this kind: its rows' hashes, the header (the columns' names),
        whether it ends the table, and with numbered its first row's number (a sheet's rows are numbered)."""
        hashes, rows = self.table.row_hashes, row_count(self.table.coded)
        return [
            blocks.key_of(kind, WRITERS, self.header, hashes[a:b].tobytes(), str(a) if numbered else "", str(b == rows))
            for a, b in self.blocks
        ]

    @property
    def spans(self) -> tuple[bytes, np.ndarray, np.ndarray]:
        """The header, and where each row's record starts and ends (table_files.record_spans)."""
        if self._spans is None:
            self._spans = record_spans(self.table.coded, self.table.content)
        return self._spans

    def csv(self, start: int, stop: int) -> memoryview:
        """The published file's records of rows start to stop."""
        _, starts, ends = self.spans
        return memoryview(self.table.content)[starts[start] : ends[stop - 1]]

    def runs(self, positions: np.ndarray) -> list[memoryview]:
        """The records of the rows at positions (ascending), as views of the file: one a run of consecutive rows."""
        _, starts, ends = self.spans
        breaks = np.flatnonzero(np.diff(positions) != 1)
        firsts, lasts = np.r_[positions[:1], positions[breaks + 1]], np.r_[positions[breaks], positions[-1:]]
        view = memoryview(self.table.content)
        return [view[a:b] for a, b in zip(starts[firsts].tolist(), ends[lasts].tolist())]

    def csv_pieces(self) -> list:
        """The published CSV file as blocks.Piece: its header, then each block's records."""
        header = self.header
        rows = [(key, partial(self.csv, a, b)) for key, (a, b) in zip(self.keys("csv"), self.blocks)]
        return [(blocks.key_of("csv", header), lambda: header), *rows]


def _resource_downloads(
    kept: KeptDownloads, resource, published: dict, rows: dict, bulk: list, created, metadata: dict, counts
) -> None:
    """A resource's whole-table files (bulk.resource_files), and for the sliced one its slices and their
    workbooks; each made, or linked where kept."""
    files = {name: table.content for name, table in published.items()}
    name = resource.name
    content, coded, table_rows = files[name], published[name].coded, rows[name]
    listed = dict(resource_files(name, files, row_count(coded)))
    kinds = {column: resource.field_def(column).type for column in resource.published_fields}
    typed = published[name].typed_by(kinds)
    whole = digest_of(kept.shared, name, content)
    if name in bulk:
        last_csv = kept.last(listed["csv"])
        csv_gz = partial(blocks.write_file, pieces=table_rows.csv_pieces(), last=last_csv, level=GZIP_LEVEL)
        kept.file(listed["csv"], whole, lambda path: Made.of(csv_gz(path)))
    else:
        kept.file(listed["csv"], whole, lambda path: path.write_bytes(content))
    if "excel_csv" in listed:  # not past a spreadsheet's row limit
        kept.file(listed["excel_csv"], whole, lambda path: write_excel_csv(path, content, coded, kinds))

    last_json = kept.last(listed["json"])

    def json_records(path: Path) -> Made:
        pieces = JsonRecords(coded, kinds, typed).pieces(table_rows.blocks, table_rows.keys("json"))
        return Made.of(blocks.write_file(path, pieces, last_json, GZIP_LEVEL if name in bulk else None))

    if name in bulk:  # a bulk table's JSON is the longest after the database: made in a process of its own
        kept.file_beside(listed["json"], whole, json_records)
    else:
        kept.file(listed["json"], whole, json_records)
    kept.file(listed["parquet"], whole, lambda path: write_parquet_file(path, resource, coded, typed))
    sheet_rows = _LazySheetRows(coded, kinds, content, typed)
    if "excel" in listed:  # past Excel's row limit, the workbooks per indicator stand in
        last_workbook = kept.last(listed["excel"])

        def workbook(path: Path) -> Made:
            parts = xlsx.workbook_parts(list(coded), b"", row_count(coded), name, created, name)
            head, tail = xlsx.sheet_ends(list(coded), row_count(coded))
            sheet = [
                (blocks.key_of("xlsx", head), lambda: head),
                *[
                    (key, partial(_sheet_xml, sheet_rows, a, b))
                    for key, (a, b) in zip(table_rows.keys("xlsx", numbered=True), table_rows.blocks)
                ],
                (blocks.key_of("xlsx", tail), lambda: tail),
            ]

            def build(archive) -> Made:
                for part, part_bytes in parts.items():
                    if part != xlsx.SHEET:
                        archive.add(part, part_bytes, WORKBOOK_LEVEL)
                return Made.of(archive.add_blocks(xlsx.SHEET, sheet, last_workbook, WORKBOOK_LEVEL))

            return write_zip(path, build)

        kept.file(listed["excel"], whole, workbook)
        counts["workbooks"] += 1
    if name == SLICED:
        described = IndicatorMetadata(
            metadata, {name: table.coded for name, table in published.items()}, current().languages
        )
        slices = _split_csvs(kept, table_rows, files)
        counts["split CSVs"] = len(slices)
        counts["workbooks"] += _indicator_workbooks(kept, coded, sheet_rows, created, described, slices)
        for indicator_id in described.cited:  # made from the small tables (shared) and the indicator's rows
            kept.file(
                f"indicators/{indicator_id}.csv-metadata.json",
                digest_of(slices[slice_path("indicators", indicator_id, {})], "csvw"),
                lambda path, key=indicator_id: path.write_bytes(dump_json(described.csvw(key))),
            )


class _LazySheetRows:
    """xlsx.SheetRows of the table, made when a workbook is first made (looking at the whole CSV for
    characters XML cannot carry took 1 s at 1.3 million rows, after one changed value too)."""

    def __init__(self, coded: Coded, kinds: dict[str, str], content: bytes, typed: TypedColumns):
        self.coded, self.kinds, self.content, self.typed = coded, kinds, content, typed
        self._made = None

    def xml(self, positions: np.ndarray, row_numbers: np.ndarray):
        if self._made is None:
            strip = xlsx.has_characters_not_in_xml(self.content)
            self._made = xlsx.SheetRows(self.coded, self.kinds, strip, self.typed)
        return self._made.xml(positions, row_numbers)


def _sheet_xml(sheet_rows: _LazySheetRows, start: int, stop: int):
    """The <row> elements of rows start to stop, numbered from start + 2 (the header is row 1)."""
    positions = np.arange(start, stop)
    return memoryview(joined_buffer(sheet_rows.xml(positions, positions + 2)))


SPLITS = {"indicators": "indicator_id", "places": "geo", "sources": "source_id"}  # folder -> column
WRITE_BUFFER = 1 << 20  # bytes: a split file's many slices reach the disk in few writes


def _split_csvs(kept: KeptDownloads, rows: TableRows, files: dict[str, bytes]) -> dict[str, str]:
    """The observations split by indicator, place and source: one CSV each, with the whole file's header,
    quoting and row order: each file is cut from the published file's bytes, a run of rows at a time
    (gzip-compressed where bulk.slice_path says so); a slice whose rows are as the last build's (the hash
    of each row's cells, in order: Published.row_hashes) is linked (kept). Returns each slice's path under
    the downloads and its digest.

    The digest is of the rows' hashes, not of the slice's bytes: hashing the bytes of the place and source
    slices, a row at a time, took 2.9 s at 1.3 million rows after one changed value."""
    table = rows.table
    coded, content, hashes = table.coded, table.content, table.row_hashes
    header = content[: content.find(b"\n") + 1]
    digests = {}
    for folder, column in SPLITS.items():
        (kept.out / folder).mkdir(parents=True, exist_ok=True)
        for key, positions in positions_by_value(coded, column).items():
            name = key.lower() if column == "geo" else key
            rel = slice_path(folder, name, files)
            digests[rel] = digest_of(kept.shared, header, hashes[positions].tobytes())
            kept.file(rel, digests[rel], partial(_write_slice, rows=rows, positions=positions))
    return digests


def _write_slice(path: Path, rows: TableRows, positions: np.ndarray) -> None:
    runs = rows.runs(positions)
    with open_gzip(path) if path.suffix == ".gz" else path.open("wb", buffering=WRITE_BUFFER) as handle:
        handle.write(rows.header)  # then the runs as views of the file: never copied into one body
        handle.writelines(runs)


WORKBOOK_BATCH_ROWS = 50_000
WORKBOOK_LEVEL = 1  # zlib level of the workbooks: 3x faster than 6, files about a quarter larger


def _indicator_workbooks(
    kept: KeptDownloads, coded: Coded, sheet_rows: _LazySheetRows, created, described: IndicatorMetadata, slices
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

"""The writers of the download formats (formats.py names each format's): writer(downloads, format, name)
writes the format's file of the resource or package called name (for a slice scope, the sliced
resource's: every slice), made, or linked where kept (kept_downloads.py). downloads (Downloads) is what
the writers of one build share: the published tables, their rows cut into blocks (TableRows), the kept
files, and where each format's file is.

The large whole-table files (the JSON, a bulk table's compressed CSV, the whole-table workbook, the
package zip and the compressed database) are written a block of rows at a time (blocks.py): a rebuild
copies the blocks whose rows did not change from the last build's file.
"""

from __future__ import annotations

from functools import cached_property, partial
from pathlib import Path

import numpy as np

from ..cache import CODE
from ..config.site import SiteConfig
from ..data import schema
from ..data.columnar import Coded, joined_buffer, positions_by_value, row_count
from ..data.package import Published, build_descriptor, dump_json
from ..data.typed import TypedColumns
from . import blocks, xlsx
from .bulk import GZIP_LEVEL, is_bulk, open_gzip
from .database import write_parquet_file, write_sqlite
from .kept_downloads import KeptDownloads, Made, digest_of
from .standalone import IndicatorMetadata
from .table_files import JsonRecords, record_spans, write_excel_csv
from .zips import write_zip, zip_bytes

DEFAULT_LEVEL = -1  # zlib's default level (6)
# The code that writes a block's bytes from its rows: a block of the last build's file is copied only
# if that code is the same (after a change to how a value is written, every block is made again)
WRITERS = blocks.key_of(
    *(
        (CODE / module).read_bytes()
        for module in ("data/typed.py", "data/package.py", "publish/table_files.py", "publish/xlsx.py")
    )
)
WORKBOOK_BATCH_ROWS = 50_000
WORKBOOK_LEVEL = 1  # zlib level of the workbooks: 3x faster than 6, files about a quarter larger
WRITE_BUFFER = 1 << 20  # bytes: a split file's many slices reach the disk in few writes


class Downloads:
    """What the writers of one build's downloads share (exports.write_downloads makes it)."""

    def __init__(
        self,
        config: SiteConfig,
        kept: KeptDownloads,
        metadata: dict,
        published: dict[str, Published],
        created,
        kept_folder,
        registry,
    ):
        self.config = config  # site.yml: the languages and units the files describe
        self.kept, self.metadata, self.published, self.created = kept, metadata, published, created
        self.registry = registry  # formats.py, which names these writers: passed, so neither imports the other
        self.kept_folder = kept_folder
        self.files = {name: table.content for name, table in published.items()}
        self.bulk = [name for name in self.files if is_bulk(self.files, name)]
        self.rows = {name: TableRows(table) for name, table in published.items()}
        self.everything = digest_of(kept.shared, *(self.files[r.name] for r in schema.resources()))
        self.slices: dict[str, str] = {}  # each slice's path under downloads/ -> its digest
        self.counts = {"workbooks": 0, "split CSVs": 0}
        self._tables: dict[str, Table] = {}

    def path(self, fmt, name: str) -> str:
        """fmt's file for the resource, package or slice called name."""
        return self.registry.path_of(fmt, name, self.files)

    def table_file(self, fmt, name: str, make) -> None:
        """fmt's file of the table called name, made by make(path) from the whole table (linked where kept)."""
        self.kept.file(self.path(fmt, name), self.table(name).whole, make)

    def table(self, name: str) -> Table:
        if name not in self._tables:
            self._tables[name] = Table(self, name)
        return self._tables[name]

    @cached_property
    def described(self) -> IndicatorMetadata:
        coded = {name: table.coded for name, table in self.published.items()}
        return IndicatorMetadata(self.metadata, coded, self.config)


class Table:
    """One published table as its writers read it."""

    def __init__(self, downloads: Downloads, name: str):
        self.name, self.resource = name, schema.resource(name)
        table = downloads.published[name]
        self.content, self.coded, self.rows = table.content, table.coded, downloads.rows[name]
        self.kinds = {column: self.resource.field_def(column).type for column in self.resource.published_fields}
        self.bulk = name in downloads.bulk
        self.whole = digest_of(downloads.kept.shared, name, self.content)  # what each of its files is made of
        self.typed = table.typed_by(self.kinds)  # before a writer's process forks: the others read it too

    @cached_property
    def sheet_rows(self) -> _LazySheetRows:
        return _LazySheetRows(self.coded, self.kinds, self.content, self.typed)


# the writers of a resource's whole-table files


def csv(d: Downloads, fmt, name: str) -> None:
    """The published CSV as it is; a bulk table's compressed a block of rows at a time."""
    table = d.table(name)
    if table.bulk:
        last = d.kept.last(d.path(fmt, name))
        write = partial(blocks.write_file, pieces=table.rows.csv_pieces(), last=last, level=GZIP_LEVEL)
        d.table_file(fmt, name, lambda path: Made.of(write(path)))
    else:
        d.table_file(fmt, name, lambda path: path.write_bytes(table.content))


def excel_csv(d: Downloads, fmt, name: str) -> None:
    table = d.table(name)
    d.table_file(fmt, name, lambda path: write_excel_csv(path, table.content, table.coded, table.kinds))


def json_records(d: Downloads, fmt, name: str) -> None:
    """The typed JSON records; a bulk table's compressed, in a process of its own (the longest after the database)."""
    table, rel = d.table(name), d.path(fmt, name)
    last = d.kept.last(rel)

    def write(path: Path) -> Made:
        pieces = JsonRecords(table.coded, table.kinds, table.typed).pieces(table.rows.blocks, table.rows.keys("json"))
        return Made.of(blocks.write_file(path, pieces, last, GZIP_LEVEL if table.bulk else None))

    (d.kept.file_beside if table.bulk else d.kept.file)(rel, table.whole, write)


def parquet(d: Downloads, fmt, name: str) -> None:
    table = d.table(name)
    d.table_file(fmt, name, lambda path: write_parquet_file(path, table.resource, table.coded, table.typed))


def workbook(d: Downloads, fmt, name: str) -> None:
    """The whole table as one workbook, its sheet a block of rows at a time."""
    table, rel = d.table(name), d.path(fmt, name)
    coded, rows = table.coded, row_count(table.coded)
    last = d.kept.last(rel)

    def write(path: Path) -> Made:
        parts = xlsx.workbook_parts(list(coded), b"", rows, name, d.created, name)
        head, tail = xlsx.sheet_ends(list(coded), rows)
        sheet = [
            (blocks.key_of("xlsx", head), lambda: head),
            *[
                (key, partial(_sheet_xml, table.sheet_rows, a, b))
                for key, (a, b) in zip(table.rows.keys("xlsx", numbered=True), table.rows.blocks)
            ],
            (blocks.key_of("xlsx", tail), lambda: tail),
        ]

        def build(archive) -> Made:
            for part, part_bytes in parts.items():
                if part != xlsx.SHEET:
                    archive.add(part, part_bytes, WORKBOOK_LEVEL)
            return Made.of(archive.add_blocks(xlsx.SHEET, sheet, last, WORKBOOK_LEVEL))

        return write_zip(path, build)

    d.table_file(fmt, name, write)
    d.counts["workbooks"] += 1


# the writers of the whole package's files


def database(d: Downloads, fmt, name: str) -> None:
    """The package as one SQLite file (database.py), compressed if bulk, in a process of its own (the
    longest to make)."""
    rel = d.path(fmt, name)
    last = d.kept.last(rel)
    kept_folder = d.kept_folder

    def write(path: Path) -> Made:
        keep = Path(kept_folder).parent / "database" if kept_folder else None  # the last build's (kept_database.py)
        plain = path.with_suffix("") if path.suffix == ".gz" else path
        done = write_sqlite(plain, d.published, keep)
        if path.suffix != ".gz":
            return Made(done)
        stream = blocks.write_file(path, blocks.file_pieces(plain), last, GZIP_LEVEL)
        plain.unlink()
        return Made.of(stream, said=done)

    d.kept.file_beside(rel, d.everything, write)
    d.counts["database files"] = 1 + len(d.published)


def descriptor(d: Downloads, fmt, name: str) -> None:
    """The descriptor beside the files: a bulk table's CSV is published compressed (bulk.py), and the
    descriptor describes that file (the zip's own describes the plain CSV files the zip holds)."""

    def write(path: Path) -> None:
        csv_format = d.registry.find(d.registry.RESOURCE, "csv")
        names = {table: d.path(csv_format, table) for table in d.bulk}
        compressed = {table: (d.kept.out / names[table]).read_bytes() for table in d.bulk}
        path.write_bytes(dump_json(build_descriptor(d.config, d.metadata, {**d.files, **compressed}, "", True, names)))

    d.kept.file(d.path(fmt, name), d.everything, write)


def package_zip(d: Downloads, fmt, name: str) -> None:
    """The Frictionless package as a zip: its descriptor and every table's CSV, a block of rows at a time;
    a bulk package's at the compressed files' level (at 6 it took 3.4 s at L)."""
    rel = d.path(fmt, name)
    last = d.kept.last(rel)
    level = GZIP_LEVEL if d.bulk else DEFAULT_LEVEL

    def write(path: Path) -> Made:
        plain = dump_json(build_descriptor(d.config, d.metadata, d.files, "", published=True))
        entries = {"datapackage.json": None} | {f"{r.name}.csv": r.name for r in schema.resources()}

        def build(archive) -> Made:
            streams = []
            for entry in sorted(entries):
                if entries[entry] is None:
                    archive.add(entry, plain, level)
                else:
                    streams.append(archive.add_blocks(entry, d.rows[entries[entry]].csv_pieces(), last, level))
            return Made.of(*streams)

        return write_zip(path, build)

    d.kept.file(rel, d.everything, write)


# the writers of the slices of the observations (by indicator, place and source)


def slices(d: Downloads, fmt, name: str) -> None:
    """The observations' rows of each value of the scope's column, one CSV each: _split_csvs."""
    column = d.registry.SLICE_COLUMNS[fmt.scope]
    written = _split_csvs(d.kept, d.rows[name], {fmt.scope: column}, lambda _, key: d.path(fmt, key))
    d.slices.update(written)
    d.counts["split CSVs"] += len(written)


def indicator_workbooks(d: Downloads, fmt, name: str) -> None:
    """One workbook per indicator (after its CSV slices: a workbook is kept while its CSV is)."""
    table = d.table(name)
    d.counts["workbooks"] += _indicator_workbooks(d, fmt, table)


def csvw(d: Downloads, fmt, name: str) -> None:
    """Each indicator's CSVW metadata, beside its CSV: made from the small tables (shared) and its rows."""
    for indicator_id in d.described.cited:
        d.kept.file(
            d.path(fmt, indicator_id),
            digest_of(d.slices[d.path(d.registry.slice_csv(fmt.scope), indicator_id)], "csvw"),
            lambda path, key=indicator_id: path.write_bytes(dump_json(d.described.csvw(key))),
        )


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


def _split_csvs(kept: KeptDownloads, rows: TableRows, splits: dict[str, str], path_of) -> dict[str, str]:
    """The observations split by each column of splits (folder -> column): one CSV each, with the whole
    file's header, quoting and row order: each file is cut from the published file's bytes, a run of
    rows at a time (gzip-compressed where its path ends .gz); a slice whose rows are as the last build's
    (the hash of each row's cells, in order: Published.row_hashes) is linked (kept). Returns each slice's
    path under the downloads (path_of(folder, key)) and its digest.

    The digest is of the rows' hashes, not of the slice's bytes: hashing the bytes of the place and source
    slices, a row at a time, took 2.9 s at 1.3 million rows after one changed value."""
    table = rows.table
    coded, content, hashes = table.coded, table.content, table.row_hashes
    header = content[: content.find(b"\n") + 1]
    digests = {}
    for folder, column in splits.items():
        (kept.out / folder).mkdir(parents=True, exist_ok=True)
        for key, positions in positions_by_value(coded, column).items():
            rel = path_of(folder, key.lower() if column == "geo" else key)
            digests[rel] = digest_of(kept.shared, header, hashes[positions].tobytes())
            kept.file(rel, digests[rel], partial(_write_slice, rows=rows, positions=positions))
    return digests


def _write_slice(path: Path, rows: TableRows, positions: np.ndarray) -> None:
    runs = rows.runs(positions)
    with open_gzip(path) if path.suffix == ".gz" else path.open("wb", buffering=WRITE_BUFFER) as handle:
        handle.write(rows.header)  # then the runs as views of the file: never copied into one body
        handle.writelines(runs)


def _indicator_workbooks(d: Downloads, fmt, table: Table) -> int:
    """One workbook per indicator, made in batches of indicators so that only a batch's XML is in memory;
    an indicator whose rows (its CSV slice's digest) did not change keeps its workbook."""
    kept, coded, described = d.kept, table.coded, d.described
    (kept.out / fmt.scope).mkdir(parents=True, exist_ok=True)
    groups, indicators = [], positions_by_value(coded, "indicator_id")
    for key, group in indicators.items():
        rel = d.path(fmt, key)
        digest = digest_of(d.slices[d.path(d.registry.slice_csv(fmt.scope), key)], "xlsx")
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
        xml = table.sheet_rows.xml(positions, numbers)
        offset = 0
        for key, group, rel, digest in batch:
            rows_xml = joined_buffer(xml.slice(offset, len(group)))
            info = described.info_rows(key)
            parts = xlsx.workbook_parts(list(coded), rows_xml, len(group), key, d.created, key, info_rows=info)
            (kept.out / rel).write_bytes(zip_bytes(parts, sort=False, level=WORKBOOK_LEVEL))
            kept.made_file(rel, digest)
            offset += len(group)
        start = stop
    return len(indicators)

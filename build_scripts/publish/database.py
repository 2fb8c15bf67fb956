"""Stage 3b: the package as databases: one SQLite file of every resource, and a Parquet file per resource.

Both are made from the tables as the package publishes them (Published.coded), in the published files'
row order: each column's distinct values as typed.py typed them once for every file (a number, a whole
number, a truth value, a date, or nothing for an empty cell), which the rows take by their codes.
Everything about a column, its type, whether it is required, the keys, comes from schema.py.

The same data give the same bytes (with the same SQLite and pyarrow): the database is made in a scratch
file, with a page size set by its size (page_size) and no journal, and copied compact into a fresh file
by VACUUM INTO; the Parquet files are written with one compression and no pandas metadata.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq

from ..data import schema
from ..data.columnar import Coded, row_count
from ..data.package import Published
from ..data.schema import Resource
from ..data.typed import ARROW_TYPES, TypedColumns
from .bulk import BULK_CSV_BYTES
from .kept_database import KeptDatabase

# A date is declared DATE and stored as its ISO text (SQLite has no date storage class): DuckDB's SQLite
# reader types the column DATE, Python's sqlite3 (detect_types) and pandas read datetime.date, and the
# CHECK keeps any other text out. DATE's affinity (NUMERIC) leaves ISO text as text.
SQL_TYPES = {"string": "TEXT", "number": "REAL", "integer": "INTEGER", "boolean": "INTEGER", "date": "DATE"}
PAGE_SIZE, BULK_PAGE_SIZE = 4096, 16384  # bytes of a database page: SQLite's default, and a bulk one's
INSERT_ROWS = 50_000  # rows made into Python tuples and inserted at a time
PARQUET_COMPRESSION = "zstd"
PARQUET_LEVEL = 3  # at L: 0.57 s and 6.0 MB where 6 took 0.98 s for 5.7 MB
ROW_GROUP_ROWS = 1 << 17  # rows of a Parquet row group, taken from the codes at a time (DuckDB's size)


def sql_values(values: pa.Array) -> list:
    """A typed column's values as SQLite stores them: a date as its ISO text, None for an empty cell."""
    return (values.cast(pa.string()) if pa.types.is_date(values.type) else values).to_pylist()


def typed_tables(published: dict[str, Published]) -> dict[str, TypedColumns]:
    """Each table's typed columns (Published.typed_by)."""
    return {
        r.name: published[r.name].typed_by({c: r.field_def(c).type for c in published[r.name].coded})
        for r in schema.resources()
    }


def page_size(published: dict[str, Published]) -> int:
    """SQLite's default page unless a table is bulk (bulk.py): then four times as large, which VACUUM
    INTO writes with a quarter of the calls (the L database: 0.84 -> 0.51 s, the file 1 % smaller and
    its deflated blocks 0.5 % larger; at 64 KiB, 0.40 s but 18 % larger deflated). A small database
    keeps small pages: each table and index takes at least one."""
    return BULK_PAGE_SIZE if any(len(table.content) > BULK_CSV_BYTES for table in published.values()) else PAGE_SIZE


def write_sqlite(path: Path, published: dict[str, Published], keep: Path | None = None) -> str:
    """One SQLite database of the package: a table per resource, typed, with its keys; a fresh file.
    With keep, made from the last build's where only rows changed (kept_database.py). Returns what was
    done: 'made', or 'updated N rows'."""
    scratch = path.with_name(path.name + ".partial")
    for stale in (path, scratch):
        stale.unlink(missing_ok=True)
    statements = [create_table(r, list(published[r.name].coded)) for r in schema.resources()]
    typed = typed_tables(published)
    indexes = foreign_key_indexes(schema.resources())
    page = page_size(published)
    kept = changed = None
    if keep is not None:
        key = hashlib.sha256(
            json.dumps([statements, indexes, sqlite3.sqlite_version, page]).encode("utf-8")
            + Path(__file__).read_bytes()
            + (Path(__file__).parent / "kept_database.py").read_bytes()  # how its rows' digests are made
            + (Path(__file__).parents[1] / "data" / "typed.py").read_bytes()  # how its values are typed
        ).hexdigest()
        kept = KeptDatabase(keep, key, published)
        changed = kept.changed_rows()
    if changed is not None:  # the kept scratch file is updated in place: it is kept again only at the end
        kept.forget_state()
        scratch = kept.scratch
    connection = sqlite3.connect(scratch, isolation_level=None)
    kept_now = False
    try:
        for pragma in (f"page_size = {page}", "journal_mode = OFF", "synchronous = OFF"):
            connection.execute(f"PRAGMA {pragma}")
        connection.execute("BEGIN")
        if changed is None:
            for resource, statement in zip(schema.resources(), statements):
                connection.execute(statement)
                _insert(connection, resource.name, published[resource.name].coded, typed[resource.name])
            for statement in indexes:
                connection.execute(statement)
        else:
            for resource in schema.resources():
                _update(connection, resource, typed[resource.name], changed[resource.name])
        connection.execute("COMMIT")
        connection.execute("VACUUM INTO ?", (str(path),))
        connection.close()  # before the scratch file is kept (again in finally, where it does nothing)
        if kept is not None:
            kept.keep(scratch)
            kept_now = True
    finally:
        connection.close()
        if not kept_now:  # a build that failed leaves no scratch file (an updated one has no state left)
            scratch.unlink(missing_ok=True)
    return "made" if changed is None else f"updated {sum(len(rows) for rows in changed.values())} rows"


def quoted(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def comment(text: str) -> str:
    """text as an SQL comment to the end of its line (SQLite keeps it in the table's CREATE statement)."""
    return " -- " + " ".join(text.replace("\0", " ").split())


def create_table(resource: Resource, columns: list[str]) -> str:
    """CREATE TABLE with the resource's types, NOT NULL where a field is required, its primary key and
    its references; each column's description as a comment, which SQLite keeps."""
    lines = []
    for column in columns:
        kind = resource.field_def(column).type
        line = f"{quoted(column)} {SQL_TYPES[kind]}"
        if resource.is_required(column):
            line += " NOT NULL"
        if kind == "boolean":
            line += f" CHECK ({quoted(column)} IN (0, 1))"
        if kind == "date":
            line += f" CHECK (date({quoted(column)}, '+0 days') IS {quoted(column)})"  # a real day, ISO text
        lines.append((line, comment(resource.field_def(column).description_en)))
    lines.append((f"PRIMARY KEY ({', '.join(quoted(c) for c in resource.primary_key)})", ""))
    for column, other, other_column in resource.foreign_keys:
        lines.append((f"FOREIGN KEY ({quoted(column)}) REFERENCES {quoted(other)} ({quoted(other_column)})", ""))
    body = "\n".join(
        f"  {line}{',' if index < len(lines) - 1 else ''}{note}" for index, (line, note) in enumerate(lines)
    )
    description = comment(resource.description)
    return f"CREATE TABLE {quoted(resource.name)} ({description}\n{body}\n)"


def foreign_key_indexes(resources) -> list[str]:
    """An index on each referencing column that does not lead its table's primary key (whose own index
    serves the joins on it)."""
    statements = []
    for resource in resources:
        for column, _, _ in resource.foreign_keys:
            if resource.primary_key[0] != column:
                name = quoted(f"idx_{resource.name}_{column}")
                statements.append(f"CREATE INDEX {name} ON {quoted(resource.name)} ({quoted(column)})")
    return statements


def _insert(connection: sqlite3.Connection, table: str, coded: Coded, typed_columns: TypedColumns) -> None:
    """The rows in file order, INSERT_ROWS at a time, each column taken from its typed distinct values."""
    typed = []
    for column, (codes, _) in coded.items():
        values = np.empty(len(typed_columns[column]), dtype=object)
        values[:] = sql_values(typed_columns[column])
        typed.append((codes, values))
    marks = ", ".join("?" * len(coded))
    statement = f"INSERT INTO {quoted(table)} VALUES ({marks})"
    rows = row_count(coded)
    for start in range(0, rows, INSERT_ROWS):
        stop = min(start + INSERT_ROWS, rows)
        connection.executemany(statement, zip(*(values[codes[start:stop]].tolist() for codes, values in typed)))


def _update(connection: sqlite3.Connection, resource: Resource, typed: TypedColumns, positions: list[int]) -> None:
    """The rows at these positions (0-based, in file order) written over the rows they replace: a row's
    rowid is its row number, as _insert numbered them."""
    columns = list(typed.coded)
    statement = (
        f"UPDATE {quoted(resource.name)} SET ({', '.join(quoted(c) for c in columns)}) = "
        f"({', '.join('?' * len(columns))}) WHERE rowid = ?"
    )
    for position in positions:
        row = [sql_values(typed[column].take([typed.coded[column][0][position]]))[0] for column in columns]
        connection.execute(statement, (*row, position + 1))


def write_parquet_file(path: Path, resource: Resource, coded: Coded, typed: TypedColumns | None = None) -> None:
    """One resource as Parquet: typed Arrow columns, nulls for empty cells, each field's description in
    its metadata; written a row group at a time, so that no whole column of text is made."""
    table_schema, values = arrow_columns(resource, coded, typed)
    rows = row_count(coded)
    with pq.ParquetWriter(
        path, table_schema, compression=PARQUET_COMPRESSION, compression_level=PARQUET_LEVEL
    ) as writer:
        for start in range(0, max(rows, 1), ROW_GROUP_ROWS):
            taken = [pa.array(codes[start : start + ROW_GROUP_ROWS]) for codes, _ in coded.values()]
            writer.write_table(pa.Table.from_arrays([v.take(t) for v, t in zip(values, taken)], schema=table_schema))


def arrow_columns(
    resource: Resource, coded: Coded, typed: TypedColumns | None = None
) -> tuple[pa.Schema, list[pa.Array]]:
    """The table's Arrow schema (each field's type, nullability and description), and each column's
    distinct values as an array of that type (typed.py's)."""
    typed = typed if typed is not None else TypedColumns(coded, {c: resource.field_def(c).type for c in coded})
    fields, values = [], []
    for column in coded:
        field = resource.field_def(column)
        values.append(typed[column])
        description = {"description": field.description_en}
        fields.append(pa.field(column, ARROW_TYPES[field.type], not resource.is_required(column), description))
    described = {"description": resource.description}
    return pa.schema(fields, metadata=described), values

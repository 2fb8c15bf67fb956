"""One typed value, exact in every file: every number of every download and API document is the
CSV's decimal, compared as decimal.Decimal (a float comparison would take 79.950000000000003 for 79.95).

The truth is the package's published CSV (downloads/<table>.csv, which is checked against the data
folder's own files first). Each other file is read back as a reader reads it: the text formats (JSON,
the API, the workbooks' XML, the CSV copies and slices) by their number's text, which must be the
CSV's decimal in its shortest form; the binary ones (SQLite, Parquet) by the double they hold, whose
shortest text (repr, what every reader prints) must be the CSV's decimal, so the double is the one
nearest to it. Every number a file holds is accounted for: a cell of a table, a count of rows, a
file's size; anything else fails. Run on this portal, both examples and a synthetic portal.
"""

from __future__ import annotations

import csv
import datetime
import gzip
import io
import json
import shutil
import sqlite3
import xml.etree.ElementTree as ElementTree
import zipfile
from collections import Counter
from decimal import Decimal
from pathlib import Path

import numpy as np
import pyarrow.parquet as pq
import pytest
from conftest import DATA, EXAMPLE_NAMES, EXAMPLES, run_cli

SHEET_NS = {"x": "http://schemas.openxmlformats.org/spreadsheetml/2006/main"}
DAY_ZERO = datetime.date(1899, 12, 30)  # a spreadsheet's day 0
SLICES = {"indicators": "indicator_id", "places": "geo", "sources": "source_id"}


# ------------------------------------------------------------------------------ the portals, built


@pytest.fixture(scope="module")
def this_portal(built_site) -> tuple[Path, Path]:
    return DATA, built_site


@pytest.fixture(scope="module", params=EXAMPLE_NAMES)
def example_portal(request, built_example) -> tuple[Path, Path]:
    return EXAMPLES / request.param / "data", built_example(request.param)


@pytest.fixture(scope="module")
def synthetic_portal(tmp_path_factory) -> tuple[Path, Path]:
    from build_scripts.data.synth import write_synthetic
    from build_scripts.pipeline import build_site

    out = tmp_path_factory.mktemp("synthetic")
    data, _ = write_synthetic(out, indicators=6, places=4, periods=4)
    build_site(data, out / "site", work=out / "work")
    return data, out / "site"


# ------------------------------------------------------------------------------ what a number is


class Number(str):
    """A JSON number as its text, and whether JSON wrote it as an integer."""

    integer = False


class Integer(Number):
    integer = True


def read_json(raw: bytes):
    return json.loads(raw, parse_float=Number, parse_int=Integer)


def is_shortest(text: str) -> bool:
    """No digit the value does not need: 79.95, 100, 100.0 or 1e+18, never 79.950 or 79.950000000000003
    (that one is not the CSV's decimal either: Decimal compares it so)."""
    mantissa = text.lower().split("e")[0]
    return "." not in mantissa or not mantissa.endswith("0") or mantissa.endswith(".0")


class Truth:
    """The published tables, as text: each row by its primary key, each field's type."""

    def __init__(self, site: Path):
        self.downloads = site / "downloads"
        self.descriptor = json.loads((self.downloads / "datapackage.json").read_bytes())
        self.types, self.rows, self.keys = {}, {}, {}
        for resource in self.descriptor["resources"]:
            name, schema = resource["name"], resource["schema"]
            self.types[name] = {f["name"]: f["type"] for f in schema["fields"]}
            self.keys[name] = schema["primaryKey"]
            records = list(csv.DictReader(io.StringIO(opened(self.downloads / resource["path"]).decode("utf-8"))))
            self.rows[name] = {self.key(name, row): row for row in records}
            assert len(self.rows[name]) == len(records), f"{name}: duplicate keys"

    def key(self, table: str, row: dict) -> tuple:
        return tuple(str(row[column]) for column in self.keys[table])

    def numeric(self, table: str) -> list[str]:
        return [c for c, kind in self.types[table].items() if kind in ("number", "integer")]


def opened(path: Path) -> bytes:
    raw = path.read_bytes()
    return gzip.decompress(raw) if path.suffix == ".gz" else raw


class Check:
    """Every cell a file gives back, compared with the published CSV's; counts what was compared."""

    def __init__(self, truth: Truth):
        self.truth = truth
        self.numbers = Counter()  # kind of file -> numbers compared
        self.problems: list[str] = []

    def fail(self, where: str, message: str) -> None:
        if len(self.problems) < 40:
            self.problems.append(f"{where}: {message}")

    def number(self, where: str, kind: str, written: str, expected: str, integer: bool | None = None) -> None:
        """A number written as text (JSON, XML, CSV), against the CSV's text."""
        self.numbers[where.split(" ")[0].split("/")[0]] += 1
        if Decimal(written) != Decimal(expected) or not is_shortest(written):
            self.fail(where, f"{written} where the CSV has {expected}")
        elif kind == "integer" and integer is False:
            self.fail(where, f"{written} is not written as an integer")

    def double(self, where: str, kind: str, value, expected: str) -> None:
        """A number a binary file holds (a double or an integer), against the CSV's text."""
        self.numbers[where.split(" ")[0]] += 1
        if kind == "integer" and type(value) is not int:
            self.fail(where, f"{value!r} is not an integer")
        elif type(value) not in (int, float) or Decimal(repr(value)) != Decimal(expected):
            self.fail(where, f"{value!r} where the CSV has {expected}")

    def row(self, where: str, table: str, got: dict, compare, text_of=str, columns=None) -> None:
        """got: the file's row (column -> what it holds; a missing column is an empty cell); text_of:
        the text of what a key column holds; columns: those the file has, if not every column."""
        cells = {c: "" if got.get(c) is None else text_of(got[c]) for c in self.truth.keys[table]}
        key = self.truth.key(table, cells)
        expected = self.truth.rows[table].get(key)
        if expected is None:
            self.fail(where, f"a row {key} that {table}.csv does not have")
            return
        for column, kind in self.truth.types[table].items():
            if columns is None or column in columns:
                compare(f"{where} {key} {column}", kind, got.get(column), expected[column])


# ------------------------------------------------------------------------------ each kind of file


def check_csv(check: Check, rel: str, table: str, raw: bytes) -> int:
    """A CSV copy (the Excel one, a slice, the zip's): every number cell is the CSV's, as text."""
    text = raw.decode("utf-8-sig").replace("\r\n", "\n")
    rows = list(csv.DictReader(io.StringIO(text)))

    def compare(where, kind, got, expected):
        if kind in ("number", "integer") and got != "":
            check.number(where, kind, got, expected)
        elif got.removeprefix("'") != expected and got != expected:  # the Excel copy guards formulas
            check.fail(where, f"{got!r} where the CSV has {expected!r}")

    for row in rows:
        check.row(rel, table, row, compare)
    return len(rows)


def comparer(check: Check, numbers):
    """How a file's typed cell is compared with the CSV's text; numbers(where, kind, got, expected)
    compares a number."""

    def compare(where, kind, got, expected):
        if expected == "" or got is None:
            if got is not None or expected != "":
                check.fail(where, f"{got!r} where the CSV has {expected!r}")
        elif kind in ("number", "integer"):
            numbers(where, kind, got, expected)
        elif kind == "boolean":  # JSON's and Parquet's true or false, SQLite's 1 or 0
            if type(got) not in (bool, int) or got not in (0, 1) or bool(got) != (expected == "true"):
                check.fail(where, f"{got!r} where the CSV has {expected}")
        elif str(got) != expected:  # a text, or a date: Parquet's date, its ISO text elsewhere
            check.fail(where, f"{got!r} where the CSV has {expected!r}")

    return compare


def compare_json(check: Check):
    def number(where, kind, got, expected):
        if not isinstance(got, Number):
            check.fail(where, f"{got!r} is not a JSON number")
        else:
            check.number(where, kind, got, expected, got.integer)

    return comparer(check, number)


def check_json_records(check: Check, rel: str, table: str, raw: bytes) -> int:
    records = read_json(raw)
    assert len(records) == len(check.truth.rows[table]), rel
    for record in records:
        check.row(rel, table, record, compare_json(check))
    return len(records)


def check_sqlite(check: Check, path: Path) -> None:
    raw = opened(path)
    plain = path.with_name(path.name + ".read.sqlite")
    plain.write_bytes(raw)
    try:
        connection = sqlite3.connect(plain)
        for table in check.truth.types:
            cursor = connection.execute(f'SELECT * FROM "{table}" ORDER BY rowid')
            columns = [d[0] for d in cursor.description]
            rows = cursor.fetchall()
            assert len(rows) == len(check.truth.rows[table]), table
            for values in rows:
                check.row(f"sqlite {table}", table, dict(zip(columns, values)), compare_binary(check))
    finally:
        connection.close()
        plain.unlink()


def compare_binary(check: Check):
    return comparer(check, check.double)


def check_parquet(check: Check, path: Path, table: str) -> None:
    rows = pq.read_table(path).to_pylist()
    assert len(rows) == len(check.truth.rows[table]), path.name
    for row in rows:
        check.row(f"parquet {table}", table, row, compare_binary(check))


def sheet_rows(raw: bytes) -> list[dict]:
    """The first sheet's rows under the header as column -> (the cell's type and style, its text)."""
    with zipfile.ZipFile(io.BytesIO(raw)) as workbook:
        sheet = ElementTree.fromstring(workbook.read("xl/worksheets/sheet1.xml"))
        for part in workbook.namelist():  # the info sheet holds texts only
            if part.startswith("xl/worksheets/") and part != "xl/worksheets/sheet1.xml":
                info = ElementTree.fromstring(workbook.read(part))
                assert not info.findall(".//x:v", SHEET_NS), f"{part} holds a number"
    rows = sheet.findall(".//x:sheetData/x:row", SHEET_NS)

    def cells(row) -> dict:
        out = {}
        for cell in row.findall("x:c", SHEET_NS):
            letters = "".join(ch for ch in cell.get("r") if ch.isalpha())
            value = cell.find("x:v", SHEET_NS)
            text = value.text if value is not None else "".join(cell.itertext())
            out[letters] = (cell.get("t"), cell.get("s"), text)
        return out

    header = {letters: text for letters, (_, _, text) in cells(rows[0]).items()}
    return [{header[letters]: cell for letters, cell in cells(row).items()} for row in rows[1:]]


def check_workbook(check: Check, rel: str, table: str, raw: bytes) -> int:
    rows = sheet_rows(raw)

    def compare(where, kind, got, expected):
        if expected == "" or got is None:
            if got is not None or expected != "":
                check.fail(where, f"{got!r} where the CSV has {expected!r}")
            return
        cell_type, style, text = got
        if kind in ("number", "integer"):
            if cell_type is not None:
                check.fail(where, f"a cell of type {cell_type}, not a number")
            check.number(where, kind, text, expected, "." not in text and "e" not in text.lower())
        elif kind == "boolean":
            if (cell_type, text) != ("b", "1" if expected == "true" else "0"):
                check.fail(where, f"{got!r} where the CSV has {expected}")
        elif kind == "date":
            check.numbers[rel.split("/")[0]] += 1
            day = DAY_ZERO + datetime.timedelta(days=int(text))
            if style != "2" or day.isoformat() != expected:
                check.fail(where, f"day {text} ({day}) where the CSV has {expected}")
        elif text != expected:
            check.fail(where, f"{text!r} where the CSV has {expected!r}")

    for row in rows:
        check.row(rel, table, row, compare, text_of=lambda cell: cell[2])
    return len(rows)


def numbers_in(value, path=()):
    """(path of keys, number) of every JSON number in a document."""
    if isinstance(value, Number):
        yield path, value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from numbers_in(item, (*path, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from numbers_in(item, (*path, index))


def check_api(check: Check, api: Path) -> None:
    """Every API document: an indicator's observations are the CSV's rows; a count is the CSV's count."""
    truth = check.truth
    observations = list(truth.rows["observations"].values())
    per = {column: Counter(row[column] for row in observations) for column in ("indicator_id", "geo", "source_id")}
    per_place = Counter((row["geo"], row["indicator_id"]) for row in observations)
    for path in sorted(api.rglob("*.json")):
        rel = f"api/{path.relative_to(api)}"
        document = read_json(path.read_bytes())
        for where, number in numbers_in(document):
            if where[:1] == ("observations",) and len(where) == 3:  # a row of values under "columns"
                continue
            if where == ("api_version",):
                continue
            if where[-1] == "observations":  # a count of rows: of an indicator, a place's indicator, a source
                check.numbers["api counts"] += 1
                if where[0] == "indicators" and path.name == "indicators.json":
                    expected = per["indicator_id"][document["indicators"][where[1]]["indicator_id"]]
                elif where[0] == "sources":
                    expected = per["source_id"][document["sources"][where[1]]["source_id"]]
                elif where[0] == "indicators" and "place" in document:
                    indicator = document["indicators"][where[1]]["indicator_id"]
                    geo = document["place"]["geo"]
                    expected = per_place[geo, indicator]
                else:
                    expected = None
                if expected is None or int(number) != expected:
                    check.fail(f"{rel} {'/'.join(map(str, where))}", f"{number} rows where the CSV has {expected}")
                continue
            check.fail(f"{rel} {'/'.join(map(str, where))}", f"{number}: a number that is no cell or count")
        if "columns" in document:
            for values in document["observations"]:
                row = dict(zip(document["columns"], values))
                check.row(rel, "observations", row, compare_json(check), columns=document["columns"])


def check_descriptor_numbers(check: Check, rel: str, raw: bytes, sizes: dict[str, int]) -> None:
    """A descriptor's numbers: each resource's size in bytes, and the schema's own constraints."""
    descriptor = read_json(raw)
    for where, number in numbers_in(descriptor):
        if where[-1] == "bytes":
            resource = descriptor["resources"][where[1]]
            if int(number) != sizes[resource["path"]]:
                check.fail(f"{rel} {resource['path']}", f"bytes {number}, the file has {sizes[resource['path']]}")
        elif "constraints" not in where:
            check.fail(f"{rel} {'/'.join(map(str, where))}", f"{number}: a number that is no size or constraint")


def check_portal(data: Path, site: Path) -> Check:
    truth = Truth(site)
    check = Check(truth)
    downloads = site / "downloads"
    for table, types in truth.types.items():  # the published CSV is the data folder's cells
        with (data / f"{table}.csv").open(encoding="utf-8-sig", newline="") as handle:
            own = list(csv.DictReader(handle))
        assert len(own) == len(truth.rows[table]), table
        for row in own:
            published = truth.rows[table][truth.key(table, row)]
            for column in truth.numeric(table):
                if row.get(column, "").strip():
                    check.number(f"data {table}.csv {column}", types[column], published[column], row[column])
    claimed = set()
    package = truth.descriptor["name"]
    observations = truth.rows["observations"].values()
    slice_rows = {folder: Counter(row[column].lower() for row in observations) for folder, column in SLICES.items()}
    for path in sorted(p for p in downloads.rglob("*") if p.is_file()):
        rel = str(path.relative_to(downloads))
        plain = rel.removesuffix(".gz")
        stem = plain.split("/")[-1].split(".")[0]
        folder = plain.split("/")[0] if "/" in plain else ""
        table = "observations" if folder in SLICES else stem
        if plain.endswith(".csv-metadata.json"):  # CSVW: what the slice is, no figure of it
            for where, number in numbers_in(read_json(path.read_bytes())):
                check.fail(f"{rel} {'/'.join(map(str, where))}", f"{number}: CSVW metadata holds a number")
        elif plain == "datapackage.json":
            sizes = {r["path"]: (downloads / r["path"]).stat().st_size for r in truth.descriptor["resources"]}
            check_descriptor_numbers(check, rel, path.read_bytes(), sizes)
        elif plain.endswith(".csv") and table in truth.types:
            rows = check_csv(check, rel, table, opened(path))
            if (
                folder
            ):  # a slice holds every row of its indicator, place or source (a place's file: its code in lowercase)
                assert rows == slice_rows[folder][stem], rel
        elif plain.endswith(".json") and table in truth.types:
            check_json_records(check, rel, table, opened(path))
        elif plain.endswith(".xlsx") and table in truth.types:
            rows = check_workbook(check, rel, table, path.read_bytes())
            if not folder:
                assert rows == len(truth.rows[table]), rel
        elif plain.endswith(".parquet") and table in truth.types:
            check_parquet(check, path, table)
        elif plain == f"{package}.sqlite":
            check_sqlite(check, path)
        elif plain == f"{package}.zip":
            with zipfile.ZipFile(path) as archive:
                for member in archive.namelist():
                    if member == "datapackage.json":
                        sizes = {f"{t}.csv": len(archive.read(f"{t}.csv")) for t in truth.types}
                        check_descriptor_numbers(check, f"zip/{member}", archive.read(member), sizes)
                    else:
                        check_csv(check, f"zip/{member}", member.removesuffix(".csv"), archive.read(member))
        else:
            continue
        claimed.add(rel)
    unclaimed = {str(p.relative_to(downloads)) for p in downloads.rglob("*") if p.is_file()} - claimed
    assert not unclaimed, f"downloads no check reads: {sorted(unclaimed)}"
    check_api(check, site / "api")
    return check


def assert_exact(data: Path, site: Path) -> None:
    check = check_portal(data, site)
    assert not check.problems, "\n".join(check.problems)
    # every kind of file was read, and read numbers: the check cannot pass by finding nothing
    for kind in ("observations.json", "observations.xlsx", "indicators", "sqlite", "parquet", "api", "zip"):
        assert check.numbers[kind] > 0, (kind, check.numbers)


# ------------------------------------------------------------------------------ the tests


def test_every_number_of_this_portals_downloads_and_api_is_the_csvs_decimal(this_portal):
    assert_exact(*this_portal)


def test_every_number_of_each_example_is_the_csvs_decimal(example_portal):
    assert_exact(*example_portal)


def test_every_number_of_a_synthetic_portal_is_the_csvs_decimal(synthetic_portal):
    assert_exact(*synthetic_portal)


def test_the_check_finds_a_number_changed_on_the_way_out(this_portal, tmp_path):
    """The check itself: one JSON value with float noise, one API value one digit off, and it fails."""
    data, site = this_portal
    copy = tmp_path / "site"
    shutil.copytree(site / "downloads", copy / "downloads")
    shutil.copytree(site / "api", copy / "api")
    records = (copy / "downloads" / "observations.json").read_text(encoding="utf-8")
    first = next(row for row in read_json(records.encode()) if "." in row["value"])
    noisy = f"{Decimal(first['value']):.15f}1"
    (copy / "downloads" / "observations.json").write_text(
        records.replace(f'"value":{first["value"]},', f'"value":{noisy},', 1), encoding="utf-8"
    )
    problems = check_portal(data, copy).problems
    assert len(problems) == 1 and noisy in problems[0] and "observations.json" in problems[0], problems


def test_a_number_with_more_digits_than_a_double_keeps_is_refused_in_one_line(data_copy):
    """0.30000000000000001 reads as the double of 0.3: every file would print 0.3, so validate refuses it,
    naming the file, row, column and rule."""
    path = data_copy / "observations.csv"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    header = lines[0].rstrip("\n").split(",")
    row = next(csv.DictReader(io.StringIO(lines[0] + lines[1])))
    column = header.index("value")
    cells = lines[1].rstrip("\n").split(",")
    assert cells[column] == row["value"]
    cells[column] = "0.30000000000000001"
    lines[1] = ",".join(cells) + "\n"
    path.write_text("".join(lines), encoding="utf-8")
    checked = run_cli("validate", "--data", data_copy)
    assert checked.returncode == 1
    found = [line for line in checked.stderr.splitlines() if "0.30000000000000001" in line]
    assert len(found) == 1, checked.stderr
    assert "observations.csv: row 2, column value: [type]" in found[0] and "back as 0.3;" in found[0]
    assert "Traceback" not in checked.stderr


def test_every_writer_takes_the_one_typed_value(tmp_path):
    """The writers read the typed columns (typed.py), not the text: with each typed value put a quarter
    apart from its text, the JSON, the API rows, the sheet, Parquet and SQLite all show the typed value."""
    import re

    import pyarrow as pa

    from build_scripts.config.load import load_site
    from build_scripts.data import schema
    from build_scripts.data.load import load_tables
    from build_scripts.data.model import build_portal
    from build_scripts.data.package import load_metadata, publish
    from build_scripts.publish import api, database, table_files, xlsx

    tables = load_tables(DATA)
    published = {r.name: publish(tables[r.name]) for r in schema.resources()}
    portal = build_portal(load_site(DATA), tables, load_metadata(DATA), {n: p.content for n, p in published.items()})
    observations = published["observations"]
    codes, distinct = observations.coded["value"]
    typed = observations.typed  # the portal's too: one memo of typed columns
    assert typed.memo is portal.typed.memo
    typed.memo["value"] = pa.array(typed["value"].to_numpy(zero_copy_only=False) + 0.25)
    shifted = Decimal(distinct[codes[0]]) + Decimal("0.25")  # the first published row's
    resource = schema.resource("observations")
    kinds = {c: resource.field_def(c).type for c in observations.coded}

    record = bytes(table_files.JsonRecords(observations.coded, kinds, typed).rows(0, 1)).rstrip(b",")
    assert Decimal(read_json(record)["value"]) == shifted
    in_portal = int(np.flatnonzero(portal.codes["value"][0] == codes[0])[0])
    row = read_json(bytes(api.observation_rows(portal.codes, portal.typed).records_buffer(np.array([in_portal])))[:-1])
    assert Decimal(row[api.api_columns().index("value")]) == shifted
    sheet = xlsx.SheetRows(observations.coded, kinds, False, typed).xml(np.array([0]), np.array([2]))[0].as_py()
    letter = xlsx.column_letter(list(observations.coded).index("value"))
    assert Decimal(re.search(f'<c r="{letter}2"><v>([^<]*)</v>', sheet)[1]) == shifted
    database.write_parquet_file(tmp_path / "o.parquet", resource, observations.coded, typed)
    assert Decimal(repr(pq.read_table(tmp_path / "o.parquet")["value"][0].as_py())) == shifted
    database.write_sqlite(tmp_path / "o.sqlite", published)
    connection = sqlite3.connect(tmp_path / "o.sqlite")
    (value,) = connection.execute("SELECT value FROM observations ORDER BY rowid LIMIT 1").fetchone()
    connection.close()
    assert Decimal(repr(value)) == shifted

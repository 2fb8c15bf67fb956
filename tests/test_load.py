"""Reading the CSV files: Arrow's reader takes plain files, csv.reader the rest, and both give the same table.

The fast reader must never change what a file means: on any text, read_table gives the same
cells, spreadsheet rows and problems as the record-by-record reader alone.
"""

from __future__ import annotations

import tempfile
import unicodedata
from pathlib import Path

import pytest
from conftest import DATA
from hypothesis import given, settings
from hypothesis import strategies as st

from build_scripts.data import load, schema

PLACES = next(r for r in schema.resources() if r.name == "places")
HEADER = ",".join(PLACES.fields)


def texts(pieces):
    return st.lists(st.sampled_from(pieces), max_size=5).map("".join)


def quoted(text):
    return '"' + text.replace('"', '""') + '"'


# the characters that matter to a CSV reader, and Vietnamese letters, composed and (in some files) decomposed
SPECIAL = [",", '"', '""', "\n"]
ORDINARY = ["a", " ", "\t", "ệ", ";", "1"]
plain_cells = st.one_of(texts(ORDINARY), texts(ORDINARY + SPECIAL).map(quoted))  # well-formed CSV
wild = texts(ORDINARY + SPECIAL + ["e\u0301"])
any_cells = st.one_of(wild, wild.map(quoted), wild.map(lambda text: f' "{text}" '), wild.map(lambda text: f'"{text}"x'))
WIDTH = len(PLACES.fields)
plain_records = st.lists(plain_cells, min_size=WIDTH, max_size=WIDTH)
any_records = st.one_of(
    st.lists(any_cells, min_size=WIDTH - 1, max_size=WIDTH + 1),  # sometimes one field short or over
    st.just([]),  # a blank line
)


def read_both_ways(text: str, monkeypatch) -> tuple[tuple, tuple]:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "places.csv"
        path.write_text(text, encoding="utf-8", newline="")
        either = load.read_table(path, "data/places.csv", PLACES)
        with monkeypatch.context() as patched:
            patched.setattr(load, "_read_plain_csv", lambda *args: None)
            record_by_record = load.read_table(path, "data/places.csv", PLACES)

    def comparable(result):
        table, problems = result
        if table is None:
            return None, problems
        codes = {column: (codes.tolist(), distinct.tolist()) for column, (codes, distinct) in table.codes.items()}
        return (table.frame.to_dict("list"), table.row_numbers, codes), problems

    return comparable(either), comparable(record_by_record)


@settings(max_examples=150, deadline=None)
@given(st.lists(plain_records, min_size=1, max_size=5), st.booleans())
def test_the_fast_reader_reads_files_of_whole_records_as_csv_reader_does(rows, final_newline):
    assert_read_alike(rows, final_newline)


@settings(max_examples=150, deadline=None)
@given(st.lists(st.one_of(plain_records, any_records), min_size=1, max_size=5), st.booleans())
def test_the_fast_reader_reads_any_file_as_csv_reader_does(rows, final_newline):
    assert_read_alike(rows, final_newline)


def assert_read_alike(rows: list[list[str]], final_newline: bool) -> None:
    text = HEADER + "\n" + "\n".join(",".join(row) for row in rows) + ("\n" if final_newline else "")
    with pytest.MonkeyPatch.context() as monkeypatch:
        either, record_by_record = read_both_ways(text, monkeypatch)
    assert either == record_by_record


def test_the_real_observations_take_the_fast_reader_and_read_the_same(monkeypatch):
    observations = next(r for r in schema.resources() if r.name == "observations")
    text = (DATA / "observations.csv").read_text(encoding="utf-8")
    assert load._read_plain_csv(text, "data/observations.csv", observations) is not None
    either, record_by_record = read_both_ways(text, monkeypatch)
    assert either == record_by_record


@pytest.mark.parametrize(
    "body, why",
    [
        ("VN,Việt Nam\n", "a record with too few fields"),
        ("\n", "a blank line"),
        ('"VN",x\n', "a quoted header"),
    ],
)
def test_files_that_are_not_plain_are_left_to_the_record_by_record_reader(body, why):
    header = HEADER if why != "a quoted header" else f'"{PLACES.fields[0]}",' + ",".join(PLACES.fields[1:])
    row = ",".join(["x"] * len(PLACES.fields))
    text = header + "\n" + row + "\n" + body + row + "\n"
    assert load._read_plain_csv(text, "data/places.csv", PLACES) is None, why


@pytest.mark.parametrize("cell", ["Vie\u0302\u0323t Nam", '"Vie\u0302\u0323t, Nam"', "e\u0301"])
def test_a_file_with_a_decomposed_letter_is_left_to_the_reader_that_composes_it(cell, monkeypatch):
    """Its NFC is checked on the distinct cells, no longer on the whole text."""
    row = ",".join(["x"] * len(PLACES.fields))
    odd = ",".join([cell] + ["x"] * (len(PLACES.fields) - 1))
    text = HEADER + "\n" + row + "\n" + odd + "\n"
    assert load._read_plain_csv(text, "data/places.csv", PLACES) is None
    either, record_by_record = read_both_ways(text, monkeypatch)
    assert either == record_by_record
    (frame, _, _), _ = either
    assert unicodedata.normalize("NFC", cell.strip('"')) in frame[PLACES.fields[0]]

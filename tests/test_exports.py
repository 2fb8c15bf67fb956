"""The downloads' own writers: CSV records formatted column-wise, and the XLSX writer.

Both replace a library's row-by-row writer for speed, so each is checked against what that
library (csv.writer) or a reader (openpyxl) makes of the same rows, including awkward text.
"""

from __future__ import annotations

import csv
import datetime
import io
import zipfile

import numpy as np
import openpyxl
import pandas as pd
from conftest import DATA
from hypothesis import given, settings
from hypothesis import strategies as st

from build_scripts.data.columnar import coded_columns, joined_bytes
from build_scripts.data.package import Published
from build_scripts.publish import xlsx
from build_scripts.publish.exports import TableRows, _split_csvs
from build_scripts.publish.kept_downloads import KeptDownloads
from build_scripts.publish.table_files import csv_records
from build_scripts.publish.zips import zip_bytes

AWKWARD = ["plain", "a,b", 'say "hi"', "two\nlines", "cr\rhere", "", " padded ", "<b>&amp;</b>", "Tỷ lệ 71,79%"]
cells = st.text(alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"), max_size=12)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(cells, cells, cells), min_size=1, max_size=8))
def test_csv_records_quote_exactly_as_csv_writer_does(rows):
    frame = pd.DataFrame(rows, columns=["a", "b", "c"], dtype=str)
    expected = io.StringIO()
    csv.writer(expected, lineterminator="\n").writerows(rows)
    assert "".join(csv_records(coded_columns(frame))) == expected.getvalue()


def test_csv_records_of_the_real_observations_give_back_the_published_file():
    content = (DATA / "observations.csv").read_bytes()
    frame = pd.read_csv(io.BytesIO(content), dtype=str, keep_default_na=False)
    header = content.partition(b"\n")[0]
    assert header + b"\n" + "".join(csv_records(coded_columns(frame))).encode("utf-8") == content


def workbook_of(frame: pd.DataFrame, kinds: dict[str, str], strip: bool = True) -> openpyxl.Workbook:
    rows = joined_bytes(
        xlsx.SheetRows(coded_columns(frame), kinds, strip).xml(np.arange(len(frame)), np.arange(len(frame)) + 2)
    )
    parts = xlsx.workbook_parts(
        list(frame.columns), rows, len(frame), "sheet's name", datetime.datetime(2026, 1, 2), "t"
    )
    return openpyxl.load_workbook(io.BytesIO(zip_bytes(parts, sort=False)))


def test_workbook_keeps_text_as_text_numbers_as_numbers_and_leaves_empty_cells_empty():
    frame = pd.DataFrame(
        {
            "text": AWKWARD,
            "period": ["2024", "2024-H1", "2013", "", "1", "2", "3", "4", "5"],
            "value": ["71.79", "1900000000000000", "-0.5", "", "0", "1e-07", "3", "4", "5"],
            "line": ["17", "", "3", "4", "5", "6", "7", "8", "9"],
            "flag": ["true", "false", "", "true", "true", "true", "true", "true", "false"],
        },
        dtype=str,
    )
    kinds = {"text": "string", "period": "string", "value": "number", "line": "integer", "flag": "boolean"}
    sheet = workbook_of(frame, kinds).active
    assert sheet.title == "sheet's name" and sheet.freeze_panes == "A2" and sheet.auto_filter.ref == "A1:E10"
    header = [cell for cell in sheet[1]]
    assert [c.value for c in header] == list(frame.columns) and all(c.font.b for c in header)
    body = list(sheet.iter_rows(min_row=2, values_only=True))
    assert [row[0] for row in body] == [text or None for text in AWKWARD]  # markup stays literal text
    assert [row[1] for row in body][:3] == ["2024", "2024-H1", "2013"]  # a year is text, as in the CSV
    assert [row[2] for row in body][:4] == [71.79, 1.9e15, -0.5, None]
    assert [row[3] for row in body][:2] == [17, None]
    assert [row[4] for row in body][:3] == [True, False, None]


def test_workbook_drops_characters_xml_cannot_carry_instead_of_breaking():
    frame = pd.DataFrame({"text": ["bell\x07here", "ok"]}, dtype=str)
    content = b"text\nbell\x07here\nok\n"
    assert xlsx.has_characters_not_in_xml(content)
    assert [row[0] for row in workbook_of(frame, {"text": "string"}).active.iter_rows(min_row=2, values_only=True)] == [
        "bellhere",
        "ok",
    ]


def test_column_letters_go_past_z():
    assert [xlsx.column_letter(i) for i in (0, 25, 26, 51, 52, 701, 702)] == ["A", "Z", "AA", "AZ", "BA", "ZZ", "AAA"]


def test_workbook_parts_are_a_valid_package_with_content_types_first():
    parts = xlsx.workbook_parts(["a"], b"", 0, "s", datetime.datetime(2026, 1, 2), "t")
    with zipfile.ZipFile(io.BytesIO(zip_bytes(parts, sort=False))) as archive:
        names = archive.namelist()
    assert names[0] == "[Content_Types].xml" and "xl/worksheets/sheet1.xml" in names


def _observations_csv(rows: list[list[str]]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["indicator_id", "geo", "source_id", "note"])
    writer.writerows(rows)
    return out.getvalue().encode("utf-8")


def test_split_csvs_cut_each_group_from_the_published_bytes_even_with_line_breaks_in_values(tmp_path):
    rows = [
        ["a", "VN", "s1", "plain"],
        ["a", "VN-01", "s2", "two\nlines, quoted"],
        ["b", "VN", "s2", 'say "hi"'],
        ["b", "VN-01", "s1", ""],
        ["c", "VN", "s1", "a, comma"],
    ]
    for content in (_observations_csv(rows), _observations_csv([r[:3] + [r[3].replace("\n", " ")] for r in rows])):
        frame = pd.read_csv(io.BytesIO(content), dtype=str, keep_default_na=False)
        kept = KeptDownloads(None, tmp_path, "")  # nothing kept: every slice is written
        table = TableRows(Published(content, coded_columns(frame)))
        written = _split_csvs(kept, table, {"observations": content})
        assert len(written) == 3 + 2 + 2 and kept.made == 7
        records = [r for r in csv.reader(io.StringIO(content.decode("utf-8"), newline=""))][1:]
        for folder, column, key in [("indicators", 0, "b"), ("places", 1, "VN-01"), ("sources", 2, "s1")]:
            expected = _observations_csv([r for r in records if r[column] == key])
            assert (tmp_path / folder / f"{key.lower() if folder == 'places' else key}.csv").read_bytes() == expected


def test_an_indicators_downloads_stand_alone_with_name_unit_sources_licence_and_version(built_site):
    """Away from the site, the CSV's CSVW file and the workbook's 'info' sheet say what the rows are."""
    import json

    import openpyxl

    from build_scripts.data.package import load_metadata

    meta = load_metadata(DATA)
    folder = built_site / "downloads" / "indicators"
    with open(DATA / "observations.csv", encoding="utf-8", newline="") as handle:
        cited = sorted({r["source_id"] for r in csv.DictReader(handle) if r["indicator_id"] == "fixed-broadband-speed"})
    with open(DATA / "sources.csv", encoding="utf-8", newline="") as handle:
        titles = {r["source_id"]: r["title"] for r in csv.DictReader(handle)}
    described = json.loads((folder / "fixed-broadband-speed.csv-metadata.json").read_text("utf-8"))
    assert described["url"] == "fixed-broadband-speed.csv" and described["schema:unitCode"] == "Mbps"
    assert {t["@value"] for t in described["dc:title"]} == {
        "Tốc độ truy cập băng rộng cố định",
        "Fixed broadband speed",
    }
    assert described["dc:license"]["@id"] == meta["license"]["path"]
    assert described["dc:isPartOf"]["schema:version"] == str(meta["version"])
    assert sorted(s["dc:identifier"] for s in described["dc:source"]) == cited
    assert all(titles[s["dc:identifier"]] in s["schema:citation"] for s in described["dc:source"])
    columns = [c["name"] for c in described["tableSchema"]["columns"]]
    header = (folder / "fixed-broadband-speed.csv").read_text("utf-8").split("\n", 1)[0].split(",")
    assert columns == header
    book = openpyxl.load_workbook(folder / "fixed-broadband-speed.xlsx")
    assert book.sheetnames == ["fixed-broadband-speed", "info"]
    info = dict(book["info"].iter_rows(values_only=True))
    assert info["name_en"] == "Fixed broadband speed" and info["unit"] == "Mbps"
    assert meta["license"]["path"] in info["license"] and info["version"].startswith(str(meta["version"]))
    assert all(titles[s] in info[f"source {s}"] for s in cited)
    at = header.index("value")
    values = [row[at] for row in book["fixed-broadband-speed"].iter_rows(min_row=2, values_only=True)]
    assert all(isinstance(v, float | int) for v in values)  # numbers are numbers


def test_workbook_dates_are_dates(built_site):
    import datetime

    import openpyxl

    sheet = openpyxl.load_workbook(built_site / "downloads" / "sources.xlsx").active
    header = [c.value for c in sheet[1]]
    published = [row[header.index("published")] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert any(isinstance(v, datetime.datetime) for v in published)
    assert all(v is None or isinstance(v, datetime.datetime) for v in published)

"""Large downloads made a block at a time (build_scripts/publish/blocks.py, zips.py): the files are what
any gzip or zip reader reads, a rebuild copies the blocks whose rows did not change, and the result is
byte for byte the file a clean build writes."""

from __future__ import annotations

import csv
import gzip
import io
import json
import random
import shutil
import subprocess
import zipfile
import zlib
from pathlib import Path

import numpy as np
import openpyxl
import pandas as pd
import pytest
from conftest import DATA

from build_scripts.config.load import load_site
from build_scripts.data import schema
from build_scripts.data.columnar import coded_columns
from build_scripts.data.load import read_tables
from build_scripts.data.package import Published, load_metadata, publish
from build_scripts.publish import blocks, bulk
from build_scripts.publish.blocks import LastFile, crc32_combine, key_of, row_blocks, write_file
from build_scripts.publish.exports import TableRows, write_downloads
from build_scripts.publish.table_files import JsonRecords
from build_scripts.publish.zips import ZipWriter, zip_bytes


def test_crc32_combine_gives_the_crc_of_the_two_runs_together():
    chance = random.Random(7)
    for _ in range(300):
        a = chance.randbytes(chance.choice([0, 1, 5, 700, 70_000]))
        b = chance.randbytes(chance.choice([0, 1, 3, 4096, 100_001]))
        assert crc32_combine(zlib.crc32(a), zlib.crc32(b), len(b)) == zlib.crc32(a + b)


def _pieces(texts: list[bytes]) -> list:
    return [(key_of(text), lambda text=text: text) for text in texts]


@pytest.mark.parametrize("level", [None, 1, 6])
def test_a_file_of_blocks_reads_as_its_blocks_one_after_the_other(tmp_path, level):
    texts = [random.Random(n).randbytes(n * 5000) + b"plain text " * n for n in range(12)]
    path = tmp_path / "file.gz"
    write_file(path, _pieces(texts), LastFile(), level)
    expected = b"".join(texts)
    if level is None:
        assert path.read_bytes() == expected
        return
    assert gzip.decompress(path.read_bytes()) == expected  # Python's reader checks the CRC and the length
    # and another reader: the system's gzip tests the stream and its trailer
    assert subprocess.run(["gzip", "-t", str(path)], capture_output=True).returncode == 0
    assert subprocess.run(["gzip", "-dc", str(path)], capture_output=True).stdout == expected


@pytest.mark.parametrize("level", [None, 1])
def test_a_file_made_again_copies_the_unchanged_blocks_and_is_the_clean_file(tmp_path, level):
    texts = [f"block {n}: ".encode() + random.Random(n).randbytes(20_000) for n in range(20)]
    first = write_file(tmp_path / "first", _pieces(texts), LastFile(), level)
    assert first.made == 20
    texts[7] = b"changed"
    texts.insert(12, b"inserted")
    again = write_file(tmp_path / "again", _pieces(texts), LastFile(tmp_path / "first", first.index), level)
    clean = write_file(tmp_path / "clean", _pieces(texts), LastFile(), level)
    assert again.made == 2 and clean.made == 21
    assert (tmp_path / "again").read_bytes() == (tmp_path / "clean").read_bytes()


def test_a_file_is_never_written_through_a_link_to_the_kept_copy(tmp_path):
    kept, out = tmp_path / "kept", tmp_path / "out"
    first = write_file(kept, _pieces([b"one", b"two"]), LastFile(), 1)
    out.hardlink_to(kept)
    write_file(out, _pieces([b"one", b"three"]), LastFile(kept, first.index), 1)
    assert gzip.decompress(kept.read_bytes()) == b"onetwo" and gzip.decompress(out.read_bytes()) == b"onethree"


def test_rows_inserted_or_removed_change_only_the_blocks_they_fall_in():
    hashes = np.random.default_rng(3).integers(0, 2**63, 60_000, dtype=np.int64).astype(np.uint64)
    cut = row_blocks(hashes)
    assert cut[0][0] == 0 and cut[-1][1] == len(hashes)
    assert all(stop == start for (_, stop), (start, _) in zip(cut, cut[1:]))
    assert max(b - a for a, b in cut) <= blocks.MAX_BLOCK_ROWS and 5 <= len(cut) <= 40

    def keys(rows):
        return {key_of(rows[a:b].tobytes()) for a, b in row_blocks(rows)}

    before = keys(hashes)
    changed = np.concatenate([hashes[:30_000], hashes[30_001:45_000], [np.uint64(12345)], hashes[45_000:]])
    assert len(keys(changed) - before) <= 4  # each change makes at most two blocks new


def test_a_zip_of_bytes_is_the_zip_that_zipfile_writes():
    entries = {"b/data.csv": b"a,b\n1,2\n" * 500, "a.txt": b"", "tên tệp.xml": "Tỷ lệ".encode() * 99}
    for sort in (True, False):
        for level in (None, 1, 9):
            expected = io.BytesIO()
            with zipfile.ZipFile(expected, "w", compression=zipfile.ZIP_DEFLATED) as archive:
                for name in sorted(entries) if sort else entries:
                    info = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
                    info.compress_type, info.external_attr = zipfile.ZIP_DEFLATED, 0o644 << 16
                    archive.writestr(info, entries[name], compresslevel=level)
            assert zip_bytes(entries, sort, level) == expected.getvalue()


def test_a_zip_entry_of_blocks_is_read_by_zipfile_and_by_unzip(tmp_path):
    texts = [random.Random(n).randbytes(30_000) for n in range(5)]
    path = tmp_path / "blocks.zip"
    with path.open("wb") as handle:
        archive = ZipWriter(handle)
        archive.add("first.txt", b"first")
        archive.add_blocks("data.bin", _pieces(texts), LastFile(), 1)
        archive.add("last.txt", b"last")
        archive.close()
    with zipfile.ZipFile(path) as archive:
        assert archive.testzip() is None  # every entry's CRC checked
        assert archive.read("data.bin") == b"".join(texts) and archive.read("last.txt") == b"last"
    if shutil.which("unzip"):
        assert subprocess.run(["unzip", "-tq", str(path)], capture_output=True).returncode == 0


def _downloads(data: Path, out: Path, kept: Path) -> tuple[dict, dict]:
    """The downloads of data written into out, kept in kept; what was done, and the published tables."""
    tables, problems = read_tables(data)
    assert not problems
    published = {r.name: publish(tables[r.name]) for r in schema.resources()}
    return write_downloads(load_site(data), out, load_metadata(data), published, kept), published


def _change_one_value(data: Path) -> None:
    path = data / "observations.csv"
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    row = next(r for r in rows if r["value"].isdigit() and int(r["value"]) > 1 and r["is_derived"] == "false")
    row["as_written"] = row["as_written"].replace(row["value"], str(int(row["value"]) - 1), 1)
    row["value"] = str(int(row["value"]) - 1)
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


@pytest.fixture
def bulk_blocks(monkeypatch):
    """The observations bulk, and blocks of a few rows: the fixture's 93 rows make many blocks."""
    monkeypatch.setattr(bulk, "BULK_CSV_BYTES", (DATA / "observations.csv").stat().st_size - 1)
    monkeypatch.setattr(blocks, "BLOCK_ROWS", 8)
    monkeypatch.setattr(blocks, "MAX_BLOCK_ROWS", 32)
    monkeypatch.setattr(blocks, "BLOCK_BYTES", 4096)


@pytest.mark.parametrize("bulky", [False, True])
def test_downloads_after_one_changed_value_are_made_of_the_kept_blocks_and_are_the_clean_ones(tmp_path, request, bulky):
    if bulky:
        request.getfixturevalue("bulk_blocks")
    data = tmp_path / "data"
    shutil.copytree(DATA, data)
    first, _ = _downloads(data, tmp_path / "first", tmp_path / "kept")
    assert first["blocks made again"] == first["blocks"] > 0
    _change_one_value(data)
    again, published = _downloads(data, tmp_path / "again", tmp_path / "kept")
    _downloads(data, tmp_path / "clean", tmp_path / "kept-clean")
    if bulky:  # the JSON, the CSV, the zip and the database are made of many blocks, a few of them new
        assert 3 <= again["blocks made again"] <= again["blocks"] // 4, again
    files = sorted(p.relative_to(tmp_path / "clean") for p in (tmp_path / "clean").rglob("*") if p.is_file())
    assert files == sorted(p.relative_to(tmp_path / "again") for p in (tmp_path / "again").rglob("*") if p.is_file())
    different = [f for f in files if (tmp_path / "again" / f).read_bytes() != (tmp_path / "clean" / f).read_bytes()]
    assert not different
    downloads = tmp_path / "again"
    observations = published["observations"].content
    with zipfile.ZipFile(downloads / f"{load_metadata(data)['name']}.zip") as archive:
        assert archive.testzip() is None  # every entry's CRC checked
        assert archive.read("observations.csv") == observations
    if bulky:
        assert gzip.decompress((downloads / "observations.csv.gz").read_bytes()) == observations
        records = json.loads(gzip.decompress((downloads / "observations.json.gz").read_bytes()))
        assert len(records) == observations.count(b"\n") - 1
    else:
        sheet = openpyxl.load_workbook(downloads / "observations.xlsx", read_only=True).worksheets[0]
        with (downloads / "observations.csv").open(encoding="utf-8", newline="") as handle:
            assert sum(1 for _ in sheet.iter_rows()) == sum(1 for _ in csv.reader(handle))


def test_blocks_deflated_at_another_level_are_not_copied(tmp_path):
    """A portal that becomes bulk zips its package at another level: no block of the last zip is reused."""
    texts = [random.Random(n).randbytes(9_000) + b"text " * 900 for n in range(6)]
    first = write_file(tmp_path / "level6", _pieces(texts), LastFile(), 6)
    again = write_file(tmp_path / "level1", _pieces(texts), LastFile(tmp_path / "level6", first.index), 1)
    write_file(tmp_path / "clean", _pieces(texts), LastFile(), 1)
    assert again.made == len(texts)
    assert (tmp_path / "level1").read_bytes() == (tmp_path / "clean").read_bytes()


def test_a_json_block_is_made_again_when_another_row_changes_how_its_column_is_typed(tmp_path, bulk_blocks):
    """pandas types a number column as a whole: its first fraction writes every number with a decimal
    point, so every block of the JSON changes, not only the block of the changed row."""

    def json_of(values: list[str], path: Path, last: LastFile):
        content = ("id,value\n" + "".join(f"r{n:03d},{v}\n" for n, v in enumerate(values))).encode()
        frame = pd.read_csv(io.BytesIO(content), dtype=str, keep_default_na=False)
        rows = TableRows(Published(content, coded_columns(frame)))
        pieces = JsonRecords(rows.table.coded, {"id": "string", "value": "number"}).pieces(rows.blocks, rows.keys("j"))
        return write_file(path, pieces, last, 1)

    values = [str(n) for n in range(200)]
    first = json_of(values, tmp_path / "first", LastFile())
    values[150] = "150.5"
    again = json_of(values, tmp_path / "again", LastFile(tmp_path / "first", first.index))
    json_of(values, tmp_path / "clean", LastFile())
    assert (tmp_path / "again").read_bytes() == (tmp_path / "clean").read_bytes()
    assert json.loads(gzip.decompress((tmp_path / "again").read_bytes()))[0]["value"] == 0.0
    assert again.made >= len(first.index) - 2  # every block of rows; '[' and ']' are as they were

"""A portal whose tables are "bulk" (publish/bulk.py: a CSV over BULK_CSV_BYTES, rows past a spreadsheet's
limit) publishes compressed files where plain ones would pass a static host's file limit, and every
page, the descriptor and the catalogue name the files that were written.

The fixture portal is small, so the thresholds are lowered for one build (the build runs in this
process, and its downloads in a process forked from it, which sees the same values)."""

from __future__ import annotations

import csv
import gzip
import io
import json
import re
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from build_scripts.publish import bulk
from tests.conftest import DATA


@pytest.fixture(scope="module")
def bulk_site(tmp_path_factory) -> Path:
    from build_scripts.pipeline import build_site

    base = tmp_path_factory.mktemp("bulk")
    with pytest.MonkeyPatch.context() as patch:
        # the observations CSV is bulk (the published file is larger than the data folder's), the other
        # tables are not; 80 rows fill a sheet (the observations are 93, the indicators 67)
        threshold = (DATA / "observations.csv").stat().st_size - 1
        assert all((DATA / f"{name}.csv").stat().st_size < threshold for name in ("indicators", "places", "sources"))
        patch.setattr(bulk, "BULK_CSV_BYTES", threshold)
        patch.setattr(bulk, "EXCEL_MAX_ROWS", 80)
        build_site(DATA, base / "site", work=base / "work")
    return base / "site"


def test_bulk_table_is_published_compressed_and_the_rest_as_before(bulk_site):
    downloads = bulk_site / "downloads"
    for name in ("observations.csv.gz", "observations.json.gz", "observations.parquet"):
        assert (downloads / name).is_file(), name
    for name in ("observations.csv", "observations.json", "observations.excel.csv", "observations.xlsx"):
        assert not (downloads / name).exists(), name
    assert (downloads / "indicators.csv").is_file() and (downloads / "indicators.xlsx").is_file()
    assert (downloads / "vietnam-digital-transformation.sqlite.gz").is_file()
    assert not (downloads / "vietnam-digital-transformation.sqlite").exists()
    assert not list((downloads / "indicators").glob("*.gz")) and list((downloads / "indicators").glob("*.csv"))
    assert {p.name.endswith(".csv.gz") for p in (downloads / "places").iterdir()} == {True}
    assert {p.name.endswith(".csv.gz") for p in (downloads / "sources").iterdir()} == {True}


def test_compressed_files_hold_what_the_plain_ones_would(bulk_site, built_site):
    plain, packed = built_site / "downloads", bulk_site / "downloads"
    assert gzip.decompress((packed / "observations.csv.gz").read_bytes()) == (plain / "observations.csv").read_bytes()
    assert gzip.decompress((packed / "observations.json.gz").read_bytes()) == (plain / "observations.json").read_bytes()
    database = gzip.decompress((packed / "vietnam-digital-transformation.sqlite.gz").read_bytes())
    assert database == (plain / "vietnam-digital-transformation.sqlite").read_bytes()
    for place in (plain / "places").glob("*.csv"):
        assert gzip.decompress((packed / "places" / f"{place.name}.gz").read_bytes()) == place.read_bytes()
    # gzip headers carry no time and no name: the same data give the same bytes
    header = (packed / "observations.csv.gz").read_bytes()[:8]
    assert header[3] == 0 and header[4:8] == b"\x00\x00\x00\x00"  # no flags (no file name), time 0


def test_descriptor_describes_the_compressed_file_and_frictionless_reads_it(bulk_site):
    downloads = bulk_site / "downloads"
    package = json.loads((downloads / "datapackage.json").read_text(encoding="utf-8"))
    observations = package["resources"][0]
    assert observations["path"] == "observations.csv.gz"
    assert observations["bytes"] == (downloads / "observations.csv.gz").stat().st_size
    result = subprocess.run(
        [str(Path(sys.executable).parent / "frictionless"), "validate", "--json", "datapackage.json"],
        cwd=downloads,
        capture_output=True,
        text=True,
    )
    assert json.loads(result.stdout)["valid"], result.stdout[-2000:]
    # the zip holds the plain CSV files, and a descriptor of those
    with zipfile.ZipFile(downloads / "vietnam-digital-transformation.zip") as archive:
        inner = json.loads(archive.read("datapackage.json"))
        assert inner["resources"][0]["path"] == "observations.csv"
        rows = list(csv.DictReader(io.StringIO(archive.read("observations.csv").decode("utf-8"))))
    assert len(rows) == sum(
        1 for _ in csv.DictReader(io.StringIO(gzip.open(downloads / "observations.csv.gz", "rt").read()))
    )


def test_pages_link_the_files_that_exist(bulk_site):
    linked = set()
    for page in bulk_site.rglob("*.html"):
        if "downloads" in page.parts:
            continue
        for href in re.findall(r'href="([^"]*downloads/[^"]+)"', page.read_text(encoding="utf-8")):
            if href.startswith("/"):  # 404.html links from the site's root path: /<sub-path>/downloads/...
                target = bulk_site / "downloads" / href.split("/downloads/", 1)[1]
            else:
                target = (page.parent / href).resolve()
            assert target.is_file(), f"{page.relative_to(bulk_site)} links {href}, which was not written"
            linked.add(target.name)
    assert {"observations.csv.gz", "observations.json.gz", "vietnam-digital-transformation.sqlite.gz"} <= linked
    data_page = (bulk_site / "en" / "data" / "index.html").read_text(encoding="utf-8")
    assert "observations.csv.gz" in data_page  # the code on the data page reads the file that exists


def test_catalogue_lists_the_compressed_files_with_their_compression(bulk_site):
    catalogue = json.loads((bulk_site / "catalog.jsonld").read_text(encoding="utf-8"))
    distributions = {d["@id"].rsplit("/", 1)[-1]: d for d in catalogue["dcat:dataset"][0]["dcat:distribution"]}
    assert "observations.csv" not in distributions and "observations.excel.csv" not in distributions
    for name in ("observations.csv.gz", "observations.json.gz", "vietnam-digital-transformation.sqlite.gz"):
        assert distributions[name]["dcat:compressFormat"]["@id"].endswith("application/gzip"), name
        assert int(distributions[name]["dcat:byteSize"]["@value"]) == (bulk_site / "downloads" / name).stat().st_size
    assert "dcat:compressFormat" not in distributions["observations.parquet"]


def test_api_place_documents_point_to_the_compressed_slice(bulk_site):
    place = json.loads((bulk_site / "api" / "places" / "vn.json").read_text(encoding="utf-8"))
    assert place["place"]["csv_url"].endswith("downloads/places/vn.csv.gz")

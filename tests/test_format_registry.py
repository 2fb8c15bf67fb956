"""A new download format is one entry of the registry (publish/formats.py), its writer and its label:
with a tab-separated copy of each table and of each indicator's rows added here, and no other code
changed, the build writes the files, the pages link them, and the DCAT catalogue, the pages' JSON-LD
and the API list them.
"""

from __future__ import annotations

import csv
import dataclasses
import io
import json
import re
import shutil

import pytest
from conftest import DATA

from build_scripts.config import load as site_load
from build_scripts.data import schema
from build_scripts.data.columnar import positions_by_value
from build_scripts.publish import formats
from build_scripts.publish.kept_downloads import digest_of

TSV = "text/tab-separated-values"
LABELS = {"tsv": "TSV (tab-separated)", "rows_tsv": "TSV of this indicator's rows"}  # the test's own texts


def tab_separated(content: bytes) -> bytes:
    """A CSV file's records, tab-separated."""
    out = io.StringIO()
    csv.writer(out, delimiter="\t", lineterminator="\n").writerows(csv.reader(io.StringIO(content.decode("utf-8"))))
    return out.getvalue().encode("utf-8")


def write_tsv(downloads, fmt, name: str) -> None:
    """A resource's table, tab-separated: a writer as download_writers.py's are."""
    content = downloads.table(name).content
    downloads.table_file(fmt, name, lambda path: path.write_bytes(tab_separated(content)))


def write_indicator_tsvs(downloads, fmt, name: str) -> None:
    """Each indicator's rows of the sliced table, tab-separated."""
    table = downloads.table(name)
    for key, positions in positions_by_value(table.coded, "indicator_id").items():
        rows = b"".join([table.rows.header, *table.rows.runs(positions)])
        downloads.kept.file(
            downloads.path(fmt, key),
            digest_of(table.whole, key),
            lambda path, r=rows: path.write_bytes(tab_separated(r)),
        )


ADDED = (
    formats.Format(formats.RESOURCE, "tsv", "tsv", TSV, write_tsv, "TSV", "TSV"),
    formats.Format(formats.INDICATOR, "rows_tsv", "tsv", TSV, write_indicator_tsvs, "TSV", api_key="tsv_url"),
)


@pytest.fixture(scope="module")
def site_with_tsv(tmp_path_factory, built_site):
    """The fixture portal built with the two TSV formats added to the registry (and their labels to the
    texts): only the charts are reused from the session's build."""
    base = tmp_path_factory.mktemp("tsv")
    charts = built_site.parent / "work" / "cache" / "charts"
    if charts.is_dir():
        shutil.copytree(charts, base / "work" / "cache" / "charts")
    catalogues = site_load._known_catalogues()
    from build_scripts.pipeline import build_site

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(formats, "FORMATS", formats.FORMATS + ADDED)
        patch.setattr(site_load, "_known_catalogues", lambda: {k: {**v, **LABELS} for k, v in catalogues.items()})
        build_site(DATA, base / "site", work=base / "work")
    return base / "site"


def _indicator(site) -> str:
    return json.loads((site / "api" / "indicators.json").read_text(encoding="utf-8"))["indicators"][0]["indicator_id"]


def _links(html: str) -> set[str]:
    return set(re.findall(r'<a href="[./]*(downloads/[^"]+)" download>', html))


def _jsonld_urls(html: str) -> set[str]:
    urls = set()
    for block in re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S):
        for download in json.loads(block).get("distribution", []):
            urls.add((download["contentUrl"].split("/downloads/", 1)[1], download["encodingFormat"]))
    return urls


def test_the_added_formats_files_are_written(site_with_tsv):
    downloads = site_with_tsv / "downloads"
    observations = (downloads / "observations.csv").read_bytes()
    assert (downloads / "observations.tsv").read_bytes() == tab_separated(observations)
    for resource in schema.resources():
        assert (downloads / f"{resource.name}.tsv").is_file(), resource.name
    indicator = _indicator(site_with_tsv)
    assert (downloads / "indicators" / f"{indicator}.tsv").read_bytes() == tab_separated(
        (downloads / "indicators" / f"{indicator}.csv").read_bytes()
    )


def test_a_tables_page_links_its_tsv_and_its_json_ld_lists_it(site_with_tsv):
    for lang_dir in ("", "en/"):
        html = (site_with_tsv / lang_dir / "data" / "observations" / "index.html").read_text(encoding="utf-8")
        assert "downloads/observations.tsv" in _links(html), lang_dir
        assert LABELS["tsv"] in html
        assert ("observations.tsv", TSV) in _jsonld_urls(html)
    package = (site_with_tsv / "data" / "index.html").read_text(encoding="utf-8")
    assert ("observations.tsv", TSV) in _jsonld_urls(package)


def test_the_catalogue_lists_each_tables_tsv_with_its_size_and_media_type(site_with_tsv):
    catalogue = json.loads((site_with_tsv / "catalog.jsonld").read_text(encoding="utf-8"))
    listed = {d["@id"].split("/downloads/", 1)[1]: d for d in catalogue["dcat:dataset"][0]["dcat:distribution"]}
    for resource in schema.resources():
        tsv = listed[f"{resource.name}.tsv"]
        assert tsv["dcat:mediaType"]["@id"].endswith("/" + TSV)
        assert tsv["dct:format"]["@id"].endswith("/file-type/TSV")
        assert tsv["dcat:byteSize"]["@value"] == str(
            (site_with_tsv / "downloads" / f"{resource.name}.tsv").stat().st_size
        )
        assert tsv["dct:title"].endswith(" (TSV)")


def test_the_api_and_an_indicators_json_ld_link_its_tsv(site_with_tsv):
    indicator = _indicator(site_with_tsv)
    listing = json.loads((site_with_tsv / "api" / "indicators.json").read_text(encoding="utf-8"))["indicators"][0]
    assert listing["tsv_url"].endswith(f"/downloads/indicators/{indicator}.tsv")
    document = json.loads((site_with_tsv / "api" / "indicators" / f"{indicator}.json").read_text(encoding="utf-8"))
    assert document["indicator"]["tsv_url"] == listing["tsv_url"]
    html = (site_with_tsv / "indicators" / indicator / "index.html").read_text(encoding="utf-8")
    assert (f"indicators/{indicator}.tsv", TSV) in _jsonld_urls(html)


def test_an_indicators_page_links_its_tsv(site_with_tsv):
    indicator = _indicator(site_with_tsv)
    html = (site_with_tsv / "indicators" / indicator / "index.html").read_text(encoding="utf-8")
    assert f"downloads/indicators/{indicator}.tsv" in _links(html)


def test_the_registry_names_each_file_once_and_the_readers_agree():
    """Each format's path is its own (no two formats write one file), and the lists the pages, DCAT and
    JSON-LD read are the registry's."""
    files = {"observations": b"x", "indicators": b"x"}
    paths = [formats.path_of(fmt, "name", files) for fmt in formats.FORMATS]
    assert len(paths) == len(set(paths))
    assert [fmt.key for fmt, _ in formats.downloads(formats.RESOURCE, "observations", files)] == [
        "csv",
        "excel_csv",
        "excel",
        "json",
        "parquet",
    ]
    assert formats.media_type("observations.excel.csv") == "text/csv"
    assert dataclasses.is_dataclass(formats.Format) and formats.Format.__dataclass_params__.frozen

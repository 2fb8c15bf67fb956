"""Publishing: the workflow, the site under a project sub-path, releases, and what machines read."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import urllib.request
import xml.etree.ElementTree as ET
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest
import yaml
from conftest import DATA, ROOT, serve
from sitecheck import html_pages, parse
from standards_schemaorg import dataset_markup_problems

from build_scripts.data import schema
from build_scripts.data.load import load_tables
from build_scripts.data.package import load_metadata
from build_scripts.publish.releases import Release, diff_files, render_changelog
from build_scripts.render import read_site_url

WORKFLOW = ROOT / ".github" / "workflows" / "pages.yml"
SITE_URL = read_site_url(ROOT)


# ------------------------------------------------------------------- workflow


def test_workflow_passes_actionlint():
    actionlint = Path(sys.executable).parent / "actionlint"
    result = subprocess.run([str(actionlint), str(WORKFLOW)], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_actionlint_would_catch_a_broken_workflow(tmp_path):
    broken = tmp_path / ".github" / "workflows" / "broken.yml"
    broken.parent.mkdir(parents=True)
    broken.write_text(WORKFLOW.read_text().replace("runs-on: ubuntu-24.04", "runs-on: ${{ matrix.nope }}", 1))
    result = subprocess.run([str(Path(sys.executable).parent / "actionlint"), str(broken)], capture_output=True)
    assert result.returncode != 0


def test_workflow_runs_the_readme_commands_with_least_privilege():
    workflow = yaml.safe_load(WORKFLOW.read_text())
    readme = (ROOT / "README.md").read_text()
    assert workflow["permissions"] == {"contents": "read"}
    assert workflow["concurrency"]["group"]
    build, deploy = workflow["jobs"]["build"], workflow["jobs"]["deploy"]
    runs = [step["run"] for step in build["steps"] if "run" in step]
    assert runs == ["make test", "make site"]
    assert all(f"{command}" in readme for command in runs)
    assert deploy["permissions"] == {"pages": "write", "id-token": "write"}
    assert "pull_request" in deploy["if"] and deploy["needs"] == "build"
    uses = [step["uses"] for job in workflow["jobs"].values() for step in job["steps"] if "uses" in step]
    assert all(re.fullmatch(r"[\w-]+/[\w-]+@[0-9a-f]{40}", u) for u in uses), uses
    assert any(u.startswith("actions/upload-pages-artifact@") for u in uses)
    assert any(u.startswith("actions/deploy-pages@") for u in uses)
    python = next(s for s in build["steps"] if s.get("uses", "").startswith("actions/setup-python"))
    assert python["with"]["cache"] == "pip"
    names = [step.get("name") for step in build["steps"]]
    kept = build["steps"][names.index("Restore the last build")]  # a push republishes what changed, not all
    assert kept["uses"].startswith("actions/cache@") and names.index("Restore the last build") < names.index("Build")
    assert set(kept["with"]["path"].split()) == {"build", "site"}
    assert "github.sha" in kept["with"]["key"] and kept["with"]["key"].startswith(kept["with"]["restore-keys"])


def test_ci_script_runs_exactly_the_readme_test_command():
    assert "make test" in (ROOT / ".ci" / "run").read_text()
    assert "make test" in (ROOT / "README.md").read_text()


# ------------------------------------------------------------ project sub-path


@pytest.fixture(scope="module")
def subpath_site(built_site, tmp_path_factory):
    """Serve the built site under the sub-path of site_url, as GitHub Pages serves a project site."""
    root = tmp_path_factory.mktemp("pages")
    sub = urlsplit(SITE_URL).path.strip("/")
    (root / sub).parent.mkdir(parents=True, exist_ok=True)
    os.symlink(built_site, root / sub)
    server, base = serve(root)
    yield f"{base}{sub}/"
    server.shutdown()


def _fetch(url: str) -> tuple[int, bytes]:
    try:
        with urllib.request.urlopen(url) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, b""


def test_every_link_and_asset_works_under_the_sub_path(built_site, subpath_site):
    checked, broken = set(), []
    for path in html_pages(built_site)[:: max(1, len(html_pages(built_site)) // 60)] + [built_site / "index.html"]:
        page_url = subpath_site + str(path.relative_to(built_site)).removesuffix("index.html")
        status, _ = _fetch(page_url)
        assert status == 200, page_url
        for _, link, _ in parse(path).links:
            if urlsplit(link).scheme or link.startswith("#"):
                continue
            target = urljoin(page_url, link).split("#")[0]
            if target in checked:
                continue
            checked.add(target)
            if not target.startswith(subpath_site) or _fetch(target)[0] != 200:
                broken.append(f"{page_url} -> {link}")
    assert not broken, broken[:10]
    assert len(checked) > 50


def test_sitemaps_and_robots_are_right_for_the_sub_path(built_site):
    namespace = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    for prefix in ("", "en/"):
        tree = ET.parse(built_site / prefix / "sitemap.xml")
        locations = [loc.text for loc in tree.findall(".//s:loc", namespace)]
        assert locations and all(loc.startswith(SITE_URL + prefix) for loc in locations)
        assert SITE_URL + prefix + "indicators/egdi-rank/" in locations
    xhtml = "{http://www.w3.org/1999/xhtml}link"
    entry = next(
        u
        for u in ET.parse(built_site / "en" / "sitemap.xml").getroot()
        if u.findtext("{http://www.sitemaps.org/schemas/sitemap/0.9}loc").endswith("/en/places/vn-31/")
    )
    alternates = {link.get("hreflang"): link.get("href") for link in entry.iter(xhtml)}
    assert alternates == {
        "vi": f"{SITE_URL}places/vn-31/",
        "en": f"{SITE_URL}en/places/vn-31/",
        "x-default": f"{SITE_URL}places/vn-31/",
    }
    robots = (built_site / "robots.txt").read_text()
    assert f"Sitemap: {SITE_URL}sitemap.xml" in robots and f"Sitemap: {SITE_URL}en/sitemap.xml" in robots


# ------------------------------------------------------------------- releases


def test_changelog_generator_finds_a_planted_change():
    first = {r.name: (DATA / f"{r.name}.csv").read_bytes() for r in schema.resources()}
    planted = dict(first)
    text = first["observations"].decode("utf-8")
    text = text.replace("fixed-broadband-speed,VN,2022-H1,actual,71.79", "fixed-broadband-speed,VN,2022-H1,actual,71.8")
    lines = text.splitlines(keepends=True)
    removed = next(line for line in lines if line.startswith("egdi-rank,VN,2022,"))
    text = "".join(line for line in lines if line != removed)
    text += "egdi-rank,VN,2020,actual,86,,false,baomoi-vinhphuc-2025-02-session-10,8,71/193,planted\n"
    planted["observations"] = text.encode("utf-8")
    changes = diff_files(first, planted)
    kinds = {(c.kind, c.key[:3]) for c in changes}
    assert ("changed", ("fixed-broadband-speed", "VN", "2022-H1")) in kinds
    assert ("removed", ("egdi-rank", "VN", "2022")) in kinds
    assert ("added", ("egdi-rank", "VN", "2020")) in kinds
    changelog = render_changelog([Release("1.0.0", "2026-01-01", first), Release("1.1.0", "2026-02-01", planted)], "T")
    assert changelog.index("## 1.1.0") < changelog.index("## 1.0.0")
    assert "Observations: 1 added, 1 removed, 1 changed." in changelog
    assert "value '71.79' → '71.8'" in changelog


def test_feed_lists_releases_and_every_page_links_it(built_site):
    feed = ET.parse(built_site / "feed.xml").getroot()
    atom = "{http://www.w3.org/2005/Atom}"
    titles = [e.findtext(f"{atom}title") for e in feed.findall(f"{atom}entry")]
    assert titles[0] == f"Version {load_metadata(DATA)['version']}"
    for path in html_pages(built_site)[::7]:
        feeds = [url for tag, url, a in parse(path).links if a.get("type") == "application/atom+xml"]
        assert feeds and (path.parent / feeds[0]).resolve() == (built_site / "feed.xml").resolve(), path


# ------------------------------------------------------------------- JSON-LD


def _jsonld(html: str) -> list[dict]:
    blocks = re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    return [json.loads(block) for block in blocks]


@pytest.mark.parametrize("lang", ["", "en/"])
@pytest.mark.parametrize(
    "path", ["indicators/fixed-broadband-speed", "indicators/ict-revenue", "data/observations", "data/places"]
)
def test_dataset_jsonld_has_the_required_properties(built_site, lang, path):
    html = (built_site / lang / path / "index.html").read_text(encoding="utf-8")
    (dataset,) = _jsonld(html)
    assert dataset["@context"] == "https://schema.org/" and dataset["@type"] == "Dataset"
    for key in (
        "name",
        "description",
        "license",
        "creator",
        "version",
        "datePublished",
        "dateModified",
        "distribution",
        "temporalCoverage",
        "spatialCoverage",
        "isBasedOn",
        "url",
    ):
        assert dataset.get(key), key
    assert dataset["version"] == str(load_metadata(DATA)["version"])
    for distribution in dataset["distribution"]:
        assert distribution["contentUrl"].startswith(SITE_URL) and distribution["encodingFormat"]
        local = built_site / distribution["contentUrl"].removeprefix(SITE_URL)
        assert local.is_file(), local
    if path.startswith("indicators/"):
        assert dataset["variableMeasured"] and dataset["variableMeasured"][0]["unitText"]
    if path == "data/observations":  # a table measures its columns (a thousand indicators would not fit)
        assert {v["propertyID"] for v in dataset["variableMeasured"]} >= {"indicator_id", "geo", "period", "value"}
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}/\d{4}-\d{2}-\d{2}", dataset["temporalCoverage"])
    assert all(work["name"] for work in dataset["isBasedOn"])


def test_dataset_markup_meets_googles_dataset_rules(built_site):
    """Google's required and recommended Dataset properties on every page (standards_schemaorg.py), one
    Dataset for the whole package on its data page listing every file of downloads/, which hasPart each
    table's and indicator's Dataset, each isPartOf it; the home page's DataCatalog points to it."""
    assert dataset_markup_problems(built_site, SITE_URL) == []
    for lang in ("", "en/"):
        (package,) = _jsonld((built_site / lang / "data" / "index.html").read_text(encoding="utf-8"))
        (catalog,) = _jsonld((built_site / lang / "index.html").read_text(encoding="utf-8"))
        assert catalog["@type"] == "DataCatalog" and catalog["dataset"] == [{"@id": package["@id"]}]
        parts = {part["@id"].removeprefix(f"{SITE_URL}{lang}") for part in package["hasPart"]}
        indicators = [p for p in (built_site / lang / "indicators").glob("*/index.html") if _jsonld(p.read_text())]
        assert parts == {f"data/{r.name}/" for r in schema.resources()} | {
            f"indicators/{p.parent.name}/" for p in indicators
        }


SCHEMA_SITE = "https://example.org/portal/"


def _schema_site(tmp_path: Path, change=None) -> Path:
    """A site of two Datasets, the package (data/) and its one table (data/t/), with two download files;
    change(package, table, pages) breaks it (pages: path -> the Datasets on that page)."""
    site = tmp_path / "site"
    (site / "downloads").mkdir(parents=True)
    for name in ("pkg.zip", "t.csv", "datapackage.json"):
        (site / "downloads" / name).write_bytes(b"x")

    def dataset(path: str, files: list[tuple[str, str]]) -> dict:
        return {
            "@context": "https://schema.org/",
            "@type": "Dataset",
            "@id": f"{SCHEMA_SITE}{path}",
            "url": f"{SCHEMA_SITE}{path}",
            "name": f"Dataset {path}",
            "description": "Figures of a synthetic portal, long enough for Google's fifty characters.",
            "identifier": f"{SCHEMA_SITE}{path}",
            "creator": {"@type": "Organization", "name": "Someone", "url": "https://example.org/"},
            "isAccessibleForFree": True,
            "keywords": ["figures"],
            "license": "https://creativecommons.org/licenses/by/4.0/",
            "spatialCoverage": [{"@type": "Place", "name": "A place"}],
            "temporalCoverage": "2019-01-01/2024-12-31",
            "variableMeasured": [{"@type": "PropertyValue", "name": "value"}],
            "version": "1.0.0",
            "includedInDataCatalog": {"@type": "DataCatalog", "name": "Portal", "url": SCHEMA_SITE},
            "distribution": [
                {"@type": "DataDownload", "contentUrl": f"{SCHEMA_SITE}downloads/{f}", "encodingFormat": media}
                for f, media in files
            ],
        }

    package = dataset("data/", [("pkg.zip", "application/zip"), ("t.csv", "text/csv")])
    table = dataset("data/t/", [("t.csv", "text/csv")])
    package["hasPart"], table["isPartOf"] = [{"@id": table["@id"]}], {"@id": package["@id"]}
    pages = {"data/index.html": [package], "data/t/index.html": [table]}
    if change:
        change(package, table, pages)
    for path, blocks in pages.items():
        (site / path).parent.mkdir(parents=True, exist_ok=True)
        scripts = "".join(
            f'<script type="application/ld+json">{b if isinstance(b, str) else json.dumps(b)}</script>' for b in blocks
        )
        (site / path).write_text(f"<html><head>{scripts}</head><body></body></html>", encoding="utf-8")
    return site


BROKEN_MARKUP = {  # what breaks the synthetic site -> the problem the checker reports
    "short-description": (
        lambda p, t, pages: t.update(description="Too short."),
        "data/t/index.html: description has 10",
    ),
    "no-identifier": (lambda p, t, pages: t.pop("identifier"), "data/t/index.html: no identifier"),
    "untyped-creator": (lambda p, t, pages: t.update(creator={"name": "X"}), "not typed Person or Organization"),
    "period-in-words": (lambda p, t, pages: t.update(temporalCoverage="2019 to 2024"), "is not ISO 8601"),
    "untyped-place": (lambda p, t, pages: t.update(spatialCoverage=[{"name": "A"}]), "neither text nor a Place"),
    "format-name": (lambda p, t, pages: t["distribution"][0].update(encodingFormat="CSV"), "is not a media type"),
    "missing-file": (
        lambda p, t, pages: t["distribution"][0].update(contentUrl=f"{SCHEMA_SITE}downloads/gone.csv"),
        "downloads/gone.csv is no file of the site",
    ),
    "package-without-zip": (
        lambda p, t, pages: p["distribution"].pop(0),
        "lists 1 of the 2 files of downloads/; not pkg.zip",
    ),
    "part-not-naming-back": (lambda p, t, pages: t.pop("isPartOf"), "does not name it in its isPartOf"),
    "no-package": (lambda p, t, pages: pages.pop("data/index.html"), "no page has a Dataset of the whole package"),
    "two-per-page": (lambda p, t, pages: pages["data/t/index.html"].append(dict(t)), "2 Dataset blocks"),
    "not-json": (lambda p, t, pages: pages["data/t/index.html"].append("{"), "is not JSON"),
}


def test_dataset_markup_checker_passes_a_complete_site(tmp_path):
    assert dataset_markup_problems(_schema_site(tmp_path), SCHEMA_SITE) == []


@pytest.mark.parametrize("broken", list(BROKEN_MARKUP))
def test_dataset_markup_checker_finds_each_problem(tmp_path, broken):
    change, expected = BROKEN_MARKUP[broken]
    problems = dataset_markup_problems(_schema_site(tmp_path, change), SCHEMA_SITE)
    assert any(expected in problem for problem in problems), problems


def test_dcat_catalogue_is_harvestable(built_site):
    catalog = json.loads((built_site / "catalog.jsonld").read_text(encoding="utf-8"))
    assert catalog["@type"] == "dcat:Catalog" and catalog["@context"]["dcat"] == "http://www.w3.org/ns/dcat#"
    (dataset,) = catalog["dcat:dataset"]
    assert {t["@language"] for t in dataset["dct:title"]} == {"vi", "en"}
    assert dataset["dcat:version"] == str(load_metadata(DATA)["version"])  # DCAT-AP 3 (owl:versionInfo is deprecated)
    downloads = [d["dcat:downloadURL"]["@id"] for d in dataset["dcat:distribution"]]
    assert len(downloads) >= len(schema.resources()) * 3
    for url in downloads:
        assert (built_site / url.removeprefix(SITE_URL)).is_file(), url


# ------------------------------------------------------------------------ API


def test_api_matches_the_package(built_site):
    api = built_site / "api"
    tables = load_tables(DATA)
    listing = json.loads((api / "indicators.json").read_text(encoding="utf-8"))["indicators"]
    assert [i["indicator_id"] for i in listing] == list(tables["indicators"].frame["indicator_id"])
    observations = tables["observations"].frame
    total = 0
    for entry in listing:
        data = json.loads((api / "indicators" / f"{entry['indicator_id']}.json").read_text(encoding="utf-8"))
        rows = observations[observations["indicator_id"] == entry["indicator_id"]]
        assert len(data["observations"]) == len(rows) == entry["observations"]
        expected = {(r.geo, r.period, r.kind, r.source_id, float(r.value), r.as_written) for r in rows.itertuples()}
        assert data["api_version"] == 2 and data["columns"][0] == "indicator_id"
        objects = [dict(zip(data["columns"], values, strict=True)) for values in data["observations"]]
        got = {(o["geo"], o["period"], o["kind"], o["source_id"], float(o["value"]), o["as_written"]) for o in objects}
        assert got == expected
        total += len(rows)
    assert total == len(observations)
    for geo in tables["places"].frame["geo"]:
        place = json.loads((api / "places" / f"{geo.lower()}.json").read_text(encoding="utf-8"))
        assert place["place"]["geo"] == geo
        # a place lists its indicators with the count of its rows in each (the rows are in the indicator's file)
        here = observations[observations["geo"] == geo]["indicator_id"].value_counts()
        assert {i["indicator_id"]: i["observations"] for i in place["indicators"]} == here.to_dict()
        assert all(i["api_url"].endswith(f"api/indicators/{i['indicator_id']}.json") for i in place["indicators"])
        # its CSV link names a published file, and a place without figures has none (it named a missing file)
        csv_url = place["place"].get("csv_url")
        assert (csv_url is None) == here.empty, (geo, csv_url)
        if csv_url:
            assert (built_site / csv_url.removeprefix(SITE_URL)).is_file(), csv_url
    sources = json.loads((api / "sources.json").read_text(encoding="utf-8"))["sources"]
    assert {s["source_id"] for s in sources} == set(tables["sources"].frame["source_id"])


def test_api_page_documents_python_and_javascript(built_site):
    for lang in ("", "en/"):
        html = (built_site / lang / "api" / "index.html").read_text(encoding="utf-8")
        assert "api/indicators.json" in html and "urllib.request" in html and "fetch(" in html


# ------------------------------------------------------------------- freshness


def test_pages_say_when_their_data_last_changed(built_site):
    """Each page names the release in which its own data last changed (an older one when it did not)."""
    released = "|".join(re.escape(p.name) for p in (DATA / "releases").iterdir() if p.is_dir())
    current = str(load_metadata(DATA)["version"])
    seen = set()
    for path in html_pages(built_site)[::5]:
        html = path.read_text(encoding="utf-8")
        found = re.search(
            r'<p class="freshness"[^>]*>\s*(Dữ liệu của trang này thay đổi lần cuối:|Data on this page last '
            rf"changed:)\s*\S+.*?\((trong phiên bản dữ liệu|in data version) ({released})\)",
            html,
            re.S,
        )
        assert found, path
        seen.add(found.group(3))
    assert current in seen  # the pages whose data this release changed say so
    assert "Nguồn mới nhất: 06/02/2025" in (built_site / "index.html").read_text(encoding="utf-8")


@pytest.mark.parametrize(
    "lang, label, line_word", [("", "Trích dẫn con số mới nhất", "dòng"), ("en/", "To cite the latest figure", "line")]
)
def test_an_indicators_latest_figure_is_cited_with_its_own_source_line_and_the_datasets_version(
    built_site, lang, label, line_word
):
    """A journalist quotes a figure with the document that printed it, not only the dataset."""
    observations = load_tables(DATA)["observations"].frame
    version = str(load_metadata(DATA)["version"])
    cited = 0
    for indicator_id, rows in observations.groupby("indicator_id"):
        html = (built_site / lang / "indicators" / indicator_id / "index.html").read_text(encoding="utf-8")
        found = re.search(rf"<strong>{label}:</strong> ([^<]+)</p>", html)
        assert found, indicator_id
        quote = found[1]
        line = int(re.search(rf"\b{line_word} (\d+);", quote)[1])
        printed = rows[rows["line"].astype(int) == line]
        assert len(printed), (indicator_id, quote)  # the line of one of its own figures
        assert f"{version}, " in quote and quote.endswith(f"indicators/{indicator_id}/")
        cited += 1
    assert cited == observations["indicator_id"].nunique()


def test_how_to_cite_boxes_carry_citation_and_bibtex_with_version(built_site):
    version = str(load_metadata(DATA)["version"])
    for path in ("indicators/egdi-rank", "data/observations"):
        for lang, heading in (("", "Cách trích dẫn"), ("en/", "How to cite")):
            html = (built_site / lang / path / "index.html").read_text(encoding="utf-8")
            assert heading in html and "@misc{" in html and f"version = {{{version}}}" in html

"""The three example portals under examples/, built by the same code as this one: a world dataset of
142 countries in one language, Mexico's states in Spanish and English, and the United States' quarterly
series with its 51 states in English and Spanish. Each is validated against its archived source files
and built; its pages say nothing of Vietnam."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from conftest import ROOT

EXAMPLES = ROOT / "examples"
# What each example is: its languages, default first; its places; its longest series, for one place
SHAPES = {
    "gapminder": {"languages": ["en"], "places": 142, "longest": ("life-expectancy", "AFG", "1952", "2007", 12)},
    "mexico": {"languages": ["es", "en"], "places": 32, "longest": ("gdp-per-capita", "MX-AGU", "1940", "2000", 7)},
    "united-states": {
        "languages": ["en", "es"],
        "places": 52,
        "longest": ("real-gdp", "US", "1959-Q1", "2009-Q3", 203),
    },
}
VIETNAM_WORDS = re.compile(r"việt|vietnam|viet nam|tỉnh|ủy ban|province|vndx|/VNM|/VIE\b|Đề án", re.IGNORECASE)


@pytest.fixture(scope="module", params=list(SHAPES))
def example(request, built_example) -> tuple[str, Path]:
    """An example's site, built once a session (the chart tests read the same builds)."""
    name = request.param
    site = built_example(name)
    assert "provenance checked" in built_example.output[name]
    return name, site


def test_every_indicator_place_and_source_has_its_page(example):
    name, site = example
    data = EXAMPLES / name / "data"
    import csv

    def ids(table: str, column: str) -> list[str]:
        with open(data / f"{table}.csv", encoding="utf-8") as f:
            return [row[column] for row in csv.DictReader(f)]

    for indicator in ids("indicators", "indicator_id"):
        assert (site / "indicators" / indicator / "index.html").is_file(), indicator
    for geo in ids("places", "geo"):
        assert (site / "places" / geo.lower() / "index.html").is_file(), geo
    for source in ids("sources", "source_id"):
        assert (site / "sources" / source / "index.html").is_file(), source


def test_the_site_is_in_its_own_languages(example):
    name, site = example
    languages = SHAPES[name]["languages"]
    home = (site / "index.html").read_text(encoding="utf-8")
    assert f'<html lang="{languages[0]}"' in home
    for other in languages[1:]:
        assert f'<html lang="{other}"' in (site / other / "index.html").read_text(encoding="utf-8")
    catalogue = json.loads((site / "catalog.jsonld").read_text(encoding="utf-8"))
    dataset = catalogue["dcat:dataset"][0]
    assert [entry["@language"] for entry in dataset["dct:title"]] == languages


def test_the_pages_say_nothing_of_vietnam(example):
    """Only the example's own data may name Viet Nam (the world dataset has it as one of 142 countries):
    no word of the Vietnamese portal comes from the generator."""
    name, site = example
    own = " ".join(p.read_text(encoding="utf-8") for p in (EXAMPLES / name / "data").glob("*.csv"))
    allowed = {hit.casefold() for hit in VIETNAM_WORDS.findall(own)}
    if "VNM" in own:
        allowed.add("/vnm")  # its place page's address
    found = {}
    for path in site.rglob("*"):
        if path.is_file() and path.suffix in (".html", ".json", ".jsonld", ".csv", ".svg", ".xml"):
            hits = {h for h in VIETNAM_WORDS.findall(path.read_text(encoding="utf-8", errors="replace"))}
            hits = {h for h in hits if h.casefold() not in allowed}
            if hits:
                found[str(path.relative_to(site))] = sorted(hits)
    assert not found, found


def test_every_place_and_the_longest_series_are_published_whole(example):
    """142 countries, 32 or 51 states; 12 years, 7 decades or 203 quarters: every place has its page and
    its API document, and the longest series reaches the API in order, from its first period to its last."""
    name, site = example
    shape = SHAPES[name]
    assert len(list((site / "api" / "places").glob("*.json"))) == shape["places"]
    assert len([p for p in (site / "places").iterdir() if (p / "index.html").is_file()]) == shape["places"]
    indicator, geo, first, last, count = shape["longest"]
    document = json.loads((site / "api" / "indicators" / f"{indicator}.json").read_text(encoding="utf-8"))
    columns = document["columns"]
    periods = [
        row[columns.index("period")]
        for row in document["observations"]
        if row[columns.index("geo")] == geo and row[columns.index("kind")] == "actual"
    ]
    assert (len(periods), periods[0], periods[-1]) == (count, first, last)
    assert periods == sorted(periods)


def test_every_chart_stays_within_its_budget(example):
    """142 countries or 51 states: the featured places as lines, the rest as a band, in 60 KB; a series
    of 203 quarters too."""
    name, site = example
    charts = sorted(svg for svg in site.rglob("*.svg") if "charts" in svg.relative_to(site).parts)  # every language's
    assert charts
    over = {str(svg.relative_to(site)): svg.stat().st_size for svg in charts if svg.stat().st_size > 60_000}
    assert not over, over


def test_an_event_in_a_site_without_events_is_refused_by_its_row(tmp_path):
    """A site.yml with `events: null` publishes an events table whose kind lists no value; its rows are
    refused by validate (the published descriptor states no empty enum, which Table Schema v2 forbids)."""
    import shutil

    from conftest import run_cli

    project = tmp_path / "gapminder"
    shutil.copytree(ROOT / "examples" / "gapminder", project)
    assert "events: null" in (project / "data" / "site.yml").read_text(encoding="utf-8")
    source_id = (project / "data" / "sources.csv").read_text(encoding="utf-8").splitlines()[1].split(",")[0]
    with (project / "data" / "events.csv").open("a", encoding="utf-8") as handle:
        handle.write(f"a-meeting,2020-01-01,meeting,,A meeting,Someone,{source_id},3\n")
    result = run_cli("validate", "--project", project)
    assert result.returncode != 0
    lines = [line for line in (result.stdout + result.stderr).splitlines() if "[events-not-configured]" in line]
    assert lines == [
        f"{project / 'data' / 'events.csv'}: row 2, column kind: [events-not-configured] an event where site.yml"
        " configures none (events: null) (configure events (their kinds and page texts) in site.yml, or leave"
        " this table empty)"
    ], result.stdout

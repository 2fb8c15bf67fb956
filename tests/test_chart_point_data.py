"""A chart's tappable points cost a few dozen bytes each (issue 31, point 2): a monthly series of 1,000
points, drawn in both languages at both widths, stays under 60 KB a drawing, its points' metadata
under 40 bytes a point; and portal.js reads back, for every point, the tooltip and source Python wrote,
on that series and on every chart of the Vietnamese fixture.

The series is made here: the Vietnamese fixture with one indicator's figures replaced by 1,000 months
for the featured place, each citing its own line of one source (long_monthly_series)."""

from __future__ import annotations

import csv
import random
import re
import shutil
from pathlib import Path

import pytest
import yaml
from conftest import DATA, ROOT

from build_scripts.config import load as site_load
from build_scripts.config.site import using
from build_scripts.data import schema
from build_scripts.data.load import load_tables
from build_scripts.data.model import build_portal
from build_scripts.data.package import canonical_csv, load_metadata
from build_scripts.site.chart_points import tip_text
from build_scripts.site.chart_specs import indicator_chart, overview_chart
from build_scripts.site.charts import draw_variants

INDICATOR = "online-dossier-share"  # a share in per cent, of the featured place
MONTHS = 1000
BUDGET = 60 * 1024  # bytes of one drawing
POINT_BUDGET = 40  # bytes of the points' metadata, per point
METADATA = re.compile(rb'<metadata id="(?:points|tips)">.*?</metadata>', re.S)


def long_monthly_series(folder: Path) -> Path:
    """A data folder: the fixture, INDICATOR's figures replaced by MONTHS months for VN (from January
    1941), values with one decimal, every tenth one 'approx', each on its own line of one source."""
    data = folder / "data"
    shutil.copytree(DATA, data)
    with open(data / "observations.csv", encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        fields, rows = reader.fieldnames, [r for r in reader if r["indicator_id"] != INDICATOR]
    source = rows[0]["source_id"]
    rng = random.Random(31)
    for n in range(MONTHS):
        value = round(rng.uniform(5, 99), 1)
        qualifier = "approx" if n % 10 == 0 else ""
        rows.append(
            {
                **dict.fromkeys(fields, ""),
                "indicator_id": INDICATOR,
                "geo": "VN",
                "period": f"{1941 + n // 12}-{n % 12 + 1:02d}",
                "kind": "actual",
                "value": f"{value:g}",
                "qualifier": qualifier,
                "is_derived": "false",
                "source_id": source,
                "line": str(n + 1),
                "as_written": ("khoảng " if qualifier else "") + f"{value:g}".replace(".", ",") + "%",
            }
        )
    with open(data / "observations.csv", "w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=fields, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    return data


@pytest.fixture(scope="module")
def monthly_series_specs(tmp_path_factory) -> dict[str, dict]:
    """The specs, in each language, of INDICATOR's chart of MONTHS monthly points."""
    data = long_monthly_series(tmp_path_factory.mktemp("monthly"))
    config = site_load.load_site(data)
    with using(config):
        tables = load_tables(data)
        files = {r.name: canonical_csv(tables[r.name]) for r in schema.resources()}
        portal = build_portal(config, tables, load_metadata(data), files)
        specs = {lang: indicator_chart(portal, INDICATOR, lang)[0] for lang in ("vi", "en")}
    assert [len(s["points"]) for s in specs["vi"]["series"]] == [MONTHS]
    return specs


@pytest.fixture(scope="module")
def monthly_series_drawings(monthly_series_specs) -> dict[str, bytes]:
    """Its SVG drawings: each language, wide and narrow."""
    drawn = draw_variants(monthly_series_specs)
    svgs = {name: svg for name, svg in drawn.items() if name.endswith(".svg")}
    assert len(svgs) == 4, list(drawn)
    return svgs


def test_a_1000_point_series_costs_under_40_bytes_of_metadata_a_point(monthly_series_drawings):
    for name, svg in monthly_series_drawings.items():
        metadata = sum(len(found) for found in METADATA.findall(svg))
        assert metadata / MONTHS < POINT_BUDGET, (name, metadata / MONTHS)


def test_a_1000_point_series_drawing_is_under_60_kb(monthly_series_drawings):
    sizes = {name: len(svg) for name, svg in monthly_series_drawings.items()}
    assert all(size < BUDGET for size in sizes.values()), sizes


def tips_in(spec) -> list[list[str]]:
    """Every tooltip and source a spec holds ('tip' and 'cite', 'target_tip' and 'target_cite', 'tips'
    and 'cites'), but those of figures the portal lacks, which are not drawn."""
    found = []
    if isinstance(spec, dict):
        for prefix in ("", "target_"):
            if spec.get(prefix + "tip") is not None:
                found.append((spec[prefix + "tip"], spec[prefix + "cite"]))
        found += [pair for pair in zip(spec.get("tips", []), spec.get("cites", [])) if pair[0] is not None]
        spec = list(spec.values())
    pairs = [[tip_text(tip), f"{before}{line}{after}"] for tip, (before, after, line) in found]
    return pairs + [pair for item in spec for pair in tips_in(item)] if isinstance(spec, list) else []


@pytest.fixture
def chart_points(browser):
    """chartPoints(svg) of portal.js, in a page of Chromium: each point of a drawing as a reader's
    browser reads it, [x, y, text, source]."""
    page = browser.new_page()
    page.set_content("<script>window.document$ = { subscribe: function () {} };</script>")
    page.add_script_tag(path=str(ROOT / "build_scripts" / "site" / "assets" / "portal.js"))
    yield lambda svg: page.evaluate("text => chartPoints(text).points", svg.decode("utf-8"))
    page.close()


@pytest.mark.browser
def test_portal_js_reads_each_of_1000_points_as_python_wrote_it(
    chart_points, monthly_series_specs, monthly_series_drawings
):
    """Every point's text and source, in order from left to right, inside the drawing."""
    for name, svg in monthly_series_drawings.items():
        read = chart_points(svg)
        assert [point[2:] for point in read] == tips_in(monthly_series_specs[name.split(".")[0]]), name
        assert all(0 <= point[0] <= 1 and 0 <= point[1] <= 1 for point in read), name
        xs = [point[0] for point in read]
        assert xs == sorted(xs) and len(set(xs)) > MONTHS / 2, name


@pytest.fixture(scope="module")
def fixture_portal_specs() -> list[dict[str, dict]]:
    """The specs of every chart of the Vietnamese fixture, its indicators' and its overview's, in both languages."""
    tables = load_tables(DATA)
    portal = build_portal(
        site_load.load_site(DATA),
        tables,
        load_metadata(DATA),
        {r.name: canonical_csv(tables[r.name]) for r in schema.resources()},
    )
    configs = yaml.safe_load((DATA / "overview.yml").read_text(encoding="utf-8"))
    made = [lambda lang, i=i: indicator_chart(portal, i, lang) for i in portal.by_indicator]
    made += [lambda lang, c=c: overview_chart(portal, c, lang) for c in configs]
    return [{lang: make(lang)[0] for lang in ("vi", "en")} for make in made]


@pytest.mark.browser
def test_portal_js_reads_every_charts_points_as_python_wrote_them(chart_points, fixture_portal_specs):
    """Each kind of chart (series, bars, rankings, cards, the overview's whole texts), each drawing: the
    texts and sources portal.js reads are those of the spec, none lost, none added."""
    kinds = set()
    for specs in fixture_portal_specs:
        for name, svg in draw_variants(specs).items():
            if name.endswith(".svg"):
                spec = specs[name.split(".")[0]]
                assert sorted(point[2:] for point in chart_points(svg)) == sorted(tips_in(spec)), (spec["title"], name)
                kinds.add(spec["kind"])
    assert kinds >= {"series", "bars", "card", "progress", "stacked", "grouped"}

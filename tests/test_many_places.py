"""Charts of many places: with 10, 64 or 200 places, in 1, 3 or 12 periods, with and without featured
places, an indicator's chart stays readable and within the 60 KB budget.

The data folders are generated here: a copy of the Vietnamese fixture whose places.csv gains N places
and whose observations.csv gives a few indicators figures for all of them (see many_places()).
"""

from __future__ import annotations

import csv
import html
import random
import re
import shutil
from pathlib import Path

import pytest
from conftest import DATA

from build_scripts.config import load as site_load
from build_scripts.config.site import using
from build_scripts.data import schema
from build_scripts.data.load import load_tables
from build_scripts.data.model import build_portal
from build_scripts.data.package import canonical_csv, load_metadata
from build_scripts.site.chart_places import MAX_LEGEND_ENTRIES, RANKED_PLACES
from build_scripts.site.chart_points import tip_text
from build_scripts.site.chart_specs import indicator_chart
from build_scripts.site.charts import legend_labels

BUDGET = 60 * 1024  # bytes of one chart's SVG
SOURCE = "baomoi-vinhphuc-2025-02-session-10"

# indicator -> (periods, what it has besides one actual figure per place and period)
SHAPES = {
    "fibre-household-share": (["2024"], "featured"),  # one year: every place, and the featured places
    "payment-account-share": (["2024"], "targets"),  # one year, a target for every place
    "egdi-rank": (["2024"], "rank"),  # one year of ranks: lower is better
    "e-invoice-business-share": (["2022", "2023", "2024"], "featured"),
    "online-dossier-share": ([str(year) for year in range(2013, 2025)], "crowded"),  # halves, targets, derived
    "digital-economy-gdp-share": ([str(year) for year in range(2013, 2025)], "latest-only"),  # places: 2024 only
}


def place_row(n: int) -> dict:
    """A generated province; every seventh one with a long name, as real ones can have."""
    long = " mở rộng theo Nghị quyết sáp nhập" if n % 7 == 0 else ""
    long_en = " (enlarged under the merger resolution)" if n % 7 == 0 else ""
    return {
        "geo": f"XX-P{n:03d}",
        "name_vi": f"Tỉnh Thử nghiệm {n:03d}{long}",
        "name_en": f"Test Province {n:03d}{long_en}",
        "level": "province",
        "reference_vi": "Địa bàn sinh ra cho kiểm thử",
        "reference_en": "Place generated for tests",
    }


def many_places(folder: Path, places: int, featured: list[str], seed: int = 1) -> Path:
    """A data folder: the Vietnamese fixture with `places` more provinces, the indicators of SHAPES
    given their figures for each of them (their own rows replaced), and site.yml's featured_places."""
    data = folder / "data"
    shutil.copytree(DATA, data)
    rng = random.Random(seed)
    with open(data / "places.csv", encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        fields, rows = reader.fieldnames, list(reader)
    rows += [{**dict.fromkeys(fields, ""), **place_row(n)} for n in range(1, places + 1)]
    _write_csv(data / "places.csv", fields, rows)

    with open(data / "observations.csv", encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        fields, rows = reader.fieldnames, [r for r in reader if r["indicator_id"] not in SHAPES]
    geos = [f"XX-P{n:03d}" for n in range(1, places + 1)]

    def figure(indicator, geo, period, value, kind="actual", qualifier="", derived=False):
        rows.append(
            {
                **dict.fromkeys(fields, ""),
                "indicator_id": indicator,
                "geo": geo,
                "period": period,
                "kind": kind,
                "value": f"{value:g}",
                "qualifier": qualifier,
                "is_derived": "true" if derived else "false",
                "source_id": SOURCE,
                "line": "1",
                "as_written": ("khoảng " if qualifier == "approx" else "") + f"{value:g}".replace(".", ","),
                "note_vi": "Tính từ hai số liệu đã in." if derived else "",
                "note_en": "Computed from two printed figures." if derived else "",
            }
        )

    for indicator, (periods, extra) in SHAPES.items():
        for geo in geos:
            for period in periods if extra != "latest-only" else periods[-1:]:
                if extra == "rank":
                    figure(indicator, geo, period, rng.randint(1, 193))
                else:
                    figure(
                        indicator, geo, period, round(rng.uniform(5, 99), 1), qualifier=rng.choice(["", "", "approx"])
                    )
            if extra == "targets":
                figure(indicator, geo, periods[-1], 90, kind="target")
        if extra in ("featured", "crowded", "latest-only"):
            for period in periods:
                figure(indicator, "VN", period, round(rng.uniform(20, 80), 1), derived=extra == "crowded")
                figure(indicator, "WORLD", period, round(rng.uniform(20, 80), 1))
        if extra == "crowded":  # half-years beside the years, and targets in both: each a series of its own
            for period in periods[-4:]:
                figure(indicator, "VN", f"{period}-H1", round(rng.uniform(20, 80), 1))
                figure(indicator, "WORLD", f"{period}-H1", round(rng.uniform(20, 80), 1))
            figure(indicator, "VN", "2025", 95, kind="target")
            figure(indicator, "VN", "2025-H1", 80, kind="target")
            figure(indicator, "WORLD", "2025", 85, kind="target")
    _write_csv(data / "observations.csv", fields, rows)

    site = data / "site.yml"
    text = site.read_text(encoding="utf-8")
    text = re.sub(r"(?m)^featured_places: .*$", f"featured_places: [{', '.join(featured)}]", text)
    site.write_text(text, encoding="utf-8")
    return data


def _write_csv(path: Path, fields: list[str], rows: list[dict]) -> None:
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=fields, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


FEATURED = {"featured": ["VN", "WORLD"], "none": []}


@pytest.fixture(scope="module")
def builds(tmp_path_factory):
    """Each data folder built once, as it is requested: (places, featured) -> (data folder, work folder)."""
    from build_scripts.pipeline import build_site

    made = {}

    def build(places: int, featured: str) -> tuple[Path, Path]:
        if (places, featured) not in made:
            folder = tmp_path_factory.mktemp(f"places-{places}-{featured}")
            data = many_places(folder, places, FEATURED[featured])
            build_site(data, folder / "site", work=folder / "work", run_mkdocs=False)
            made[places, featured] = data, folder / "work"
        return made[places, featured]

    return build


def portal_of(data: Path):
    """The portal of data, read in its own configuration (the caller holds it in use to read its words)."""
    config = site_load.load_site(data)
    with using(config):
        tables = load_tables(data)
        files = {r.name: canonical_csv(tables[r.name]) for r in schema.resources()}
        return build_portal(config, tables, load_metadata(data), files)


def svg_texts(svg: bytes) -> list[str]:
    return [html.unescape(t) for t in re.findall(r"<text[^>]*>([^<]*)</text>", svg.decode("utf-8"))]


@pytest.mark.parametrize("featured", FEATURED)
@pytest.mark.parametrize("places", [10, 64, 200])
def test_every_indicator_chart_stays_within_the_budget_and_its_legend_within_bounds(builds, places, featured):
    data, work = builds(places, featured)
    portal = portal_of(data)
    charts = work / "docs"
    sizes = {}
    for indicator_id in portal.by_indicator:
        for lang in ("vi", "en"):
            spec, alt = indicator_chart(portal, indicator_id, lang)
            labels = legend_labels(spec)
            assert len(labels) <= MAX_LEGEND_ENTRIES, (indicator_id, labels)
            drawn = charts / lang / "charts" / "indicators"
            for variant in ("svg", "narrow.svg"):
                svg = (drawn / f"{indicator_id}.{variant}").read_bytes()
                sizes[indicator_id, lang, variant] = len(svg)
                assert len(svg) <= BUDGET, (indicator_id, lang, variant, len(svg))
                texts = svg_texts(svg)
                assert all(label in texts for label in labels), (indicator_id, labels)  # each entry is drawn
            assert alt.endswith(".") and spec["title"].split()[0] in alt
    assert len(sizes) >= 4 * len(SHAPES)


@pytest.mark.parametrize("featured", FEATURED)
@pytest.mark.parametrize("places", [10, 64, 200])
def test_one_period_of_many_places_is_a_ranking_of_the_top_and_bottom(builds, places, featured):
    data, _ = builds(places, featured)
    portal = portal_of(data)
    spec, alt = indicator_chart(portal, "fibre-household-share", "en")
    assert spec["kind"] == "ranking"
    rows = spec["rows"]
    bars = [row for row in rows if "gap" not in row]
    shown = [row for row in bars if not row["featured"]]
    assert len(shown) == min(2 * RANKED_PLACES, places + (0 if featured == "featured" else 2))
    assert [row["value"] for row in bars] == sorted((row["value"] for row in bars), reverse=True)  # best first
    assert sum(row.get("gap", 0) for row in rows) + len(bars) == places + 2  # every place: a bar or in a gap
    highlighted = {row["label"] for row in bars if row["featured"]}
    assert highlighted == ({"Viet Nam", "World (average)"} if featured == "featured" else set())
    assert all(row["color"] != bars[0]["color"] for row in bars if row["featured"])
    ranking = spec["ranking"]
    assert ranking["period"] == "2024" and ranking["higher_is_better"] is True
    assert len(ranking["top"]) == RANKED_PLACES and 0 < len(ranking["bottom"]) <= RANKED_PLACES
    assert ranking["top"][0]["value"] >= ranking["top"][-1]["value"] >= ranking["bottom"][0]["value"]
    assert ranking["bottom"][-1]["value"] == min(row["value"] for row in bars if not row["featured"])
    assert ranking["top"][0]["name"] in alt and ranking["bottom"][-1]["name"] in alt and "median of" in alt


def test_where_lower_is_better_the_ranking_puts_the_lowest_first(builds):
    data, _ = builds(64, "featured")
    spec, _ = indicator_chart(portal_of(data), "egdi-rank", "vi")
    ranking = spec["ranking"]
    assert ranking["higher_is_better"] is False
    assert ranking["top"][0]["value"] <= ranking["top"][-1]["value"] <= ranking["bottom"][-1]["value"]
    assert ranking["top"][0]["value_label"].startswith("thứ ")


@pytest.mark.parametrize("featured", FEATURED)
@pytest.mark.parametrize("places", [10, 64, 200])
@pytest.mark.parametrize("indicator_id", ["e-invoice-business-share", "online-dossier-share"])
def test_over_time_the_featured_places_are_lines_and_the_rest_a_band(builds, places, featured, indicator_id):
    data, _ = builds(places, featured)
    portal = portal_of(data)
    spec, alt = indicator_chart(portal, indicator_id, "en")
    assert spec["kind"] == "series"
    places_drawn = {s["label"].split(" · ")[0] for s in spec["series"] if s["role"] == "actual"}
    assert places_drawn == ({"Viet Nam", "World (average)"} if featured == "featured" else set())
    band = spec["band"]
    assert band["count"] == places + (0 if featured == "featured" else 2)
    assert len(band["points"]) == len(SHAPES[indicator_id][0])
    assert band["color"] not in {s["color"] for s in spec["series"] if s["role"] == "actual"}
    assert spec["ranking"]["period"] == "2024" and spec["ranking"]["count"] == band["count"]


def test_a_crowded_legend_gives_every_target_one_entry(builds):
    """Viet Nam and the world in years and half-years, targets in both, derived values and a band: eleven
    entries as drawn one by one; the targets become one series (each tooltip names its place)."""
    data, _ = builds(64, "featured")
    spec, alt = indicator_chart(portal_of(data), "online-dossier-share", "en")
    targets = [s for s in spec["series"] if s["role"] == "target"]
    assert len(targets) == 1 and targets[0]["label"] == "Target" and len(targets[0]["points"]) == 3
    tips = [tip_text(tip) for tip in targets[0]["tips"]]
    assert any("Viet Nam" in tip for tip in tips) and any("World" in tip for tip in tips)
    assert "95% (Viet Nam, 2025)" in alt
    assert len(legend_labels(spec)) == 8


def test_places_with_only_the_latest_period_make_a_band_of_one_period(builds):
    data, work = builds(200, "featured")
    spec, _ = indicator_chart(portal_of(data), "digital-economy-gdp-share", "vi")
    assert spec["kind"] == "series" and len(spec["band"]["points"]) == 1
    svg = (work / "docs" / "vi" / "charts" / "indicators" / "digital-economy-gdp-share.svg").read_text("utf-8")
    assert spec["band"]["color"] in svg  # drawn: a short bar of the range at its period


@pytest.mark.parametrize("featured", FEATURED)
def test_a_few_places_are_still_drawn_each_as_its_own_bar_or_line(tmp_path, featured):
    """Two provinces, Viet Nam and the world: four places, featured or not, are four bars or lines."""
    data = many_places(tmp_path, 2, FEATURED[featured])
    portal = portal_of(data)
    bars, _ = indicator_chart(portal, "fibre-household-share", "en")
    assert bars["kind"] == "bars" and len(bars["bars"]) == 4 and "ranking" not in bars
    series, _ = indicator_chart(portal, "e-invoice-business-share", "en")
    assert "band" not in series and "ranking" not in series
    assert len({s["label"] for s in series["series"]}) == 4


def test_the_planner_keeps_any_legend_within_bounds():
    """Eight featured places, each with every kind of period and targets, derived values, and others."""
    from build_scripts.site.chart_places import Kinds, plan, series_legend

    kinds_of_period = {"year", "half", "quarter", "month", "day"}
    featured = [f"F{n}" for n in range(8)]
    others = [f"P{n}" for n in range(3)]
    kinds = {g: Kinds(set(kinds_of_period), set(kinds_of_period), True) for g in featured + others}
    for single in (False, True):
        for count in range(0, 9):
            chosen = plan(featured[:count], others, kinds, single_period=single)
            if single:
                assert chosen.ranked or len(chosen.lines) <= 6
                continue
            entries = len(series_legend(chosen.lines, kinds, bool(chosen.summarised), chosen.merged_targets))
            assert entries <= MAX_LEGEND_ENTRIES
            assert sorted(chosen.lines + chosen.summarised) == sorted(featured[:count] + others)

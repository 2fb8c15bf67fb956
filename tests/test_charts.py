"""The chart contract: right kind for the data, labels in the page's language, alt text, same bytes."""

from __future__ import annotations

import gc
import html
import re

import pytest
import yaml
from conftest import DATA

from build_scripts.config.load import load_site
from build_scripts.data import schema
from build_scripts.data.load import load_tables
from build_scripts.data.model import build_portal
from build_scripts.data.package import canonical_csv, load_metadata
from build_scripts.site import chart_canvas
from build_scripts.site.chart_legend import entry as legend_entry
from build_scripts.site.chart_points import tip_text
from build_scripts.site.chart_sizes import progress_legend
from build_scripts.site.chart_sources import short_source_name
from build_scripts.site.chart_specs import indicator_chart, overview_chart
from build_scripts.site.chart_style import COLORS
from build_scripts.site.charts import draw_chart, draw_charts, draw_variants, figure_size


@pytest.fixture(scope="module")
def portal():
    tables = load_tables(DATA)
    files = {r.name: canonical_csv(tables[r.name]) for r in schema.resources()}
    return build_portal(load_site(DATA), tables, load_metadata(DATA), files)


def test_two_periods_make_a_time_series_with_the_world_beside_viet_nam(portal):
    spec, alt = indicator_chart(portal, "fixed-broadband-speed", "en")
    assert spec["kind"] == "series"
    # a half-year and a year are different quantities: each kind of period is its own series, on a time axis
    assert [s["label"] for s in spec["series"]] == ["Viet Nam", "Viet Nam · half-year", "World (average)"]
    assert spec["series"][0]["points"] == [["2022", 79.95]] and spec["series"][1]["points"] == [["H1 2022", 71.79]]
    assert spec["series"][1]["x"][0] < spec["series"][0]["x"][0] < 2023  # H1 2022 sits inside 2022, before its middle
    assert spec["series"][1]["marker"] != spec["series"][0]["marker"]
    assert "Viet Nam · half-year: 71.79 Mbps (H1 2022)" in alt


def test_targets_are_reference_marks(portal):
    spec, alt = indicator_chart(portal, "smartphone-adult-share", "vi")
    roles = {s["role"] for s in spec["series"]}
    assert roles == {"actual", "target"}
    assert "Mục tiêu" in alt and "85%" in alt


def test_single_figure_is_a_card(portal):
    spec, alt = indicator_chart(portal, "ict-revenue", "vi")
    assert spec["kind"] == "card"
    assert spec["value_label"] == "ước đạt 1,9 triệu tỷ đồng"
    assert "CC-BY-4.0" in spec["footer"] and "indicators/ict-revenue/" in spec["footer"]  # attribution travels
    assert alt.startswith("Thẻ số liệu")


def test_rank_axis_is_inverted_and_trend_says_improved(portal):
    spec, alt = indicator_chart(portal, "egdi-rank", "en")
    assert spec["invert"] is True
    assert "rank improved" in alt


def test_labels_follow_the_language(portal):
    vi, _ = indicator_chart(portal, "fixed-broadband-speed", "vi")
    en, _ = indicator_chart(portal, "fixed-broadband-speed", "en")
    assert vi["series"][1]["points"][0][0] == "6 tháng đầu năm 2022"
    assert vi["series"][1]["value_labels"][0] == "71,79 Mbps" and en["series"][1]["value_labels"][0] == "71.79 Mbps"
    assert vi["series"][1]["label"] == "Việt Nam · 6 tháng"


def test_charts_keep_the_qualifier_and_mark_derived_values(portal):
    bars, _ = indicator_chart(portal, "vneid-activated-accounts", "vi")
    assert bars["bars"][0]["value_label"] == "> 55,25 triệu"  # printed as 'trên 55,25 triệu'
    series, _ = indicator_chart(portal, "online-dossier-share", "en")
    assert series["series"][0]["derived"] == [True, False] and series["derived_label"]
    assert "derived" in tip_text(series["series"][0]["tips"][0])


def test_overview_charts_tell_the_story_across_indicators(portal):

    configs = yaml.safe_load((DATA / "overview.yml").read_text(encoding="utf-8"))
    specs = {c["id"]: overview_chart(portal, c, "en") for c in configs}
    progress, _ = specs["results-against-targets"]
    shares = {b["label"]: b["value"] for b in progress["bars"]}
    assert len(shares) == 5
    assert shares["Adults with a smartphone"] == pytest.approx(100 * 70.91 / 85, abs=0.05)
    assert shares["Activated VNeID accounts"] == pytest.approx(100 * 55.25 / 40, abs=0.05)
    stacked, alt = specs["tasks-done-and-in-progress"]
    assert stacked["bars"][0]["values"] == [59.0, 166.0]
    grouped, alt = specs["broadband-speed-against-world"]
    assert [m["label"] for m in grouped["members"]] == ["Viet Nam", "World (average)"]
    assert "79.95 Mbps" in alt and "71.39 Mbps" in alt


@pytest.mark.parametrize("indicator_id", ["fixed-broadband-speed", "ict-revenue", "vneid-activated-accounts"])
def test_the_same_spec_draws_the_same_bytes_with_vietnamese_text(portal, indicator_id):
    spec, _ = indicator_chart(portal, indicator_id, "vi")
    first, second = draw_chart(spec), draw_chart(spec)
    assert first == second
    svg = first.decode("utf-8")
    assert all(word in svg for word in spec["title"].split())  # text stays text (wrapped), diacritics intact
    assert "<dc:date>" not in svg


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_drawn_series_chart_carries_its_legend_and_category_labels_as_text(portal, lang):
    spec, _ = indicator_chart(portal, "fixed-broadband-speed", lang)
    svg = draw_chart(spec).decode("utf-8")
    texts = [html.unescape(t) for t in re.findall(r"<text[^>]*>([^<]*)</text>", svg)]
    for series in spec["series"]:
        assert series["label"] in texts  # the legend, drawn by the layout code
    assert "2022" in texts  # the time axis, drawn as text


def svg_pixel_size(svg: bytes) -> tuple[int, int]:
    head = svg[:600].decode("utf-8")
    points = [float(re.search(rf'{name}="([0-9.]+)pt"', head)[1]) for name in ("width", "height")]
    return round(points[0] * 4 / 3), round(points[1] * 4 / 3)


def both_languages(make) -> dict[str, dict]:
    return {lang: make(lang)[0] for lang in ("vi", "en")}


def test_the_size_the_pages_state_before_drawing_is_the_size_of_every_drawn_chart(portal):
    """Pages are written while charts are drawn, with width and height from the specs alone."""
    configs = yaml.safe_load((DATA / "overview.yml").read_text(encoding="utf-8"))
    charts = [both_languages(lambda lang, i=i: indicator_chart(portal, i, lang)) for i in portal.by_indicator]
    charts += [both_languages(lambda lang, c=c: overview_chart(portal, c, lang)) for c in configs]
    assert {specs["vi"]["kind"] for specs in charts} >= {"series", "bars", "card", "progress", "stacked", "grouped"}
    for specs in charts:
        drawn = draw_variants(specs)
        sizes = [
            svg_pixel_size(drawn[f"{lang}.svg"]) + svg_pixel_size(drawn[f"{lang}.narrow.svg"]) for lang in ("vi", "en")
        ]
        assert [figure_size(specs)] * 2 == sizes, specs["en"]["title"]
        assert drawn["vi.png"].startswith(b"\x89PNG") and drawn["vi.png"] == draw_variants(specs)["vi.png"]


def without_text(svg: bytes) -> str:
    text = re.sub(r'<g xml:lang="[a-z]+".*?</g>', "", svg.decode("utf-8"), flags=re.S)
    return re.sub(r'<metadata id="(points|tips)">.*?</metadata>', "", text, flags=re.S)  # each language's tooltips


@pytest.mark.parametrize("kind_of", ["fixed-broadband-speed", "ict-revenue", "results-against-targets"])
def test_a_charts_languages_share_one_drawing_and_differ_only_in_their_text(portal, kind_of):
    """The geometry is drawn once, with room for the longer language; each language's words are laid over it."""
    if kind_of in portal.indicators:
        specs = both_languages(lambda lang: indicator_chart(portal, kind_of, lang))
    else:
        configs = yaml.safe_load((DATA / "overview.yml").read_text(encoding="utf-8"))
        config = next(c for c in configs if c["id"] == kind_of)
        specs = both_languages(lambda lang: overview_chart(portal, config, lang))
    drawn = draw_charts(specs)
    assert without_text(drawn["vi"]) == without_text(drawn["en"])
    assert drawn["vi"] != drawn["en"]
    for lang in ("vi", "en"):
        texts = " ".join(html.unescape(t) for t in re.findall(r"<text[^>]*>([^<]*)</text>", drawn[lang].decode()))
        assert specs[lang]["title"].split()[0] in texts


@pytest.mark.parametrize("lang, expected", [("vi", "40 triệu"), ("en", "40 million")])
def test_value_axis_writes_numbers_in_the_charts_language(portal, lang, expected):
    """Large values are scaled by a word on the axis, not by matplotlib's offset ('1e7')."""
    spec, _ = indicator_chart(portal, "vneid-activated-accounts", lang)
    texts = [html.unescape(t) for t in re.findall(r"<text[^>]*>([^<]*)</text>", draw_chart(spec).decode("utf-8"))]
    assert expected in texts
    assert not any("1e" in text for text in texts)


def transform_nodes(root) -> list:
    """Every matplotlib transform reachable from root."""
    from matplotlib.transforms import TransformNode

    seen, todo, found = set(), [root], []
    while todo:
        item = todo.pop()
        if id(item) in seen or isinstance(item, (type, str, bytes, int, float)):
            continue
        seen.add(id(item))
        if isinstance(item, TransformNode):
            found.append(item)
        todo.extend(gc.get_referents(item))
    return found


def test_a_blank_figure_made_from_the_pickled_one_keys_each_transforms_parents_by_their_own_ids():
    """A transform invalidates its parents through a dict keyed by their id(); keys left from the pickled
    figure's objects were overwritten once their memory was reused, and a chart in a thousand drew its
    value axis on a stale scale."""
    figures = [chart_canvas._blank_figure(True) for _ in range(3)]
    for figure in figures:
        nodes = transform_nodes(figure)
        assert len(nodes) > 50
        for node in nodes:
            for key, parent in node._parents.items():
                assert parent() is None or key == id(parent()), node
    figure = figures[-1]
    axis_transform = figure.axes[0].get_yaxis_transform()
    figure.axes[0].set_ylim(0, 10)
    before = axis_transform.transform((0, 10))[1]
    figure.axes[0].set_ylim(0, 20)
    assert axis_transform.transform((0, 10))[1] < before  # the change of limits reached the axis's transform


def test_the_progress_charts_text_says_which_targets_were_met_and_what_the_mark_means(portal):
    """Its alt text stands for the drawing: each bar's share says whether its target was met (a part-year
    result short of a full-year target is not judged: the year may still meet it), the figure and the
    target come apart, with their qualifiers, and the '*' is explained."""
    configs = yaml.safe_load((DATA / "overview.yml").read_text(encoding="utf-8"))
    config = next(c for c in configs if c["id"] == "results-against-targets")
    spec, alt = overview_chart(portal, config, "en")
    states = set()
    for bar in spec["bars"]:
        share, figure, target = bar["value_label"].split("\n")
        state = "met" if bar["value"] >= 100 else "partial" if share.endswith("*") else "short"
        met = {"met": "Target met", "short": "Target not met", "partial": "Part-year figure, below target"}[state]
        assert bar["state"] == state
        assert f"{bar['label']}: {share} ({met}), {figure}, {target}" in alt
        states.add(state)
    assert {"met", "partial"} <= states  # the portal has both (a first half short of its year's target)
    assert [label for state, label in progress_legend(spec)][:-1] == [
        spec["state_labels"][s] for s in spec["state_labels"] if s in states
    ]
    from build_scripts.site.i18n import t

    assert alt.endswith(" " + t("unlike_periods", "en")) and t("unlike_periods", "en").startswith("* ")
    assert "more than 55.25 million (2024)" in alt  # the figure's qualifier, as printed


def test_the_progress_chart_has_a_tick_at_100_on_both_drawings(portal):
    """100 % is the target: the narrow drawing's axis showed only 0 and 200."""
    configs = yaml.safe_load((DATA / "overview.yml").read_text(encoding="utf-8"))
    config = next(c for c in configs if c["id"] == "results-against-targets")
    specs = {lang: overview_chart(portal, config, lang)[0] for lang in ("vi", "en")}
    files = draw_variants(specs)
    for name in ("vi.svg", "vi.narrow.svg", "en.svg", "en.narrow.svg"):
        ticks = re.findall(r"<text [^>]*>(\d+)</text>", files[name].decode("utf-8"))
        assert "100" in ticks and ticks[0] == "0", (name, ticks)


def test_overview_charts_say_what_they_compare_and_cite_their_sources(portal):
    configs = yaml.safe_load((DATA / "overview.yml").read_text(encoding="utf-8"))
    specs = {c["id"]: overview_chart(portal, c, "en")[0] for c in configs}
    progress = specs["results-against-targets"]
    smartphones = next(b for b in progress["bars"] if b["label"] == "Adults with a smartphone")
    # a first-half result against a full-year target is marked and both periods are named
    assert smartphones["value_label"].splitlines()[0].endswith("*")
    assert "(H1 2022)" in smartphones["value_label"] and "Target: 85%" in smartphones["value_label"]
    assert "part-year result" in progress["footer"]
    vneid = next(b for b in progress["bars"] if b["label"] == "Activated VNeID accounts")
    assert "*" not in vneid["value_label"]  # a year against a year
    for spec in specs.values():
        assert re.search(r"Sources?: ", spec["footer"]) and " · CC-BY-4.0 · " in spec["footer"]
    assert "Sources: " in progress["footer"]  # several
    assert "Source: " in specs["broadband-speed-against-world"]["footer"]  # one: singular
    # a source whose document names no publisher is cited by the start of its title, never by its id
    unnamed = [s for s in portal.sources.values() if not s["publisher"]]
    assert unnamed
    assert all(s["source_id"] not in spec["footer"] for s in unnamed for spec in specs.values())
    for source in unnamed:  # as a footer or a tooltip names it
        assert short_source_name(portal, source["source_id"]).startswith("“" + source["title"].split()[0])


def test_a_grouped_chart_of_five_places_keeps_its_legend_and_value_labels_apart_on_the_narrow_drawing(portal):
    """The narrow drawing's legend sits under the axes, inside the figure, and no two value labels overlap."""
    from build_scripts.site import chart_style
    from build_scripts.site.chart_draw_overview import draw_grouped
    from build_scripts.site.chart_labels import text_box, without_overlaps
    from build_scripts.site.chart_sizes import figure_height

    configs = yaml.safe_load((DATA / "overview.yml").read_text(encoding="utf-8"))
    config = next(c for c in configs if c["id"] == "broadband-speed-against-world")
    specs = both_languages(lambda lang: overview_chart(portal, config, lang))
    names = ["Hà Nội", "Thành phố Hồ Chí Minh", "Đà Nẵng", "Thái Bình", "Điện Biên"]
    for spec in specs.values():
        first = spec["members"][0]
        spec["members"] = [
            {**first, "label": name, "color": "", "values": [v * (1 - k / 50) for v in first["values"]]}
            for k, name in enumerate(names)
        ]
        for member in spec["members"]:
            member["value_labels"] = [f"{v:.2f} Mbps" for v in member["values"]]
        spec["legend"] = [legend_entry(name, box=COLORS[k]) for k, name in enumerate(names)]  # the spec carries it
    import matplotlib

    with matplotlib.rc_context(chart_style.STYLE), chart_style.drawing_width(chart_style.NARROW_WIDTH):
        canvas = draw_grouped(specs)
        assert canvas.height == figure_height(specs)
        canvas.svgs()
        placed = without_overlaps([(label, *label.transform.transform((label.x, label.y))) for label in canvas.labels])
        axes = canvas.ax.get_window_extent()
    legend = [item for item in placed if any(item[0].words["en"] == name for name in names)]
    values = [item for item in placed if item[0].words["en"][0].isdigit() and item[0].transform is canvas.ax.transData]
    assert len(legend) == len(names) and values
    width, height = chart_style.NARROW_WIDTH * 72, canvas.height * 72
    for item in legend:
        left, bottom, right, top = text_box(*item)
        assert top < axes.y0 - 20, item[0].words  # under the axes and their category labels
        assert 0 <= left and right <= width and 0 <= bottom
    boxes = [text_box(*item) for item in values]
    for i, a in enumerate(boxes):
        assert 0 <= a[0] and a[2] <= width and a[3] <= height
        for b in boxes[i + 1 :]:
            assert not (a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]), (a, b)


def test_the_portals_records_are_pandas_records_with_the_same_values_and_types(portal):
    """Portal.records stands in for DataFrame.to_dict("records") on the pages: the same keys in the same
    order, the same values, the same Python types (a float stays a float, an empty note an empty text)."""
    for positions in [*portal.by_indicator.positions.values(), [], [0], [len(portal.observations) - 1, 0]]:
        expected = portal.observations.iloc[list(positions)].to_dict("records")
        made = portal.records(positions)
        assert [list(row) for row in made] == [list(row) for row in expected]
        assert [[(type(v), repr(v)) for v in row.values()] for row in made] == [
            [(type(v), repr(v)) for v in row.values()] for row in expected
        ]


@pytest.mark.parametrize("narrow", [False, True], ids=["wide", "narrow"])
def test_the_highest_point_of_a_series_and_its_label_are_inside_the_axes(portal, narrow):
    """79.95 Mbps, the highest value, once sat on the axes' top edge: its marker cut in half by the
    clip, its label pushed out. The value axis leaves room above it, and nothing is clipped."""
    from contextlib import nullcontext

    import matplotlib

    from build_scripts.site import chart_style
    from build_scripts.site.chart_draw_series import draw_series
    from build_scripts.site.chart_labels import text_box, without_overlaps

    specs = both_languages(lambda lang: indicator_chart(portal, "fixed-broadband-speed", lang))
    width = chart_style.drawing_width(chart_style.NARROW_WIDTH) if narrow else nullcontext()
    with matplotlib.rc_context(chart_style.STYLE), width:
        canvas = draw_series(specs)
        svgs = canvas.svgs()
        placed = without_overlaps([(label, *label.transform.transform((label.x, label.y))) for label in canvas.labels])
        axes = canvas.ax.get_window_extent()
        top_point = canvas.ax.transData.transform((specs["en"]["series"][0]["x"][0], 79.95))
    marker_radius = 7 / 2
    assert top_point[1] + marker_radius < axes.y1
    label = next(item for item in placed if item[0].words["en"] == "79.95 Mbps")
    assert text_box(*label)[3] <= axes.y1
    assert all(b"clip-path" not in svg for svg in svgs.values())


@pytest.mark.parametrize("narrow", [False, True], ids=["wide", "narrow"])
def test_every_group_of_a_grouped_chart_and_every_part_of_a_stacked_one_is_named_or_valued(portal, narrow):
    """On phones the second of two groups lost its name (its label, wrapped wider than its slot, was
    skipped as a crowded time axis skips years), and a stacked bar's short segment hid its value under
    its neighbour's."""
    from contextlib import nullcontext

    import matplotlib

    from build_scripts.site import chart_style
    from build_scripts.site.chart_draw_overview import draw_grouped, draw_stacked
    from build_scripts.site.chart_labels import text_box, without_overlaps

    configs = {c["id"]: c for c in yaml.safe_load((DATA / "overview.yml").read_text(encoding="utf-8"))}
    width = chart_style.drawing_width(chart_style.NARROW_WIDTH) if narrow else nullcontext()
    grouped = both_languages(lambda lang: overview_chart(portal, configs["broadband-speed-against-world"], lang))
    stacked = both_languages(lambda lang: overview_chart(portal, configs["tasks-done-and-in-progress"], lang))
    with matplotlib.rc_context(chart_style.STYLE), width:
        canvas = draw_grouped(grouped)
        shown = " ".join(label.words["en"].replace("\n", " ") for label in canvas.labels)
        assert all(group in shown for group in grouped["en"]["groups"]), shown
        # on phones the world's values, as tall as Viet Nam's beside them, were left out
        numbers = [value.split()[0] for member in grouped["en"]["members"] for value in member["value_labels"]]
        assert all(number in shown.split() for number in numbers), (numbers, shown)
        placed = [(label, *label.transform.transform((label.x, label.y))) for label in canvas.labels]
        shown_values = [text_box(*item) for item in placed if item[0].words["en"].split()[0] in numbers]
        for i, a in enumerate(shown_values):  # above their bars where they fit apart, else inside them
            for b in shown_values[i + 1 :]:
                assert not (a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]), (a, b)
        canvas = draw_stacked(stacked)
        canvas.svgs()
        placed = without_overlaps([(label, *label.transform.transform((label.x, label.y))) for label in canvas.labels])
    values = [item for item in placed if item[0].words["en"].isdigit()]
    expected = [v for bar in stacked["en"]["bars"] for v in bar["value_labels"] if v]
    assert sorted(item[0].words["en"] for item in values) == sorted(expected)  # each one shown, here
    boxes = [text_box(*item, safe=True) for item in values]  # safe: bold digits run wider than the estimate
    for i, a in enumerate(boxes):
        for b in boxes[i + 1 :]:
            assert not (a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]), (a, b)


def test_of_two_figures_for_the_same_period_the_latest_is_one_whose_source_names_its_publisher(portal):
    """A reader saw the headline of ecommerce-retail-share cite 'Publisher not stated' while a named source
    printed the same figure for the same half-year."""
    from build_scripts.site.figure_list import latest_rows

    frame = portal.observations
    named = {source_id for source_id, source in portal.sources.items() if source["publisher"]}
    tied = 0
    for indicator_id in portal.indicators:
        rows, kind = latest_rows(portal, indicator_id)
        for row in rows:
            same = frame[
                (frame["indicator_id"] == indicator_id)
                & (frame["geo"] == row["geo"])
                & (frame["period"] == row["period"])
                & (frame["kind"] == kind)
            ]
            if len(same) > 1 and set(same["source_id"]) & named:
                tied += 1
                assert row["source_id"] in named, (indicator_id, row["geo"], row["period"], row["source_id"])
    assert tied  # the fixture holds such ties: the check above ran

"""A ranking of the 51 states of examples/united-states on the phone drawing: its bars keep the width to
be compared (the names above them, the unit's long name left to the subtitle), and the median's line
passes under the names and values with a white outline, never over them."""

from __future__ import annotations

import matplotlib
import pytest
from conftest import EXAMPLES

from build_scripts.config import load as site_load
from build_scripts.config.site import using
from build_scripts.data import schema
from build_scripts.data.load import load_tables
from build_scripts.data.model import build_portal
from build_scripts.data.package import canonical_csv, load_metadata
from build_scripts.site import chart_style
from build_scripts.site.chart_draw_bars import draw_ranking
from build_scripts.site.chart_specs import indicator_chart

DATA = EXAMPLES / "united-states" / "data"


@pytest.fixture(scope="module")
def specs():
    config = site_load.load_site(DATA)
    with using(config):
        tables = load_tables(DATA)
        files = {r.name: canonical_csv(tables[r.name]) for r in schema.resources()}
        portal = build_portal(config, tables, load_metadata(DATA), files)
        return {lang: indicator_chart(portal, "violent-crime-rate", lang)[0] for lang in ("en", "es")}


def test_the_example_ranks_its_states_with_a_long_unit(specs):
    spec = specs["es"]
    assert spec["kind"] == "ranking" and len(spec["unit_label"]) > 20
    assert spec["unit_label"] in spec["rows"][0]["value_label"]  # the value labels carry the long unit


@pytest.mark.parametrize("width", [chart_style.NARROW_WIDTH, chart_style.WIDTH], ids=["narrow", "wide"])
def test_the_longest_bar_takes_most_of_the_drawing_and_the_values_drop_the_unit(specs, width):
    with matplotlib.rc_context(chart_style.STYLE), chart_style.drawing_width(width):
        canvas = draw_ranking(specs)
        svgs = canvas.svgs()
        bars = [patch.get_window_extent() for patch in canvas.ax.patches]
    longest = max(bar.width for bar in bars)
    assert longest >= 0.55 * width * 72, (longest, width * 72)  # it was 30 pt of 245 on the phone drawing
    texts = svgs["es"].decode("utf-8").split("<g xml:lang=")[1].split("</g>")[0]  # the text layer
    assert texts.count("habitantes</text>") == 1  # the unit once, under the title; the values without it


def test_the_names_above_the_bars_on_the_phone_drawing_are_outlined_against_the_median(specs):
    with matplotlib.rc_context(chart_style.STYLE), chart_style.drawing_width(chart_style.NARROW_WIDTH):
        canvas = draw_ranking(specs)
        names = [label for label in canvas.labels if label.words["en"] == specs["en"]["rows"][0]["label"]]
        svg = canvas.svgs()["en"].decode("utf-8")
    assert names and names[0].va == "bottom" and names[0].halo  # above its bar, outlined
    assert 'paint-order="stroke">' + specs["en"]["rows"][0]["label"] + "</text>" in svg

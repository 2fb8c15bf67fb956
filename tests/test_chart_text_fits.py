"""Every chart drawing of the portal keeps its texts inside the drawing and apart from each other, as
matplotlib measures DejaVu Sans (chart_boxes.py); and the judge itself finds what it should."""

from __future__ import annotations

import pytest
from chart_boxes import CHECKS, read_drawing, text_problems


def chart_drawings(site) -> list:
    return sorted(site.rglob("charts/**/*.svg"))


def failing_drawings(site, check: str) -> tuple[list[str], int]:
    """Every problem the check finds in the site's chart drawings, and how many drawings have one."""
    problems, failing = [], 0
    for path in chart_drawings(site):
        found = text_problems(path.read_bytes(), str(path.relative_to(site)), (check,))
        problems += found
        failing += bool(found)
    return problems, failing


@pytest.mark.parametrize("check", list(CHECKS))
def test_every_chart_drawing_of_the_portal_keeps_its_texts_inside_and_apart(built_site, check):
    drawings = chart_drawings(built_site)
    assert len(drawings) > 100  # both languages, both widths of every chart
    problems, failing = failing_drawings(built_site, check)
    print(f"{check}: {failing} of {len(drawings)} drawings fail, {len(problems)} problems")
    assert not problems, f"{failing} of {len(drawings)} drawings fail ({check}):\n" + "\n".join(problems[:40])


def svg(texts: str, width: float = 200, height: float = 100) -> bytes:
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}pt" height="{height}pt" '
        f'viewBox="0 0 {width} {height}"><g font-family="DejaVu Sans">{texts}</g></svg>'
    ).encode()


def test_a_text_running_past_the_right_edge_is_reported_with_how_far():
    # 'https://vn-dx-open-data.github.io' at 10 pt is 166 pt wide: from x=100, 66 pt past a 200 pt drawing
    drawing = svg('<text x="100" y="50" font-size="10" text-anchor="start">https://vn-dx-open-data.github.io</text>')
    [problem] = text_problems(drawing, "charts/x.narrow.svg")
    assert problem.startswith("charts/x.narrow.svg: 'https://vn-dx-open-data.github.io' runs ")
    assert problem.endswith(" pt past the right edge")
    assert int(problem.split(" runs ")[1].split()[0]) == 66


def test_a_rotated_label_taller_than_the_drawing_runs_past_the_top_and_bottom():
    long = "Một nhãn dài, quay dọc, cao hơn cả hình vẽ của nó"
    drawing = svg(
        f'<text x="20" y="50" font-size="14" text-anchor="middle" transform="rotate(-90 20 50)">{long}</text>'
    )
    problems = text_problems(drawing, "d")
    assert [p.rsplit(" past the ", 1)[1] for p in problems] == ["top edge", "bottom edge"]


def test_anchors_and_styles_are_read_as_the_svg_states_them():
    drawing = read_drawing(
        svg(
            '<text x="100" y="50" style="font-size: 14px; text-anchor: end; font-weight: bold">2024</text>'
            '<text x="100" y="80" font-size="10" text-anchor="middle">2024</text>'
        )
    )
    bold, small = drawing.texts
    assert (bold.anchor, bold.size, bold.bold) == ("end", 14, True) and bold.box[2] <= 100 < bold.box[2] + 1.5
    assert (small.anchor, small.size, small.bold) == ("middle", 10, False)
    assert small.box[0] - 100 == pytest.approx(100 - small.box[2], abs=0.01)
    assert bold.box[2] - bold.box[0] > 1.4 * (small.box[2] - small.box[0])  # measured, not counted: 14 pt bold


def test_two_texts_meeting_by_more_than_a_point_overlap_and_two_touching_do_not():
    text = '<text x="{x}" y="{y}" font-size="14">2020</text>'
    apart = svg(text.format(x=10, y=50) + text.format(x=60, y=50))  # '2020' at 14 pt is about 35 pt wide
    crossing = svg(text.format(x=10, y=50) + text.format(x=30, y=55))
    assert text_problems(apart, "d") == []
    assert text_problems(crossing, "d") == ["d: '2020' overlaps '2020'"]


def test_labels_turned_alike_are_compared_in_their_own_frame():
    # two tick labels turned 45 degrees side by side: their upright boxes meet, the labels do not
    tick = '<text x="{x}" y="60" font-size="10" text-anchor="end" transform="rotate(-45 {x} 60)">2020-Q1</text>'
    assert text_problems(svg(tick.format(x=50) + tick.format(x=66)), "d") == []
    assert text_problems(svg(tick.format(x=50) + tick.format(x=53)), "d") == ["d: '2020-Q1' overlaps '2020-Q1'"]

"""How every chart looks and is measured: the palette, matplotlib's style, the drawing's width (the
wide one, or the narrow one for phones), the sizes of its text, and the estimates by which text is
wrapped and placed; and the two helpers every drawer reads its specs with.

The width changes while a chart is drawn (drawing_width): every module reads it as
chart_style.WIDTH when it lays out, never imports it by name.
"""

from __future__ import annotations

from contextlib import contextmanager

from .chart_metrics import widest_inches, wrap_inches

COLORS = ["#1d4e89", "#6b6b6b", "#0f766e", "#7c3aed", "#b45309", "#be123c", "#15803d", "#4338ca"]
TARGET_COLOR = "#c2410c"
PROGRESS_COLORS = {"met": COLORS[0], "short": COLORS[4], "partial": COLORS[1]}  # partial: not judged, grey
STACK_COLORS = [COLORS[i] for i in (0, 4, 2, 3)]  # a stacked bar's parts, in turn
DERIVED_KEY_COLOR = "#333333"  # the legend's key of derived values: hollow, in no place's colour
BAND_ALPHA = 0.18  # a band's fill
SUMMARY_COLOR = "#93bdb8"  # places drawn together (a ranking's bars): a tint of the band's colour, COLORS[2]

Specs = dict[str, dict]  # one chart's spec in each language: {"vi": {...}, "en": {...}}, same data
Words = dict[str, str]  # one text in each language
VARIANTS = ("svg", "narrow.svg", "png")  # the drawing for wide screens, the one for phones, a PNG to share


STYLE = {
    "svg.hashsalt": "vn-dx-open-data",
    "svg.fonttype": "none",  # text stays text: small files, selectable, any Vietnamese font
    "font.family": "DejaVu Sans",
    "font.size": 14,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "figure.dpi": 72,  # SVG's own unit: display coordinates are then the SVG's points
}


# Layout is computed, not solved: text is measured from the font's advance widths (chart_metrics),
# wrapped to the room it has, and margins are set in inches from the number of lines. Matplotlib's
# constrained layout and its own text wrapping measure every glyph several times and made a chart
# five times slower to draw.
WIDTH = 6.4  # inches: about 640 px on the page, readable when scaled down to a phone
NARROW_WIDTH = 3.4  # inches: the phone drawing, shown 300-440 px wide, its smallest text 10 pt at >= 12 px


@contextmanager
def drawing_width(inches: float):
    """Lay out and draw at another width: the layout reads WIDTH as it goes."""
    global WIDTH
    wide, WIDTH = WIDTH, inches
    try:
        yield
    finally:
        WIDTH = wide


TITLE_PT, BODY_PT, SMALL_PT = 16, 14, 10
LEGEND_IN, TICKS_IN = 0.4, 0.45
LEFT_IN, RIGHT_IN = 0.8, 0.25  # the axes' usual margin on the left (Layout widens it for long labels), and on the right
# Where a line of text sits, in em of its font size: the baseline below the top of a block, above
# its bottom and below its middle; and the distance between two lines (1.4: Vietnamese stacks its
# marks, and at 1.2 a capital's hook above, as in 'Ủy', met the dot below of the line over it).
ASCENT_EM, DESCENT_EM, MIDDLE_EM, LINE_EM = 0.76, 0.24, 0.36, 1.4
ANCHORS = {"left": "start", "center": "middle", "right": "end"}


def wrap(text: str, inches: float, points: float, bold: bool = False) -> str:
    """The text wrapped to lines at most `inches` wide, as drawn at `points`, joined by newlines."""
    return "\n".join(wrap_inches(text, inches, points, bold))


def lines_height(lines: int, points: float) -> float:
    """The room, in inches, that a margin keeps for these lines: a little more than their pitch."""
    return lines * points * (LINE_EM + 0.1) / 72


text_inches = widest_inches  # the width of the widest of some lines as drawn, in inches


def first_language(by_lang: dict):
    return next(iter(by_lang.values()))


def in_each_language(specs: Specs, read) -> Words:
    """A text in each language, read from each language's spec."""
    return {lang: read(spec) for lang, spec in specs.items()}

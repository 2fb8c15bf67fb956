"""A chart's size and what goes around its axes, from its specs alone (the pages state each chart's
size before it is drawn): its height and size, each kind's layout options, and the wrapped labels of
tick marks, cards, rankings and horizontal bars, which the size and the drawing both read."""

from __future__ import annotations

import math
from dataclasses import dataclass

from . import chart_style
from .chart_layout import FOOTER_BOTTOM_IN, Layout, block_in, lines_in
from .chart_metrics import text_points, wrap_inches
from .chart_style import (
    BODY_PT,
    LEFT_IN,
    LEGEND_IN,
    NARROW_WIDTH,
    RIGHT_IN,
    SMALL_PT,
    Specs,
    Words,
    drawing_width,
    first_language,
    in_each_language,
    lines_height,
    text_inches,
    wrap,
)

MIN_AXES_IN = 1.6  # inches left for the axes, whatever the title, footer and legend take


def figure_height(specs: Specs) -> float:
    """The figure's height in inches, from the specs alone: the pages state each chart's size before
    it is drawn (every drawer takes its height from here). Tall enough for the axes to keep
    MIN_AXES_IN beside what the text around them takes (long titles and footers wrap to more lines
    on the narrow drawing, a long legend to more rows)."""
    kind = first_language(specs)["kind"]
    if kind == "card":
        return card_layout(specs).height
    margins = Layout(specs, 1.0, **layout_options(specs))
    if kind == "ranking":  # the rows, whatever their number, and the text around them
        return margins.top_in + margins.bottom_in + max(MIN_AXES_IN, ranking_layout(specs).rows_in)
    if kind == "progress":  # its rows, each as tall as its texts, and the text around them
        return (
            margins.top_in + margins.bottom_in + max(MIN_AXES_IN, sum(row_in for _, row_in in progress_rows(specs)[2]))
        )
    if kind == "stacked":
        return margins.top_in + margins.bottom_in + max(MIN_AXES_IN, horizontal_layout(specs)[2])
    base = 4.4 + max(0.0, margins.legend_in - LEGEND_IN)
    return max(base, margins.top_in + margins.bottom_in + MIN_AXES_IN)


def layout_options(specs: Specs) -> dict:
    """What each kind of chart puts around its axes (Layout's options): the same for its height and its
    drawing. legend_columns: the most columns its legend may take (chart_legend.legend_grid)."""
    spec = first_language(specs)
    kind = spec["kind"]
    entries = len(spec.get("legend", []))
    if kind == "series":
        return {"legend_columns": 3 if entries <= 3 else 2, "tick_lines": 1}
    if kind == "bars":
        ticks = in_each_language(specs, lambda s: tick_labels([bar["label"] for bar in s["bars"]], len(s["bars"])))
        return {"legend_columns": 2 if entries else 0, "tick_lines": lines_of(ticks)}
    if kind == "grouped":  # the legend in as many rows as its entries need: one per place on the narrow drawing
        ticks = in_each_language(specs, lambda s: tick_labels(s["groups"], len(s["groups"])))
        return {"legend_columns": len(spec["members"]), "tick_lines": lines_of(ticks)}
    if kind == "ranking":
        return {"left": ranking_layout(specs).left, "legend_columns": 2}
    if kind == "progress":
        return {"left": PROGRESS_LEFT_IN, "legend_columns": PROGRESS_LEGEND_COLUMNS}
    return {"left": horizontal_layout(specs)[1], "legend_columns": len(spec["parts"])}


def figure_size(specs: Specs) -> tuple[int, int, int, int]:
    """The chart's size in CSS pixels, as its SVGs state it (points, written with six decimals): the
    wide drawing's width and height, then the narrow one's."""
    wide = [round(float(f"{inches * 72:f}") * 4 / 3) for inches in (chart_style.WIDTH, figure_height(specs))]
    with drawing_width(NARROW_WIDTH):
        narrow = [round(float(f"{inches * 72:f}") * 4 / 3) for inches in (chart_style.WIDTH, figure_height(specs))]
    return (*wide, *narrow)


def tick_labels(labels: list[str], slots: int) -> list[str]:
    """Category labels wrapped to the width of their slot under the axes (less a gap), as the font draws
    them, in at most TICK_LINES lines (a longer one shortened with '…': its bar's tooltip names it whole)."""
    slot = (chart_style.WIDTH - LEFT_IN - RIGHT_IN) / max(1, slots) - CATEGORY_GAP_IN
    return ["\n".join(at_most(wrap_inches(label, slot, BODY_PT), TICK_LINES, slot, BODY_PT)) for label in labels]


CATEGORY_GAP_IN = 0.1  # between two category labels
TICK_LINES = 3


def lines_of(labels: dict[str, list[str]]) -> int:
    return max(label.count("\n") + 1 for texts in labels.values() for label in texts)


def at_most(lines: list[str], count: int, inches: float, points: float, bold: bool = False) -> list[str]:
    """The first `count` lines, the last one shortened to end in '…' within `inches` when the text goes on
    (the chart's tooltip and the page's table have it whole)."""
    if len(lines) <= count:
        return lines
    last = lines[count - 1]
    while last and text_points(last + " …", points, bold) > inches * 72:
        last = last[:-1]
    return lines[: count - 1] + [last.rstrip() + "…"]


# A figure card: its title, its figure, the place and period under it, and the footer, stacked.
CARD_MIN_HEIGHT, CARD_SIDE = 3.2, 0.05  # inches; the side margin, a share of the width
CARD_TOP_IN, CARD_GAPS_IN = 0.2, (0.25, 0.15, 0.25)  # above the title; after the title, the figure, the place
CARD_VALUE_PT, CARD_SUBTITLE_PT, CARD_FOOTER_PT = 30.0, SMALL_PT + 1, SMALL_PT - 1


@dataclass
class CardLayout:
    title: Words
    value_pt: float
    subtitle: Words
    footer: Words
    height: float
    tops: tuple[float, float, float]  # inches down from the top: the title's, the figure's, the place's


def card_layout(specs: Specs) -> CardLayout:
    """A card's texts, each wrapped to the card's width as drawn, and the height they take (at least
    CARD_MIN_HEIGHT): the figure at 30 pt, or smaller when the longer language's would not fit."""
    room = chart_style.WIDTH * (1 - 2 * CARD_SIDE)
    title = in_each_language(specs, lambda s: wrap(s["title"], room, BODY_PT, bold=True))
    value = max(text_points(s["value_label"], 1.0, bold=True) for s in specs.values()) or 1.0
    value_pt = min(CARD_VALUE_PT, math.floor(room * 72 / value * 10) / 10)
    subtitle = in_each_language(specs, lambda s: wrap(s["subtitle"], room, CARD_SUBTITLE_PT))
    footer = in_each_language(specs, lambda s: wrap(s["footer"], room, CARD_FOOTER_PT))
    title_top = CARD_TOP_IN
    value_top = title_top + block_in(lines_in(title), BODY_PT) + CARD_GAPS_IN[0]
    subtitle_top = value_top + block_in(1, value_pt) + CARD_GAPS_IN[1]
    used = subtitle_top + block_in(lines_in(subtitle), CARD_SUBTITLE_PT) + CARD_GAPS_IN[2]
    height = max(CARD_MIN_HEIGHT, used + block_in(lines_in(footer), CARD_FOOTER_PT) + FOOTER_BOTTOM_IN)
    return CardLayout(title, value_pt, subtitle, footer, height, (title_top, value_top, subtitle_top))


# A ranking: a row per place, its name beside its bar where the names take little of the width, else
# above it (on phones), so that the bars keep the width to be compared.
RANK_ROW_IN = 0.32  # inches per row of a ranking, at least
RANK_LABEL_PT = SMALL_PT + 1
RANK_BAR_IN = 0.2  # a bar's thickness
RANK_NAMES_BESIDE = 0.3  # of the width, at most, that the names beside the bars may take
RANK_LEFT_ABOVE_IN = 0.15  # the axes' left margin when the names are above the bars
RANK_NAME_GAP_IN = 0.04  # between a name above its bar and the bar


@dataclass
class RankingLayout:
    labels: dict[str, list[str]]  # each row's label, wrapped, in each language
    left: float  # the axes' left margin, in inches
    beside: bool  # the names beside the bars (else above them)
    rows: list[tuple[float, float]]  # each row's top and its bar's middle, in inches down from the axes' top
    rows_in: float  # inches that the rows take


def ranking_layout(specs: Specs) -> RankingLayout:
    """A ranking's rows: their labels wrapped (in at most two lines, a longer one shortened with '…',
    the tooltip naming the place whole), where they go, and the inches the rows take."""
    spec = first_language(specs)
    widest = max(
        text_points(row["label"], RANK_LABEL_PT, bold=bool(row.get("featured"))) / 72
        for s in specs.values()
        for row in s["rows"]
    )
    beside = widest <= RANK_NAMES_BESIDE * chart_style.WIDTH
    room = (RANK_NAMES_BESIDE * chart_style.WIDTH) if beside else chart_style.WIDTH - RANK_LEFT_ABOVE_IN - RIGHT_IN

    def label(row: dict) -> str:
        bold = bool(row.get("featured"))
        return "\n".join(at_most(wrap_inches(row["label"], room, RANK_LABEL_PT, bold), 2, room, RANK_LABEL_PT, bold))

    wrapped = in_each_language(specs, lambda s: [label(row) for row in s["rows"]])
    left = 0.3 + widest if beside else RANK_LEFT_ABOVE_IN
    rows, top = [], 0.05
    for index, row in enumerate(spec["rows"]):
        lines = max(texts[index].count("\n") + 1 for texts in wrapped.values())
        text_in = block_in(lines, RANK_LABEL_PT)
        if beside or "gap" in row:
            pitch = max(RANK_ROW_IN, text_in + 0.1)
            rows.append((top, top + pitch / 2))
        else:
            pitch = text_in + RANK_NAME_GAP_IN + RANK_BAR_IN + 0.1
            rows.append((top, top + text_in + RANK_NAME_GAP_IN + RANK_BAR_IN / 2))
        top += pitch
    return RankingLayout(wrapped, left, beside, rows, top + 0.05)


def horizontal_layout(specs: Specs) -> tuple[Words | dict, float, float]:
    """A stacked chart's wrapped bar labels in each language, its left margin and the inches its bars
    take (for the longer language)."""
    room = STACKED_NAMES * chart_style.WIDTH - 0.3
    wrapped = in_each_language(specs, lambda s: [wrap(bar["label"], room, SMALL_PT + 1) for bar in s["bars"]])
    lines = max(sum(label.count("\n") + 1 for label in texts) for texts in wrapped.values())
    longest = max(
        text_inches([line for label in texts for line in label.split("\n")], SMALL_PT + 1) for texts in wrapped.values()
    )
    left = 0.3 + longest
    bars = len(first_language(specs)["bars"])
    return wrapped, left, max(0.55 * bars, 0.26 * lines) + 0.3


STACKED_NAMES = 0.4  # of the width, at most, that a stacked chart's bar names take


PROGRESS_LEFT_IN = 0.2  # the bars start near the left edge: each one's name is above it
PROGRESS_NAME_PT = SMALL_PT + 1
PROGRESS_BAR_IN, PROGRESS_GAP_IN, PROGRESS_ROW_GAP_IN = 0.26, 0.05, 0.16
PROGRESS_LEGEND_COLUMNS = 3
DETAILS_SEPARATOR = " · "


def progress_texts(bar: dict) -> tuple[str, list[str]]:
    """A progress bar's value label read apart: the share, then the figure and its target."""
    share, *figures = bar["value_label"].split("\n")
    return share, figures


def progress_rows(specs: Specs) -> tuple[dict, dict, list[tuple[float, float]]]:
    """A progress chart's rows, each the width of the axes: the indicator's name above its bar, and under
    it the figure and its target (on one line where they fit, else one each, wrapped). Returns the names
    and the details wrapped, in each language, and for each row the inches its name takes and the inches
    it takes in all (for the language needing more)."""
    axes_in = chart_style.WIDTH - PROGRESS_LEFT_IN - RIGHT_IN

    def parts(bar: dict) -> list[str]:
        return progress_texts(bar)[1]

    # on one line in every language or in none, so that no language's rows gape where another's needed two
    apart = [
        any(text_points(DETAILS_SEPARATOR.join(parts(s["bars"][i])), SMALL_PT) > axes_in * 72 for s in specs.values())
        for i in range(len(first_language(specs)["bars"]))
    ]

    def details(bar: dict, i: int) -> str:
        if not apart[i]:
            return DETAILS_SEPARATOR.join(parts(bar))
        return "\n".join(wrap(p, axes_in, SMALL_PT) for p in parts(bar))

    names = in_each_language(specs, lambda s: [wrap(bar["label"], axes_in, PROGRESS_NAME_PT) for bar in s["bars"]])
    below = in_each_language(specs, lambda s: [details(bar, i) for i, bar in enumerate(s["bars"])])
    rows = []
    for i in range(len(first_language(specs)["bars"])):
        name_in = lines_height(max(texts[i].count("\n") + 1 for texts in names.values()), PROGRESS_NAME_PT)
        detail_lines = max(texts[i].count("\n") + 1 for texts in below.values())
        below_in = lines_height(detail_lines, SMALL_PT)
        rows.append((name_in, name_in + PROGRESS_BAR_IN + 2 * PROGRESS_GAP_IN + below_in + PROGRESS_ROW_GAP_IN))
    return names, below, rows


def progress_legend(spec: dict) -> list[tuple[str, str]]:
    """A progress chart's legend, as (what the key shows, its label): the bars' colours that it uses,
    then the target's mark."""
    used = {bar["state"] for bar in spec["bars"]}
    entries = [(state, label) for state, label in spec["state_labels"].items() if state in used]
    return entries + [("target", spec["reference_label"])]

"""The drawings of an indicator's figures of one period: bars of a few places, a ranking of many, and
a figure card of a single figure."""

from __future__ import annotations

from . import chart_style
from .chart_axes import draw_category_axis, draw_value_axis
from .chart_canvas import Canvas, tip_of
from .chart_labels import without_unit
from .chart_layout import FOOTER_BOTTOM_IN, laid_out_canvas
from .chart_metrics import text_points
from .chart_sizes import (
    CARD_FOOTER_PT,
    CARD_SIDE,
    CARD_SUBTITLE_PT,
    RANK_BAR_IN,
    RANK_LABEL_PT,
    RANK_NAME_GAP_IN,
    RANK_ROW_IN,
    card_layout,
    figure_height,
    layout_options,
    ranking_layout,
    tick_labels,
)
from .chart_style import (
    COLORS,
    RIGHT_IN,
    SMALL_PT,
    TARGET_COLOR,
    Specs,
    first_language,
    in_each_language,
)

BAR_LABEL_DY, BAR_LABEL_PT = 4, 12  # a bar's value, printed above it


def draw_bars(specs: Specs) -> Canvas:
    spec = first_language(specs)
    ticks = in_each_language(specs, lambda s: tick_labels([bar["label"] for bar in s["bars"]], len(s["bars"])))
    canvas, layout = laid_out_canvas(specs, height=figure_height(specs), **layout_options(specs))
    canvas.above_pt = BAR_LABEL_DY + BAR_LABEL_PT + 1  # a tooltip keeps off a bar's value, above it
    ax = canvas.ax
    values = [bar["value"] for bar in spec["bars"]]
    colors = [bar.get("color") or COLORS[i % len(COLORS)] for i, bar in enumerate(spec["bars"])]
    ax.bar(range(len(values)), values, color=colors, width=0.6)
    for i, value in enumerate(values):
        words = in_each_language(specs, lambda s, i=i: s["bars"][i]["value_label"])
        canvas.text(words, i, value, ax.transData, dy=BAR_LABEL_DY, ha="center", size=BAR_LABEL_PT)
        canvas.add_point(specs, i, value, lambda s, i=i: tip_of(s["bars"][i]))
    for i, target in enumerate(spec.get("targets", [])):
        ax.axhline(target["value"], color=TARGET_COLOR, linestyle="--", linewidth=1.6)
        canvas.add_point(specs, target["at"], target["value"], lambda s, i=i: tip_of(s["targets"][i]))
    ax.margins(y=0.15)
    draw_value_axis(canvas, layout)  # first: it may widen the left margin, which the category labels' room reads
    draw_category_axis(canvas, layout, ticks)
    layout.legend(canvas, specs)
    return canvas


def draw_ranking(specs: Specs) -> Canvas:
    """Places of one period, best first, as horizontal bars with their values; the featured places in
    their own colours and bold; a row for each run of places left out; the median as a line; targets
    as marks on their places' bars. No value axis: every bar carries its value. Each place's name is
    beside its bar, or above it where the names would take the bars' room (chart_sizes.ranking_layout);
    a value label that would cross the median's line is written past it."""
    from matplotlib.transforms import blended_transform_factory

    spec = first_language(specs)
    rows_layout = ranking_layout(specs)
    canvas, layout = laid_out_canvas(specs, height=figure_height(specs), **layout_options(specs))
    ax = canvas.ax
    ax.set_ylim(canvas.height * ax.get_position().height, 0)  # y: inches down from the axes' top
    rows = spec["rows"]
    middle = [mid for _, mid in rows_layout.rows]
    bars = [(i, row) for i, row in enumerate(rows) if "gap" not in row]
    ax.barh(
        [middle[i] for i, _ in bars],
        [row["value"] for _, row in bars],
        color=[row["color"] for _, row in bars],
        height=RANK_BAR_IN if not rows_layout.beside else min(RANK_BAR_IN + 0.03, RANK_ROW_IN * 0.62),
    )
    median_value = spec["median"]["value"]
    ax.axvline(median_value, color=spec["median"].get("color", COLORS[2]), linestyle=":", linewidth=2)
    targets = [(i, row["target"]) for i, row in bars if "target" in row]
    if targets:
        ax.plot(
            [value for _, value in targets],
            [middle[i] for i, _ in targets],
            linestyle="none",
            marker="D",
            markersize=8,
            markerfacecolor="white",
            markeredgecolor=TARGET_COLOR,
            markeredgewidth=2,
        )
    ax.set_yticks([])
    from_the_left = blended_transform_factory(ax.transAxes, ax.transData)
    for i, row in enumerate(rows):
        words = {lang: texts[i] for lang, texts in rows_layout.labels.items()}
        style = {"color": "#555555"} if "gap" in row else {"bold": bool(row.get("featured"))}
        style["halo"] = True  # the median's line passes under a name above its bar
        if rows_layout.beside:
            canvas.text(words, 0, middle[i], from_the_left, dx=-7, ha="right", va="center", size=RANK_LABEL_PT, **style)
        elif "gap" in row:
            canvas.text(words, 0, middle[i], from_the_left, va="center", size=RANK_LABEL_PT, **style)
        else:
            above = middle[i] - RANK_BAR_IN / 2 - RANK_NAME_GAP_IN
            canvas.text(words, 0, above, from_the_left, va="bottom", size=RANK_LABEL_PT, **style)
    value_words = {i: in_each_language(specs, lambda s, i=i: s["rows"][i]["value_label"]) for i, _ in bars}
    widest = max((text_points(t, SMALL_PT) for words in value_words.values() for t in words.values()), default=0)
    if widest > RANK_VALUES_AT_MOST * _axes_pt(rows_layout.left):  # the unit is the subtitle: the bars keep their room
        value_words = {
            i: {lang: without_unit(text, specs[lang].get("unit_label", "")) for lang, text in words.items()}
            for i, words in value_words.items()
        }
    values = [row["value"] for _, row in bars] + [value for _, value in targets] + [median_value]
    limits = _ranking_limits(values, value_words, [(row["value"], i) for i, row in bars], median_value, rows_layout)
    ax.set_xlim(*limits)
    for i, row in bars:
        below = row["value"] < 0
        at = _value_label_at(row["value"], value_words[i], median_value, limits, rows_layout.left)
        canvas.text(
            value_words[i],
            at,
            middle[i],
            ax.transData,
            dx=-VALUE_GAP_PT if below else VALUE_GAP_PT,
            ha="right" if below else "left",
            va="center",
            size=SMALL_PT,
            halo=True,
        )
        canvas.add_point(specs, row["value"], middle[i], lambda s, i=i: tip_of(s["rows"][i]))
        if "target" in row:
            canvas.add_point(specs, row["target"], middle[i], lambda s, i=i: tip_of(s["rows"][i], "target_"))
    ax.set_xticks([])
    for side in ("left", "bottom"):
        ax.spines[side].set_visible(False)
    ax.axvline(0, color="#999999", linewidth=0.8, zorder=0.5)
    layout.legend(canvas, specs)
    return canvas


RANK_VALUES_AT_MOST = 0.3  # of the axes' width, that the values past the bars may take with their unit
VALUE_GAP_PT = 4  # between a bar's end (or the median's line) and its value


def _value_room_pt(words: dict[str, str]) -> float:
    """Points that a bar's value label takes past its start, in the wider of its languages."""
    return max(text_points(text, SMALL_PT) for text in words.values()) + VALUE_GAP_PT + 2


def _axes_pt(left_in: float) -> float:
    return (chart_style.WIDTH - left_in - RIGHT_IN) * 72


def _value_label_at(value: float, words: dict, median: float, limits: tuple[float, float], left_in: float) -> float:
    """Where a bar's value label starts: at the bar's end, or past the median's line where the label,
    written from the bar's end, would cross it."""
    low, high = limits
    per_pt = (high - low) / _axes_pt(left_in)
    width = _value_room_pt(words)
    if value >= 0:
        crosses = value < median < value + width * per_pt
    else:
        crosses = value - width * per_pt < median < value
    return median if crosses else value


def _ranking_limits(values, value_words, bars, median: float, rows_layout) -> tuple[float, float]:
    """The value axis's limits: from the lowest to the highest of the bars, targets and median, with room
    beside them for each value label where it is written (past the median where it would cross it):
    widened until every label ends inside the axes."""
    low, high = min(0.0, *values), max(0.0, *values)
    span = (high - low) or 1.0
    axes_pt = _axes_pt(rows_layout.left)
    limits = (low, high)
    for _ in range(8):
        per_pt = (limits[1] - limits[0] or span) / axes_pt
        right, left = high, low
        for value, i in bars:
            width = _value_room_pt(value_words[i]) * per_pt
            start = _value_label_at(value, value_words[i], median, limits, rows_layout.left)
            if value >= 0:
                right = max(right, start + width)
            else:
                left = min(left, start - width)
        if (left, right) == limits:
            break
        limits = (left, right)
    return limits


def draw_card(specs: Specs) -> Canvas:
    """A single figure: its indicator's name, the figure, its place and period, and the footer, each
    wrapped to the card's width (chart_sizes.card_layout)."""
    card = card_layout(specs)
    canvas = Canvas(specs, card.height, axes=False)
    fig = canvas.fig
    fig.patch.set_facecolor("#f4f6fb")
    inches = fig.dpi_scale_trans
    x = CARD_SIDE * chart_style.WIDTH
    title_top, value_top, subtitle_top = (card.height - top for top in card.tops)
    canvas.text(card.title, x, title_top, inches, va="top", bold=True)
    value = in_each_language(specs, lambda s: s["value_label"])
    canvas.text(value, x, value_top, inches, va="top", size=card.value_pt, bold=True, color=COLORS[0])
    canvas.text(card.subtitle, x, subtitle_top, inches, va="top", size=CARD_SUBTITLE_PT, color="#333333")
    canvas.text(card.footer, x, FOOTER_BOTTOM_IN, inches, va="bottom", size=CARD_FOOTER_PT, color="#444444")
    return canvas

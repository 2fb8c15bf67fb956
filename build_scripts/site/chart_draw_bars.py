"""The drawings of an indicator's figures of one period: bars of a few places, a ranking of many, and
a figure card of a single figure."""

from __future__ import annotations

from . import chart_style
from .chart_axes import draw_category_axis, draw_value_axis
from .chart_canvas import Canvas, tip_of
from .chart_layout import laid_out_canvas
from .chart_sizes import CARD_HEIGHT, RANK_LABEL_PT, figure_height, layout_options, ranking_layout, tick_labels
from .chart_style import (
    BODY_PT,
    COLORS,
    RIGHT_IN,
    SMALL_PT,
    TARGET_COLOR,
    Specs,
    first_language,
    in_each_language,
    text_inches,
    wrap,
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
        line = ax.axhline(target["value"], color=TARGET_COLOR, linestyle="--", linewidth=1.6)
        canvas.add_point(specs, target["at"], target["value"], lambda s, i=i: tip_of(s["targets"][i]))
        canvas.legend_entries.append((line, in_each_language(specs, lambda s, i=i: s["targets"][i]["label"])))
    draw_category_axis(canvas, layout, ticks)
    ax.margins(y=0.15)
    draw_value_axis(canvas, layout, specs)
    layout.legend(canvas, 2)
    return canvas


def draw_ranking(specs: Specs) -> Canvas:
    """Places of one period, best first, as horizontal bars with their values; the featured places in
    their own colours and bold; a row for each run of places left out; the median as a line; targets
    as marks on their places' bars. No value axis: every bar carries its value."""
    spec = first_language(specs)
    wrapped, left, _ = ranking_layout(specs)
    canvas, layout = laid_out_canvas(specs, height=figure_height(specs), **layout_options(specs))
    ax = canvas.ax
    rows = spec["rows"]
    bars = [(i, row) for i, row in enumerate(rows) if "gap" not in row]
    ax.barh(
        [i for i, _ in bars], [row["value"] for _, row in bars], color=[row["color"] for _, row in bars], height=0.62
    )
    median = ax.axvline(
        spec["median"]["value"], color=spec["median"].get("color", COLORS[2]), linestyle=":", linewidth=2
    )
    canvas.legend_entries.append((median, in_each_language(specs, lambda s: s["median"]["label"])))
    targets = [(i, row["target"]) for i, row in bars if "target" in row]
    if targets:
        (mark,) = ax.plot(
            [value for _, value in targets],
            [i for i, _ in targets],
            linestyle="none",
            marker="D",
            markersize=8,
            markerfacecolor="white",
            markeredgecolor=TARGET_COLOR,
            markeredgewidth=2,
        )
        canvas.legend_entries.append((mark, in_each_language(specs, lambda s: s["target_label"])))
    ax.set_yticks([])
    for i, row in enumerate(rows):
        words = {lang: texts[i] for lang, texts in wrapped.items()}
        style = {"color": "#555555"} if "gap" in row else {"bold": bool(row.get("featured"))}
        canvas.text(words, 0, i, ax.get_yaxis_transform(), dx=-7, ha="right", va="center", size=RANK_LABEL_PT, **style)
    for i, row in bars:
        words = in_each_language(specs, lambda s, i=i: s["rows"][i]["value_label"])
        below = row["value"] < 0
        canvas.text(
            words,
            row["value"],
            i,
            ax.transData,
            dx=-4 if below else 4,
            ha="right" if below else "left",
            va="center",
            size=SMALL_PT,
        )
        canvas.add_point(specs, row["value"], i, lambda s, i=i: tip_of(s["rows"][i]))
        if "target" in row:
            canvas.add_point(specs, row["target"], i, lambda s, i=i: tip_of(s["rows"][i], "target_"))
    ax.set_ylim(len(rows) - 0.5, -0.5)  # the best at the top
    # room beside the bars for the widest value label of either language, on the side it is written
    values = [row["value"] for _, row in bars] + [value for _, value in targets] + [spec["median"]["value"]]
    low, high = min(0.0, *values), max(0.0, *values)
    label_in = 0.15 + max(
        text_inches(
            in_each_language(specs, lambda s: [r["value_label"] for r in s["rows"] if "gap" not in r])[lang], SMALL_PT
        )
        for lang in specs
    )
    axes_in = chart_style.WIDTH - left - RIGHT_IN
    pads = [label_in if low < 0 else 0.0, label_in if high > 0 else 0.0]
    share = min(0.7, sum(pads) / axes_in)
    total = ((high - low) or 1.0) / (1 - share)
    ax.set_xlim(low - total * pads[0] / axes_in, high + total * pads[1] / axes_in)
    ax.set_xticks([])
    for side in ("left", "bottom"):
        ax.spines[side].set_visible(False)
    ax.axvline(0, color="#999999", linewidth=0.8, zorder=0.5)
    layout.legend(canvas, 2)
    return canvas


def draw_card(specs: Specs) -> Canvas:
    height = CARD_HEIGHT
    canvas = Canvas(specs, height, axes=False)
    fig = canvas.fig
    fig.patch.set_facecolor("#f4f6fb")
    figure = fig.transFigure
    title = in_each_language(
        specs, lambda s: "\n".join(wrap(s["title"], int(chart_style.WIDTH * 72 / (BODY_PT * 0.6))))
    )
    canvas.text(title, 0.05, 1 - 0.2 / height, figure, va="top", bold=True)
    value = in_each_language(specs, lambda s: s["value_label"])
    # 30 pt, or smaller when the longer language's figure would run off the card (bold: wider letters)
    size = min(30.0, round((chart_style.WIDTH * 0.9) * 72 / (max(map(len, value.values())) * 0.66), 1))
    canvas.text(value, 0.05, 0.5, figure, va="center", size=size, bold=True, color=COLORS[0])
    subtitle = in_each_language(specs, lambda s: "\n".join(wrap(s["subtitle"], 70)))
    canvas.text(subtitle, 0.05, 0.27, figure, va="center", size=SMALL_PT + 1, color="#333333")
    footer = in_each_language(specs, lambda s: "\n".join(wrap(s["footer"], 95)))
    canvas.text(footer, 0.05, 0.06, figure, va="bottom", size=SMALL_PT - 1, color="#444444")
    return canvas

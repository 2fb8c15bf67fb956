"""A chart's axes as plain text and a few lines rather than matplotlib's ticks (five artists each):
the value axis, in the numbers of each language; the category axis; the time axis of years."""

from __future__ import annotations

import math

from . import chart_style
from .chart_canvas import Canvas
from .chart_layout import Layout
from .chart_style import BODY_PT, first_language, text_inches


def draw_value_axis(canvas: Canvas, layout: Layout) -> None:
    """The value axis of a vertical chart as plain text and one set of grid lines, drawn last. Its unit
    is the subtitle under the chart's title (Layout), never a label turned along the axis: a long
    unit's name ran past the axis's height.

    Like the category axis, it avoids matplotlib's ticks (five artists each), and it writes numbers
    in the chart's language: '2,5' in Vietnamese, and '1,5 triệu tỷ' rather than an offset '1e15'.
    """
    from matplotlib.collections import LineCollection
    from matplotlib.ticker import MaxNLocator

    fig, ax = canvas.fig, canvas.ax
    limits = ax.get_ylim()  # after autoscaling: frozen from here on
    low, high = sorted(limits)
    ticks = [float(f"{v:.10g}") for v in MaxNLocator(nbins=5, steps=[1, 2, 2.5, 5, 10]).tick_values(low, high)]
    ticks = [v for v in ticks if low - 1e-9 * (high - low) <= v <= high + 1e-9 * (high - low)]
    ax.set_ylim(limits)
    ax.set_xlim(ax.get_xlim())
    ax.set_yticks([])
    ax.add_collection(
        LineCollection(
            [[(0, v), (1, v)] for v in ticks],
            transform=ax.get_yaxis_transform(),
            colors="#dddddd",
            linewidths=0.8,
            zorder=0.5,
        ),
        autolim=False,
    )
    labels = {lang: _tick_texts(ticks, lang) for lang in canvas.langs}
    label_in = max(text_inches(texts, BODY_PT) for texts in labels.values())
    needed = TICK_TEXT_GAP_PT / 72 + label_in + 0.1
    if needed > layout.left:  # long labels ('1,5 triệu tỷ'): widen the margin, never narrow it
        layout.left = needed
        fig.subplots_adjust(left=needed / chart_style.WIDTH)
    for index, value in enumerate(ticks):
        words = {lang: texts[index] for lang, texts in labels.items()}
        canvas.text(words, 0, value, ax.get_yaxis_transform(), dx=-TICK_TEXT_GAP_PT, ha="right", va="center")


TICK_TEXT_GAP_PT = 7  # between an axis and its tick labels


def _tick_texts(ticks: list[float], lang: str) -> list[str]:
    """Tick values in the language's number format, scaled by a word when they reach a million."""
    from decimal import Decimal

    from ..site.i18n import number, scales

    top = max((abs(v) for v in ticks), default=0)
    for threshold, word in scales(lang):
        if top >= threshold:
            return [f"{number(Decimal(str(v)) / threshold, lang)} {word}" if v else "0" for v in ticks]
    return [number(Decimal(str(v)), lang) for v in ticks]


def draw_category_axis(canvas: Canvas, layout: Layout, labels: dict[str, list[str]]) -> None:
    """Category labels under the x axis as plain text: a matplotlib tick is five artists (three lines,
    two texts) and the ticks of a 12-period axis took a quarter of each chart's drawing.

    When the labels of either language are wider than their slots, every second (third, ...) one is shown.
    """
    ax = canvas.ax
    ax.set_xticks([])
    count = len(first_language(labels))
    slot = (chart_style.WIDTH - layout.left - layout.right) / max(1, count)
    widest = max(
        text_inches([line for label in texts for line in label.split("\n")], BODY_PT) for texts in labels.values()
    )
    step = max(1, math.ceil(widest / slot))
    for x in range(0, count, step):
        words = {lang: texts[x] for lang, texts in labels.items()}
        canvas.text(words, x, 0, ax.get_xaxis_transform(), dy=-TICK_TEXT_GAP_PT, ha="center", va="top")


def draw_year_axis(canvas: Canvas, layout: Layout, labels: dict[str, list[str]], first_year: int) -> None:
    """Year labels under the middle of each year, and a faint line where each year begins: a half-year
    point sits inside its year, not at a year's place. Past what the width holds, a label (and a line)
    every 2, 5, 10, 20, 25, 50 … years, at the years that step divides, chosen by the labels' measured width."""
    from matplotlib.collections import LineCollection

    ax = canvas.ax
    ax.set_xticks([])
    count = len(first_language(labels))
    slot = (chart_style.WIDTH - layout.left - layout.right) / max(1, count)
    widest = max(text_inches(texts, BODY_PT) for texts in labels.values())
    step = next(step for step in year_steps() if step * slot >= widest + YEAR_GAP_IN)
    shown = [n for n in range(count) if (first_year + n) % step == 0] if step > 1 else list(range(count))
    right_in = chart_style.WIDTH - 0.02  # a label's half may run into the right margin, not past the edge
    for n in shown:
        centre_in, half_in = layout.left + (n + 0.5) * slot, text_inches([t[n] for t in labels.values()], BODY_PT) / 2
        if centre_in + half_in > right_in or (step > 1 and centre_in - half_in < layout.left):
            continue  # at a long axis's ends: past the drawing's edge, or under the value axis's lowest label
        words = {lang: texts[n] for lang, texts in labels.items()}
        canvas.text(
            words, first_year + n + 0.5, 0, ax.get_xaxis_transform(), dy=-TICK_TEXT_GAP_PT, ha="center", va="top"
        )
    starts = [n for n in range(1, count) if step == 1 or (first_year + n) % step == 0]
    if starts:
        ax.add_collection(
            LineCollection(
                [[(first_year + n, 0), (first_year + n, 1)] for n in starts],
                transform=ax.get_xaxis_transform(),
                colors="#eeeeee",
                linewidths=0.8,
                zorder=0.4,
            ),
            autolim=False,
        )


YEAR_GAP_IN = 0.1  # between two year labels


def year_steps():
    """1, 2, 5, 10, 20, 25, 50, 100, …: the years between two labels of a time axis."""
    yield from (1, 2, 5)
    scale = 10
    while True:
        yield from (scale, 2 * scale, 5 * scale // 2, 5 * scale)
        scale *= 10

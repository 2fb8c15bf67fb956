"""The drawing of a series chart: lines on a true time axis, targets as marks, derived values hollow,
a band of the places drawn together, and the values printed where they fit."""

from __future__ import annotations

from . import chart_style
from .chart_axes import draw_value_axis, draw_year_axis
from .chart_canvas import Canvas
from .chart_labels import Label, without_unit
from .chart_layout import laid_out_canvas
from .chart_sizes import figure_height, layout_options
from .chart_style import (
    BAND_ALPHA,
    COLORS,
    LEFT_IN,
    RIGHT_IN,
    TARGET_COLOR,
    Specs,
    first_language,
    in_each_language,
    text_inches,
)

VALUE_LABEL_DY, VALUE_LABEL_PT = 8, 12  # a point's value, printed above it


def _tip(series: dict, n: int) -> tuple[str, list]:
    """The tooltip and the source of a series' nth point."""
    return series["tips"][n], series["cites"][n]


def draw_series(specs: Specs) -> Canvas:
    """Lines on a true time axis (a year is a unit; a period sits at its midpoint), one per place and
    kind of period; derived values hollow; the values printed where they fit."""
    spec = first_language(specs)  # the data; each language's spec has the same
    first_year, last_year = spec["years"]
    years = [str(year) for year in range(first_year, last_year + 1)]
    ticks = {lang: years for lang in specs}
    canvas, layout = laid_out_canvas(specs, height=figure_height(specs), **layout_options(specs))
    canvas.above_pt = VALUE_LABEL_DY + VALUE_LABEL_PT + 1  # a tooltip keeps off a point's value, above it
    ax = canvas.ax
    value_labels = []  # (priority, label): the latest point of each series first, then the others
    past_the_end = False  # the latest values past the lines' ends, in a margin made for them
    if not spec.get("label_points", True):
        latest = _latest_labels(specs)
        past_the_end = latest <= LATEST_AT_MOST * chart_style.WIDTH
        if past_the_end:
            layout.widen_right(canvas, RIGHT_IN + latest)
    year_pt = (chart_style.WIDTH - max(layout.left, LEFT_IN) - layout.right) * 72 / (last_year + 1 - first_year)
    for index, series in enumerate(spec["series"]):
        xs, ys = series["x"], [value for _, value in series["points"]]
        color = series.get("color") or COLORS[index % len(COLORS)]
        marker = series.get("marker", "o")
        if series["role"] == "target":
            ax.plot(
                xs,
                ys,
                linestyle="none",
                marker="D",
                markersize=9,
                markerfacecolor="white",
                markeredgecolor=TARGET_COLOR,
                markeredgewidth=2,
            )
            for y in ys:
                ax.axhline(y, color=TARGET_COLOR, linewidth=1, linestyle="--", alpha=0.6)
        else:
            every = None if distinct(xs, year_pt) else [len(xs) - 1]  # markers only where they stay apart
            ax.plot(xs, ys, marker=marker, linewidth=2.2, markersize=7, color=color, markevery=every)
            hollow = [(x, y) for x, y, derived in zip(xs, ys, series.get("derived", [])) if derived]
            if hollow:
                ax.plot(
                    *zip(*hollow),
                    linestyle="none",
                    marker=marker,
                    markersize=8,
                    markerfacecolor="white",
                    markeredgecolor=color,
                    markeredgewidth=2,
                    zorder=3,
                )
        if "tips" in series:
            for n, (x, y) in enumerate(zip(xs, ys)):
                canvas.add_point(specs, x, y, lambda s, i=index, n=n: _tip(s["series"][i], n))
        for n, (x, y) in enumerate(zip(xs, ys)):
            words = in_each_language(specs, lambda s, i=index, n=n: s["series"][i]["value_labels"][n])
            label = Label(words, x, y, ax.transData, dy=VALUE_LABEL_DY, ha="center", size=VALUE_LABEL_PT, halo=True)
            value_labels.append((n != len(xs) - 1, -n, label))
    if spec.get("band"):
        band = spec["band"]
        xs, rows = band["x"], band["points"]
        if len(xs) == 1:  # a band of one period: a short bar of its range at that period, the median across it
            xs, rows = [xs[0] - BAND_HALF_WIDTH, xs[0] + BAND_HALF_WIDTH], rows * 2
        color = band.get("color", COLORS[2])
        ax.fill_between(xs, [r[1] for r in rows], [r[3] for r in rows], color=color, alpha=BAND_ALPHA, linewidth=0)
        ax.plot(xs, [r[2] for r in rows], color=color, linestyle=":", linewidth=2)
    ax.set_xlim(first_year, last_year + 1)
    if spec.get("invert"):
        ax.invert_yaxis()
        ax.margins(y=0.22)
    else:
        ax.set_ylim(value_limits(*ax.dataLim.intervaly))
    draw_value_axis(canvas, layout)  # first: it may widen the left margin, which the year labels' room reads
    draw_year_axis(canvas, layout, ticks, first_year)
    every_label = spec.get("label_points", True)
    for later, _, label in sorted(value_labels, key=lambda item: item[:2]):
        if every_label or not later:  # past MAX_LABELLED_POINTS, each series' latest value alone
            label.color, label.optional = "#222222", True
            canvas.labels.append(label)
            if past_the_end:
                _past_the_end(label, specs)
    layout.legend(canvas, specs)
    return canvas


LATEST_AT_MOST = 0.3  # of the width, that the latest values written past the lines' ends may take
LATEST_GAP_PT = 6  # between a line's end and its latest value


def _latest_labels(specs: Specs) -> float:
    """Inches that the widest latest value of any series and language takes, past its line's end."""
    return LATEST_GAP_PT / 72 + max(
        text_inches([without_unit(x["value_labels"][-1], s.get("unit_label", "")) for x in s["series"]], VALUE_LABEL_PT)
        for s in specs.values()
    )


def _past_the_end(label: Label, specs: Specs) -> None:
    """A series' latest value written past its line's end, level with it, without the unit's name."""
    label.words = {lang: without_unit(words, specs[lang].get("unit_label", "")) for lang, words in label.words.items()}
    label.dx, label.dy, label.ha, label.va = LATEST_GAP_PT, 0, "left", "center"


MARKER_APART_PT = 11  # the least distance between two points' centres for their markers (7 pt) to stay apart


def distinct(xs: list[float], year_pt: float) -> bool:
    """Whether a series' markers stay apart: its closest two points at least MARKER_APART_PT apart."""
    ordered = sorted(xs)
    return all((b - a) * year_pt >= MARKER_APART_PT for a, b in zip(ordered, ordered[1:]))


BAND_HALF_WIDTH = 0.2  # years either side of a one-period band's period
HEADROOM = 0.22  # of the value axis's range, beyond the values' end: room for the labels above the points


def value_limits(low: float, high: float) -> tuple[float, float]:
    """The value axis of a series chart: from zero (or below it, for negative values) to past the
    highest value by HEADROOM of the whole range, so that its marker and label are inside the axes.
    (matplotlib's margins, asked for after set_ylim, are not applied: set_ylim stops autoscaling.)"""
    bottom, top = min(0.0, low), max(0.0, high)
    room = HEADROOM * ((top - bottom) or 1.0)
    return (bottom - room if low < 0 else bottom, top + room if high > 0 or top == bottom else top)

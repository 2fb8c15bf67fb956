"""The drawings of the overview's charts across indicators (data/overview.yml): progress against
targets and stacked parts as horizontal bars, and grouped bars of places."""

from __future__ import annotations

from . import chart_style
from .chart_axes import draw_category_axis, draw_value_axis
from .chart_canvas import Canvas, tip_of
from .chart_labels import Label, text_box, without_overlaps
from .chart_layout import laid_out_canvas
from .chart_sizes import (
    PROGRESS_BAR_IN,
    PROGRESS_GAP_IN,
    PROGRESS_LEFT_IN,
    PROGRESS_NAME_PT,
    figure_height,
    horizontal_layout,
    layout_options,
    progress_rows,
    progress_texts,
    tick_labels,
)
from .chart_style import (
    COLORS,
    NARROW_WIDTH,
    PROGRESS_COLORS,
    RIGHT_IN,
    SMALL_PT,
    TARGET_COLOR,
    Specs,
    first_language,
    in_each_language,
    text_inches,
)

INSIDE_PT, SIDE_PT = 4, 1  # a value label inside its bar: below the bar's top, and clear of its sides
BAR_SHARE = 0.92  # of its slot that a grouped chart's bar fills
STACKED_BAR = 0.55  # of its row that a stacked bar fills
GROUPED_LABEL_DY, GROUPED_LABEL_PT = 4, SMALL_PT + 1  # a grouped bar's value, above it
MARK_BEYOND_IN = 0.025  # a progress chart's target mark, beyond its bar's edges (short of the text below)


def _bar_labels(canvas: Canvas, wrapped: dict[str, list[str]]) -> None:
    """The category of each horizontal bar, left of the axis."""
    ax = canvas.ax
    ax.set_yticks([])
    for i in range(len(first_language(wrapped))):
        words = {lang: texts[i] for lang, texts in wrapped.items()}
        canvas.text(words, 0, i, ax.get_yaxis_transform(), dx=-7, ha="right", va="center", size=SMALL_PT + 1)


def draw_progress(specs: Specs) -> Canvas:
    """Actual as a share of target, one row per indicator across the whole width: its name, its bar with
    the share at its end and a mark at 100 %, and the figure and its target under it. The bars' colours
    (target met, not met, or a part-year result not judged against a full-year target) and the mark are
    in the legend."""
    from matplotlib.transforms import blended_transform_factory

    spec = first_language(specs)
    names, details, rows = progress_rows(specs)
    canvas, layout = laid_out_canvas(specs, height=figure_height(specs), **layout_options(specs))
    ax = canvas.ax
    ax.set_ylim(canvas.height * ax.get_position().height, 0)  # y: inches down from the axes' top
    from_the_left = blended_transform_factory(ax.transAxes, ax.transData)
    values = [bar["value"] for bar in spec["bars"]]
    colors = PROGRESS_COLORS
    top, label_at = 0.0, [max(value, 100) for value in values]  # a share short of 100 % is right of the mark
    shares = in_each_language(specs, lambda s: [progress_texts(bar)[0] for bar in s["bars"]])
    for i, (value, bar, (name_in, row_in)) in enumerate(zip(values, spec["bars"], rows)):
        middle = top + name_in + PROGRESS_GAP_IN + PROGRESS_BAR_IN / 2
        name = {lang: texts[i] for lang, texts in names.items()}  # just above the bar, whichever language is shorter
        above = middle - PROGRESS_BAR_IN / 2 - PROGRESS_GAP_IN
        canvas.text(name, 0, above, from_the_left, va="bottom", size=PROGRESS_NAME_PT)
        ax.barh(middle, value, height=PROGRESS_BAR_IN, color=colors[bar["state"]])
        canvas.add_point(specs, value, middle, lambda s, i=i: tip_of(s["bars"][i]))
        canvas.add_point(specs, 100, middle, lambda s, i=i: tip_of(s["bars"][i], "target_"))
        mark = PROGRESS_BAR_IN / 2 + MARK_BEYOND_IN  # the target's mark, a little taller than the bar
        for color, width in (("#ffffff", 5.0), (TARGET_COLOR, 2.4)):  # a white edge: seen on a bar of any colour
            ax.plot([100, 100], [middle - mark, middle + mark], color=color, linewidth=width, solid_capstyle="butt")
        share = {lang: texts[i] for lang, texts in shares.items()}
        canvas.text(share, label_at[i], middle, ax.transData, dx=6, va="center", size=PROGRESS_NAME_PT, bold=True)
        words = {lang: texts[i] for lang, texts in details.items()}
        below = middle + PROGRESS_BAR_IN / 2 + PROGRESS_GAP_IN
        canvas.text(words, 0, below, from_the_left, va="top", size=SMALL_PT, color="#333333")
        top += row_in
    # room on the right for the widest share: the axis ends where it ends (bold text runs a tenth wider)
    axes_in = chart_style.WIDTH - PROGRESS_LEFT_IN - RIGHT_IN
    share_in = [
        0.15 + 1.1 * max(text_inches([texts[i]], PROGRESS_NAME_PT) for texts in shares.values())
        for i in range(len(values))
    ]
    right = max([at / max(0.2, 1 - w / axes_in) for at, w in zip(label_at, share_in)] + [110])
    ax.set_xlim(0, right)
    ax.set_yticks([])
    ax.spines["left"].set_visible(False)
    ax.set_xticks(share_ticks(right, min(5, max(3, int(axes_in - 0.9) + 1))))
    layout.legend(canvas, specs)
    return canvas


def share_ticks(right: float, most: int) -> list[int]:
    """Ticks of a share axis from 0 to right, at most `most` of them, at a step that divides 100 where
    one does, so that 100 % (the target) has its tick: MaxNLocator's 0 and 200 on the narrow drawing left
    it out, as its steps must cover the whole axis."""
    for step in (20, 25, 50, *(int(m * 10**k) for k in range(2, 16) for m in (1, 2, 2.5, 5))):
        ticks = [step * i for i in range(int(right // step) + 1)]
        if len(ticks) <= most:
            return ticks
    return [0]


def _few_value_ticks(ax) -> None:
    """As many value ticks on a horizontal chart as its width leaves room for (fewer on the narrow one)."""
    from matplotlib.ticker import MaxNLocator

    ax.xaxis.set_major_locator(MaxNLocator(nbins=max(2, int(chart_style.WIDTH - 1.4))))
    if (
        chart_style.WIDTH < NARROW_WIDTH + 0.5
    ):  # the narrow drawing's axis is too short for a scale: each bar has its value
        ax.tick_params(axis="x", labelbottom=False)


def draw_stacked(specs: Specs) -> Canvas:
    spec = first_language(specs)
    wrapped, left, _ = horizontal_layout(specs)
    canvas, layout = laid_out_canvas(specs, height=figure_height(specs), **layout_options(specs))
    ax = canvas.ax
    segments = []  # (label, start, width, whether it ends its bar)
    for part_index in range(len(spec["parts"])):
        lefts = [sum(bar["values"][:part_index]) for bar in spec["bars"]]
        widths = [bar["values"][part_index] for bar in spec["bars"]]
        color = spec["legend"][part_index]["key"]["box"]
        ax.barh(range(len(widths)), widths, left=lefts, height=STACKED_BAR, color=color)
        for i, (start, width) in enumerate(zip(lefts, widths)):
            if width:
                words = in_each_language(specs, lambda s, i=i, p=part_index: s["bars"][i]["value_labels"][p])
                canvas.text(
                    words,
                    start + width / 2,
                    i,
                    ax.transData,
                    ha="center",
                    va="center",
                    size=SMALL_PT + 2,
                    bold=True,
                    color="white",
                )
                ends = not any(spec["bars"][i]["values"][part_index + 1 :])
                segments.append((canvas.labels[-1], start, width, ends))
                canvas.add_point(specs, start + width / 2, i, lambda s, i=i, p=part_index: _part_tip(s["bars"][i], p))
    _bar_labels(canvas, wrapped)
    ax.invert_yaxis()
    ax.grid(axis="x", color="#dddddd")
    _few_value_ticks(ax)
    _fit_segment_labels(canvas, segments)
    ax.get_ylim()  # settled: a tooltip keeps clear of the whole height of a segment, on whose middle its point is
    canvas.mark_pt = canvas.above_pt = round(
        abs(ax.transData.transform((0, STACKED_BAR / 2))[1] - ax.transData.transform((0, 0))[1]) + 1, 1
    )
    layout.legend(canvas, specs)
    return canvas


def _part_tip(item: dict, n: int) -> tuple[str, list]:
    """The tooltip and the source of a stacked bar's nth part, or a group's nth bar."""
    return item["tips"][n], item["cites"][n]


def _fit_segment_labels(canvas: Canvas, segments: list[tuple[Label, float, float, bool]]) -> None:
    """Each segment's value inside it where it fits; else, for the segment that ends its bar, just past
    the bar's end in dark text, where the axes leave room; else left out (the table and the alt text
    have it). Two values squeezed into one short bar ran together ('4511' for 45 and 11)."""
    ax = canvas.ax
    ax.get_xlim()  # the limits are settled before anything is measured
    axes_right = ax.transAxes.transform((1, 0))[0]
    for label, start, width, ends in segments:
        x0, x1 = (ax.transData.transform((value, 0))[0] for value in (start, start + width))
        left, _, right, _ = text_box(label, (x0 + x1) / 2, 0, safe=True)
        if right - left <= x1 - x0:
            continue
        if ends:
            label.x, label.dx, label.ha, label.color = start + width, 4, "left", "#222222"
            if text_box(label, x1, 0, safe=True)[2] <= axes_right:
                continue
        canvas.labels.remove(label)


def draw_grouped(specs: Specs) -> Canvas:
    spec = first_language(specs)
    groups, members = spec["groups"], spec["members"]
    ticks = in_each_language(specs, lambda s: tick_labels(s["groups"], len(s["groups"])))
    canvas, layout = laid_out_canvas(specs, height=figure_height(specs), **layout_options(specs))
    canvas.above_pt = GROUPED_LABEL_DY + GROUPED_LABEL_PT + 1  # a tooltip keeps off a bar's value, above it
    ax = canvas.ax
    width = 0.8 / len(members)
    value_labels: list[tuple[float, Label]] = []
    for m, member in enumerate(members):
        xs = [g + (m - (len(members) - 1) / 2) * width for g in range(len(groups))]
        color = member.get("color") or COLORS[m % len(COLORS)]
        ax.bar(xs, member["values"], width=width * BAR_SHARE, color=color)
        for n, (x, value) in enumerate(zip(xs, member["values"])):
            words = in_each_language(specs, lambda s, m=m, n=n: s["members"][m]["value_labels"][n])
            canvas.text(words, x, value, ax.transData, dy=GROUPED_LABEL_DY, ha="center", size=GROUPED_LABEL_PT)
            value_labels.append((value, canvas.labels[-1]))
            canvas.add_point(specs, x, value, lambda s, m=m, n=n: _part_tip(s["members"][m], n))
    ax.margins(y=0.15)
    draw_value_axis(canvas, layout)  # first: it may widen the left margin, which the group labels' room reads
    draw_category_axis(canvas, layout, ticks)
    _fit_value_labels(canvas, specs, [label for _, label in value_labels], width)
    inside = _inside_when_crowded(canvas, value_labels, width * BAR_SHARE)
    above = [label for _, label in sorted(value_labels, key=lambda item: -abs(item[0])) if id(label) not in inside]
    _drop_overlapping(canvas, above)
    layout.legend(canvas, specs)
    return canvas


def _fit_value_labels(canvas: Canvas, specs: Specs, labels: list[Label], spacing: float) -> None:
    """Value labels wider than the distance between two bars lose their unit, which the value axis names
    ('9.010 pesos' becomes '9.010'), and, still too wide to stand side by side, take the smallest size:
    all of them, so that they read alike."""
    ax = canvas.ax
    spacing_pt = abs(ax.transData.transform((spacing, 0))[0] - ax.transData.transform((0, 0))[0])

    def all_fit(safe: bool) -> bool:
        boxes = [text_box(label, 0, 0, safe) for label in labels]
        return all(right - left <= spacing_pt for left, _, right, _ in boxes)

    if all_fit(safe=False):
        return
    units = in_each_language(specs, lambda s: s.get("unit_label") or "")
    for label in labels:
        label.words = {
            lang: words[: -len(units[lang]) - 1] if units[lang] and words.endswith(" " + units[lang]) else words
            for lang, words in label.words.items()
        }
    if not all_fit(safe=True):  # else neighbours' values of like height overlap, and the lower one is left out
        for label in labels:
            label.size = SMALL_PT


def _drop_overlapping(canvas: Canvas, labels: list[Label]) -> None:
    """Leaves out each value label that would overlap a text placed before it (the axes' labels, or the
    value label of a taller bar), as the series charts' optional labels are left out: decided here,
    once the axes' limits are frozen, so that the labels kept stay where they were drawn."""
    chosen, kept = {id(label) for label in labels}, _kept(canvas, labels)
    canvas.labels = [label for label in canvas.labels if id(label) not in chosen or id(label) in kept]


def _kept(canvas: Canvas, labels: list[Label]) -> set[int]:
    """The ids of the canvas's labels that _drop_overlapping would keep (the other texts' among them)."""
    chosen = {id(label) for label in labels}
    placed = [(label, *label.transform.transform((label.x, label.y))) for label in canvas.labels]
    ordered = [item for item in placed if id(item[0]) not in chosen]
    ordered += [next(item for item in placed if item[0] is label) for label in labels]
    for label in labels:
        label.optional = True
    kept = {id(item[0]) for item in without_overlaps(ordered)}
    for label in labels:
        label.optional = False
    return kept


def _inside_when_crowded(canvas: Canvas, value_labels: list[tuple[float, Label]], bar_width: float) -> set[int]:
    """When a value label above its bar would meet its neighbour's (bars side by side of like height, on
    a phone), each bar wide and tall enough for its value has it inside its top, in white, where no
    other value can meet it. The ids of the labels moved inside."""
    kept = _kept(canvas, [label for _, label in value_labels])
    if all(id(label) in kept for _, label in value_labels):
        return set()
    to_points = canvas.ax.transData.transform
    bar_pt = to_points((bar_width, 0))[0] - to_points((0, 0))[0]
    inside = set()
    for value, label in value_labels:
        left, bottom, right, top = text_box(label, 0, 0)
        tall_pt = to_points((label.x, value))[1] - to_points((label.x, 0))[1]
        if value > 0 and right - left + 2 * SIDE_PT <= bar_pt and top - bottom + 2 * INSIDE_PT <= tall_pt:
            label.va, label.dy, label.color = "top", -INSIDE_PT, "#ffffff"
            inside.add(id(label))
    return inside

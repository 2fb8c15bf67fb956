"""A chart's size and what goes around its axes, from its specs alone (the pages state each chart's
size before it is drawn): its height and size, each kind's layout options and legend entries, and the
wrapped labels of tick marks, rankings and horizontal bars, which the size and the drawing both read."""

from __future__ import annotations

from . import chart_style
from .chart_layout import Layout, legend_columns
from .chart_style import (
    BODY_PT,
    CHAR_EM,
    LEFT_IN,
    LEGEND_IN,
    NARROW_WIDTH,
    RIGHT_IN,
    SMALL_PT,
    TITLE_PT,
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
    on the narrow drawing)."""
    kind = first_language(specs)["kind"]
    if kind == "card":
        return CARD_HEIGHT
    if kind == "ranking":  # the rows, whatever their number, and the text around them
        margins = Layout(specs, 1.0, **layout_options(specs))
        return margins.top_in + margins.bottom_in + max(MIN_AXES_IN, ranking_layout(specs)[2])
    if kind == "progress":  # its rows, each as tall as its texts, and the text around them
        margins = Layout(specs, 1.0, **layout_options(specs))
        return (
            margins.top_in + margins.bottom_in + max(MIN_AXES_IN, sum(row_in for _, row_in in progress_rows(specs)[2]))
        )
    if kind == "series":
        labels = {lang: series_legend_labels(spec) for lang, spec in specs.items()}
        entries = len(first_language(labels))
        base = 4.4 + LEGEND_IN * ((entries - 1) // series_legend_columns(labels))
    elif kind == "stacked":
        base = horizontal_layout(specs)[2]
    else:
        base = 4.4
    margins = Layout(specs, base, **layout_options(specs))
    return max(base, margins.top_in + margins.bottom_in + MIN_AXES_IN)


def layout_options(specs: Specs) -> dict:
    """What each kind of chart puts around its axes (Layout's options): the same for its height and its drawing."""
    spec = first_language(specs)
    kind = spec["kind"]
    if kind == "series":
        labels = in_each_language(specs, series_legend_labels)
        rows = (len(first_language(labels)) - 1) // series_legend_columns(labels) + 1
        return {"legend": True, "tick_lines": 1, "legend_rows": rows}
    if kind == "bars":
        ticks = in_each_language(specs, lambda s: tick_labels([bar["label"] for bar in s["bars"]], len(s["bars"])))
        return {"legend": bool(spec.get("targets")), "tick_lines": lines_of(ticks)}
    if kind == "grouped":  # the legend in as many rows as its entries need: one per place on the narrow drawing
        labels = in_each_language(specs, legend_labels)
        columns = min(legend_columns(texts, len(spec["members"])) for texts in labels.values())
        return {
            "legend": True,
            "tick_lines": lines_of(in_each_language(specs, lambda s: tick_labels(s["groups"], len(s["groups"])))),
            "legend_rows": -(-len(spec["members"]) // columns),
        }
    if kind == "ranking":
        labels = in_each_language(specs, legend_labels)
        columns = min(legend_columns(texts, 2) for texts in labels.values())
        return {
            "left": ranking_layout(specs)[1],
            "legend": True,
            "legend_rows": -(-len(first_language(labels)) // columns),
        }
    if kind == "progress":
        labels = in_each_language(specs, legend_labels)
        columns = min(legend_columns(texts, PROGRESS_LEGEND_COLUMNS) for texts in labels.values())
        return {"left": PROGRESS_LEFT_IN, "legend": True, "legend_rows": -(-len(first_language(labels)) // columns)}
    return {"left": horizontal_layout(specs)[1], "legend": True}


def legend_labels(spec: dict) -> list[str]:
    """The entries of a chart's legend in its spec's language, as the drawing lists them under its axes."""
    kind = spec["kind"]
    if kind == "series":
        return series_legend_labels(spec)
    if kind == "ranking":
        return [spec["median"]["label"]] + ([spec["target_label"]] if spec.get("target_label") else [])
    if kind == "bars":
        return [target["label"] for target in spec.get("targets", [])]
    if kind == "grouped":
        return [member["label"] for member in spec["members"]]
    if kind == "stacked":
        return list(spec["parts"])
    if kind == "progress":
        return [label for _, label in progress_legend(spec)]
    return []


def figure_size(specs: Specs) -> tuple[int, int, int, int]:
    """The chart's size in CSS pixels, as its SVGs state it (points, written with six decimals): the
    wide drawing's width and height, then the narrow one's."""
    wide = [round(float(f"{inches * 72:f}") * 4 / 3) for inches in (chart_style.WIDTH, figure_height(specs))]
    with drawing_width(NARROW_WIDTH):
        narrow = [round(float(f"{inches * 72:f}") * 4 / 3) for inches in (chart_style.WIDTH, figure_height(specs))]
    return (*wide, *narrow)


def series_legend_labels(spec: dict) -> list[str]:
    labels = [series["label"] for series in spec["series"]]
    if spec.get("derived_label"):
        labels.append(spec["derived_label"])
    if spec.get("band"):
        labels += [spec["band"]["range_label"], spec["band"]["median_label"]]
    return labels


def series_legend_columns(labels: dict[str, list[str]]) -> int:
    """Columns of a series chart's legend: the fewest that any language's labels need."""
    most = 3 if len(first_language(labels)) <= 3 else 2
    return min(legend_columns(texts, most) for texts in labels.values())


def tick_labels(labels: list[str], slots: int) -> list[str]:
    """Category labels wrapped to the width of their slot under the axes (less a gap), estimated as
    draw_category_axis measures them: wrapped wider, the second of two groups was left out on phones."""
    slot = (chart_style.WIDTH - LEFT_IN - RIGHT_IN) / max(1, slots)
    width = max(6, int((slot - CATEGORY_GAP_IN) * 72 / (BODY_PT * CHAR_EM)))
    return ["\n".join(wrap(label, width)) for label in labels]


CATEGORY_GAP_IN = 0.1  # between two category labels


def lines_of(labels: dict[str, list[str]]) -> int:
    return max(label.count("\n") + 1 for texts in labels.values() for label in texts)


CARD_HEIGHT = 3.2
RANK_ROW_IN = 0.32  # inches per row of a ranking, at least
RANK_LABEL_PT = SMALL_PT + 1


def ranking_layout(specs: Specs) -> tuple[dict[str, list[str]], float, float]:
    """A ranking's row labels, wrapped, in each language; its left margin; and the inches its rows take."""
    scale = chart_style.WIDTH / 6.4  # the wrapping widths were set for the wide drawing
    width = max(14, int(30 * scale))
    wrapped = in_each_language(
        specs, lambda s: ["\n".join(_at_most(wrap(row["label"], width), 2, width)) for row in s["rows"]]
    )
    lines = max(label.count("\n") + 1 for texts in wrapped.values() for label in texts)
    longest = max(len(line) for texts in wrapped.values() for label in texts for line in label.split("\n"))
    left = min(0.45 * chart_style.WIDTH, 0.3 + text_inches(["x" * longest], RANK_LABEL_PT))
    pitch = max(RANK_ROW_IN, lines_height(lines, RANK_LABEL_PT) + 0.06)
    return wrapped, left, pitch * len(first_language(specs)["rows"]) + 0.1


def _at_most(lines: list[str], count: int, width: int) -> list[str]:
    """The first `count` lines, the last one ending in '…' when the text goes on (the table has it whole)."""
    if len(lines) <= count:
        return lines
    return lines[: count - 1] + [lines[count - 1][: width - 1].rstrip() + "…"]


def horizontal_layout(specs: Specs) -> tuple[Words | dict, float, float]:
    """A stacked chart's wrapped bar labels in each language, its left margin and its figure height
    (for the longer language)."""
    scale = chart_style.WIDTH / 6.4  # the wrapping widths were set for the wide drawing
    wrapped = in_each_language(
        specs, lambda s: ["\n".join(wrap(bar["label"], max(12, int(26 * scale)))) for bar in s["bars"]]
    )
    lines = max(sum(label.count("\n") + 1 for label in texts) for texts in wrapped.values())
    longest = max(len(line) for texts in wrapped.values() for label in texts for line in label.split("\n"))
    left = min(0.5 * chart_style.WIDTH, 0.3 + 0.1 * longest)
    title_lines = max(len(wrap(s["title"], int(48 * scale))) for s in specs.values())
    bars = len(first_language(specs)["bars"])
    height = 1.6 + lines_height(title_lines, TITLE_PT) + max(0.55 * bars, 0.26 * lines)
    return wrapped, left, height


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
    name_chars = int(axes_in * 72 / (PROGRESS_NAME_PT * CHAR_EM))
    detail_chars = int(axes_in * 72 / (SMALL_PT * CHAR_EM))

    def parts(bar: dict) -> list[str]:
        return progress_texts(bar)[1]

    # on one line in every language or in none, so that no language's rows gape where another's needed two
    apart = [
        any(len(DETAILS_SEPARATOR.join(parts(s["bars"][i]))) > detail_chars for s in specs.values())
        for i in range(len(first_language(specs)["bars"]))
    ]

    def details(bar: dict, i: int) -> str:
        if not apart[i]:
            return DETAILS_SEPARATOR.join(parts(bar))
        return "\n".join(w for p in parts(bar) for w in wrap(p, detail_chars))

    names = in_each_language(specs, lambda s: ["\n".join(wrap(bar["label"], name_chars)) for bar in s["bars"]])
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

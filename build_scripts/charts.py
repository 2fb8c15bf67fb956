"""Stage 4: charts. A chart is first a plain-data spec; the spec is drawn with matplotlib as SVG.

Specs are JSON-serialisable, so a chart is cached under the hash of its spec
(data and labels) and drawn in a pool of processes, one per core. The same
spec always gives the same SVG bytes.

Only SVG is drawn at build time: rasterising a PNG took 60 % of each chart's
drawing and made files above the 60 KB budget. Readers who want a PNG get one
from the SVG in their browser (docs/assets/portal.js draws it on a canvas at
twice the size), so it costs the build nothing.
"""

from __future__ import annotations

import gc
import hashlib
import io
import json
import math
import os
import textwrap
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

# The cache key covers the drawing code itself (and the number formats it uses), so a change to
# either redraws every chart.
DRAWING_CODE_HASH = hashlib.sha256(
    Path(__file__).read_bytes() + (Path(__file__).parent / "i18n.py").read_bytes()
).hexdigest()[:12]
COLORS = ["#1d4e89", "#6b6b6b", "#0f766e", "#7c3aed", "#b45309", "#be123c", "#15803d", "#4338ca"]
TARGET_COLOR = "#c2410c"
GEO_COLORS = {"VN": COLORS[0], "WORLD": COLORS[1]}


def spec_hash(spec: dict) -> str:
    payload = json.dumps(spec, ensure_ascii=False, sort_keys=True) + DRAWING_CODE_HASH
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()[:20]


class ChartDrawing:
    """Draws charts in a pool of processes, one per core, while the build goes on: a chart is sent
    to the pool as soon as its spec is made (add), and the pages need only its size (figure_size).
    finish() waits for the drawings and writes <stem>.svg for every chart added; cancel() stops the
    pool when the build fails. A chart whose spec hash is in the cache is not drawn again."""

    def __init__(self, cache: Path, workers: int | None = None):
        self.cache = cache
        cache.mkdir(parents=True, exist_ok=True)
        self.jobs: dict[Path, dict] = {}
        self.pending: dict[str, object] = {}  # spec hash -> its future (or its spec, with one worker)
        self.workers = workers or os.cpu_count() or 1
        self._pool = None

    def add(self, stem: Path, spec: dict) -> None:
        self.jobs[stem] = spec
        key = spec_hash(spec)
        if key in self.pending or (self.cache / f"{key}.svg").exists():
            return
        if self.workers == 1:
            self.pending[key] = spec
            return
        if self._pool is None:
            gc.freeze()  # the forked workers then leave the build's tables unread, and uncopied
            self._pool = ProcessPoolExecutor(max_workers=self.workers, initializer=_quiet_matplotlib)
        self.pending[key] = self._pool.submit(draw_chart, spec)

    def finish(self) -> dict[str, int]:
        for key, drawing in self.pending.items():
            _store(self.cache, key, draw_chart(drawing) if isinstance(drawing, dict) else drawing.result())
        self.cancel()
        for stem, spec in self.jobs.items():
            stem.parent.mkdir(parents=True, exist_ok=True)
            _link_or_copy(self.cache / f"{spec_hash(spec)}.svg", stem.with_suffix(".svg"))
        return {"charts": len(self.jobs), "drawn": len(self.pending)}

    def cancel(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None
            gc.unfreeze()


def _store(cache: Path, key: str, svg: bytes) -> None:
    tmp = cache / f".{key}.svg.tmp"
    tmp.write_bytes(svg)
    os.replace(tmp, cache / f"{key}.svg")


def _link_or_copy(source: Path, target: Path) -> None:
    if target.exists() and target.read_bytes() == source.read_bytes():
        return
    target.write_bytes(source.read_bytes())


def _quiet_matplotlib() -> None:
    os.environ.setdefault("MPLBACKEND", "Agg")


# --------------------------------------------------------------------- drawing


def _pyplot():
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    plt.rcParams.update(
        {
            "svg.hashsalt": "vn-dx-open-data",
            "svg.fonttype": "none",  # text stays text: small files, selectable, any Vietnamese font
            "font.family": "DejaVu Sans",
            "font.size": 14,
            "axes.spines.top": False,
            "axes.spines.right": False,
            "axes.titleweight": "bold",
            "axes.titlesize": 16,
            "axes.titlelocation": "left",
            "figure.dpi": 100,
        }
    )
    return plt


def figure_height(spec: dict) -> float:
    """The figure's height in inches, from the spec alone: the pages state each chart's size before
    it is drawn (every drawer takes its height from here)."""
    kind = spec["kind"]
    if kind == "series":
        labels = _series_legend_labels(spec)
        return 4.4 + LEGEND_IN * ((len(labels) - 1) // _series_legend_columns(labels))
    if kind == "card":
        return CARD_HEIGHT
    if kind in ("progress", "stacked"):
        return _horizontal_layout(spec, [bar["label"] for bar in spec["bars"]])[2]
    return 4.4


def figure_size(spec: dict) -> tuple[int, int]:
    """The chart's size in CSS pixels, as its SVG states it (points, written with six decimals)."""
    return tuple(round(float(f"{inches * 72:f}") * 4 / 3) for inches in (WIDTH, figure_height(spec)))


def draw_chart(spec: dict) -> bytes:
    plt = _pyplot()
    drawer = {
        "series": _draw_series,
        "bars": _draw_bars,
        "card": _draw_card,
        "progress": _draw_progress,
        "stacked": _draw_stacked,
        "grouped": _draw_grouped,
    }[spec["kind"]]
    fig = drawer(plt, spec)
    svg = io.BytesIO()
    fig.savefig(svg, format="svg", metadata={"Date": None, "Creator": None})
    plt.close(fig)
    return svg.getvalue()


# Layout is computed, not solved: text is wrapped by character count and margins are set in
# inches from the number of lines. Matplotlib's constrained layout and its own text wrapping
# measure every glyph several times and made a chart five times slower to draw.
WIDTH = 6.4  # inches: about 640 px on the page, readable when scaled down to a phone
TITLE_PT, BODY_PT, SMALL_PT = 16, 14, 10
LEGEND_IN, TICKS_IN = 0.4, 0.45


def wrap(text: str, width: int) -> list[str]:
    return textwrap.wrap(text, width=width, break_long_words=False) or [""]


def _lines_height(lines: int, points: float) -> float:
    return lines * points * 1.3 / 72


class Layout:
    """Figure margins in inches, from the title, footer, legend and tick labels that go around the axes."""

    def __init__(
        self, spec: dict, height: float, left: float = 0.8, legend: bool = False, tick_lines: int = 1, legend_rows=1
    ):
        self.title = wrap(spec["title"], int((WIDTH - 0.2) * 72 / (TITLE_PT * 0.66)))  # bold: wider letters
        self.footer = wrap(spec.get("footer", ""), int(WIDTH * 72 / (SMALL_PT * 0.55))) if spec.get("footer") else []
        self.height = height
        self.footer_in = _lines_height(len(self.footer), SMALL_PT) + 0.1
        self.legend_in = LEGEND_IN * legend_rows if legend else 0.0
        self.top_in = _lines_height(len(self.title), TITLE_PT) + 0.25
        self.bottom_in = self.footer_in + self.legend_in + TICKS_IN + _lines_height(tick_lines - 1, BODY_PT)
        self.left = left

    def apply(self, fig, ax) -> None:
        fig.subplots_adjust(
            left=self.left / WIDTH,
            right=1 - 0.25 / WIDTH,
            top=1 - self.top_in / self.height,
            bottom=self.bottom_in / self.height,
        )
        fig.text(
            0.1 / WIDTH,
            1 - 0.12 / self.height,
            "\n".join(self.title),
            fontsize=TITLE_PT,
            fontweight="bold",
            ha="left",
            va="top",
        )
        if self.footer:
            fig.text(
                0.1 / WIDTH,
                0.06 / self.height,
                "\n".join(self.footer),
                fontsize=SMALL_PT,
                color="#444444",
                ha="left",
                va="bottom",
            )

    def legend(self, fig, ax, columns: int) -> None:
        """The legend under the axes, in rows of `columns` entries, centred.

        Placed by arithmetic from estimated text widths, like the rest of the layout: matplotlib's
        own legend measures every label to pack its boxes and took a fifth of each chart's drawing.
        """
        handles, labels = ax.get_legend_handles_labels()
        if not handles:
            return
        columns = max(1, min(columns, len(labels)))
        widths = _legend_column_widths(labels, columns)
        rows = -(-len(labels) // columns)
        starts, left = [], (WIDTH - sum(widths) - LEGEND_GAP_IN * (columns - 1)) / 2
        for width in widths:
            starts.append(left)
            left += width + LEGEND_GAP_IN
        for index, (handle, label) in enumerate(zip(handles, labels)):
            row, column = divmod(index, columns)
            x, y = starts[column], self.footer_in + (rows - row - 0.5) * LEGEND_IN
            _legend_key(fig, handle, x, y)
            fig.text(x + LEGEND_KEY_IN + 0.1, y, label, transform=fig.dpi_scale_trans, fontsize=LEGEND_PT, va="center")


LEGEND_PT, LEGEND_KEY_IN, LEGEND_GAP_IN = SMALL_PT + 1, 0.4, 0.3


def _legend_column_widths(labels: list[str], columns: int) -> list[float]:
    """Inches per legend column: the key, a gap and the widest label (at about 0.55 em a character)."""
    return [
        LEGEND_KEY_IN + 0.1 + max(len(label) for label in labels[c::columns]) * LEGEND_PT * 0.55 / 72
        for c in range(columns)
    ]


def legend_columns(labels: list[str], most: int) -> int:
    """The most columns, up to `most`, whose legend fits the figure's width."""
    for columns in range(max(1, min(most, len(labels))), 1, -1):
        if sum(_legend_column_widths(labels, columns)) + LEGEND_GAP_IN * (columns - 1) <= WIDTH - 0.2:
            return columns
    return 1


def _legend_key(fig, handle, x: float, y: float) -> None:
    """A legend key drawn like the artist it stands for: a line with its marker, or a filled box."""
    from matplotlib.lines import Line2D
    from matplotlib.patches import Rectangle

    inches = fig.dpi_scale_trans
    if isinstance(handle, Line2D):
        has_line = handle.get_linestyle() not in ("None", "none", "", " ")
        xs = [x, x + LEGEND_KEY_IN / 2, x + LEGEND_KEY_IN] if has_line else [x + LEGEND_KEY_IN / 2]
        key = Line2D(xs, [y] * len(xs), transform=inches, markevery=[len(xs) // 2])
        key.update_from(handle)  # colour, line style, marker; also the axes' transform and clipping, undone here
        key.set_transform(inches)
        key.set_clip_on(False)
        key.set_markevery([len(xs) // 2])
        fig.add_artist(key)
        return
    patch = handle.patches[0] if hasattr(handle, "patches") else handle
    color = patch.get_facecolor()
    color = color[0] if getattr(color, "ndim", 1) == 2 else color  # a collection gives one row per polygon
    fig.add_artist(Rectangle((x, y - 0.07), LEGEND_KEY_IN, 0.14, transform=inches, facecolor=color, linewidth=0))


def _value_axis(fig, ax, layout: Layout, spec: dict) -> None:
    """The value axis of a vertical chart as plain text and one set of grid lines, drawn last.

    Like the category axis, it avoids matplotlib's ticks (five artists each), and it writes numbers
    in the chart's language: '2,5' in Vietnamese, and '1,5 triệu tỷ' rather than an offset '1e15'.
    """
    from matplotlib.collections import LineCollection
    from matplotlib.ticker import MaxNLocator
    from matplotlib.transforms import ScaledTranslation

    limits = ax.get_ylim()  # after autoscaling: frozen from here on
    low, high = sorted(limits)
    ticks = [float(f"{v:.10g}") for v in MaxNLocator(nbins=5, steps=[1, 2, 2.5, 5, 10]).tick_values(low, high)]
    ticks = [v for v in ticks if low - 1e-9 * (high - low) <= v <= high + 1e-9 * (high - low)]
    ax.set_ylim(limits)
    ax.set_xlim(ax.get_xlim())
    ax.set_yticks([])
    ax.grid(False, axis="y")
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
    labels = _tick_texts(ticks, spec.get("lang", "en"))
    label_in = max((len(text) for text in labels), default=1) * BODY_PT * 0.55 / 72
    needed = 0.1 + label_in + (0.4 if spec.get("ylabel") else 0.1)
    if needed > layout.left:  # long labels ('1,5 triệu tỷ'): widen the margin, never narrow it
        layout.left = needed
        fig.subplots_adjust(left=needed / WIDTH)
    beside_axis = ax.get_yaxis_transform() + ScaledTranslation(-7 / 72, 0, fig.dpi_scale_trans)
    for value, text in zip(ticks, labels):
        ax.text(0, value, text, transform=beside_axis, ha="right", va="center", fontsize=BODY_PT)
    if spec.get("ylabel"):
        axes_in = WIDTH - layout.left - 0.25
        ax.yaxis.set_label_coords(-(0.18 + label_in) / axes_in, 0.5)


def _tick_texts(ticks: list[float], lang: str) -> list[str]:
    """Tick values in the language's number format, scaled by a word when they reach a million."""
    from decimal import Decimal

    from .i18n import SCALES, number

    top = max((abs(v) for v in ticks), default=0)
    for threshold, word in SCALES[lang]:
        if top >= threshold:
            return [f"{number(Decimal(str(v)) / threshold, lang)} {word}" if v else "0" for v in ticks]
    return [number(Decimal(str(v)), lang) for v in ticks]


def _category_axis(fig, ax, layout: Layout, labels: list[str]) -> None:
    """Category labels under the x axis as plain text: a matplotlib tick is five artists (three lines,
    two texts) and the ticks of a 12-period axis took a quarter of each chart's drawing.

    When the labels are wider than their slots, every second (third, ...) one is shown.
    """
    from matplotlib.transforms import ScaledTranslation

    ax.set_xticks([])
    slot = (WIDTH - layout.left - 0.25) / max(1, len(labels))
    widest = max(len(line) for label in labels for line in label.split("\n")) * BODY_PT * 0.55 / 72
    step = max(1, math.ceil(widest / slot))
    below_axis = ax.get_xaxis_transform() + ScaledTranslation(0, -7 / 72, fig.dpi_scale_trans)
    for x, label in enumerate(labels):
        if x % step == 0:
            ax.text(x, 0, label, transform=below_axis, ha="center", va="top", fontsize=BODY_PT)


def _figure(plt, spec: dict, height: float = 4.4, **layout):
    layout = Layout(spec, height, **layout)
    fig, ax = plt.subplots(figsize=(WIDTH, height))
    layout.apply(fig, ax)
    if spec.get("ylabel"):
        ax.set_ylabel(spec["ylabel"])
    ax.grid(axis="y", color="#dddddd", linewidth=0.8)
    ax.set_axisbelow(True)
    return fig, ax, layout


def _tick_labels(labels: list[str], slots: int) -> list[str]:
    width = max(6, int(WIDTH * 72 / (BODY_PT * 0.6) / max(1, slots)))
    return ["\n".join(wrap(label, width)) for label in labels]


def _draw_series(plt, spec):
    categories = spec["categories"]  # localised period labels in time order
    ticks = _tick_labels(categories, len(categories))
    labels = _series_legend_labels(spec)
    entries, columns = len(labels), _series_legend_columns(labels)
    fig, ax, layout = _figure(
        plt,
        spec,
        height=figure_height(spec),
        legend=True,
        tick_lines=max(t.count("\n") + 1 for t in ticks),
        legend_rows=(entries - 1) // columns + 1,
    )
    for index, series in enumerate(spec["series"]):
        xs = [categories.index(label) for label, _ in series["points"]]
        ys = [value for _, value in series["points"]]
        color = series.get("color") or COLORS[index % len(COLORS)]
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
                label=series["label"],
            )
            for y in ys:
                ax.axhline(y, color=TARGET_COLOR, linewidth=1, linestyle="--", alpha=0.6)
        else:
            ax.plot(xs, ys, marker="o", linewidth=2.2, markersize=7, color=color, label=series["label"])
        if spec.get("label_points", True):
            for x, y, text in zip(xs, ys, series["value_labels"]):
                ax.annotate(
                    text, (x, y), textcoords="offset points", xytext=(0, 8), ha="center", fontsize=12, color="#222222"
                )
    if spec.get("band"):
        band = spec["band"]
        xs = [categories.index(row[0]) for row in band["points"]]
        ax.fill_between(
            xs,
            [r[1] for r in band["points"]],
            [r[3] for r in band["points"]],
            color=COLORS[2],
            alpha=0.18,
            linewidth=0,
            label=band["range_label"],
        )
        ax.plot(
            xs, [r[2] for r in band["points"]], color=COLORS[2], linestyle=":", linewidth=2, label=band["median_label"]
        )
    _category_axis(fig, ax, layout, ticks)
    ax.set_xlim(-0.5, len(categories) - 0.5)
    if spec.get("invert"):
        ax.invert_yaxis()
    else:
        ax.set_ylim(bottom=min(0, ax.get_ylim()[0]))
    ax.margins(y=0.22)
    _value_axis(fig, ax, layout, spec)
    layout.legend(fig, ax, min(columns, entries))
    return fig


def _series_legend_labels(spec: dict) -> list[str]:
    labels = [series["label"] for series in spec["series"]]
    if spec.get("band"):
        labels += [spec["band"]["range_label"], spec["band"]["median_label"]]
    return labels


def _series_legend_columns(labels: list[str]) -> int:
    return legend_columns(labels, 3 if len(labels) <= 3 else 2)


def _draw_bars(plt, spec):
    labels = [bar["label"] for bar in spec["bars"]]
    ticks = _tick_labels(labels, len(labels))
    fig, ax, layout = _figure(
        plt, spec, legend=bool(spec.get("targets")), tick_lines=max(t.count("\n") + 1 for t in ticks)
    )
    values = [bar["value"] for bar in spec["bars"]]
    colors = [bar.get("color") or COLORS[i % len(COLORS)] for i, bar in enumerate(spec["bars"])]
    ax.bar(range(len(labels)), values, color=colors, width=0.6)
    for i, bar in enumerate(spec["bars"]):
        ax.annotate(
            bar["value_label"], (i, bar["value"]), textcoords="offset points", xytext=(0, 4), ha="center", fontsize=12
        )
    for target in spec.get("targets", []):
        ax.axhline(target["value"], color=TARGET_COLOR, linestyle="--", linewidth=1.6, label=target["label"])
    _category_axis(fig, ax, layout, ticks)
    ax.margins(y=0.15)
    _value_axis(fig, ax, layout, spec)
    layout.legend(fig, ax, 2)
    return fig


CARD_HEIGHT = 3.2


def _draw_card(plt, spec):
    height = CARD_HEIGHT
    fig = plt.figure(figsize=(WIDTH, height))
    fig.patch.set_facecolor("#f4f6fb")
    title = wrap(spec["title"], int(WIDTH * 72 / (BODY_PT * 0.6)))
    fig.text(0.05, 1 - 0.2 / height, "\n".join(title), fontsize=BODY_PT, fontweight="bold", va="top")
    fig.text(0.05, 0.5, spec["value_label"], fontsize=30, fontweight="bold", color=COLORS[0], va="center")
    fig.text(0.05, 0.27, "\n".join(wrap(spec["subtitle"], 70)), fontsize=SMALL_PT + 1, color="#333333", va="center")
    fig.text(0.05, 0.06, "\n".join(wrap(spec["footer"], 95)), fontsize=SMALL_PT - 1, color="#444444", va="bottom")
    return fig


def _horizontal_layout(spec: dict, labels: list[str]) -> tuple[list[str], float, float]:
    wrapped = ["\n".join(wrap(label, 26)) for label in labels]
    lines = sum(label.count("\n") + 1 for label in wrapped)
    left = min(3.2, 0.3 + 0.1 * max(len(line) for label in wrapped for line in label.split("\n")))
    height = 1.6 + _lines_height(len(wrap(spec["title"], 48)), TITLE_PT) + max(0.55 * len(labels), 0.26 * lines)
    return wrapped, left, height


def _draw_progress(plt, spec):
    """Actual as a share of target, one bar per indicator, a reference line at 100 %."""
    labels, left, height = _horizontal_layout(spec, [bar["label"] for bar in spec["bars"]])
    fig, ax, layout = _figure(plt, spec, height=height, left=left, legend=True)
    values = [bar["value"] for bar in spec["bars"]]
    colors = [COLORS[0] if v >= 100 else COLORS[4] for v in values]
    ax.barh(range(len(labels)), values, color=colors, height=0.6)
    ax.axvline(100, color=TARGET_COLOR, linestyle="--", linewidth=1.6, label=spec["reference_label"])
    value_labels = [bar["value_label"].replace(" (", "\n(", 1) for bar in spec["bars"]]  # share, then the figures
    for i, (bar, text) in enumerate(zip(spec["bars"], value_labels)):
        ax.annotate(text, (bar["value"], i), textcoords="offset points", xytext=(4, 0), va="center", fontsize=SMALL_PT)
    ax.set_yticks(range(len(labels)), labels, fontsize=SMALL_PT + 1)
    ax.invert_yaxis()
    ax.grid(axis="x", color="#dddddd")
    ax.grid(axis="y", visible=False)
    # room on the right for the longest value label: the axis ends where the widest bar's label ends
    axes_in = WIDTH - left - 0.25
    label_in = [0.1 + max(map(len, text.split("\n"))) * SMALL_PT * 0.55 / 72 for text in value_labels]
    ends = [v / max(0.2, 1 - w / axes_in) for v, w in zip(values, label_in)]
    ax.set_xlim(0, max(ends + [110]))
    layout.legend(fig, ax, 1)
    return fig


def _draw_stacked(plt, spec):
    labels, left, height = _horizontal_layout(spec, [bar["label"] for bar in spec["bars"]])
    fig, ax, layout = _figure(plt, spec, height=height, left=left, legend=True)
    for part_index, part_label in enumerate(spec["parts"]):
        lefts = [sum(bar["values"][:part_index]) for bar in spec["bars"]]
        widths = [bar["values"][part_index] for bar in spec["bars"]]
        ax.barh(
            range(len(labels)),
            widths,
            left=lefts,
            height=0.55,
            label=part_label,
            color=COLORS[[0, 4, 2, 3][part_index % 4]],
        )
        for i, (start, width) in enumerate(zip(lefts, widths)):
            if width:
                ax.annotate(
                    spec["bars"][i]["value_labels"][part_index],
                    (start + width / 2, i),
                    ha="center",
                    va="center",
                    color="white",
                    fontsize=SMALL_PT + 2,
                    fontweight="bold",
                )
    ax.set_yticks(range(len(labels)), labels, fontsize=SMALL_PT + 1)
    ax.invert_yaxis()
    ax.grid(axis="x", color="#dddddd")
    ax.grid(axis="y", visible=False)
    layout.legend(fig, ax, len(spec["parts"]))
    return fig


def _draw_grouped(plt, spec):
    groups, members = spec["groups"], spec["members"]
    ticks = _tick_labels(groups, len(groups))
    fig, ax, layout = _figure(plt, spec, legend=True, tick_lines=max(t.count("\n") + 1 for t in ticks))
    width = 0.8 / len(members)
    for m, member in enumerate(members):
        xs = [g + (m - (len(members) - 1) / 2) * width for g in range(len(groups))]
        ax.bar(
            xs,
            member["values"],
            width=width * 0.92,
            label=member["label"],
            color=member.get("color") or COLORS[m % len(COLORS)],
        )
        for x, value, text in zip(xs, member["values"], member["value_labels"]):
            ax.annotate(text, (x, value), textcoords="offset points", xytext=(0, 4), ha="center", fontsize=SMALL_PT + 1)
    _category_axis(fig, ax, layout, ticks)
    ax.margins(y=0.15)
    _value_axis(fig, ax, layout, spec)
    layout.legend(fig, ax, len(members))
    return fig

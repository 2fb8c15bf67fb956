"""Stage 4: charts. A chart is first a plain-data spec per language; matplotlib draws it as SVG.

A chart's languages share one drawing: matplotlib draws the geometry (axes,
lines, markers, bars, bands, grid, legend keys) once, with margins that fit the
longer text of the two languages, and each language's text is laid over it as
SVG <text>, placed by the same layout arithmetic. Measuring and drawing text
was more than half of matplotlib's time per chart, and drawing each language
apart doubled the rest.

Specs are JSON-serialisable, so a chart is cached under the hash of its specs
(data and labels) and drawn in a pool of processes, one per core. The same
specs always give the same SVG bytes.

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
import pickle
import re
import textwrap
import weakref
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from xml.sax.saxutils import escape

# matplotlib is imported with the build, before the drawing processes are forked: they share it
# instead of each importing it (a third of a second each, all the drawing of a one-change rebuild).
# Figures are made without pyplot: nothing is shown, and no figure needs to be registered or closed.
import matplotlib
from matplotlib.figure import Figure
from matplotlib.transforms import TransformNode

from ..background import release_freed_memory

# The cache key covers the drawing code itself (and the number formats it uses), so a change to
# either redraws every chart.
DRAWING_CODE_HASH = hashlib.sha256(
    Path(__file__).read_bytes() + (Path(__file__).parent / "i18n.py").read_bytes()
).hexdigest()[:12]
COLORS = ["#1d4e89", "#6b6b6b", "#0f766e", "#7c3aed", "#b45309", "#be123c", "#15803d", "#4338ca"]
TARGET_COLOR = "#c2410c"
SUMMARY_COLOR = "#93bdb8"  # places drawn together (a ranking's bars): a tint of the band's colour, COLORS[2]

Specs = dict[str, dict]  # one chart's spec in each language: {"vi": {...}, "en": {...}}, same data
Words = dict[str, str]  # one text in each language


def spec_hash(specs: Specs) -> str:
    payload = json.dumps(specs, ensure_ascii=False, sort_keys=True) + DRAWING_CODE_HASH
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()[:20]


class ChartDrawing:
    """Draws charts in a pool of processes, one per core, while the build goes on: a chart is sent
    to the pool as soon as its specs are made (add), and the pages need only its size (figure_size).
    finish() waits for the drawings and writes <stem>.svg for every language of every chart added;
    cancel() stops the pool when the build fails. A chart whose specs' hash is in the cache is not
    drawn again, and the first few to draw wait: a rebuild that redraws one or two charts draws them
    itself, without starting a pool of processes."""

    POOL_AFTER = 4  # charts to draw before a pool is worth starting

    def __init__(self, cache: Path, workers: int | None = None):
        self.cache = cache
        cache.mkdir(parents=True, exist_ok=True)
        self.jobs: dict[Path, tuple[str, str]] = {}  # stem -> (specs hash, language)
        self.pending: dict[str, object] = {}  # specs hash -> its future, or its specs while not sent to a pool
        self.workers = workers or os.cpu_count() or 1
        self._pool = None
        self._in_cache = set(os.listdir(cache))  # one listing, not a stat per chart and language

    def is_drawn(self, key: str, langs) -> bool:
        """Whether the chart of these specs' hash is drawn in every language (in the cache, or on its way)."""
        return key in self.pending or all(
            self._cached(key, f"{lang}.{variant}").name in self._in_cache for lang in langs for variant in VARIANTS
        )

    def add(self, stems: dict[str, Path], specs: Specs | None, key: str) -> None:
        """Queue one chart, given its file stem per language, the specs' hash (spec_hash) and the specs
        (None only when is_drawn)."""
        for lang, stem in stems.items():
            self.jobs[stem] = (key, lang)
        if self.is_drawn(key, stems):
            return
        self.pending[key] = specs
        if self.workers > 1 and self._pool is None and len(self.pending) > self.POOL_AFTER:
            release_freed_memory()
            gc.freeze()  # the forked workers then leave the build's tables unread, and uncopied
            self._pool = ProcessPoolExecutor(max_workers=self.workers)
            for waiting, waiting_specs in self.pending.items():
                self.pending[waiting] = self._pool.submit(draw_variants, waiting_specs)
        elif self._pool is not None:
            self.pending[key] = self._pool.submit(draw_variants, specs)

    def _cached(self, key: str, name: str) -> Path:
        return self.cache / f"{key}.{name}"

    def finish(self) -> dict[str, int]:
        for key, drawing in self.pending.items():
            files = draw_variants(drawing) if isinstance(drawing, dict) else drawing.result()
            for name, content in files.items():
                tmp = self.cache / f".{key}.{name}.tmp"
                tmp.write_bytes(content)
                os.replace(tmp, self._cached(key, name))
        self.cancel()
        for stem, (key, lang) in self.jobs.items():
            stem.parent.mkdir(parents=True, exist_ok=True)
            for variant in VARIANTS:
                _link_or_copy(self._cached(key, f"{lang}.{variant}"), stem.with_name(f"{stem.name}.{variant}"))
        return {"charts": self.charts(), "drawn": len(self.pending)}

    def charts(self) -> int:
        """Charts added, each counted once for all its languages."""
        return len({key for key, _ in self.jobs.values()})

    def cancel(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None
            gc.unfreeze()


def _link_or_copy(source: Path, target: Path) -> None:
    """target made the same file as source (a hard link; a copy where links cannot be made). A chart
    redrawn replaces its cache file, so an unchanged link means an unchanged chart: one stat, no reads."""
    if target.exists() and os.path.samefile(source, target):
        return
    staged = target.with_name(f".{target.name}.tmp")
    staged.unlink(missing_ok=True)
    try:
        os.link(source, staged)
    except OSError:  # another file system, or one without hard links
        staged.write_bytes(source.read_bytes())
    os.replace(staged, target)


# --------------------------------------------------------------------- drawing


STYLE = {
    "svg.hashsalt": "vn-dx-open-data",
    "svg.fonttype": "none",  # text stays text: small files, selectable, any Vietnamese font
    "font.family": "DejaVu Sans",
    "font.size": 14,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "figure.dpi": 72,  # SVG's own unit: display coordinates are then the SVG's points
}


MIN_AXES_IN = 1.6  # inches left for the axes, whatever the title, footer and legend take


def figure_height(specs: Specs) -> float:
    """The figure's height in inches, from the specs alone: the pages state each chart's size before
    it is drawn (every drawer takes its height from here). Tall enough for the axes to keep
    MIN_AXES_IN beside what the text around them takes (long titles and footers wrap to more lines
    on the narrow drawing)."""
    kind = _first(specs)["kind"]
    if kind == "card":
        return CARD_HEIGHT
    if kind == "ranking":  # the rows, whatever their number, and the text around them
        margins = Layout(specs, 1.0, **layout_options(specs))
        return margins.top_in + margins.bottom_in + max(MIN_AXES_IN, _ranking_layout(specs)[2])
    if kind == "series":
        labels = {lang: _series_legend_labels(spec) for lang, spec in specs.items()}
        entries = len(_first(labels))
        base = 4.4 + LEGEND_IN * ((entries - 1) // _series_legend_columns(labels))
    elif kind in ("progress", "stacked"):
        base = _horizontal_layout(specs)[2]
    else:
        base = 4.4
    margins = Layout(specs, base, **layout_options(specs))
    return max(base, margins.top_in + margins.bottom_in + MIN_AXES_IN)


def layout_options(specs: Specs) -> dict:
    """What each kind of chart puts around its axes (Layout's options): the same for its height and its drawing."""
    spec = _first(specs)
    kind = spec["kind"]
    if kind == "series":
        labels = _each(specs, _series_legend_labels)
        rows = (len(_first(labels)) - 1) // _series_legend_columns(labels) + 1
        return {"legend": True, "tick_lines": 1, "legend_rows": rows}
    if kind == "bars":
        ticks = _each(specs, lambda s: _tick_labels([bar["label"] for bar in s["bars"]], len(s["bars"])))
        return {"legend": bool(spec.get("targets")), "tick_lines": _lines_of(ticks)}
    if kind == "grouped":
        return {
            "legend": True,
            "tick_lines": _lines_of(_each(specs, lambda s: _tick_labels(s["groups"], len(s["groups"])))),
        }
    if kind == "ranking":
        labels = _each(specs, legend_labels)
        columns = min(legend_columns(texts, 2) for texts in labels.values())
        return {"left": _ranking_layout(specs)[1], "legend": True, "legend_rows": -(-len(_first(labels)) // columns)}
    return {"left": _horizontal_layout(specs)[1], "legend": True}


def legend_labels(spec: dict) -> list[str]:
    """The entries of a chart's legend in its spec's language, as the drawing lists them under its axes."""
    kind = spec["kind"]
    if kind == "series":
        return _series_legend_labels(spec)
    if kind == "ranking":
        return [spec["median"]["label"]] + ([spec["target_label"]] if spec.get("target_label") else [])
    if kind == "bars":
        return [target["label"] for target in spec.get("targets", [])]
    if kind == "grouped":
        return [member["label"] for member in spec["members"]]
    if kind == "stacked":
        return list(spec["parts"])
    if kind == "progress":
        return [spec["reference_label"]]
    return []


def figure_size(specs: Specs) -> tuple[int, int, int, int]:
    """The chart's size in CSS pixels, as its SVGs state it (points, written with six decimals): the
    wide drawing's width and height, then the narrow one's."""
    wide = [round(float(f"{inches * 72:f}") * 4 / 3) for inches in (WIDTH, figure_height(specs))]
    with drawing_width(NARROW_WIDTH):
        narrow = [round(float(f"{inches * 72:f}") * 4 / 3) for inches in (WIDTH, figure_height(specs))]
    return (*wide, *narrow)


VARIANTS = ("svg", "narrow.svg", "png")  # the drawing for wide screens, the one for phones, a PNG to share
NARROW_WIDTH = 3.4  # inches: the phone drawing, shown 300-440 px wide, its smallest text 10 pt at >= 12 px
PNG_WIDTH = 600  # pixels of the PNG for link previews (Open Graph), drawn from the wide SVG: 0.05 s a chart


@contextmanager
def drawing_width(inches: float):
    """Lay out and draw at another width: the layout reads WIDTH as it goes."""
    global WIDTH
    wide, WIDTH = WIDTH, inches
    try:
        yield
    finally:
        WIDTH = wide


def draw_variants(specs: Specs) -> dict[str, bytes]:
    """Every file of one chart: '<lang>.<variant>' -> bytes, for each language and VARIANTS."""
    wide = draw_charts(specs)
    with drawing_width(NARROW_WIDTH):
        narrow = draw_charts(specs)
    out = {}
    for lang in wide:
        out[f"{lang}.svg"], out[f"{lang}.narrow.svg"], out[f"{lang}.png"] = wide[lang], narrow[lang], png(wide[lang])
    return out


def png(svg: bytes) -> bytes:
    """The SVG as a PNG PNG_WIDTH pixels wide, on white, with the fonts matplotlib ships (the same bytes
    on every machine: no system font is looked at)."""
    import resvg_py

    text = svg.decode("utf-8")
    size = re.search(r'width="([0-9.]+)pt" height="([0-9.]+)pt"', text)
    pixels = f'width="{float(size[1]) * 4 / 3:g}" height="{float(size[2]) * 4 / 3:g}"'  # resvg reads no pt
    text = text[: size.start()] + pixels + text[size.end() :]
    return bytes(
        resvg_py.svg_to_bytes(
            svg_string=text,
            width=PNG_WIDTH,
            background="#ffffff",
            skip_system_fonts=True,
            font_files=list(FONT_FILES),
            text_rendering="optimize_speed",  # 40 % faster; as legible at this size
            shape_rendering="optimize_speed",
        )
    )


FONT_FILES = tuple(
    os.path.join(matplotlib.get_data_path(), "fonts", "ttf", name) for name in ("DejaVuSans.ttf", "DejaVuSans-Bold.ttf")
)


def draw_charts(specs: Specs) -> dict[str, bytes]:
    """One chart's SVG in each language of its specs, at the current drawing width."""
    drawer = {
        "series": _draw_series,
        "bars": _draw_bars,
        "card": _draw_card,
        "progress": _draw_progress,
        "stacked": _draw_stacked,
        "grouped": _draw_grouped,
        "ranking": _draw_ranking,
    }[_first(specs)["kind"]]
    with matplotlib.rc_context(STYLE):
        return drawer(specs).svgs()


def draw_chart(spec: dict) -> bytes:
    """One chart in one language (its spec names the language)."""
    return draw_charts({spec["lang"]: spec})[spec["lang"]]


def _first(by_lang: dict):
    return next(iter(by_lang.values()))


def _each(specs: Specs, read) -> Words:
    """A text in each language, read from each language's spec."""
    return {lang: read(spec) for lang, spec in specs.items()}


# Layout is computed, not solved: text is wrapped by character count and margins are set in
# inches from the number of lines. Matplotlib's constrained layout and its own text wrapping
# measure every glyph several times and made a chart five times slower to draw.
WIDTH = 6.4  # inches: about 640 px on the page, readable when scaled down to a phone
TITLE_PT, BODY_PT, SMALL_PT = 16, 14, 10
LEGEND_IN, TICKS_IN = 0.4, 0.45
CHAR_EM = 0.55  # the width of an average character of DejaVu Sans, in em
# Where a line of text sits, in em of its font size: the baseline below the top of a block, above
# its bottom and below its middle; and the distance between two lines.
ASCENT_EM, DESCENT_EM, MIDDLE_EM, LINE_EM = 0.76, 0.24, 0.36, 1.2
ANCHORS = {"left": "start", "center": "middle", "right": "end"}


def wrap(text: str, width: int) -> list[str]:
    return textwrap.wrap(text, width=width, break_long_words=False) or [""]


def _lines_height(lines: int, points: float) -> float:
    return lines * points * 1.3 / 72


def _text_inches(lines, points: float) -> float:
    """The estimated width of the longest of these lines, in inches."""
    return max((len(line) for line in lines), default=0) * points * CHAR_EM / 72


@dataclass
class Label:
    """A text in each language, anchored at (x, y) in `transform`'s coordinates, moved by (dx, dy) points."""

    words: Words
    x: float
    y: float
    transform: object
    dx: float = 0.0
    dy: float = 0.0
    ha: str = "left"
    va: str = "baseline"  # top, center, bottom or baseline: of the block of lines
    size: float = BODY_PT
    bold: bool = False
    color: str = ""
    vertical: bool = False  # turned a quarter anticlockwise, read upwards
    optional: bool = False  # left out where it would overlap a label placed before it


class Canvas:
    """A matplotlib figure for the geometry, and the labels laid over it in each language."""

    def __init__(self, specs: Specs, height: float, axes: bool = True):
        self.langs = list(specs)
        self.height = height
        self.fig = _blank_figure(axes)
        self.fig.set_size_inches(WIDTH, height)
        self.ax = self.fig.axes[0] if axes else None
        self.labels: list[Label] = []
        self.legend_entries: list[tuple[object, Words]] = []
        self.points: list[tuple[float, float, Words]] = []  # data coordinates and each language's tooltip

    def text(self, words: Words, x: float, y: float, transform, **style) -> None:
        self.labels.append(Label(words, x, y, transform, **style))

    def svgs(self) -> dict[str, bytes]:
        """The SVG in each language: the geometry once, each language's text laid over it."""
        if self.ax is not None:
            self.ax.get_xlim(), self.ax.get_ylim()  # autoscaled limits are settled before labels are placed
        placed = _without_overlaps([(label, *label.transform.transform((label.x, label.y))) for label in self.labels])
        drawing = io.BytesIO()
        self.fig.savefig(drawing, format="svg", metadata={"Date": None, "Creator": None})
        head, tail = drawing.getvalue().decode("utf-8").rsplit("</svg>", 1)
        height_pt = self.height * 72
        return {
            lang: (head + _text_layer(placed, lang, height_pt) + self._point_layer(lang) + "</svg>" + tail).encode(
                "utf-8"
            )
            for lang in self.langs
        }

    def _point_layer(self, lang: str) -> str:
        """The drawn points as data for portal.js: where each is (a share of the drawing's width and
        height, from its top left) and what it is. In a <metadata> element: no reader of the image sees it."""
        if not self.points:
            return ""
        width, height = WIDTH * 72, self.height * 72
        rows = []
        for x, y, words in self.points:
            px, py = self.ax.transData.transform((x, y))
            rows.append([round(px / width, 4), round(1 - py / height, 4), words[lang]])
        return f'<metadata id="points">{escape(json.dumps(rows, ensure_ascii=False))}</metadata>\n'


_BLANK_FIGURES: dict[bool, bytes] = {}


def _blank_figure(axes: bool):
    """A new blank figure (with one Axes, or none), unpickled from the first one this process made:
    three times faster than making a figure and its Axes, a third of the drawing of a chart."""
    if axes not in _BLANK_FIGURES:
        figure = Figure(figsize=(WIDTH, 4.4))
        if axes:
            figure.add_subplot()
        _BLANK_FIGURES[axes] = pickle.dumps(figure)
    return _unpickled_figure(_BLANK_FIGURES[axes])


def _unpickled_figure(pickled: bytes):
    """pickle.loads, with each transform's parents keyed again by their own ids.

    A transform finds the transforms to invalidate (when the limits change) under their id().
    matplotlib 3.11 unpickles those keys as they were: the ids of the pickled figure's objects.
    Once that memory holds a new transform, registering it overwrites the entry of a live one,
    which then keeps a stale matrix: one chart in a thousand had its value axis, its tick labels
    and a target line drawn on another scale than its data.
    """
    restored = []
    setstate = TransformNode.__setstate__

    def record(node, state):
        setstate(node, state)
        restored.append(node)

    TransformNode.__setstate__ = record
    try:
        figure = pickle.loads(pickled)
    finally:
        TransformNode.__setstate__ = setstate
    for node in restored:
        parents = [ref() for ref in node._parents.values()]
        node._parents = {}
        for parent in parents:
            if parent is not None:
                key = id(parent)
                node._parents[key] = weakref.ref(parent, lambda _, pop=node._parents.pop, k=key: pop(k))
    return figure


BOX_WIDEN, BOX_PAD_PT = 1.25, 1.5  # a label's estimated box, made safe against the estimate's error


def text_box(label: Label, x: float, y: float, safe: bool = False) -> tuple[float, float, float, float]:
    """The box (left, bottom, right, top, in points from the figure's bottom left) that a label's text
    takes in the wider of its languages, estimated as the layout estimates text; safe: made larger,
    against the estimate's error (digits and % run wider than the average character)."""
    widen, pad = (BOX_WIDEN, BOX_PAD_PT) if safe else (1.0, 0.0)
    texts = [words.split("\n") for words in label.words.values()]
    longest = max(len(line) for lines in texts for line in lines)
    width = longest * label.size * CHAR_EM * widen + 2 * pad
    height = label.size * (LINE_EM * (max(map(len, texts)) - 1) + ASCENT_EM + DESCENT_EM) + 2 * pad
    x, y = x + label.dx, y + label.dy
    if label.vertical:
        width, height = height, width
    left = {"left": x - pad, "center": x - width / 2, "right": x - width + pad}[label.ha]
    bottom = {"top": y - height, "center": y - height / 2, "bottom": y, "baseline": y - DESCENT_EM * label.size}[
        label.va
    ]
    return left, bottom, left + width, bottom + height


def _without_overlaps(placed: list[tuple[Label, float, float]]) -> list[tuple[Label, float, float]]:
    """Every label that must be shown, and each optional one (in order) whose box, made safe, meets no
    box kept."""
    kept = [item for item in placed if not item[0].optional]
    boxes = [text_box(*item) for item in kept]
    for item in placed:
        if not item[0].optional:
            continue
        box = text_box(*item, safe=True)
        if not any(box[0] < b[2] and b[0] < box[2] and box[1] < b[3] and b[1] < box[3] for b in boxes):
            kept.append(item)
            boxes.append(box)
    return kept


def _text_layer(placed: list[tuple[Label, float, float]], lang: str, height_pt: float) -> str:
    out = [f'<g xml:lang="{lang}" font-family="DejaVu Sans, Arial, sans-serif" fill="#000000">\n']
    for label, x, y in placed:
        lines = label.words[lang].split("\n")
        x, y = x + label.dx, height_pt - (y + label.dy)  # SVG's y runs down
        size = label.size
        pitch = LINE_EM * size
        first = {  # the first line's baseline, down from the anchor along the text's own vertical
            "top": ASCENT_EM * size,
            "center": MIDDLE_EM * size - (len(lines) - 1) * pitch / 2,
            "bottom": -DESCENT_EM * size - (len(lines) - 1) * pitch,
            "baseline": -(len(lines) - 1) * pitch,
        }[label.va]
        style = f' font-size="{size:g}" text-anchor="{ANCHORS[label.ha]}"'
        if label.bold:
            style += ' font-weight="bold"'
        if label.color:
            style += f' fill="{label.color}"'
        for number, line in enumerate(lines):
            down = first + number * pitch
            if label.vertical:  # read upwards: the text's "down" is the page's right
                at = f'x="{x + down:.2f}" y="{y:.2f}" transform="rotate(-90 {x + down:.2f} {y:.2f})"'
            else:
                at = f'x="{x:.2f}" y="{y + down:.2f}"'
            out.append(f"<text {at}{style}>{escape(line)}</text>\n")
    out.append("</g>\n")
    return "".join(out)


class Layout:
    """Figure margins in inches, from the title, footer, legend and tick labels that go around the axes,
    taken from whichever language needs more room."""

    def __init__(
        self, specs: Specs, height: float, left: float = 0.8, legend: bool = False, tick_lines: int = 1, legend_rows=1
    ):
        self.title = _each(specs, lambda s: "\n".join(wrap(s["title"], int((WIDTH - 0.2) * 72 / (TITLE_PT * 0.66)))))
        self.footer = _each(
            specs, lambda s: "\n".join(wrap(s.get("footer") or "", int(WIDTH * 72 / (SMALL_PT * CHAR_EM))))
        )
        self.height = height
        footer_lines = max(text.count("\n") + 1 for text in self.footer.values()) if _first(specs).get("footer") else 0
        self.footer_in = _lines_height(footer_lines, SMALL_PT) + 0.1
        self.legend_in = LEGEND_IN * legend_rows if legend else 0.0
        self.top_in = _lines_height(max(t.count("\n") + 1 for t in self.title.values()), TITLE_PT) + 0.25
        self.bottom_in = self.footer_in + self.legend_in + TICKS_IN + _lines_height(tick_lines - 1, BODY_PT)
        self.left = left
        self.has_footer = bool(footer_lines)

    def apply(self, canvas: Canvas) -> None:
        fig = canvas.fig
        fig.subplots_adjust(
            left=self.left / WIDTH,
            right=1 - 0.25 / WIDTH,
            top=1 - self.top_in / self.height,
            bottom=self.bottom_in / self.height,
        )
        canvas.text(
            self.title, 0.1 / WIDTH, 1 - 0.12 / self.height, fig.transFigure, va="top", size=TITLE_PT, bold=True
        )
        if self.has_footer:
            canvas.text(
                self.footer,
                0.1 / WIDTH,
                0.06 / self.height,
                fig.transFigure,
                va="bottom",
                size=SMALL_PT,
                color="#444444",
            )

    def legend(self, canvas: Canvas, most: int) -> None:
        """The legend under the axes, in rows of up to `most` entries, centred.

        Placed by arithmetic from estimated text widths, like the rest of the layout: matplotlib's
        own legend measures every label to pack its boxes and took a fifth of each chart's drawing.
        """
        entries = canvas.legend_entries
        if not entries:
            return
        labels = {lang: [words[lang] for _, words in entries] for lang in canvas.langs}
        columns = min(legend_columns(texts, most) for texts in labels.values())
        widths = _legend_column_widths(labels, columns)
        rows = -(-len(entries) // columns)
        starts, left = [], (WIDTH - sum(widths) - LEGEND_GAP_IN * (columns - 1)) / 2
        for width in widths:
            starts.append(left)
            left += width + LEGEND_GAP_IN
        inches = canvas.fig.dpi_scale_trans
        for index, (handle, words) in enumerate(entries):
            row, column = divmod(index, columns)
            x, y = starts[column], self.footer_in + (rows - row - 0.5) * LEGEND_IN
            _legend_key(canvas.fig, handle, x, y)
            canvas.text(words, x + LEGEND_KEY_IN + 0.1, y, inches, va="center", size=LEGEND_PT)


LEGEND_PT, LEGEND_KEY_IN, LEGEND_GAP_IN = SMALL_PT + 1, 0.4, 0.3


def _legend_column_widths(labels: dict[str, list[str]], columns: int) -> list[float]:
    """Inches per legend column: the key, a gap and the widest label of any language."""
    return [
        LEGEND_KEY_IN + 0.1 + max(_text_inches(texts[c::columns], LEGEND_PT) for texts in labels.values())
        for c in range(columns)
    ]


def legend_columns(labels: list[str], most: int) -> int:
    """The most columns, up to `most`, whose legend fits the figure's width."""
    for columns in range(max(1, min(most, len(labels))), 1, -1):
        if sum(_legend_column_widths({"": labels}, columns)) + LEGEND_GAP_IN * (columns - 1) <= WIDTH - 0.2:
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


def _value_axis(canvas: Canvas, layout: Layout, specs: Specs) -> None:
    """The value axis of a vertical chart as plain text and one set of grid lines, drawn last.

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
    label_in = BOX_WIDEN * max(_text_inches(texts, BODY_PT) for texts in labels.values()) or BODY_PT * CHAR_EM / 72
    ylabel = _each(specs, lambda s: s.get("ylabel") or "")
    needed = 0.1 + label_in + (0.4 if any(ylabel.values()) else 0.1)
    if needed > layout.left:  # long labels ('1,5 triệu tỷ'): widen the margin, never narrow it
        layout.left = needed
        fig.subplots_adjust(left=needed / WIDTH)
    for index, value in enumerate(ticks):
        words = {lang: texts[index] for lang, texts in labels.items()}
        canvas.text(words, 0, value, ax.get_yaxis_transform(), dx=-7, ha="right", va="center")
    if any(ylabel.values()):
        axes_in = WIDTH - layout.left - 0.25
        canvas.text(ylabel, -(0.26 + label_in) / axes_in, 0.5, ax.transAxes, ha="center", va="bottom", vertical=True)


def _tick_texts(ticks: list[float], lang: str) -> list[str]:
    """Tick values in the language's number format, scaled by a word when they reach a million."""
    from decimal import Decimal

    from ..site.i18n import number, scales

    top = max((abs(v) for v in ticks), default=0)
    for threshold, word in scales(lang):
        if top >= threshold:
            return [f"{number(Decimal(str(v)) / threshold, lang)} {word}" if v else "0" for v in ticks]
    return [number(Decimal(str(v)), lang) for v in ticks]


def _category_axis(canvas: Canvas, layout: Layout, labels: dict[str, list[str]]) -> None:
    """Category labels under the x axis as plain text: a matplotlib tick is five artists (three lines,
    two texts) and the ticks of a 12-period axis took a quarter of each chart's drawing.

    When the labels of either language are wider than their slots, every second (third, ...) one is shown.
    """
    ax = canvas.ax
    ax.set_xticks([])
    count = len(_first(labels))
    slot = (WIDTH - layout.left - 0.25) / max(1, count)
    widest = max(
        _text_inches([line for label in texts for line in label.split("\n")], BODY_PT) for texts in labels.values()
    )
    step = max(1, math.ceil(widest / slot))
    for x in range(0, count, step):
        words = {lang: texts[x] for lang, texts in labels.items()}
        canvas.text(words, x, 0, ax.get_xaxis_transform(), dy=-7, ha="center", va="top")


def _figure(specs: Specs, height: float = 4.4, **layout) -> tuple[Canvas, Layout]:
    layout = Layout(specs, height, **layout)
    canvas = Canvas(specs, height)
    layout.apply(canvas)
    canvas.ax.set_axisbelow(True)
    return canvas, layout


def _tick_labels(labels: list[str], slots: int) -> list[str]:
    width = max(6, int(WIDTH * 72 / (BODY_PT * 0.6) / max(1, slots)))
    return ["\n".join(wrap(label, width)) for label in labels]


def _lines_of(labels: dict[str, list[str]]) -> int:
    return max(label.count("\n") + 1 for texts in labels.values() for label in texts)


def _draw_series(specs: Specs) -> Canvas:
    """Lines on a true time axis (a year is a unit; a period sits at its midpoint), one per place and
    kind of period; derived values hollow; the values printed where they fit."""
    from matplotlib.lines import Line2D

    spec = _first(specs)  # the data; each language's spec has the same
    first_year, last_year = spec["years"]
    years = [str(year) for year in range(first_year, last_year + 1)]
    ticks = {lang: years for lang in specs}
    labels = _each(specs, _series_legend_labels)
    entries, columns = len(_first(labels)), _series_legend_columns(labels)
    canvas, layout = _figure(specs, height=figure_height(specs), **layout_options(specs))
    ax = canvas.ax
    value_labels = []  # (priority, label): the latest point of each series first, then the others
    for index, series in enumerate(spec["series"]):
        xs, ys = series["x"], [value for _, value in series["points"]]
        color = series.get("color") or COLORS[index % len(COLORS)]
        marker = series.get("marker", "o")
        if series["role"] == "target":
            (line,) = ax.plot(
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
            (line,) = ax.plot(xs, ys, marker=marker, linewidth=2.2, markersize=7, color=color)
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
        canvas.legend_entries.append((line, _each(specs, lambda s, i=index: s["series"][i]["label"])))
        if "tips" in series:
            canvas.points += [
                (x, y, _each(specs, lambda s, i=index, n=n: s["series"][i]["tips"][n]))
                for n, (x, y) in enumerate(zip(xs, ys))
            ]
        for n, (x, y) in enumerate(zip(xs, ys)):
            words = _each(specs, lambda s, i=index, n=n: s["series"][i]["value_labels"][n])
            value_labels.append((n != len(xs) - 1, -n, Label(words, x, y, ax.transData, dy=8, ha="center", size=12)))
    if spec.get("derived_label"):
        key = Line2D([], [], linestyle="none", marker="o", markersize=8, markerfacecolor="white")
        key.set_markeredgecolor("#333333")
        canvas.legend_entries.append((key, _each(specs, lambda s: s["derived_label"])))
    if spec.get("band"):
        band = spec["band"]
        xs, rows = band["x"], band["points"]
        if len(xs) == 1:  # a band of one period: a short bar of its range at that period, the median across it
            xs, rows = [xs[0] - BAND_HALF_WIDTH, xs[0] + BAND_HALF_WIDTH], rows * 2
        color = band.get("color", COLORS[2])
        area = ax.fill_between(xs, [r[1] for r in rows], [r[3] for r in rows], color=color, alpha=0.18, linewidth=0)
        (median,) = ax.plot(xs, [r[2] for r in rows], color=color, linestyle=":", linewidth=2)
        canvas.legend_entries.append((area, _each(specs, lambda s: s["band"]["range_label"])))
        canvas.legend_entries.append((median, _each(specs, lambda s: s["band"]["median_label"])))
    ax.set_xlim(first_year, last_year + 1)
    _year_axis(canvas, layout, ticks, first_year)
    if spec.get("invert"):
        ax.invert_yaxis()
    else:
        ax.set_ylim(bottom=min(0, ax.get_ylim()[0]))
    ax.margins(y=0.22)
    _value_axis(canvas, layout, specs)
    if spec.get("label_points", True):
        for *_, label in sorted(value_labels, key=lambda item: item[:2]):
            label.color, label.optional = "#222222", True
            canvas.labels.append(label)
    layout.legend(canvas, min(columns, entries))
    return canvas


BAND_HALF_WIDTH = 0.2  # years either side of a one-period band's period


def _year_axis(canvas: Canvas, layout: Layout, labels: dict[str, list[str]], first_year: int) -> None:
    """Year labels under the middle of each year, and a faint line where each year begins: a half-year
    point sits inside its year, not at a year's place."""
    from matplotlib.collections import LineCollection

    ax = canvas.ax
    ax.set_xticks([])
    count = len(_first(labels))
    slot = (WIDTH - layout.left - 0.25) / max(1, count)
    widest = max(_text_inches(texts, BODY_PT) for texts in labels.values())
    step = max(1, math.ceil((widest + 0.1) / slot))
    for n in range(0, count, step):
        words = {lang: texts[n] for lang, texts in labels.items()}
        canvas.text(words, first_year + n + 0.5, 0, ax.get_xaxis_transform(), dy=-7, ha="center", va="top")
    if count > 1:
        ax.add_collection(
            LineCollection(
                [[(first_year + n, 0), (first_year + n, 1)] for n in range(1, count)],
                transform=ax.get_xaxis_transform(),
                colors="#eeeeee",
                linewidths=0.8,
                zorder=0.4,
            ),
            autolim=False,
        )


def _series_legend_labels(spec: dict) -> list[str]:
    labels = [series["label"] for series in spec["series"]]
    if spec.get("derived_label"):
        labels.append(spec["derived_label"])
    if spec.get("band"):
        labels += [spec["band"]["range_label"], spec["band"]["median_label"]]
    return labels


def _series_legend_columns(labels: dict[str, list[str]]) -> int:
    """Columns of a series chart's legend: the fewest that any language's labels need."""
    most = 3 if len(_first(labels)) <= 3 else 2
    return min(legend_columns(texts, most) for texts in labels.values())


def _draw_bars(specs: Specs) -> Canvas:
    spec = _first(specs)
    ticks = _each(specs, lambda s: _tick_labels([bar["label"] for bar in s["bars"]], len(s["bars"])))
    canvas, layout = _figure(specs, height=figure_height(specs), **layout_options(specs))
    ax = canvas.ax
    values = [bar["value"] for bar in spec["bars"]]
    colors = [bar.get("color") or COLORS[i % len(COLORS)] for i, bar in enumerate(spec["bars"])]
    ax.bar(range(len(values)), values, color=colors, width=0.6)
    for i, value in enumerate(values):
        words = _each(specs, lambda s, i=i: s["bars"][i]["value_label"])
        canvas.text(words, i, value, ax.transData, dy=4, ha="center", size=12)
    for i, target in enumerate(spec.get("targets", [])):
        line = ax.axhline(target["value"], color=TARGET_COLOR, linestyle="--", linewidth=1.6)
        canvas.legend_entries.append((line, _each(specs, lambda s, i=i: s["targets"][i]["label"])))
    _category_axis(canvas, layout, ticks)
    ax.margins(y=0.15)
    _value_axis(canvas, layout, specs)
    layout.legend(canvas, 2)
    return canvas


CARD_HEIGHT = 3.2
RANK_ROW_IN = 0.32  # inches per row of a ranking, at least
RANK_LABEL_PT = SMALL_PT + 1


def _ranking_layout(specs: Specs) -> tuple[dict[str, list[str]], float, float]:
    """A ranking's row labels, wrapped, in each language; its left margin; and the inches its rows take."""
    scale = WIDTH / 6.4  # the wrapping widths were set for the wide drawing
    width = max(14, int(30 * scale))
    wrapped = _each(specs, lambda s: ["\n".join(_at_most(wrap(row["label"], width), 2, width)) for row in s["rows"]])
    lines = max(label.count("\n") + 1 for texts in wrapped.values() for label in texts)
    longest = max(len(line) for texts in wrapped.values() for label in texts for line in label.split("\n"))
    left = min(0.45 * WIDTH, 0.3 + _text_inches(["x" * longest], RANK_LABEL_PT))
    pitch = max(RANK_ROW_IN, _lines_height(lines, RANK_LABEL_PT) + 0.06)
    return wrapped, left, pitch * len(_first(specs)["rows"]) + 0.1


def _at_most(lines: list[str], count: int, width: int) -> list[str]:
    """The first `count` lines, the last one ending in '…' when the text goes on (the table has it whole)."""
    if len(lines) <= count:
        return lines
    return lines[: count - 1] + [lines[count - 1][: width - 1].rstrip() + "…"]


def _draw_ranking(specs: Specs) -> Canvas:
    """Places of one period, best first, as horizontal bars with their values; the featured places in
    their own colours and bold; a row for each run of places left out; the median as a line; targets
    as marks on their places' bars. No value axis: every bar carries its value."""
    spec = _first(specs)
    wrapped, left, _ = _ranking_layout(specs)
    canvas, layout = _figure(specs, height=figure_height(specs), **layout_options(specs))
    ax = canvas.ax
    rows = spec["rows"]
    bars = [(i, row) for i, row in enumerate(rows) if "gap" not in row]
    ax.barh(
        [i for i, _ in bars], [row["value"] for _, row in bars], color=[row["color"] for _, row in bars], height=0.62
    )
    median = ax.axvline(
        spec["median"]["value"], color=spec["median"].get("color", COLORS[2]), linestyle=":", linewidth=2
    )
    canvas.legend_entries.append((median, _each(specs, lambda s: s["median"]["label"])))
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
        canvas.legend_entries.append((mark, _each(specs, lambda s: s["target_label"])))
    ax.set_yticks([])
    for i, row in enumerate(rows):
        words = {lang: texts[i] for lang, texts in wrapped.items()}
        style = {"color": "#555555"} if "gap" in row else {"bold": bool(row.get("featured"))}
        canvas.text(words, 0, i, ax.get_yaxis_transform(), dx=-7, ha="right", va="center", size=RANK_LABEL_PT, **style)
    for i, row in bars:
        words = _each(specs, lambda s, i=i: s["rows"][i]["value_label"])
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
        canvas.points.append((row["value"], i, _each(specs, lambda s, i=i: s["rows"][i]["tip"])))
        if "target" in row:
            canvas.points.append((row["target"], i, _each(specs, lambda s, i=i: s["rows"][i]["target_tip"])))
    ax.set_ylim(len(rows) - 0.5, -0.5)  # the best at the top
    # room beside the bars for the widest value label of either language, on the side it is written
    values = [row["value"] for _, row in bars] + [value for _, value in targets] + [spec["median"]["value"]]
    low, high = min(0.0, *values), max(0.0, *values)
    label_in = 0.15 + max(
        _text_inches(_each(specs, lambda s: [r["value_label"] for r in s["rows"] if "gap" not in r])[lang], SMALL_PT)
        for lang in specs
    )
    axes_in = WIDTH - left - 0.25
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


def _draw_card(specs: Specs) -> Canvas:
    height = CARD_HEIGHT
    canvas = Canvas(specs, height, axes=False)
    fig = canvas.fig
    fig.patch.set_facecolor("#f4f6fb")
    figure = fig.transFigure
    title = _each(specs, lambda s: "\n".join(wrap(s["title"], int(WIDTH * 72 / (BODY_PT * 0.6)))))
    canvas.text(title, 0.05, 1 - 0.2 / height, figure, va="top", bold=True)
    value = _each(specs, lambda s: s["value_label"])
    # 30 pt, or smaller when the longer language's figure would run off the card (bold: wider letters)
    size = min(30.0, round((WIDTH * 0.9) * 72 / (max(map(len, value.values())) * 0.66), 1))
    canvas.text(value, 0.05, 0.5, figure, va="center", size=size, bold=True, color=COLORS[0])
    subtitle = _each(specs, lambda s: "\n".join(wrap(s["subtitle"], 70)))
    canvas.text(subtitle, 0.05, 0.27, figure, va="center", size=SMALL_PT + 1, color="#333333")
    footer = _each(specs, lambda s: "\n".join(wrap(s["footer"], 95)))
    canvas.text(footer, 0.05, 0.06, figure, va="bottom", size=SMALL_PT - 1, color="#444444")
    return canvas


def _horizontal_layout(specs: Specs) -> tuple[Words | dict, float, float]:
    """Wrapped bar labels in each language, the left margin and the figure height (for the longer language)."""
    scale = WIDTH / 6.4  # the wrapping widths were set for the wide drawing
    wrapped = _each(specs, lambda s: ["\n".join(wrap(bar["label"], max(12, int(26 * scale)))) for bar in s["bars"]])
    lines = max(sum(label.count("\n") + 1 for label in texts) for texts in wrapped.values())
    longest = max(len(line) for texts in wrapped.values() for label in texts for line in label.split("\n"))
    left = min(0.5 * WIDTH, 0.3 + 0.1 * longest)
    values = _progress_value_labels(specs, left)
    lines = max(lines, max((sum(v.count("\n") + 1 for v in texts) for texts in values.values()), default=0))
    title_lines = max(len(wrap(s["title"], int(48 * scale))) for s in specs.values())
    bars = len(_first(specs)["bars"])
    height = 1.6 + _lines_height(title_lines, TITLE_PT) + max(0.55 * bars, 0.26 * lines)
    return wrapped, left, height


def _progress_value_labels(specs: Specs, left: float) -> Words | dict:
    """A progress chart's value labels, each line wrapped to fit in the axis beside its bar."""
    if "value_label" not in _first(specs)["bars"][0]:
        return {}
    axes_in = WIDTH - left - 0.25
    chars = max(8, int(0.62 * axes_in * 72 / (SMALL_PT * CHAR_EM)))
    return _each(
        specs,
        lambda s: [
            "\n".join(w for line in bar["value_label"].split("\n") for w in wrap(line, chars)) for bar in s["bars"]
        ],
    )


def _bar_labels(canvas: Canvas, wrapped: dict[str, list[str]]) -> None:
    """The category of each horizontal bar, left of the axis."""
    ax = canvas.ax
    ax.set_yticks([])
    for i in range(len(_first(wrapped))):
        words = {lang: texts[i] for lang, texts in wrapped.items()}
        canvas.text(words, 0, i, ax.get_yaxis_transform(), dx=-7, ha="right", va="center", size=SMALL_PT + 1)


def _draw_progress(specs: Specs) -> Canvas:
    """Actual as a share of target, one bar per indicator, a reference line at 100 %."""
    spec = _first(specs)
    wrapped, left, _ = _horizontal_layout(specs)
    canvas, layout = _figure(specs, height=figure_height(specs), **layout_options(specs))
    ax = canvas.ax
    values = [bar["value"] for bar in spec["bars"]]
    colors = [COLORS[0] if v >= 100 else COLORS[4] for v in values]
    ax.barh(range(len(values)), values, color=colors, height=0.6)
    line = ax.axvline(100, color=TARGET_COLOR, linestyle="--", linewidth=1.6)
    canvas.legend_entries.append((line, _each(specs, lambda s: s["reference_label"])))
    value_labels = _progress_value_labels(specs, left)
    for i, value in enumerate(values):  # the share, then the figures under it
        words = {lang: texts[i] for lang, texts in value_labels.items()}
        canvas.text(words, value, i, ax.transData, dx=4, va="center", size=SMALL_PT)
    _bar_labels(canvas, wrapped)
    ax.invert_yaxis()
    ax.grid(axis="x", color="#dddddd")
    # room on the right for the longest value label: the axis ends where the widest bar's label ends
    axes_in = WIDTH - left - 0.25
    label_in = [
        0.1 + max(_text_inches(texts[i].split("\n"), SMALL_PT) for texts in value_labels.values())
        for i in range(len(values))
    ]
    ends = [v / max(0.2, 1 - w / axes_in) for v, w in zip(values, label_in)]
    ax.set_xlim(0, max(ends + [110]))
    _few_value_ticks(ax)
    layout.legend(canvas, 1)
    return canvas


def _few_value_ticks(ax) -> None:
    """As many value ticks on a horizontal chart as its width leaves room for (fewer on the narrow one)."""
    from matplotlib.ticker import MaxNLocator

    ax.xaxis.set_major_locator(MaxNLocator(nbins=max(2, int(WIDTH - 1.4))))
    if WIDTH < NARROW_WIDTH + 0.5:  # the narrow drawing's axis is too short for a scale: each bar has its value
        ax.tick_params(axis="x", labelbottom=False)


def _draw_stacked(specs: Specs) -> Canvas:
    spec = _first(specs)
    wrapped, left, _ = _horizontal_layout(specs)
    canvas, layout = _figure(specs, height=figure_height(specs), **layout_options(specs))
    ax = canvas.ax
    for part_index in range(len(spec["parts"])):
        lefts = [sum(bar["values"][:part_index]) for bar in spec["bars"]]
        widths = [bar["values"][part_index] for bar in spec["bars"]]
        bars = ax.barh(range(len(widths)), widths, left=lefts, height=0.55, color=COLORS[[0, 4, 2, 3][part_index % 4]])
        canvas.legend_entries.append((bars, _each(specs, lambda s, p=part_index: s["parts"][p])))
        for i, (start, width) in enumerate(zip(lefts, widths)):
            if width:
                words = _each(specs, lambda s, i=i, p=part_index: s["bars"][i]["value_labels"][p])
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
    _bar_labels(canvas, wrapped)
    ax.invert_yaxis()
    ax.grid(axis="x", color="#dddddd")
    _few_value_ticks(ax)
    layout.legend(canvas, len(spec["parts"]))
    return canvas


def _draw_grouped(specs: Specs) -> Canvas:
    spec = _first(specs)
    groups, members = spec["groups"], spec["members"]
    ticks = _each(specs, lambda s: _tick_labels(s["groups"], len(s["groups"])))
    canvas, layout = _figure(specs, height=figure_height(specs), **layout_options(specs))
    ax = canvas.ax
    width = 0.8 / len(members)
    for m, member in enumerate(members):
        xs = [g + (m - (len(members) - 1) / 2) * width for g in range(len(groups))]
        bars = ax.bar(xs, member["values"], width=width * 0.92, color=member.get("color") or COLORS[m % len(COLORS)])
        canvas.legend_entries.append((bars, _each(specs, lambda s, m=m: s["members"][m]["label"])))
        for n, (x, value) in enumerate(zip(xs, member["values"])):
            words = _each(specs, lambda s, m=m, n=n: s["members"][m]["value_labels"][n])
            canvas.text(words, x, value, ax.transData, dy=4, ha="center", size=SMALL_PT + 1)
    _category_axis(canvas, layout, ticks)
    ax.margins(y=0.15)
    _value_axis(canvas, layout, specs)
    layout.legend(canvas, len(members))
    return canvas

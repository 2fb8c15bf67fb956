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

Matplotlib draws SVG only (rasterising took 60 % of each chart's drawing). The
PNG of a chart's link preview (Open Graph) is rasterised from the wide SVG by
resvg (chart_variants.png), 0.05 s a chart; a reader who saves a chart as PNG
gets one from the SVG in the browser (assets/portal.js draws it on a canvas at
twice the size).

The drawing is spread over the chart_*.py modules, each building on the ones before it:
chart_metrics (text measured from the font), chart_style (palette, style, width, wrapping), chart_legend
(the legend the spec carries), chart_labels (texts laid over the drawing, value labels without
overlaps, inside the drawing), chart_tips (the points' tooltip data as columns), chart_canvas (the
figure and its labels), chart_layout (margins, title and unit, legend), chart_sizes (a chart's size
from its specs), chart_axes (value, category and time axes), the drawers chart_draw_series,
chart_draw_bars and chart_draw_overview, and chart_variants (the SVGs and the PNG).
This module draws them in a pool and keeps them in the cache.
"""

from __future__ import annotations

import gc
import hashlib
import json
import os
from concurrent.futures import ProcessPoolExecutor
from multiprocessing import get_context
from pathlib import Path

from ..background import die_with_parent, release_freed_memory
from ..kept import link_over
from .chart_legend import legend_labels
from .chart_sizes import figure_size
from .chart_style import COLORS, SUMMARY_COLOR, TARGET_COLOR, VARIANTS, Specs, Words

__all__ = [
    "COLORS",
    "SUMMARY_COLOR",
    "TARGET_COLOR",
    "ChartDrawing",
    "DrawingWorker",
    "Specs",
    "Words",
    "figure_size",
    "legend_labels",
    "spec_hash",
]

# The cache key covers the drawing code itself, every chart module (build_scripts/site/chart*.py,
# this one included, read in the order of their sorted names: the drawing is spread over them), and
# the number formats it uses (i18n.py), so a change to any of them redraws every chart.
CHART_MODULES = sorted(Path(__file__).parent.glob("chart*.py"))
DRAWING_CODE_HASH = hashlib.sha256(
    b"".join(path.read_bytes() for path in CHART_MODULES) + (Path(__file__).parent / "i18n.py").read_bytes()
).hexdigest()[:12]


DRAWERS = ("draw_chart", "draw_charts", "draw_variants")  # chart_variants', which imports matplotlib


def __getattr__(name: str):
    """The drawers, imported from chart_variants when first asked for: the build process sizes charts
    (figure_size) but never draws one itself, and importing matplotlib took it 0.65 s."""
    if name in DRAWERS:
        from . import chart_variants

        return getattr(chart_variants, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def draw_variants_in_worker(specs: Specs) -> dict[str, bytes]:
    from .chart_variants import draw_variants

    return draw_variants(specs)


def _import_drawers() -> None:
    """A drawing process's initializer: it dies with the build (a build killed -9 left its drawing
    processes asleep for good), and imports matplotlib and the drawers before the first chart."""
    die_with_parent()
    from . import chart_variants  # noqa: F401


class DrawingWorker:
    """One drawing process, forked when the build starts (after the site's configuration is read, which
    the number formats of an axis use) and importing matplotlib while the build reads the tables, on
    the core that is idle then. A rebuild's few charts are drawn there, beside the pages, instead of in
    the build process, which then never imports matplotlib (0.65 s, and 0.4 s more to draw the one
    chart of a changed value). stop() ends it."""

    def __init__(self):
        self.executor = ProcessPoolExecutor(max_workers=1, mp_context=get_context("fork"), initializer=_import_drawers)
        self.executor.submit(int)  # starts the process now: a pool forks its processes at the first task

    def submit(self, specs: Specs):
        return self.executor.submit(draw_variants_in_worker, specs)

    def stop(self) -> None:
        self.executor.shutdown(wait=True, cancel_futures=True)


def spec_hash(specs: Specs) -> str:
    payload = json.dumps(specs, ensure_ascii=False, sort_keys=True) + DRAWING_CODE_HASH
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()[:20]


class ChartDrawing:
    """Draws charts in a pool of processes, one per core, while the build goes on: a chart is sent
    to the pool as soon as its specs are made (add), and the pages need only its size (figure_size).
    finish() waits for the drawings and writes <stem>.svg for every language of every chart added;
    cancel() stops the pool when the build fails. A chart whose specs' hash is in the cache is not
    drawn again, and the first few to draw go to the DrawingWorker (or, without one, wait to be drawn
    here by finish()): a rebuild that redraws one or two charts starts no pool of processes."""

    POOL_AFTER = 4  # charts to draw before a pool is worth starting

    def __init__(self, cache: Path, workers: int | None = None, worker: DrawingWorker | None = None):
        self.cache = cache
        self.worker = worker  # where the first POOL_AFTER charts are drawn; without it, in this process
        cache.mkdir(parents=True, exist_ok=True)
        self.jobs: dict[Path, tuple[str, str]] = {}  # stem -> (specs hash, language)
        self.pending: dict[str, object] = {}  # specs hash -> its future, or its specs while not sent to a pool
        self.workers = workers or os.cpu_count() or 1
        self._pool = None
        self._in_cache = set(os.listdir(cache))  # one listing, not a stat per chart and language

    def is_drawn(self, key: str, langs) -> bool:
        """Whether the chart of these specs' hash is drawn in every language (in the cache, whole, or on
        its way). A drawing cut short (a power loss after its rename) is drawn again."""
        names = [f"{key}.{lang}.{variant}" for lang in langs for variant in VARIANTS]
        if key in self.pending:
            return True
        if not all(name in self._in_cache for name in names):  # names, not a Path each: 6,000 took 0.3 s at L
            return False
        return all(drawing_is_whole(os.path.join(self.cache, name)) for name in names)

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
            self._pool = ProcessPoolExecutor(max_workers=self.workers, initializer=die_with_parent)
            for waiting, waiting_specs in self.pending.items():
                if isinstance(waiting_specs, dict):  # not yet sent to the drawing worker
                    self.pending[waiting] = self._pool.submit(draw_variants_in_worker, waiting_specs)
        elif self._pool is not None:
            self.pending[key] = self._pool.submit(draw_variants_in_worker, specs)
        elif self.worker is not None:
            self.pending[key] = self.worker.submit(specs)

    def _cached(self, key: str, name: str) -> Path:
        return self.cache / f"{key}.{name}"

    def finish(self) -> dict[str, int]:
        for key, drawing in self.pending.items():
            files = draw_variants_in_worker(drawing) if isinstance(drawing, dict) else drawing.result()
            for name, content in files.items():
                tmp = self.cache / f".{key}.{name}.tmp"
                tmp.write_bytes(content)
                os.replace(tmp, self._cached(key, name))
        self.cancel()
        cache, folders = os.fspath(self.cache), set()  # text paths: 6,000 files at L, a Path each took 0.3 s
        for stem, (key, lang) in self.jobs.items():
            target = os.fspath(stem)
            folder = os.path.dirname(target)
            if folder not in folders:
                os.makedirs(folder, exist_ok=True)
                folders.add(folder)
            for variant in VARIANTS:
                _link_or_copy(os.path.join(cache, f"{key}.{lang}.{variant}"), f"{target}.{variant}")
        return {"charts": self.charts(), "drawn": len(self.pending)}

    def charts(self) -> int:
        """Charts added, each counted once for all its languages."""
        return len({key for key, _ in self.jobs.values()})

    def cancel(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None
            gc.unfreeze()


ENDINGS = {".svg": b"</svg>\n", ".png": b"IEND\xaeB`\x82"}  # how a whole drawing of each format ends


def drawing_is_whole(path: str) -> bool:
    """A drawing ends as its format ends (its last bytes read, not the whole file): an empty or
    truncated one does not."""
    ending = ENDINGS.get(os.path.splitext(path)[1])
    try:
        with open(path, "rb") as handle:
            size = handle.seek(0, os.SEEK_END)
            if ending is None:
                return size > 0
            handle.seek(max(0, size - len(ending)))
            return size >= len(ending) and handle.read() == ending
    except OSError:
        return False


def _link_or_copy(source: str, target: str) -> None:
    """target made the same file as source (a hard link; a copy where links cannot be made). A chart
    redrawn replaces its cache file, so an unchanged link means an unchanged chart: two stats, no reads."""
    try:
        if os.path.samestat(os.stat(source), os.stat(target)):
            return
    except FileNotFoundError:  # not linked yet
        pass
    link_over(source, target)

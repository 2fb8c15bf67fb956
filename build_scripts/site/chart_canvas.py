"""A chart's Canvas: one matplotlib figure for the geometry (axes, lines, markers, bars, bands, grid,
legend keys), drawn once for all the chart's languages, and the labels, legend entries and tooltip
points of each language laid over it. A blank figure is unpickled from the first one a process made."""

from __future__ import annotations

import io
import json
import pickle
import weakref
from xml.sax.saxutils import escape

import matplotlib

# matplotlib is imported with the build, before the drawing processes are forked: they share it
# instead of each importing it (a third of a second each, all the drawing of a one-change rebuild).
# Figures are made without pyplot: nothing is shown, and no figure needs to be registered or closed.
from matplotlib.figure import Figure
from matplotlib.transforms import TransformNode

from . import chart_style
from .chart_labels import Label, inside_drawing, text_box, text_layer, without_overlaps
from .chart_style import Specs, Words
from .chart_tips import point_columns


class Canvas:
    """A matplotlib figure for the geometry, and the labels laid over it in each language."""

    def __init__(self, specs: Specs, height: float, axes: bool = True):
        self.langs = list(specs)
        self.height = height
        self.fig = _blank_figure(axes)
        self.fig.set_size_inches(chart_style.WIDTH, height)
        self.ax = self.fig.axes[0] if axes else None
        self.labels: list[Label] = []
        # each point's data coordinates and, in each language, its tooltip (chart_points.point_tip) and source
        self.points: list[tuple[float, float, dict[str, tuple[list | str, list]]]] = []
        self.title: Label | None = None  # a tooltip is kept off it
        self.mark_pt, self.above_pt = MARK_PT, MARK_PT  # what a tooltip keeps clear around a point, and above it

    def text(self, words: Words, x: float, y: float, transform, **style) -> None:
        self.labels.append(Label(words, x, y, transform, **style))

    def add_point(self, specs: Specs, x: float, y: float, read) -> None:
        """A point a reader can tap: read(spec) gives its tooltip and its source (chart_points.point_cite)
        in a spec's language; a figure the portal lacks has none, and no point."""
        tips = {lang: read(spec) for lang, spec in specs.items()}
        if all(tip is not None for tip, _ in tips.values()):
            self.points.append((x, y, tips))

    def svgs(self) -> dict[str, bytes]:
        """The SVG in each language: the geometry once, each language's text laid over it."""
        if self.ax is not None:
            self.ax.get_xlim(), self.ax.get_ylim()  # autoscaled limits are settled before labels are placed
            # The limits hold everything drawn, so clipping to the axes only cut the markers at an edge
            # in half, and cost each clipped artist a mask in the PNG (28 % of its rendering).
            for artist in self.ax.get_children():
                artist.set_clip_on(False)
        placed = [(label, *label.transform.transform((label.x, label.y))) for label in self.labels]
        placed = without_overlaps([inside_drawing(item, chart_style.WIDTH * 72, self.height * 72) for item in placed])
        drawing = io.BytesIO()
        self.fig.savefig(drawing, format="svg", metadata={"Date": None, "Creator": None})
        head, tail = drawing.getvalue().decode("utf-8").rsplit("</svg>", 1)
        height_pt = self.height * 72
        return {
            lang: (head + text_layer(placed, lang, height_pt) + self._point_layer(lang) + "</svg>" + tail).encode(
                "utf-8"
            )
            for lang in self.langs
        }

    def _point_layer(self, lang: str) -> str:
        """The drawn points as data for portal.js, in columns (chart_tips): <metadata id="points">, where
        each is, its tooltip's fields and its source; <metadata id="tips">, the tooltips' sentence and the
        sources' texts, where the title ends (a share of the height), and the room, in points, that a
        point's mark takes and, above it, its value label. In <metadata> elements: no reader of the image
        sees them."""
        if not self.points:
            return ""
        width, height = chart_style.WIDTH * 72, self.height * 72
        places = []
        for x, y, _ in self.points:
            px, py = self.ax.transData.transform((x, y))
            places.append((px / width, 1 - py / height))
        tips = [tips[lang] for *_, tips in self.points]
        points, columns = point_columns(places, [tip for tip, _ in tips], [cite for _, cite in tips])
        title = 0.0
        if self.title is not None:
            title = round(
                1 - text_box(self.title, *self.title.transform.transform((self.title.x, self.title.y)))[1] / height, 4
            )
        keys = {"title": title, "mark": self.mark_pt, "above": self.above_pt, **columns}
        return f'<metadata id="points">{_json(points)}</metadata>\n<metadata id="tips">{_json(keys)}</metadata>\n'


MARK_PT = 6  # half the largest marker (a target's diamond, 9 pt, and its edge)


def tip_of(item: dict, prefix: str = "") -> tuple[list | str, list]:
    """The tooltip and the source of a drawn figure (its 'tip' and 'cite' in its spec; a bar's target's
    under 'target_tip' and 'target_cite')."""
    return item[prefix + "tip"], item[prefix + "cite"]


def _json(data) -> str:
    return escape(json.dumps(data, ensure_ascii=False, separators=(",", ":")))


_BLANK_FIGURES: dict[bool, bytes] = {}


def _blank_figure(axes: bool):
    """A new blank figure (with one Axes, or none), unpickled from the first one this process made:
    three times faster than making a figure and its Axes, a third of the drawing of a chart."""
    if axes not in _BLANK_FIGURES:
        # in the charts' style whoever asks first: a figure keeps the rc settings it was made with (its
        # dpi, which the labels' points assume), and a first one made outside it misplaced every label after
        with matplotlib.rc_context(chart_style.STYLE):
            figure = Figure(figsize=(chart_style.WIDTH, 4.4))
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

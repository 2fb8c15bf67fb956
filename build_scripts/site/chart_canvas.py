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
from .chart_labels import Label, text_layer, without_overlaps
from .chart_style import Specs, Words


class Canvas:
    """A matplotlib figure for the geometry, and the labels laid over it in each language."""

    def __init__(self, specs: Specs, height: float, axes: bool = True):
        self.langs = list(specs)
        self.height = height
        self.fig = _blank_figure(axes)
        self.fig.set_size_inches(chart_style.WIDTH, height)
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
            # The limits hold everything drawn, so clipping to the axes only cut the markers at an edge
            # in half, and cost each clipped artist a mask in the PNG (28 % of its rendering).
            for artist in self.ax.get_children():
                artist.set_clip_on(False)
        placed = without_overlaps([(label, *label.transform.transform((label.x, label.y))) for label in self.labels])
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
        """The drawn points as data for portal.js: where each is (a share of the drawing's width and
        height, from its top left) and what it is. In a <metadata> element: no reader of the image sees it."""
        if not self.points:
            return ""
        width, height = chart_style.WIDTH * 72, self.height * 72
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

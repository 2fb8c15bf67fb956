"""A chart's legend, worked out once: the spec carries it (spec["legend"]: its entries in order, each a
label and the key that draws it), the spec builders make it, and the sizing, the place rules (through
the number of entries) and the drawing all read it from there.

A key is plain data, drawn by chart_layout.draw_legend_key:
    {"line": colour, "style": "-", "marker": "o"}   a line (with its marker, if any)
    {"mark": "D", "edge": colour}                   a hollow marker alone (a target, a derived value)
    {"box": colour, "alpha": 0.18}                  a filled box (bars, a band)

The legend's grid (legend_grid) is measured from the font: as many columns, up to what the chart
asks, as fit the drawing's width in every language, and an entry too long for the whole width
wrapped to more lines, its row made taller.
"""

from __future__ import annotations

from dataclasses import dataclass

from . import chart_style
from .chart_style import LEGEND_IN, LINE_EM, SMALL_PT, Specs, first_language, text_inches, wrap

LEGEND_PT, LEGEND_KEY_IN, LEGEND_GAP_IN, LEGEND_SIDE_IN = SMALL_PT + 1, 0.4, 0.3, 0.1
KEY_TEXT_IN = 0.1  # between a key and its label


def entry(label: str, **key) -> dict:
    """One legend entry: its label and its key (see the module's docstring)."""
    return {"label": label, "key": key}


def legend_labels(spec: dict) -> list[str]:
    """The entries of a chart's legend in its spec's language, in the order the drawing lists them."""
    return [item["label"] for item in spec.get("legend", [])]


@dataclass
class LegendGrid:
    columns: int
    labels: dict[str, list[str]]  # each entry's label, wrapped, in each language
    widths: list[float]  # inches of each column: the key, a gap and the widest label of any language
    rows: list[float]  # inches of each row, top first

    @property
    def height(self) -> float:
        return sum(self.rows)


def legend_grid(specs: Specs, most: int) -> LegendGrid | None:
    """The legend's grid at the current drawing width, or None for a chart without legend entries."""
    texts = {lang: legend_labels(spec) for lang, spec in specs.items()}
    count = len(first_language(texts))
    if not count:
        return None
    room = chart_style.WIDTH - 2 * LEGEND_SIDE_IN
    columns = 1
    for tried in range(max(1, min(most, count)), 1, -1):
        if sum(_widths(texts, tried)) + LEGEND_GAP_IN * (tried - 1) <= room:
            columns = tried
            break
    label_room = room - LEGEND_KEY_IN - KEY_TEXT_IN
    wrapped = {
        lang: [label if columns > 1 else wrap(label, label_room, LEGEND_PT) for label in labels]
        for lang, labels in texts.items()
    }
    rows = []
    for start in range(0, count, columns):
        lines = max(label.count("\n") + 1 for labels in wrapped.values() for label in labels[start : start + columns])
        rows.append(max(LEGEND_IN, ((lines - 1) * LINE_EM + 1) * LEGEND_PT / 72 + 0.18))
    return LegendGrid(columns, wrapped, _widths(wrapped, columns), rows)


def _widths(texts: dict[str, list[str]], columns: int) -> list[float]:
    return [
        LEGEND_KEY_IN
        + KEY_TEXT_IN
        + max(
            text_inches([line for label in labels[c::columns] for line in label.split("\n")], LEGEND_PT)
            for labels in texts.values()
        )
        for c in range(columns)
    ]

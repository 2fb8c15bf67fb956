"""The texts laid over a chart's drawing: a Label in each language, the box its text takes (measured
from the font, chart_metrics), the optional labels (a series' values) left out where they would
overlap one placed before, and each language's SVG <text> layer."""

from __future__ import annotations

from dataclasses import dataclass
from xml.sax.saxutils import escape

from .chart_metrics import text_points
from .chart_style import ANCHORS, ASCENT_EM, BODY_PT, DESCENT_EM, LINE_EM, MIDDLE_EM, Words


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
    optional: bool = False  # left out where it would overlap a label placed before it
    halo: bool = False  # outlined in white, so that a line drawn under it (a median, a series) keeps clear of it


BOX_PAD_PT = 1.5  # round an optional label's box: the room it keeps from the others


def text_box(label: Label, x: float, y: float, safe: bool = False) -> tuple[float, float, float, float]:
    """The box (left, bottom, right, top, in points from the figure's bottom left) that a label's text
    takes in the wider of its languages; safe: with BOX_PAD_PT of room around it."""
    pad = BOX_PAD_PT if safe else 0.0
    texts = [words.split("\n") for words in label.words.values()]
    width = max(text_points(line, label.size, label.bold) for lines in texts for line in lines) + 2 * pad
    height = label.size * (LINE_EM * (max(map(len, texts)) - 1) + ASCENT_EM + DESCENT_EM) + 2 * pad
    x, y = x + label.dx, y + label.dy
    left = {"left": x - pad, "center": x - width / 2, "right": x - width + pad}[label.ha]
    bottom = {"top": y - height, "center": y - height / 2, "bottom": y, "baseline": y - DESCENT_EM * label.size}[
        label.va
    ]
    return left, bottom, left + width, bottom + height


def without_unit(text: str, unit: str) -> str:
    """A value label without its unit's name, where the chart's subtitle names the unit: '119,9 por cada
    100 000 habitantes' is '119,9' past a ranking's bar, where the whole label left the bar no room."""
    return text[: -len(unit)].rstrip() if unit and text.endswith(unit) and len(text) > len(unit) else text


HALO = ' stroke="#ffffff" stroke-width="3" stroke-linejoin="round" paint-order="stroke"'
EDGE_ROOM_PT = 2  # what a text keeps from the drawing's edge


def inside_drawing(item: tuple[Label, float, float], width: float, height: float) -> tuple[Label, float, float]:
    """A label moved, where it would run past an edge of the drawing (a value label over the last point,
    at the axes' right end), just inside it: the layout wraps and sizes every other text to fit."""
    label, x, y = item
    left, bottom, right, top = text_box(label, x, y)
    shift_x = max(0.0, EDGE_ROOM_PT - left) + min(0.0, width - EDGE_ROOM_PT - right)
    shift_y = max(0.0, EDGE_ROOM_PT - bottom) + min(0.0, height - EDGE_ROOM_PT - top)
    return label, x + shift_x, y + shift_y


def without_overlaps(placed: list[tuple[Label, float, float]]) -> list[tuple[Label, float, float]]:
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


def text_layer(placed: list[tuple[Label, float, float]], lang: str, height_pt: float) -> str:
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
        if label.halo:
            style += HALO
        for number, line in enumerate(lines):
            down = first + number * pitch
            at = f'x="{x:.2f}" y="{y + down:.2f}"'
            out.append(f"<text {at}{style}>{escape(line)}</text>\n")
    out.append("</g>\n")
    return "".join(out)

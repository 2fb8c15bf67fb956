"""The box of every text of a chart's SVG, measured with matplotlib's own text measurement of DejaVu
Sans, and the two checks that every chart drawing must pass: no text leaves the drawing, and no two
texts overlap.

A box is read from what the SVG states: each <text>'s x and y (its baseline), its font size (the
SVG's user units are the figure's points: the charts' style sets figure.dpi 72), its weight, its
text-anchor and its transform (rotate(); a parent <g> may transform too). The text's own extent is
matplotlib's TextToPath measurement (the glyphs' ink: width, height and descent), so a box is what a
reader sees, not the estimate the layout makes.

    problems = text_problems(svg_bytes, "charts/x.narrow.svg")
    # ["charts/x.narrow.svg: 'https://vn-d…' runs 23 pt past the right edge",
    #  "charts/x.narrow.svg: '2020' overlaps '2021'"]
"""

from __future__ import annotations

import math
import re
import xml.etree.ElementTree as ElementTree
from dataclasses import dataclass
from functools import lru_cache

from matplotlib.font_manager import FontProperties
from matplotlib.textpath import TextToPath

EDGE_PT = 1.0  # a text may reach this far past the drawing's edge (antialiasing, rounding)
OVERLAP_PT = 1.0  # two boxes overlap when they meet by more than this, across and down
FAMILY = "DejaVu Sans"  # the font every chart text names first
SHOWN_CHARS = 40  # a problem quotes a text up to this long

SVG = "{http://www.w3.org/2000/svg}"
INHERITED = ("font-size", "font-weight", "text-anchor")
Matrix = tuple[float, float, float, float, float, float]  # SVG's matrix(a b c d e f)
IDENTITY: Matrix = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)


@dataclass(frozen=True)
class TextBox:
    """One <text>: its words and style as the SVG states them, its box in its own (untransformed)
    coordinates, and the matrix that places it in the drawing."""

    text: str
    x: float
    y: float
    anchor: str  # start, middle or end
    size: float  # points
    bold: bool
    rotation: float  # degrees, as SVG turns (clockwise on screen); -90: read upwards
    local: tuple[float, float, float, float]  # left, top, right, bottom before the transform (y down)
    matrix: Matrix

    @property
    def box(self) -> tuple[float, float, float, float]:
        """Left, top, right, bottom in the drawing (y down), of the transformed box."""
        left, top, right, bottom = self.local
        corners = [_apply(self.matrix, x, y) for x in (left, right) for y in (top, bottom)]
        xs, ys = [c[0] for c in corners], [c[1] for c in corners]
        return min(xs), min(ys), max(xs), max(ys)


@dataclass(frozen=True)
class Drawing:
    width: float  # in the SVG's user units (points)
    height: float
    texts: list[TextBox]


def measure(text: str, size: float, bold: bool) -> tuple[float, float, float]:
    """(width, height, descent) in points of a line of text in DejaVu Sans, as matplotlib measures it."""
    return _measure(text, round(size, 3), bold)


@lru_cache(maxsize=65536)
def _measure(text: str, size: float, bold: bool) -> tuple[float, float, float]:
    prop = FontProperties(family=FAMILY, size=size, weight="bold" if bold else "normal")
    return _TEXT_TO_PATH.get_text_width_height_descent(text, prop, ismath=False)


_TEXT_TO_PATH = TextToPath()


def read_drawing(svg: bytes) -> Drawing:
    """The drawing's size and every non-empty <text> of an SVG, measured."""
    root = ElementTree.fromstring(svg)
    view = root.get("viewBox")
    if view:
        width, height = (float(v) for v in re.split(r"[\s,]+", view.strip())[2:4])
    else:
        width, height = (_length(root.get(name)) for name in ("width", "height"))
    texts: list[TextBox] = []
    _walk(root, {"font-size": "16", "font-weight": "normal", "text-anchor": "start"}, IDENTITY, texts)
    return Drawing(width, height, texts)


def _walk(element, inherited: dict, matrix: Matrix, out: list[TextBox]) -> None:
    style = {**inherited, **_style_of(element)}
    matrix = _compose(matrix, _transform(element.get("transform", "")))
    if element.tag == SVG + "text":
        box = _text_box(element, style, matrix)
        if box is not None:
            out.append(box)
        return
    for child in element:
        if child.tag not in (SVG + "defs", SVG + "metadata", SVG + "style", SVG + "title", SVG + "desc"):
            _walk(child, style, matrix, out)


def _style_of(element) -> dict:
    """The inherited font properties an element sets, as attributes or in its style."""
    found = {name: element.get(name) for name in INHERITED if element.get(name) is not None}
    for declaration in (element.get("style") or "").split(";"):
        name, _, value = declaration.partition(":")
        if name.strip() in INHERITED:
            found[name.strip()] = value.strip()
    return found


def _text_box(element, style: dict, matrix: Matrix) -> TextBox | None:
    text = "".join(element.itertext())
    if not text.strip():
        return None
    x, y = float(element.get("x", "0")), float(element.get("y", "0"))
    size = _length(style["font-size"])
    bold = style["font-weight"] in ("bold", "bolder") or (
        style["font-weight"].isdigit() and int(style["font-weight"]) >= 600
    )
    anchor = style["text-anchor"]
    width, height, descent = measure(text, size, bold)
    left = {"start": x, "middle": x - width / 2, "end": x - width}[anchor]
    local = (left, y - (height - descent), left + width, y + descent)
    rotation = round(math.degrees(math.atan2(matrix[1], matrix[0])), 6)
    return TextBox(text, x, y, anchor, size, bold, rotation, local, matrix)


def _length(value: str) -> float:
    """A length in user units: '14px' and '14' are 14; '244.8pt' is 244.8 (the figure's points)."""
    return float(re.match(r"\s*([-+0-9.eE]+)", value)[1])


def _transform(text: str) -> Matrix:
    matrix = IDENTITY
    for name, arguments in re.findall(r"(\w+)\s*\(([^)]*)\)", text):
        values = [float(v) for v in re.split(r"[\s,]+", arguments.strip()) if v]
        if name == "rotate":
            angle = math.radians(values[0])
            cx, cy = (values[1], values[2]) if len(values) == 3 else (0.0, 0.0)
            cos, sin = math.cos(angle), math.sin(angle)
            step = (cos, sin, -sin, cos, cx - cos * cx + sin * cy, cy - sin * cx - cos * cy)
        elif name == "translate":
            step = (1.0, 0.0, 0.0, 1.0, values[0], values[1] if len(values) > 1 else 0.0)
        elif name == "scale":
            step = (values[0], 0.0, 0.0, values[1] if len(values) > 1 else values[0], 0.0, 0.0)
        elif name == "matrix":
            step = tuple(values)
        else:
            raise ValueError(f"transform {name}() is not read by chart_boxes: {text}")
        matrix = _compose(matrix, step)
    return matrix


def _compose(outer: Matrix, inner: Matrix) -> Matrix:
    """The matrix applying inner, then outer."""
    a, b, c, d, e, f = outer
    A, B, C, D, E, F = inner
    return (a * A + c * B, b * A + d * B, a * C + c * D, b * C + d * D, a * E + c * F + e, b * E + d * F + f)


def _apply(matrix: Matrix, x: float, y: float) -> tuple[float, float]:
    a, b, c, d, e, f = matrix
    return a * x + c * y + e, b * x + d * y + f


def shown(text: str) -> str:
    return text if len(text) <= SHOWN_CHARS else text[: SHOWN_CHARS - 1] + "…"


def outside(drawing: Drawing, scale: float = 1.0) -> list[str]:
    """A problem for each text that runs more than EDGE_PT past an edge of the drawing."""
    problems = []
    for text in drawing.texts:
        left, top, right, bottom = text.box
        past = {"left": -left, "top": -top, "right": right - drawing.width, "bottom": bottom - drawing.height}
        for edge, by in past.items():
            if by > EDGE_PT:
                problems.append(f"'{shown(text.text)}' runs {by * scale:.0f} pt past the {edge} edge")
    return problems


def overlaps(drawing: Drawing) -> list[str]:
    """A problem for each two texts whose boxes meet by more than OVERLAP_PT across and down (in
    their own frame where both are turned alike, as rotated tick labels are)."""
    problems = []
    boxes = [text.box for text in drawing.texts]
    for i, first in enumerate(drawing.texts):
        for j in range(i + 1, len(drawing.texts)):
            second = drawing.texts[j]
            a, b = boxes[i], boxes[j]
            if first.matrix[:4] == second.matrix[:4] and first.matrix[:4] != IDENTITY[:4]:
                a, b = _in_frame(first), _in_frame(second)
            across = min(a[2], b[2]) - max(a[0], b[0])
            down = min(a[3], b[3]) - max(a[1], b[1])
            if across > OVERLAP_PT and down > OVERLAP_PT:
                problems.append(f"'{shown(first.text)}' overlaps '{shown(second.text)}'")
    return problems


def _in_frame(text: TextBox) -> tuple[float, float, float, float]:
    """The box in the text's own turned frame, shifted by where its transform takes it: two texts
    turned alike compare there exactly."""
    a, b, c, d, e, f = text.matrix
    det = a * d - b * c
    shift_x, shift_y = (d * e - c * f) / det, (-b * e + a * f) / det  # the inverse of the linear part, on (e, f)
    left, top, right, bottom = text.local
    return left + shift_x, top + shift_y, right + shift_x, bottom + shift_y


CHECKS = {"outside": outside, "overlap": overlaps}


def text_problems(svg: bytes, name: str, checks=tuple(CHECKS)) -> list[str]:
    """Every problem of a drawing found by the named checks, each "<name>: <problem>"."""
    drawing = read_drawing(svg)
    stated = re.search(rb'<svg[^>]*\bwidth="([0-9.]+)pt"', svg[:2000])
    return drawing_problems(drawing, name, checks, float(stated[1]) / drawing.width if stated else 1.0)


def drawing_problems(drawing: Drawing, name: str, checks=tuple(CHECKS), points_per_unit: float = 1.0) -> list[str]:
    found = []
    for check in checks:
        found += outside(drawing, points_per_unit) if check == "outside" else overlaps(drawing)
    return [f"{name}: {problem}" for problem in found]


# What a browser lays out: the SVG's size (its viewBox) and, of each non-empty <text>, its words, style,
# getBBox() (in its own user space) and the matrix from there to the viewBox's units; for
# browser_drawing. Run in the SVG opened as a document.
BROWSER_BOXES_JS = """() => {
    const svg = document.documentElement;
    const toView = svg.getScreenCTM().inverse();
    const view = svg.viewBox.baseVal;
    return {width: view.width, height: view.height, texts: [...svg.querySelectorAll("text")]
        .filter(text => text.textContent.trim())
        .map(text => {
            const box = text.getBBox(), m = toView.multiply(text.getScreenCTM()), style = getComputedStyle(text);
            return {text: text.textContent, x: text.x.baseVal[0]?.value ?? 0, y: text.y.baseVal[0]?.value ?? 0,
                anchor: style.textAnchor, size: parseFloat(style.fontSize), bold: parseInt(style.fontWeight) >= 600,
                box: [box.x, box.y, box.x + box.width, box.y + box.height], matrix: [m.a, m.b, m.c, m.d, m.e, m.f]};
        })};
}"""


def browser_drawing(measured: dict) -> Drawing:
    """The Drawing of what BROWSER_BOXES_JS returned: each text's box as the browser laid it out."""
    texts = [
        TextBox(
            t["text"],
            t["x"],
            t["y"],
            t["anchor"],
            t["size"],
            t["bold"],
            round(math.degrees(math.atan2(t["matrix"][1], t["matrix"][0])), 6),
            tuple(t["box"]),
            tuple(round(v, 6) for v in t["matrix"]),
        )
        for t in measured["texts"]
    ]
    return Drawing(measured["width"], measured["height"], texts)

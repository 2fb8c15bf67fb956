"""How wide a chart's text is drawn, measured from the font its SVG names first (DejaVu Sans, the
font matplotlib ships and resvg draws the PNG with): each character's advance width and the font's
kerning pairs, read once per process from the font files. A browser without DejaVu Sans falls back
to Arial or the system's sans-serif, which are narrower: a text that fits measured here fits there.

Text is wrapped by this measure, never by a count of characters: a line of 'Số nền tảng số' and a
line of 'iiii' differ in width by half. A word longer than a whole line (a web address) is broken
after a '/', '-' or '.', or else between two characters, so that nothing runs past the drawing.
"""

from __future__ import annotations

import importlib.util
import os
import re
from functools import lru_cache

MISSING_EM = 1.0  # a character the font lacks (a browser draws it from another font): a full em, CJK's width
FONT_FILES = {False: "DejaVuSans.ttf", True: "DejaVuSans-Bold.ttf"}


def font_file(bold: bool) -> str:
    """The font's file in matplotlib's data, found without importing matplotlib (0.4 s in the build
    process, which sizes every chart but draws none)."""
    package = os.path.dirname(importlib.util.find_spec("matplotlib").origin)
    return os.path.join(package, "mpl-data", "fonts", "ttf", FONT_FILES[bold])


class FontMetrics:
    """Advance widths and kerning of one font, in em."""

    def __init__(self, path: str):
        from fontTools.ttLib import TTFont

        font = TTFont(path, lazy=True)
        units = font["head"].unitsPerEm
        metrics = font["hmtx"].metrics
        self.glyph = font.getBestCmap()
        self.advance = {code: metrics[name][0] / units for code, name in self.glyph.items()}
        self.kerning: dict[tuple[str, str], float] = {}
        if "kern" in font:
            for table in font["kern"].kernTables:
                for pair, value in getattr(table, "kernTable", {}).items():
                    self.kerning[pair] = value / units

    def width_em(self, text: str) -> float:
        advance, glyph, kerning = self.advance, self.glyph, self.kerning
        total, before = 0.0, None
        for char in text:
            code = ord(char)
            total += advance.get(code, MISSING_EM)
            name = glyph.get(code)
            if before is not None and name is not None:
                total += kerning.get((before, name), 0.0)
            before = name
        return total


@lru_cache(maxsize=2)
def metrics(bold: bool) -> FontMetrics:
    return FontMetrics(font_file(bold))


@lru_cache(maxsize=65536)
def text_points(text: str, size: float, bold: bool = False) -> float:
    """The width, in points, of one line of text drawn at `size` points."""
    return metrics(bold).width_em(text) * size


def widest_inches(lines, size: float, bold: bool = False) -> float:
    """The width, in inches, of the widest of these lines."""
    return max((text_points(line, size, bold) for line in lines), default=0.0) / 72


BREAK_AFTER = re.compile(r"(?<=[/\-.])")  # where a word too long for a line may be broken


def wrap_inches(text: str, inches: float, size: float, bold: bool = False) -> list[str]:
    """The text's lines, each at most `inches` wide as drawn at `size` points: words kept whole where
    they fit a line, a longer word broken (see the module's docstring)."""
    room = inches * 72
    lines: list[str] = []
    for paragraph in text.split("\n"):
        line = ""
        for word in paragraph.split():
            joined = f"{line} {word}" if line else word
            if text_points(joined, size, bold) <= room:
                line = joined
                continue
            if line:
                lines.append(line)
            *whole, line = _pieces(word, room, size, bold)
            lines += whole
        lines.append(line)
    return lines


def _pieces(word: str, room: float, size: float, bold: bool) -> list[str]:
    """A word as lines of at most `room` points: whole where it fits; else broken after '/', '-' or '.',
    and a part still too long between characters."""
    pieces, current = [], ""
    for part in BREAK_AFTER.split(word):
        units = [part] if text_points(part, size, bold) <= room else list(part)
        for unit in units:
            if current and text_points(current + unit, size, bold) > room:
                pieces.append(current)
                current = ""
            current += unit
    return pieces + [current]

"""The files of one chart: its SVG in each language, wide and narrow (for phones), and a PNG of the
wide one to share; each drawn by the drawer of the chart's kind."""

from __future__ import annotations

import os
import re

import matplotlib

from .chart_draw_bars import draw_bars, draw_card, draw_ranking
from .chart_draw_overview import draw_grouped, draw_progress, draw_stacked
from .chart_draw_series import draw_series
from .chart_style import NARROW_WIDTH, STYLE, Specs, drawing_width, first_language

PNG_WIDTH = 600  # pixels of the PNG for link previews (Open Graph), drawn from the wide SVG: 0.05 s a chart


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
        "series": draw_series,
        "bars": draw_bars,
        "card": draw_card,
        "progress": draw_progress,
        "stacked": draw_stacked,
        "grouped": draw_grouped,
        "ranking": draw_ranking,
    }[first_language(specs)["kind"]]
    with matplotlib.rc_context(STYLE):
        return drawer(specs).svgs()


def draw_chart(spec: dict) -> bytes:
    """One chart in one language (its spec names the language)."""
    return draw_charts({spec["lang"]: spec})[spec["lang"]]

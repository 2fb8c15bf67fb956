"""A chart's margins and legend, set by arithmetic: Layout takes the room around the axes from the
title, the unit under it, the footer, legend and tick labels of whichever language needs more, and lays
the legend (chart_legend) out under the axes; laid_out_canvas makes a Canvas with those margins."""

from __future__ import annotations

from typing import TYPE_CHECKING

from . import chart_style
from .chart_legend import KEY_TEXT_IN, LEGEND_GAP_IN, LEGEND_KEY_IN, LEGEND_PT, legend_grid
from .chart_style import (
    ASCENT_EM,
    BODY_PT,
    DESCENT_EM,
    LEFT_IN,
    LINE_EM,
    RIGHT_IN,
    SMALL_PT,
    TICKS_IN,
    TITLE_PT,
    Specs,
    first_language,
    in_each_language,
    lines_height,
    wrap,
)

if TYPE_CHECKING:  # a Canvas is matplotlib's: imported where one is made, not where a chart is only sized
    from .chart_canvas import Canvas


TITLE_LEFT_IN, TITLE_TOP_IN = 0.1, 0.12  # the title's corner, from the figure's top left
SUBTITLE_PT, SUBTITLE_COLOR = SMALL_PT + 1, "#444444"  # the unit, under the title
FOOTER_BOTTOM_IN = 0.06


def block_in(lines: int, points: float) -> float:
    """The height, in inches, of a block of lines as the text layer draws it (its first line's ascent,
    the pitch between lines, its last line's descent)."""
    return 0 if not lines else ((lines - 1) * LINE_EM + ASCENT_EM + DESCENT_EM) * points / 72


def lines_in(words: dict[str, str]) -> int:
    """The lines of the language whose text has most."""
    return max((text.count("\n") + 1 for text in words.values() if text), default=0)


class Layout:
    """Figure margins in inches, from the title, the unit under it, the footer, legend and tick labels
    that go around the axes, taken from whichever language needs more room. Every text is wrapped to
    the drawing's width as the font draws it (chart_metrics): none runs past an edge."""

    def __init__(
        self,
        specs: Specs,
        height: float,
        left: float = LEFT_IN,
        legend_columns: int = 0,
        tick_lines: int = 1,
    ):
        room = chart_style.WIDTH - 2 * TITLE_LEFT_IN
        self.title = in_each_language(specs, lambda s: wrap(s["title"], room, TITLE_PT, bold=True))
        self.subtitle = in_each_language(specs, lambda s: wrap(s.get("unit_label") or "", room, SUBTITLE_PT))
        self.footer = in_each_language(specs, lambda s: wrap(s.get("footer") or "", room, SMALL_PT))
        self.height = height
        footer_lines = lines_in(self.footer)
        self.footer_in = (block_in(footer_lines, SMALL_PT) + FOOTER_BOTTOM_IN + 0.08) if footer_lines else 0.1
        self.grid = legend_grid(specs, legend_columns) if legend_columns else None
        self.legend_in = self.grid.height if self.grid else 0.0
        self.title_in = block_in(lines_in(self.title), TITLE_PT)
        self.subtitle_in = block_in(lines_in(self.subtitle), SUBTITLE_PT)
        self.top_in = TITLE_TOP_IN + self.title_in + (0.06 + self.subtitle_in if self.subtitle_in else 0) + 0.22
        self.bottom_in = self.footer_in + self.legend_in + TICKS_IN + lines_height(tick_lines - 1, BODY_PT)
        self.left = left
        self.right = RIGHT_IN
        self.has_footer = bool(footer_lines)

    def apply(self, canvas: Canvas) -> None:
        fig = canvas.fig
        fig.subplots_adjust(
            left=self.left / chart_style.WIDTH,
            right=1 - self.right / chart_style.WIDTH,
            top=1 - self.top_in / self.height,
            bottom=self.bottom_in / self.height,
        )
        inches = fig.dpi_scale_trans
        top = self.height - TITLE_TOP_IN
        canvas.text(self.title, TITLE_LEFT_IN, top, inches, va="top", size=TITLE_PT, bold=True)
        canvas.title = canvas.labels[-1]
        if self.subtitle_in:
            below = top - self.title_in - 0.06
            canvas.text(self.subtitle, TITLE_LEFT_IN, below, inches, va="top", size=SUBTITLE_PT, color=SUBTITLE_COLOR)
        if self.has_footer:
            canvas.text(
                self.footer, TITLE_LEFT_IN, FOOTER_BOTTOM_IN, inches, va="bottom", size=SMALL_PT, color="#444444"
            )

    def widen_right(self, canvas: Canvas, inches: float) -> None:
        """A wider right margin (for the latest values written past the lines' ends)."""
        self.right = max(self.right, inches)
        canvas.fig.subplots_adjust(right=1 - self.right / chart_style.WIDTH)

    def legend(self, canvas: Canvas, specs: Specs) -> None:
        """The legend under the axes, its grid centred (legend_grid), each key drawn from the spec.

        Placed by arithmetic from measured text widths, like the rest of the layout: matplotlib's
        own legend measures every label to pack its boxes and took a fifth of each chart's drawing.
        """
        grid = self.grid
        if grid is None:
            return
        entries = first_language(specs)["legend"]
        starts, left = [], (chart_style.WIDTH - sum(grid.widths) - LEGEND_GAP_IN * (grid.columns - 1)) / 2
        for width in grid.widths:
            starts.append(left)
            left += width + LEGEND_GAP_IN
        inches = canvas.fig.dpi_scale_trans
        tops = [self.footer_in + sum(grid.rows[row:]) for row in range(len(grid.rows))]
        for index, item in enumerate(entries):
            row, column = divmod(index, grid.columns)
            x, y = starts[column], tops[row] - grid.rows[row] / 2
            draw_legend_key(canvas.fig, item["key"], x, y)
            words = {lang: labels[index] for lang, labels in grid.labels.items()}
            canvas.text(words, x + LEGEND_KEY_IN + KEY_TEXT_IN, y, inches, va="center", size=LEGEND_PT)


def draw_legend_key(fig, key: dict, x: float, y: float) -> None:
    """A legend key (chart_legend) drawn as the chart draws what it stands for: a line with its marker,
    a hollow mark, or a filled box."""
    from matplotlib.lines import Line2D
    from matplotlib.patches import Rectangle

    inches = fig.dpi_scale_trans
    if "box" in key:
        box = Rectangle(
            (x, y - 0.07),
            LEGEND_KEY_IN,
            0.14,
            transform=inches,
            facecolor=key["box"],
            alpha=key.get("alpha"),
            linewidth=0,
        )
        fig.add_artist(box)
        return
    if "mark" in key:
        line = Line2D(
            [x + LEGEND_KEY_IN / 2],
            [y],
            transform=inches,
            linestyle="none",
            marker=key["mark"],
            markersize=key.get("size", 8),
            markerfacecolor="white",
            markeredgecolor=key["edge"],
            markeredgewidth=2,
        )
    else:
        xs = [x, x + LEGEND_KEY_IN / 2, x + LEGEND_KEY_IN]
        line = Line2D(
            xs,
            [y] * 3,
            transform=inches,
            color=key["line"],
            linestyle=key.get("style", "-"),
            linewidth=key.get("width", 2.2),
            marker=key.get("marker") or "None",
            markersize=7,
            markevery=[1],
        )
    line.set_clip_on(False)
    fig.add_artist(line)


def laid_out_canvas(specs: Specs, height: float = 4.4, **layout) -> tuple[Canvas, Layout]:
    from .chart_canvas import Canvas

    layout = Layout(specs, height, **layout)
    canvas = Canvas(specs, height)
    layout.apply(canvas)
    canvas.ax.set_axisbelow(True)
    return canvas, layout

"""A chart's margins and legend, set by arithmetic: Layout takes the room around the axes from the
title, footer, legend and tick labels of whichever language needs more, and lays the legend out under
the axes from estimated text widths; laid_out_canvas makes a Canvas with those margins."""

from __future__ import annotations

from typing import TYPE_CHECKING

from . import chart_style
from .chart_style import (
    BODY_PT,
    CHAR_EM,
    LEFT_IN,
    LEGEND_IN,
    RIGHT_IN,
    SMALL_PT,
    TICKS_IN,
    TITLE_PT,
    Specs,
    first_language,
    in_each_language,
    lines_height,
    text_inches,
    wrap,
)

if TYPE_CHECKING:  # a Canvas is matplotlib's: imported where one is made, not where a chart is only sized
    from .chart_canvas import Canvas


class Layout:
    """Figure margins in inches, from the title, footer, legend and tick labels that go around the axes,
    taken from whichever language needs more room."""

    def __init__(
        self,
        specs: Specs,
        height: float,
        left: float = LEFT_IN,
        legend: bool = False,
        tick_lines: int = 1,
        legend_rows=1,
    ):
        self.title = in_each_language(
            specs, lambda s: "\n".join(wrap(s["title"], int((chart_style.WIDTH - 0.2) * 72 / (TITLE_PT * 0.66))))
        )
        self.footer = in_each_language(
            specs, lambda s: "\n".join(wrap(s.get("footer") or "", int(chart_style.WIDTH * 72 / (SMALL_PT * CHAR_EM))))
        )
        self.height = height
        footer_lines = (
            max(text.count("\n") + 1 for text in self.footer.values()) if first_language(specs).get("footer") else 0
        )
        self.footer_in = lines_height(footer_lines, SMALL_PT) + 0.1
        self.legend_in = LEGEND_IN * legend_rows if legend else 0.0
        self.top_in = lines_height(max(t.count("\n") + 1 for t in self.title.values()), TITLE_PT) + 0.25
        self.bottom_in = self.footer_in + self.legend_in + TICKS_IN + lines_height(tick_lines - 1, BODY_PT)
        self.left = left
        self.has_footer = bool(footer_lines)

    def apply(self, canvas: Canvas) -> None:
        fig = canvas.fig
        fig.subplots_adjust(
            left=self.left / chart_style.WIDTH,
            right=1 - RIGHT_IN / chart_style.WIDTH,
            top=1 - self.top_in / self.height,
            bottom=self.bottom_in / self.height,
        )
        canvas.text(
            self.title,
            0.1 / chart_style.WIDTH,
            1 - 0.12 / self.height,
            fig.transFigure,
            va="top",
            size=TITLE_PT,
            bold=True,
        )
        canvas.title = canvas.labels[-1]
        if self.has_footer:
            canvas.text(
                self.footer,
                0.1 / chart_style.WIDTH,
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
        starts, left = [], (chart_style.WIDTH - sum(widths) - LEGEND_GAP_IN * (columns - 1)) / 2
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
        LEGEND_KEY_IN + 0.1 + max(text_inches(texts[c::columns], LEGEND_PT) for texts in labels.values())
        for c in range(columns)
    ]


def legend_columns(labels: list[str], most: int) -> int:
    """The most columns, up to `most`, whose legend fits the figure's width."""
    for columns in range(max(1, min(most, len(labels))), 1, -1):
        if sum(_legend_column_widths({"": labels}, columns)) + LEGEND_GAP_IN * (columns - 1) <= chart_style.WIDTH - 0.2:
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


def laid_out_canvas(specs: Specs, height: float = 4.4, **layout) -> tuple[Canvas, Layout]:
    from .chart_canvas import Canvas

    layout = Layout(specs, height, **layout)
    canvas = Canvas(specs, height)
    layout.apply(canvas)
    canvas.ax.set_axisbelow(True)
    return canvas, layout

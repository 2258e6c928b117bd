"""A table like the article's summary: a dark header bar, then rows on alternating paper shades.

``SummaryTable`` takes its column headers and its rows (the first cell of a row is any mobject,
e.g. a coloured symbol; the others are strings set in the body face) and lays them out between
``left`` and ``right`` with the top of the header at y = 0. Cells are set at ``size`` and never
shrunk: a cell too long for its column wraps onto more lines and its row grows. ``summary_rows``
sets the formula segment's rows.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from manim import DOWN, LEFT, UP, Animation, FadeIn, LaggedStart, Line, MathTex, Mobject, RoundedRectangle, VGroup

from scenes.parts import text
from scenes.parts.formula_panel import get_q_symbol, get_symbol
from scenes.segments.formula.params import SummaryTableText
from scenes.theme import MATH, TEX_TEMPLATE, TYPE, Theme


class SummaryTable(VGroup):
    """The header bar and one row per entry of ``rows``; ``.header`` and ``.rows`` (each with ``.cells``)."""

    def __init__(self, theme: Theme, headers: Sequence[str], rows: Sequence[Sequence[Any]],
                 column_widths: Sequence[float],
                 left: float, size: float | None = None, header_height: float = 0.55, row_height: float = 0.72,
                 pad: float = 0.2, **kwargs: Any) -> None:
        self.theme = theme
        self.size = TYPE.note if size is None else size
        self.column_widths, self.left, self.pad = column_widths, left, pad
        self.width_ = sum(column_widths)
        self.header = self.get_header(headers, header_height)
        self.rows = VGroup()
        top = -header_height
        for index, cells in enumerate(rows):
            row = self.get_row(cells, top, row_height, shaded=bool(index % 2))
            self.rows.add(row)
            top -= row.height_
        super().__init__(self.header, self.rows, **kwargs)

    def column_lefts(self) -> list[float]:
        """The x of each column's left edge."""
        return [self.left + sum(self.column_widths[:i]) for i in range(len(self.column_widths))]

    def get_header(self, labels: Sequence[str], height: float) -> VGroup:
        theme = self.theme
        """An ink bar across the table with the column names in mono, in paper."""
        bar = RoundedRectangle(width=self.width_, height=height, corner_radius=0.12, fill_color=theme.ink,
                               fill_opacity=1, stroke_width=0)
        bar.move_to([self.left + self.width_ / 2, -height / 2, 0])
        header = VGroup(bar)
        for left, label in zip(self.column_lefts(), labels, strict=False):
            name = text.mono(theme, label, size=TYPE.small, color=theme.page)
            header.add(name.move_to([left + self.pad, -height / 2, 0], aligned_edge=LEFT))
        return header

    def get_row(self, cells: Sequence[Any], top: float, min_height: float, shaded: bool) -> VGroup:
        """A row whose top is at y = ``top``: its first cell as given, the rest as wrapped body text.

        Shaded rows sit on a page2 band; the others get a hairline under them. ``.cells``, ``.height_``.
        """
        theme = self.theme
        first, *words = cells
        made = [first] + [
            text.wrapped(cell, width - 2 * self.pad, lambda line: text.body(theme, line, size=self.size,
                                                                            color=theme.ink2))
            for cell, width in zip(words, self.column_widths[1:], strict=False)
        ]
        height = max(min_height, max(cell.height for cell in made) + 0.3)
        y = top - height / 2
        if shaded:
            ground = RoundedRectangle(width=self.width_, height=height, corner_radius=0.05, fill_color=theme.page2,
                                      fill_opacity=1, stroke_width=0).move_to([self.left + self.width_ / 2, y, 0])
        else:
            ground = Line([self.left, top - height, 0], [self.left + self.width_, top - height, 0],
                          color=theme.page3, stroke_width=2)
        for left, cell in zip(self.column_lefts(), made, strict=False):
            cell.move_to([left + self.pad, y, 0], aligned_edge=LEFT)
        row = VGroup(ground, *made)
        row.cells, row.height_ = made, height
        return row

    def reveal(self, lag_ratio: float = 0.6) -> Animation:
        """The header drops in, then the rows one after another."""
        return LaggedStart(
            FadeIn(self.header, shift=0.1 * DOWN),
            *(FadeIn(row, shift=0.1 * UP) for row in self.rows),
            lag_ratio=lag_ratio,
        )


def summary_rows(theme: Theme, summary: SummaryTableText) -> list[tuple[Mobject, str, str]]:
    """The summary table's rows: each symbol, set as it is everywhere else, then its two cells."""
    size = MATH.row
    sum_divide = MathTex(r"\textstyle\sum", r"\,/\, n", font_size=size, tex_template=TEX_TEMPLATE)
    sum_divide[0].set_color(theme.part_colour("sum"))
    sum_divide[1].set_color(theme.part_colour("inv_n"))
    symbols = (
        get_q_symbol(theme, size),
        text.math(theme, "a", size),
        text.math(theme, "X", size),
        sum_divide,
        get_symbol(theme, "L(a, x_i)", "L", size),
    )
    rows = (summary.risk, summary.model, summary.dataset, summary.sum_divide, summary.loss)
    return [(symbol, row.meaning, row.analogy) for symbol, row in zip(symbols, rows, strict=True)]

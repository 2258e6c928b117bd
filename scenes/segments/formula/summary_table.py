"""A table like the article's summary: a dark header bar, then rows on alternating paper shades.

``SummaryTable`` takes its column headers and its rows (the first cell of a row is any mobject,
e.g. a coloured symbol; the others are strings set in the body face) and lays them out between
``left`` and ``right`` with the top of the header at y = 0. Cells are set at ``size`` and never
shrunk: a cell too long for its column wraps onto more lines and its row grows.
"""

from __future__ import annotations

from manim import DOWN, LEFT, UP, Animation, FadeIn, LaggedStart, Line, RoundedRectangle, VGroup

from scenes import theme
from scenes.parts import text


class SummaryTable(VGroup):
    """The header bar and one row per entry of ``rows``; ``.header`` and ``.rows`` (each with ``.cells``)."""

    def __init__(self, headers, rows, column_widths, left, size=None, header_height=0.55, row_height=0.72,
                 pad=0.2, **kwargs):
        self.size = theme.SMALL_SIZE + 2 if size is None else size
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

    def column_lefts(self):
        """The x of each column's left edge."""
        return [self.left + sum(self.column_widths[:i]) for i in range(len(self.column_widths))]

    def get_header(self, labels, height):
        """An ink bar across the table with the column names in mono, in paper."""
        bar = RoundedRectangle(width=self.width_, height=height, corner_radius=0.12, fill_color=theme.INK,
                               fill_opacity=1, stroke_width=0)
        bar.move_to([self.left + self.width_ / 2, -height / 2, 0])
        header = VGroup(bar)
        for left, label in zip(self.column_lefts(), labels):
            name = text.mono(label, size=theme.SMALL_SIZE, color=theme.PAPER)
            header.add(name.move_to([left + self.pad, -height / 2, 0], aligned_edge=LEFT))
        return header

    def get_row(self, cells, top, min_height, shaded):
        """A row whose top is at y = ``top``: its first cell as given, the rest as wrapped body text.

        Shaded rows sit on a PAPER2 band; the others get a hairline under them. ``.cells``, ``.height_``.
        """
        first, *words = cells
        made = [first] + [
            text.wrapped(cell, width - 2 * self.pad, lambda line: text.body(line, size=self.size, color=theme.INK2))
            for cell, width in zip(words, self.column_widths[1:])
        ]
        height = max(min_height, max(cell.height for cell in made) + 0.3)
        y = top - height / 2
        if shaded:
            ground = RoundedRectangle(width=self.width_, height=height, corner_radius=0.05, fill_color=theme.PAPER2,
                                      fill_opacity=1, stroke_width=0).move_to([self.left + self.width_ / 2, y, 0])
        else:
            ground = Line([self.left, top - height, 0], [self.left + self.width_, top - height, 0],
                          color=theme.PAPER3, stroke_width=2)
        for left, cell in zip(self.column_lefts(), made):
            cell.move_to([left + self.pad, y, 0], aligned_edge=LEFT)
        row = VGroup(ground, *made)
        row.cells, row.height_ = made, height
        return row

    def reveal(self, lag_ratio=0.6) -> Animation:
        """The header drops in, then the rows one after another."""
        return LaggedStart(
            FadeIn(self.header, shift=0.1 * DOWN),
            *(FadeIn(row, shift=0.1 * UP) for row in self.rows),
            lag_ratio=lag_ratio,
        )

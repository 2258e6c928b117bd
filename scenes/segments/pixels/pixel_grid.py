"""A grid of pixels with their numbers: the image, the model's guess, the errors and their squares.

``PixelGrid`` is a grid of rounded squares, each with its number in a counting read-out (glyphs
built once). Every cell's fill and ink are functions of its value, so ``count_to(values)`` moves
all the numbers and recolours every square in one animation, with no copies and no text built
per frame. ``layout(cell, gap)`` respaces the cells (the numbers keep their size), so a grid can
grow to make room for longer numbers. The colour functions here read the storyboard's formulas
from riskmath; text on a grey pixel is black or white by the pixel, not by the theme.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
from manim import Animation, ManimColor, Mobject, RoundedRectangle, VGroup, interpolate_color

from riskmath import error_cell_rgb, round_half_away
from riskmath.pixels import squared_cell_rgb
from scenes import palette
from scenes.parts.counting import LevelReadout
from scenes.theme import TYPE, Theme

ColourOf = Callable[[float], ManimColor]


def rgb_colour(rgb: tuple[int, int, int]) -> ManimColor:
    """A ManimColor from a riskmath (r, g, b) in 0..255."""
    return ManimColor.from_rgb(tuple(c / 255 for c in rgb))


def grey_fill(value: float) -> ManimColor:
    """A grayscale pixel's own colour."""
    level = int(round_half_away(min(max(value, 0), 255)))
    return rgb_colour((level,) * 3)


def grey_ink(value: float) -> ManimColor:
    """Black text on a light pixel, white on a dark one (whatever the theme)."""
    page = palette.THEMES["paper"]
    return ManimColor(page["ink"] if value >= 128 else page["page"])


def heat_fill(error: float) -> ManimColor:
    """The article's colour of an error cell (riskmath.error_cell_rgb)."""
    return rgb_colour(error_cell_rgb(max(error, 0)))


def squared_heat_fill(mean_error: float) -> ColourOf:
    """The colour of a squared error cell, for a grid whose mean error is ``mean_error``."""
    return lambda square: rgb_colour(squared_cell_rgb(max(square, 0), mean_error))


def light_ink(_value: float) -> ManimColor:
    """Text on a heat-coloured cell."""
    return ManimColor(palette.THEMES["paper"]["page"])


class PixelGrid(VGroup):
    """Cells of ``values`` (a 2-D grid), coloured by ``fill_of(value)``, numbers in ``ink_of(value)``.

    ``.squares`` and ``.numbers`` hold the cells' parts in row order; ``.values`` is what they show.
    ``chars`` is the longest number a cell will show (for read-outs that will count further).
    """

    def __init__(self, theme: Theme, values: np.ndarray, fill_of: ColourOf, ink_of: ColourOf, cell: float = 0.76,
                 gap: float = 0.05,
                 size: float = TYPE.label, chars: int | None = None, **kwargs: Any) -> None:
        self.values = np.asarray(values, dtype=float)
        if self.values.ndim != 2 or self.values.size == 0:
            raise ValueError(f"values must be a non-empty 2-D grid, got shape {self.values.shape}")
        self.fill_of, self.ink_of = fill_of, ink_of
        width = chars or max(len(f"{int(v):,}") for v in self.values.flat)
        self.squares, self.numbers = VGroup(), VGroup()
        for value in self.values.flat:
            self.squares.add(RoundedRectangle(width=cell, height=cell, corner_radius=0.07, fill_color=fill_of(value),
                                              fill_opacity=1, stroke_color=theme.page3, stroke_width=1.5))
            self.numbers.add(LevelReadout(value, ink_of, centred=True, places=0, thousands=True, size=size,
                                          width=width, role="mono"))
        super().__init__(self.squares, self.numbers, **kwargs)
        self.layout(cell, gap)

    @property
    def shape(self) -> tuple[int, int]:
        return self.values.shape

    def index(self, cell: tuple[int, int]) -> int:
        return cell[0] * self.shape[1] + cell[1]

    def cell(self, cell: tuple[int, int]) -> VGroup:
        """The square and number of ``cell`` (row, column), as a group (they stay in the grid)."""
        i = self.index(cell)
        return VGroup(self.squares[i], self.numbers[i])

    def layout(self, cell: float, gap: float) -> PixelGrid:
        """Respace the cells ``cell`` wide with ``gap`` between them, about the grid's centre."""
        centre = self.get_center()
        rows, cols = self.shape
        pitch = cell + gap
        for i, (square, number) in enumerate(zip(self.squares, self.numbers, strict=False)):
            r, c = divmod(i, cols)
            square.stretch_to_fit_width(cell).stretch_to_fit_height(cell)
            square.move_to([(c - (cols - 1) / 2) * pitch, ((rows - 1) / 2 - r) * pitch, 0])
            number.move_to(square)
        self.cell_size, self.gap = cell, gap
        self.move_to(centre)
        return self

    def count_to(self, values: np.ndarray, fill_of: ColourOf | None = None, **kwargs: Any) -> Animation:
        """Every number counts to ``values``; squares follow (blending to ``fill_of``'s colours if given)."""
        return _GridCount(self, np.asarray(values, dtype=float), fill_of, **kwargs)

    def scan_sum(self, total: LevelReadout, marker: Mobject, **kwargs: Any) -> Animation:
        """``marker`` steps through the cells in reading order while the read-out ``total`` counts
        their running sum (a for-loop over the pixels); both end on the last cell and the full sum."""
        return _ScanSum(self, total, marker, **kwargs)

    def set_values(self, values: np.ndarray) -> PixelGrid:
        """Show ``values`` now."""
        self.values = np.asarray(values, dtype=float)
        for value, square, number in zip(self.values.flat, self.squares, self.numbers, strict=False):
            square.set_fill(self.fill_of(value))
            number.set_value(value)
        return self


class _GridCount(Animation):
    """Count a PixelGrid's numbers to new values, recolouring its squares along."""

    def __init__(self, grid: PixelGrid, values: np.ndarray, fill_of: ColourOf | None, **kwargs: Any) -> None:
        if values.shape != grid.values.shape:
            raise ValueError(f"a {grid.values.shape} grid cannot count to values of shape {values.shape}")
        self.end_values, self.new_fill_of = values, fill_of
        super().__init__(grid, **kwargs)

    def begin(self) -> None:
        grid = self.mobject
        self.start_values = grid.values.copy()
        self.moving = [i for i, (a, b) in enumerate(zip(self.start_values.flat, self.end_values.flat,
                                                        strict=False)) if a != b]
        if self.new_fill_of is not None:
            self.start_fills = [square.get_fill_color() for square in grid.squares]
            self.end_fills = [self.new_fill_of(v) for v in self.end_values.flat]
            self.moving = list(range(self.end_values.size))
        super().begin()

    def create_starting_mobject(self) -> Mobject:
        return self.mobject  # no copy: the grid redraws itself from its values

    def interpolate_mobject(self, alpha: float) -> None:
        grid, t = self.mobject, self.rate_func(alpha)
        start, end = self.start_values.flat, self.end_values.flat
        for i in self.moving:
            value = end[i] if t >= 1 else start[i] + (end[i] - start[i]) * t
            grid.numbers[i].set_value(value)
            if self.new_fill_of is not None:
                grid.squares[i].set_fill(interpolate_color(self.start_fills[i], self.end_fills[i], t))
            else:
                grid.squares[i].set_fill(grid.fill_of(value))

    def finish(self) -> None:
        super().finish()
        grid = self.mobject
        grid.values = self.end_values.copy()
        if self.new_fill_of is not None:
            grid.fill_of = self.new_fill_of


class _ScanSum(Animation):
    """A marker visiting each cell in turn while a read-out adds up the cells' values."""

    def __init__(self, grid: PixelGrid, total: LevelReadout, marker: Mobject, **kwargs: Any) -> None:
        self.grid, self.total, self.marker = grid, total, marker
        self.partial = np.concatenate([[0.0], np.cumsum(grid.values.flatten())])
        super().__init__(VGroup(total, marker), **kwargs)

    def create_starting_mobject(self) -> Mobject:
        return self.mobject

    def interpolate_mobject(self, alpha: float) -> None:
        count = self.grid.values.size
        position = self.rate_func(alpha) * count
        k = min(int(position), count - 1)
        self.marker.move_to(self.grid.squares[k])
        within = min(position - k, 1.0)
        self.total.set_value(self.partial[k] + within * (self.partial[k + 1] - self.partial[k]))

"""A grid of pixels with their numbers: the image, the model's guess, the errors and their squares.

``PixelGrid`` is a grid of rounded squares, each with its number in a read-out (glyphs built
once). Every cell's fill, ink and outline are functions of its value, so ``set_values(values)``
redraws the whole grid with no text built per frame. ``ErrorGrid`` shows signed errors
(real − guess, outlined in one colour where the guess is too low, another where too high) and
flips cell by cell to their squares. ``Tally`` walks a marker through the cells while read-outs
add up exactly the cells it has passed. ``layout(cell, gap)`` respaces the cells (the numbers keep
their size). The colour functions read the storyboard's formulas from riskmath; text on a grey
pixel is black or white by the pixel, not by the theme.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
from manim import Animation, ManimColor, Mobject, RoundedRectangle, VGroup

from riskmath import error_cell_rgb, round_half_away
from riskmath.pixels import squared_cell_rgb
from scenes import palette
from scenes.parts.counting import LevelReadout
from scenes.parts.readout import Readout
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
    """The article's colour of an error cell (riskmath.error_cell_rgb of its size, whatever its sign)."""
    return rgb_colour(error_cell_rgb(abs(error)))


def squared_heat_fill(mean_error: float) -> ColourOf:
    """The colour of a squared error cell, for a grid whose mean error is ``mean_error``."""
    return lambda square: rgb_colour(squared_cell_rgb(max(square, 0), mean_error))


def light_ink(_value: float) -> ManimColor:
    """Text on a heat-coloured cell."""
    return ManimColor(palette.THEMES["paper"]["page"])


class PixelGrid(VGroup):
    """Cells of ``values`` (a 2-D grid), coloured by ``fill_of(value)``, numbers in ``ink_of(value)``.

    ``.squares`` and ``.numbers`` hold the cells' parts in row order; ``.values`` is what they show.
    ``chars`` is the longest number a cell will show. ``stroke_of(value)``, if given, colours each
    cell's outline (otherwise a hairline in the theme's page3).
    """

    def __init__(self, theme: Theme, values: np.ndarray, fill_of: ColourOf, ink_of: ColourOf, cell: float = 0.76,
                 gap: float = 0.05, size: float = TYPE.label, chars: int | None = None,
                 stroke_of: ColourOf | None = None, **kwargs: Any) -> None:
        self.values = np.asarray(values, dtype=float)
        if self.values.ndim != 2 or self.values.size == 0:
            raise ValueError(f"values must be a non-empty 2-D grid, got shape {self.values.shape}")
        self.theme, self.fill_of, self.ink_of = theme, fill_of, ink_of
        self.stroke_of: ColourOf = stroke_of or (lambda _: theme.page3)
        width = chars or max(len(f"{int(v):,}") for v in self.values.flat)
        self.squares, self.numbers = VGroup(), VGroup()
        for value in self.values.flat:
            self.squares.add(RoundedRectangle(width=cell, height=cell, corner_radius=0.07, fill_color=fill_of(value),
                                              fill_opacity=1, stroke_color=self.stroke_of(value), stroke_width=1.5))
            self.numbers.add(LevelReadout(value, ink_of, centred=True, places=0, thousands=True, size=size,
                                          width=width, role="mono"))
        super().__init__(self.squares, self.numbers, **kwargs)
        self.layout(cell, gap)
        self.set_values(self.values)

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

    def set_values(self, values: np.ndarray) -> PixelGrid:
        """Show ``values`` now: numbers, fills and outlines."""
        self.values = np.asarray(values, dtype=float)
        for i, value in enumerate(self.values.flat):
            self.draw_cell(i, value)
        return self

    def draw_cell(self, i: int, value: float) -> None:
        """Draw cell ``i`` (reading order) showing ``value``."""
        self.squares[i].set_fill(self.fill_of(value)).set_stroke(self.stroke_of(value))
        self.numbers[i].set_value(value)


def shown_values(grid: PixelGrid) -> np.ndarray:
    """The whole numbers ``grid``'s cells show now, read from their read-outs, in the grid's shape."""
    return np.array([shown_number(n) for n in grid.numbers]).reshape(grid.shape)


def shown_number(readout: Readout) -> float:
    """The number a read-out shows, read from its characters ("−1,234" is −1234)."""
    return float(readout.text_for(readout.value).replace(",", "").replace("−", "-").rstrip(readout.suffix or " "))


class ErrorGrid(PixelGrid):
    """Signed errors real − guess, each cell showing its error or, once squared, its square.

    An error's outline says its sign: ``theme.blue`` where the guess is too low (real − guess > 0),
    ``theme.gold`` where it is too high. A squared cell is heat-coloured by its square (riskmath's
    ``squared_cell_rgb`` at the grid's mean error) and loses its outline: a square has no sign.
    """

    SIGN_STROKE = 6.0

    def __init__(self, theme: Theme, errors: np.ndarray, chars: int, **kwargs: Any) -> None:
        self.errors = np.asarray(errors, dtype=int)
        self.squared = np.zeros(self.errors.shape, dtype=bool)
        self.summed: int | None = None  # while a Tally runs: how many cells (in reading order) it has added
        super().__init__(theme, self.errors, heat_fill, light_ink, chars=chars, **kwargs)

    def show(self, errors: np.ndarray | None = None, squared: np.ndarray | None = None) -> ErrorGrid:
        """Show ``errors`` (signed), each cell squared where ``squared`` says (both default to the current)."""
        if errors is not None:
            self.errors = np.asarray(errors, dtype=int)
        if squared is not None:
            self.squared = np.asarray(squared, dtype=bool)
        return self.set_values(np.where(self.squared, self.errors**2, self.errors))

    def draw_cell(self, i: int, value: float) -> None:
        square = self.squares[i]
        error, squared = int(self.errors.flat[i]), bool(self.squared.flat[i])
        if squared:
            fill = squared_heat_fill(float(np.mean(np.abs(self.errors))))(error**2)
            square.set_fill(fill).set_stroke(self.theme.page3, width=1.5)
        else:
            square.set_fill(heat_fill(error)).set_stroke(self.sign_colour(error), width=self.SIGN_STROKE)
        self.numbers[i].set_value(value)

    def sign_colour(self, error: float) -> ManimColor:
        """Blue where the guess was too low, gold where too high, the hairline where it was right."""
        if error == 0:
            return self.theme.page3
        return self.theme.blue if error > 0 else self.theme.gold

    def square_all(self, squared: bool = True, **kwargs: Any) -> Animation:
        """Cell after cell in reading order, each error turns into its square (or back): never in between."""
        return _Flip(self, squared, **kwargs)


class _Flip(Animation):
    """Flip an ErrorGrid's cells one by one between their errors and their squares."""

    def __init__(self, grid: ErrorGrid, squared: bool, **kwargs: Any) -> None:
        self.target = squared
        super().__init__(grid, **kwargs)

    def begin(self) -> None:
        self.start = self.mobject.squared.copy()
        super().begin()

    def create_starting_mobject(self) -> Mobject:
        return self.mobject  # no copy: the grid redraws itself from its values

    def interpolate_mobject(self, alpha: float) -> None:
        grid: ErrorGrid = self.mobject
        count = grid.errors.size
        flipped = count if alpha >= 1 else int(self.rate_func(alpha) * count)
        squared = self.start.copy().reshape(-1)
        squared[:flipped] = self.target
        if (squared != grid.squared.reshape(-1)).any():
            grid.show(squared=squared.reshape(grid.shape))


@dataclass(frozen=True)
class Total:
    """A read-out adding up ``term(value)`` of every cell a Tally has passed."""

    readout: Readout
    term: Callable[[float], float]


class Tally(Animation):
    """A marker visits an ErrorGrid's cells in reading order; each total shows the sum over exactly the
    cells visited, the marked one included (``grid.summed`` says how many). Whole steps: a total never
    shows part of a cell."""

    def __init__(self, grid: ErrorGrid, marker: Mobject, totals: list[Total], **kwargs: Any) -> None:
        self.grid, self.marker, self.totals = grid, marker, totals
        super().__init__(VGroup(marker, *(t.readout for t in totals)), **kwargs)

    @staticmethod
    def start(grid: ErrorGrid, marker: Mobject, totals: list[Total]) -> None:
        """Before it plays: the marker on the first cell, the totals at that cell's terms."""
        Tally.show(grid, marker, totals, 1)

    @staticmethod
    def show(grid: ErrorGrid, marker: Mobject, totals: list[Total], summed: int) -> None:
        values = grid.values.reshape(-1)[:summed]
        grid.summed = summed
        marker.move_to(grid.squares[summed - 1])
        for total in totals:
            total.readout.set_value(sum(total.term(v) for v in values))

    def create_starting_mobject(self) -> Mobject:
        return self.mobject

    def interpolate_mobject(self, alpha: float) -> None:
        count = self.grid.values.size
        summed = count if alpha >= 1 else 1 + min(count - 1, int(self.rate_func(alpha) * count))
        if summed != self.grid.summed:
            self.show(self.grid, self.marker, self.totals, summed)

"""Segment 5: an image is a grid of numbers, and the loss L is arithmetic on two such grids.

The real image turns into its numbers; the model's guess and the signed error grid (real − guess)
join it. One real cell is worked out by hand (the same cell in all three grids), every error is
squared, added up and divided into L, and L's scale is set against the clip bars'. Then the model
goes back to its first guesses and trains: one number (the noise) sweeps, and every frame shows
the model at that noise, its errors, their squares' sum and L all from the same guesses. Last, why
square at all, on this image's own errors. Every figure comes from riskmath (sample_image,
model_output with the worked cell pinned, compare, typical_miss, error_costs); its params, parts
(PixelGrid, ErrorGrid, Tally, LossFraction, ModelTrack, Sweep) and the "why square" panels live
beside it.
"""

import numpy as np
from manim import (
    DOWN,
    LEFT,
    RIGHT,
    UP,
    Animation,
    Create,
    FadeIn,
    FadeOut,
    LaggedStart,
    Line,
    Mobject,
    RoundedRectangle,
    VGroup,
    linear,
    smooth,
    squish_rate_func,
)

from riskmath import model_output, sample_image
from riskmath.pixels import Comparison, compare, error_costs, typical_miss
from riskmath.risk import PIXEL_MAX
from scenes.base import SegmentScene
from scenes.parts import text
from scenes.parts.components import fade_become, fit_width, format_decimal
from scenes.parts.opening_pieces import leave_and_arrive
from scenes.parts.page import PageTitle
from scenes.segments.pixels.params import PixelsParams, format_ratio
from scenes.segments.pixels.pixel_grid import ColourOf, ErrorGrid, PixelGrid, Tally, Total, grey_fill, grey_ink
from scenes.segments.pixels.pixel_parts import LossFraction, ModelTrack, Sweep, grey_legend, sign_legend
from scenes.segments.pixels.why_square import cancel_panel, cost_panel
from scenes.theme import HOLD, SAFE_X, SPACE, TYPE

__all__ = ["PixelsParams", "PixelsScene", "format_ratio"]


class PixelsScene(SegmentScene):
    """The real image, the model's guess and their errors as grids of numbers, reduced to L."""

    scene_name = "pixels"
    Params = PixelsParams
    params: PixelsParams
    beats = ("image_to_numbers", "compare_grids", "worked_pixel", "square_pixel", "square_errors", "average_into_loss",
             "other_scale", "rewind_model", "train_model", "why_no_cancel", "why_big_costs")

    # Layout (frame units): three grids in a row, a band below them for the sum and the model track.
    cell, gap = 0.76, 0.05
    grid_xs = (-4.7, 0.0, 4.7)
    grid_y = 0.45
    band_y = -2.7
    legend_at = (-0.4, -2.0)  # the sign legend, under the middle grid, clear of the track and of L
    big_cell, big_gap, big_centre = 1.08, 0.06, (-3.85, -0.55)
    fraction_x = 3.2  # the right of the band: L, once it is made
    panel_cell, panel_centre = 0.62, (-3.4, 0.7)  # the error grid in "why square"

    @property
    def noise_seed(self) -> int:
        return self.params.seed if self.params.seed is not None else self.seed

    def comparison(self, noise: float) -> Comparison:
        """Every figure at ``noise``, from riskmath: the worked cell pinned, the rest as seeded."""
        real = sample_image()
        return compare(real, model_output(real, noise, self.noise_seed, self.params.pin))

    # Beats.
    def image_to_numbers(self) -> None:
        """A small grey image; then the number behind every square appears in it."""
        p = self.params
        self.figures = self.comparison(p.noise)
        self.page_title = PageTitle(self.theme, p.grid_title)
        self.real_grid = PixelGrid(self.theme, self.figures.real, grey_fill, grey_ink, cell=1.0, gap=0.0)
        self.real_grid.move_to([-3.3, -0.2, 0])
        self.legend = grey_legend(self.theme, p.grid_caption, p.black_word, p.white_word).move_to([3.5, 0.0, 0])
        squares = LaggedStart(*(FadeIn(sq, scale=0.6) for sq in self.real_grid.squares), lag_ratio=0.05)
        self.play(*leave_and_arrive(self.opening, title=self.page_title), run_time=HOLD)
        self.opening = []
        self.play(squares, run_time=p.reveal_seconds)
        self.play(FadeIn(self.legend, shift=0.15 * UP), run_time=HOLD)
        self.play(LaggedStart(*(FadeIn(n, scale=1.3) for n in self.real_grid.numbers), lag_ratio=0.06),
                  run_time=p.reveal_seconds)
        self.add(self.real_grid)  # one mobject again: manim takes the parts out of the animation groups that held them
        self.wait(p.hold_seconds)

    def compare_grids(self) -> None:
        """The image slides left; the guess and the signed errors join it: real − guess = error, outlined by sign."""
        p, fig = self.params, self.figures
        self.output_grid = self.get_grid(fig.output, 1, grey_fill, grey_ink)
        chars = max(len(f"{int(fig.squares.max()):,}"), len(f"−{PIXEL_MAX}"))
        self.error_grid = ErrorGrid(self.theme, fig.signed, chars=chars, cell=self.cell, gap=self.gap)
        self.error_grid.move_to([self.grid_xs[2], self.grid_y, 0])
        self.labels = VGroup(*(self.get_label(t, i) for i, t in enumerate((p.real_label, p.output_label,
                                                                           p.error_label))))
        self.signs = sign_legend(self.theme, self.error_grid, p.too_low_words, p.too_high_words)
        self.signs.move_to([*self.legend_at, 0])
        between = [(self.grid_xs[i] + self.grid_xs[i + 1]) / 2 for i in range(2)]
        self.operators = VGroup(*(text.mono(self.theme, op, TYPE.operator).move_to([x, self.grid_y, 0])
                                  for op, x in zip("−=", between, strict=True)))
        self.retitle(p.compare_title, FadeOut(self.legend),
                     self.real_grid.animate.layout(self.cell, self.gap).move_to([self.grid_xs[0], self.grid_y, 0]))
        self.play(FadeIn(self.labels[0]), FadeIn(self.operators[0]), FadeIn(self.output_grid), FadeIn(self.labels[1]),
                  run_time=p.move_seconds)
        self.play(FadeIn(self.operators[1]), FadeIn(self.error_grid), FadeIn(self.labels[2]), FadeIn(self.signs),
                  run_time=p.move_seconds)
        self.track = ModelTrack(self.theme, p.noise, p.early_label, p.trained_label)
        self.track.move_to([-SAFE_X, self.band_y, 0], aligned_edge=LEFT)
        self.play(FadeIn(self.track, shift=0.1 * UP), run_time=HOLD)
        self.wait(p.hold_seconds)

    def worked_pixel(self) -> None:
        """The same cell in all three grids, ringed, and copied under them: real − guess = error."""
        p, cell = self.params, self.params.worked_cell
        grids = (self.real_grid, self.output_grid, self.error_grid)
        self.rings = VGroup(*(self.get_ring(grid.cell(cell)) for grid in grids))
        self.retitle(p.worked_title, Create(self.rings))
        copies = [grid.cell(cell).copy() for grid in grids]
        error, square = int(self.figures.signed[cell]), int(self.figures.squares[cell])
        minus, equals = (text.mono(self.theme, sign, TYPE.sum_line, self.theme.ink) for sign in "−=")
        base = f"{error}" if error >= 0 else f"(−{-error})"
        squared = text.mono(self.theme, f"{base}² = {square:,}", TYPE.sum_line, self.theme.ink)
        targets = [copy.copy() for copy in copies]
        row = VGroup(targets[0], minus, targets[1], equals, targets[2]).arrange(RIGHT, buff=SPACE.wide)
        row.move_to([self.grid_xs[2], self.band_y + 0.55, 0])
        squared.next_to(row, DOWN, buff=SPACE.wide)
        for copy, target in zip(copies, targets, strict=True):  # they appear in place: nothing flies over the grids
            copy.move_to(target)
        self.play(*(FadeIn(m, shift=0.2 * DOWN) for m in (*copies, minus, equals)), run_time=p.move_seconds)
        self.worked_row, self.worked_square = VGroup(*copies, minus, equals), squared
        self.wait(p.hold_seconds)

    def square_pixel(self) -> None:
        """Its error, squared: 80² = 6,400."""
        self.play(FadeIn(self.worked_square, shift=0.2 * UP), run_time=HOLD)
        self.wait(self.params.hold_seconds)

    def square_errors(self) -> None:
        """The error grid grows; cell by cell each signed error becomes its square, and the big ones heat up."""
        p = self.params
        leaving = (self.real_grid, self.output_grid, self.operators, self.labels[0], self.labels[1], self.worked_row,
                   self.rings, self.track, self.signs)
        label = self.get_label(p.squared_label, 2).move_to([self.big_centre[0], 2.65, 0])
        note = text.body(self.theme, p.square_note, TYPE.label)
        fit_width(note, SAFE_X - 0.2).move_to([self.fraction_x, 1.0, 0])
        gone, then = squish_rate_func(smooth, 0, 0.4), squish_rate_func(smooth, 0.3, 1)  # leave, then move in
        self.retitle(p.square_title, *(FadeOut(m, rate_func=gone) for m in leaving), fade_become(self.labels[2], label),
                     self.error_grid.animate(rate_func=then).layout(self.big_cell, self.big_gap).move_to(
                         [*self.big_centre, 0]),
                     fade_become(self.worked_square, self.worked_square.copy().move_to([self.fraction_x, 2.0, 0]),
                                 out_by=0.3, in_from=0.85))  # out of the grid's way while it passes
        self.play(self.error_grid.square_all(True, rate_func=linear), run_time=2 * p.reveal_seconds)
        self.rings = self.get_ring(self.error_grid.cell(p.worked_cell))
        self.play(Create(self.rings), FadeIn(note, shift=0.1 * UP), run_time=HOLD)
        self.square_note = note
        self.wait(p.hold_seconds)

    def average_into_loss(self) -> None:
        """A marker walks the squares while the sum adds exactly the cells passed; over pixels × 255², it is L."""
        p, fig = self.params, self.figures
        self.fraction = LossFraction(self.theme, fig.total, fig.count, fig.loss, max_total=fig.count * PIXEL_MAX**2)
        self.fraction.move_to([self.fraction_x, 0.6, 0])
        self.fraction.shift([min(0, SAFE_X - self.fraction.get_right()[0]), 0, 0])
        self.notes = VGroup(text.body(self.theme, p.pixels_note.format(count=fig.count), TYPE.small),
                            text.body(self.theme, p.scale_note.format(max=PIXEL_MAX), TYPE.small))
        self.notes.arrange(DOWN, buff=SPACE.snug).next_to(self.fraction, DOWN, buff=SPACE.section)
        marker = self.get_ring(self.error_grid.cell((0, 0)))
        totals = [Total(self.fraction.numerator, lambda v: v)]
        Tally.start(self.error_grid, marker, totals)
        out, then = squish_rate_func(smooth, 0, 0.45), squish_rate_func(smooth, 0.55, 1)  # the note leaves first
        self.retitle(p.average_title, *(FadeOut(m, rate_func=out) for m in (self.rings, self.worked_square,
                                                                            self.square_note)),
                     *(FadeIn(m, rate_func=then) for m in (self.fraction.lhs, self.fraction.numerator, marker)))
        self.play(Tally(self.error_grid, marker, totals, rate_func=linear), run_time=2 * p.reveal_seconds)
        self.play(FadeOut(marker), run_time=0.4)
        self.error_grid.summed = None
        self.play(Create(self.fraction.bar), FadeIn(self.fraction.denominator, shift=0.1 * UP), FadeIn(self.notes),
                  run_time=HOLD)
        self.play(FadeIn(self.fraction.rhs, shift=0.15 * LEFT), run_time=HOLD)
        self.wait(p.hold_seconds)

    def other_scale(self) -> None:
        """L's scale in pixels: this guess's typical miss, and what the worst clip bar would mean on it."""
        p, fig = self.params, self.figures
        words = p.scale_template.format(own=format_decimal(fig.loss, 3), own_miss=typical_miss(fig.loss),
                                        loss=format_decimal(p.bar_loss, 2), miss=typical_miss(p.bar_loss),
                                        max=PIXEL_MAX)
        left = self.error_grid.get_right()[0] + SPACE.block  # the words use the page right of the grid
        self.scale_words = fit_width(text.body(self.theme, words, TYPE.label, self.theme.ink), SAFE_X - left)
        self.scale_words.next_to(self.fraction, DOWN, buff=SPACE.section).set_x((left + SAFE_X) / 2)
        self.retitle(p.scale_title, FadeOut(self.notes, rate_func=squish_rate_func(smooth, 0, 0.5)),
                     FadeIn(self.scale_words, rate_func=squish_rate_func(smooth, 0.5, 1)))
        self.wait(2 * p.hold_seconds)

    def rewind_model(self) -> None:
        """Back to the three grids, with a track from an early model to a trained one; rewind to the start."""
        p = self.params
        after_the_words = squish_rate_func(smooth, 0.3, 1)  # the fraction moves down over where they were
        self.retitle(p.reduce_title, FadeOut(self.scale_words, rate_func=squish_rate_func(smooth, 0, 0.3)),
                     fade_become(self.labels[2], self.get_label(p.error_label, 2)),
                     self.error_grid.square_all(False, rate_func=linear),
                     self.fraction.animate(rate_func=after_the_words).scale(0.85).move_to(
                         [SAFE_X, self.band_y, 0], aligned_edge=RIGHT))
        # The error grid shrinks where it is, then moves back to its column, clear of L and the middle.
        self.play(self.error_grid.animate.layout(self.cell, self.gap), run_time=p.move_seconds / 2)
        self.play(self.error_grid.animate.move_to([self.grid_xs[2], self.grid_y, 0]), run_time=p.move_seconds / 2)
        self.play(*(FadeIn(m) for m in (self.real_grid, self.output_grid, self.operators, self.labels[0],
                                        self.labels[1], self.signs)),
                  FadeIn(self.track), run_time=HOLD)
        self.play(self.sweep_to(p.noise_steps[0]), run_time=p.step_move_seconds)
        self.wait(p.hold_seconds)

    def train_model(self) -> None:
        """Step by step the model improves: its guesses close in, the errors shrink and L falls."""
        p = self.params
        for noise in p.noise_steps[1:]:
            self.play(self.sweep_to(noise), run_time=p.step_move_seconds)
            self.wait(p.step_seconds - p.step_move_seconds)
        if len(p.noise_steps) == 1:
            self.wait(p.hold_seconds)

    def why_no_cancel(self) -> None:
        """This image's own signed errors, added up: too high and too low eat into each other; squared, they can't."""
        p = self.params
        on_page = (self.real_grid, self.output_grid, self.operators, self.labels, self.fraction, self.track, self.signs)
        divider = Line([0, 2.9, 0], [0, -3.5, 0], color=self.theme.page3, stroke_width=2)
        grid = self.error_grid
        bottom = self.panel_centre[1] - 2.5 * (self.panel_cell + self.gap)
        self.cancel = cancel_panel(self.theme, p, bottom, x=self.panel_centre[0])
        totals = [Total(self.cancel.sizes, abs), Total(self.cancel.signed, lambda v: v),
                  Total(self.cancel.squares, lambda v: v * v)]
        gone = squish_rate_func(smooth, 0, 0.4)
        self.retitle(p.why_title, *(FadeOut(m, rate_func=gone) for m in on_page),
                     FadeIn(self.cancel.heading, rate_func=squish_rate_func(smooth, 0.5, 1)),
                     Create(divider), grid.animate(rate_func=squish_rate_func(smooth, 0.3, 1)).layout(
                         self.panel_cell, self.gap).move_to([*self.panel_centre, 0]))
        marker, rows = self.get_ring(grid.cell((0, 0))), self.cancel.rows  # a row: VGroup(row[, note])
        Tally.start(grid, marker, totals)
        self.play(FadeIn(marker), *(FadeIn(row[0]) for row in rows), run_time=HOLD)
        self.play(Tally(grid, marker, totals, rate_func=linear), run_time=2 * p.reveal_seconds)
        self.play(FadeOut(marker), FadeIn(rows[1][1], shift=0.1 * UP), run_time=HOLD)
        grid.summed = None
        self.play(FadeIn(rows[2][1], shift=0.1 * UP), run_time=HOLD)
        self.wait(p.hold_seconds)

    def why_big_costs(self) -> None:
        """A small and a big error as squares: 8× the error costs 64× as much. The page stays."""
        p = self.params
        cost = cost_panel(self.theme, p, error_costs(p.small_error, p.big_error))
        self.play(FadeIn(cost.heading), FadeIn(cost.small, scale=0.5), FadeIn(cost.small_label), run_time=HOLD)
        self.play(FadeIn(cost.big, scale=0.3), FadeIn(cost.big_label), run_time=p.reveal_seconds)
        self.play(FadeIn(cost.ratio, shift=0.15 * UP), run_time=HOLD)
        self.wait(2 * p.hold_seconds)

    # Changing state.
    def retitle(self, words: str, *animations: Animation) -> None:
        """The title gives way to ``words`` while ``animations`` play."""
        new = PageTitle(self.theme, words)
        self.play(self.page_title.give_way_to(new, run_time=self.params.move_seconds), *animations,
                  run_time=self.params.move_seconds)
        self.page_title = new

    def show_model(self, noise: float) -> None:
        """Draw the model at ``noise`` now: its guesses, their signed errors, the squares' sum, L and the track."""
        fig = self.figures = self.comparison(noise)
        self.output_grid.set_values(fig.output)
        self.error_grid.show(fig.signed)
        self.fraction.show(fig.total, fig.loss)
        self.track.set_noise(noise)

    def sweep_to(self, noise: float) -> Animation:
        """The noise sweeps to ``noise``; at every frame every figure is the model's at the noise reached."""
        return Sweep(VGroup(self.output_grid, self.error_grid, self.fraction, self.track), self.track.noise, noise,
                     self.show_model)

    # Building blocks.
    def get_grid(self, values: np.ndarray, column: int, fill_of: ColourOf, ink_of: ColourOf) -> PixelGrid:
        grid = PixelGrid(self.theme, values, fill_of, ink_of, cell=self.cell, gap=self.gap)
        grid.move_to([self.grid_xs[column], self.grid_y, 0])
        return grid

    def get_label(self, words: str, column: int) -> Mobject:
        label = fit_width(text.body(self.theme, words, TYPE.label), 4.0)
        return label.move_to([self.grid_xs[column], self.grid_y + 2.0 + 0.32, 0])

    def get_ring(self, cell: VGroup) -> RoundedRectangle:
        size = cell[0].width + 0.14
        return RoundedRectangle(width=size, height=size, corner_radius=0.12, stroke_color=self.theme.ink,
                                stroke_width=5).move_to(cell[0])

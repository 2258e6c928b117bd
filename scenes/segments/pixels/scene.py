"""Segment 5: an image is a grid of numbers, and the loss L is arithmetic on two such grids.

The real image turns into its numbers; the model's guess and the error grid join it. One real
cell is worked out by hand (the same cell in all three grids), every error is squared, added up
and divided into L. Then the model goes back to its first guesses and trains: its errors shrink
and L falls. Last, why square at all. Every figure comes from riskmath (sample_image,
model_output with the worked cell pinned, compare, cancelling_pair, error_costs); the parts
(PixelGrid, LossFraction, ModelTrack) live in scenes.segments.pixels.pixel_grid and scenes.segments.pixels.pixel_parts.
"""

from typing import Annotated

from manim import DOWN, LEFT, RIGHT, UP, Create, FadeIn, FadeOut, LaggedStart, Line, MathTex, Rectangle, \
    RoundedRectangle, Square, VGroup, smooth, squish_rate_func
from pydantic import Field, model_validator

from riskmath import model_output, sample_image
from riskmath.pixels import Pin, cancelling_pair, compare, error_costs
from riskmath.risk import PIXEL_MAX
from scenes import theme
from scenes.base import SegmentScene
from scenes.parts.components import fade_become, fit_width
from scenes.fields import SceneParams, Seconds, Text
from scenes.parts.opening_pieces import leave_and_arrive
from scenes.parts.page import PageTitle
from scenes.segments.pixels.pixel_grid import PixelGrid, grey_fill, grey_ink, heat_fill, light_ink, squared_heat_fill
from scenes.segments.pixels.pixel_parts import LossFraction, ModelTrack, pixel_note, text

Noise = Annotated[float, Field(gt=0, le=1)]
Pixel = Annotated[int, Field(ge=0, le=PIXEL_MAX)]
Index = Annotated[int, Field(ge=0, le=4)]


class PixelsParams(SceneParams):
    """Noise levels, the worked pixel, texts and timings of the pixels segment (storyboard defaults)."""

    seed: int | None = Field(None, ge=0, le=2**32 - 1)  # None: the video's seed
    noise: Noise = 0.6  # the model when it is first compared (the article's starting 60 %)
    # The model trains through these levels, from its first, roughest guesses.
    noise_steps: list[Noise] = Field(default_factory=lambda: [1.0, 0.8, 0.6, 0.4, 0.2, 0.1], min_length=1, max_length=10)
    worked_cell: tuple[Index, Index] = (1, 1)  # (row, column) of the pixel worked by hand: real 200 there
    worked_output: Pixel = 120  # what the model says there at `noise`
    small_error: int = Field(10, ge=1, le=PIXEL_MAX)
    big_error: int = Field(80, ge=1, le=PIXEL_MAX)
    cancel_error: int = Field(30, ge=1, le=PIXEL_MAX)

    grid_title: Text = "An image is a grid of numbers"
    grid_caption: Text = "Each square is one number"
    black_word: Text = "black"
    white_word: Text = "white"
    compare_title: Text = "Being wrong is just subtraction"
    real_label: Text = "Real image xᵢ"
    output_label: Text = "The model's guess"
    error_label: Text = "Error"
    squared_label: Text = "Error squared"
    worked_title: Text = "One pixel, worked out"
    square_title: Text = "Square every error"
    square_note: Text = "Big errors grow much bigger"
    average_title: Text = "Add them up, divide: that's L"
    pixels_note: Text = "{count} pixels"  # {count}: the image's pixel count
    scale_note: Text = "{max}²: the largest value, squared"  # {max}: 255
    reduce_title: Text = "A better model, a smaller L"
    early_label: Text = "early model"
    trained_label: Text = "trained model"
    why_title: Text = "Why square the errors?"
    cancel_heading: Text = "Errors can't cancel"
    cancel_note: Text = "Added up, the two misses vanish"
    cancel_squared_note: Text = "Squared, both of them count"
    cost_heading: Text = "Big errors cost far more"
    ratio_template: Text = "{error}× the error, {cost}× the cost"

    reveal_seconds: Seconds = 1.5
    move_seconds: Seconds = 1.2
    step_seconds: Seconds = 1.6
    step_move_seconds: Seconds = 1.0
    hold_seconds: Seconds = theme.HOLD

    @model_validator(mode="after")
    def _consistent(self):
        if self.step_move_seconds > self.step_seconds:
            raise ValueError("step_move_seconds must not exceed step_seconds")
        real = int(sample_image()[self.worked_cell])
        model_output(sample_image(), self.noise, 0, self.pin)  # the pinned guess must be reachable
        cancelling_pair(real, self.cancel_error)
        for template, fields in ((self.ratio_template, {"error": 1, "cost": 1}), (self.pixels_note, {"count": 1}),
                                 (self.scale_note, {"max": 1})):
            try:
                template.format(**fields)
            except (KeyError, IndexError, ValueError) as exc:
                raise ValueError(f"{template!r} may only use the fields {sorted(fields)}") from exc
        return self

    @property
    def pin(self):
        """The worked pixel: at the first comparison the model says ``worked_output`` in ``worked_cell``."""
        return Pin(tuple(self.worked_cell), self.worked_output, self.noise)


def format_ratio(value):
    """A ratio as shown: whole numbers plainly, others to one decimal.

    >>> format_ratio(8.0), format_ratio(7.5)
    ('8', '7.5')
    """
    whole = round(value)
    return str(whole) if abs(value - whole) < 1e-9 else f"{value:.1f}"


class PixelsScene(SegmentScene):
    """The real image, the model's guess and their errors as grids of numbers, reduced to L."""

    scene_name = "pixels"
    Params = PixelsParams
    beats = ("image_to_numbers", "compare_grids", "worked_pixel", "square_pixel", "square_errors", "average_into_loss",
             "rewind_model", "train_model", "why_no_cancel", "why_big_costs")

    # Layout (frame units): three grids in a row, a band below them for the sum and the model track.
    cell, gap = 0.76, 0.05
    grid_xs = (-4.7, 0.0, 4.7)
    grid_y = 0.45
    band_y = -2.7
    big_cell, big_gap, big_centre = 1.08, 0.06, (-3.85, -0.55)
    fraction_x = 3.2  # the band: the model track at its left, the worked pixel and then L at its right

    @property
    def noise_seed(self):
        return self.params.seed if self.params.seed is not None else self.seed

    def comparison(self, noise):
        """Every figure at ``noise``, from riskmath: the worked cell pinned, the rest as seeded."""
        real = sample_image()
        return compare(real, model_output(real, noise, self.noise_seed, self.params.pin))

    def setup(self):
        super().setup()
        self.theme_name = theme.THEME  # replaying the previous segment switches the theme (scenes.base.replay)

    # Beats.
    def image_to_numbers(self):
        """A small grey image; then the number behind every square appears in it."""
        theme.use(self.theme_name)
        p = self.params
        self.figures = self.comparison(p.noise)
        self.page_title = PageTitle(p.grid_title)
        self.real_grid = PixelGrid(self.figures.real, grey_fill, grey_ink, cell=1.0, gap=0.0).move_to([-3.3, -0.2, 0])
        self.legend = self.get_legend()
        squares = LaggedStart(*(FadeIn(sq, scale=0.6) for sq in self.real_grid.squares), lag_ratio=0.05)
        self.play(*leave_and_arrive(self.opening, title=self.page_title), run_time=theme.HOLD)
        self.opening = []
        self.play(squares, run_time=p.reveal_seconds)
        self.play(FadeIn(self.legend, shift=0.15 * UP), run_time=theme.HOLD)
        self.play(LaggedStart(*(FadeIn(n, scale=1.3) for n in self.real_grid.numbers), lag_ratio=0.06),
                  run_time=p.reveal_seconds)
        self.add(self.real_grid)  # one mobject again: manim takes the parts out of the animation groups that held them
        self.wait(p.hold_seconds)

    def compare_grids(self):
        """The image slides left; the model's guess and the error grid join it: real − guess = error."""
        p, fig = self.params, self.figures
        self.output_grid = self.get_grid(fig.output, 1, grey_fill, grey_ink)
        chars = len(f"{int(fig.squares.max()):,}")
        self.error_grid = self.get_grid(fig.errors, 2, heat_fill, light_ink, chars=chars)
        self.labels = VGroup(*(self.get_label(t, i) for i, t in enumerate((p.real_label, p.output_label, p.error_label))))
        self.operators = VGroup(*(text(op, 56, theme.INK2, "mono").move_to([(self.grid_xs[i] + self.grid_xs[i + 1]) / 2,
                                                                            self.grid_y, 0]) for i, op in enumerate("−=")))
        self.retitle(p.compare_title, FadeOut(self.legend),
                     self.real_grid.animate.layout(self.cell, self.gap).move_to([self.grid_xs[0], self.grid_y, 0]))
        self.play(FadeIn(self.labels[0]), FadeIn(self.operators[0]), FadeIn(self.output_grid), FadeIn(self.labels[1]),
                  run_time=p.move_seconds)
        self.play(FadeIn(self.operators[1]), FadeIn(self.error_grid), FadeIn(self.labels[2]), run_time=p.move_seconds)
        self.track = ModelTrack(p.noise, p.early_label, p.trained_label)
        self.track.move_to([-theme.SAFE_X, self.band_y, 0], aligned_edge=LEFT)
        self.play(FadeIn(self.track, shift=0.1 * UP), run_time=theme.HOLD)
        self.wait(p.hold_seconds)

    def worked_pixel(self):
        """The same cell in all three grids: real − guess = error."""
        p, cell = self.params, tuple(self.params.worked_cell)
        grids = (self.real_grid, self.output_grid, self.error_grid)
        self.rings = VGroup(*(self.get_ring(grid.cell(cell)) for grid in grids))
        self.retitle(p.worked_title, Create(self.rings))
        copies = [grid.cell(cell).copy() for grid in grids]
        error, square = int(self.figures.errors[cell]), int(self.figures.squares[cell])
        minus, equals = text("−", 44, theme.INK, "mono"), text("=", 44, theme.INK, "mono")
        squared = text(f"{error}² = {square:,}", 44, theme.INK, "mono")
        targets = [copy.copy() for copy in copies]
        row = VGroup(targets[0], minus, targets[1], equals, targets[2]).arrange(RIGHT, buff=0.3)
        row.move_to([self.fraction_x, self.band_y + 0.55, 0])
        squared.next_to(row, DOWN, buff=0.3)
        self.play(*(copy.animate.move_to(target) for copy, target in zip(copies, targets)), FadeIn(minus),
                  FadeIn(equals), run_time=p.move_seconds)
        self.worked_row, self.worked_square = VGroup(*copies, minus, equals), squared
        self.wait(p.hold_seconds)

    def square_pixel(self):
        """Its error, squared: 80² = 6,400."""
        self.play(FadeIn(self.worked_square, shift=0.2 * UP), run_time=theme.HOLD)
        self.wait(self.params.hold_seconds)

    def square_errors(self):
        """The error grid grows; every error counts up to its square, and the big ones heat up."""
        p, fig = self.params, self.figures
        leaving = (self.real_grid, self.output_grid, self.operators, self.labels[0], self.labels[1], self.worked_row,
                   self.rings, self.track)
        label = self.get_label(p.squared_label, 2).move_to([self.big_centre[0], 2.65, 0])
        note = text(p.square_note, theme.LABEL_SIZE, theme.INK2)
        fit_width(note, theme.SAFE_X - 0.2).move_to([self.fraction_x, 1.0, 0])
        gone, then = squish_rate_func(smooth, 0, 0.4), squish_rate_func(smooth, 0.3, 1)  # leave, then move in
        self.retitle(p.square_title, *(FadeOut(m, rate_func=gone) for m in leaving), fade_become(self.labels[2], label),
                     self.error_grid.animate(rate_func=then).layout(self.big_cell, self.big_gap).move_to(
                         [*self.big_centre, 0]),
                     fade_become(self.worked_square, self.worked_square.copy().move_to([self.fraction_x, 2.0, 0]),
                                 out_by=0.3, in_from=0.85))  # out of the grid's way while it passes
        self.play(self.error_grid.count_to(fig.squares, fill_of=squared_heat_fill(fig.mean_error)),
                  run_time=2 * p.reveal_seconds)
        self.rings = self.get_ring(self.error_grid.cell(tuple(p.worked_cell)))
        self.play(Create(self.rings), FadeIn(note, shift=0.1 * UP), run_time=theme.HOLD)
        self.square_note = note
        self.wait(p.hold_seconds)

    def average_into_loss(self):
        """Every square flies into a running total; divided by the pixels and by 255², it is L."""
        p, fig = self.params, self.figures
        self.fraction = LossFraction(fig.total, fig.count, fig.loss, max_total=fig.count * PIXEL_MAX**2)
        self.fraction.move_to([self.fraction_x, 0.6, 0])
        self.fraction.shift([min(0, theme.SAFE_X - self.fraction.get_right()[0]), 0, 0])
        self.fraction.numerator.set_value(0)
        self.notes = VGroup(text(p.pixels_note.format(count=fig.count), theme.SMALL_SIZE, theme.INK2),
                            text(p.scale_note.format(max=PIXEL_MAX), theme.SMALL_SIZE, theme.INK2))
        self.notes.arrange(DOWN, buff=0.15).next_to(self.fraction, DOWN, buff=0.45)
        marker = self.get_ring(self.error_grid.cell((0, 0)))
        self.retitle(p.average_title, FadeOut(self.rings), FadeOut(self.worked_square), FadeOut(self.square_note),
                     FadeIn(self.fraction.lhs), FadeIn(self.fraction.numerator), FadeIn(marker))
        self.play(self.error_grid.scan_sum(self.fraction.numerator, marker, rate_func=lambda t: t),
                  run_time=2 * p.reveal_seconds)
        self.play(FadeOut(marker), run_time=0.4)
        self.play(Create(self.fraction.bar), FadeIn(self.fraction.denominator, shift=0.1 * UP), FadeIn(self.notes),
                  run_time=theme.HOLD)
        self.play(FadeIn(self.fraction.rhs, shift=0.15 * LEFT), run_time=theme.HOLD)
        self.wait(p.hold_seconds)

    def rewind_model(self):
        """Back to the three grids, with a track from an early model to a trained one; rewind to the start."""
        p, fig = self.params, self.figures
        after_the_notes = squish_rate_func(smooth, 0.3, 1)  # the fraction moves down over where they were
        self.retitle(p.reduce_title, FadeOut(self.notes, rate_func=squish_rate_func(smooth, 0, 0.3)),
                     fade_become(self.labels[2], self.get_label(p.error_label, 2)),
                     self.error_grid.count_to(fig.errors, fill_of=heat_fill),
                     self.fraction.animate(rate_func=after_the_notes).scale(0.85).move_to(
                         [theme.SAFE_X, self.band_y, 0], aligned_edge=RIGHT))
        # The error grid shrinks where it is, then moves back to its column, clear of L and the middle.
        self.play(self.error_grid.animate.layout(self.cell, self.gap), run_time=p.move_seconds / 2)
        self.play(self.error_grid.animate.move_to([self.grid_xs[2], self.grid_y, 0]), run_time=p.move_seconds / 2)
        self.play(*(FadeIn(m) for m in (self.real_grid, self.output_grid, self.operators, self.labels[0], self.labels[1])),
                  FadeIn(self.track), run_time=theme.HOLD)
        self.play(*self.step_to(p.noise_steps[0]), run_time=p.step_move_seconds)
        self.wait(p.hold_seconds)

    def train_model(self):
        """Step by step the model improves: its guesses close in, the errors shrink and L falls."""
        p = self.params
        for noise in p.noise_steps[1:]:
            self.play(*self.step_to(noise), run_time=p.step_move_seconds)
            self.wait(p.step_seconds - p.step_move_seconds)
        if len(p.noise_steps) == 1:
            self.wait(p.hold_seconds)

    def why_no_cancel(self):
        """Two misses either side of a pixel: added, they vanish; squared, both count."""
        p = self.params
        pair = cancelling_pair(int(self.figures.real[tuple(p.worked_cell)]), p.cancel_error)
        on_page = (self.real_grid, self.output_grid, self.error_grid, self.operators, self.labels, self.fraction, self.track)
        divider = Line([0, 2.6, 0], [0, -3.5, 0], color=theme.PAPER3, stroke_width=2)
        self.cancel = cancel_panel(p, pair)
        self.retitle(p.why_title, *(FadeOut(m) for m in on_page), FadeIn(self.cancel.heading), Create(divider),
                     FadeIn(self.cancel.sum))
        self.play(FadeIn(self.cancel.note, shift=0.1 * UP), run_time=theme.HOLD)
        self.play(FadeIn(self.cancel.squares), FadeIn(self.cancel.squared_note, shift=0.1 * UP), run_time=p.reveal_seconds)
        self.wait(p.hold_seconds)

    def why_big_costs(self):
        """A small and a big error as squares: 8× the error costs 64× as much. The page stays."""
        p = self.params
        cost = cost_panel(p, error_costs(p.small_error, p.big_error))
        self.play(FadeIn(cost.heading), FadeIn(cost.small, scale=0.5), FadeIn(cost.small_label), run_time=theme.HOLD)
        self.play(FadeIn(cost.big, scale=0.3), FadeIn(cost.big_label), run_time=p.reveal_seconds)
        self.play(FadeIn(cost.ratio, shift=0.15 * UP), run_time=theme.HOLD)
        self.wait(2 * p.hold_seconds)

    # Changing state.
    def retitle(self, words, *animations):
        """The title gives way to ``words`` while ``animations`` play."""
        new = PageTitle(words)
        self.play(self.page_title.give_way_to(new, run_time=self.params.move_seconds), *animations,
                  run_time=self.params.move_seconds)
        self.page_title = new

    def step_to(self, noise):
        """The animations taking the grids, L and the track to the model at ``noise``."""
        fig = self.comparison(noise)
        self.figures = fig
        return [self.output_grid.count_to(fig.output), self.error_grid.count_to(fig.errors),
                *self.fraction.count_to(fig.total, fig.loss), *self.track.move_to_noise(noise)]

    # Building blocks.
    def get_grid(self, values, column, fill_of, ink_of, chars=None):
        grid = PixelGrid(values, fill_of, ink_of, cell=self.cell, gap=self.gap, chars=chars)
        return grid.move_to([self.grid_xs[column], self.grid_y, 0])

    def get_label(self, words, column):
        label = fit_width(text(words, theme.LABEL_SIZE, theme.INK2), 4.0)
        return label.move_to([self.grid_xs[column], self.grid_y + 2.0 + 0.32, 0])

    def get_ring(self, cell):
        size = cell[0].width + 0.14
        return RoundedRectangle(width=size, height=size, corner_radius=0.12, stroke_color=theme.INK, stroke_width=5).move_to(cell[0])

    def get_legend(self):
        """"Each square is one number", over a bar from 0 (black) to 255 (white)."""
        p = self.params
        caption = text(p.grid_caption, theme.BODY_SIZE, theme.INK)
        bar = Rectangle(width=4.2, height=0.45, stroke_color=theme.INK3, stroke_width=1.5, fill_opacity=1)
        bar.set_fill([grey_fill(0), grey_fill(PIXEL_MAX)], opacity=1).set_sheen_direction(RIGHT)
        low = text(f"0 = {p.black_word}", theme.SMALL_SIZE, theme.INK2, "mono").next_to(bar, DOWN, buff=0.15, aligned_edge=LEFT)
        high = text(f"{PIXEL_MAX} = {p.white_word}", theme.SMALL_SIZE, theme.INK2, "mono").next_to(bar, DOWN, buff=0.15,
                                                                                                  aligned_edge=RIGHT)
        legend = VGroup(caption, VGroup(bar, low, high)).arrange(DOWN, buff=0.45)
        return legend.move_to([3.5, 0.0, 0])


def cancel_panel(p, pair):
    """The left half of "why square": (+e) + (−e) = 0, but (+e)² + (−e)² = 2e²."""
    x = -3.4
    a, b = pair.signed
    heading = text(p.cancel_heading, theme.BODY_SIZE, theme.INK).move_to([x, 2.2, 0])
    total = MathTex(f"({a:+d}) + ({b:+d}) = {pair.signed_sum}", font_size=52, color=theme.INK,
                    tex_template=theme.TEX_TEMPLATE).move_to([x, 1.0, 0])
    note = pixel_note(p.cancel_note, total)
    squares = MathTex(f"({a:+d})^2 + ({b:+d})^2 = {pair.squares_sum:,}".replace(",", "{,}"), font_size=52,
                      color=theme.INK, tex_template=theme.TEX_TEMPLATE).move_to([x, -1.1, 0])
    squared_note = pixel_note(p.cancel_squared_note, squares)
    panel = VGroup(heading, total, note, squares, squared_note)
    panel.heading, panel.sum, panel.note, panel.squares, panel.squared_note = heading, total, note, squares, squared_note
    return panel

def cost_panel(p, costs):
    """The right half: squares whose sides are the errors, so their areas are what the errors cost."""
    x, base = 3.4, -1.9
    heading = text(p.cost_heading, theme.BODY_SIZE, theme.INK).move_to([x, 2.2, 0])
    unit = 3.0 / max(costs.big, costs.small)

    def block(error, centre_x):
        side = max(error * unit, 0.06)
        return Square(side, fill_color=heat_fill(error), fill_opacity=1, stroke_width=0).move_to(
            [centre_x, base + side / 2, 0])

    small, big = block(costs.small, x - 1.9), block(costs.big, x + 0.8)
    labels = [MathTex(f"{e}^2 = {s:,}".replace(",", "{,}"), font_size=44, color=theme.INK,
                      tex_template=theme.TEX_TEMPLATE).next_to(sq, DOWN, buff=0.25)
              for e, s, sq in ((costs.small, costs.small_square, small), (costs.big, costs.big_square, big))]
    labels[0].match_y(labels[1])
    ratio = text(p.ratio_template.format(error=format_ratio(costs.error_ratio), cost=format_ratio(costs.cost_ratio)),
                 theme.LABEL_SIZE, theme.INK2).move_to([x, -3.3, 0])
    panel = VGroup(heading, small, big, *labels, ratio)
    panel.heading, panel.small, panel.big, panel.ratio = heading, small, big, ratio
    panel.small_label, panel.big_label = labels
    return panel

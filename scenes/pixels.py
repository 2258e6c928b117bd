"""Segment 5: an image is a grid of numbers, and the loss L is arithmetic on two such grids.

A 5×5 real image, the model's noisy output and their error grid sit side by side. One pixel is
worked out by hand, then every error is squared, summed and averaged into L. The noise drops
step by step and L falls with it. Last, why we square at all. Every figure comes from riskmath
(sample_image, model_output, error_grid, squared_grid, pixel_loss, loss_level, error_cell_rgb).
"""

from dataclasses import dataclass
from typing import Annotated

import numpy as np
from manim import (
    DOWN,
    LEFT,
    RIGHT,
    UL,
    UP,
    Create,
    FadeIn,
    FadeOut,
    LaggedStart,
    Line,
    ManimColor,
    MathTex,
    Rectangle,
    RoundedRectangle,
    Square,
    Transform,
    UpdateFromAlphaFunc,
    VGroup,
    Write,
    interpolate_color,
)
from pydantic import Field, model_validator

from riskmath import (
    error_cell_rgb,
    error_grid,
    loss_level,
    model_output,
    pixel_loss,
    round_half_away,
    sample_image,
    squared_grid,
)
from riskmath.risk import PIXEL_MAX
from scenes import theme
from scenes.base import SegmentScene
from scenes.components import fit_width, format_decimal, get_pill
from scenes.fields import SceneParams, Seconds, Text

Noise = Annotated[float, Field(ge=0, le=1)]
Pixel = Annotated[int, Field(ge=0, le=PIXEL_MAX)]


class PixelsParams(SceneParams):
    """Noise levels, worked numbers, texts and timings of the pixels segment (storyboard defaults)."""

    seed: int | None = Field(None, ge=0, le=2**32 - 1)  # None: the video's seed
    noise: Noise = 0.6  # the first comparison (the article's slider starts at 60)
    # Training: the noise falls through these levels. It starts from a rougher model than the
    # first comparison because L only crosses a colour threshold (0.05) above noise ≈ 0.65.
    noise_steps: list[Noise] = Field(default_factory=lambda: [1.0, 0.8, 0.6, 0.4, 0.2, 0.1], min_length=1, max_length=10)
    worked_real: Pixel = 200
    worked_output: Pixel = 120
    small_error: int = Field(10, ge=1, le=PIXEL_MAX)
    big_error: int = Field(80, ge=1, le=PIXEL_MAX)
    cancel_error: int = Field(30, ge=1, le=PIXEL_MAX)

    grid_title: Text = "An image is a grid of numbers"
    grid_caption: Text = "Each pixel is one number: 0 is black, 255 is white."
    compare_title: Text = "Being wrong is just subtraction"
    worked_title: Text = "One pixel, worked out"
    square_title: Text = "Square, add up, average"
    average_text: Text = "Add the 25 squares,\nthen divide by 25 pixels\nand by 255²."
    reduce_title: Text = "Less noise, smaller loss"
    why_title: Text = "Why square the errors?"
    real_label: Text = "Real xᵢ"
    output_label: Text = "Model output"
    error_label: Text = "Error"
    squared_label: Text = "Error²"
    noise_label: Text = "noise"
    cancel_heading: Text = "Errors can't cancel"
    cancel_note: Text = "Added up, the two mistakes vanish."
    cancel_squared_note: Text = "Squared, both of them count."
    cost_heading: Text = "Big errors cost far more"
    ratio_template: Text = "{error}× the error, {cost}× the cost"

    reveal_seconds: Seconds = 1.5
    move_seconds: Seconds = 1.2
    step_seconds: Seconds = 1.5
    step_move_seconds: Seconds = 1.0
    fade_seconds: Seconds = theme.HOLD  # a heading, label or line fading in
    hold_seconds: Seconds = theme.HOLD
    clear_seconds: Seconds = 1.0

    @model_validator(mode="after")
    def _consistent(self):
        if self.step_move_seconds > self.step_seconds:
            raise ValueError("step_move_seconds must not exceed step_seconds")
        if not (0 <= self.worked_real - self.cancel_error and self.worked_real + self.cancel_error <= PIXEL_MAX):
            raise ValueError("worked_real ± cancel_error must stay within 0..255")
        try:
            self.ratio_template.format(error=1, cost=1)
        except (KeyError, IndexError, ValueError) as exc:
            raise ValueError("ratio_template may only use the fields {error} and {cost}") from exc
        return self


# Figures: pure functions of the params, straight from riskmath, so tests can check what is shown.
@dataclass(frozen=True)
class GridFigures:
    """Everything shown for one noise level: the grids, the sum of squares and L."""

    noise: float
    real: np.ndarray
    output: np.ndarray
    errors: np.ndarray
    squares: np.ndarray
    loss: float

    @property
    def total(self):
        return int(self.squares.sum())

    @property
    def level(self):
        return loss_level(self.loss)

    @property
    def loss_text(self):
        return format_decimal(self.loss, 3)

    @property
    def total_text(self):
        return f"{self.total:,}"

    @property
    def noise_text(self):
        return f"{int(round_half_away(self.noise * 100))}%"


@dataclass(frozen=True)
class WorkedPixel:
    """One pixel by hand: real − output = error, error² = square."""

    real: int
    output: int
    error: int
    square: int


@dataclass(frozen=True)
class WhySquare:
    """The two reasons to square: opposite errors cancel, and big errors cost far more."""

    signed: tuple[int, int]  # real − output for two outputs either side of real
    signed_sum: int
    cancel_squares: tuple[int, int]
    cancel_total: int
    small: int
    big: int
    small_square: int
    big_square: int

    @property
    def error_ratio(self):
        return self.big / self.small

    @property
    def cost_ratio(self):
        return self.big_square / self.small_square


def grid_figures(noise, seed):
    """The GridFigures of the sample image against the model's output at ``noise``."""
    real = sample_image()
    output = model_output(real, noise, seed)
    return GridFigures(
        noise=noise,
        real=real,
        output=output,
        errors=error_grid(real, output),
        squares=squared_grid(real, output),
        loss=pixel_loss(real, output),
    )


def worked_pixel_figures(params):
    """The pixel worked by hand, computed by riskmath on 1×1 grids."""
    real, output = [[params.worked_real]], [[params.worked_output]]
    return WorkedPixel(
        real=params.worked_real,
        output=params.worked_output,
        error=int(error_grid(real, output)[0, 0]),
        square=int(squared_grid(real, output)[0, 0]),
    )


def why_square_figures(params):
    """Figures for "why square": two opposite errors, and a small error against a big one."""
    centre, step = params.worked_real, params.cancel_error
    real, outputs = [[centre, centre]], [[centre - step, centre + step]]
    signed = tuple(int(v) for v in np.subtract(real, outputs)[0])
    cancel = tuple(int(v) for v in squared_grid(real, outputs)[0])
    costs = squared_grid([[params.small_error, params.big_error]], [[0, 0]])[0]
    return WhySquare(
        signed=signed,
        signed_sum=sum(signed),
        cancel_squares=cancel,
        cancel_total=sum(cancel),
        small=params.small_error,
        big=params.big_error,
        small_square=int(costs[0]),
        big_square=int(costs[1]),
    )


def format_ratio(value):
    """A ratio as shown: whole numbers plainly, others to one decimal.

    >>> format_ratio(8.0), format_ratio(7.5), format_ratio(56.25)
    ('8', '7.5', '56.3')
    """
    whole = round(value)
    return str(whole) if abs(value - whole) < 1e-9 else format_decimal(value, 1)


def tex_number(value):
    """An integer for MathTex with a thousands comma that TeX won't space: 6400 → '6{,}400'."""
    return f"{value:,}".replace(",", "{,}")


def rgb_colour(rgb):
    """A ManimColor from a riskmath (r, g, b) in 0..255."""
    return ManimColor.from_rgb(tuple(c / 255 for c in rgb))


def grey_colour(value):
    """A grayscale pixel's colour."""
    return rgb_colour((int(value),) * 3)


def squared_heat(square, scale):
    """The heat colour of a squared error: riskmath's error colour at square / scale.

    With ``scale`` the grid's mean error, a cell at the average error keeps its colour;
    bigger errors get hotter and smaller ones cooler, which is what squaring does to them.
    """
    return rgb_colour(error_cell_rgb(square / max(scale, 1e-9)))


class InPlace(UpdateFromAlphaFunc):
    """UpdateFromAlphaFunc without the starting copy every Animation makes (a Text's is costly)."""

    def create_starting_mobject(self):
        return self.mobject


def fade_opacity(mobject, fade_in, **kwargs):
    """Fade ``mobject`` in or out by its opacity alone (no copies, unlike FadeIn/FadeOut)."""

    def update(mob, alpha):
        mob.set_opacity(alpha if fade_in else 1 - alpha)

    return InPlace(mobject, update, remover=not fade_in, **kwargs)


def glide(mobject, point, fade_out=False):
    """Move ``mobject`` to ``point`` in place (optionally fading it away and removing it)."""
    start, end = mobject.get_center(), np.asarray(point, dtype=float)

    def update(mob, alpha):
        mob.move_to(start + (end - start) * alpha)
        if fade_out:
            mob.set_opacity(1 - alpha)

    return InPlace(mobject, update, remover=fade_out)


def recolour(mobject, colour):
    """Blend ``mobject``'s fill to ``colour``, then remove it (what lies beneath takes over)."""
    start = mobject.get_fill_color()

    def update(mob, alpha):
        mob.set_fill(interpolate_color(start, colour, alpha))

    return InPlace(mobject, update, remover=True)


def second_half(t):
    """A rate function that waits out the first half of an animation, then runs linearly."""
    return max(0.0, 2 * t - 1)


class PixelsScene(SegmentScene):
    """The real image, the model's output and their errors as grids of numbers, reduced to L."""

    scene_name = "pixels"
    Params = PixelsParams
    beats = (
        "show_grid_of_numbers",
        "compare_grids",
        "worked_pixel",
        "square_and_average",
        "reduce_noise",
        "why_square",
        "clear_page",
    )

    # Layout (frame units): three 5×5 grids in a row, a band below them for sums and equations.
    cell = 0.76
    gap = 0.05
    grid_xs = (-4.7, 0.0, 4.7)
    grid_y = 0.35
    band_y = -2.75
    number_size = 22
    squared_size = 20
    equation_size = 40
    slider_length = 1.8

    @property
    def noise_seed(self):
        """The seed for the model's noise: the param, else the video's seed."""
        return self.params.seed if self.params.seed is not None else self.seed

    # Beats.
    def show_grid_of_numbers(self):
        """The real image appears as gray pixels, then the number inside every pixel."""
        p = self.params
        self.figures = grid_figures(p.noise, self.noise_seed)
        self.title_text = self.get_title(p.grid_title)
        self.real_grid = self.get_image_grid(self.figures.real).move_to([0, self.grid_y, 0])
        self.grid_caption = fit_width(self.body(p.grid_caption, color=theme.INK3), 12.8).move_to([0, self.band_y, 0])
        self.play(FadeIn(self.title_text, shift=0.2 * DOWN), run_time=p.fade_seconds)
        self.play(LaggedStart(*(FadeIn(sq, scale=0.8) for sq in self.real_grid.squares), lag_ratio=0.04), run_time=p.reveal_seconds)
        self.wait(p.hold_seconds)
        self.play(LaggedStart(*(Write(n) for n in self.real_grid.numbers), lag_ratio=0.04), run_time=p.reveal_seconds)
        self.play(FadeIn(self.grid_caption, shift=0.15 * UP), run_time=p.fade_seconds)
        self.wait(p.hold_seconds)

    def compare_grids(self):
        """The real image slides left; the model's output and the error grid join it, labelled."""
        p, fig = self.params, self.figures
        self.output_grid = self.get_image_grid(fig.output).move_to([self.grid_xs[1], self.grid_y, 0])
        self.error_grid = self.get_error_grid(fig.errors).move_to([self.grid_xs[2], self.grid_y, 0])
        self.operators = self.get_operators()
        self.labels = VGroup(
            self.get_grid_label(p.real_label, 0),
            self.get_grid_label(p.output_label, 1),
            self.get_grid_label(p.error_label, 2),
        )
        self.slider = self.get_noise_slider(fig)
        self.set_title(p.compare_title, FadeOut(self.grid_caption))
        self.play(
            glide(self.real_grid, [self.grid_xs[0], self.grid_y, 0]),
            FadeIn(self.labels[0]),
            FadeIn(self.slider),
            run_time=p.move_seconds,
        )
        self.play(FadeIn(self.operators[0]), fade_opacity(self.output_grid, fade_in=True), FadeIn(self.labels[1]), run_time=p.move_seconds)
        self.wait(p.hold_seconds)
        self.play(
            FadeIn(self.operators[1]),
            LaggedStart(*(fade_opacity(cell, fade_in=True) for cell in self.error_grid.cells), lag_ratio=0.04),
            FadeIn(self.labels[2]),
            run_time=p.reveal_seconds,
        )
        self.wait(1.5 * p.hold_seconds)

    def worked_pixel(self):
        """One pixel is pulled out of the real image: real − output = error, then error²."""
        p = self.params
        worked = worked_pixel_figures(p)
        self.set_title(p.worked_title)
        row = self.get_worked_row(worked)
        # A paper-coloured veil dims the grids (cheaper than fading 75 cells); the pixel sits above it.
        veil = self.get_veil()
        source = self.find_cell(self.real_grid, worked.real)
        if source is not None:
            lifted = source.copy().set_z_index(2)
            outline = self.get_outline(source).set_z_index(2)
            self.add(lifted)
            self.play(FadeIn(veil), Create(outline), run_time=p.fade_seconds)
            self.play(Transform(lifted, row.real), run_time=p.move_seconds)
            self.remove(lifted)
            self.add(row.real)
        else:
            outline = VGroup()
            self.play(FadeIn(veil), FadeIn(row.real), run_time=p.fade_seconds)
        self.play(FadeIn(row.minus), FadeIn(row.output, shift=0.2 * UP), run_time=p.fade_seconds)
        self.wait(p.hold_seconds)
        self.play(FadeIn(row.equals), FadeIn(row.error, shift=0.2 * UP), run_time=p.fade_seconds)
        self.wait(p.hold_seconds)
        self.play(Write(row.squared), run_time=p.reveal_seconds)
        self.wait(1.5 * p.hold_seconds)
        self.play(FadeOut(row), FadeOut(outline), FadeOut(veil), run_time=p.move_seconds)

    def square_and_average(self):
        """Each error is squared (big ones heat up), the squares are summed and averaged into L."""
        p, fig = self.params, self.figures
        self.set_title(p.square_title)
        squared = self.get_squared_grid(fig).move_to(self.error_grid)
        squared_label = self.get_grid_label(p.squared_label, 2)
        self.play(*self.swap_grid(self.error_grid, squared), Transform(self.labels[2], squared_label), run_time=p.reveal_seconds)
        self.error_grid = squared
        self.wait(2 * p.hold_seconds)
        # Sum: every squared number flies into the numerator.
        self.average_text = self.get_average_text()
        self.equation = self.get_loss_equation(fig)
        flying = [number.copy() for number in squared.numbers]
        self.play(FadeIn(self.average_text), run_time=p.fade_seconds)
        self.play(
            *(glide(n, self.equation.numerator.get_center(), fade_out=True) for n in flying),
            FadeIn(self.equation.numerator, scale=0.8),
            run_time=p.reveal_seconds,
        )
        self.play(FadeIn(self.equation.lhs), Create(self.equation.bar), FadeIn(self.equation.denominator), run_time=p.fade_seconds)
        self.wait(p.hold_seconds)
        self.play(FadeIn(self.equation.result, shift=0.15 * LEFT), run_time=p.fade_seconds)
        self.wait(p.hold_seconds)
        # Back to plain errors, ready for training.
        plain = self.get_error_grid(fig.errors).move_to(self.error_grid)
        plain_label = self.get_grid_label(p.error_label, 2)
        self.play(*self.swap_grid(self.error_grid, plain), Transform(self.labels[2], plain_label), run_time=p.move_seconds)
        self.error_grid = plain

    def reduce_noise(self):
        """The model trains: noise drops step by step; output, errors and L follow, L changes colour."""
        p = self.params
        self.set_title(p.reduce_title)
        for noise in p.noise_steps:
            if noise == self.figures.noise:
                continue
            self.play(*self.noise_step(grid_figures(noise, self.noise_seed)), run_time=p.step_move_seconds)
            if p.step_seconds > p.step_move_seconds:
                self.wait(p.step_seconds - p.step_move_seconds)

    def why_square(self):
        """Squaring keeps opposite errors from cancelling, and makes big errors cost far more."""
        p = self.params
        why = why_square_figures(p)
        grids = VGroup(self.real_grid, self.output_grid, self.error_grid, self.operators, self.labels)
        self.set_title(p.why_title, *(fade_opacity(m, fade_in=False) for m in (grids, self.equation, self.average_text, self.slider)))
        cancel, cost = self.get_cancel_panel(why), self.get_cost_panel(why)
        divider = Line([0, 2.5, 0], [0, -3.4, 0], color=theme.PAPER3, stroke_width=2)
        self.play(FadeIn(cancel.heading), FadeIn(cost.heading), Create(divider), run_time=p.fade_seconds)
        self.play(Write(cancel.sum), FadeIn(cancel.note, rate_func=second_half), run_time=p.fade_seconds)
        self.wait(p.hold_seconds)
        self.play(Write(cancel.squares), run_time=p.reveal_seconds)
        self.play(FadeIn(cancel.squared_note), run_time=p.fade_seconds)
        self.wait(p.hold_seconds)
        self.play(FadeIn(cost.small, scale=0.5), FadeIn(cost.small_label), run_time=p.fade_seconds)
        self.play(FadeIn(cost.big, scale=0.3), FadeIn(cost.big_label), run_time=p.reveal_seconds)
        self.play(FadeIn(cost.ratio, shift=0.15 * UP), run_time=p.fade_seconds)
        self.wait(2 * p.hold_seconds)

    def clear_page(self):
        """Fade everything away for the next segment."""
        self.play(*(FadeOut(mob) for mob in self.mobjects), run_time=self.params.clear_seconds)

    # Changing state.
    def set_title(self, text, *animations):
        """Swap the heading for ``text`` (odometer style), playing ``animations`` alongside."""
        new = self.get_title(text)
        self.play(FadeOut(self.title_text, shift=0.2 * UP), FadeIn(new, shift=0.2 * UP), *animations, run_time=self.params.fade_seconds)
        self.title_text = new

    def swap_grid(self, old, new):
        """Animations turning grid ``old`` into ``new``: squares recolour, changed numbers cross-fade.

        The old squares recolour and are removed at the end, uncovering the new ones laid beneath;
        opacity and colour are animated in place, so no cell is deep-copied (Transform would).
        """
        animations = []
        for a, b in zip(old.squares, new.squares):
            self.bring_to_back(b)
            animations.append(recolour(a, b.get_fill_color()))
        for a, b in zip(old.numbers, new.numbers):
            if a.text == b.text and a.get_color() == b.get_color():
                self.remove(a)  # identical: swap at once, nothing to animate
                self.add(b)
            else:
                animations += [fade_opacity(a, fade_in=False), fade_opacity(b, fade_in=True)]
        return animations

    def noise_step(self, figures):
        """The animations taking the screen from the current figures to ``figures``."""
        output = self.get_image_grid(figures.output).move_to(self.output_grid)
        errors = self.get_error_grid(figures.errors).move_to(self.error_grid)
        animations = self.swap_grid(self.output_grid, output) + self.swap_grid(self.error_grid, errors)
        self.output_grid, self.error_grid = output, errors
        equation = self.get_loss_equation(figures)
        for part in ("numerator", "result"):
            old, new = getattr(self.equation, part), getattr(equation, part)
            if self.equation.keys[part] != equation.keys[part]:
                self.equation.replace_part(part, new)
                self.equation.keys[part] = equation.keys[part]
                animations += [FadeOut(old, shift=0.2 * UP), FadeIn(new, shift=0.2 * UP)]
        slider = self.get_noise_slider(figures)
        old_value = self.slider.value
        self.slider.remove(old_value).add(slider.value)
        self.slider.value = slider.value
        animations += [Transform(self.slider.fill, slider.fill), FadeOut(old_value), FadeIn(slider.value)]
        self.figures = figures
        return animations

    # Building blocks.
    def get_title(self, text):
        """The heading, top left, leaving room for the noise slider on the right."""
        return fit_width(self.heading(text), 9.0).to_corner(UL, buff=0.45)

    def get_cell(self, value, colour, text_colour, size=None):
        """One rounded pixel with its number: VGroup(square, number)."""
        square = RoundedRectangle(
            width=self.cell,
            height=self.cell,
            corner_radius=0.07,
            fill_color=colour,
            fill_opacity=1,
            stroke_color=theme.PAPER3,
            stroke_width=1.5,
        )
        number = self.get_number(str(value), size or self.number_size, text_colour).move_to(square)
        cell = VGroup(square, number)
        cell.square, cell.number = square, number
        return cell

    def get_number(self, text, size, colour):
        """A cell's number, fitted to the cell; copied from a cache (a copy is cheaper than a Text)."""
        cache = self.__dict__.setdefault("_numbers", {})
        key = (text, size, str(colour))
        if key not in cache:
            cache[key] = fit_width(self.mono(text, size=size, color=colour, weight="BOLD"), 0.92 * self.cell)
        return cache[key].copy()

    def get_grid(self, values, colours, text_colours, size=None):
        """A 5×5 (or any shape) grid of cells; ``.cells``, ``.squares``, ``.numbers`` in row order."""
        rows, cols = np.shape(values)
        cells = VGroup()
        for r in range(rows):
            for c in range(cols):
                cell = self.get_cell(int(values[r][c]), colours[r][c], text_colours[r][c], size)
                cell.move_to([c * (self.cell + self.gap), -r * (self.cell + self.gap), 0])
                cells.add(cell)
        grid = VGroup(*cells)
        grid.cells = list(cells)
        grid.squares = [cell.square for cell in cells]
        grid.numbers = [cell.number for cell in cells]
        grid.values = np.asarray(values)
        return grid.move_to([0, 0, 0])

    def get_image_grid(self, values):
        """Gray pixels with their values: dark text on light pixels, light text on dark ones."""
        colours = [[grey_colour(v) for v in row] for row in values]
        text = [[theme.INK if v >= 128 else theme.PAPER for v in row] for row in values]
        return self.get_grid(values, colours, text)

    def get_error_grid(self, errors):
        """The error grid in riskmath's heat colours."""
        colours = [[rgb_colour(error_cell_rgb(int(e))) for e in row] for row in errors]
        return self.get_grid(errors, colours, [[theme.PAPER] * len(row) for row in errors])

    def get_squared_grid(self, figures):
        """The squared errors; cells above the average error heat up, the others cool."""
        scale = float(np.mean(figures.errors))
        colours = [[squared_heat(int(s), scale) for s in row] for row in figures.squares]
        text = [[theme.PAPER] * len(row) for row in figures.squares]
        return self.get_grid(figures.squares, colours, text, size=self.squared_size)

    def get_grid_label(self, text, column):
        """A grid's label just above it."""
        label = fit_width(self.body(text, size=theme.LABEL_SIZE, color=theme.INK2), 4.0)
        top = self.grid_y + (5 * self.cell + 4 * self.gap) / 2
        return label.move_to([self.grid_xs[column], top + 0.32, 0])

    def get_operators(self):
        """'−' between real and output, '=' between output and error."""
        ops = VGroup()
        for tex, x in (("-", (self.grid_xs[0] + self.grid_xs[1]) / 2), ("=", (self.grid_xs[1] + self.grid_xs[2]) / 2)):
            ops.add(MathTex(tex, font_size=64, color=theme.INK2, tex_template=theme.TEX_TEMPLATE).move_to([x, self.grid_y, 0]))
        return ops

    def get_noise_slider(self, figures):
        """'noise', a track filled to the noise level, and the percentage, top right."""
        y = self.title_text.get_y()
        widest = self.mono("100%")
        track = get_pill(self.slider_length, 0.16, theme.PAPER3)
        track.move_to([6.6 - widest.width - 0.2, y, 0], aligned_edge=RIGHT)
        fill = get_pill(figures.noise * self.slider_length, 0.16, theme.INK2).align_to(track, LEFT).set_y(y)
        label = self.mono(self.params.noise_label, color=theme.INK3).next_to(track, LEFT, buff=0.22)
        value = self.mono(figures.noise_text, color=theme.INK).next_to(track, RIGHT, buff=0.2)
        slider = VGroup(label, track, fill, value)
        slider.fill, slider.value = fill, value
        return slider

    def get_veil(self):
        """A translucent paper rectangle over the three grids."""
        side = 5 * self.cell + 4 * self.gap + 0.2
        return Rectangle(width=13.8, height=side, fill_color=theme.PAPER, fill_opacity=0.75, stroke_width=0).set_y(self.grid_y).set_z_index(1)

    def get_outline(self, cell):
        """A red frame around a pulled-out pixel."""
        return RoundedRectangle(
            width=self.cell + 0.1, height=self.cell + 0.1, corner_radius=0.1, stroke_color=theme.RED, stroke_width=4
        ).move_to(cell)

    def find_cell(self, grid, value):
        """The first cell of ``grid`` holding ``value``, or None."""
        for cell, v in zip(grid.cells, grid.values.flat):
            if int(v) == value:
                return cell
        return None

    def get_worked_row(self, worked):
        """One pixel under each grid: real − output = error, and error² = square under the error."""
        y = self.band_y + 0.35
        real = self.get_image_grid([[worked.real]]).move_to([self.grid_xs[0], y, 0])
        output = self.get_image_grid([[worked.output]]).move_to([self.grid_xs[1], y, 0])
        error = self.get_error_grid([[worked.error]]).move_to([self.grid_xs[2], y, 0])
        minus, equals = (op.copy().set_y(y) for op in self.get_operators())
        squared = MathTex(
            f"{worked.error}^2 = {tex_number(worked.square)}",
            font_size=self.equation_size,
            color=theme.INK,
            tex_template=theme.TEX_TEMPLATE,
        )
        squared.next_to(error, DOWN, buff=0.2)
        # Keep the squared line inside the frame if the error cell sits at the right edge.
        squared.shift(LEFT * max(0, squared.get_right()[0] - 6.6))
        row = VGroup(real, minus, output, equals, error, squared)
        row.real, row.minus, row.output, row.equals, row.error, row.squared = real, minus, output, equals, error, squared
        return row

    def get_average_text(self):
        """The recipe for L, left of the equation."""
        text = self.body(self.params.average_text, size=theme.LABEL_SIZE, color=theme.INK3)
        return fit_width(text, 5.6).move_to([-6.6, self.band_y, 0], aligned_edge=LEFT)

    def get_loss_equation(self, figures):
        """L = sum / (25 · 255²) = value, the value in its level's colour; parts are attributes."""
        size, count = self.equation_size, figures.squares.size

        def tex(s, colour=theme.INK):
            return MathTex(s, font_size=size, color=colour, tex_template=theme.TEX_TEMPLATE)

        lhs = tex("L =")
        numerator = tex(tex_number(figures.total))
        denominator = tex(f"{count} \\cdot {PIXEL_MAX}^2")
        width = max(numerator.width, denominator.width) + 0.2
        bar = Line(LEFT * width / 2, RIGHT * width / 2, color=theme.INK, stroke_width=2.5)
        numerator.next_to(bar, UP, buff=0.12)
        denominator.next_to(bar, DOWN, buff=0.12)
        fraction = VGroup(numerator, bar, denominator)
        lhs.next_to(bar, LEFT, buff=0.25)
        result = VGroup(tex("="), tex(figures.loss_text, theme.L_COLOURS[figures.level]))
        result.arrange(RIGHT, buff=0.25).next_to(bar, RIGHT, buff=0.25)
        equation = VGroup(lhs, fraction, result)
        shift = [6.5 - equation.get_right()[0], self.band_y - bar.get_y(), 0]
        equation.shift(shift)
        equation.lhs, equation.numerator, equation.bar, equation.denominator = lhs, numerator, bar, denominator
        equation.result = result
        equation.keys = {"numerator": figures.total_text, "result": (figures.loss_text, figures.level)}

        def replace_part(name, new):
            old = getattr(equation, name)
            parent = fraction if name == "numerator" else equation
            parent.remove(old).add(new)
            setattr(equation, name, new)

        equation.replace_part = replace_part
        return equation

    def get_cancel_panel(self, why):
        """Left panel: +e + (−e) = 0, but (+e)² + (−e)² > 0."""
        p = self.params
        x = -3.45
        heading = fit_width(self.body(p.cancel_heading, color=theme.INK), 6.2).move_to([x, 2.2, 0])
        a, b = why.signed
        total = MathTex(
            f"({a:+d}) + ({b:+d}) = {why.signed_sum}",
            font_size=self.equation_size,
            color=theme.INK,
            tex_template=theme.TEX_TEMPLATE,
        ).move_to([x, 1.05, 0])
        note = fit_width(self.body(p.cancel_note, size=theme.LABEL_SIZE, color=theme.INK3), 6.2).next_to(total, DOWN, buff=0.25)
        sa, sb = why.cancel_squares
        squares = MathTex(
            f"({a:+d})^2 + ({b:+d})^2 = {tex_number(sa)} + {tex_number(sb)} = {tex_number(why.cancel_total)}",
            font_size=36,
            color=theme.INK,
            tex_template=theme.TEX_TEMPLATE,
        )
        fit_width(squares, 6.2).move_to([x, -1.05, 0])
        squared_note = fit_width(self.body(p.cancel_squared_note, size=theme.LABEL_SIZE, color=theme.INK3), 6.2)
        squared_note.next_to(squares, DOWN, buff=0.25)
        panel = VGroup(heading, total, note, squares, squared_note)
        panel.heading, panel.sum, panel.note, panel.squares, panel.squared_note = heading, total, note, squares, squared_note
        return panel

    def get_cost_panel(self, why):
        """Right panel: squares whose sides are the errors, so their areas are the costs."""
        p = self.params
        x, base = 3.45, -1.55
        heading = fit_width(self.body(p.cost_heading, color=theme.INK), 6.2).move_to([x, 2.2, 0])
        unit = 2.6 / max(why.big, why.small)

        def block(error, centre_x):
            side = max(error * unit, 0.05)
            sq = Square(side, fill_color=rgb_colour(error_cell_rgb(error)), fill_opacity=1, stroke_width=0)
            return sq.move_to([centre_x, base + side / 2, 0])

        small, big = block(why.small, x - 1.75), block(why.big, x + 0.9)
        big.add(*self.get_unit_lines(big, why.small * unit, why.big // why.small if why.big % why.small == 0 else 0))
        small_label = MathTex(
            f"{why.small}^2 = {tex_number(why.small_square)}", font_size=36, color=theme.INK, tex_template=theme.TEX_TEMPLATE
        ).next_to(small, DOWN, buff=0.25)
        big_label = MathTex(
            f"{why.big}^2 = {tex_number(why.big_square)}", font_size=36, color=theme.INK, tex_template=theme.TEX_TEMPLATE
        ).next_to(big, DOWN, buff=0.25)
        small_label.match_y(big_label)
        ratio_text = p.ratio_template.format(error=format_ratio(why.error_ratio), cost=format_ratio(why.cost_ratio))
        ratio = fit_width(self.body(ratio_text, size=theme.LABEL_SIZE, color=theme.INK3), 6.2)
        ratio.move_to([x, -3.05, 0])
        panel = VGroup(heading, small, big, small_label, big_label, ratio)
        panel.heading, panel.small, panel.big, panel.ratio = heading, small, big, ratio
        panel.small_label, panel.big_label = small_label, big_label
        return panel

    def get_unit_lines(self, square, unit_side, count):
        """Lines cutting ``square`` into count × count small squares (none unless 2 ≤ count ≤ 16)."""
        if not 2 <= count <= 16:
            return []
        left, bottom = square.get_corner(DOWN + LEFT)[:2]
        side = square.width
        lines = []
        for k in range(1, count):
            offset = k * unit_side
            lines.append(Line([left + offset, bottom, 0], [left + offset, bottom + side, 0]))
            lines.append(Line([left, bottom + offset, 0], [left + side, bottom + offset, 0]))
        for line in lines:
            line.set_stroke(theme.PAPER, width=1.5, opacity=0.6)
        return lines

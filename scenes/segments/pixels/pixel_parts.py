"""The pixels segment's other parts: L as a fraction, the model's progress track, the sweep between models.

``LossFraction``: L(a, xᵢ) = Σ squares / (pixels × 255²) = value, the sum and the value in
read-outs (the value in its level's colour, switching at riskmath's thresholds), the pixel count
from the data. ``ModelTrack``: "early model ——●—— trained model", the viewer's words for how noisy
the model's guesses are. ``Sweep``: one number (the noise) moves, and every frame the scene shows
the model at that noise, every figure derived from the same rounded guesses.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
from manim import DOWN, LEFT, RIGHT, UP, Animation, Dot, Line, Mobject, Rectangle, RoundedRectangle, VGroup

from riskmath.risk import PIXEL_MAX
from scenes.parts import text
from scenes.parts.components import get_pill
from scenes.parts.counting import LevelReadout
from scenes.parts.formula_panel import get_symbol
from scenes.segments.pixels.pixel_grid import ErrorGrid, grey_fill
from scenes.theme import MATH, SPACE, TYPE, Theme


class LossFraction(VGroup):
    """L(a, xᵢ) = total / (count × 255²) = loss; ``.numerator`` and ``.value`` count."""

    def __init__(self, theme: Theme, total: int, count: int, loss: float, size: float = TYPE.fraction,
                 max_total: int | None = None, symbol_size: float = MATH.fraction,
                 value_size: float = TYPE.value) -> None:
        symbol = get_symbol(theme, "L(a, x_i)", "L", font_size=symbol_size)
        equals = text.math(theme, "=", symbol_size)
        ink = theme.ink
        chars = len(f"{max_total if max_total is not None else total:,}")
        self.numerator = LevelReadout(total, lambda _: ink, places=0, thousands=True, size=size, width=chars,
                                      centred=True)
        self.denominator = text.mono(theme, f"{count} × {PIXEL_MAX}²", size, theme.ink)
        width = max(self.numerator.width, self.denominator.width) + 0.25
        self.bar = Line(LEFT * width / 2, RIGHT * width / 2, color=theme.ink, stroke_width=3)
        self.numerator.next_to(self.bar, UP, buff=SPACE.tight)
        self.denominator.next_to(self.bar, DOWN, buff=SPACE.tight)
        self.fraction = VGroup(self.numerator, self.bar, self.denominator)
        symbol.next_to(self.bar, LEFT, buff=SPACE.wide)
        equals.next_to(symbol, RIGHT, buff=SPACE.snug).match_y(self.bar)
        self.fraction.next_to(equals, RIGHT, buff=SPACE.base)
        second = text.math(theme, "=", symbol_size).next_to(self.fraction, RIGHT, buff=SPACE.medium)
        self.value = LevelReadout(loss, theme.l_colour, places=3, size=value_size, role="heading")
        self.value.next_to(second, RIGHT, buff=SPACE.medium)
        self.lhs, self.rhs = VGroup(symbol, equals), VGroup(second, self.value)
        super().__init__(self.lhs, self.fraction, self.rhs)

    def show(self, total: int, loss: float) -> LossFraction:
        """Show the sum ``total`` and L = ``loss`` (riskmath's, from the same squares)."""
        self.numerator.set_value(total)
        self.value.set_value(loss)
        return self


class ModelTrack(VGroup):
    """"early model ——●—— trained model": where the model is between its first guesses and trained."""

    def __init__(self, theme: Theme, noise: float, early: str, trained: str, length: float = 2.3,
                 size: float = TYPE.small) -> None:
        self.theme = theme
        self.length = length
        left_label = text.body(theme, early, size)
        self.track = get_pill(length, 0.14, theme.page3)
        right_label = text.body(theme, trained, size)
        row = VGroup(left_label, self.track, right_label).arrange(RIGHT, buff=SPACE.medium)
        self.fill = self.get_fill(noise)
        self.marker = Dot(self.point(noise), radius=0.13, color=theme.ink)
        super().__init__(row, self.fill, self.marker)
        self.noise = noise

    def point(self, noise: float) -> np.ndarray:
        """Where the marker stands for ``noise``: 1 (the first guesses) at the left, 0 at the right."""
        point: np.ndarray = self.track.get_left() + RIGHT * (1 - noise) * self.length
        return point

    def get_fill(self, noise: float) -> Mobject:
        fill = get_pill(max((1 - noise) * self.length, 0.14), 0.14, self.theme.ink3)
        return fill.move_to(self.track, aligned_edge=LEFT)

    def set_noise(self, noise: float) -> ModelTrack:
        """The marker at ``noise`` now, the filled part of the track up to it."""
        self.noise = noise
        self.marker.move_to(self.point(noise))
        self.fill.become(self.get_fill(noise))
        return self


class Sweep(Animation):
    """The noise moves from where it is to ``end``; every frame ``show(noise)`` draws that model."""

    def __init__(self, mobject: Mobject, start: float, end: float, show: Callable[[float], None],
                 **kwargs: Any) -> None:
        self.start, self.end, self.show = start, end, show
        super().__init__(mobject, **kwargs)

    def create_starting_mobject(self) -> Mobject:
        return self.mobject  # no copy: the parts redraw themselves

    def interpolate_mobject(self, alpha: float) -> None:
        t = 1.0 if alpha >= 1 else self.rate_func(alpha)
        self.show(self.start + (self.end - self.start) * t)


def pixel_note(theme: Theme, words: str, target: Mobject, size: float = TYPE.small) -> Mobject:
    """A short note in ink2 under ``target``."""
    return text.body(theme, words, size).next_to(target, DOWN, buff=SPACE.small)


def grey_legend(theme: Theme, caption: str, black: str, white: str) -> VGroup:
    """``caption`` over a bar from 0 (``black``) to 255 (``white``)."""
    words = text.body(theme, caption, TYPE.body, theme.ink)
    bar = Rectangle(width=4.2, height=0.45, stroke_color=theme.ink3, stroke_width=1.5, fill_opacity=1)
    bar.set_fill([grey_fill(0), grey_fill(PIXEL_MAX)], opacity=1).set_sheen_direction(RIGHT)
    low = text.mono(theme, f"0 = {black}", TYPE.small).next_to(bar, DOWN, buff=SPACE.snug, aligned_edge=LEFT)
    high = text.mono(theme, f"{PIXEL_MAX} = {white}", TYPE.small).next_to(bar, DOWN, buff=SPACE.snug,
                                                                         aligned_edge=RIGHT)
    return VGroup(words, VGroup(bar, low, high)).arrange(DOWN, buff=SPACE.section)


def sign_legend(theme: Theme, grid: ErrorGrid, too_low: str, too_high: str) -> VGroup:
    """Two outlined swatches, in the error grid's sign colours: what each outline means."""
    entries = []
    for error, words in ((1, too_low), (-1, too_high)):
        swatch = RoundedRectangle(width=0.3, height=0.3, corner_radius=0.05, fill_opacity=0,
                                  stroke_color=grid.sign_colour(error), stroke_width=grid.SIGN_STROKE)
        entries.append(VGroup(swatch, text.body(theme, words, TYPE.small)).arrange(RIGHT, buff=SPACE.xs))
    return VGroup(*entries).arrange(DOWN, buff=SPACE.xs, aligned_edge=LEFT)

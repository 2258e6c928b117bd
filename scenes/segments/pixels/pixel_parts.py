"""The pixels segment's other parts: L as a fraction that counts, and the model's progress track.

``LossFraction``: L(a, xᵢ) = Σ squares / (pixels × 255²) = value, the sum and the value in
counting read-outs (the value in its level's colour, switching at riskmath's thresholds), the
pixel count from the data. ``ModelTrack``: "early model ——●—— trained model", the viewer's
words for how noisy the model's guesses are; ``move_to(noise)`` slides the marker.
"""

from __future__ import annotations

import numpy as np
from manim import DOWN, LEFT, RIGHT, UP, Animation, Dot, Line, Mobject, Transform, VGroup

from riskmath.risk import PIXEL_MAX
from scenes.parts import text
from scenes.parts.components import get_pill
from scenes.parts.counting import LevelReadout
from scenes.parts.formula_panel import get_symbol
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

    def count_to(self, total: int, loss: float) -> list[Animation]:
        return [self.numerator.count_to(total), self.value.count_to(loss)]


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

    def move_to_noise(self, noise: float) -> list[Animation]:
        """The marker slides to ``noise``, the filled part of the track following."""
        self.noise = noise
        return [self.marker.animate.move_to(self.point(noise)), Transform(self.fill, self.get_fill(noise))]


def pixel_note(theme: Theme, words: str, target: Mobject, size: float = TYPE.small) -> Mobject:
    """A short note in ink2 under ``target``."""
    return text.body(theme, words, size).next_to(target, DOWN, buff=SPACE.small)

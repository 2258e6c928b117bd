"""The pixels segment's other parts: L as a fraction that counts, and the model's progress track.

``LossFraction``: L(a, xᵢ) = Σ squares / (pixels × 255²) = value, the sum and the value in
counting read-outs (the value in its level's colour, switching at riskmath's thresholds), the
pixel count from the data. ``ModelTrack``: "early model ——●—— trained model", the viewer's
words for how noisy the model's guesses are; ``move_to(noise)`` slides the marker.
"""

from __future__ import annotations

from manim import DOWN, LEFT, RIGHT, UP, Dot, Line, MathTex, Text, Transform, VGroup

from riskmath import loss_level
from riskmath.risk import PIXEL_MAX
from scenes import theme
from scenes.parts.components import drop_svg_paths, get_pill, get_symbol
from scenes.parts.counting import LevelReadout


def text(words: str, size: float, colour, role: str = "body") -> Text:
    return drop_svg_paths(Text(words, font=theme.font(role), font_size=size, color=colour))


def l_colour(loss: float):
    """L's colour at its level (the storyboard's thresholds), in the theme in use."""
    return theme.L_COLOURS[loss_level(loss)]


class LossFraction(VGroup):
    """L(a, xᵢ) = total / (count × 255²) = loss; ``.numerator`` and ``.value`` count."""

    def __init__(self, total: int, count: int, loss: float, size: float = 34, max_total: int | None = None):
        symbol = get_symbol("L(a, x_i)", "L", font_size=size + 8)
        equals = MathTex("=", font_size=size + 8, color=theme.INK, tex_template=theme.TEX_TEMPLATE)
        ink = theme.INK
        chars = len(f"{max_total if max_total is not None else total:,}")
        self.numerator = LevelReadout(total, lambda _: ink, places=0, thousands=True, size=size, width=chars,
                                      centred=True)
        self.denominator = text(f"{count} × {PIXEL_MAX}²", size, theme.INK, "mono")
        width = max(self.numerator.width, self.denominator.width) + 0.25
        self.bar = Line(LEFT * width / 2, RIGHT * width / 2, color=theme.INK, stroke_width=3)
        self.numerator.next_to(self.bar, UP, buff=0.14)
        self.denominator.next_to(self.bar, DOWN, buff=0.14)
        self.fraction = VGroup(self.numerator, self.bar, self.denominator)
        symbol.next_to(self.bar, LEFT, buff=0.3)
        equals.next_to(symbol, RIGHT, buff=0.15).match_y(self.bar)
        self.fraction.next_to(equals, RIGHT, buff=0.2)
        second = MathTex("=", font_size=size + 8, color=theme.INK, tex_template=theme.TEX_TEMPLATE).next_to(self.fraction, RIGHT, buff=0.25)
        self.value = LevelReadout(loss, l_colour, places=3, size=size + 14, role="heading")
        self.value.next_to(second, RIGHT, buff=0.25)
        self.lhs, self.rhs = VGroup(symbol, equals), VGroup(second, self.value)
        super().__init__(self.lhs, self.fraction, self.rhs)

    def count_to(self, total: int, loss: float) -> list:
        return [self.numerator.count_to(total), self.value.count_to(loss)]


class ModelTrack(VGroup):
    """"early model ——●—— trained model": where the model is between its first guesses and trained."""

    def __init__(self, noise: float, early: str, trained: str, length: float = 2.3, size: float = theme.SMALL_SIZE):
        self.length = length
        left_label = text(early, size, theme.INK2)
        self.track = get_pill(length, 0.14, theme.PAPER3)
        right_label = text(trained, size, theme.INK2)
        row = VGroup(left_label, self.track, right_label).arrange(RIGHT, buff=0.25)
        self.fill = self.get_fill(noise)
        self.marker = Dot(self.point(noise), radius=0.13, color=theme.INK)
        super().__init__(row, self.fill, self.marker)
        self.noise = noise

    def point(self, noise: float):
        """Where the marker stands for ``noise``: 1 (the first guesses) at the left, 0 at the right."""
        return self.track.get_left() + RIGHT * (1 - noise) * self.length

    def get_fill(self, noise: float):
        fill = get_pill(max((1 - noise) * self.length, 0.14), 0.14, theme.INK3)
        return fill.move_to(self.track, aligned_edge=LEFT)

    def move_to_noise(self, noise: float) -> list:
        """The marker slides to ``noise``, the filled part of the track following."""
        self.noise = noise
        return [self.marker.animate.move_to(self.point(noise)), Transform(self.fill, self.get_fill(noise))]


def pixel_note(words: str, target, size: float = theme.SMALL_SIZE):
    """A short note in ink2 under ``target``."""
    return text(words, size, theme.INK2).next_to(target, DOWN, buff=0.18)

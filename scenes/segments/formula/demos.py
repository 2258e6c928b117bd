"""The formula segment's small demonstrations, as mobjects that know their own moves.

``MeterDemo``: a loss on a meter from "spot on" to "way off" (Q's, then one example's L).
``LoopDemo``: Σ as a for-loop, its counter i and its running total counting chip by chip.
``AverageRow``: a dataset's chips, their sum and the sum divided by n (what 1/n does).
Each is built from figures the scene got from riskmath; each only formats and draws them.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from manim import (
    DOWN,
    LEFT,
    RIGHT,
    UP,
    Animation,
    AnimationGroup,
    Arrow,
    Create,
    FadeIn,
    LaggedStart,
    ManimColor,
    Mobject,
    RoundedRectangle,
    VGroup,
    smooth,
    squish_rate_func,
    there_and_back,
)

from scenes.parts import text
from scenes.parts.meter import MistakeMeter
from scenes.parts.readout import Readout, format_value
from scenes.segments.formula.cards import CodeBlock, word_colour
from scenes.segments.formula.chips import TIGHT_PAD, Chip, chip_row, pulse_in_turn
from scenes.theme import MATH, SPACE, TYPE, Theme

READOUT_SIZE = TYPE.readout


def readout_width(*values: float, places: int = 2) -> int:
    """How many characters a read-out needs to show every one of ``values``."""
    return max(len(format_value(value, places)) for value in values)


class MeterDemo(VGroup):
    """A loss on a meter from 0 ("spot on") up: whose it is, ``symbol`` = the loss, a bar in ``colour``.

    Built with the track's left end at x = 0, y = 0, showing ``level``; ``fill(loss)`` takes the number to
    ``loss`` (counting up or down), the bar following it.
    """

    def __init__(self, theme: Theme, name: str, symbol: Mobject, colour: ManimColor, width: float, low_words: str,
                 high_words: str, level: float = 0.0, **kwargs: Any) -> None:
        self.meter = MistakeMeter(theme, name, level, width, colour)
        self.meter.shift(-self.meter.track.get_left())
        equals = text.mono(theme, "=", size=TYPE.label, color=theme.ink2).next_to(self.meter.number, LEFT,
                                                                                  buff=SPACE.snug)
        self.symbol = VGroup(symbol, equals)
        symbol.next_to(equals, LEFT, buff=SPACE.snug)
        symbol.shift((self.meter.number.get_bottom()[1] - symbol[0][2].get_bottom()[1]) * UP)  # "a" on the baseline
        ends = [text.body(theme, words, size=TYPE.note, color=theme.ink2) for words in (low_words, high_words)]
        self.ends = VGroup(*ends)
        ends[0].next_to(self.meter.track, DOWN, buff=SPACE.base).align_to(self.meter.track, LEFT)
        ends[1].next_to(self.meter.track, DOWN, buff=SPACE.base).align_to(self.meter.track, RIGHT)
        super().__init__(self.meter, self.symbol, self.ends, **kwargs)

    def enter(self) -> Animation:
        """The meter appears at its level, with what it measures and its two ends."""
        return AnimationGroup(self.meter.enter(), FadeIn(VGroup(self.symbol, self.ends)))

    def fill(self, loss: float) -> list[Animation]:
        """The number counts to ``loss``, the bar following it frame by frame."""
        return self.meter.shrink_to(loss)


def placed_chips(theme: Theme, numbers: Sequence[str], labels: Sequence[str], left: float, y: float,
                 pitch: float) -> VGroup:
    """The examples' chips in a row: the first one's left edge at x = ``left``, their boxes centred on y."""
    chips = chip_row(theme, numbers, labels, pitch=pitch)
    return chips.shift([left - chips[0].box.get_left()[0], y - chips[0].box.get_y(), 0])


def copy_line(theme: Theme, chips: VGroup, y: float) -> VGroup:
    """A copy of ``chips`` (their numbers, no names) on the line at ``y``, each under its original."""
    line = VGroup(*(Chip(theme, chip.number.text, width=chip.box.width, pad=TIGHT_PAD) for chip in chips))
    for copy, chip in zip(line, chips, strict=False):
        copy.move_to([chip.box.get_x(), y, 0])
    return line


class LoopDemo(VGroup):
    """Σ as code: the for-loop on a card (``.code``), its counter i (up to ``n``) and a running total.

    Laid out by the scene; ``turn(chip, i, total)`` is one turn of the loop over ``chip``.
    """

    def __init__(self, theme: Theme, code_lines: Sequence[str], n: int, max_total: float, colour: ManimColor,
                 total_label: str, **kwargs: Any) -> None:
        self.code = CodeBlock(theme, code_lines, colour)
        self.i_label = text.mono(theme, "i =", size=READOUT_SIZE, color=theme.ink2)
        self.i = Readout(1, places=0, size=READOUT_SIZE, color=theme.ink, width=len(str(n)))
        self.counter = VGroup(self.i_label, self.i).arrange(RIGHT, buff=SPACE.base, aligned_edge=DOWN)
        self.total_label = text.mono(theme, total_label, size=READOUT_SIZE, color=theme.ink2)
        self.total = Readout(0.0, size=READOUT_SIZE, color=theme.ink, width=readout_width(0.0, max_total))
        self.running = VGroup(self.total_label, self.total).arrange(RIGHT, buff=SPACE.medium, aligned_edge=DOWN)
        self.marker = RoundedRectangle(width=1, height=1, corner_radius=0.12, stroke_color=colour, stroke_width=5,
                                       fill_opacity=0)
        super().__init__(self.code, self.counter, self.running, **kwargs)

    def ring(self, chip: VGroup) -> RoundedRectangle:
        """The marker, sized and placed around ``chip``'s box."""
        return self.marker.stretch_to_fit_width(chip.box.width + 0.22).stretch_to_fit_height(
            chip.box.height + 0.22).move_to(chip.box)

    def start(self, chip: VGroup) -> list[Animation]:
        """The loop begins: the band lights its body line, the marker rings the first chip."""
        return [self.code.highlight(-1), Create(self.ring(chip))]

    def turn(self, chip: Chip, index: int, total: float) -> list[Animation]:
        """One turn: the marker moves to ``chip``, the chip swells as it is counted, and then i becomes ``index``
        and the total ``total`` together: the total always adds up the chips i has counted."""
        landing = {"rate_func": landed}
        first = [FadeIn(self.counter, **landing)] if index == 1 else []  # i shows once it has counted a chip
        return [self.marker.animate(rate_func=squish_rate_func(smooth, 0, 0.4)).move_to(chip.box),
                chip.animate(rate_func=squish_rate_func(there_and_back, 0.4, 1)).scale(1.12),
                self.i.count_to(index, **landing), self.total.count_to(total, **landing), *first]


def landed(t: float) -> float:
    """A rate function that changes nothing until the very end: a figure that changes on landing.

    The last frame's t may fall a rounding error short of 1 (its run time is fitted to whole frames).

    >>> landed(0.99), landed(1 - 1e-12), landed(1.0)
    (0.0, 1.0, 1.0)
    """
    return 1.0 if t >= 1 - 1e-6 else 0.0


def n_label(theme: Theme, n: int) -> Mobject:
    """How many examples a row of chips holds: "n = 5"."""
    return text.mono(theme, f"n = {n}", size=TYPE.label, color=theme.ink2)


class AverageRow(VGroup):
    """"n = …", a dataset's chips, their sum, an arrow "÷ n" and the average: what 1/n does to a sum.

    The scene places the chips; the row puts its label left of them and its sum, arrow and
    average in the columns at ``sum_x`` and ``average_x``, on the line of ``y``. A label or a sum
    already on screen (``label``, ``sum_readout``) is taken over as it is.
    """

    def __init__(self, theme: Theme, chips: VGroup, n: int, total: float, average: float, average_colour: ManimColor,
                 y: float, label_x: float, sum_x: float, average_x: float, sum_readout: Readout | None = None,
                 label: Mobject | None = None, **kwargs: Any) -> None:
        self.chips, self.n, self.total_value, self.average_value = chips, n, total, average
        self.average_colour = average_colour
        width = readout_width(total, average)
        self.label = label if label is not None else n_label(theme, n).move_to([label_x, y, 0], aligned_edge=LEFT)
        self.sum = sum_readout if sum_readout is not None else Readout(total, size=READOUT_SIZE, color=theme.ink,
                                                                       width=width)
        self.sum_place = [sum_x, y, 0]
        if sum_readout is None:
            self.sum.move_to(self.sum_place)
        self.average = Readout(average, size=READOUT_SIZE, color=average_colour, width=width).move_to(
            [average_x, y, 0])
        start = sum_x + self.sum.width / 2 + 0.15
        end = average_x - self.average.width / 2 - 0.35
        blue = theme.part_colour("inv_n")  # what 1/n does
        self.arrow = Arrow([start, y, 0], [end, y, 0], buff=0, stroke_width=4, color=blue,
                           max_tip_length_to_length_ratio=0.2, tip_length=0.18)
        self.divide = text.mono(theme, f"÷ {n}", size=TYPE.note, color=word_colour(theme, blue))
        self.divide.next_to(self.arrow, UP, buff=SPACE.tiny)
        super().__init__(self.label, self.chips, self.sum, self.arrow, self.divide, self.average, **kwargs)

    def add_up(self) -> list[Animation]:
        """The chips are counted in turn, then the sum shows their total (it appears with its value)."""
        return [pulse_in_turn(self.chips, lag_ratio=0.3), FadeIn(self.sum, rate_func=landed)]

    def show_division(self) -> Animation:
        """The arrow and "÷ n" appear, then the average: the sum ÷ n (in Q's level colour)."""
        return LaggedStart(Create(self.arrow), FadeIn(self.divide, shift=0.1 * DOWN),
                           FadeIn(self.average, shift=0.3 * RIGHT), lag_ratio=0.4)


def sum_header(theme: Theme, words: str, font_size: float = MATH.small, size: float | None = None) -> VGroup:
    """Σ in its page colour beside ``words``: the heading of a column of sums."""
    size = TYPE.note if size is None else size
    sigma = text.math(theme, r"\textstyle\sum", font_size)
    sigma.set_color(theme.part_colour("sum"))
    return VGroup(sigma, text.body(theme, words, size=size, color=theme.ink2)).arrange(RIGHT, buff=SPACE.snug)

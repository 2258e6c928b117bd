"""Σ and 1/n as pictures: every clip's loss as a block that flies onto one pile, then the pile shared out.

``LossPile`` holds a block per chip (height = the chip's loss × ``scale``, in the clip's colour), the
pile's place beside the chips, a running total that counts a block when it lands on the pile (never
before), and the shares: n equal blocks, each the pile's height ÷ n, one over each chip, with Q's
line at that height. Heights and numbers come from the chips' own figures; the pile only adds and
divides what is on screen.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
from manim import (
    DOWN,
    LEFT,
    RIGHT,
    UP,
    Animation,
    AnimationGroup,
    DashedLine,
    FadeIn,
    LaggedStart,
    Rectangle,
    ReplacementTransform,
    VGroup,
)

from scenes.parts import text
from scenes.parts.readout import Readout
from scenes.segments.formula.demos import landed
from scenes.theme import MATH, SPACE, TYPE, Theme

BLOCK_WIDTH = 0.8


class LossPile(VGroup):
    """Blocks for ``losses`` over ``chips`` (their boxes' x), a pile at x = ``pile_x`` and the shares.

    ``floor`` is the y every block stands on; ``scale`` frame units per unit of loss.
    ``.blocks`` (``.loss`` on each), ``.total`` (the pile's running total), ``.shares``, ``.average``.
    """

    def __init__(self, theme: Theme, chips: VGroup, losses: Sequence[float], pile_x: float, floor: float,
                 scale: float, **kwargs: Any) -> None:
        self.theme, self.losses, self.scale, self.floor = theme, tuple(losses), scale, floor
        self.n = len(self.losses)
        self.pile_x = pile_x
        self.sharing = False  # True once the pile is being shared out
        self.blocks = VGroup(*(self.block(loss, theme.clip_colour(i), chip.box.get_x())
                               for i, (loss, chip) in enumerate(zip(self.losses, chips, strict=True))))
        tops = np.cumsum((0.0, *self.losses))
        self.places = [np.array([pile_x, floor + scale * (low + high) / 2, 0]) for low, high in zip(tops, tops[1:])]
        sigma = text.math(theme, r"\textstyle\sum", MATH.small).set_color(theme.part_colour("sum"))
        self.total = Readout(0.0, size=TYPE.readout, color=theme.ink, width=len(f"{sum(self.losses):.2f}"))
        self.total_row = VGroup(sigma, text.mono(theme, "=", size=TYPE.label, color=theme.ink2),
                                self.total).arrange(RIGHT, buff=SPACE.snug)
        self.total_row.next_to([pile_x + BLOCK_WIDTH / 2, floor, 0], RIGHT, buff=SPACE.wide).align_to(
            [0, floor, 0], DOWN)
        self.average_value = float(np.sum(self.losses)) / self.n  # the pile ÷ n, as the shares show it
        self.shares = VGroup(*(self.block(self.average_value, theme.clip_colour(i), chip.box.get_x())
                               for i, chip in enumerate(chips)))
        level = floor + scale * self.average_value
        left, right = chips[0].box.get_left()[0], chips[-1].box.get_right()[0]
        self.line = DashedLine([left - 0.2, level, 0], [right + 0.2, level, 0], color=theme.part_colour("Q"),
                               stroke_width=3, dash_length=0.12)
        q = text.math(theme, r"Q", MATH.small).set_color(theme.part_colour("Q"))
        self.average = Readout(self.average_value, size=TYPE.readout, color=theme.ink)
        self.average_row = VGroup(q, text.mono(theme, "=", size=TYPE.label, color=theme.ink2), self.average)
        self.average_row.arrange(RIGHT, buff=SPACE.snug).next_to(self.line, RIGHT, buff=SPACE.base)
        super().__init__(self.blocks, self.total_row, **kwargs)

    @classmethod
    def over(cls, theme: Theme, chips: VGroup, losses: Sequence[float], pile_x: float, gap: float,
             room: float) -> LossPile:
        """A pile for ``chips`` standing ``gap`` over their tops, at most ``room`` tall (1 unit a loss of 1)."""
        floor = max(chip.get_top()[1] for chip in chips) + gap
        return cls(theme, chips, losses, pile_x, floor, min(1.0, room / sum(losses)))

    def block(self, loss: float, colour: Any, x: float) -> Rectangle:
        """A block ``loss`` × scale tall standing on the floor at ``x``; ``.loss`` is its figure."""
        block = Rectangle(width=BLOCK_WIDTH, height=max(loss * self.scale, 1e-3), fill_color=colour, fill_opacity=1,
                          stroke_color=self.theme.page, stroke_width=2)
        block.move_to([x, self.floor, 0], aligned_edge=DOWN)
        block.loss = loss
        return block

    def landed(self) -> list[Rectangle]:
        """The blocks resting on the pile now."""
        return [block for block, place in zip(self.blocks, self.places, strict=True)
                if np.allclose(block.get_center(), place, atol=1e-3)]

    def rise(self) -> Animation:
        """Each chip's loss rises out of it as a block; the pile's "Σ = 0.00" appears."""
        return AnimationGroup(*(FadeIn(block, shift=0.3 * UP) for block in self.blocks), FadeIn(self.total_row))

    def land(self, index: int) -> list[Animation]:
        """Block ``index`` flies onto the pile; Σ counts it as it lands (not before)."""
        block, place = self.blocks[index], self.places[index]
        total = sum(self.losses[: index + 1])
        return [block.animate.move_to(place), self.total.count_to(total, rate_func=landed)]

    def share_out(self) -> Animation:
        """1/n: the pile is shared out in n equal blocks, one over each chip."""
        self.sharing = True
        return ReplacementTransform(self.blocks, self.shares)

    def show_average(self) -> Animation:
        """Q's line across the shares' tops, and its value: the pile ÷ n."""
        return LaggedStart(FadeIn(self.line, shift=0.1 * LEFT), FadeIn(self.average_row, shift=0.1 * LEFT),
                           lag_ratio=0.4)

    def everything(self) -> VGroup:
        """All of it that may be on screen (to clear it away)."""
        return VGroup(self.blocks, self.shares, self.total_row, self.line, self.average_row)




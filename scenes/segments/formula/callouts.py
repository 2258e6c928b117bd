"""Callouts: a label joined by a thin leader line to the thing it names (e.g. a symbol in the formula).

``Callout`` takes a label already placed and the mobject it names; the leader runs from just
under that mobject to just over the label. ``symbol_label`` is the usual label: the symbol,
then a few words saying what it is.
"""

from __future__ import annotations

from typing import Any

from manim import DOWN, UP, Animation, Create, FadeIn, LaggedStart, Line, Mobject, VGroup

from scenes.parts import text
from scenes.theme import MATH, SPACE, TYPE, Theme


class Callout(VGroup):
    """``label`` and a leader line from under ``target`` to over ``label``; ``.label``, ``.leader``."""

    def __init__(self, theme: Theme, label: Mobject, target: Mobject, gap: float = SPACE.tiny, **kwargs: Any) -> None:
        start = target.get_bottom() + gap * DOWN
        end = label.get_top() + gap * UP
        self.label = label
        self.leader = Line(start, end, stroke_width=3, color=theme.ink3)
        super().__init__(self.leader, label, **kwargs)

    def enter(self) -> Animation:
        """The leader draws down from the symbol, then the label appears under it."""
        return LaggedStart(Create(self.leader), FadeIn(self.label, shift=0.1 * DOWN), lag_ratio=0.5)


def symbol_label(theme: Theme, tex: str, words: str, width: float, symbol_size: float = MATH.symbol_large,
                 size: float | None = None) -> VGroup:
    """``tex`` (our own TeX, never text from a config) in ink over ``words`` wrapped to ``width``, centred.

    ``.symbol`` and ``.words``.
    """
    size = TYPE.body if size is None else size
    symbol = text.math(theme, tex, symbol_size)
    lines = text.wrapped(words, width, lambda line: text.body(theme, line, size=size, color=theme.ink2))
    for line in lines:
        line.set_x(0)
    label = VGroup(symbol, lines).arrange(DOWN, buff=SPACE.small)
    label.symbol, label.words = symbol, lines
    return label

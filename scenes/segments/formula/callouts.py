"""Callouts: a label joined by a thin leader line to the thing it names (e.g. a symbol in the formula).

``Callout`` takes a label already placed and the mobject it names; the leader runs from just
under that mobject to just over the label. ``symbol_label`` is the usual label: the symbol,
then a few words saying what it is.
"""

from __future__ import annotations

from manim import DOWN, UP, Animation, Create, FadeIn, LaggedStart, Line, MathTex, VGroup

from scenes import theme
from scenes.parts import text
from scenes.parts.components import drop_svg_paths


class Callout(VGroup):
    """``label`` and a leader line from under ``target`` to over ``label``; ``.label``, ``.leader``."""

    def __init__(self, label, target, gap=0.1, **kwargs):
        start = target.get_bottom() + gap * DOWN
        end = label.get_top() + gap * UP
        self.label = label
        self.leader = Line(start, end, stroke_width=3, color=theme.INK3)
        super().__init__(self.leader, label, **kwargs)

    def enter(self) -> Animation:
        """The leader draws down from the symbol, then the label appears under it."""
        return LaggedStart(Create(self.leader), FadeIn(self.label, shift=0.1 * DOWN), lag_ratio=0.5)


def symbol_label(tex, words, width, symbol_size=64, size=None):
    """``tex`` (our own TeX, never text from a config) in ink over ``words`` wrapped to ``width``, centred.

    ``.symbol`` and ``.words``.
    """
    size = theme.BODY_SIZE if size is None else size
    symbol = drop_svg_paths(MathTex(tex, font_size=symbol_size, color=theme.INK, tex_template=theme.TEX_TEMPLATE))
    lines = text.wrapped(words, width, lambda line: text.body(line, size=size, color=theme.INK2))
    for line in lines:
        line.set_x(0)
    label = VGroup(symbol, lines).arrange(DOWN, buff=0.18)
    label.symbol, label.words = symbol, lines
    return label

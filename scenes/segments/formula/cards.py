"""Cards that explain something on the page: a tag pill, a card for one part of the formula, code.

``TagPill`` is the article's tag: a label in a colour on a pale pill of the same hue. ``PartCard``
explains one part of the formula: an accent strip and a tag in the part's colour, and a one-line
meaning (wrapped, never shrunk). ``CodeBlock`` is a few lines of code on a paper card, with a band
that can highlight a line. Each wears the Theme it is given.
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
    FadeIn,
    FadeOut,
    LaggedStart,
    ManimColor,
    RoundedRectangle,
    VGroup,
    interpolate_color,
)

from scenes.parts import text
from scenes.theme import SPACE, TYPE, Theme


def word_colour(theme: Theme, colour: ManimColor | str) -> ManimColor:
    """Words set in ``colour``: its hue taken a quarter of the way to ink, so they read on paper and on a tint of it."""
    return interpolate_color(colour, theme.ink, 0.25)


class TagPill(VGroup):
    """``label`` in mono, in ``colour``, on a rounded pill tinted with that colour."""

    def __init__(self, theme: Theme, label: str, colour: ManimColor | str, size: float | None = None,
                 **kwargs: Any) -> None:
        size = TYPE.label if size is None else size
        self.label = text.mono(theme, label, size=size, color=word_colour(theme, colour))
        height = self.label.height + 0.3
        self.pill = RoundedRectangle(
            width=self.label.width + 0.5, height=height, corner_radius=height / 2,
            fill_color=interpolate_color(colour, theme.page, 0.84), fill_opacity=1, stroke_width=0,
        )
        super().__init__(self.pill, self.label.move_to(self.pill), **kwargs)


class PartCard(VGroup):
    """A paper card ``width`` wide explaining a part of the formula: strip and tag in ``colour``, the meaning below.

    The meaning wraps onto as many lines as it needs (never shrunk); the card grows to hold it.
    Built centred on the origin; ``.box``, ``.strip``, ``.tag``, ``.meaning``.
    """

    pad = 0.28

    def __init__(self, theme: Theme, tag: str, meaning: str, colour: ManimColor | str, width: float,
                 meaning_size: float | None = None, **kwargs: Any) -> None:
        size = TYPE.body if meaning_size is None else meaning_size
        self.tag = TagPill(theme, tag, colour)
        self.meaning = text.wrapped(meaning, width - 2 * self.pad - 0.1,
                                    lambda line: text.body(theme, line, size=size, color=theme.ink))
        height = self.tag.height + 0.2 + self.meaning.height + 2 * self.pad
        self.box = RoundedRectangle(width=width, height=height, corner_radius=0.2, fill_color=theme.page2,
                                    fill_opacity=1, stroke_width=0)
        self.strip = RoundedRectangle(width=0.12, height=height, corner_radius=0.06, fill_color=colour,
                                      fill_opacity=1, stroke_width=0).align_to(self.box, LEFT)
        corner = self.box.get_corner(UP + LEFT) + [self.pad + 0.1, -self.pad, 0]
        self.tag.move_to(corner, aligned_edge=UP + LEFT)
        self.meaning.next_to(self.tag, DOWN, buff=SPACE.base, aligned_edge=LEFT)
        super().__init__(self.box, self.strip, self.tag, self.meaning, **kwargs)

    def enter(self) -> Animation:
        """The card fades in, its tag slides in, then its meaning rises into place."""
        return LaggedStart(
            FadeIn(VGroup(self.box, self.strip)),
            FadeIn(self.tag, shift=0.15 * RIGHT),
            FadeIn(self.meaning, shift=0.12 * UP),
            lag_ratio=0.35,
        )

    def leave(self) -> Animation:
        """The card fades away."""
        return FadeOut(self)


class CodeBlock(VGroup):
    """``lines`` of code in mono on a paper card; leading spaces indent. ``.lines``, ``.box``, ``.band``.

    ``band`` is a tinted bar behind one line, hidden until ``highlight`` moves it there.
    """

    def __init__(self, theme: Theme, lines: Sequence[str], colour: ManimColor | str, size: float | None = None,
                 **kwargs: Any) -> None:
        size = TYPE.label if size is None else size
        advance = text.mono(theme, "0" * 10, size=size).width / 10
        self.lines = VGroup()
        for line in lines:
            stripped = line.lstrip(" ")
            code = text.mono(theme, stripped, size=size, color=theme.ink)
            code.indent = (len(line) - len(stripped)) * advance
            self.lines.add(code)
        self.lines.arrange(DOWN, buff=SPACE.code, aligned_edge=LEFT)
        for code in self.lines:
            code.shift(code.indent * RIGHT)
        self.box = RoundedRectangle(width=self.lines.width + 0.7, height=self.lines.height + 0.5, corner_radius=0.2,
                                    fill_color=theme.page2, fill_opacity=1, stroke_width=0).move_to(self.lines)
        line_height = text.mono(theme, "Hg", size=size).height  # a line's ascent and descent, whatever its letters
        self.band = RoundedRectangle(width=self.box.width - 0.2, height=line_height + 0.2, corner_radius=0.08,
                                     fill_color=interpolate_color(colour, theme.page2, 0.7), fill_opacity=1,
                                     stroke_width=0)
        self.band.move_to(self.box).match_y(self.lines[-1]).set_opacity(0)
        super().__init__(self.box, self.band, self.lines, **kwargs)

    def highlight(self, index: int) -> Animation:
        """The band slides behind line ``index`` (and shows, if hidden)."""
        return self.band.animate.set_opacity(1).match_y(self.lines[index])

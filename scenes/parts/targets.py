"""What Q is aiming for, drawn the same on every chart of Q, and what its colour means as it changes.

``get_target_line``: the dashed "learned" line at riskmath's threshold (0.08), its word over its
right end and its value left of the axis, in the "learned" colour. ``StateNote``: a small word
beside a read-out of Q, in Q's state colour, shown while Q is in that state ("getting close" while
it is red); ``follow`` sets it from the value the read-out shows, so the two never disagree.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
from manim import DOWN, LEFT, RIGHT, UP, DashedLine, Mobject, VGroup

from riskmath import Level, risk_level
from scenes.parts import text
from scenes.parts.components import format_decimal
from scenes.parts.readout import Readout
from scenes.theme import SPACE, TYPE, Theme


def get_target_line(theme: Theme, left: np.ndarray, right: np.ndarray, value: float, label: str,
                    axis_x: float | None = None) -> VGroup:
    """A dashed line from ``left`` to ``right`` (frame points at Q = ``value``), ``label`` over its right end
    and ``value`` at the axis (``axis_x``, default the line's left end). Unpacks as (line, label, value)."""
    colour = theme.level_colours("Q")[Level.GOOD]
    line = DashedLine(left, right, color=colour, stroke_width=3, dash_length=0.1)
    word = text.mono(theme, label, TYPE.small, colour).next_to(right, UP + LEFT, buff=SPACE.hair)
    word.align_to(right, RIGHT)
    at = np.array([left[0] if axis_x is None else axis_x, left[1], 0.0])
    number = text.mono(theme, format_decimal(value), TYPE.small, colour).next_to(at, LEFT, buff=SPACE.tight)
    group = VGroup(line, word, number)
    group.line, group.label, group.value = line, word, number
    return group


class StateNote(VGroup):
    """Words for Q's states (``notes``: a Level to its words), one shown at a time, in the state's colour.

    ``follow(readout)`` shows the note of the level of the value ``readout`` shows (none for a level
    without words); call it on every frame the read-out changes (``UpdateFromFunc``) or as an updater.
    """

    def __init__(self, theme: Theme, notes: Mapping[Level, str], size: float = TYPE.label, **kwargs: Any) -> None:
        colours = theme.level_colours("Q")
        self.notes = {level: text.body(theme, words, size=size, color=colours[level]) for level, words in notes.items()}
        super().__init__(*self.notes.values(), **kwargs)
        self.arrange(DOWN, aligned_edge=LEFT, buff=0)
        for note in self.notes.values():
            note.align_to(self, UP)
        self.showing: Level | None = None
        self.show(None)

    def show(self, level: Level | None) -> StateNote:
        """Show the words of ``level`` (None or a level without words: nothing)."""
        for key, note in self.notes.items():
            note.set_opacity(1.0 if key is level else 0.0)
        self.showing = level if level in self.notes else None
        return self

    def follow(self, readout: Readout) -> StateNote:
        """Show the words of the level of the value ``readout`` shows."""
        level = risk_level(readout.shown(readout.value))
        if level is not self.showing:
            self.show(level)
        return self

    def place(self, beside: Mobject, buff: float = SPACE.block) -> StateNote:
        """Right of ``beside``, top-aligned with it."""
        self.next_to(beside, RIGHT, buff=buff, aligned_edge=UP)
        return self

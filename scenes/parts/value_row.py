"""A read-out with its name: "w = 0.87", "Q(a, X) = 0.519". Shared by the training loop and the outro.

``value_row`` sets a label (a symbol or a word), an equals sign and a counting read-out on one
line; ``q_readout`` is a read-out of Q whose colour is the level of the value it shows (the
storyboard's: ink, then red below 0.25, green below 0.08), switching as the shown value crosses.
"""

from __future__ import annotations

from manim import RIGHT, Mobject, VGroup

from scenes.parts import text
from scenes.parts.counting import LevelReadout
from scenes.parts.readout import Readout
from scenes.theme import MATH, SPACE, TYPE, Theme


def value_row(theme: Theme, label: Mobject, number: Readout, equals_size: float = MATH.row) -> VGroup:
    """``label = number`` on one line (``number`` a Readout, centred on the "="); ``.number`` is it."""
    row = VGroup(label, text.math(theme, "=", equals_size, theme.ink2), number).arrange(RIGHT, buff=SPACE.base)
    number.match_y(row[1])
    row.label, row.number = label, number
    return row


def q_readout(theme: Theme, value: float, places: int, size: float = TYPE.q_row,
              width: int | None = None) -> LevelReadout:
    """A read-out of Q in the heading face, coloured by the level of the value it shows."""
    return LevelReadout(value, colour_of=theme.q_colour, places=places, role="heading", size=size, width=width)

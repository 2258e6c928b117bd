"""A read-out with its name: "w = 0.87", "Q(a, X) = 0.519". Shared by the training loop and the outro.

``value_row`` sets a label (a symbol or a word), an equals sign and a counting read-out on one
line; ``q_readout`` is a read-out of Q whose colour is the level of the value it shows (the
storyboard's: ink, then red below 0.25, green below 0.08), switching as the shown value crosses.
"""

from manim import RIGHT, VGroup

from riskmath import risk_level
from scenes import theme
from scenes.parts import text
from scenes.parts.counting import LevelReadout


def value_row(label, number, equals_size=40):
    """``label = number`` on one line (``number`` a Readout, centred on the "="); ``.number`` is it."""
    row = VGroup(label, text.math("=", equals_size, theme.INK2), number).arrange(RIGHT, buff=0.2)
    number.match_y(row[1])
    row.label, row.number = label, number
    return row


def q_colour(q):
    """The storyboard's colour for Q's level at ``q``."""
    return theme.Q_COLOURS[risk_level(q)]


def q_readout(value, places, size=44, width=None):
    """A read-out of Q in the heading face, coloured by the level of the value it shows."""
    return LevelReadout(value, colour_of=q_colour, places=places, role="heading", size=size, width=width)

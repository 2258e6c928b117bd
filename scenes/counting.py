"""Read-outs whose colour follows the value they show, and counts said in words.

``LevelReadout`` is a ``scenes.readout.Readout`` (glyphs built once, counting with ``count_to``)
whose colour is a function of the value it shows, rounded as it is shown (half away from zero):
Q turns red the frame its read-out first says 0.24, not somewhere along a blend. With
``centred=True`` the visible characters sit in the middle of the read-out's box (numbers in cells).
"""

from __future__ import annotations

import functools
from collections.abc import Callable

from manim import ManimColor, Text

from riskmath import round_half_away
from scenes import theme
from scenes.components import drop_svg_paths
from scenes.readout import GLYPHS, Readout, _Count


@functools.lru_cache(maxsize=64)
def _glyph_points(font: str, size: float) -> dict:
    """{char: (points, centre)} of every read-out glyph, set once; only ever read (never a mobject to
    transform: manim's ``become`` can move a source glyph's points into a submobject)."""
    text = drop_svg_paths(Text(GLYPHS, font=font, font_size=size))
    return {char: (glyph.points.copy(), glyph.get_center().copy()) for char, glyph in zip(GLYPHS, text.submobjects)}

NUMBER_WORDS = ("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
                "eleven", "twelve")


def count_word(count: int) -> str:
    """A count as a word for on-screen text ("five"), digits past twelve.

    >>> count_word(5), count_word(12), count_word(25)
    ('five', 'twelve', '25')
    """
    return NUMBER_WORDS[count] if 0 <= count < len(NUMBER_WORDS) else str(count)


class LevelReadout(Readout):
    """A Readout coloured by ``colour_of(shown value)``; ``centred`` centres its glyphs in its box."""

    def __init__(self, value: float, colour_of: Callable[[float], ManimColor], centred: bool = False, **kwargs):
        self.colour_of, self.centred = colour_of, centred
        self.glyph_points = _glyph_points(theme.font(kwargs.get("role", "mono")), kwargs.get("size", theme.LABEL_SIZE))
        super().__init__(value, **kwargs)

    def count_to(self, value: float, color=None, **kwargs) -> _Count:
        """Count to ``value`` at the animation's rate function (its colour follows the shown value)."""
        return _EasedCount(self, value, self.colour, **kwargs)

    def shown(self, value: float) -> float:
        """``value`` as the read-out shows it (rounded half away from zero)."""
        return float(round_half_away(value, self.places))

    def set_value(self, value: float) -> LevelReadout:
        """Show ``value`` now, in the colour of its level.

        Like ``Readout.set_value``, but each glyph's points are copied straight into its cell
        (``become`` would first align the old glyph's curves to the new one's, costing about
        ten times as much), and nothing is redrawn while the characters and colour stay the same.
        """
        colour = ManimColor(self.colour_of(self.shown(value)))
        text = self.text_for(value)
        self.value = value
        if getattr(self, "_drawn", None) == (text, colour.to_hex()):
            self.colour = colour  # a count may have blended it: the level decides
            return self
        if len(text) > self.cells:
            raise ValueError(f"{text!r} does not fit a read-out of {self.cells} characters")
        self.colour, self._drawn = colour, (text, colour.to_hex())
        scale = self.box.width / self.natural_width
        right, bottom = self.box.get_right()[0], self.box.get_bottom()[1]
        drawn = []
        for cell, char in zip(reversed(self.characters.submobjects), reversed(text.rjust(self.cells))):
            if char == " ":
                cell.clear_points()
                continue
            points, centre = self.glyph_points[char]
            advance = (self.glyphs[char].width * 1.6 if char in ".," else self.cell) * scale
            cell.set_points((points - centre) * scale)
            cell.set_fill(colour, opacity=1).set_stroke(width=0)
            cell.shift([right - advance / 2, bottom + (centre[1] - self.baseline) * scale, 0])
            right -= advance
            drawn.append(cell)
        if self.centred and drawn:
            shift = self.box.get_center()[0] - (max(c.get_right()[0] for c in drawn) + min(c.get_left()[0] for c in drawn)) / 2
            for cell in drawn:
                cell.shift([shift, 0, 0])
        return self


class _EasedCount(_Count):
    """Readout's count, paced by the animation's rate function (so it can ease, or wait its turn)."""

    def interpolate_mobject(self, alpha: float) -> None:
        super().interpolate_mobject(self.rate_func(alpha))

"""A number read-out that counts: its glyphs are shaped once, and changing its value only copies points.

``Readout`` is a fixed row of character cells on an invisible box. Each character's outline is
shaped once per font and size (one Pango Text of every glyph, cached, never itself a mobject on
screen); showing a value copies those points into the cells, so counting from 0.72 to 0.51 over
a second draws every value in between, never builds text on a frame, never shows two values at
once and is never empty. Move, scale or arrange it like any mobject: the cells follow the box.
Its colour can follow the value it shows (``colour_of``): Q turns red on the very frame its
read-out first says 0.24, rounded as shown (half away from zero).

    readout = Readout(0.72, places=2, size=96, role="heading", colour_of=q_colour)
    self.play(readout.count_to(0.51), run_time=1)
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

import numpy as np
from manim import Animation, ManimColor, Rectangle, Text, VGroup, VMobject, interpolate_color

from riskmath import round_half_away
from scenes.parts.components import drop_svg_paths
from scenes.theme import TYPE, font

GLYPHS = "0123456789.,−%×+"


@functools.lru_cache(maxsize=64)
def _glyphs(font: str, size: float) -> tuple[dict[str, tuple[np.ndarray, np.ndarray, float]], float, float, float]:
    """Every glyph of GLYPHS shaped once on one baseline.

    Returns ({char: (points, centre, width)}, cell width, baseline y, digit height); only ever read.
    """
    text = drop_svg_paths(Text(GLYPHS, font=font, font_size=size))
    glyphs = {char: (glyph.points.copy(), glyph.get_center().copy(), glyph.width)
              for char, glyph in zip(GLYPHS, text.submobjects, strict=False)}
    digits = [glyph for char, glyph in zip(GLYPHS, text.submobjects, strict=False) if char.isdigit()]
    cell = max(glyph.width for glyph in digits) * 1.12
    return glyphs, cell, digits[0].get_bottom()[1], digits[0].height


def format_value(value: float, places: int, thousands: bool = False) -> str:
    """``value`` as a read-out shows it: rounded half away from zero (the article's rounding).

    >>> format_value(0.125, 2), format_value(57617, 0, thousands=True), format_value(-0.5, 1)
    ('0.13', '57,617', '−0.5')
    """
    rounded = round_half_away(value, places)
    text = f"{abs(rounded):,.{places}f}" if thousands else f"{abs(rounded):.{places}f}"
    return ("−" if rounded < 0 else "") + text


class Readout(VGroup):
    """A number in fixed cells that can count to another value (see the module doc).

    ``width``: the most characters it will show (default: those of ``value``); the number is
    right-aligned in them (``centred``: centred), so digits keep their places while it counts.
    ``suffix`` (e.g. "%") follows the number. ``role`` is a theme font role. ``colour_of``, when
    given, colours the read-out by the value it shows (rounded as shown); without it, ``color`` is
    its colour (one of the two must be given: a read-out has no theme of its own).
    """

    def __init__(self, value: float, places: int = 2, role: str = "mono", size: float = TYPE.label,
                 color: ManimColor | str | None = None, width: int | None = None, thousands: bool = False,
                 suffix: str = "", colour_of: Callable[[float], ManimColor] | None = None, centred: bool = False,
                 **kwargs: Any) -> None:
        if color is None and colour_of is None:
            raise ValueError("a Readout needs a color or a colour_of")
        self.places, self.thousands, self.suffix = places, thousands, suffix
        self.colour_of, self.centred = colour_of, centred
        self.colour = ManimColor(color) if color is not None else ManimColor(colour_of(value))  # type: ignore[misc]
        self.glyphs, self.cell, self.baseline, digit_height = _glyphs(font(role), size)
        self.cells = max(width or 0, len(self.text_for(value)))
        self.box = Rectangle(width=self.cell * self.cells, height=digit_height, stroke_width=0, fill_opacity=0)
        self.box.move_to([0, self.baseline + digit_height / 2, 0], aligned_edge=np.array([-1, 0, 0]))
        self.natural_width = self.box.width
        self.characters = VGroup(*(VMobject() for _ in range(self.cells)))
        super().__init__(self.box, self.characters, **kwargs)
        self.value = value
        self._drawn: tuple[str, str, bytes, float] | None = None
        self.set_value(value)

    def text_for(self, value: float) -> str:
        """The characters shown for ``value``."""
        return format_value(value, self.places, self.thousands) + self.suffix

    def shown(self, value: float) -> float:
        """``value`` as the read-out shows it (rounded half away from zero)."""
        return float(round_half_away(value, self.places))

    def set_value(self, value: float) -> Readout:
        """Show ``value`` now (nothing is redrawn while its characters and colour stay the same)."""
        if self.colour_of is not None:
            self.colour = ManimColor(self.colour_of(self.shown(value)))
        text = self.text_for(value)
        self.value = value
        drawn = (text, self.colour.to_hex(), self.box.get_center().tobytes(), self.box.width)
        if drawn == self._drawn:
            return self
        if len(text) > self.cells:
            raise ValueError(f"{text!r} does not fit a read-out of {self.cells} characters")
        self._drawn = drawn
        scale = self.box.width / self.natural_width
        right, bottom = self.box.get_right()[0], self.box.get_bottom()[1]
        shown = []
        for cell, char in zip(reversed(self.characters.submobjects), reversed(text.rjust(self.cells)), strict=False):
            if char == " ":
                cell.clear_points()
                continue
            points, centre, glyph_width = self.glyphs[char]
            advance = (glyph_width * 1.6 if char in ".," else self.cell) * scale
            cell.set_points((points - centre) * scale)
            cell.set_fill(self.colour, opacity=1).set_stroke(width=0)
            cell.shift([right - advance / 2, bottom + (centre[1] - self.baseline) * scale, 0])
            right -= advance
            shown.append(cell)
        if self.centred and shown:
            middle = (max(c.get_right()[0] for c in shown) + min(c.get_left()[0] for c in shown)) / 2
            for cell in shown:
                cell.shift([self.box.get_center()[0] - middle, 0, 0])
        return self

    def count_to(self, value: float, color: ManimColor | None = None, **kwargs: Any) -> Animation:
        """An animation counting from the shown value to ``value`` at its rate function; without
        ``colour_of``, its colour blends to ``color``."""
        return _Count(self, value, self.colour if color is None else ManimColor(color), **kwargs)


class _Count(Animation):
    """Count a Readout from its value to another, paced by the animation's rate function."""

    def __init__(self, readout: Readout, end: float, end_colour: ManimColor, **kwargs: Any) -> None:
        self.end_value, self.end_colour = end, end_colour
        super().__init__(readout, **kwargs)

    def begin(self) -> None:
        self.start_value, self.start_colour = self.mobject.value, self.mobject.colour
        super().begin()

    def create_starting_mobject(self) -> Readout:
        readout: Readout = self.mobject
        return readout  # no copy: the read-out redraws itself from its value

    def interpolate_mobject(self, alpha: float) -> None:
        readout, alpha = self.mobject, self.rate_func(alpha)
        if readout.colour_of is None:
            readout.colour = interpolate_color(self.start_colour, self.end_colour, alpha)
        value = self.start_value + (self.end_value - self.start_value) * alpha
        readout.set_value(self.end_value if alpha >= 1 else value)

"""A number read-out that counts: its glyphs are built once, and changing its value only moves points.

``Readout`` is a fixed row of character cells on an invisible box. Each character is shaped once
per font and size (one Pango Text of every glyph, cached); showing a value copies the cached
glyphs' points into the cells, so counting from 0.72 to 0.51 over a second draws every value in
between, never builds text on a frame, never shows two values at once and is never empty. Move,
scale or arrange it like any mobject: the cells follow the box.

    readout = Readout(0.72, places=2, size=96, role="heading")
    self.play(readout.count_to(0.51, color=theme.GREEN), run_time=1)
"""

from __future__ import annotations

import functools

import numpy as np
from manim import Animation, ManimColor, Rectangle, Text, VGroup, VMobject, interpolate_color

from riskmath import round_half_away
from scenes import theme
from scenes.components import drop_svg_paths

GLYPHS = "0123456789.,−%×+"


@functools.lru_cache(maxsize=64)
def _glyph_row(font: str, size: float) -> tuple[dict[str, VMobject], float, float, float]:
    """Every glyph of GLYPHS set once on one baseline: ({char: glyph}, cell width, baseline y, digit height)."""
    text = drop_svg_paths(Text(GLYPHS, font=font, font_size=size))
    glyphs = dict(zip(GLYPHS, text.submobjects))
    cell = max(glyphs[d].width for d in "0123456789") * 1.12
    return glyphs, cell, glyphs["0"].get_bottom()[1], glyphs["0"].height


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
    right-aligned in them, so digits keep their places while it counts. ``suffix`` (e.g. "%")
    follows the number. ``role`` is a theme font role ("mono", "heading", "body").
    """

    def __init__(self, value: float, places: int = 2, role: str = "mono", size: float = theme.LABEL_SIZE,
                 color: ManimColor | None = None, width: int | None = None, thousands: bool = False,
                 suffix: str = "", **kwargs):
        self.places, self.thousands, self.suffix = places, thousands, suffix
        self.colour = ManimColor(theme.INK if color is None else color)
        self.glyphs, self.cell, self.baseline, digit_height = _glyph_row(theme.font(role), size)
        self.cells = max(width or 0, len(self.text_for(value)))
        self.box = Rectangle(width=self.cell * self.cells, height=digit_height, stroke_width=0, fill_opacity=0)
        self.box.move_to([0, self.baseline + digit_height / 2, 0], aligned_edge=np.array([-1, 0, 0]))
        self.natural_width = self.box.width
        self.characters = VGroup(*(VMobject() for _ in range(self.cells)))
        super().__init__(self.box, self.characters, **kwargs)
        self.value = value
        self.set_value(value)

    def text_for(self, value: float) -> str:
        """The characters shown for ``value``."""
        return format_value(value, self.places, self.thousands) + self.suffix

    def set_value(self, value: float) -> Readout:
        """Show ``value`` now."""
        text = self.text_for(value)
        if len(text) > self.cells:
            raise ValueError(f"{text!r} does not fit a read-out of {self.cells} characters")
        scale = self.box.width / self.natural_width
        right, bottom = self.box.get_right()[0], self.box.get_bottom()[1]
        padded = text.rjust(self.cells)
        for cell, char in zip(reversed(self.characters.submobjects), reversed(padded)):
            if char == " ":
                cell.submobjects = []
                cell.clear_points()
                continue
            glyph = self.glyphs[char]
            advance = (glyph.width * 1.6 if char in ".," else self.cell) * scale
            cell.become(glyph)
            cell.set_fill(self.colour, opacity=1).set_stroke(width=0)
            cell.scale(scale)
            cell.move_to([right - advance / 2, bottom + (glyph.get_center()[1] - self.baseline) * scale, 0])
            right -= advance
        self.value = value
        return self

    def count_to(self, value: float, color: ManimColor | None = None, **kwargs) -> Animation:
        """An animation counting from the shown value to ``value`` (its colour blending to ``color``)."""
        return _Count(self, value, self.colour if color is None else ManimColor(color), **kwargs)


class _Count(Animation):
    """Count a Readout from its value to another, its colour blending along."""

    def __init__(self, readout: Readout, end: float, end_colour: ManimColor, **kwargs):
        self.end_value, self.end_colour = end, end_colour
        super().__init__(readout, **kwargs)

    def begin(self) -> None:
        self.start_value, self.start_colour = self.mobject.value, self.mobject.colour
        super().begin()

    def create_starting_mobject(self):
        return self.mobject  # no copy: the read-out redraws itself from its value

    def interpolate_mobject(self, alpha: float) -> None:
        readout = self.mobject
        readout.colour = interpolate_color(self.start_colour, self.end_colour, alpha)
        readout.set_value(self.end_value if alpha >= 1 else self.start_value + (self.end_value - self.start_value) * alpha)

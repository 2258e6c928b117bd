"""Small building blocks shared by the segment scenes: numbers as shown, pills, fitting, baselines, cheap copies.

Each ``get_*`` helper returns a fresh mobject; scenes place and animate it. The formula on its
panel is scenes.parts.formula_panel; text is scenes.parts.text.
"""

from __future__ import annotations

from typing import Any

from manim import LEFT, ORIGIN, Mobject, RoundedRectangle, Text, UpdateFromAlphaFunc, smooth

from riskmath import round_half_away

SUBSCRIPT_DIGITS = str.maketrans("0123456789", "₀₁₂₃₄₅₆₇₈₉")
DESCENDERS = set("gjpqyQ")


def format_decimal(value: float, places: int = 2) -> str:
    """``value`` as shown on screen: rounded half away from zero, with exactly ``places`` decimals.

    >>> format_decimal(0.1), format_decimal(0.125), format_decimal(0.0984, 3)
    ('0.10', '0.13', '0.098')
    """
    return f"{round_half_away(value, places):.{places}f}"


def subscript(index: int) -> str:
    """``index`` in Unicode subscript digits, for labels like x₁ set in plain text.

    >>> subscript(12)
    '₁₂'
    """
    return str(index).translate(SUBSCRIPT_DIGITS)


def get_pill(width: float, height: float, colour: Any, opacity: float = 1.0) -> RoundedRectangle:
    """A filled bar with round ends, its left edge at the origin; narrower than tall stays valid."""
    width = max(width, 1e-3)
    pill = RoundedRectangle(
        width=width,
        height=height,
        corner_radius=min(height, width) / 2,
        fill_color=colour,
        fill_opacity=opacity,
        stroke_width=0,
    )
    return pill.move_to(ORIGIN, aligned_edge=LEFT)


def fit_width(mobject: Mobject, max_width: float) -> Mobject:
    """Shrink ``mobject`` (never grow it) so it is at most ``max_width`` wide; returns it."""
    if mobject.width > max_width:
        mobject.scale_to_fit_width(max_width)
    return mobject


def fit_within(mobject: Mobject, max_width: float, max_height: float) -> Mobject:
    """Shrink ``mobject`` (never grow it) to fit a ``max_width`` × ``max_height`` box; returns it.

    Pango wraps a long Text onto several lines (how soon depends on the render's pixel width),
    so text from the config needs its height bounded as well as its width.
    """
    fit_width(mobject, max_width)
    if mobject.height > max_height:
        mobject.scale_to_fit_height(max_height)
    return mobject


def baseline(text: Text) -> float:
    """The y of ``text``'s baseline: the highest bottom among its glyphs that sit on the line.

    ``text`` is a manim Text, whose submobjects are its non-space characters in order. Falls back
    to the bottom of the text when no such glyph exists (e.g. "gy" or "/").
    """
    chars = [c for c in text.text if not c.isspace()]
    bottoms = [
        glyph.get_bottom()[1]
        for c, glyph in zip(chars, text.submobjects, strict=False)
        if c.isascii() and c.isalnum() and c not in DESCENDERS
    ]
    return float(max(bottoms) if bottoms and len(chars) == len(text.submobjects) else text.get_bottom()[1])


def drop_svg_paths(mobject: Mobject) -> Any:
    """Forget the parsed SVG paths that Text and MathTex glyphs keep once their points are built.

    Manim only reads them while building the glyph, but every copy (each Transform or Fade makes
    some) deep-copies them: dropping them makes copying a short Text about 10× cheaper. Returns
    ``mobject``.
    """
    for glyph in mobject.get_family():
        if hasattr(glyph, "path_obj"):
            glyph.path_obj = None
    return mobject


def fade_become(mobject: Mobject, new: Mobject, out_by: float = 0.5, in_from: float = 0.5) -> UpdateFromAlphaFunc:
    """An animation after which ``mobject`` looks like ``new`` (keeping its identity): it fades out as
    it is by ``out_by``, then fades in as ``new`` from ``in_from``, so the two are never seen at once."""
    old = mobject.copy()

    def swap(mob: Mobject, alpha: float) -> None:
        if alpha < in_from:
            mob.become(old).set_opacity(max(0.0, 1 - smooth(min(alpha / out_by, 1))))
        else:
            mob.become(new).set_opacity(smooth((alpha - in_from) / (1 - in_from)))

    return UpdateFromAlphaFunc(mobject, swap)

"""Text in the theme's type for shared mobjects (which have no scene to ask), and wrapping.

The same as SegmentScene.body/heading/mono: plain Pango ``Text`` (never markup), the parsed SVG
paths dropped so copies stay cheap. Colours are read from the theme when called.
"""

from typing import Annotated

from manim import DOWN, LEFT, RIGHT, UP, MathTex, Text, VGroup
from pydantic import Field

from scenes import fields, theme
from scenes.parts.components import baseline, drop_svg_paths


def body(text, size=None, color=None, **kwargs):
    """``text`` in the body face (INK2 unless ``color``)."""
    size = theme.BODY_SIZE if size is None else size
    color = theme.INK2 if color is None else color
    return drop_svg_paths(Text(text, font=theme.font("body"), font_size=size, color=color, **kwargs))


def heading(text, size=None, color=None, **kwargs):
    """``text`` in the heading face, bold (INK unless ``color``)."""
    size = theme.HEADING_SIZE if size is None else size
    color = theme.INK if color is None else color
    return drop_svg_paths(Text(text, font=theme.font("heading"), font_size=size, color=color, weight="BOLD", **kwargs))


def mono(text, size=None, color=None, **kwargs):
    """``text`` in the mono face (INK2 unless ``color``)."""
    size = theme.LABEL_SIZE if size is None else size
    color = theme.INK2 if color is None else color
    return drop_svg_paths(Text(text, font=theme.font("mono"), font_size=size, color=color, **kwargs))


def wrapped(text, max_width, make, line_gap=0.1):
    """``text`` set by ``make`` on as few lines as fit in ``max_width``, never shrunk.

    Greedy: each line takes words while it fits; a word too long for a line gets one of its own.
    Returns a VGroup of the lines (left-aligned) with ``.lines``.
    """
    whole = make(text)
    if whole.width <= max_width:
        lines = [whole]
    else:
        lines, words = [], []
        for word in text.split():
            candidate = make(" ".join([*words, word]))
            if words and candidate.width > max_width:
                lines.append(make(" ".join(words)))
                words = [word]
            else:
                words.append(word)
        lines.append(make(" ".join(words)))
    group = VGroup(*lines).arrange(DOWN, buff=line_gap, aligned_edge=LEFT)
    group.lines = list(group)
    return group


def math(tex, size=40, color=None):
    """``tex`` as MathTex in the theme's minimal TeX template (INK unless ``color``)."""
    color = theme.INK if color is None else color
    return drop_svg_paths(MathTex(tex, font_size=size, color=color, tex_template=theme.TEX_TEMPLATE))


def short_text(max_length):
    """The type of a config text (fields.Text) of at most ``max_length`` characters: what its place has room for."""
    return Annotated[fields.Text, Field(max_length=max_length)]


def phrase(*parts, size=None, color=None, gap=0.12):
    """Words and symbols on one line, sitting on one baseline, e.g. ``phrase((get_q_symbol(30), 4), "after each step")``.

    Each part is a str (set in the body face) or a (symbol, index of one of its glyphs that sits
    on the baseline) pair. Returns a VGroup of the parts.
    """
    items = [body(part, size, color) if isinstance(part, str) else part[0] for part in parts]
    group = VGroup(*items).arrange(RIGHT, buff=gap)

    def base(part, item):
        if isinstance(part, str):
            return baseline(item)
        return item.family_members_with_points()[part[1]].get_bottom()[1]

    line = base(parts[0], items[0])
    for part, item in zip(parts[1:], items[1:]):
        item.shift((line - base(part, item)) * UP)
    return group

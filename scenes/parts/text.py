"""The one text factory of the scenes: text in the theme's faces and sizes, TeX in its template, wrapping.

Every Pango text on screen is set here: plain ``Text`` (never markup, so text from the config is
drawn as written), its parsed SVG paths dropped so copies stay cheap (each Fade or Transform makes
some). ``body``, ``heading`` and ``mono`` take the scene's Theme first; their colour defaults to
the theme's ink of that role and their size to the type scale's.

A text is set (Pango, then its SVG parsed: about a millisecond a glyph) once per process and handed
out as copies (``set_once``): a worker replays the beats before each beat it draws, and every replay
asks for the same texts again.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from typing import Any, TypeVar

from manim import DOWN, LEFT, RIGHT, UP, ManimColor, MathTex, Mobject, Text, VGroup, config

from scenes.parts.components import baseline, drop_svg_paths
from scenes.theme import MATH, SPACE, TEX_TEMPLATE, TYPE, Theme, font

M = TypeVar("M", bound=Mobject)
_SET: dict[Hashable, Mobject] = {}  # what set_once made, never handed out itself


def set_once(key: Hashable, make: Callable[[], M]) -> M:
    """A copy of what ``make()`` sets for ``key`` (everything the text depends on besides the frame, which
    is added: Pango lays a line out on a canvas the frame's size, and wraps what is wider), set once per
    process."""
    key = (key, config.pixel_width, config.pixel_height, config.frame_width, config.frame_height)
    made = _SET.get(key)
    if made is None:
        made = _SET[key] = make()
    copied: M = made.copy()
    return copied


def _colour_key(color: Any) -> tuple[float, ...]:
    """``color`` as set_once keys it: its RGBA."""
    return tuple(ManimColor(color).to_rgba())


def _text(face: str, text: str, size: float, color: Any, **kwargs: Any) -> Text:
    """``text`` in ``face`` (a font role), set once per process."""
    key = ("text", face, text, size, _colour_key(color), repr(sorted(kwargs.items())))
    return set_once(key, lambda: drop_svg_paths(Text(text, font=font(face), font_size=size, color=color, **kwargs)))


def body(theme: Theme, text: str, size: float | None = None, color: Any = None, **kwargs: Any) -> Text:
    """``text`` in the body face (ink2 unless ``color``; TYPE.body unless ``size``)."""
    color = theme.ink2 if color is None else color
    size = TYPE.body if size is None else size
    return _text("body", text, size, color, **kwargs)


def heading(theme: Theme, text: str, size: float | None = None, color: Any = None, **kwargs: Any) -> Text:
    """``text`` in the heading face, bold (ink unless ``color``; TYPE.heading unless ``size``).

    ``disable_ligatures=True`` (one glyph per character) is asked, not promised: a line too long for
    a tiny render (128 px wide) is wrapped by Pango, which can lose a glyph, and manim then refuses
    it; such a text is set as Pango lays it out (it is shrunk to fit anyway).
    """
    color = theme.ink if color is None else color
    size = TYPE.heading if size is None else size
    try:
        return _text("heading", text, size, color, weight="BOLD", **kwargs)
    except ValueError:
        if not kwargs.pop("disable_ligatures", False):
            raise
        return _text("heading", text, size, color, weight="BOLD", **kwargs)


def mono(theme: Theme, text: str, size: float | None = None, color: Any = None, **kwargs: Any) -> Text:
    """``text`` in the mono face (ink2 unless ``color``; TYPE.label unless ``size``)."""
    color = theme.ink2 if color is None else color
    size = TYPE.label if size is None else size
    return _text("mono", text, size, color, **kwargs)


def in_face(theme: Theme, role: str, text: str, size: float | None = None, color: Any = None, **kwargs: Any) -> Text:
    """``text`` in the face of ``role`` ("body", "heading" or "mono"): ``body``, ``heading`` or ``mono``."""
    return {"body": body, "heading": heading, "mono": mono}[role](theme, text, size, color, **kwargs)


def math(theme: Theme, tex: str, size: float = MATH.row, color: Any = None) -> MathTex:
    """``tex`` (our own TeX, never text from a config) in the theme's minimal template (ink unless ``color``)."""
    color = theme.ink if color is None else color
    return set_once(("math", tex, size, _colour_key(color)),
                    lambda: drop_svg_paths(MathTex(tex, font_size=size, color=color, tex_template=TEX_TEMPLATE)))


def wrapped(text: str, max_width: float, make: Callable[[str], Text], line_gap: float = SPACE.tiny) -> VGroup:
    """``text`` set by ``make`` on as few lines as fit in ``max_width``, never shrunk.

    Greedy: each line takes words while it fits; a word too long for a line gets one of its own.
    Returns a VGroup of the lines (left-aligned) with ``.lines``.
    """
    whole = make(text)
    lines: list[Text] = []
    if whole.width <= max_width:
        lines = [whole]
    else:
        words: list[str] = []
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


def phrase(theme: Theme, *parts: str | tuple[Mobject, int], size: float | None = None, color: Any = None,
           gap: float = SPACE.xs) -> VGroup:
    """Words and symbols on one line, on one baseline, e.g. ``phrase(theme, (q_symbol, 4), "after each step")``.

    Each part is a str (set in the body face) or a (symbol, index of one of its glyphs that sits
    on the baseline) pair. Returns a VGroup of the parts.
    """
    items = [body(theme, part, size, color) if isinstance(part, str) else part[0] for part in parts]
    group = VGroup(*items).arrange(RIGHT, buff=gap)

    def base(part: str | tuple[Mobject, int], item: Mobject) -> float:
        if isinstance(part, str):
            return baseline(item)
        return float(item.family_members_with_points()[part[1]].get_bottom()[1])

    line = base(parts[0], items[0])
    for part, item in zip(parts[1:], items[1:], strict=True):
        item.shift((line - base(part, item)) * UP)
    return group


def fit_label(text: Mobject, max_width: float, size: float, min_size: float = TYPE.small) -> Mobject:
    """Shrink ``text`` (set at ``size``) to ``max_width``, never below ``min_size``; returns it."""
    if text.width > max_width:
        text.scale(max(max_width / text.width, min_size / size))
    return text

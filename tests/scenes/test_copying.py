"""The faster mobject copy makes the copy manim's makes; the quiet renderer draws nothing while it skips."""

from __future__ import annotations

import copy
from typing import Any

import numpy as np
from manim import DOWN, RED, Circle, MathTex, Mobject, Rectangle, Text, VGroup, tempconfig
from manim.utils.color import ManimColor

from riskvid.pipeline.render import manim_settings
from scenes import copying
from scenes.registry import scene_classes
from scenes.replays import replay
from scenes.theme import TEX_TEMPLATE


def manims_copy(mobject: Any) -> Any:
    """``copy.deepcopy`` as manim does it, whatever is installed."""
    installed = Mobject.__deepcopy__
    try:
        Mobject.__deepcopy__ = copying.MANIMS_DEEPCOPY
        return copy.deepcopy(mobject)
    finally:
        Mobject.__deepcopy__ = installed


def flattened(value: Any, seen: dict[int, int], out: list[Any]) -> list[Any]:
    """A comparable walk of a copied graph: each node's type and value, shared nodes as back-references."""
    if id(value) in seen:
        out.append(("again", seen[id(value)]))
        return out
    if isinstance(value, (list, tuple, dict, np.ndarray, ManimColor)) or hasattr(value, "__dict__"):
        seen[id(value)] = len(seen)
    if isinstance(value, np.ndarray):
        out.append(("array", value.dtype.str, value.shape, value.tobytes()))
    elif isinstance(value, ManimColor):
        out.append(("colour", value.to_hex(with_alpha=True)))
    elif isinstance(value, (list, tuple)):
        out.append((type(value).__name__, len(value)))
        for item in value:
            flattened(item, seen, out)
    elif isinstance(value, dict):
        out.append(("dict", sorted(map(str, value))))
        for key in sorted(value, key=str):
            flattened(value[key], seen, out)
    elif hasattr(value, "__dict__") and not callable(value):
        out.append(("object", type(value).__qualname__))
        for key in sorted(k for k in vars(value) if k != "original_id"):
            out.append(key)
            flattened(vars(value)[key], seen, out)
    else:
        out.append(("value", type(value).__name__, repr(value) if not callable(value) else "callable"))
    return out


def arrays(value: Any, found: dict[int, np.ndarray], seen: set[int]) -> dict[int, np.ndarray]:
    if id(value) in seen:
        return found
    seen.add(id(value))
    if isinstance(value, np.ndarray):
        found[id(value)] = value
    elif isinstance(value, (list, tuple)):
        for item in value:
            arrays(item, found, seen)
    elif isinstance(value, dict):
        for item in value.values():
            arrays(item, found, seen)
    elif hasattr(value, "__dict__") and not callable(value):
        for item in vars(value).values():
            arrays(item, found, seen)
    return found


def test_the_copy_is_the_one_manim_makes(tmp_path):
    with tempconfig(manim_settings(tmp_path, 256, 144, 15)):
        shared = Circle(color=RED)
        formula = MathTex("L(a, x_i)", tex_template=TEX_TEMPLATE)
        group = VGroup(Text("Q, the average"), formula, Rectangle().set_fill(RED, 0.4), shared)
        group.add(VGroup(shared).next_to(group, DOWN))  # one circle in two places
        group.generate_target()
        ours, manims = copy.deepcopy(group), manims_copy(group)
    assert flattened(ours, {}, []) == flattened(manims, {}, [])
    assert ours[3] is ours[4][0]  # what the original shares stays shared in the copy
    originals = arrays(group, {}, set())
    assert originals and not set(arrays(ours, {}, set())) & set(originals)  # no array shared with the original


def test_a_replay_draws_nothing(tmp_path, monkeypatch):
    drawn = []
    monkeypatch.setattr(copying.CairoRenderer, "update_frame", lambda *args, **kwargs: drawn.append(1))
    with tempconfig(manim_settings(tmp_path, 256, 144, 15)):
        scene = replay(scene_classes()["title"], None, 7)
    assert scene.mobjects and not drawn


def test_a_text_set_once_is_handed_out_as_copies_equal_to_a_text_set_now(tmp_path):
    from scenes.parts import text
    from scenes.theme import get_theme

    theme = get_theme()
    with tempconfig(manim_settings(tmp_path, 256, 144, 15)):
        first, second = text.body(theme, "Push Q down"), text.body(theme, "Push Q down")
        now = text.drop_svg_paths(Text("Push Q down", font=text.font("body"), font_size=text.TYPE.body,
                                       color=theme.ink2))
        formula, again = text.math(theme, "L(a, x_i)"), text.math(theme, "L(a, x_i)", color=RED)
    assert first is not second and not set(arrays(first, {}, set())) & set(arrays(second, {}, set()))
    assert flattened(first, {}, []) == flattened(now, {}, [])
    first.shift(DOWN).set_color(RED)  # changing one copy changes no other
    assert flattened(second, {}, []) == flattened(now, {}, [])
    assert formula.get_color() != again.get_color()  # the colour is part of what is set


def test_a_text_set_once_is_laid_out_for_the_frame_it_is_drawn_in(tmp_path):
    from scenes.parts import text
    from scenes.theme import get_theme

    theme, line = get_theme(), "One model, five video clips, one number for how wrong it is"
    with tempconfig(manim_settings(tmp_path / "wide", 1920, 1080, 15)):
        text.heading(theme, line)  # set on a wide canvas first
    with tempconfig(manim_settings(tmp_path / "tiny", 128, 72, 5)):  # Pango wraps what is wider than the canvas
        kept = text.heading(theme, line)
        now = Text(line, font=text.font("heading"), font_size=text.TYPE.heading, color=theme.ink, weight="BOLD")
    assert flattened(kept, {}, []) == flattened(text.drop_svg_paths(now), {}, [])

"""Checks of what a scene shows at the end of each beat: text big enough to read, all in the safe frame.

``play_beats`` plays a scene without drawing (manim's skip mode: every animation jumps to its
end) and looks at the picture after each beat.
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass, field

from manim import Text, VMobject, tempconfig

from scenes import theme
from scenes.base import Previous
from scenes.readout import Readout

TOLERANCE = 1e-3


@dataclass
class BeatPicture:
    """What was on screen at the end of a beat: texts too small and mobjects outside the safe frame."""

    texts: list[tuple[str, float]] = field(default_factory=list)  # (text, font size) of every visible Text
    too_small: list[str] = field(default_factory=list)
    outside: list[str] = field(default_factory=list)


def visible(mob) -> bool:
    return isinstance(mob, VMobject) and mob.has_points() and (
        mob.get_fill_opacity() > 0.01 or (mob.get_stroke_opacity() > 0.01 and mob.get_stroke_width() > 0)
    )


def picture(scene) -> BeatPicture:
    """Measure every visible mobject on ``scene`` now."""
    result = BeatPicture()
    family = [mob for top in scene.mobjects for mob in top.get_family()]
    for mob in family:
        if isinstance(mob, Text) and any(visible(glyph) for glyph in mob.get_family()):
            result.texts.append((mob.text, mob.font_size))
            if mob.font_size < theme.SMALL_SIZE - TOLERANCE:
                result.too_small.append(f"{mob.text!r} at {mob.font_size:.1f} pt")
        if isinstance(mob, Readout) and mob.box.height < theme.MIN_CAP_HEIGHT - TOLERANCE:
            result.too_small.append(f"read-out {mob.value!r}: digits {mob.box.height:.3f} tall")
        if visible(mob):
            left, right = mob.get_left()[0], mob.get_right()[0]
            bottom, top = mob.get_bottom()[1], mob.get_top()[1]
            if left < -theme.SAFE_X - TOLERANCE or right > theme.SAFE_X + TOLERANCE or \
                    bottom < -theme.SAFE_Y - TOLERANCE or top > theme.SAFE_Y + TOLERANCE:
                result.outside.append(f"{type(mob).__name__} x [{left:.2f}, {right:.2f}] y [{bottom:.2f}, {top:.2f}]")
    return result


def play_beats(scene_class, params=None, seed=316, previous: Previous | None = None, theme_name="paper"):
    """Play ``scene_class`` without drawing; return (the scene, {beat: BeatPicture at its end})."""
    pictures: dict[str, BeatPicture] = {}

    def wrap(name):
        def beat(self):
            getattr(scene_class, name)(self)
            pictures[name] = picture(self)

        return beat

    recording = type(scene_class.__name__, (scene_class,), {name: wrap(name) for name in scene_class.beats})
    with tempfile.TemporaryDirectory() as media, tempconfig(
        {"media_dir": media, "verbosity": "WARNING", "progress_bar": "none", "disable_caching": True}
    ):
        scene = recording(params=params, seed=seed, previous=previous, theme_name=theme_name, skip_animations=True)
        scene.render()
    return scene, pictures


def on_screen(scene):
    """Every mobject drawn by ``scene`` now (the families of its top-level mobjects)."""
    return {mob for top in scene.mobjects for mob in top.get_family()}


def drawn(mobject):
    """The parts of ``mobject`` that have points (what ``on_screen`` must hold for it to be seen)."""
    return set(mobject.family_members_with_points())

"""Carrying the previous segment's declared mobject into this one, by a morph.

A scene picks up a mobject the segment before declares it leaves (``TitleScene.leaves``,
``BabyVsAiScene.leaves``; see scenes.base). ``morph_in(scene, name, target)`` turns it into
``target`` while the rest of the opening leaves (scenes.parts.opening_pieces), and falls back
to the generic cross-fade (``scene.hand_over``) when there is nothing to pick up: no previous
segment, or one this scene does not pick ``name`` up from.
"""

from __future__ import annotations

from manim import Mobject, ReplacementTransform

from scenes.base import SegmentScene
from scenes.parts.opening_pieces import detach, leave_and_arrive


def morph_in(scene: SegmentScene, name: str, target: Mobject, run_time: float) -> bool:
    """Morph the previous segment's ``name`` into ``target`` while the rest of the opening fades away.

    Without one to carry, cross-fade from the opening to ``target``. Either way ``target`` ends
    on screen and nothing of the opening stays. Returns whether it morphed.
    """
    mobject = scene.pick_up(name)
    if mobject is None:
        scene.hand_over(target, run_time=run_time)
        return False
    leaving = detach(scene, scene.opening, [mobject])
    scene.play(ReplacementTransform(mobject, target), *leave_and_arrive(leaving, run_time=run_time), run_time=run_time)
    scene.opening = []
    return True

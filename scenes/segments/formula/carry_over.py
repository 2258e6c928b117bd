"""Carrying a named mobject of the previous segment's last frame into this one, by a morph.

A segment's scene can end on a mobject the next one picks up by name (``TitleScene.formula_panel``,
``BabyVsAiScene.formula_panel``). ``carried(scene, name)`` finds it on the opening picture;
``morph_in(scene, name, target)`` turns it into ``target`` while the rest of the opening leaves
(scenes.parts.opening_pieces), and falls back to the generic cross-fade (``scene.hand_over``) when
there is nothing to carry: no previous segment, or one that does not end on it.
"""

from __future__ import annotations

from manim import Mobject, ReplacementTransform

from scenes.parts.opening_pieces import detach, leave_and_arrive


def carried(scene, name: str) -> Mobject | None:
    """The previous segment's ``name`` mobject if it is on the opening picture, else None."""
    mobject = getattr(scene.previous_scene, name, None)
    if mobject is None:
        return None
    shown = {id(member) for top in scene.opening for member in top.get_family()}
    return mobject if id(mobject) in shown else None


def morph_in(scene, name: str, target: Mobject, run_time: float) -> bool:
    """Morph the previous segment's ``name`` into ``target`` while the rest of the opening fades away.

    Without one to carry, cross-fade from the opening to ``target``. Either way ``target`` ends
    on screen and nothing of the opening stays. Returns whether it morphed.
    """
    mobject = carried(scene, name)
    if mobject is None:
        scene.hand_over(target, run_time=run_time)
        return False
    leaving = detach(scene, scene.opening, [mobject])
    scene.play(ReplacementTransform(mobject, target), *leave_and_arrive(leaving, run_time=run_time), run_time=run_time)
    scene.opening = []
    return True

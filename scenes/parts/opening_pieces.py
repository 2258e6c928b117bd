"""Taking the previous segment's last frame apart: keep chosen pieces, let the rest leave, change titles cleanly.

A scene opens on the previous segment's last frame (``SegmentScene.opening``). A morph keeps some
of its pieces (e.g. FormulaScene's ``clip_chips``) and lets the rest leave: ``detach`` takes the
kept pieces out of whatever groups hold them, so the rest can fade as a whole without taking the
kept pieces along. ``leave_and_arrive`` fades the leaving pieces out and the arrivals in, one after
the other within the same run time: what leaves is gone (below 30 % of its opacity) before what
arrives shows (30 % or more), so no text is ever drawn over another. When a PageTitle is leaving,
the new title waits for it (``PageTitle.give_way_to``): never two titles.
"""

from __future__ import annotations

from collections.abc import Iterable

from manim import Animation, FadeIn, FadeOut, Mobject, Scene, smooth, squish_rate_func

from scenes.parts.page import PageTitle

# Shares of a hand-over's run time: what leaves is faded by LEAVE_BY, what arrives starts at ARRIVE_FROM.
# A cross-dissolve: smooth fades at these shares pass each other at 15 % opacity, so the two are never both
# at 30 % or more (two texts in one place stay a faint ghost, never read over each other) and never both near
# nothing (no blank frame between them).
LEAVE_BY, ARRIVE_FROM = 0.75, 0.25
LEAVE = squish_rate_func(smooth, 0, LEAVE_BY)
ARRIVE = squish_rate_func(smooth, ARRIVE_FROM, 1)


def detach(scene: Scene, opening: Iterable[Mobject], keep: Iterable[Mobject]) -> list[Mobject]:
    """Put every mobject of ``keep`` on screen on its own; return the rest of ``opening`` in pieces.

    A group of ``opening`` that holds none of ``keep`` is one piece; one that holds some is opened
    up (its own points, if it draws any, become a piece of their own) down to the kept mobjects.
    """
    kept = list(keep)
    kept_ids = {id(mob) for mob in kept}
    pieces: list[Mobject] = []

    def visit(mob: Mobject) -> None:
        if id(mob) in kept_ids:
            return
        if not any(id(part) in kept_ids for part in mob.get_family()):
            pieces.append(mob)
            return
        if mob.has_points():
            shell = mob.copy()
            shell.submobjects = []
            pieces.append(shell)
        for child in mob.submobjects:
            visit(child)

    opening = list(opening)
    for mob in opening:
        visit(mob)
    scene.remove(*opening)
    scene.add(*pieces, *kept)
    return pieces


def leave_and_arrive(leaving: Iterable[Mobject], arrivals: Iterable[Mobject] = (), title: PageTitle | None = None,
                     run_time: float = 1.2) -> list[Animation]:
    """Animations: ``leaving`` fades out, then ``arrivals`` fade in, and ``title`` enters after any leaving title.

    Both within ``run_time``: the leaving are gone by LEAVE_BY of it, the arrivals start at ARRIVE_FROM.
    """
    leaving = list(leaving)
    old_titles = [mob for mob in leaving if isinstance(mob, PageTitle)]
    animations: list[Animation] = [FadeOut(mob, run_time=run_time, rate_func=LEAVE)
                                   for mob in leaving if mob not in old_titles]
    if title is not None:
        if old_titles:
            animations.append(old_titles[0].give_way_to(title, run_time=run_time))
            old_titles = old_titles[1:]
        else:
            animations.append(title.enter(run_time=run_time, rate_func=ARRIVE))
    animations += [old.leave(run_time=run_time, rate_func=LEAVE) for old in old_titles]
    animations += [FadeIn(mob, run_time=run_time, rate_func=ARRIVE) for mob in arrivals]
    return animations

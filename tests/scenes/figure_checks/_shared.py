"""What the figure checks of the training loop and the outro share: is it seen, and Q's charts."""

from __future__ import annotations

from riskmath.epochs import LEARNED_BELOW
from tests.scenes.helpers import visible


def showing(scene, mobject) -> bool:
    """``mobject`` is in the scene and some part of it is seen."""
    if mobject is None:
        return False
    family = {id(m) for top in scene.mobjects for m in top.get_family()}
    return id(mobject) in family and any(visible(m) for m in mobject.get_family())


def data_y(axes, point) -> float:
    """The data y of a frame point on CornerAxes."""
    (y0, y1) = axes.y_range
    bottom, length = axes.x_axis.get_start()[1], axes.y_axis.get_length()
    return y0 + (point[1] - bottom) / length * (y1 - y0)


def history_problems(scene, history, figures) -> list[str]:
    """Q's history: each bar shown as tall as its step's Q (never taller while it grows), in its level's
    colour, in its step's slot; the target line at riskmath's threshold."""
    found = []
    colours = scene.theme.level_colours("Q")
    for bar in history.shown:
        if not showing(scene, bar):
            continue
        step = history.bars.submobjects.index(bar) if bar in history.bars.submobjects else None
        if step is None:
            continue
        q = figures[step].q
        top = data_y(history.axes, bar.get_top())
        if top > q + 1e-6 or (bar.height > 0.05 and abs(bar.get_center()[0] - history.axes.c2p(step + 0.5, 0)[0])
                                > 1e-6):
            found.append(f"history bar {step} reaches {top:.4f}, its Q is {q:.4f}")
        if bar.get_fill_color() != colours[figures[step].level]:
            found.append(f"history bar {step} is coloured against Q's level ({figures[step].q_text})")
    line = history.target_line[0]
    if showing(scene, line) and abs(data_y(history.axes, line.get_center()) - LEARNED_BELOW) > 1e-6:
        found.append("the history's target line is not at riskmath's threshold")
    return found

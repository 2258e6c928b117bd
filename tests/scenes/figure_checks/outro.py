"""The outro at every frame: its history is riskmath's Q with the target line at 0.08; on the valley the
ball sits on the curve at the w read out, the slope, the nudge (−rate × slope) and Q are riskmath's at
the ball's w, the tangent has that slope, Q is coloured by its level; and the next idea's name is not on
screen before the end card, where the narrator names it."""

from __future__ import annotations

import numpy as np

from riskmath import line_risk
from riskmath.epochs import LEARNED_BELOW
from riskmath.training import risk_gradient
from scenes.parts.readout import format_value
from tests.scenes.figure_checks._shared import data_y, history_problems, showing


def _words(text: str) -> str:
    return "".join(text.split()).lower()


def problems(scene) -> list[str]:
    found: list[str] = []
    p = scene.params
    figures = getattr(scene, "figures", None)
    history = getattr(scene, "history", None)
    beat = scene.beats[min(len(scene.beat_log), len(scene.beats) - 1)]
    if beat == "recall_history" and history is not None and figures is not None:  # then its bars become dots
        found += history_problems(scene, history, figures)
    if beat != "end_card":
        name = _words(p.next_title)
        for top in scene.mobjects:
            for m in top.get_family():
                if isinstance(getattr(m, "text", None), str) and name in _words(m.text) and showing(scene, m):
                    found.append(f"{p.next_title!r} is on screen during {beat}, before it is named")
    land, rows = getattr(scene, "land", None), getattr(scene, "rows", None)
    if land is None or rows is None:
        return found
    xs, ys = p.dataset(scene.seed)
    target = getattr(scene, "land_target", None)
    if (target is not None and showing(scene, target.line) and showing(scene, land.axes.x_axis)
            and abs(data_y(land.axes, target.line.get_center()) - LEARNED_BELOW) > 1e-6):
        found.append("the valley's target line is not at riskmath's threshold")
    tracker = getattr(land, "w", None)
    w = tracker.get_value() if tracker is not None else p.w0
    slope = risk_gradient(xs, ys, w, p.b0)[0]
    expected = {"w": format_value(w, 2), "slope": format_value(slope, 2),
                "nudge": format_value(-p.learning_rate * slope, 2),
                "Q": format_value(line_risk(xs, ys, w, p.b0), p.q_places)}
    for key, text in expected.items():
        row = rows.get(key)
        if row is None or not showing(scene, row):
            continue
        if key in ("slope", "nudge") and tracker is None:
            continue
        shown = row.number.text_for(row.number.value)
        if shown != text:
            found.append(f"{key} shows {shown}, riskmath at the ball's w = {w:.4f}: {text}")
        if key == "Q" and row.number.colour != scene.theme.q_colour(row.number.shown(row.number.value)):
            found.append(f"Q {shown} is coloured against its level")
    if tracker is not None and showing(scene, land.ball) and land.axes.x_axis in scene.mobjects:
        if np.linalg.norm(land.ball.get_center() - land.rest_point(w)) > 1e-3:
            found.append(f"the ball is not on the curve at w = {w:.3f}")
        tangent = land.tangent
        if showing(scene, tangent) and tangent.get_length() > 0.05:
            start, end = tangent.get_start(), tangent.get_end()
            (x0, x1), (y0, y1) = land.axes.x_range, land.axes.y_range
            sx, sy = land.axes.x_axis.get_length() / (x1 - x0), land.axes.y_axis.get_length() / (y1 - y0)
            drawn = ((end - start)[1] / sy) / ((end - start)[0] / sx)
            if abs(drawn - slope) > 1e-3 * max(1, abs(slope)):
                found.append(f"the tangent's slope is {drawn:.3f}, riskmath's at the ball {slope:.3f}")
    return found

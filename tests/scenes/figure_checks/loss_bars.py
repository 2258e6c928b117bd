"""The loss bars at every frame: each bar as long as its number, Q the average of the numbers shown
(riskmath's rounding) in its state's colour, the epoch counter naming the pass whose losses the bars
show (or are moving to), the chart's points riskmath's Q of the epochs so far, and the notes beside Q
("getting close", the verdict) shown only while Q's colour says so."""

from __future__ import annotations

from riskmath import Level, clip_losses, empirical_risk, epoch_risk, risk_level, round_half_away
from riskmath.epochs import LEARNED_BELOW
from scenes.parts.components import format_decimal
from tests.scenes.helpers import visible

EPS = 1e-9


def showing(scene, mobject) -> bool:
    """``mobject`` is in the scene and some part of it is seen."""
    if mobject is None:
        return False
    family = {id(m) for top in scene.mobjects for m in top.get_family()}
    return id(mobject) in family and any(visible(m) for m in mobject.get_family())


def problems(scene) -> list[str]:
    found: list[str] = []
    rows = list(getattr(scene, "rows", []))
    shown_rows = [row for row in rows if showing(scene, row.number)]
    values = [row.number.shown(row.number.value) for row in shown_rows]
    for row, value in zip(shown_rows, values, strict=True):
        if showing(scene, row.bar) and abs(row.bar.width / row.track_width - value) > 0.005 + 1e-6:
            found.append(f"{row.label.text}: bar at {row.bar.width / row.track_width:.4f} of its track, "
                         f"number says {value:.2f}")
    q = getattr(scene, "q_number", None)
    q_shown = showing(scene, q)
    level = risk_level(q.shown(q.value)) if q is not None else None
    if q_shown and rows and len(shown_rows) == len(rows):
        average = format_decimal(round_half_away(empirical_risk(values), 2))
        if q.text_for(q.value) != average:
            found.append(f"Q shows {q.text_for(q.value)}, the bars shown {values} average {average}")
    if q_shown and q.colour != scene.theme.q_colour(q.shown(q.value)):
        found.append(f"Q {q.text_for(q.value)} is coloured {q.colour.to_hex()}, not its state's")
    base = [clip.base_loss for clip in scene.params.clips]
    counter = getattr(scene, "counter", None)
    epoch = None
    if showing(scene, counter):
        epoch = round(counter.count.shown(counter.count.value))
        now, before = clip_losses(base, epoch, scene.params.decay), clip_losses(base, max(epoch - 1, 1),
                                                                                scene.params.decay)
        for row, value in zip(shown_rows, values, strict=True):
            i = rows.index(row)
            if not now[i] - EPS <= value <= before[i] + EPS:
                found.append(f"counter says epoch {epoch} but {row.label.text} shows {value:.2f} "
                             f"(pass {epoch}: {now[i]:.2f}, the pass before: {before[i]:.2f})")
    chart = getattr(scene, "chart", None)
    if chart is not None and showing(scene, chart.frame):
        dots = [dot for dot in chart.dots if showing(scene, dot)]
        allowed = {1} if epoch is None else {epoch - 1, epoch}
        if dots and len(dots) not in allowed:
            found.append(f"the chart has {len(dots)} points while the counter says epoch {epoch}")
        for k, dot in enumerate(dots, start=1):
            at_epoch, at_q = chart.axes.p2c(dot.get_center())
            expected = epoch_risk(base, k, scene.params.decay)
            if abs(at_epoch - k) > 1e-6 or abs(at_q - expected) > 1e-6:
                found.append(f"chart point {k} at ({at_epoch:.3f}, {at_q:.4f}), riskmath: ({k}, {expected})")
            if dot.get_color() != scene.theme.q_colour(expected):
                found.append(f"chart point {k} coloured against its state")
        line = chart.threshold[0]
        if abs(chart.axes.p2c(line.get_center())[1] - LEARNED_BELOW) > 1e-6:
            found.append("the target line is not at riskmath's threshold")
    note = getattr(scene, "close_note", None)
    if note is not None and q_shown and showing(scene, note) != (level is Level.FAIR):
        state = 'shown' if showing(scene, note) else 'hidden'
        found.append(f"'getting close' {state} while Q is {q.text_for(q.value)}")
    if showing(scene, getattr(scene, "verdict_text", None)) and level is not Level.GOOD:
        found.append(f"the verdict is shown while Q is {q.text_for(q.value)}")
    return found

"""The training loop at every frame: the line drawn is y = w·x + b for the w and b read out, each gap
runs from its point to that line, Q shows a value of the last two measured steps (the newest bar of its
history and the one before, counting between them) in its level's colour with the note of its level,
L a loss of the ringed example near those steps, and the history's bars are riskmath's Q."""

from __future__ import annotations

from riskmath import risk_level
from tests.scenes.figure_checks._shared import history_problems, showing

ROUNDING = 0.005 + 1e-9  # w and b are read out to 2 places


def between(value: float, a: float, b: float, slack: float) -> bool:
    return min(a, b) - slack <= value <= max(a, b) + slack


def problems(scene) -> list[str]:
    found: list[str] = []
    figures = getattr(scene, "figures", None)
    if figures is None:
        return found
    plot, w_row, b_row = getattr(scene, "plot", None), getattr(scene, "w_row", None), getattr(scene, "b_row", None)
    if plot is not None and showing(scene, w_row) and showing(scene, b_row) and showing(scene, plot.line):
        w, b = w_row.number.value, b_row.number.value
        axes = plot.axes
        scale = axes.y_axis.get_length() / (axes.y_range[1] - axes.y_range[0])
        for x, end in ((0.0, plot.line.get_start()), (1.0, plot.line.get_end())):
            expected = axes.c2p(x, w * x + b)
            if abs(end[1] - expected[1]) > 2 * ROUNDING * scale or abs(end[0] - expected[0]) > 1e-6:
                found.append(f"the line at x = {x:g} is not y = {w:.2f}·x + {b:.2f} (the read-outs)")
        for k, gap in enumerate(plot.gaps):
            if not showing(scene, gap):
                continue
            x, y = plot.xs[k], plot.ys[k]
            ends = sorted((gap.get_start()[1], gap.get_end()[1]))
            want = sorted((axes.c2p(x, y)[1], axes.c2p(x, w * x + b)[1]))
            if abs(ends[0] - want[0]) > 2 * ROUNDING * scale or abs(ends[1] - want[1]) > 2 * ROUNDING * scale:
                found.append(f"gap {k + 1} does not run from its point to the line shown")
    history = getattr(scene, "history", None)
    measured = len(history.shown) - 1 if history is not None else -1
    if history is not None and showing(scene, history.axes):
        found += history_problems(scene, history, figures)
    q_row = getattr(scene, "q_row", None)
    if q_row is not None and showing(scene, q_row):
        q = q_row.number
        shown = q.shown(q.value)
        newest, before = figures[max(measured, 0)].q, figures[max(measured - 1, 0)].q
        if not between(shown, newest, before, 0.5 * 10 ** -q.places + 1e-9):
            found.append(f"Q shows {q.text_for(q.value)}, not a Q of steps {measured - 1}..{measured} "
                         f"({before:.4f}..{newest:.4f})")
        if q.colour != scene.theme.q_colour(shown):
            found.append(f"Q {q.text_for(q.value)} is coloured against its level")
        note = getattr(scene, "q_note", None)
        if note is not None:
            level = risk_level(shown)
            seen = [lvl for lvl, words in note.notes.items() if showing(scene, words)]
            if seen != ([level] if level in note.notes else []):
                found.append(f"the note beside Q {q.text_for(q.value)} says {[lvl.value for lvl in seen]}")
    l_row = getattr(scene, "l_row", None)
    if l_row is not None and showing(scene, l_row):
        losses = [f.losses[scene.example] for f in figures[max(measured - 1, 0): measured + 2]]
        value = l_row.number.shown(l_row.number.value)
        if not between(value, min(losses), max(losses), 0.5 * 10 ** -l_row.number.places + 1e-9):
            found.append(f"L shows {l_row.number.text_for(l_row.number.value)}, not a loss of the ringed example "
                         f"near step {measured}")
    return found

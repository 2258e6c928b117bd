"""Segment 7: what comes next. Q's history becomes a landscape, and a ball rolls down it; the end card.

It opens on the training loop's history of Q (one bar per step), joins the bars' tops into a
curve, then turns that curve into Q as a function of the weight w alone (b held at its starting
value, so the first point is the same Q). A ball rolls down by gradient descent: the tangent at
the ball is drawn, each nudge is −rate × slope, and the nudges shrink as the slope flattens.
Landscape, path and slopes come from riskmath. The video ends on a held card: the formula, the
takeaway and what comes next.
"""

from dataclasses import dataclass
from typing import Annotated

import numpy as np
from annotated_types import MaxLen
from manim import (
    DOWN,
    LEFT,
    RIGHT,
    UP,
    Create,
    FadeIn,
    FadeOut,
    GrowArrow,
    Mobject,
    ReplacementTransform,
    Transform,
    UpdateFromFunc,
    VGroup,
    smooth,
    squish_rate_func,
)
from pydantic import Field

from riskmath import descent_on_landscape, line_risk
from riskmath.epochs import LEARNED_BELOW
from riskmath.training import risk_gradient
from scenes.base import PickUp, SegmentScene
from scenes.fields import Seconds, Text
from scenes.parts import text
from scenes.parts.components import fit_within, format_decimal
from scenes.parts.formula_panel import FormulaPanel, get_q_symbol
from scenes.parts.page import PageTitle
from scenes.parts.plots import CornerAxes, QHistory
from scenes.parts.readout import Readout, format_value
from scenes.parts.targets import get_target_line
from scenes.parts.tiny_model import TinyModelParams, training_figures
from scenes.parts.value_row import q_readout, value_row
from scenes.segments.outro.landscape import QLandscape
from scenes.theme import HOLD, MATH, SAFE_X, SPACE, TYPE


class OutroParams(TinyModelParams):
    """Texts, the landscape, the descent and timings; defaults reproduce the storyboard.

    The training run (TinyModelParams) is the training loop's, so its history is the same; the
    landscape holds b at ``b0`` and the ball starts at ``w0``, where the history starts.
    """

    question: Annotated[Text, MaxLen(36)] = "Which way to nudge?"  # the page's title until the end card
    history_caption: Annotated[Text, MaxLen(28)] = "after each step"  # after the symbol Q(a, X)
    step_label: Annotated[Text, MaxLen(8)] = "step"
    held_label: Annotated[Text, MaxLen(12)] = "held still"
    slope_label: Annotated[Text, MaxLen(8)] = "slope"
    nudge_label: Annotated[Text, MaxLen(8)] = "nudge"
    takeaway: Annotated[Text, MaxLen(56)] = "Measure the average mistake, then shrink it."
    next_label: Annotated[Text, MaxLen(20)] = "Next up"
    next_title: Annotated[Text, MaxLen(26)] = "Gradient descent"
    next_line: Annotated[Text, MaxLen(44)] = "how the weights find the way downhill"
    # The descent (riskmath.descent_on_landscape, at the training run's learning rate).
    descent_steps: int = Field(6, ge=1, le=20)
    samples: int = Field(121, ge=20, le=400)
    # Timings.
    change_seconds: Seconds = 1.6
    roll_seconds: Seconds = 1.4
    fast_roll_seconds: Seconds = 0.8
    hold_seconds: Seconds = HOLD


@dataclass(frozen=True)
class Descent:
    """The landscape and the ball's path, from riskmath."""

    ws: np.ndarray  # the sampled weights
    qs: np.ndarray  # Q at each of them
    path: tuple[tuple[float, float], ...]  # (w, Q) after each step, step 0 first
    slopes: tuple[float, ...]  # dQ/dw at each point of the path
    learning_rate: float

    @property
    def nudges(self) -> tuple[float, ...]:
        """Each step's change of w: −learning rate × slope."""
        return tuple(-self.learning_rate * slope for slope in self.slopes)


def descent(params: OutroParams, seed: int) -> Descent:
    """The Descent for ``params``: riskmath's landscape (wide enough for the whole path) and path."""
    xs, ys = params.dataset(seed)
    ws, qs, path = descent_on_landscape(xs, ys, params.b0, params.w0, params.descent_steps, params.learning_rate,
                                        samples=params.samples)
    slopes = tuple(risk_gradient(xs, ys, w, params.b0)[0] for w, _ in path)
    return Descent(ws, qs, tuple(path), slopes, params.learning_rate)


class OutroScene(SegmentScene):
    """Q's history turned into a landscape, a ball rolled down it by its slope, and the end card."""

    scene_name = "outro"
    Params = OutroParams
    params: OutroParams
    picks_up = (PickUp("history", after=("training_loop",)),)  # its bars become the curve
    beats = ("recall_history", "join_the_dots", "to_landscape", "show_slope", "first_step", "roll_down", "end_card")

    # Layout (frame units).
    history_box = (0.1, -0.15, 11.6, 5.0)  # centre x, centre y, width, height: the frame's width, its 0.08 in
    plot_box = (-2.0, -0.15, 7.4, 5.0)  # the landscape, leaving room for the read-outs and its 0.08
    readout_x = 2.75
    readout_ys = {"w": 2.2, "b": 1.55, "slope": 0.8, "nudge": 0.15, "Q": -0.95}

    # Beats.
    def recall_history(self) -> None:
        """The history of Q from the training loop, one bar per step."""
        p = self.params
        self.figures = training_figures(p, self.seed)
        self.descent = descent(p, self.seed)
        cx, cy, width, height = self.history_box
        self.history = QHistory(self.theme, [f.q for f in self.figures], [f.level for f in self.figures], width, height,
                                (cx, cy),
                                p.history_caption, get_q_symbol(self.theme, MATH.small), p.step_label,
                                p.target_label).show_all()
        self.page_title = PageTitle(self.theme, p.question)
        carried = self.pick_up("history")
        if carried is not None:
            leaving = [mob for mob in self.opening if not set(mob.get_family()) & set(carried.get_family())]
            # The loop's page fades before its history's words move across it and before the new title comes.
            self.play(ReplacementTransform(carried, self.history, rate_func=squish_rate_func(smooth, 0.3, 1)),
                      *(FadeOut(mob, rate_func=squish_rate_func(smooth, 0, 0.4)) for mob in leaving),
                      FadeIn(self.page_title, shift=0.12 * UP, rate_func=squish_rate_func(smooth, 0.5, 1)),
                      run_time=p.change_seconds)
            self.opening = []
        else:
            self.hand_over(self.history, self.page_title, run_time=p.change_seconds)
        self.wait(p.hold_seconds)

    def join_the_dots(self) -> None:
        """Each bar shrinks to a dot at its top; a curve joins them: fast at first, then slower."""
        p = self.params
        axes, bars = self.history.axes, self.history.shown
        self.dots = self.history.get_dots()
        self.trend = axes.curve([k + 0.5 for k in range(len(self.figures))], [f.q for f in self.figures],
                                color=self.theme.ink2, stroke_width=4)
        self.history.remove(bars)
        self.play(ReplacementTransform(bars, self.dots), run_time=p.change_seconds)
        self.bring_to_front(self.dots)
        self.play(Create(self.trend), run_time=p.change_seconds)
        self.bring_to_front(self.dots)
        self.wait(p.hold_seconds)

    def to_landscape(self) -> None:
        """Hold b still and put w across: the curve becomes the valley of Q over w; the first dot, the ball."""
        p = self.params
        self.land = self.get_landscape()
        old, new = self.history.axes, self.land.axes
        self.land.place_ball(p.w0)
        self.rows = self.get_readouts()
        arriving = [self.rows[key] for key in ("w", "b", "Q")]
        self.play(ReplacementTransform(old.x_axis, new.x_axis), ReplacementTransform(old.y_axis, new.y_axis),
                  *(FadeOut(mob, rate_func=squish_rate_func(smooth, 0, 0.4))  # the old words go before the new come
                    for mob in (old.x_label, self.history.target_line, self.history.caption)),
                  *(FadeIn(mob, rate_func=squish_rate_func(smooth, 0.6, 1)) for mob in (new.x_label, self.land_target)),
                  ReplacementTransform(old.y_label, new.y_label),
                  ReplacementTransform(self.trend, self.land.curve), ReplacementTransform(self.dots[0], self.land.ball),
                  *(FadeOut(dot) for dot in self.dots[1:]),
                  *(FadeIn(row, shift=0.1 * LEFT) for row in arriving), run_time=2 * p.change_seconds)
        self.wait(p.hold_seconds)

    def show_slope(self) -> None:
        """The slope at the ball, drawn as its tangent; w, slope, nudge and Q read out."""
        p = self.params
        self.land.attach(p.w0)
        # What moves goes last (manim redraws from the first mover up): the ball follows w from now on.
        self.bring_to_front(*(self.rows[key] for key in ("w", "b", "Q")), self.land.ball)
        self.play(Create(self.land.tangent), FadeIn(self.rows["slope"], shift=0.1 * LEFT), run_time=p.change_seconds)
        self.play(FadeIn(VGroup(self.rows["nudge"], self.rows["rule"]), shift=0.1 * LEFT), run_time=p.change_seconds)
        self.wait(p.hold_seconds)

    def first_step(self) -> None:
        """One nudge of −rate × slope along w; the ball rolls there and Q drops."""
        p = self.params
        self.step(1, p.roll_seconds, arrow_seconds=p.roll_seconds)
        self.wait(p.hold_seconds)

    def roll_down(self) -> None:
        """The rest of the descent: the slope flattens, so each nudge is smaller than the last."""
        p = self.params
        for k in range(2, len(self.descent.path)):
            self.step(k, p.fast_roll_seconds)
        self.wait(p.hold_seconds)

    def end_card(self) -> None:
        """The formula, the takeaway and what comes next, held to the end of the video."""
        p = self.params
        self.land.detach()
        self.next_block = block = self.get_next_block()
        panel = FormulaPanel(self.theme)
        panel.scale_to_fit_width(7.6).move_to([0, 2.25, 0])
        takeaway = fit_within(text.heading(self.theme, p.takeaway, size=TYPE.subheading), 12.8, 1.0).move_to([0, 0.35,
                                                                                                              0])
        self.formula_panel = panel
        mini = VGroup(self.land.axes.x_axis, self.land.axes.y_axis, self.land_target.line, self.land.curve,
                      self.land.nudges, self.land.tangent, self.land.ball)
        target = mini.copy().scale_to_fit_height(2.3).move_to([3.6, -2.1, 0])
        leaving = [*self.rows.values(), self.land.axes.x_label, self.land.axes.y_label, self.land_target.label,
                   self.land_target.value, self.page_title]
        # The valley's words go before the card's arrive (never text over text); its picture shrinks aside.
        self.play(*(FadeOut(mob) for mob in leaving), Transform(mini, target), run_time=0.6 * p.change_seconds)
        self.play(FadeIn(panel, shift=0.2 * DOWN), FadeIn(block, shift=0.1 * RIGHT), run_time=p.change_seconds)
        self.play(FadeIn(takeaway, shift=0.15 * UP), run_time=p.change_seconds)
        self.takeaway = takeaway
        self.wait(3 * p.hold_seconds)

    # One step of the descent.
    def step(self, k: int, seconds: float, arrow_seconds: float | None = None) -> None:
        """Step ``k``: the nudge arrow along w, then the ball rolls to w_k while the read-outs count."""
        (w_from, _), (w_to, _) = self.descent.path[k - 1], self.descent.path[k]
        arrow = self.land.get_nudge(w_from, w_to)
        earlier = [old.animate.set_opacity(0.3) for old in self.land.nudges]
        self.land.nudges.add(arrow)
        if arrow_seconds:
            self.play(FadeIn(arrow[0]), GrowArrow(arrow[1]), *earlier, run_time=arrow_seconds)
            self.play(self.land.roll_to(w_to), self.read_at_ball(), run_time=seconds)
        else:
            self.play(FadeIn(arrow[0]), GrowArrow(arrow[1]), *earlier, self.land.roll_to(w_to), self.read_at_ball(),
                      run_time=seconds)

    def read_at_ball(self) -> UpdateFromFunc:
        """On every frame of a roll: w, the slope there, the next nudge and Q, read where the ball is (riskmath)."""
        p, rows = self.params, self.rows
        xs, ys = p.dataset(self.seed)

        def update(_: Mobject) -> None:
            w = self.land.w.get_value()
            slope = risk_gradient(xs, ys, w, p.b0)[0]
            for key, value in (("w", w), ("slope", slope), ("nudge", -p.learning_rate * slope),
                               ("Q", line_risk(xs, ys, w, p.b0))):
                rows[key].number.set_value(value)

        return UpdateFromFunc(VGroup(*(rows[key].number for key in ("w", "slope", "nudge", "Q"))), update)

    # Building blocks.
    def get_landscape(self) -> QLandscape:
        """Q over w (riskmath's samples) on axes in the history's place, with its slope at any w."""
        p = self.params
        cx, cy, width, height = self.plot_box
        top = max(float(self.descent.qs.max()) * 1.08, 1e-6)
        axes = CornerAxes(self.theme, (self.descent.ws[0], self.descent.ws[-1]), (0, top), width, height, (cx, cy),
                          x_label=text.math(self.theme, "w", MATH.row), y_label=get_q_symbol(self.theme, MATH.small))
        xs, ys = p.dataset(self.seed)
        ends = axes.c2p(self.descent.ws[0], LEARNED_BELOW), axes.c2p(self.descent.ws[-1], LEARNED_BELOW)
        self.land_target = get_target_line(self.theme, *ends, LEARNED_BELOW, p.target_label)
        return QLandscape(self.theme, axes, self.descent.ws, self.descent.qs,
                          lambda w: (line_risk(xs, ys, w, p.b0), risk_gradient(xs, ys, w, p.b0)[0]))

    def get_readouts(self) -> dict[str, VGroup]:
        """Rows "w = …", "b = … held still", "slope = …", "nudge = …" (−rate × slope) and a large "Q(a, X) = …".

        Each row's ``.number`` is a Readout that counts (b's stays: b is held).
        """
        p, d = self.params, self.descent
        values = {"w": [w for w, _ in d.path], "b": [p.b0], "slope": d.slopes, "nudge": d.nudges}
        labels = {"w": text.math(self.theme, "w", MATH.row), "b": text.math(self.theme, "b", MATH.row),
                  "slope": text.mono(self.theme, p.slope_label, size=TYPE.body_small),
                  "nudge": text.mono(self.theme, p.nudge_label, size=TYPE.body_small)}
        colours = {"w": self.theme.ink, "b": self.theme.ink2, "slope": self.theme.blue, "nudge": self.theme.ink}
        rows = {}
        for key, label in labels.items():
            width = max(len(format_value(v, 2)) for v in values[key])
            number = Readout(values[key][0], places=2, size=TYPE.readout_small, color=colours[key], width=width)
            rows[key] = value_row(self.theme, label, number)
        q_width = max(len(format_value(q, p.q_places)) for _, q in d.path)
        rows["Q"] = value_row(self.theme, get_q_symbol(self.theme, MATH.symbol),
                              q_readout(self.theme, d.path[0][1], p.q_places, width=q_width))
        for key, y in self.readout_ys.items():
            rows[key].move_to([self.readout_x, y, 0], aligned_edge=LEFT)
        held = text.mono(self.theme, p.held_label, size=TYPE.small)
        rows["b"].add(held.next_to(rows["b"], RIGHT, buff=SPACE.base))
        rule = text.mono(self.theme, f"= −{format_decimal(p.learning_rate)} × {p.slope_label}", size=TYPE.small)
        rows["rule"] = rule.next_to(rows["nudge"], DOWN, buff=SPACE.snug).align_to(rows["nudge"].number, RIGHT)
        return rows

    def get_next_block(self) -> VGroup:
        """"Next up", the next idea's name and a line on what it does, at the bottom left."""
        p = self.params
        label = text.mono(self.theme, p.next_label, size=TYPE.note, color=self.theme.ink2)
        title = fit_within(text.heading(self.theme, p.next_title, size=TYPE.heading), 5.6, 0.8)
        line = fit_within(text.body(self.theme, p.next_line, size=TYPE.label, color=self.theme.ink2), 5.6, 0.9)
        block = VGroup(label, title, line).arrange(DOWN, aligned_edge=LEFT, buff=SPACE.small)
        block.move_to([-SAFE_X, -2.1, 0], aligned_edge=LEFT)
        block.label, block.title, block.line = label, title, line
        return block

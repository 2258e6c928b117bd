"""Segment 7: what comes next. Gradient descent as a ball rolling down the Q landscape.

The landscape is Q as a function of the weight w alone (b held fixed), and the ball follows a
real gradient-descent path down it; both come from riskmath.descent_on_landscape. The scene only
formats and draws them.
"""

from dataclasses import dataclass

import numpy as np
from manim import (
    DOWN,
    LEFT,
    RIGHT,
    UP,
    Axes,
    Create,
    Dot,
    FadeIn,
    FadeOut,
    Line,
    MoveAlongPath,
    VGroup,
    VMobject,
    Write,
    smooth,
)
from pydantic import Field, model_validator

from riskmath import descent_on_landscape, line_risk, risk_level
from scenes import theme
from scenes.base import SegmentScene
from scenes.components import DatasetParams, fit_within, format_decimal, tick
from scenes.fields import Seconds, Text



class OutroParams(DatasetParams):
    """Texts, the landscape, the descent and timings; defaults reproduce the storyboard."""

    headline: Text = "Next: gradient descent"
    subline: Text = "the rule that decides how to nudge the weights"
    landscape_caption: Text = "Q for every value of one weight w"
    farewell: Text = "The same loop runs inside every model."
    step_label: Text = "step"
    # The descent (riskmath.descent_on_landscape).
    b: float = Field(0.5, ge=-5, le=5)
    w0: float = Field(-0.5, ge=-10, le=10)
    steps: int = Field(8, ge=1, le=20)
    learning_rate: float = Field(0.5, gt=0, le=0.7)
    span_low: float = Field(-1.0, ge=-10, le=10)
    span_high: float = Field(5.0, ge=-10, le=10)
    samples: int = Field(121, ge=20, le=400)
    q_places: int = Field(3, ge=1, le=4)
    # Timings.
    intro_seconds: Seconds = 1.5
    draw_seconds: Seconds = 2.5
    roll_seconds: Seconds = 1.3
    hold_seconds: Seconds = theme.HOLD

    @model_validator(mode="after")
    def _start_inside_span(self):
        if not self.span_low < self.span_high:
            raise ValueError("span_low must be below span_high")
        if not self.span_low <= self.w0 <= self.span_high:
            raise ValueError("w0 must lie inside [span_low, span_high]")
        return self


@dataclass(frozen=True)
class Landscape:
    """Everything the scene draws, from riskmath.descent_on_landscape."""

    ws: np.ndarray  # the sampled weights
    qs: np.ndarray  # Q at each of them
    path: tuple  # the descent: (w, Q) after each step, step 0 first

    def step_texts(self, places):
        """For each step of the path: (w shown, Q shown)."""
        return [(format_decimal(w, 2), format_decimal(q, places)) for w, q in self.path]


def landscape(params, seed):
    """The Landscape for ``params``; raises ValueError if the descent leaves the drawn span."""
    xs, ys = params.dataset(seed)
    ws, qs, path = descent_on_landscape(
        xs, ys, params.b, params.w0, params.steps, params.learning_rate, (params.span_low, params.span_high), params.samples
    )
    if any(not params.span_low <= w <= params.span_high for w, _ in path):
        raise ValueError("the descent leaves [span_low, span_high]: lower learning_rate or widen the span")
    return Landscape(ws, qs, tuple(path))


def segment_qs(params, seed, w_from, w_to, samples=24):
    """Q at ``samples`` weights from ``w_from`` to ``w_to`` (riskmath), for the ball's roll between steps."""
    xs, ys = params.dataset(seed)
    ws = np.linspace(w_from, w_to, samples)
    return ws, np.array([line_risk(xs, ys, w, params.b) for w in ws])


class OutroScene(SegmentScene):
    """Gradient descent named, the Q landscape drawn, a ball rolled down it, and a farewell."""

    scene_name = "outro"
    Params = OutroParams
    beats = ("whats_next", "show_landscape", "roll_ball", "farewell")

    # Layout (frame units).
    plot_centre = (-1.85, -0.55)
    plot_size = (8.0, 4.6)
    readout_left = 3.55
    readout_top = 0.9
    ball_radius = 0.15
    q_size = 44

    # Beats.
    def whats_next(self):
        """The name of the next idea and what it does, then it becomes the page's title."""
        p = self.params
        self.title_text = fit_within(self.heading(p.headline, size=theme.TITLE_SIZE), 12.8, 1.1)
        self.subline = fit_within(self.body(p.subline, color=theme.INK3), 12.8, 0.6)
        VGroup(self.title_text, self.subline).arrange(DOWN, buff=0.35)
        self.play(Write(self.title_text), run_time=p.intro_seconds)
        self.play(FadeIn(self.subline, shift=0.15 * UP), run_time=theme.HOLD)
        self.wait(2 * p.hold_seconds)
        corner = fit_within(self.heading(p.headline), 8.0, 0.8).to_corner(UP + LEFT, buff=0.5)
        self.play(
            self.title_text.animate.scale(corner.height / self.title_text.height).move_to(corner),
            FadeOut(self.subline, shift=0.15 * DOWN),
            run_time=theme.HOLD,
        )

    def show_landscape(self):
        """Axes of Q against w, and the landscape drawn along them."""
        p = self.params
        self.land = landscape(p, self.seed)
        self.plot = self.get_plot()
        self.curve = self.get_curve()
        self.play(Create(self.plot), FadeIn(self.plot.caption), run_time=theme.HOLD)
        self.play(Create(self.curve), run_time=p.draw_seconds)
        self.wait(p.hold_seconds)

    def roll_ball(self):
        """The ball starts high and rolls down the real descent path, one step at a time."""
        p = self.params
        texts = self.land.step_texts(p.q_places)
        self.ball = self.get_ball().move_to(self.rest_point(0))
        self.readout = self.get_readout(0, texts[0])
        self.play(FadeIn(self.ball, scale=0.5), FadeIn(self.readout), run_time=theme.HOLD)
        self.wait(p.hold_seconds)
        for step in range(1, len(self.land.path)):
            trail = Dot(self.ball.get_center(), radius=0.05, color=theme.RED).set_opacity(0.45)
            new = self.get_readout(step, texts[step])
            self.add(trail)
            self.bring_to_front(self.ball)
            self.play(
                MoveAlongPath(self.ball, self.get_roll_path(step - 1, step), rate_func=smooth),
                *tick(self.readout.values, new.values),
                run_time=p.roll_seconds,
            )
            self.readout.values, self.readout.texts = new.values, new.texts
        self.wait(2 * p.hold_seconds)

    def farewell(self):
        """A last line under the landscape, a hold, then a clean page."""
        p = self.params
        line = fit_within(self.body(p.farewell, color=theme.INK), 12.8, 0.6).to_edge(DOWN, buff=0.3)
        self.play(FadeIn(line, shift=0.15 * UP), run_time=theme.HOLD)
        self.wait(2 * p.hold_seconds)
        self.play(*(FadeOut(mob) for mob in self.mobjects), run_time=theme.HOLD)

    # Motion.

    def rest_point(self, step):
        """Where the ball's centre sits at ``step``: on the curve at the path's (w, Q), lifted by its radius."""
        w = self.land.path[step][0]
        ws, qs = segment_qs(self.params, self.seed, w - 1e-3, w + 1e-3, samples=3)
        return self.get_roll_points(ws, qs)[1]

    def get_roll_path(self, start, end):
        """The ball's centre rolling along the landscape from path step ``start`` to ``end``."""
        w_from, w_to = self.land.path[start][0], self.land.path[end][0]
        ws, qs = segment_qs(self.params, self.seed, w_from, w_to)
        path = VMobject().set_points_as_corners(self.get_roll_points(ws, qs))
        return path

    def get_roll_points(self, ws, qs):
        """Points a ball radius above the curve through (ws, qs), along its normal in frame space."""
        points = np.array([self.axes.c2p(w, q) for w, q in zip(ws, qs)])
        tangent = np.gradient(points, axis=0)
        tangent /= np.linalg.norm(tangent, axis=1, keepdims=True)
        normal = np.stack([-tangent[:, 1], tangent[:, 0], np.zeros(len(points))], axis=1)
        normal *= np.sign(normal[:, 1:2] + 1e-12)  # always the upper side
        return points + self.ball_radius * normal

    # Building blocks.
    def get_plot(self):
        """Axis lines for w (across) and Q (up) at the span's edge, their labels, and a caption."""
        p = self.params
        top = float(self.land.qs.max()) * 1.08
        bottom = -0.05 * top  # the axis sits just under Q = 0 so the valley does not touch it
        width, height = self.plot_size
        self.axes = Axes(x_range=[p.span_low, p.span_high, 1], y_range=[bottom, top, top], x_length=width, y_length=height, tips=False)
        self.axes.move_to([*self.plot_centre, 0])
        corner = self.axes.c2p(p.span_low, bottom)
        x_axis = Line(corner, self.axes.c2p(p.span_high, bottom), color=theme.INK3, stroke_width=2)
        y_axis = Line(corner, self.axes.c2p(p.span_low, top), color=theme.INK3, stroke_width=2)
        w_label = self.mono("w", color=theme.INK3).next_to(x_axis, RIGHT, buff=0.15)
        q_label = self.mono("Q", color=theme.INK3).next_to(y_axis, UP, buff=0.12)
        caption = self.body(self.params.landscape_caption, size=theme.LABEL_SIZE, color=theme.INK3)
        fit_within(caption, 8.0, 0.45).next_to(self.title_text, DOWN, buff=0.2).align_to(self.title_text, LEFT)
        plot = VGroup(x_axis, y_axis, w_label, q_label)
        plot.caption = caption
        return plot

    def get_curve(self):
        """The landscape Q(w) through riskmath's samples."""
        points = [self.axes.c2p(w, q) for w, q in zip(self.land.ws, self.land.qs)]
        return VMobject(color=theme.INK2, stroke_width=4).set_points_smoothly(points)

    def get_ball(self):
        """The red ball."""
        return Dot(radius=self.ball_radius, color=theme.RED)

    def get_readout(self, step, texts):
        """"step 3 / 8", "w = 1.42" and a large "Q = 0.178", left-aligned at the right of the plot.

        ``.values`` holds the parts that change from step to step, ``.texts`` their strings.
        """
        w_text, q_text = texts
        steps = len(self.land.path) - 1
        q_colour = theme.Q_COLOURS[risk_level(self.land.path[step][1])]
        rows = [
            self.get_row(self.mono, self.params.step_label, f"{step} / {steps}", theme.INK2),
            self.get_row(self.mono, "w =", w_text, theme.INK2),
            self.get_row(lambda text, **kw: self.heading(text, size=self.q_size, **kw), "Q =", q_text, q_colour, theme.INK2),
        ]
        for i, row in enumerate(rows):
            row.move_to([self.readout_left, self.readout_top - 0.6 * i - 0.2 * (i == 2), 0], aligned_edge=LEFT)
        readout = VGroup(*rows)
        readout.values = VGroup(*(row.value for row in rows))
        readout.texts = tuple(row.value_text for row in rows)
        return readout

    @staticmethod
    def get_row(make, label, value, colour, label_colour=theme.INK3):
        """"label value" set as one line (one baseline); ``.value`` is the value's glyphs, in ``colour``."""
        line = make(f"{label} {value}", color=label_colour)
        cut = len(label.replace(" ", ""))
        line[cut:].set_color(colour)
        line.value, line.value_text = line[cut:], value
        return line

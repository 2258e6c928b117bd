"""Q as a landscape over one weight, with a ball on it and the slope drawn where the ball sits.

``QLandscape`` takes riskmath's samples of Q(w) (b held fixed) and a function giving Q and its
slope at any w (riskmath again); it draws the curve over CornerAxes and keeps a ball, the
tangent line at the ball and the nudge arrows of a descent along the w axis.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import numpy as np
from manim import DOWN, UP, Animation, Arrow, Dot, Line, ValueTracker, VGroup

from scenes.parts.plots import CornerAxes
from scenes.theme import Theme


class QLandscape(VGroup):
    """The curve of Q over w on ``axes`` (CornerAxes), a ball and the tangent at the ball.

    ``q_and_slope(w)`` returns (Q, dQ/dw) at w, from riskmath. The ball and the tangent are
    made here but not added to the group: the scene shows them when it is ready. ``attach(w)``
    lets a ValueTracker place them; ``roll_to(w)`` animates it.
    """

    ball_radius = 0.16
    tangent_length = 2.4

    def __init__(self, theme: Theme, axes: CornerAxes, ws: Sequence[float] | np.ndarray,
                 qs: Sequence[float] | np.ndarray,
                 q_and_slope: Callable[[float], tuple[float, float]], **kwargs: Any) -> None:
        self.theme = theme
        self.axes, self.ws, self.qs, self.q_and_slope = axes, np.asarray(ws), np.asarray(qs), q_and_slope
        self.curve = axes.curve(self.ws, self.qs, color=theme.ink2, stroke_width=5)
        self.ball = Dot(radius=self.ball_radius, color=theme.ink)
        self.tangent = Line(color=theme.blue, stroke_width=5)
        self.nudges = VGroup()  # one arrow along the w axis per step taken
        super().__init__(axes, self.curve, **kwargs)

    def rest_point(self, w: float) -> np.ndarray:
        """Where the ball's centre sits at ``w``: on the curve, lifted by its radius along the normal."""
        q, slope = self.q_and_slope(w)
        return self.axes.c2p(w, q) + self.ball_radius * self.normal(slope)

    def normal(self, slope: float) -> np.ndarray:
        """The upward unit normal of the curve, in the frame, where its slope (in data) is ``slope``."""
        tangent = self.frame_direction(slope)
        return np.array([-tangent[1], tangent[0], 0.0])

    def frame_direction(self, slope: float) -> np.ndarray:
        """The unit vector along the curve (rightwards) in the frame where its data slope is ``slope``."""
        (x0, x1), (y0, y1) = self.axes.x_range, self.axes.y_range
        sx = self.axes.x_axis.get_length() / (x1 - x0)
        sy = self.axes.y_axis.get_length() / (y1 - y0)
        vector = np.array([sx, sy * slope, 0.0])
        unit: np.ndarray = vector / np.linalg.norm(vector)
        return unit

    def place_ball(self, w: float) -> Dot:
        """Put the ball and its tangent at ``w``; returns the ball."""
        self.ball.move_to(self.rest_point(w))
        self.set_tangent(w)
        return self.ball

    def set_tangent(self, w: float) -> Line:
        """The tangent line through the curve's point at ``w``."""
        q, slope = self.q_and_slope(w)
        centre, half = self.axes.c2p(w, q), 0.5 * self.tangent_length * self.frame_direction(slope)
        self.tangent.put_start_and_end_on(centre - half, centre + half)
        return self.tangent

    def attach(self, w: float) -> ValueTracker:
        """Let a ValueTracker for w drive the ball and the tangent (updaters move prebuilt mobjects only)."""
        self.w = ValueTracker(w)
        self.place_ball(w)
        self.ball.add_updater(lambda ball: ball.move_to(self.rest_point(self.w.get_value())))
        self.tangent.add_updater(lambda tangent: self.set_tangent(self.w.get_value()))
        return self.w

    def roll_to(self, w: float, **kwargs: Any) -> Animation:
        """The ball rolls along the curve to ``w``, its tangent with it."""
        return self.w.animate(**kwargs).set_value(w)

    def detach(self) -> None:
        """Stop following the tracker (the ball and tangent stay where they are)."""
        self.ball.clear_updaters()
        self.tangent.clear_updaters()

    def get_nudge(self, w_from: float, w_to: float) -> VGroup:
        """An arrow along the w axis, under it, from ``w_from`` to ``w_to``: one step of the descent."""
        theme = self.theme
        start, end = self.axes.c2p(w_from, self.axes.y_range[0]), self.axes.c2p(w_to, self.axes.y_range[0])
        lift = 0.25 * DOWN  # under the w axis: the target line of Q runs just above it
        arrow = Arrow(start + lift, end + lift, buff=0, color=theme.ink, stroke_width=6, tip_length=0.2,
                      max_tip_length_to_length_ratio=0.45, max_stroke_width_to_length_ratio=12)
        tick = Line(start + 0.34 * DOWN, start + 0.1 * UP, color=theme.ink3, stroke_width=2.5)
        return VGroup(tick, arrow)

"""Small charts shared by the training loop and the outro: corner axes and the history of Q.

``CornerAxes`` is two axis lines meeting at a box's bottom-left corner, a label at the end of
each, and ``c2p`` from data to the frame. ``QHistory`` draws Q after each training step as a
bar (in Q's level colour), growing one bar at a time; the outro turns those bars into the curve
its ball rolls on.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
from manim import DOWN, LEFT, RIGHT, UP, Dot, GrowFromEdge, Line, Mobject, Rectangle, VGroup, VMobject

from riskmath import Level
from riskmath.epochs import LEARNED_BELOW
from scenes.parts import text
from scenes.parts.formula_panel import get_q_symbol
from scenes.parts.targets import get_target_line
from scenes.theme import MATH, SPACE, TYPE, Theme


class CornerAxes(VGroup):
    """Axis lines along the left and bottom of a ``width`` × ``height`` box centred at ``centre``.

    ``x_range`` and ``y_range`` ((low, high)) are the data at the box's edges; ``x_label`` and
    ``y_label`` (mobjects or None) sit at the ends of the lines.
    """

    def __init__(self, theme: Theme, x_range: tuple[float, float], y_range: tuple[float, float], width: float,
                 height: float, centre: tuple[float, float] = (0, 0), x_label: Mobject | None = None,
                 y_label: Mobject | None = None, **kwargs: Any) -> None:
        self.x_range, self.y_range = tuple(map(float, x_range)), tuple(map(float, y_range))
        self.size = (float(width), float(height))
        self.origin = np.array([centre[0] - width / 2, centre[1] - height / 2, 0.0])
        corner = self.origin
        self.x_axis = Line(corner, corner + width * RIGHT, color=theme.ink3, stroke_width=2.5)
        self.y_axis = Line(corner, corner + height * UP, color=theme.ink3, stroke_width=2.5)
        parts = [self.x_axis, self.y_axis]
        self.x_label, self.y_label = x_label, y_label
        if x_label is not None:
            parts.append(x_label.next_to(self.x_axis, RIGHT, buff=SPACE.snug))
        if y_label is not None:
            parts.append(y_label.next_to(self.y_axis, UP, buff=SPACE.snug).align_to(self.y_axis,
                                                                                    LEFT).shift(0.12 * LEFT))
        super().__init__(*parts, **kwargs)

    def c2p(self, x: float, y: float) -> np.ndarray:
        """The frame point of data (x, y)."""
        (x0, x1), (y0, y1) = self.x_range, self.y_range
        left, bottom = self.x_axis.get_start()[0], self.x_axis.get_start()[1]  # wherever the axes are now
        return np.array([left + (x - x0) / (x1 - x0) * self.x_axis.get_length(),
                         bottom + (y - y0) / (y1 - y0) * self.y_axis.get_length(), 0.0])

    def curve(self, xs: Sequence[float] | np.ndarray, ys: Sequence[float] | np.ndarray, **style: Any) -> VMobject:
        """A smooth curve through the data points (xs, ys)."""
        return VMobject(**style).set_points_smoothly([self.c2p(x, y) for x, y in zip(xs, ys, strict=False)])


class QHistory(VGroup):
    """Q after each training step as bars over corner axes, the target line (``target_line``, riskmath's "learned"
    threshold, labelled ``target_label``) and a caption under them ("Q after each step").

    ``qs`` are Q at steps 0, 1, …, ``levels`` their riskmath levels. Bars are made now but start
    off screen: ``grow(step)`` is the animation that adds the bar of ``step``.
    """

    bar_share = 0.62  # of each step's slot

    def __init__(self, theme: Theme, qs: Sequence[float], levels: Sequence[Level], width: float, height: float,
                 centre: tuple[float, float], caption: str, q_label: Mobject, step_label: str, target_label: str,
                 **kwargs: Any) -> None:
        self.theme = theme
        self.qs, self.levels = list(qs), list(levels)
        top = max(max(self.qs) * 1.12, 1e-6)  # a model right from the start still gets a chart
        self.axes = CornerAxes(theme, (0, len(self.qs)), (0, top), width, height, centre,
                               x_label=text.mono(theme, step_label, size=TYPE.small, color=theme.ink2), y_label=q_label)
        self.caption = text.phrase(theme, (get_q_symbol(theme, MATH.caption), 4), caption, size=TYPE.label,
                                   color=theme.ink2)
        self.caption.next_to(self.axes.x_axis, DOWN, buff=SPACE.small).align_to(self.axes.x_axis, LEFT)
        ends = (self.axes.c2p(0, LEARNED_BELOW), self.axes.c2p(len(self.qs), LEARNED_BELOW))
        self.target_line = get_target_line(theme, *ends, LEARNED_BELOW, target_label)
        self.bars = VGroup(*(self.get_bar(step) for step in range(len(self.qs))))
        self.shown = VGroup()  # the bars grown so far
        super().__init__(self.axes, self.target_line, self.caption, self.shown, **kwargs)

    def get_bar(self, step: int) -> Rectangle:
        """The bar of ``step``: Q's height, in its level's colour."""
        slot = self.axes.size[0] / len(self.qs)
        base = self.axes.c2p(step + 0.5, 0)
        height = max(self.axes.c2p(0, self.qs[step])[1] - base[1], 0.02)
        bar = Rectangle(width=self.bar_share * slot, height=height, stroke_width=0,
                        fill_color=self.theme.level_colours("Q")[self.levels[step]], fill_opacity=1)
        return bar.move_to(base, aligned_edge=DOWN)

    def grow(self, step: int) -> GrowFromEdge:
        """The bar of ``step`` grows up from the axis (and stays)."""
        bar = self.bars[step]
        self.shown.add(bar)
        return GrowFromEdge(bar, DOWN)

    def show_all(self) -> QHistory:
        """Every bar, at once (no animation): the finished history."""
        self.shown.add(*(bar for bar in self.bars if bar not in self.shown))
        return self

    def tops(self) -> list[np.ndarray]:
        """The middle of each bar's top edge: where Q of each step is on the chart."""
        return [self.axes.c2p(step + 0.5, q) for step, q in enumerate(self.qs)]

    def get_dots(self, radius: float = 0.07) -> VGroup:
        """A dot at the top of each bar, in the bar's colour."""
        points = zip(self.tops(), self.bars, strict=True)
        return VGroup(*(Dot(point, radius=radius, color=bar.get_fill_color()) for point, bar in points))

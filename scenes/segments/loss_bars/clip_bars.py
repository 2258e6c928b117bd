"""The loss bars' parts: a clip's labelled bar with its counting loss, and the chart of Q per epoch.

``ClipBar``: "x₁ sunset timelapse" over a track holding a bar as long as the clip's loss, the
loss counting at its right; ``shrink_to(loss)`` moves both. ``EpochChart``: axes of Q against
epoch with numbered ticks, the target line (scenes.parts.targets), and a curve that draws itself a
segment per epoch (``extend_to``). Both wear the Theme they are given.
"""

from __future__ import annotations

from manim import (
    DOWN,
    LEFT,
    RIGHT,
    UP,
    Animation,
    Axes,
    Create,
    Dot,
    GrowFromCenter,
    Line,
    ManimColor,
    RoundedRectangle,
    Transform,
    VGroup,
)

from scenes.parts import text
from scenes.parts.components import get_pill, subscript
from scenes.parts.counting import LevelReadout
from scenes.parts.formula_panel import get_q_symbol
from scenes.parts.targets import get_target_line
from scenes.theme import MATH, SAFE_X, SPACE, TYPE, Theme


class ClipBar(VGroup):
    """One clip: its label above a track, the bar of its loss in the track, the loss at the right."""

    def __init__(self, theme: Theme, index: int, name: str, loss: float, colour: ManimColor | str, track_width: float,
                 bar_height: float = 0.32, size: float = TYPE.label, label_width: float | None = None) -> None:
        symbol = f"x{subscript(index)}"
        label = text.mono(theme, f"{symbol}  {name}", size, theme.ink2)
        label[: len(symbol)].set_color(theme.ink)
        text.fit_label(label, label_width or track_width, size)
        self.track_width, self.bar_height, self.colour = track_width, bar_height, colour
        track = get_pill(track_width, bar_height, theme.page3).set_z_index(-1)  # under its bar, whatever comes in
        label.next_to(track, UP, buff=SPACE.tight, aligned_edge=LEFT)
        bar = self.get_bar(loss, track)
        ink = theme.ink
        number = LevelReadout(loss, lambda _: ink, places=2, size=size)
        number.next_to(track, RIGHT, buff=SPACE.roomy)
        super().__init__(label, track, bar, number)
        self.label, self.track, self.bar, self.number = label, track, bar, number
        self.loss = loss

    def get_bar(self, loss: float, track: RoundedRectangle | None = None) -> RoundedRectangle:
        """A bar of length ``loss`` × the track's, at the track's left."""
        track = self.track if track is None else track
        bar = get_pill(loss * self.track_width, self.bar_height, self.colour)
        return bar.align_to(track, LEFT).match_y(track)

    def shrink_to(self, loss: float) -> list[Animation]:
        """The bar and its number move to ``loss`` (the number counts)."""
        self.loss = loss
        return [Transform(self.bar, self.get_bar(loss)), self.number.count_to(loss)]


class EpochChart(VGroup):
    """Q against epoch: numbered axes, the labelled dashed threshold line, and a curve drawn per epoch."""

    def __init__(self, theme: Theme, epochs: int, top: float, threshold: float, threshold_label: str, x_label: str,
                 width: float = 5.2, height: float = 2.5) -> None:
        self.theme = theme
        last = max(epochs, 2)
        step = max(1, -(-last // 10))
        y_step = 0.2 if top > 0.4 else 0.1
        axes = Axes(
            x_range=[1, last, step], y_range=[0, top, y_step], x_length=width, y_length=height, tips=False,
            axis_config={"color": theme.ink3, "stroke_width": 2, "tick_size": 0.05},
        )
        x_numbers = VGroup(*(text.mono(theme, str(e), TYPE.small, theme.ink2).next_to(axes.c2p(e, 0), DOWN,
                                                                                      buff=SPACE.tight)
                             for e in range(1, last + 1, step)))
        y_values = [k * y_step for k in range(1, int(top / y_step + 1e-9) + 1)]
        y_numbers = VGroup(*(text.mono(theme, f"{v:.1f}", TYPE.small, theme.ink2).next_to(axes.c2p(1, v), LEFT,
                                                                                          buff=SPACE.tight)
                             for v in y_values))
        x_title = text.mono(theme, x_label, TYPE.small, theme.ink2).next_to(x_numbers, DOWN, buff=SPACE.xs)
        x_title.align_to(axes.x_axis, RIGHT)
        y_title = get_q_symbol(theme, MATH.axis).next_to(axes.c2p(1, top), UP, buff=SPACE.snug).align_to(axes.y_axis,
                                                                                                         LEFT)
        self.threshold = get_target_line(theme, axes.c2p(1, threshold), axes.c2p(last, threshold), threshold,
                                         threshold_label)
        y_numbers.remove(*(n for v, n in zip(y_values, list(y_numbers),
                                             strict=False) if abs(v - threshold) < 0.6 * y_step))
        self.axes = axes
        self.frame = VGroup(axes, x_numbers, y_numbers, x_title, y_title)
        self.curve, self.dots = VGroup(), VGroup()
        super().__init__(self.frame, self.threshold, self.curve, self.dots)

    def dot(self, epoch: int, q: float, colour: ManimColor) -> Dot:
        return Dot(self.axes.c2p(epoch, q), radius=0.07, color=colour)

    def start_at(self, epoch: int, q: float, colour: ManimColor) -> GrowFromCenter:
        """The curve's first point."""
        dot = self.dot(epoch, q, colour)
        self.dots.add(dot)
        return GrowFromCenter(dot)

    def extend_to(self, epoch: int, q: float, colour: ManimColor) -> list[Animation]:
        """A segment from the last point to (epoch, q), then the new point."""
        dot = self.dot(epoch, q, colour)
        segment = Line(self.dots[-1].get_center(), dot.get_center(), color=self.theme.ink2, stroke_width=3)
        self.curve.add(segment)
        self.dots.add(dot)
        return [Create(segment), GrowFromCenter(dot)]


def get_outline(theme: Theme, row: ClipBar) -> RoundedRectangle:
    """An outline around a row: where the pass over the clips has got to."""
    left, right = max(row.get_left()[0] - 0.15, -SAFE_X), row.get_right()[0] + 0.15
    frame = RoundedRectangle(width=right - left, height=row.height + 0.2, corner_radius=0.12,
                             stroke_color=theme.ink3, stroke_width=3, fill_opacity=0)
    return frame.move_to([(left + right) / 2, row.get_y(), 0])

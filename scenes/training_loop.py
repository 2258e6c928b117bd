"""Segment 6: the five-step training loop as a cycle, turning while a small model really trains.

The model is a line y = w·x + b fitted to a seeded dataset by riskmath.train; each turn of the
cycle measures Q for the current line, then nudges w and b to riskmath's next step. Every figure
on screen (points, line, Q, bars) comes from riskmath; the scene only formats and draws it.
"""

from dataclasses import dataclass

import numpy as np
from manim import (
    DEGREES,
    DOWN,
    LEFT,
    RIGHT,
    UP,
    Arc,
    Axes,
    Circle,
    Create,
    Dot,
    FadeIn,
    FadeOut,
    GrowFromEdge,
    Indicate,
    LaggedStart,
    Line,
    Rectangle,
    Rotate,
    Transform,
    VGroup,
)
from pydantic import Field, field_validator

from riskmath import risk_level, train
from scenes import theme
from scenes.base import SegmentScene
from scenes.components import DatasetParams, fit_within, format_decimal, tick
from scenes.fields import Seconds, Text

N_STEPS = 5  # the cycle's five nodes



class TrainingLoopParams(DatasetParams):
    """Texts, the dataset, the training run and timings; defaults reproduce the storyboard."""

    title: Text = "The training loop"
    step_labels: tuple[Text, Text, Text, Text, Text] = (
        "take an example xᵢ",
        "measure its loss L",
        "average into Q",
        "nudge the weights",
        "repeat",
    )
    model_label: Text = "model: y = w·x + b"
    step_label: Text = "step"
    bars_label: Text = "Q after each step"
    conclusion: Text = "Measure, average, nudge, repeat. That is learning."
    # The training run (riskmath.train): one turn of the cycle per step.
    turns: int = Field(10, ge=1, le=20)
    learning_rate: float = Field(0.6, gt=0, le=0.7)  # ≤ 0.7 keeps the descent stable for x in [0, 1]
    w0: float = Field(0.0, ge=-5, le=5)
    b0: float = Field(0.5, ge=-5, le=5)
    q_places: int = Field(3, ge=1, le=4)
    # Timings.
    node_seconds: Seconds = 1.0
    move_seconds: Seconds = 1.5
    first_turn_seconds: Seconds = 6.0
    turn_seconds: Seconds = 1.5
    hold_seconds: Seconds = theme.HOLD

    @field_validator("step_labels")
    @classmethod
    def _short_labels(cls, labels):
        if any(len(label) > 28 for label in labels):
            raise ValueError("each step label must be at most 28 characters to fit beside its node")
        return labels


@dataclass(frozen=True)
class StepFigures:
    """What the scene shows for the model after ``step`` updates, straight from riskmath.train."""

    step: int
    w: float
    b: float
    q: float
    q_text: str

    @property
    def level(self):
        return risk_level(self.q)


def training_figures(params, seed):
    """One StepFigures per TrainingStep of riskmath.train, step 0 (untrained) first."""
    xs, ys = params.dataset(seed)
    history = train(xs, ys, steps=params.turns, learning_rate=params.learning_rate, w0=params.w0, b0=params.b0)
    return [StepFigures(s.step, s.w, s.b, s.q, format_decimal(s.q, params.q_places)) for s in history]


def plot_y_range(ys, figures, xs=(0.0, 1.0), pad=0.25):
    """(low, high) of the data plot: every point and every line over ``xs``, with ``pad`` to spare."""
    values = list(ys) + [f.w * x + f.b for f in figures for x in xs]
    low, high = min(values) - pad, max(values) + pad
    return float(low), float(max(high, low + 2 * pad))


class TrainingLoopScene(SegmentScene):
    """The loop's five steps around a circle; it turns while a line is fitted and Q falls."""

    scene_name = "training_loop"
    Params = TrainingLoopParams
    beats = ("show_cycle", "train_model", "conclude")

    # Layout (frame units).
    cycle_radius = 1.45
    cycle_y = -0.35
    cycle_x = -3.1  # where the cycle settles once the model appears beside it
    node_radius = 0.3
    label_size = 20
    label_room = 2.25  # widest a step label may be
    plot_centre = (3.95, 1.45)
    plot_size = (3.4, 2.2)
    readout_y = -0.55
    q_size = 44
    bars_left, bars_right = 1.2, 6.5
    bars_base, bars_height = -3.25, 1.85
    conclusion_y = -2.75

    # Beats.
    def show_cycle(self):
        """The title, then the five steps appear one by one around the circle, joined into a loop."""
        p = self.params
        self.figures = training_figures(p, self.seed)
        self.title_text = fit_within(self.heading(p.title), 6.0, 0.8).to_corner(UP + LEFT, buff=0.5)
        self.cycle = self.get_cycle(0.0)
        self.play(FadeIn(self.title_text, shift=0.2 * DOWN), run_time=theme.HOLD)
        for node, label, arc in zip(self.cycle.nodes, self.cycle.labels, self.cycle.arcs):
            self.play(FadeIn(node, scale=0.8), FadeIn(label, shift=0.1 * UP), run_time=0.6 * p.node_seconds)
            self.play(Create(arc), run_time=0.4 * p.node_seconds)
        self.wait(p.hold_seconds)

    def train_model(self):
        """The cycle turns; each turn measures Q for the current line, then nudges w and b."""
        p = self.params
        self.xs, self.ys = p.dataset(self.seed)
        self.play(self.cycle.animate.shift(self.cycle_x * RIGHT), run_time=p.move_seconds)
        self.plot = self.get_plot()
        self.dots = self.get_dots()
        self.model = self.get_model(self.figures[0])
        self.readout = self.get_readout()
        self.bars = self.get_bar_axis()
        self.play(Create(self.plot), FadeIn(self.bars), run_time=p.move_seconds)
        self.play(LaggedStart(*(FadeIn(dot, scale=0.5) for dot in self.dots), lag_ratio=0.15), run_time=p.node_seconds)
        self.play(Create(self.model.line), FadeIn(self.plot.equation), run_time=p.node_seconds)
        self.ring = self.get_ring()
        self.wait(p.hold_seconds / 2)
        for turn in range(1, p.turns + 1):
            seconds = p.first_turn_seconds if turn == 1 else p.turn_seconds
            self.turn(turn, seconds / N_STEPS)
        # One last pass measures the trained line, without nudging it.
        self.pass_nodes(range(3), p.turn_seconds / N_STEPS, last_step=p.turns)
        self.wait(p.hold_seconds)

    def conclude(self):
        """A closing line under the cycle, a hold, then a clean page."""
        p = self.params
        centre = self.cycle.anchor.get_center()[0]
        room = 2 * min(centre + 6.6, self.bars_left - 0.6 - centre)
        line = fit_within(self.body(p.conclusion, color=theme.INK), room, 0.6).move_to([centre, self.conclusion_y, 0])
        self.play(FadeIn(line, shift=0.15 * UP), run_time=theme.HOLD)
        self.wait(2 * p.hold_seconds)
        self.play(*(FadeOut(mob) for mob in self.mobjects), run_time=theme.HOLD)

    # One turn of the cycle.
    def turn(self, turn, sub_seconds):
        """Turn ``turn`` (1-based): go round all five nodes, measuring step turn − 1 and moving to step turn."""
        self.pass_nodes(range(N_STEPS), sub_seconds, last_step=turn - 1, first=turn == 1)

    def pass_nodes(self, nodes, sub_seconds, last_step, first=False):
        """Move the ring through ``nodes`` (0-based): the third shows Q of ``last_step``, the fourth nudges to the next step."""
        for node in nodes:
            animations = [] if (first and node == 0) else [self.ring_to(node)]
            if first and node == 0:
                animations += [Create(self.ring), *(Indicate(dot, color=theme.GOLD, scale_factor=1.4) for dot in self.dots)]
            elif first and node == 1:
                animations.append(LaggedStart(*(Create(r) for r in self.model.residuals), lag_ratio=0.1))
            elif node == 2:
                animations += self.show_q(self.figures[last_step])
            elif node == 3:
                animations += self.nudge(self.figures[last_step + 1])
            self.play(*animations, run_time=sub_seconds)

    def ring_to(self, node):
        """Turn the highlight ring clockwise about the cycle's centre, from its node to ``node``."""
        steps = (node - self.ring.node) % N_STEPS
        self.ring.node = node
        centre = self.cycle.anchor.get_center()
        return Rotate(self.ring, angle=-steps * 360 / N_STEPS * DEGREES, about_point=centre)

    def show_q(self, figures):
        """Q of this step and the step count in the read-out (rolled in like an odometer), and its bar."""
        readout = self.readout
        if figures.step == 0:
            anims = [FadeIn(readout.label), FadeIn(readout.q_value), FadeIn(readout.count)]
        else:
            new_q = self.get_q_value(figures).move_to(readout.q_value, aligned_edge=LEFT)
            new_count = self.get_step_count(figures.step).move_to(readout.count)
            anims = [*tick(readout.q_value, new_q), *tick(readout.count, new_count)]
            readout.q_value, readout.count = new_q, new_count
        bar = self.get_bar(figures)
        self.bars.add(bar)
        anims.append(GrowFromEdge(bar, DOWN))
        return anims


    def nudge(self, figures):
        """Move the line and its residuals to the next step's w and b."""
        target = self.get_model(figures)
        self.model.figures = figures
        return [Transform(self.model.line, target.line), Transform(self.model.residuals, target.residuals)]

    # Building blocks: the cycle.
    def get_cycle(self, x):
        """Five numbered nodes round a circle centred at (x, cycle_y), labels outside, arcs between.

        The group carries ``.nodes``, ``.labels``, ``.arcs`` and ``.anchor``, an invisible dot at the
        centre that moves with the group.
        """
        centre = np.array([x, self.cycle_y, 0.0])
        nodes, labels, arcs = VGroup(), VGroup(), VGroup()
        texts = self.get_step_texts()
        for k, text in enumerate(texts):
            angle = self.node_angle(k)
            direction = np.array([np.cos(angle), np.sin(angle), 0.0])
            node = self.get_node(k + 1).move_to(centre + self.cycle_radius * direction)
            nodes.add(node)
            labels.add(self.place_step_label(text, node, direction))
            arcs.add(self.get_arc(centre, angle))
        anchor = Dot(centre, radius=0.001).set_opacity(0)
        cycle = VGroup(anchor, arcs, nodes, labels)
        cycle.nodes, cycle.labels, cycle.arcs, cycle.anchor = nodes, labels, arcs, anchor
        return cycle

    @staticmethod
    def node_angle(k):
        """Angle (radians) of node ``k`` (0-based): the first at the top, then clockwise."""
        return (90 - k * 360 / N_STEPS) * DEGREES

    def get_node(self, number):
        """A small paper disc with its step number."""
        disc = Circle(radius=self.node_radius, fill_color=theme.PAPER2, fill_opacity=1, stroke_color=theme.INK3, stroke_width=2)
        digit = self.mono(str(number), color=theme.INK)
        return VGroup(disc, digit.move_to(disc))

    def get_step_texts(self):
        """The five step labels, all at one size: the longest fits in label_room."""
        texts = [self.body(text, size=self.label_size, color=theme.INK2) for text in self.params.step_labels]
        widest = max(text.width for text in texts)
        if widest > self.label_room:
            for text in texts:
                text.scale(self.label_room / widest)
        return texts

    @staticmethod
    def place_step_label(label, node, direction):
        """Put a step's words beside its node, on the outside of the circle."""
        side = UP if abs(direction[0]) < 0.3 else (RIGHT if direction[0] > 0 else LEFT)
        return label.next_to(node, side, buff=0.25)

    def get_arc(self, centre, angle):
        """An arrowed arc from node at ``angle`` clockwise to the next node, clear of both discs."""
        gap = (self.node_radius + 0.1) / self.cycle_radius
        sweep = 360 / N_STEPS * DEGREES - 2 * gap
        arc = Arc(radius=self.cycle_radius, start_angle=angle - gap, angle=-sweep, arc_center=centre, color=theme.INK3, stroke_width=2.5)
        return arc.add_tip(tip_length=0.14, tip_width=0.14)

    def get_ring(self):
        """The highlight ring, around node 1; it turns about the cycle's centre."""
        ring = Circle(radius=self.node_radius + 0.09, color=theme.RED, stroke_width=5)
        ring.move_to(self.cycle.nodes[0])
        ring.node = 0
        return ring

    # Building blocks: the model beside the cycle.
    def get_plot(self):
        """Small axes (their lines just outside the data) for x ∈ [0, 1] and y, the equation above."""
        low, high = plot_y_range(self.ys, self.figures)
        pad = 0.12
        width, height = self.plot_size
        axes = Axes(x_range=[-pad, 1 + pad / 2, 0.5], y_range=[low, high, 0.5], x_length=width, y_length=height, tips=False)
        axes.move_to([*self.plot_centre, 0])
        corner = axes.c2p(-pad, low)
        x_axis = Line(corner, axes.c2p(1 + pad / 2, low), color=theme.INK3, stroke_width=2)
        y_axis = Line(corner, axes.c2p(-pad, high), color=theme.INK3, stroke_width=2)
        x_label = self.mono("x", size=theme.SMALL_SIZE, color=theme.INK3).next_to(x_axis, RIGHT, buff=0.12)
        y_label = self.mono("y", size=theme.SMALL_SIZE, color=theme.INK3).next_to(y_axis, LEFT, buff=0.12)
        y_label.align_to(y_axis, UP)
        equation = self.mono(self.params.model_label, color=theme.RED)
        fit_within(equation, 4.0, 0.45).next_to(y_axis, UP, buff=0.3).align_to(x_axis, RIGHT)
        plot = VGroup(x_axis, y_axis, x_label, y_label)
        plot.axes, plot.equation = axes, equation
        return plot

    def get_dots(self):
        """The dataset's points on the plot."""
        axes = self.plot.axes
        return VGroup(*(Dot(axes.c2p(x, y), radius=0.07, color=theme.BLUE) for x, y in zip(self.xs, self.ys)))

    def get_model(self, figures):
        """The line y = w·x + b over x ∈ [0, 1] and each point's gap to it (its loss, squared)."""
        axes = self.plot.axes
        line = Line(axes.c2p(0, figures.b), axes.c2p(1, figures.w + figures.b), color=theme.RED, stroke_width=4)
        residuals = VGroup(
            *(
                Line(axes.c2p(x, y), axes.c2p(x, figures.w * x + figures.b), color=theme.GOLD, stroke_width=2.5)
                for x, y in zip(self.xs, self.ys)
            )
        )
        model = VGroup(line, residuals)
        model.line, model.residuals, model.figures = line, residuals, figures
        return model

    def get_readout(self):
        """"Q = …" under the plot and the step count in the cycle's centre; show_q swaps the numbers."""
        label = self.heading("Q =", size=self.q_size, color=theme.INK2)
        readout = VGroup(label)
        readout.label = label
        readout.q_value = self.get_q_value(self.figures[0]).next_to(label, RIGHT, buff=0.25)
        row = VGroup(label, readout.q_value).move_to([(self.bars_left + self.bars_right) / 2, self.readout_y, 0])
        readout.q_value.align_to(row, LEFT).shift((label.width + 0.25) * RIGHT)
        readout.count = self.get_step_count(0).move_to(self.cycle.anchor)
        return readout

    def get_q_value(self, figures):
        """Q of a step, coloured by its level (as in the loss bars)."""
        return self.heading(figures.q_text, size=self.q_size, color=theme.Q_COLOURS[figures.level])

    def get_step_count(self, step):
        """"step" over "3 / 10", for the cycle's centre."""
        turns = self.params.turns
        word = self.mono(self.params.step_label, size=theme.SMALL_SIZE, color=theme.INK3)
        count = self.mono(f"{step} / {turns}", color=theme.INK)
        return VGroup(word, count).arrange(DOWN, buff=0.12)

    def get_bar_axis(self):
        """The baseline of the Q-per-step bars and its caption."""
        base = Line([self.bars_left, self.bars_base, 0], [self.bars_right, self.bars_base, 0], color=theme.INK3, stroke_width=2)
        caption = fit_within(self.mono(self.params.bars_label, size=theme.SMALL_SIZE, color=theme.INK3), 5.0, 0.35)
        caption.next_to(base, DOWN, buff=0.12).align_to(base, LEFT)
        return VGroup(base, caption)

    def get_bar(self, figures):
        """The bar of one step, its height Q / Q at step 0, coloured by Q's level."""
        count = len(self.figures)
        pitch = (self.bars_right - self.bars_left) / count
        top = max(f.q for f in self.figures)
        height = max(self.bars_height * figures.q / top, 0.02)
        bar = Rectangle(width=0.62 * pitch, height=height, fill_color=theme.Q_COLOURS[figures.level], fill_opacity=1, stroke_width=0)
        return bar.move_to([self.bars_left + (figures.step + 0.5) * pitch, self.bars_base, 0], aligned_edge=DOWN)

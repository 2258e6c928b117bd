"""Segment 6: the AI's learning loop, named step by step, turning while a tiny model really trains.

It recalls the AI model's loop from the baby-versus-AI segment (the same LearningCard) and turns
it into the five-step training loop: take an example xᵢ, measure its loss L, average into Q,
nudge the weights, repeat. Then the loop turns while a line y = w·x + b is fitted by
riskmath.train: the first turn one step at a time, then faster. w, b, L and Q count to
riskmath's values, the line moves, and a bar per step keeps the history of Q (which the outro
turns into its curve).
"""

import numpy as np
from manim import (
    DOWN,
    LEFT,
    RIGHT,
    UP,
    Animation,
    Create,
    FadeIn,
    FadeOut,
    LaggedStart,
    MathTex,
    Mobject,
    ReplacementTransform,
    Transform,
    UpdateFromFunc,
    VGroup,
    smooth,
    squish_rate_func,
)

from riskmath import Level
from scenes.base import SegmentScene
from scenes.parts import text
from scenes.parts.formula_panel import get_q_symbol, get_symbol
from scenes.parts.icons import get_robot_icon
from scenes.parts.learning_card import LearningCard, align_cards
from scenes.parts.plots import QHistory
from scenes.parts.readout import Readout, format_value
from scenes.parts.targets import StateNote
from scenes.parts.tiny_model import LinePlot, StepFigures, training_figures
from scenes.parts.value_row import q_readout, value_row
from scenes.segments.training_loop.params import RECALLED_AS, TrainingLoopParams
from scenes.theme import MATH, SPACE, TYPE

__all__ = ["RECALLED_AS", "TrainingLoopParams", "TrainingLoopScene"]

EARLY, LATE = squish_rate_func(smooth, 0, 0.45), squish_rate_func(smooth, 0.55, 1)


def swap(old: Mobject | None, new: Mobject | None) -> list[Animation]:
    """``old`` words fade, then ``new`` words come, in the same place: never one over the other."""
    return ([FadeOut(old, rate_func=EARLY)] if old is not None else []) + (
        [FadeIn(new, rate_func=LATE)] if new is not None else [])


class TrainingLoopScene(SegmentScene):
    """The loop's five steps on a card; it turns while a line is fitted and Q falls."""

    scene_name = "training_loop"
    Params = TrainingLoopParams
    params: TrainingLoopParams
    leaves = ("history",)  # the outro turns Q's history into its curve
    beats = ("recall_loop", "name_the_steps", "meet_model", "take_example", "measure_loss", "average_into_q",
             "nudge_weights", "repeat", "keep_training", "conclude")

    # Layout (frame units).
    card_box = (-3.51, 3.6, 6.5, 7.2)  # top centre x, top y, width, height
    recall_box = (0.0, 2.95, 6.55, 5.9)
    plot_box = (2.2, 2.05, 3.5, 2.4)  # centre x, centre y, width, height
    model_x = 4.4  # left edge of the equation and the w, b read-outs
    readout_x, l_y, q_y = 0.4, 0.25, -0.45
    history_box = (3.25, -2.2, 5.2, 1.6)

    # Beats.
    def recall_loop(self) -> None:
        """The AI model's loop from the start of the video, as it was."""
        p = self.params
        self.figures = training_figures(p, self.seed)
        self.xs, self.ys = p.dataset(self.seed)
        x, top, width, height = self.recall_box
        self.recalled = LearningCard.ai(self.theme, p.ai_colour or self.theme.red, heading=p.recall_heading,
                                        steps=p.recall_steps, width=width,
                                        height=height, top_centre=(x, top))
        align_cards([self.recalled], self.recalled.header_bottom - 0.4, top - height + 0.4)
        card, loop = self.recalled, self.recalled.loop
        # The card's shapes come at once; its words only once the last page's words have gone.
        late = squish_rate_func(smooth, 0.5, 1)
        self.play(*(FadeOut(mob, rate_func=squish_rate_func(smooth, 0, 0.4)) for mob in self.opening),
                  FadeIn(VGroup(card.frame, card.strip, card.icon, loop.links, loop.return_arrow)),
                  FadeIn(card.heading, rate_func=late), FadeIn(loop.rows, rate_func=late), run_time=p.recall_seconds)
        self.opening = []
        self.wait(p.hold_seconds)

    def name_the_steps(self) -> None:
        """The loop moves aside and becomes the training loop: the same steps, precisely named, one added."""
        p = self.params
        x, top, width, height = self.card_box
        icon = get_robot_icon(self.theme, self.theme.ink2)
        self.card = LearningCard(self.theme, p.title, p.steps, self.theme.ink2, icon, width=width, height=height,
                                 top_centre=(x, top), tags=self.get_tags())
        align_cards([self.card], self.card.header_bottom - 0.45, top - height + 0.35, max_gap=SPACE.page)
        old, new = self.recalled, self.card
        # The card moves aside, its steps spreading to their new places; then their words change in place.
        moves = [ReplacementTransform(getattr(old, part), getattr(new, part)) for part in ("frame", "strip", "icon")]
        moves += [old.heading.animate.move_to(new.heading, aligned_edge=LEFT),
                  ReplacementTransform(old.loop.links, new.loop.links),
                  ReplacementTransform(old.loop.return_arrow, new.loop.return_arrow)]
        renames = swap(old.heading, new.heading)
        for i, j in RECALLED_AS.items():
            move, rename = self.row_morph(old.loop.rows[i], new.loop.rows[j])
            moves += move
            renames += rename
        self.play(*moves, run_time=0.5 * p.morph_seconds)
        self.play(*renames, run_time=0.5 * p.morph_seconds)
        self.play(new.loop.reveal(2), run_time=p.model_seconds)
        self.wait(p.hold_seconds)

    def meet_model(self) -> None:
        """The tiny model: data points, the line y = w·x + b and its two weights w and b; an empty history."""
        p = self.params
        cx, cy, width, height = self.plot_box
        self.plot = LinePlot(self.theme, self.xs, self.ys, self.figures, width, height, (cx, cy))
        self.equation, self.w_row, self.b_row = self.get_model_rows(self.figures[0])
        self.history = self.get_history()
        chart = VGroup(self.history.axes, self.history.target_line, self.history.caption)
        self.play(Create(self.plot.axes), FadeIn(chart),
                  LaggedStart(*(FadeIn(dot, scale=0.5) for dot in self.plot.dots),
                              lag_ratio=0.1), run_time=p.model_seconds)
        self.play(Create(self.plot.line), FadeIn(self.equation), run_time=p.model_seconds)
        self.play(LaggedStart(FadeIn(self.w_row, shift=0.1 * LEFT), FadeIn(self.b_row, shift=0.1 * LEFT),
                              lag_ratio=0.4),
                  run_time=p.model_seconds)
        self.wait(p.hold_seconds)

    def take_example(self) -> None:
        """Step 1: the ring starts at the top of the loop; one example, xᵢ, is picked out."""
        p = self.params
        self.example = int(np.argmax(self.figures[0].losses))  # the point furthest from the first line
        marker = self.plot.get_marker(self.example)
        name = text.math(self.theme, f"x_{{{self.example + 1}}}", MATH.small).next_to(marker, LEFT, buff=SPACE.tiny)
        self.marker = VGroup(marker, name)
        entrances = self.card.loop.start_runner(self.card.band_right())
        self.play(*entrances, Create(marker), FadeIn(name, shift=0.1 * RIGHT), run_time=p.explain_seconds)
        self.wait(p.hold_seconds)

    def measure_loss(self) -> None:
        """Step 2: the gap from that point to the line, squared, is its loss L; then every point's gap."""
        p = self.params
        gaps, others = self.plot.gaps, [g for k, g in enumerate(self.plot.gaps) if k != self.example]
        self.l_row = self.get_value_row(get_symbol(self.theme, f"L(a, x_{{{self.example + 1}}})", "L", MATH.small),
                                        self.readout(self.figures[0].losses[self.example], p.q_places), self.l_y)
        self.add(gaps.set_opacity(0))
        self.bring_to_front(self.plot.line, self.plot.dots)  # the gaps run under the line and the dots
        self.play(*self.card.loop.advance(), run_time=p.explain_seconds)
        self.play(gaps[self.example].animate.set_opacity(1), FadeIn(self.l_row, shift=0.1 * UP),
                  run_time=p.explain_seconds)
        self.play(LaggedStart(*(gap.animate.set_opacity(1) for gap in others), lag_ratio=0.15),
                  run_time=p.explain_seconds)
        self.wait(p.hold_seconds)

    def average_into_q(self) -> None:
        """Step 3: the average of all the losses is Q; its first bar goes into the history."""
        p = self.params
        first = self.figures[0]
        q = q_readout(self.theme, first.q, p.q_places, width=self.q_width())
        self.q_row = self.get_value_row(get_q_symbol(self.theme, MATH.symbol), q, self.q_y)
        self.q_note = StateNote(self.theme, {Level.FAIR: p.close_label, Level.GOOD: p.learned_label},
                                size=TYPE.note).place(self.q_row, buff=SPACE.medium).follow(q)
        self.q_note.match_y(self.q_row.number)
        self.add(self.q_note)  # says what Q's colour means whenever it has one (average keeps it in step)
        self.play(*self.card.loop.advance(), run_time=p.explain_seconds)
        self.play(FadeIn(self.q_row, shift=0.1 * UP), self.history.grow(0), run_time=p.explain_seconds)
        self.wait(p.hold_seconds)

    def nudge_weights(self) -> None:
        """Step 4: w and b count to their next values and the line moves with them."""
        p = self.params
        self.play(*self.card.loop.advance(), run_time=p.explain_seconds)
        self.play(*self.nudge(self.figures[1]), run_time=2 * p.explain_seconds)
        self.wait(p.hold_seconds)

    def repeat(self) -> None:
        """Step 5 and back round to 1; the second turn, a little faster."""
        p = self.params
        self.play(*self.card.loop.advance(), run_time=p.explain_seconds)
        self.play(*self.card.loop.advance(), run_time=p.explain_seconds)
        if p.turns >= 2:
            self.turn(2, p.second_turn_seconds)
        else:
            self.final_measure(p.second_turn_seconds)

    def keep_training(self) -> None:
        """The later turns, fast: every turn Q falls and the history grows; a last pass measures the result."""
        p = self.params
        for turn in range(3, p.turns + 1):
            self.turn(turn, p.fast_seconds)
        if p.turns >= 2:
            self.final_measure(p.fast_seconds * 1.5)
        self.wait(p.hold_seconds)

    def conclude(self) -> None:
        """The ring stops; the highlight sweeps the steps once more (a recap) and goes.

        The trained line and Q's history stay.
        """
        p = self.params
        loop, right = self.card.loop, self.card.band_right()
        self.play(FadeOut(VGroup(loop.runner, self.marker)), Transform(loop.band, loop.get_band(1, right)),
                  run_time=p.hold_seconds)
        for k in range(2, len(loop.rows)):
            self.play(Transform(loop.band, loop.get_band(k, right)), run_time=0.5 * p.explain_seconds)
        self.play(FadeOut(loop.band), run_time=p.hold_seconds)
        self.wait(p.hold_seconds)

    # Turning the loop.
    def turn(self, turn: int, seconds: float) -> None:
        """Turn ``turn`` (1-based): measure step turn − 1, average it into Q, nudge to step turn, repeat."""
        before, after = self.figures[turn - 1], self.figures[turn]
        self.step_on(seconds, self.l_row.number.count_to(before.losses[self.example]))
        self.step_on(seconds, *self.average(before))
        self.step_on(seconds, *self.nudge(after))
        self.step_on(seconds)
        self.step_on(seconds)

    def final_measure(self, seconds: float) -> None:
        """One more pass over the trained line: its L and its Q, and the last bar."""
        last = self.figures[-1]
        self.step_on(seconds, self.l_row.number.count_to(last.losses[self.example]))
        self.step_on(seconds * 2, *self.average(last))

    def step_on(self, seconds: float, *animations: Animation) -> None:
        """Move the ring on one step, with ``animations`` alongside."""
        self.play(*self.card.loop.advance(), *animations, run_time=seconds)

    def average(self, figures: StepFigures) -> list[Animation]:
        """Q counts to ``figures``' Q (its colour, and the note beside it, follow its level) and its bar grows."""
        note = UpdateFromFunc(self.q_note, lambda note: note.follow(self.q_row.number))
        return [self.q_row.number.count_to(figures.q), note, self.history.grow(figures.step)]

    def nudge(self, figures: StepFigures) -> list[Animation]:
        """w and b count to ``figures``' weights; the line and the gaps move to match."""
        return [self.w_row.number.count_to(figures.w), self.b_row.number.count_to(figures.b),
                Transform(self.plot.line, self.plot.get_line(figures)),
                Transform(self.plot.gaps, self.plot.get_gaps(figures))]

    # Building blocks.
    def row_morph(self, old: VGroup, new: VGroup) -> tuple[list[Animation], list[Animation]]:
        """A recalled step becoming its training-loop step: (moves to its place, changes its words there)."""
        moves = [ReplacementTransform(old.dot, new.dot), old.label.animate.move_to(new.label, aligned_edge=UP + LEFT)]
        renames = swap(old.label, new.label)
        if old.gloss is not None:
            moves.append(old.gloss.animate.next_to(new.label, DOWN, buff=SPACE.xs, aligned_edge=LEFT))
        renames += swap(old.gloss, new.gloss)
        renames += [FadeIn(new.symbol, shift=0.2 * LEFT, rate_func=LATE)] if new.symbol is not None else []
        return moves, renames

    def get_tags(self) -> list[tuple[Mobject, int] | None]:
        """The formula's symbol for each step, set as it is in the formula: xᵢ, L(a, xᵢ), Q(a, X), then w, b."""
        x_i = text.math(self.theme, "x_i", MATH.tag)
        weights = text.math(self.theme, r"w,\ b", MATH.tag)
        loss, q = get_symbol(self.theme, "L(a, x_i)", "L", MATH.tag), get_q_symbol(self.theme, MATH.small)
        return [(x_i, 0), (loss, 0), (q, 4), (weights, 0), None]

    def get_model_rows(self, figures: StepFigures) -> tuple[MathTex, VGroup, VGroup]:
        """The model's equation and its two weights, each counting: "w = 0.00", "b = 0.50"."""
        width = max(len(format_value(v, 2)) for f in self.figures for v in (f.w, f.b))
        equation = text.math(self.theme, r"y = w\,x + b", MATH.symbol)
        equation.move_to([self.model_x, self.plot_box[1] + 0.75, 0], aligned_edge=LEFT)
        rows = [self.get_value_row(text.math(self.theme, name, MATH.row), self.readout(value, 2, width=width), 0,
                                   x=self.model_x)
                for name, value in (("w", figures.w), ("b", figures.b))]
        for row, dy in zip(rows, (0.05, -0.65), strict=False):
            row.shift((self.plot_box[1] + dy) * UP)
        return equation, *rows

    def get_value_row(self, symbol: MathTex, number: Readout, y: float, x: float | None = None) -> VGroup:
        """"symbol = number" on one line at height ``y``, left-aligned at ``x``; ``.number`` counts."""
        row = value_row(self.theme, symbol, number, symbol.font_size)
        return row.move_to([self.readout_x if x is None else x, y, 0], aligned_edge=LEFT)

    def readout(self, value: float, places: int, size: float = TYPE.readout, width: int | None = None) -> Readout:
        """A counting read-out in ink, wide enough for every value it will show of this run's Q and losses."""
        width = width or max(len(format_value(v, places)) for f in self.figures for v in (f.q, *f.losses))
        return Readout(value, places=places, size=size, color=self.theme.ink, width=width)

    def q_width(self) -> int:
        """Characters for Q's read-out: its widest value in this run."""
        return max(len(f.q_text) for f in self.figures)

    def get_history(self) -> QHistory:
        """The empty chart of Q after each step (the bars grow as the loop turns)."""
        p = self.params
        cx, cy, width, height = self.history_box
        return QHistory(self.theme, [f.q for f in self.figures], [f.level for f in self.figures], width, height, (cx,
                                                                                                                  cy),
                        p.history_caption, get_q_symbol(self.theme, MATH.axis), p.step_label, p.target_label)

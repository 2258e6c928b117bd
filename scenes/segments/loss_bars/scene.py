"""Segment 4: the clips' losses shrink epoch by epoch while Q, their average, falls to "learned".

Opens from the formula segment's Σ chips (``FormulaScene.clip_chips``), which become the bars.
Every figure on screen comes from riskmath (clip_losses, epoch_risk, risk_level); the scene only
formats and draws them. Its params and figures are in
``figures``, its parts (ClipBar, EpochChart) in ``clip_bars``, beside it.
"""

import numpy as np
from manim import (
    DOWN,
    LEFT,
    RIGHT,
    UP,
    Animation,
    FadeIn,
    FadeOut,
    GrowFromEdge,
    LaggedStart,
    Mobject,
    ReplacementTransform,
    RoundedRectangle,
    UpdateFromAlphaFunc,
    UpdateFromFunc,
    VGroup,
    linear,
    smooth,
    squish_rate_func,
)

from riskmath import Level, empirical_risk, round_half_away
from riskmath.epochs import LEARNED_BELOW
from scenes.base import PickUp, SegmentScene
from scenes.parts import text
from scenes.parts.components import fit_within
from scenes.parts.counting import LevelReadout, count_word
from scenes.parts.formula_panel import get_q_symbol
from scenes.parts.opening_pieces import detach, leave_and_arrive
from scenes.parts.page import PageTitle
from scenes.parts.targets import StateNote
from scenes.segments.loss_bars.clip_bars import ClipBar, EpochChart, get_outline
from scenes.segments.loss_bars.figures import (
    EpochFigures,
    LossBarsParams,
    figures_at,
    learned_epoch,
    template,
)
from scenes.theme import HOLD, MATH, SAFE_X, SAFE_Y, SPACE, TYPE


class LossBarsScene(SegmentScene):
    """Bars of each clip's loss and the big Q read-out, trained epoch by epoch, with Q's curve."""

    scene_name = "loss_bars"
    Params = LossBarsParams
    params: LossBarsParams
    picks_up = (PickUp("clip_chips", after=("formula",)),)  # each chip stretches into its clip's bar
    beats = ("show_clips", "show_risk", "show_curve", "explain_epoch", "second_pass", "train", "declare_learned",
             "keep_training")

    # Layout (frame units). Left column: the bars; right column: epoch, Q and its chart.
    left_x = -SAFE_X
    track_width = 5.3
    track_top, track_bottom = 1.75, -3.3  # centres of the first and last tracks
    column_x = 0.55  # left edge of the right-hand column
    q_size = TYPE.numeral
    gathered = 0.65  # share of show_risk's animation by which the flying numbers are gone and Q appears

    epoch_figures = staticmethod(figures_at)  # (params, epoch) -> EpochFigures
    learned_epoch = staticmethod(learned_epoch)  # params -> the verdict's epoch, or None

    # Beats.
    def show_clips(self) -> None:
        """The Σ chips of the formula become the bars (or the bars grow in), under the title."""
        p = self.params
        self.figures = self.epoch_figures(p, 1)
        title = template(p.title, count=count_word(len(p.clips)))
        self.page_title = PageTitle(self.theme, title, p.subtitle, max_width=7.0)
        self.rows = self.get_rows(self.figures)
        chips = self.pick_up("clip_chips")
        self.chips_carried = chips is not None and len(chips) == len(self.rows)  # else: as many chips as bars
        if self.chips_carried:
            self.morph_chips(chips)
        else:
            entrances = LaggedStart(*(self.row_entrance(row) for row in self.rows), lag_ratio=0.2)
            self.play(*leave_and_arrive(self.opening, title=self.page_title), run_time=HOLD)
            self.play(entrances, run_time=p.intro_seconds)
        self.add(*self.rows)  # each row whole on screen (their parts were animated in on their own)
        self.opening = []
        self.wait(p.hold_seconds)

    def morph_chips(self, chips: VGroup) -> None:
        """Each chip's card stretches into its clip's bar, its number slides to the bar's end."""
        leaving = detach(self, self.opening, chips)
        early, moving, late = (squish_rate_func(smooth, *span) for span in ((0, 0.4), (0.25, 1), (0.5, 1)))
        cards, rest, numbers, morphs = [], [], [], []
        for chip, row in zip(chips, self.rows, strict=False):
            parts = [part for part in chip.submobjects if chip.number not in part.get_family()]
            card = getattr(chip, "box", None) or max(parts, key=lambda part: part.width * part.height)
            others = [part for part in parts if part is not card]
            number = chip.number.copy()  # the same figure: it slides over, then the read-out takes its place
            self.remove(chip)
            cards.append(card)
            rest.extend(others)
            numbers.append(number)
            target = row.number.characters
            morphs += [ReplacementTransform(card, row.bar, rate_func=moving), FadeIn(row.track),
                       FadeIn(row.label, rate_func=late),
                       number.animate(rate_func=moving).scale_to_fit_height(target.height).move_to(target),
                       *(part.animate(rate_func=moving).move_to(row.label[0]).set_opacity(0) for part in others)]
        self.add(*cards, *rest, *numbers)  # numbers on top while they slide
        # The formula's page has faded before the numbers cross it and before the new words come: no text over text.
        self.play(*(FadeOut(mob, rate_func=early) for mob in leaving), *morphs,
                  FadeIn(self.page_title, shift=0.12 * UP, rate_func=late), run_time=self.params.intro_seconds)
        self.remove(*numbers, *rest)

    def show_risk(self) -> None:
        """Q(a, X), the average of the bars: their numbers gather into the big read-out."""
        self.q_label = self.get_q_label()
        self.q_number = LevelReadout(self.figures.q, self.theme.q_colour, places=2, role="heading", size=self.q_size)
        self.q_number.next_to(self.q_label, DOWN, buff=SPACE.wide).align_to(self.q_label, LEFT)
        self.close_note = StateNote(self.theme, {Level.FAIR: self.params.close_label}).place(self.q_number)
        self.add(self.close_note)  # unseen until Q first turns red (follow_bars shows it)
        self.play(FadeIn(self.q_label, shift=0.15 * DOWN), run_time=HOLD)
        flying = [row.number.copy() for row in self.rows]
        self.play(*(self.gather(copy, self.q_number.get_center()) for copy in flying),
                  FadeIn(self.q_number, scale=0.8, rate_func=squish_rate_func(smooth, self.gathered, 1)),
                  run_time=self.params.intro_seconds)
        self.remove(*flying)
        self.wait(self.params.hold_seconds)

    def gather(self, number: Mobject, target: np.ndarray) -> Animation:
        """``number`` flies to ``target``, fading as it goes, and is gone by ``gathered`` of the animation
        (before Q appears: never two values). A faint copy (under a quarter opaque), never read over its original."""
        start, height = number.get_center(), number.height

        def fly(mob: Mobject,
                alpha: float) -> None:  # at an even pace, shrinking and fading, so they never pile up legibly
            t = min(alpha / self.gathered, 1)
            mob.set_opacity(0.25 * (1 - t) ** 0.8).scale_to_fit_height(height * (1 - 0.5 * t))
            mob.move_to(start + (target - start) * t)

        return UpdateFromAlphaFunc(number, fly, rate_func=linear)

    def show_curve(self) -> None:
        """A chart of Q against epoch, its labelled "learned" line, and the first point."""
        self.chart = self.get_chart()
        self.play(FadeIn(self.chart.frame), run_time=HOLD)
        self.play(FadeIn(self.chart.threshold), run_time=HOLD)  # in place: the line is at 0.08 on every frame
        self.play(self.chart.start_at(1, self.figures.q, self.theme.q_colour(self.figures.q)), run_time=0.5)
        self.wait(self.params.hold_seconds)

    def explain_epoch(self) -> None:
        """"epoch 1 of N" over the bars as they are: the losses of the first pass, before any update."""
        self.counter = self.get_epoch_counter()
        note = self.get_epoch_note()
        self.play(FadeIn(self.counter), FadeIn(note, shift=0.1 * DOWN), run_time=HOLD)
        self.wait(self.params.hold_seconds)

    def second_pass(self) -> None:
        """Pass 2: the counter says 2 as a frame lands on the first clip, then sweeps the rows, each bar
        shrinking to the loss measured now, Q following the bars."""
        p = self.params
        if p.epochs < 2:
            self.wait(p.hold_seconds)
            return
        figures = self.epoch_figures(p, 2)
        frame = get_outline(self.theme, self.rows[0])
        self.set_epoch(2)
        self.play(FadeIn(frame), run_time=0.3)
        self.sweep(frame, figures.losses)
        self.play(FadeOut(frame), *self.update_summary(figures), run_time=p.move_seconds)
        self.wait(p.hold_seconds)

    def sweep(self, frame: RoundedRectangle, losses: tuple[float, ...]) -> None:
        """The pass over the clips, one at a time: the frame glides to a clip, its bar shrinks to its
        new loss and Q, the average of the bars as they now stand, follows it."""
        for i, (row, loss) in enumerate(zip(self.rows, losses, strict=False)):
            after_the_frame = squish_rate_func(smooth, 0.3 if i else 0, 1)
            glide = [frame.animate(rate_func=squish_rate_func(smooth, 0, 0.3)).move_to(
                get_outline(self.theme, row).get_center())] if i else []
            shrink = [count.set_rate_func(after_the_frame) for count in row.shrink_to(loss)]
            self.play(*glide, *shrink, self.follow_bars(), run_time=0.5)

    def train(self) -> None:
        """Epochs go by until Q falls below the line (or until the last epoch)."""
        last = self.learned_epoch(self.params) or self.params.epochs
        if not self.advance_to(last):
            self.wait(self.params.hold_seconds)

    def declare_learned(self) -> None:
        """Once Q is below the line, the verdict appears beside it."""
        if self.figures.learned:
            self.verdict_text = self.get_verdict()
            self.play(FadeIn(self.verdict_text, shift=0.15 * LEFT), run_time=HOLD)
        self.wait(self.params.hold_seconds)

    def keep_training(self) -> None:
        """The remaining epochs: the losses keep shrinking towards zero; the page stays as it ends."""
        self.advance_to(self.params.epochs)
        self.wait(self.params.hold_seconds)

    # Moving from one epoch to the next.
    def advance_to(self, last: int) -> int:
        """Step epoch by epoch up to ``last``, each step moving then holding; returns the steps taken."""
        p = self.params
        epochs = range(self.figures.epoch + 1, last + 1)
        for epoch in epochs:
            figures = self.epoch_figures(p, epoch)
            shrinks = [anim for row, loss in zip(self.rows, figures.losses,
                                                 strict=False) for anim in row.shrink_to(loss)]
            self.set_epoch(epoch)  # the counter names the pass whose losses the bars are moving to
            self.play(*shrinks, self.follow_bars(), *self.update_summary(figures), run_time=p.move_seconds)
            self.wait(p.epoch_seconds - p.move_seconds)
        return len(epochs)

    def set_epoch(self, epoch: int) -> None:
        """The counter (once shown) reads ``epoch``: set as that pass's bars start to move, never counted."""
        if hasattr(self, "counter"):
            self.counter.count.set_value(epoch)

    def follow_bars(self) -> Animation:
        """On every frame: Q is the average of the bar numbers as shown (riskmath's rounding), and the
        note beside it says what its colour means. Goes after the bars' animations in a play."""
        def update(_: Mobject) -> None:
            shown = [row.number.shown(row.number.value) for row in self.rows]
            self.q_number.set_value(round_half_away(empirical_risk(shown), 2))
            self.close_note.follow(self.q_number)

        return UpdateFromFunc(VGroup(self.q_number, self.close_note), update)

    def update_summary(self, figures: EpochFigures) -> list[Animation]:
        """The curve draws its next segment, to ``figures``' Q."""
        self.figures = figures
        return self.chart.extend_to(figures.epoch, figures.q, self.theme.q_colour(figures.q))

    # Building blocks.
    def get_rows(self, figures: EpochFigures) -> VGroup:
        """One ClipBar per clip, spread down the left column."""
        clips = self.params.clips
        pitch = (self.track_top - self.track_bottom) / max(len(clips) - 1, 1)
        pitch = min(pitch, 1.3)
        rows = VGroup()
        for i, (clip, loss) in enumerate(zip(clips, figures.losses, strict=False)):
            colour = clip.colour or self.theme.clip_colour(i)
            row = ClipBar(self.theme, i + 1, clip.name, loss, colour, self.track_width,
                          label_width=self.track_width + 0.7)
            row.shift([self.left_x - row.track.get_left()[0], self.track_top - i * pitch - row.track.get_y(), 0])
            rows.add(row)
        return rows

    def row_entrance(self, row: ClipBar) -> Animation:
        """A row arrives: label and track fade in, the bar grows from the left, the number appears."""
        return LaggedStart(FadeIn(VGroup(row.label, row.track)), GrowFromEdge(row.bar, LEFT), FadeIn(row.number),
                           lag_ratio=0.3)

    def get_q_label(self) -> VGroup:
        """"Q(a, X)" and what it is, at the top of the right-hand column."""
        symbol = get_q_symbol(self.theme, MATH.q_label)
        caption = text.body(self.theme, f"= {self.params.q_caption}", size=TYPE.label, color=self.theme.ink2)
        text.fit_label(caption, SAFE_X - self.column_x - symbol.width - 0.25, TYPE.label)
        label = VGroup(symbol, caption).arrange(RIGHT, buff=SPACE.medium)
        return label.move_to([self.column_x, 2.2, 0], aligned_edge=LEFT)

    def get_verdict(self) -> Mobject:
        """The verdict, in the "learned" colour, right of the read-out."""
        verdict = text.body(self.theme, self.params.verdict, size=TYPE.body,
                            color=self.theme.level_colours("Q")[Level.GOOD])
        space = SAFE_X - self.q_number.get_right()[0] - 0.4
        fit_within(verdict, max(space, 1.0), 1.2)
        return verdict.next_to(self.q_number, RIGHT, buff=SPACE.block)

    def get_chart(self) -> EpochChart:
        """The chart of Q per epoch, filling the lower right of the frame."""
        p = self.params
        top = max(self.epoch_figures(p, 1).q, LEARNED_BELOW) * 1.08
        chart = EpochChart(self.theme, p.epochs, top, LEARNED_BELOW, p.threshold_label, p.epoch_label, width=5.2,
                           height=2.7)
        chart.move_to([(self.column_x + SAFE_X) / 2, -SAFE_Y + chart.height / 2, 0])
        chart.shift([SAFE_X - chart.get_right()[0], 0, 0])
        return chart

    def get_epoch_counter(self) -> VGroup:
        """"epoch 1 of 10" at the top right; ``.count`` is a read-out that counts."""
        p = self.params
        label = text.mono(self.theme, p.epoch_label, TYPE.body)
        ink = self.theme.ink
        count = LevelReadout(1, lambda _: ink, places=0, size=TYPE.body, width=len(str(p.epochs)))
        total = text.mono(self.theme, f"{p.epoch_of} {p.epochs}", TYPE.body)
        counter = VGroup(label, count, total).arrange(RIGHT, buff=SPACE.small, aligned_edge=DOWN)
        counter.move_to([SAFE_X, self.page_title[0].get_y(), 0], aligned_edge=RIGHT)
        counter.count = count
        return counter

    def get_epoch_note(self) -> Mobject:
        """What an epoch is, under the counter."""
        note = text.body(self.theme, self.params.epoch_note, size=TYPE.small, color=self.theme.ink2)
        text.fit_label(note, SAFE_X - self.column_x, TYPE.small)
        return note.next_to(self.counter, DOWN, buff=SPACE.small, aligned_edge=RIGHT)

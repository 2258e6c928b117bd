"""Segment 4: the clips' losses shrink epoch by epoch while Q, their average, falls to "learned".

Opens from the formula segment's Σ chips (``FormulaScene.clip_chips``), which become the bars.
Every figure on screen comes from riskmath (clip_losses, epoch_risk, risk_level); the scene only
formats and draws them. Its parts (ClipBar, EpochChart) live in scenes.segments.loss_bars.clip_bars.
"""

from dataclasses import dataclass

from manim import (DOWN, LEFT, RIGHT, UP, FadeIn, FadeOut, GrowFromEdge, LaggedStart, ReplacementTransform,
                   RoundedRectangle, UpdateFromAlphaFunc, VGroup, linear, smooth, squish_rate_func)
from pydantic import Field, model_validator

from riskmath import (ARTICLE_CLIP_LOSSES, DECAY, Level, clip_losses, empirical_risk, epoch_risk, first_learned_epoch,
                      risk_level, round_half_away)
from riskmath.epochs import LEARNED_BELOW
from scenes import theme
from scenes.base import SegmentScene
from scenes.segments.loss_bars.clip_bars import ClipBar, EpochChart, fit_label, mono
from scenes.parts.components import fit_within, format_decimal, get_q_symbol
from scenes.parts.counting import LevelReadout, count_word
from scenes.fields import Colour, SceneParams, Seconds, StrictModel, Text
from scenes.parts.opening_pieces import detach, leave_and_arrive
from scenes.parts.page import PageTitle


class Clip(StrictModel):
    """One training clip: its name, its loss at epoch 1 and the colour of its bar."""

    name: Text
    base_loss: float = Field(ge=0, le=1)
    colour: Colour


DEFAULT_CLIPS = tuple(zip(("sunset timelapse", "ocean waves", "character walk", "city at night", "forest scene"),
                          ARTICLE_CLIP_LOSSES, ("#c8401a", "#c87a1a", "#c8a01a", "#1a6bc8", "#1a8c4e")))


def _default_clips():
    return [Clip(name=name, base_loss=loss, colour=colour) for name, loss, colour in DEFAULT_CLIPS]


def _template(text, **fields):
    """``text`` with ``fields`` filled in; a ValueError naming the allowed fields otherwise."""
    try:
        return text.format(**fields)
    except (KeyError, IndexError, ValueError) as exc:
        raise ValueError(f"may only use the fields {', '.join('{' + f + '}' for f in fields)}") from exc


class LossBarsParams(SceneParams):
    """Clips, schedule, texts and timings of the loss-bars segment; defaults follow the storyboard."""

    clips: list[Clip] = Field(default_factory=_default_clips, min_length=1, max_length=6)
    epochs: int = Field(10, ge=1, le=50)
    decay: float = Field(DECAY, gt=0, le=1)
    title: Text = "One model, {count} video clips"  # {count}: how many clips, in words
    subtitle: Text = "Each bar: how wrong the model is on that clip"
    q_caption: Text = "the average of the bars"
    epoch_label: Text = "epoch"
    epoch_of: Text = "of"
    epoch_note: Text = "One epoch: one pass over every clip"
    threshold_label: Text = "learned"  # over the dashed line at riskmath's threshold (its value on the axis)
    verdict: Text = "The model\nhas learned"
    intro_seconds: Seconds = 2.0
    epoch_seconds: Seconds = 2.2
    move_seconds: Seconds = 1.0
    hold_seconds: Seconds = theme.HOLD

    @model_validator(mode="after")
    def _consistent(self):
        if self.move_seconds > self.epoch_seconds:
            raise ValueError("move_seconds must not exceed epoch_seconds")
        _template(self.title, count="five")
        return self


@dataclass(frozen=True)
class EpochFigures:
    """What the scene shows at one epoch, straight from riskmath."""

    epoch: int
    losses: tuple[float, ...]  # each clip's loss, riskmath.clip_losses
    q: float  # their average, riskmath.epoch_risk

    @property
    def level(self):
        return risk_level(self.q)

    @property
    def learned(self):
        return self.level is Level.GOOD

    @property
    def loss_texts(self):
        return tuple(format_decimal(loss) for loss in self.losses)

    @property
    def q_text(self):
        return format_decimal(self.q)


def q_colour(q):
    """Q's colour at its level (the storyboard's thresholds), in the theme in use."""
    return theme.Q_COLOURS[risk_level(q)]


class LossBarsScene(SegmentScene):
    """Bars of each clip's loss and the big Q read-out, trained epoch by epoch, with Q's curve."""

    scene_name = "loss_bars"
    Params = LossBarsParams
    beats = ("show_clips", "show_risk", "show_curve", "explain_epoch", "train", "declare_learned", "keep_training")

    # Layout (frame units). Left column: the bars; right column: epoch, Q and its chart.
    left_x = -theme.SAFE_X
    track_width = 5.3
    track_top, track_bottom = 1.75, -3.3  # centres of the first and last tracks
    column_x = 0.55  # left edge of the right-hand column
    q_size = 96
    gathered = 0.65  # share of show_risk's animation by which the flying numbers are gone and Q appears

    @staticmethod
    def epoch_figures(params, epoch):
        """The EpochFigures for ``epoch`` (1-based) under ``params``, from riskmath."""
        base = [clip.base_loss for clip in params.clips]
        losses = clip_losses(base, epoch, params.decay)
        return EpochFigures(epoch, tuple(losses.tolist()), epoch_risk(base, epoch, params.decay))

    @staticmethod
    def learned_epoch(params):
        """The epoch at which the verdict appears, or None if Q stays above the line for all epochs."""
        base = [clip.base_loss for clip in params.clips]
        return first_learned_epoch(base, params.decay, max_epoch=params.epochs)

    def setup(self):
        super().setup()
        self.theme_name = theme.THEME  # replaying the previous segment switches the theme (scenes.base.replay)

    # Beats.
    def show_clips(self):
        """The Σ chips of the formula become the bars (or the bars grow in), under the title."""
        theme.use(self.theme_name)
        p = self.params
        self.figures = self.epoch_figures(p, 1)
        self.page_title = PageTitle(_template(p.title, count=count_word(len(p.clips))), p.subtitle, max_width=7.0)
        self.rows = self.get_rows(self.figures)
        chips = getattr(self.previous_scene, "clip_chips", None)
        if chips is not None and len(chips) == len(self.rows):
            self.morph_chips(chips)
        else:
            entrances = LaggedStart(*(self.row_entrance(row) for row in self.rows), lag_ratio=0.2)
            self.play(*leave_and_arrive(self.opening, title=self.page_title), run_time=theme.HOLD)
            self.play(entrances, run_time=p.intro_seconds)
        self.add(*self.rows)  # each row whole on screen (their parts were animated in on their own)
        self.opening = []
        self.wait(p.hold_seconds)

    def morph_chips(self, chips):
        """Each chip's card stretches into its clip's bar, its number slides to the bar's end."""
        leaving = detach(self, self.opening, chips)
        cards, rest, numbers, morphs = [], [], [], []
        for chip, row in zip(chips, self.rows):
            parts = [part for part in chip.submobjects if chip.number not in part.get_family()]
            card = getattr(chip, "box", None) or max(parts, key=lambda part: part.width * part.height)
            others = [part for part in parts if part is not card]
            number = chip.number.copy()  # the same figure: it slides over, then the read-out takes its place
            self.remove(chip)
            cards.append(card), rest.extend(others), numbers.append(number)
            target = row.number.characters
            morphs += [ReplacementTransform(card, row.bar), FadeIn(VGroup(row.track, row.label)),
                       number.animate.scale_to_fit_height(target.height).move_to(target),
                       *(part.animate.move_to(row.label[0]).set_opacity(0) for part in others)]
        self.add(*cards, *rest, *numbers)  # numbers on top while they slide
        self.play(*leave_and_arrive(leaving, title=self.page_title), *morphs, run_time=self.params.intro_seconds)
        self.remove(*numbers, *rest)

    def show_risk(self):
        """Q(a, X), the average of the bars: their numbers gather into the big read-out."""
        self.q_label = self.get_q_label()
        self.q_number = LevelReadout(self.figures.q, q_colour, places=2, role="heading", size=self.q_size)
        self.q_number.next_to(self.q_label, DOWN, buff=0.3).align_to(self.q_label, LEFT)
        self.play(FadeIn(self.q_label, shift=0.15 * DOWN), run_time=theme.HOLD)
        flying = [row.number.copy() for row in self.rows]
        self.play(*(self.gather(copy, self.q_number.get_center()) for copy in flying),
                  FadeIn(self.q_number, scale=0.8, rate_func=squish_rate_func(smooth, self.gathered, 1)),
                  run_time=self.params.intro_seconds)
        self.remove(*flying)
        self.wait(self.params.hold_seconds)

    def gather(self, number, target):
        """``number`` flies to ``target``, fading as it goes, and is gone by ``gathered`` of the animation
        (before Q appears: never two values). It leaves at once, so it is never read doubled over its original."""
        start, height = number.get_center(), number.height

        def fly(mob, alpha):  # at an even pace, shrinking and fading, so they never pile up legibly
            t = min(alpha / self.gathered, 1)
            mob.set_opacity((1 - t) ** 0.8).scale_to_fit_height(height * (1 - 0.5 * t))
            mob.move_to(start + (target - start) * t)

        return UpdateFromAlphaFunc(number, fly, rate_func=linear)

    def show_curve(self):
        """A chart of Q against epoch, its labelled "learned" line, and the first point."""
        self.chart = self.get_chart()
        self.play(FadeIn(self.chart.frame), run_time=theme.HOLD)
        self.play(FadeIn(self.chart.threshold, shift=0.1 * UP), run_time=theme.HOLD)
        self.play(self.chart.start_at(1, self.figures.q, q_colour(self.figures.q)), run_time=0.5)
        self.wait(self.params.hold_seconds)

    def explain_epoch(self):
        """"epoch 1 of N": one pass over every clip; a pass sweeps the rows and each bar shrinks."""
        p = self.params
        self.counter = self.get_epoch_counter()
        note = self.get_epoch_note()
        self.play(FadeIn(self.counter), FadeIn(note, shift=0.1 * DOWN), run_time=theme.HOLD)
        if p.epochs < 2:
            self.wait(p.hold_seconds)
            return
        figures = self.epoch_figures(p, 2)
        frame = self.get_sweep_frame(self.rows[0])
        self.play(FadeIn(frame), run_time=0.3)
        self.sweep(frame, figures.losses)
        self.play(FadeOut(frame), *self.update_summary(figures), run_time=p.move_seconds)
        self.wait(p.hold_seconds)

    def sweep(self, frame, losses):
        """The pass over the clips, one at a time: the frame glides to a clip, its bar shrinks to its
        new loss and Q, the average of the bars as they now stand, counts with it."""
        shown = list(self.figures.losses)
        for i, (row, loss) in enumerate(zip(self.rows, losses)):
            shown[i] = loss
            after_the_frame = squish_rate_func(smooth, 0.3 if i else 0, 1)
            glide = [frame.animate(rate_func=squish_rate_func(smooth, 0, 0.3)).move_to(
                self.get_sweep_frame(row).get_center())] if i else []
            counts = [*row.shrink_to(loss), self.q_number.count_to(round_half_away(empirical_risk(shown), 2))]
            self.play(*glide, *(count.set_rate_func(after_the_frame) for count in counts), run_time=0.5)

    def train(self):
        """Epochs go by until Q falls below the line (or until the last epoch)."""
        last = self.learned_epoch(self.params) or self.params.epochs
        if not self.advance_to(last):
            self.wait(self.params.hold_seconds)

    def declare_learned(self):
        """Once Q is below the line, the verdict appears beside it."""
        if self.figures.learned:
            self.verdict_text = self.get_verdict()
            self.play(FadeIn(self.verdict_text, shift=0.15 * LEFT), run_time=theme.HOLD)
        self.wait(self.params.hold_seconds)

    def keep_training(self):
        """The remaining epochs: the losses keep shrinking towards zero; the page stays as it ends."""
        self.advance_to(self.params.epochs)
        self.wait(self.params.hold_seconds)

    # Moving from one epoch to the next.
    def advance_to(self, last):
        """Step epoch by epoch up to ``last``, each step moving then holding; returns the steps taken."""
        p = self.params
        epochs = range(self.figures.epoch + 1, last + 1)
        for epoch in epochs:
            figures = self.epoch_figures(p, epoch)
            shrinks = [anim for row, loss in zip(self.rows, figures.losses) for anim in row.shrink_to(loss)]
            self.play(*shrinks, *self.update_summary(figures), run_time=p.move_seconds)
            self.wait(p.epoch_seconds - p.move_seconds)
        return len(epochs)

    def update_summary(self, figures):
        """The epoch counter and Q count to ``figures``; the curve draws its next segment."""
        animations = [self.q_number.count_to(figures.q)]
        if hasattr(self, "counter"):
            animations.append(self.counter.count.count_to(figures.epoch))
        animations += self.chart.extend_to(figures.epoch, figures.q, q_colour(figures.q))
        self.figures = figures
        return animations

    # Building blocks.
    def get_rows(self, figures):
        """One ClipBar per clip, spread down the left column."""
        clips = self.params.clips
        pitch = (self.track_top - self.track_bottom) / max(len(clips) - 1, 1)
        pitch = min(pitch, 1.3)
        rows = VGroup()
        for i, (clip, loss) in enumerate(zip(clips, figures.losses)):
            row = ClipBar(i + 1, clip.name, loss, clip.colour, self.track_width, label_width=self.track_width + 0.7)
            row.shift([self.left_x - row.track.get_left()[0], self.track_top - i * pitch - row.track.get_y(), 0])
            rows.add(row)
        return rows

    def row_entrance(self, row):
        """A row arrives: label and track fade in, the bar grows from the left, the number appears."""
        return LaggedStart(FadeIn(VGroup(row.label, row.track)), GrowFromEdge(row.bar, LEFT), FadeIn(row.number),
                           lag_ratio=0.3)

    def get_q_label(self):
        """"Q(a, X)" and what it is, at the top of the right-hand column."""
        symbol = get_q_symbol(48)
        caption = self.body(f"= {self.params.q_caption}", size=theme.LABEL_SIZE, color=theme.INK2)
        fit_label(caption, theme.SAFE_X - self.column_x - symbol.width - 0.25, theme.LABEL_SIZE)
        label = VGroup(symbol, caption).arrange(RIGHT, buff=0.25)
        return label.move_to([self.column_x, 2.2, 0], aligned_edge=LEFT)

    def get_verdict(self):
        """The verdict, in the "learned" colour, right of the read-out."""
        verdict = self.body(self.params.verdict, size=theme.BODY_SIZE, color=theme.Q_COLOURS[Level.GOOD])
        space = theme.SAFE_X - self.q_number.get_right()[0] - 0.4
        fit_within(verdict, max(space, 1.0), 1.2)
        return verdict.next_to(self.q_number, RIGHT, buff=0.4)

    def get_chart(self):
        """The chart of Q per epoch, filling the lower right of the frame."""
        p = self.params
        top = max(self.epoch_figures(p, 1).q, LEARNED_BELOW) * 1.08
        chart = EpochChart(p.epochs, top, LEARNED_BELOW, p.threshold_label, p.epoch_label, width=5.2, height=2.7)
        chart.move_to([(self.column_x + theme.SAFE_X) / 2, -theme.SAFE_Y + chart.height / 2, 0])
        chart.shift([theme.SAFE_X - chart.get_right()[0], 0, 0])
        return chart

    def get_epoch_counter(self):
        """"epoch 1 of 10" at the top right; ``.count`` is a read-out that counts."""
        p = self.params
        label = mono(p.epoch_label, theme.BODY_SIZE, theme.INK2)
        ink = theme.INK
        count = LevelReadout(1, lambda _: ink, places=0, size=theme.BODY_SIZE, width=len(str(p.epochs)))
        total = mono(f"{p.epoch_of} {p.epochs}", theme.BODY_SIZE, theme.INK2)
        counter = VGroup(label, count, total).arrange(RIGHT, buff=0.18, aligned_edge=DOWN)
        counter.move_to([theme.SAFE_X, self.page_title[0].get_y(), 0], aligned_edge=RIGHT)
        counter.count = count
        return counter

    def get_epoch_note(self):
        """What an epoch is, under the counter."""
        note = self.body(self.params.epoch_note, size=theme.SMALL_SIZE, color=theme.INK2)
        fit_label(note, theme.SAFE_X - self.column_x, theme.SMALL_SIZE)
        return note.next_to(self.counter, DOWN, buff=0.18, aligned_edge=RIGHT)

    def get_sweep_frame(self, row):
        """An outline around a row: where the pass over the clips has got to."""
        left, right = max(row.get_left()[0] - 0.15, -theme.SAFE_X), row.get_right()[0] + 0.15
        frame = RoundedRectangle(width=right - left, height=row.height + 0.2, corner_radius=0.12,
                                 stroke_color=theme.INK3, stroke_width=3, fill_opacity=0)
        return frame.move_to([(left + right) / 2, row.get_y(), 0])

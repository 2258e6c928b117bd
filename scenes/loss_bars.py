"""Segment 4: five clips' losses shrink epoch by epoch while Q, their average, falls to "learned".

Every figure on screen comes from riskmath (clip_losses, epoch_risk, risk_level); the scene only
formats and draws them.
"""

from dataclasses import dataclass

from manim import (
    DOWN,
    LEFT,
    RIGHT,
    UP,
    Axes,
    Create,
    DashedLine,
    Dot,
    FadeIn,
    FadeOut,
    GrowFromCenter,
    GrowFromEdge,
    LaggedStart,
    Line,
    MathTex,
    Transform,
    VGroup,
)
from pydantic import Field, model_validator

from riskmath import ARTICLE_CLIP_LOSSES, DECAY, Level, clip_losses, epoch_risk, first_learned_epoch, risk_level
from riskmath.epochs import LEARNED_BELOW
from scenes import theme
from scenes.base import SegmentScene
from scenes.components import (
    align_baseline,
    baseline,
    drop_svg_paths,
    fit_within,
    format_decimal,
    get_pill,
    subscript,
    tick,
)
from scenes.fields import Colour, SceneParams, Seconds, StrictModel, Text


class Clip(StrictModel):
    """One training clip: its name, its loss at epoch 1 and the colour of its bar."""

    name: Text
    base_loss: float = Field(ge=0, le=1)
    colour: Colour


DEFAULT_CLIPS = tuple(
    zip(
        ("sunset timelapse", "ocean waves", "character walk", "city at night", "forest scene"),
        ARTICLE_CLIP_LOSSES,
        ("#c8401a", "#c87a1a", "#c8a01a", "#1a6bc8", "#1a8c4e"),
    )
)


def _default_clips():
    return [Clip(name=name, base_loss=loss, colour=colour) for name, loss, colour in DEFAULT_CLIPS]


class LossBarsParams(SceneParams):
    """Clips, schedule, texts and timings of the loss-bars segment; defaults follow the storyboard."""

    clips: list[Clip] = Field(default_factory=_default_clips, min_length=1, max_length=6)
    epochs: int = Field(10, ge=1, le=50)
    decay: float = Field(DECAY, gt=0, le=1)
    title: Text = "One model, five video clips"
    subtitle: Text = "Each bar shows how wrong the model is on that clip."
    q_caption: Text = "the average loss"
    epoch_label: Text = "epoch"
    verdict: Text = "The model has learned"
    intro_seconds: Seconds = 2.0
    epoch_seconds: Seconds = 2.2
    move_seconds: Seconds = 1.0
    hold_seconds: Seconds = theme.HOLD

    @model_validator(mode="after")
    def _move_fits_in_epoch(self):
        if self.move_seconds > self.epoch_seconds:
            raise ValueError("move_seconds must not exceed epoch_seconds")
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


class LossBarsScene(SegmentScene):
    """Bars of each clip's loss and the big Q read-out, trained epoch by epoch, with Q's curve."""

    scene_name = "loss_bars"
    Params = LossBarsParams
    beats = ("show_clips", "show_risk", "show_curve", "train", "declare_learned", "keep_training", "clear_page")

    # Layout (frame units). Left: the bars; right: Q, the verdict and the curve.
    left_x = -6.5
    track_width = 6.9
    bar_height = 0.3
    label_gap = 0.16  # from a label's baseline down to its track
    rows_top = 1.95  # baseline of the first label
    rows_bottom = -3.8
    column_x = 4.35  # centre of the right-hand column
    column_width = 4.3
    q_size = 96
    curve_size = (3.9, 1.9)

    # Figures: pure, so tests can check exactly what is shown.
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

    # Beats.
    def show_clips(self):
        """Title, then each clip's label, track and loss bar at epoch 1."""
        p = self.params
        self.figures = self.epoch_figures(p, 1)
        self.title_text, self.subtitle_text = self.get_titles()
        self.rows = self.get_rows(self.figures)
        self.play(FadeIn(self.title_text, shift=0.2 * DOWN), FadeIn(self.subtitle_text), run_time=theme.HOLD)
        self.play(
            LaggedStart(*(self.row_entrance(row) for row in self.rows), lag_ratio=0.25),
            run_time=p.intro_seconds,
        )
        self.wait(p.hold_seconds)

    def show_risk(self):
        """The clips' numbers gather into Q, their average, in the big read-out."""
        p = self.params
        self.q_label = self.get_q_label()
        self.q_number = self.get_q_number(self.figures).next_to(self.q_label, DOWN, buff=0.3)
        self.epoch_counter = self.get_epoch_counter(1)
        self.play(FadeIn(self.q_label), FadeIn(self.epoch_counter), run_time=theme.HOLD)
        gathering = [row.number.copy() for row in self.rows]
        self.play(
            *(copy.animate.move_to(self.q_number).set_opacity(0) for copy in gathering),
            FadeIn(self.q_number, scale=0.8),
            run_time=p.intro_seconds,
        )
        self.remove(*gathering)
        self.wait(p.hold_seconds)

    def show_curve(self):
        """Axes for Q against epoch, the "learned" line, and the first point."""
        self.axes = self.get_axes()
        self.threshold = self.get_threshold_line(self.axes)
        self.curve_points = [self.get_curve_dot(self.figures)]
        self.play(Create(self.axes), run_time=self.params.intro_seconds)
        self.play(Create(self.threshold), GrowFromCenter(self.curve_points[0]), run_time=theme.HOLD)
        self.wait(self.params.hold_seconds)

    def train(self):
        """Epochs go by until Q falls below the line (or until the last epoch)."""
        last = self.learned_epoch(self.params) or self.params.epochs
        if not self.advance_to(last):  # already below the line at epoch 1
            self.wait(self.params.hold_seconds)

    def declare_learned(self):
        """Once Q is below the line, the verdict appears under it."""
        if self.figures.learned:
            self.verdict_text = self.get_verdict().next_to(self.q_number, DOWN, buff=0.3)
            self.play(FadeIn(self.verdict_text, shift=0.15 * UP), run_time=theme.HOLD)
        self.wait(self.params.hold_seconds)

    def keep_training(self):
        """The remaining epochs: the losses keep shrinking towards zero."""
        self.advance_to(self.params.epochs)
        self.wait(self.params.hold_seconds)

    def clear_page(self):
        """Fade everything away for the next segment."""
        self.play(*(FadeOut(mob) for mob in self.mobjects), run_time=theme.HOLD)

    # Moving from one epoch to the next.
    def advance_to(self, last):
        """Step epoch by epoch up to ``last``, each step moving then holding; returns the steps taken."""
        p = self.params
        epochs = range(self.figures.epoch + 1, last + 1)
        for epoch in epochs:
            self.play(*self.epoch_step(self.epoch_figures(p, epoch)), run_time=p.move_seconds)
            self.wait(p.epoch_seconds - p.move_seconds)
        return len(epochs)

    def epoch_step(self, figures):
        """The animations taking the screen from the current figures to ``figures``."""
        animations = []
        for row, loss, text in zip(self.rows, figures.losses, figures.loss_texts):
            animations.append(Transform(row.bar, self.get_bar(loss, row.colour, row.track)))
            if text != row.number.text:
                row.number, anims = self.roll(row.number, self.get_loss_number(text, row.track))
                animations += anims
        if figures.q_text != self.q_number.text or figures.level != self.figures.level:
            self.q_number, anims = self.roll(self.q_number, self.get_q_number(figures).move_to(self.q_number))
            animations += anims
        new_count = self.get_epoch_count(figures.epoch).move_to(self.epoch_counter.count, aligned_edge=RIGHT)
        self.epoch_counter.count, anims = self.roll(self.epoch_counter.count, new_count)
        animations += anims
        animations += self.extend_curve(figures)
        self.figures = figures
        return animations

    @staticmethod
    def roll(old, new):
        """(new, the animations ticking ``old`` over to ``new``)."""
        return new, tick(old, new)

    def extend_curve(self, figures):
        """A segment from the last point to this epoch's point, and the new point."""
        dot = self.get_curve_dot(figures)
        line = Line(self.curve_points[-1].get_center(), dot.get_center(), color=theme.INK3, stroke_width=2.5)
        self.curve_points.append(dot)
        return [Create(line), GrowFromCenter(dot)]

    # Building blocks.
    def get_titles(self):
        """The heading and the line under it, top left."""
        title = fit_within(self.heading(self.params.title, disable_ligatures=True), 8.0, 0.65)
        title.to_edge(UP, buff=0.5).align_to(self.left_x * RIGHT, LEFT)
        subtitle = self.body(self.params.subtitle, size=theme.LABEL_SIZE, color=theme.INK3)
        fit_within(subtitle, 8.0, 0.4).next_to(title, DOWN, buff=0.2, aligned_edge=LEFT)
        return title, subtitle

    def get_rows(self, figures):
        """One row per clip: label above a track holding the loss bar, number at the right."""
        n = len(self.params.clips)
        pitch = min(1.15, (self.rows_top - self.rows_bottom) / n)
        rows = VGroup()
        for i, (clip, loss, text) in enumerate(zip(self.params.clips, figures.losses, figures.loss_texts)):
            rows.add(self.get_row(i + 1, clip, loss, text, self.rows_top - i * pitch))
        return rows

    def get_row(self, index, clip, loss, text, top):
        """The row of clip ``index`` (1-based): "xᵢ name" on a baseline at ``top``, its track below."""
        symbol = f"x{subscript(index)}"
        label = self.mono(f"{symbol} {clip.name}", color=theme.INK3)
        label[: len(symbol)].set_color(theme.INK)
        fit_within(label, self.track_width, 0.4).next_to([self.left_x, 0, 0], RIGHT, buff=0)
        align_baseline(label, top)
        track = get_pill(self.track_width, self.bar_height, theme.PAPER3)
        track.move_to([self.left_x, top - self.label_gap - self.bar_height / 2, 0], aligned_edge=LEFT)
        row = VGroup(label, track)
        row.label, row.track, row.colour = label, track, clip.colour
        row.bar = self.get_bar(loss, clip.colour, track)
        row.number = self.get_loss_number(text, track)
        row.add(row.bar, row.number)
        return row

    def get_bar(self, loss, colour, track):
        """A bar inside ``track`` whose length is ``loss`` × the track's length."""
        return get_pill(loss * self.track_width, self.bar_height, colour).align_to(track, LEFT).match_y(track)

    def get_loss_number(self, text, track):
        """A clip's loss, right of its track."""
        return drop_svg_paths(self.mono(text, color=theme.INK2)).next_to(track, RIGHT, buff=0.25)

    def row_entrance(self, row):
        """A row arrives: label and track fade in, the bar grows from the left, the number appears."""
        return LaggedStart(
            FadeIn(VGroup(row.label, row.track)),
            GrowFromEdge(row.bar, LEFT),
            FadeIn(row.number),
            lag_ratio=0.3,
        )

    def get_q_label(self):
        """"Q(a, X)" over a quiet caption, at the top of the right-hand column."""
        symbol = MathTex("Q(a, X)", font_size=44, color=theme.INK, tex_template=theme.TEX_TEMPLATE)
        caption = self.body(self.params.q_caption, size=theme.LABEL_SIZE, color=theme.INK3)
        label = VGroup(symbol, caption).arrange(DOWN, buff=0.15)
        return fit_within(label, self.column_width, 1.2).move_to([self.column_x, 1.75, 0])

    def get_q_number(self, figures):
        """The big read-out of Q, coloured by its level."""
        colour = theme.Q_COLOURS[figures.level]
        number = self.heading(figures.q_text, size=self.q_size, color=colour)
        return drop_svg_paths(number).move_to([self.column_x, 0, 0])

    def get_epoch_counter(self, epoch):
        """"epoch 3 / 10" at the top right; ``.count`` is the part that changes."""
        label = self.mono(self.params.epoch_label, color=theme.INK3)
        slot = self.mono(str(self.params.epochs))  # the widest count, for the layout only
        total = self.mono(f"/ {self.params.epochs}", color=theme.INK3)
        counter = VGroup(label, slot, total).arrange(RIGHT, buff=0.2)
        for part in (label, total):
            align_baseline(part, slot)
        counter.to_edge(RIGHT, buff=0.5)
        counter.shift((baseline(self.title_text) - baseline(slot)) * UP)
        count = self.get_epoch_count(epoch).move_to(slot, aligned_edge=RIGHT)
        counter.remove(slot).add(count)
        counter.count = count
        return counter

    def get_epoch_count(self, epoch):
        """The current epoch's number."""
        return drop_svg_paths(self.mono(str(epoch), color=theme.INK))

    def get_verdict(self):
        """The verdict, in the "learned" colour."""
        verdict = self.body(self.params.verdict, color=theme.Q_COLOURS[Level.GOOD])
        return fit_within(verdict, self.column_width, 0.5)

    def get_axes(self):
        """Small axes of Q against epoch, no numbers on them: the points carry riskmath's values."""
        p = self.params
        last = max(p.epochs, 2)
        top = max(self.epoch_figures(p, 1).q, LEARNED_BELOW) * 1.1
        width, height = self.curve_size
        axes = Axes(
            x_range=[1, last, max(1, round(last / 10))],
            y_range=[0, top, top],
            x_length=width,
            y_length=height,
            tips=False,
            axis_config={"color": theme.INK3, "stroke_width": 2, "include_ticks": False},
            x_axis_config={"include_ticks": True, "tick_size": 0.05},
        )
        axes.move_to([self.column_x + 0.15, -2.2, 0])
        x_label = self.mono(self.params.epoch_label, size=theme.SMALL_SIZE, color=theme.INK3)
        x_label.next_to(axes.x_axis, DOWN, buff=0.15).align_to(axes.x_axis, RIGHT)
        y_label = MathTex("Q", font_size=32, color=theme.INK3, tex_template=theme.TEX_TEMPLATE)
        y_label.next_to(axes.y_axis, LEFT, buff=0.15).align_to(axes.y_axis, UP)
        group = VGroup(axes, x_label, y_label)
        group.axes = axes
        return group

    def get_threshold_line(self, axes):
        """A dashed line at the "learned" threshold, in the learned colour."""
        left = axes.axes.c2p(1, LEARNED_BELOW)
        right = axes.axes.c2p(max(self.params.epochs, 2), LEARNED_BELOW)
        line = DashedLine(left, right, color=theme.Q_COLOURS[Level.GOOD], stroke_width=2, dash_length=0.08)
        return line.set_opacity(0.7)

    def get_curve_dot(self, figures):
        """The point (epoch, Q) on the axes, coloured by Q's level."""
        point = self.axes.axes.c2p(figures.epoch, figures.q)
        return Dot(point, radius=0.055, color=theme.Q_COLOURS[figures.level])

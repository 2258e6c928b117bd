"""Segment 2: a baby and an AI model learn by the same loop; only the hardware differs.

Two cards side by side, four steps each, revealed in pairs. Each card's steps close into a loop
that goes round a few times while a "size of the mistake" meter shrinks. The meter's values come
from riskmath (epoch_risk of the storyboard's base losses, one epoch per lap); the scene only
formats and draws them.
"""

import math
from dataclasses import dataclass
from typing import Annotated

import numpy as np
from manim import (
    DOWN,
    LEFT,
    ORIGIN,
    PI,
    RIGHT,
    UP,
    Arc,
    ArcBetweenPoints,
    Arrow,
    Circle,
    Create,
    Dot,
    FadeIn,
    FadeOut,
    GrowFromCenter,
    GrowFromEdge,
    Intersection,
    LaggedStart,
    Line,
    ManimColor,
    MoveAlongPath,
    ParametricFunction,
    Rectangle,
    RoundedRectangle,
    Transform,
    VGroup,
    smooth,
)
from pydantic import Field

from riskmath import ARTICLE_CLIP_LOSSES, DECAY, epoch_risk
from scenes import theme
from scenes.base import SegmentScene
from scenes.components import format_decimal, get_pill
from scenes.fields import Colour, SceneParams, Seconds, Text

N_STEPS = 4


class BabyVsAiParams(SceneParams):
    """Texts, laps and timings of the baby-versus-AI segment; defaults follow the storyboard."""

    baby_heading: Text = "How a baby learns"
    ai_heading: Text = "How an AI model learns"
    baby_steps: list[Text] = Field(
        default_factory=lambda: [
            "Touches something hot",
            "Feels pain: a mistake signal",
            "Brain connections change",
            "Next time, it behaves better",
        ],
        min_length=N_STEPS,
        max_length=N_STEPS,
    )
    ai_steps: list[Text] = Field(
        default_factory=lambda: [
            "Sees a training example",
            "Predicts; the loss is measured",
            "The weights inside change",
            "Next time, it predicts better",
        ],
        min_length=N_STEPS,
        max_length=N_STEPS,
    )
    meter_label: Text = "size of the mistake"
    baby_hardware: Text = "neurons of biology"
    ai_hardware: Text = "neurons of maths"
    closing_line: Text = "Same loop. Different hardware."
    baby_colour: Colour = "#c89a1a"
    ai_colour: Colour = "#c8401a"
    base_losses: list[Annotated[float, Field(ge=0, le=1)]] = Field(
        default_factory=lambda: list(ARTICLE_CLIP_LOSSES), min_length=1, max_length=10
    )
    decay: float = Field(DECAY, gt=0, le=1)
    laps: int = Field(3, ge=1, le=8)
    cards_seconds: Seconds = 1.2
    pair_seconds: Seconds = 0.9
    loop_seconds: Seconds = 1.2
    step_seconds: Seconds = 0.6
    dwell_seconds: Seconds = 0.35
    meter_seconds: Seconds = 0.8
    closing_seconds: Seconds = 2.5
    hold_seconds: Seconds = theme.HOLD


@dataclass(frozen=True)
class MeterFigures:
    """The meter at one lap, straight from riskmath."""

    lap: int  # 1-based; lap k shows epoch k's risk
    level: float  # riskmath.epoch_risk(base_losses, lap, decay)

    @property
    def text(self):
        return format_decimal(self.level)


def meter_figures(params):
    """The meter before the first lap and after each lap: laps + 1 MeterFigures, from riskmath."""
    return [
        MeterFigures(lap, epoch_risk(params.base_losses, lap, params.decay))
        for lap in range(1, params.laps + 2)
    ]


def arc_angle(chord, sagitta):
    """The angle of a circular arc whose chord is ``chord`` long and bulges ``sagitta`` from it."""
    return 4 * math.atan(2 * sagitta / chord)


class BabyVsAiScene(SegmentScene):
    """A baby's card and an AI's card: four steps each, closed into loops that shrink a mistake."""

    scene_name = "baby_vs_ai"
    Params = BabyVsAiParams
    beats = ("show_cards", "reveal_steps", "close_loops", "run_loops", "same_loop", "clear_page")

    # Layout (frame units).
    card_size = (6.3, 5.9)
    card_x = 3.4  # the cards' centres are at x = ±card_x
    card_top = 3.55
    icon_height = 0.95
    heading_size = 26
    icon_inset = 0.35  # from the card's left edge to the icon
    step_size = theme.LABEL_SIZE
    first_step_y = 1.6  # the first step's first line; step k of one card lines up with step k of the other
    step_pitch = 0.72  # between single-line steps; a wrapped step pushes the ones below it down
    min_step_pitch = 0.5
    steps_bottom = -0.95  # the lowest the steps' text may reach, above the meter
    dot_inset = 0.95  # from the card's left edge to the step dots
    text_gap = 0.3  # from a dot to its text
    meter_y = -1.75
    meter_inset = 0.4
    meter_height = 0.22
    hardware_y = -2.62  # top of the hardware labels
    closing_y = -3.4

    # Figures: pure, so tests can check exactly what is shown.
    meter_figures = staticmethod(meter_figures)

    # Beats.
    def show_cards(self):
        """Two empty cards with their accent bars, then each card's icon and heading."""
        p = self.params
        self.cards = [
            self.get_card(-1, p.baby_colour, self.get_baby_icon(p.baby_colour), p.baby_heading),
            self.get_card(+1, p.ai_colour, self.get_robot_icon(p.ai_colour), p.ai_heading),
        ]
        self.place_steps(self.cards)
        self.play(
            *(FadeIn(VGroup(card.frame, card.bar), shift=0.2 * UP) for card in self.cards),
            run_time=p.cards_seconds,
        )
        self.play(
            LaggedStart(
                *(LaggedStart(GrowFromCenter(card.icon), FadeIn(card.title, shift=0.15 * RIGHT), lag_ratio=0.3) for card in self.cards),
                lag_ratio=0.4,
            ),
            run_time=p.cards_seconds,
        )
        self.wait(p.hold_seconds)

    def reveal_steps(self):
        """Steps appear in pairs: step k of the baby beside step k of the AI."""
        p = self.params
        for baby_row, ai_row in zip(self.cards[0].rows, self.cards[1].rows):
            self.play(self.row_entrance(baby_row), self.row_entrance(ai_row), run_time=p.pair_seconds)
            self.wait(0.6 * p.hold_seconds)
        self.wait(0.4 * p.hold_seconds)

    def close_loops(self):
        """Arrows join each step to the next, then a return arrow closes the loop from 4 to 1."""
        p = self.params
        self.play(
            *(LaggedStart(*(Create(arrow) for arrow in card.links), lag_ratio=0.5) for card in self.cards),
            run_time=p.loop_seconds,
        )
        self.play(*(Create(card.return_arrow) for card in self.cards), run_time=p.loop_seconds)
        self.wait(p.hold_seconds)

    def run_loops(self):
        """The loops go round, lap after lap; each time round, the mistake meter shrinks."""
        p = self.params
        self.figures = self.meter_figures(p)
        for card in self.cards:
            card.meter = self.get_meter(card, self.figures[0])
            card.band, card.runner = self.get_band(card, 0), self.get_runner(card, 0)
            card.at = 0
        self.add(*(card.band for card in self.cards))
        self.bring_to_front(*(mob for card in self.cards for mob in (*card.rows, *card.links, card.return_arrow)))
        self.play(
            *(FadeIn(VGroup(card.meter.label, card.meter.track, card.meter.number)) for card in self.cards),
            *(GrowFromEdge(card.meter.bar, LEFT) for card in self.cards),
            *(FadeIn(card.band) for card in self.cards),
            *(GrowFromCenter(card.runner) for card in self.cards),
            run_time=p.cards_seconds,
        )
        self.wait(0.5 * p.hold_seconds)
        for figures in self.figures[1:]:
            self.run_lap(figures)
        self.wait(p.hold_seconds)

    def same_loop(self):
        """The loop is the same on both sides; only what it runs on differs."""
        p = self.params
        self.play(*(FadeOut(VGroup(card.band, card.runner)) for card in self.cards), run_time=0.5 * p.hold_seconds)
        self.hardware = [
            self.get_hardware(card, text, colour)
            for card, text, colour in zip(self.cards, (p.baby_hardware, p.ai_hardware), (p.baby_colour, p.ai_colour))
        ]
        self.closing = self.heading(p.closing_line, size=30).move_to([0, self.closing_y, 0])
        self.play(LaggedStart(*(FadeIn(label, shift=0.15 * UP) for label in self.hardware), lag_ratio=0.4), run_time=p.cards_seconds)
        self.play(FadeIn(self.closing, shift=0.15 * UP), run_time=p.cards_seconds)
        self.wait(p.closing_seconds)

    def clear_page(self):
        """Fade everything away for the next segment."""
        self.play(*(FadeOut(mob) for mob in self.mobjects), run_time=self.params.hold_seconds)
        self.wait(0.3)

    # Going round the loop.
    def run_lap(self, figures):
        """One lap on both cards: step to step to step 4, the meter shrinks, back round to step 1."""
        p = self.params
        for _ in range(N_STEPS - 1):
            self.play(*(anim for card in self.cards for anim in self.advance(card)), run_time=p.step_seconds)
            self.wait(p.dwell_seconds)
        self.play(*(anim for card in self.cards for anim in self.shrink_meter(card, figures)), run_time=p.meter_seconds)
        self.play(*(anim for card in self.cards for anim in self.advance(card)), run_time=p.step_seconds * 1.5)
        self.wait(p.dwell_seconds)

    def advance(self, card):
        """Move ``card``'s highlight and runner from its current step to the next (4 goes back to 1)."""
        nxt = (card.at + 1) % N_STEPS
        path = card.return_path if nxt == 0 else Line(card.dots[card.at].get_center(), card.dots[nxt].get_center())
        card.at = nxt
        return [Transform(card.band, self.get_band(card, nxt), rate_func=smooth), MoveAlongPath(card.runner, path, rate_func=smooth)]

    def shrink_meter(self, card, figures):
        """The meter's bar shrinks to ``figures.level``; its number rolls to the new value."""
        meter = card.meter
        animations = [Transform(meter.bar, self.get_meter_bar(meter.track, figures.level, card.colour))]
        if figures.text != meter.number.text:
            new = self.get_meter_number(figures.text, meter.track)
            animations += [FadeOut(meter.number, shift=0.2 * UP), FadeIn(new, shift=0.2 * UP)]
            meter.number = new
        return animations

    # Building blocks.
    def get_card(self, side, colour, icon, heading):
        """A card at ``side`` (−1 left, +1 right): frame, accent bar, icon, heading and steps (placed by place_steps).

        Parts are attributes; nothing is added to the scene.
        """
        width, height = self.card_size
        colour = ManimColor(colour)
        frame = RoundedRectangle(
            width=width,
            height=height,
            corner_radius=0.2,
            fill_color=theme.PAPER2,
            fill_opacity=1,
            stroke_color=theme.PAPER3,
            stroke_width=2,
        ).move_to([side * self.card_x, self.card_top - height / 2, 0])
        strip = Rectangle(width=width, height=0.06).align_to(frame, UP).match_x(frame)
        bar = Intersection(frame, strip, fill_color=colour, fill_opacity=1, stroke_width=0)
        left = frame.get_left()[0]
        icon.move_to([left + self.icon_inset + icon.width / 2, self.card_top - 0.3 - self.icon_height / 2, 0])
        title_width = frame.get_right()[0] - 0.25 - (icon.get_right()[0] + 0.25)
        title = self.wrapped(heading, title_width, lambda s: self.heading(s, size=self.heading_size))
        cap_height = self.heading("H", size=self.heading_size).height
        title.next_to(icon, RIGHT, buff=0.25).align_to(icon.get_center() + cap_height / 2 * UP, UP)
        steps = self.params.baby_steps if side < 0 else self.params.ai_steps
        rows = VGroup(*(self.get_row(left, text, colour) for text in steps))
        card = VGroup(frame, bar, icon, title, rows)
        card.frame, card.bar, card.icon, card.title, card.rows = frame, bar, icon, title, rows
        card.dots = [row.dot for row in rows]
        card.colour, card.left, card.right = colour, left, frame.get_right()[0]
        return card

    def place_steps(self, cards):
        """Put step k of every card at the same height, then draw each card's arrows between its steps."""
        pairs = list(zip(*(card.rows for card in cards)))
        extras = [max(row.extra_height for row in pair) for pair in pairs]
        # The last step's text must end above the meter; wrapped steps tighten the gaps if needed.
        room = self.first_step_y - self.steps_bottom - 0.15 - sum(extras)
        pitch = min(self.step_pitch, max(self.min_step_pitch, room / (len(pairs) - 1)))
        y = self.first_step_y
        for pair, extra in zip(pairs, extras):
            for row in pair:
                row.shift((y - row.dot.get_center()[1]) * UP)
            y -= pitch + extra
        for card in cards:
            card.links = VGroup(*(self.get_link(a, b) for a, b in zip(card.dots, card.dots[1:])))
            card.return_arrow, card.return_path = self.get_return(card.dots[-1], card.dots[0], card.colour)

    def get_row(self, left, text, colour):
        """One step at y = 0: a coloured dot at the card's dot column, its text to the right (wrapped to fit).

        ``.extra_height`` is how much taller than one line the text is.
        """
        y = 0
        dot = Dot([left + self.dot_inset, y, 0], radius=0.075, color=colour)
        width = self.card_size[0] - self.dot_inset - self.text_gap - 0.3
        label = self.wrapped(text, width, lambda s: self.body(s, size=self.step_size, color=theme.INK2))
        label.next_to(dot, RIGHT, buff=self.text_gap)
        if len(label.lines) > 1:  # the dot lines up with the first line
            label.shift((y - label.lines[0].get_center()[1]) * UP)
        row = VGroup(dot, label)
        row.dot, row.label = dot, label
        row.extra_height = label.height - label.lines[0].height
        return row

    def wrapped(self, text, max_width, make):
        """``text`` set by ``make`` on as few lines as fit in ``max_width`` (never shrunk); ``.lines``."""
        whole = make(text)
        if whole.width <= max_width:
            lines = [whole]
        else:  # greedy: each line takes words while it fits; a single long word gets its own line
            lines = []
            for word in text.split():
                longer = make(f"{lines[-1].original_text} {word}") if lines else None
                if longer is not None and longer.width <= max_width:
                    lines[-1] = longer
                else:
                    lines.append(make(word))
        group = VGroup(*lines).arrange(DOWN, buff=0.1, aligned_edge=LEFT)
        group.lines = list(group)
        return group

    def row_entrance(self, row):
        """A step arrives: its dot pops in, its text slides in beside it."""
        return LaggedStart(GrowFromCenter(row.dot), FadeIn(row.label, shift=0.2 * RIGHT), lag_ratio=0.25)

    def get_link(self, upper, lower):
        """A short arrow from one step's dot down to the next."""
        return Arrow(
            upper.get_center() + 0.13 * DOWN,
            lower.get_center() + 0.13 * UP,
            buff=0,
            stroke_width=2.5,
            color=theme.INK3,
            tip_length=0.13,
            max_tip_length_to_length_ratio=0.4,
            max_stroke_width_to_length_ratio=10,
        )

    def get_return(self, last, first, colour):
        """The arrow from the last step back round to the first, bulging left; and the runner's path."""
        offset, bulge = 0.2 * LEFT, 0.45
        start, end = last.get_center() + offset, first.get_center() + offset
        chord = np.linalg.norm(end - start)
        arrow = ArcBetweenPoints(start, end, angle=-arc_angle(chord, bulge), color=colour, stroke_width=3)
        arrow.add_tip(tip_length=0.16, tip_width=0.16)
        arrow.get_tip().set_fill(colour, 1).set_stroke(width=0)
        a, b = last.get_center(), first.get_center()
        path = ArcBetweenPoints(a, b, angle=-arc_angle(np.linalg.norm(b - a), bulge + 0.2))
        return arrow, path

    def get_band(self, card, index):
        """A soft highlight behind step ``index`` (0-based) of ``card``."""
        dot, row = card.dots[index], card.rows[index]
        left, right = dot.get_center()[0] - 0.3, card.right - 0.15
        top = dot.get_center()[1] + 0.3
        band = RoundedRectangle(
            width=right - left,
            height=0.6 + row.extra_height,
            corner_radius=0.12,
            fill_color=card.colour,
            fill_opacity=0.13,
            stroke_width=0,
        )
        return band.move_to([(left + right) / 2, top, 0], aligned_edge=UP)

    def get_runner(self, card, index):
        """A ring around the current step's dot, that travels the loop."""
        return Circle(radius=0.16, color=card.colour, stroke_width=3).move_to(card.dots[index])

    def get_meter(self, card, figures):
        """The "size of the mistake" meter at the foot of ``card``: label, number, track and bar."""
        left, right = card.left + self.meter_inset, card.right - self.meter_inset
        track = get_pill(right - left, self.meter_height, theme.PAPER3).move_to([left, self.meter_y, 0], aligned_edge=LEFT)
        label = self.mono(self.params.meter_label, size=theme.SMALL_SIZE + 2, color=theme.INK3)
        label.next_to(track, UP, buff=0.16).align_to(track, LEFT)
        meter = VGroup(label, track)
        meter.label, meter.track = label, track
        meter.bar = self.get_meter_bar(track, figures.level, card.colour)
        meter.number = self.get_meter_number(figures.text, track)
        meter.add(meter.bar, meter.number)
        return meter

    def get_meter_bar(self, track, level, colour):
        """A bar inside ``track`` whose length is ``level`` × the track's length."""
        return get_pill(min(level, 1) * track.width, self.meter_height, colour).align_to(track, LEFT).match_y(track)

    def get_meter_number(self, text, track):
        """The meter's value, right-aligned above its track."""
        number = self.mono(text, size=theme.LABEL_SIZE, color=theme.INK)
        return number.next_to(track, UP, buff=0.14).align_to(track, RIGHT)

    def get_hardware(self, card, text, colour):
        """What the loop runs on, centred under ``card``."""
        label = self.body(text, size=theme.BODY_SIZE - 2, color=ManimColor(colour))
        return label.move_to([card.frame.get_center()[0], self.hardware_y, 0], aligned_edge=UP)

    # Icons: vector drawings, about icon_height tall.
    def get_baby_icon(self, colour):
        """A baby's face: round head, ears, eyes, rosy cheeks, a smile and a curl of hair."""
        colour = ManimColor(colour)
        r = 0.4
        head = Circle(radius=r, fill_color=theme.PAPER, fill_opacity=1, stroke_color=colour, stroke_width=3)
        ears = VGroup(*(
            Circle(radius=0.09, fill_color=theme.PAPER, fill_opacity=1, stroke_color=colour, stroke_width=3).move_to(side * r * RIGHT)
            for side in (-1, 1)
        ))
        eyes = VGroup(*(Dot(point=[side * 0.14, 0.04, 0], radius=0.045, color=theme.INK) for side in (-1, 1)))
        cheeks = VGroup(*(
            Circle(radius=0.065, fill_color=colour, fill_opacity=0.35, stroke_width=0).move_to([side * 0.25, -0.1, 0])
            for side in (-1, 1)
        ))
        smile = Arc(radius=0.15, start_angle=PI + 0.6, angle=PI - 1.2, arc_center=[0, -0.04, 0], color=theme.INK2, stroke_width=3)
        curl = self.get_curl(np.array([0.03, r + 0.1, 0]), 0.15, theme.INK2)
        icon = VGroup(ears, head, cheeks, eyes, smile, curl)
        return icon.scale_to_fit_height(self.icon_height).move_to(ORIGIN)

    def get_curl(self, centre, radius, colour):
        """A lock of hair: a spiral rising from the top of the head and winding inwards."""

        def point(t):
            r = radius * (1 - 0.7 * t)
            angle = -PI / 2 + 1.8 * PI * t
            return centre + r * np.array([math.cos(angle), math.sin(angle), 0])

        return ParametricFunction(point, t_range=[0, 1], color=colour, stroke_width=3)

    def get_robot_icon(self, colour):
        """A robot's head: rounded square, antenna, side bolts, round eyes and a mouth grille."""
        colour = ManimColor(colour)
        head = RoundedRectangle(
            width=0.85, height=0.75, corner_radius=0.14,
            fill_color=theme.PAPER, fill_opacity=1, stroke_color=colour, stroke_width=3,
        )
        stalk = Line(head.get_top(), head.get_top() + 0.2 * UP, color=colour, stroke_width=3)
        bulb = Dot(stalk.get_end() + 0.03 * UP, radius=0.06, color=colour)
        bolts = VGroup(*(
            RoundedRectangle(width=0.08, height=0.26, corner_radius=0.03, fill_color=colour, fill_opacity=1, stroke_width=0)
            .next_to(head, side * RIGHT, buff=0)
            for side in (-1, 1)
        ))
        eyes = VGroup(*(
            Circle(radius=0.09, fill_color=theme.INK2, fill_opacity=1, stroke_width=0).move_to([side * 0.19, 0.1, 0])
            for side in (-1, 1)
        ))
        grille = RoundedRectangle(width=0.44, height=0.15, corner_radius=0.05, stroke_color=theme.INK2, stroke_width=2.5)
        grille.move_to([0, -0.17, 0])
        bars = VGroup(*(
            Line(grille.get_top(), grille.get_bottom(), color=theme.INK2, stroke_width=2).shift(x * RIGHT)
            for x in (-0.11, 0, 0.11)
        ))
        icon = VGroup(stalk, bulb, bolts, head, eyes, grille, bars)
        return icon.scale_to_fit_height(self.icon_height).move_to(ORIGIN)

"""Segment 2: a baby and an AI model learn by the same loop; only the hardware differs.

It opens on the title's formula, which moves aside to wait. Two cards side by side, four steps
each, revealed in pairs (the words "mistake signal", "loss" and "weights" explained as they
arrive). Each card's steps close into a loop that goes round while a "size of the mistake" meter
on each card shrinks; the meter's values come from riskmath (epoch_risk of the storyboard's base
losses, one epoch per lap). It ends on the formula on its dark panel: the same loop, as maths.
"""

from dataclasses import dataclass
from typing import Annotated

from annotated_types import MaxLen
from manim import (
    DOWN,
    RIGHT,
    UP,
    Animation,
    AnimationGroup,
    Create,
    FadeIn,
    FadeOut,
    Indicate,
    LaggedStart,
    ReplacementTransform,
    Transform,
    VGroup,
    smooth,
    squish_rate_func,
)
from pydantic import Field

from riskmath import ARTICLE_CLIP_LOSSES, DECAY, epoch_risk
from scenes.base import PickUp, SegmentScene
from scenes.fields import Colour, SceneParams, Seconds, Text
from scenes.parts import text
from scenes.parts.components import fit_within, format_decimal
from scenes.parts.formula_panel import FormulaPanel
from scenes.parts.icons import get_bio_neuron, get_loop_arrow, get_math_neuron
from scenes.parts.learning_card import LearningCard, align_cards
from scenes.parts.learning_loop import AI_HEADING, AI_STEPS, BABY_HEADING, BABY_STEPS, Step, step_list
from scenes.parts.meter import MistakeMeter
from scenes.parts.page import PageTitle
from scenes.theme import HOLD, SAFE_X, SAFE_Y, SPACE, TYPE

N_STEPS = 4


class BabyVsAiParams(SceneParams):
    """Texts, laps and timings of the baby-versus-AI segment; defaults follow the storyboard."""

    page_title: Annotated[Text, MaxLen(32)] = "Two learners"
    closing_line: Annotated[Text, MaxLen(32)] = "Same loop. Different hardware."
    baby_heading: Annotated[Text, MaxLen(28)] = BABY_HEADING
    ai_heading: Annotated[Text, MaxLen(28)] = AI_HEADING
    baby_steps: list[Step] = Field(default_factory=lambda: step_list(BABY_STEPS), min_length=N_STEPS,
                                   max_length=N_STEPS)
    ai_steps: list[Step] = Field(default_factory=lambda: step_list(AI_STEPS), min_length=N_STEPS, max_length=N_STEPS)
    meter_label: Annotated[Text, MaxLen(24)] = "size of the mistake"
    baby_hardware: Annotated[Text, MaxLen(22)] = "neurons of biology"
    ai_hardware: Annotated[Text, MaxLen(22)] = "neurons of maths"
    maths_caption: Annotated[Text, MaxLen(60)] = "The same loop, written as maths"
    baby_colour: Colour | None = None  # None: the theme's gold (the article's #c89a1a on paper)
    ai_colour: Colour | None = None  # None: the theme's red (the article's #c8401a on paper)
    base_losses: list[Annotated[float, Field(ge=0, le=1)]] = Field(
        default_factory=lambda: list(ARTICLE_CLIP_LOSSES), min_length=1, max_length=10
    )
    decay: float = Field(DECAY, gt=0, le=1)
    laps: int = Field(2, ge=1, le=8)
    park_seconds: Seconds = 1.4
    cards_seconds: Seconds = 1.6
    pair_seconds: Seconds = 1.0
    loop_seconds: Seconds = 1.6
    step_seconds: Seconds = 0.7  # the first lap, step to step
    fast_step_seconds: Seconds = 0.45  # later laps
    meter_seconds: Seconds = 0.9
    closing_seconds: Seconds = 2.0
    hold_seconds: Seconds = HOLD


@dataclass(frozen=True)
class MeterFigures:
    """The meter at one lap, straight from riskmath."""

    lap: int  # 1-based; lap k shows epoch k's risk
    level: float  # riskmath.epoch_risk(base_losses, lap, decay)

    @property
    def text(self) -> str:
        return format_decimal(self.level)


def meter_figures(params: BabyVsAiParams) -> list[MeterFigures]:
    """The meter before the first lap and after each lap: laps + 1 MeterFigures, from riskmath."""
    return [MeterFigures(lap, epoch_risk(params.base_losses, lap, params.decay)) for lap in range(1, params.laps + 2)]


class BabyVsAiScene(SegmentScene):
    """A baby's card and an AI's card: four steps each, closed into loops that shrink a mistake."""

    scene_name = "baby_vs_ai"
    Params = BabyVsAiParams
    params: BabyVsAiParams
    beats = ("meet_learners", "first_steps", "mistake_signal", "update", "improve", "close_loops", "run_loops",
             "same_loop", "written_as_maths")

    # Layout (frame units).
    card_width, card_x = 6.55, 3.4  # the cards' centres are at x = ±card_x
    card_top, card_bottom = 2.3, -3.6
    steps_bottom = -2.4  # the lowest a step's words may reach, above the meter
    meter_y = -3.2  # the meter's track
    meter_inset = 0.4
    parked_height = 1.2  # the formula's panel, waiting at the top right (its letters still readable)
    final_panel = (0.0, -1.15, 8.6)  # x, y and width of the panel at the end
    final_learners = (5.6, 1.6)  # |x| and y of the learners' loops at the end

    picks_up = (PickUp("formula_panel", after=("title",)),)  # it moves aside to wait
    leaves = ("formula_panel",)  # the formula segment morphs it into its own

    meter_figures = staticmethod(meter_figures)

    # Beats.
    def meet_learners(self) -> None:
        """The title's formula moves aside; two cards rise in, each with its icon and heading."""
        p = self.params
        self.formula_panel = self.get_parked_panel()
        self.page_title = PageTitle(self.theme, p.page_title)
        self.cards = self.get_cards()
        arrivals = AnimationGroup(self.page_title.enter(), LaggedStart(*(card.enter() for card in self.cards),
                                                                       lag_ratio=0.3))
        carried = self.pick_up("formula_panel")
        self.carried_from_title = carried is not None
        if carried is not None:  # the title's formula moves aside while the cards come in
            leaving = [mob for mob in self.opening if not set(mob.get_family()) & set(carried.get_family())]
            early, late = squish_rate_func(smooth, 0, 0.35), squish_rate_func(smooth, 0.35, 1)
            park = [ReplacementTransform(carried, self.formula_panel, rate_func=late),  # the words go first
                    *(FadeOut(mob, rate_func=early) for mob in leaving)]
        else:
            park = [*(FadeOut(mob) for mob in self.opening), FadeIn(self.formula_panel)]
        self.play(*park, run_time=p.park_seconds)  # the question has left before the page's title arrives
        self.play(arrivals, run_time=p.cards_seconds)
        self.opening = []
        self.wait(p.hold_seconds)

    def first_steps(self) -> None:
        """Step 1 of each learner, side by side: something hot; a training example."""
        self.reveal_pair(0)

    def mistake_signal(self) -> None:
        """Step 2: pain, the mistake signal; the model's loss. A meter on each card shows the size of the mistake."""
        p = self.params
        self.figures = self.meter_figures(p)
        self.meters = [self.get_meter(card, measured) for card, measured in zip(self.cards, (False, True),
                                                                                 strict=True)]
        self.reveal_pair(1, hold=False)
        self.point_out(1, *(meter.enter() for meter in self.meters))

    def update(self) -> None:
        """Step 3: brain connections adjust; the weights shift (and what weights are)."""
        self.reveal_pair(2, hold=False)
        self.point_out(2)

    def improve(self) -> None:
        """Step 4: next time, each does a little better."""
        self.reveal_pair(3)

    def close_loops(self) -> None:
        """Arrows join each step to the next, then a return arrow closes each loop from 4 to 1."""
        p = self.params
        self.play(*(card.loop.close() for card in self.cards), run_time=p.loop_seconds)

    def run_loops(self) -> None:
        """The loops go round, lap after lap; each time round, both meters shrink (riskmath's values)."""
        p = self.params
        entrances = [anim for card in self.cards for anim in card.loop.start_runner(card.band_right())]
        self.bring_to_front(*self.meters)  # what changes goes last: manim redraws from the first mover up
        self.play(*entrances, run_time=0.6 * p.pair_seconds)
        for lap, figures in enumerate(self.figures[1:], start=1):
            seconds = p.step_seconds if lap == 1 else p.fast_step_seconds
            for k in range(N_STEPS):
                self.play(*(anim for card in self.cards for anim in card.loop.advance()), run_time=seconds)
                if k == 2:  # now at step 4: behaviour improves, the mistake is smaller
                    self.play(*(anim for meter in self.meters for anim in meter.shrink_to(figures.level)),
                              run_time=p.meter_seconds)
        self.wait(p.hold_seconds)

    def same_loop(self) -> None:
        """The ring stops; under each card, what its loop runs on. Same loop, different hardware."""
        p = self.params
        self.hardware = [self.get_hardware(card, label, make(self.theme, card.colour)) for card, label, make in zip(
            self.cards, (p.baby_hardware, p.ai_hardware), (get_bio_neuron, get_math_neuron), strict=True)]
        closing = PageTitle(self.theme, p.closing_line)
        self.play(*(FadeOut(VGroup(card.loop.band, card.loop.runner)) for card in self.cards),
                  self.page_title.give_way_to(closing), run_time=p.cards_seconds)
        self.page_title = closing
        self.play(LaggedStart(*(FadeIn(item, shift=0.15 * UP) for item in self.hardware), lag_ratio=0.5),
                  run_time=p.cards_seconds)
        self.wait(p.closing_seconds)

    def written_as_maths(self) -> None:
        """The cards give way; the learners flank the formula on its dark panel: the loop as maths."""
        p = self.params
        x, y, width = self.final_panel
        panel_target = self.formula_panel.copy().scale_to_fit_width(width).move_to([x, y, 0])
        self.caption = fit_within(text.body(self.theme, p.maths_caption, color=self.theme.ink2), 12.0, 0.5)
        self.caption.next_to(panel_target, DOWN, buff=SPACE.wide)
        self.learners = [self.get_learner(card, label, side) for card, label, side in
                         zip(self.cards, self.hardware, (-1, 1), strict=False)]
        leaving = [mob for card in self.cards for mob in (card.frame, card.strip, card.heading,
                                                          card.loop)] + self.meters + self.hardware
        early, late = squish_rate_func(smooth, 0, 0.35), squish_rate_func(smooth, 0.35, 1)
        self.play(*(FadeOut(mob, rate_func=early) for mob in leaving),  # gone before the panel passes
                  Transform(self.formula_panel, panel_target, rate_func=late), run_time=p.closing_seconds)
        self.play(*(learner.arrive for learner in self.learners),
                  *(Create(learner.loop_arrow) for learner in self.learners), run_time=0.6 * p.closing_seconds)
        self.play(FadeIn(self.caption, shift=0.15 * UP), run_time=0.6 * p.cards_seconds)
        self.wait(p.hold_seconds)

    # Steps.
    def reveal_pair(self, k: int, hold: bool = True) -> None:
        """Step ``k`` of both cards at once, lined up."""
        p = self.params
        self.play(*(card.loop.reveal(k) for card in self.cards), run_time=p.pair_seconds)
        if hold:
            self.wait(p.hold_seconds)

    def point_out(self, k: int, *animations: Animation) -> None:
        """Draw the eye to step ``k`` of both cards at once (a gloss says what a word means), with ``animations``."""
        targets = [(card, card.loop.rows[k]) for card in self.cards]
        self.play(*(Indicate(row.gloss if row.gloss is not None else row.label, color=card.colour, scale_factor=1.06)
                    for card, row in targets), *animations, run_time=self.params.pair_seconds)
        self.wait(0.4 * self.params.hold_seconds)

    # Building blocks.
    def get_parked_panel(self) -> FormulaPanel:
        """The formula on its dark panel, small, waiting at the top right of the page."""
        panel = FormulaPanel(self.theme)
        panel.scale_to_fit_height(self.parked_height)
        panel.move_to([SAFE_X, SAFE_Y, 0], aligned_edge=UP + RIGHT)
        return panel

    def get_cards(self) -> list[LearningCard]:
        """The baby's card (left) and the AI's card (right), step k of both at one height."""
        p = self.params
        size = dict(width=self.card_width, height=self.card_top - self.card_bottom)
        cards = [
            LearningCard.baby(self.theme, p.baby_colour or self.theme.gold, heading=p.baby_heading, steps=p.baby_steps,
                              top_centre=(-self.card_x, self.card_top), **size),
            LearningCard.ai(self.theme, p.ai_colour or self.theme.red, heading=p.ai_heading, steps=p.ai_steps,
                            top_centre=(self.card_x, self.card_top), **size),
        ]
        top = min(card.header_bottom for card in cards) - 0.35
        align_cards(cards, top, self.steps_bottom)
        for card in cards:
            card.loop.ghosts.set_opacity(0)  # no empty bullets: a step's dot arrives with its words
        return cards

    def get_meter(self, card: LearningCard, measured: bool) -> MistakeMeter:
        """The "size of the mistake" meter at the foot of ``card``, at the first lap's value.

        Only a ``measured`` mistake (the model's loss) shows a number: a baby's pain is felt, not a decimal.
        """
        width = card.right - card.left - 2 * self.meter_inset
        meter = MistakeMeter(self.theme, self.params.meter_label, self.figures[0].level, width, card.colour,
                             show_number=measured)
        meter.shift([card.left + self.meter_inset, self.meter_y, 0])
        return meter

    def get_hardware(self, card: LearningCard, label: str, icon: VGroup) -> VGroup:
        """What ``card``'s loop runs on: an icon and a label, under the card's heading."""
        words = text.body(self.theme, label, size=TYPE.label, color=self.theme.ink2)
        item = VGroup(icon.scale_to_fit_height(0.36), words).arrange(RIGHT, buff=SPACE.base)
        item.icon, item.words = icon, words
        return card.place_subline(item)

    def get_learner(self, card: LearningCard, hardware: VGroup, side: int) -> VGroup:
        """The card's icon moving beside the final panel, its hardware written again there, a loop arrow round it.

        Returns a VGroup (icon, hardware, loop arrow) with ``.arrive`` (the moving animation).
        """
        x, y = self.final_learners
        centre = [side * x, y, 0]
        loop_arrow = get_loop_arrow(card.colour, radius=0.66).move_to(centre)
        hardware_target = hardware.copy().next_to(loop_arrow, -side * RIGHT, buff=SPACE.wide)
        icon_target = card.icon.copy().scale_to_fit_height(0.8).move_to(centre)
        learner = VGroup(card.icon, hardware_target, loop_arrow)
        learner.loop_arrow = loop_arrow
        learner.arrive = LaggedStart(Transform(card.icon, icon_target), FadeIn(hardware_target), lag_ratio=0.2)
        return learner

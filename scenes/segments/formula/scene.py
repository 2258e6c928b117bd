"""Segment 3: the formula, whole on its dark panel, its symbols named, then part by part, then Σ and 1/n as a pile.

It morphs in the formula panel the segment before ends on. a, X, xᵢ and n are named on the formula.
Each coloured part is lifted out in turn with its tag and a one-line meaning: Q, the goal (its meter
drains as training pushes it down); L, one clip's mistake; Σ, a for-loop adding every clip's L into a
running total; 1/n, the total divided by n, and why (the same clips twice: twice the sum, the same
average). It ends with the clips' losses piled up (the sum) and shared out evenly (÷ n: each share is
Q) over the clips' chips (``clip_chips``), which the loss bars segment turns into its bars. Every
number comes from riskmath; a derived figure changes on the frame all its terms are on screen.
"""

from collections.abc import Callable, Sequence

from manim import (
    DOWN,
    LEFT,
    UP,
    Animation,
    Create,
    FadeIn,
    FadeOut,
    Indicate,
    LaggedStart,
    Mobject,
    MoveToTarget,
    Restore,
    RoundedRectangle,
    VGroup,
    smooth,
    squish_rate_func,
    there_and_back,
)

from scenes.base import PickUp, SegmentScene
from scenes.parts import text
from scenes.parts.formula_panel import FORMULA_PARTS, FormulaPanel, get_q_symbol, get_symbol
from scenes.parts.readout import Readout
from scenes.segments.formula.callouts import Callout, symbol_label
from scenes.segments.formula.cards import PartCard
from scenes.segments.formula.carry_over import morph_in
from scenes.segments.formula.chips import example_label
from scenes.segments.formula.demos import AverageRow, LoopDemo, MeterDemo, copy_line, n_label, placed_chips, sum_header
from scenes.segments.formula.figures import (
    FairnessRow,
    LoopFigures,
    conclusion_words,
    epoch_losses,
    fairness_rows,
    goal_levels,
    loop_figures,
    times_word,
)
from scenes.segments.formula.params import FormulaParams, PartText
from scenes.segments.formula.pile import LossPile
from scenes.theme import MATH, TYPE

__all__ = ["FairnessRow", "FormulaParams", "FormulaScene", "LoopFigures", "conclusion_words", "epoch_losses",
           "fairness_rows", "loop_figures", "times_word"]


class FormulaScene(SegmentScene):
    """The formula whole, its symbols named, each part lifted out and shown at work, then Σ and 1/n as a pile."""

    scene_name = "formula"
    Params = FormulaParams
    params: FormulaParams
    picks_up = (PickUp("formula_panel", after=("title", "baby_vs_ai")),)  # morphed into this one's
    leaves = ("clip_chips",)  # the loss bars segment stretches them into its bars
    beats = (
        "show_formula",
        "name_model",
        "name_data",
        "lift_goal",
        "lift_mistake_meter",
        "one_mistake",
        "lift_for_loop",
        "run_for_loop",
        "lift_fairness",
        "divide_by_n",
        "twice_the_data",
        "share_out",
    )

    # Layout (frame units). The panel's (height, top) in each layout; top None: centred on the page.
    panel_layouts = {"home": (3.6, None), "names": (3.4, 3.6), "lift": (1.7, 3.65), "summary": (1.45, 3.65)}
    label_columns = {"a": -5.05, "X": -1.7, "n": 1.7, "x_i": 5.05}  # centres of the names, in the formula's order
    label_width, label_top = 3.1, -0.9
    card_left, card_right, card_top = -4.05, 6.7, 1.75
    symbol_x, symbol_box = -5.45, (2.3, 1.5)  # where a lifted part sits, left of its card
    row_label_x, chips_left, row_y, chip_pitch = -6.7, -5.3, -1.0, 1.35  # "n = …", then the clips' chips
    sum_x, average_x = 3.15, 5.85
    copy_lines, conclusion_y = (-1.85, -2.41, -2.97), -3.4  # the 1/n demo's bigger dataset: a line per copy
    code_left, code_top = -6.7, -1.55
    counter_place, total_place = (0.3, -2.3, 0), (3.9, -2.3, 0)
    meter_left, meter_y, meter_width = -6.2, -2.45, 9.2
    strip_y = -3.2  # the clips' chips at the end, under the pile
    pile_place = (2.6, 0.25, 4.0)  # the pile's x, its floor's height over the chips, its greatest height

    # Beats.
    def show_formula(self) -> None:
        """The formula arrives whole on its panel (morphed from the one before), and each part lights in turn."""
        self.formula_panel = self.place_panel(FormulaPanel(self.theme), "home")
        morph_in(self, "formula_panel", self.formula_panel, self.params.move_seconds)
        parts = [self.formula_panel.part(key) for key in FORMULA_PARTS if key != "equals"]
        pulses = (Indicate(part, scale_factor=1.12, color=part.get_color()) for part in parts)
        self.play(LaggedStart(*pulses, lag_ratio=0.6, group=self.formula_panel.formula),
                  run_time=self.params.reveal_seconds)

    def name_model(self) -> None:
        """The panel rises; a is named on the formula: the model, its weights."""
        self.move_panel("names", lambda panel: panel.spotlight(symbols=["a"]))
        self.callouts = VGroup(self.get_callout("a"))
        self.play(self.callouts[0].enter(), run_time=self.params.text_seconds)

    def name_data(self) -> None:
        """X, xᵢ and n are named on the formula too: the whole dataset, one example, how many."""
        symbols, p = ("X", "x_i", "n"), self.params
        self.play(self.formula_panel.animate.spotlight(symbols=("a", *symbols)), run_time=0.5 * p.move_seconds)
        callouts = [self.get_callout(symbol) for symbol in symbols]
        self.callouts.add(*callouts)
        self.play(LaggedStart(*(callout.enter() for callout in callouts), lag_ratio=0.7),
                  run_time=len(callouts) * self.params.text_seconds)

    def lift_goal(self) -> None:
        """The names go, the panel moves up; Q is lifted out (The Goal) on a meter at its untrained level,
        which then drains to Q after training: training pushes it down."""
        p = self.params
        untrained, trained = goal_levels(p)
        self.move_panel("lift", lambda panel: panel.lit(), FadeOut(self.callouts))
        self.card: PartCard | None = None
        self.lift("Q", p.goal)
        self.meter = self.get_meter(p.goal_label, get_q_symbol(self.theme, MATH.row), "Q", level=untrained)
        self.play(self.meter.enter(), run_time=p.text_seconds)
        self.wait(0.5 * p.hold_seconds)
        self.play(*self.meter.fill(trained), run_time=p.drain_seconds)

    def lift_mistake_meter(self) -> None:
        """Q goes back; L is lifted out: The Mistake Meter, one example's loss."""
        self.lift("L", self.params.mistake_meter, leaving=[self.meter])

    def one_mistake(self) -> None:
        """One clip on the meter: its loss counts up from 0 (spot on); the number becomes that clip's chip."""
        p, figures = self.params, loop_figures(self.params)
        labels = [example_label(index) for index in range(1, len(figures.losses) + 1)]
        self.clip_chips = placed_chips(self.theme, figures.loss_texts, labels, self.chips_left, self.row_y,
                                       self.chip_pitch)
        first = self.clip_chips[0]
        self.meter = self.get_meter(f"{labels[0]} · {p.clips[0].name}", get_symbol(self.theme, "L(a, x_1)", "L",
                                                                                   MATH.row), "L")
        self.play(self.meter.enter(), run_time=p.text_seconds)
        self.play(*self.meter.fill(figures.losses[0]), run_time=p.count_seconds)
        self.play(Indicate(self.meter.meter.number, color=self.theme.part_colour("L")),
                  FadeIn(first, shift=0.15 * DOWN), run_time=p.move_seconds)
        self.add(first)

    def lift_for_loop(self) -> None:
        """L goes back (its clip's chip stays); Σ is lifted out: The For-Loop."""
        self.lift("sum", self.params.for_loop, leaving=[self.meter])

    def run_for_loop(self) -> None:
        """The loop's code, every clip's chip, and the loop adding each L into a running total that counts."""
        p, figures = self.params, loop_figures(self.params)
        loop = self.loop = LoopDemo(self.theme, p.code_lines, len(figures.losses), figures.totals[-1],
                                    self.theme.part_colour("sum"),
                                    p.total_label)
        loop.code.move_to([self.code_left, self.code_top, 0], aligned_edge=LEFT + UP)
        loop.counter.move_to(self.counter_place)
        loop.running.move_to(self.total_place)
        self.n_label = n_label(self.theme, len(figures.losses)).move_to([self.row_label_x, self.row_y, 0],
                                                                        aligned_edge=LEFT)
        others = self.clip_chips[1:]
        self.play(FadeIn(loop.code), LaggedStart(*(FadeIn(chip, shift=0.1 * DOWN) for chip in others), lag_ratio=0.2),
                  FadeIn(self.n_label), run_time=p.text_seconds)
        self.add(self.clip_chips)
        self.play(FadeIn(loop.running), *loop.start(self.clip_chips[0]), run_time=p.text_seconds)
        for index, (chip, total) in enumerate(zip(self.clip_chips, figures.totals, strict=False), start=1):
            self.play(*loop.turn(chip, index, total), run_time=p.step_seconds)

    def lift_fairness(self) -> None:
        """Σ goes back with its code (the total stays); 1/n is lifted out: The Fairness Fix."""
        loop = self.loop
        self.lift("inv_n", self.params.fairness, leaving=[loop.code, loop.counter, loop.total_label, loop.marker])

    def divide_by_n(self) -> None:
        """The total moves to the "added up" column and is divided by n: the average, Q."""
        p = self.params
        row = self.row = self.get_average_row(self.clip_chips, fairness_rows(p)[0], self.row_y, self.loop.total,
                                              self.n_label)
        self.headers = VGroup(sum_header(self.theme, p.sum_words).move_to([self.sum_x, self.row_y + 0.7, 0]),
                              get_q_symbol(self.theme, MATH.column).move_to([self.average_x, self.row_y + 0.7, 0]))
        self.play(self.loop.total.animate.move_to(row.sum_place), FadeIn(self.headers), run_time=p.move_seconds)
        self.play(row.show_division(), run_time=p.text_seconds)

    def twice_the_data(self) -> None:
        """The same clips again: the sum grows by that factor, the average stays put."""
        p = self.params
        short, long = fairness_rows(p)
        ys = self.copy_lines[: p.copies]
        lines = [copy_line(self.theme, self.clip_chips, y) for y in ys]
        chips = VGroup(*(chip for line in lines for chip in line))
        row = self.big_row = self.get_average_row(chips, long, (ys[0] + ys[-1]) / 2)
        row.label.set_y(ys[0])
        copies = [FadeIn(line, shift=0.3 * DOWN) for line in lines]
        self.play(LaggedStart(*copies, lag_ratio=0.4), FadeIn(row.label), run_time=p.move_seconds)
        self.add(chips)
        self.play(*row.add_up(), run_time=p.count_seconds)
        self.play(row.show_division(), run_time=p.text_seconds)
        averages = VGroup(self.row.average, row.average)
        self.same = RoundedRectangle(width=averages.width + 0.5, height=averages.height + 0.4, corner_radius=0.15,
                                     stroke_color=self.theme.part_colour("inv_n"), stroke_width=4).move_to(averages)
        self.conclusion = text.body(self.theme, conclusion_words(short, long), size=TYPE.label, color=self.theme.ink)
        self.conclusion.move_to([0, self.conclusion_y, 0])
        self.play(Create(self.same), FadeIn(self.conclusion, shift=0.1 * UP), run_time=p.text_seconds)

    def share_out(self) -> None:
        """1/n goes back; every clip's loss rises out of its chip as a block and lands on one pile (Σ, counting
        each block as it lands); then 1/n shares the pile out evenly over the n chips: each share is Q."""
        p, row = self.params, self.row
        leaving = [self.card, self.big_row, self.same, self.conclusion, self.headers, row.sum, row.arrow, row.divide,
                   row.average]
        self.play(*(FadeOut(mob) for mob in leaving), run_time=0.5 * p.move_seconds)
        strip = VGroup(self.n_label, self.clip_chips)
        shift = (self.strip_y - self.clip_chips[0].box.get_y()) * UP
        self.move_panel("summary", None, strip.animate.shift(shift), restore=True)  # 1/n goes home on the way
        losses = loop_figures(p).losses
        pile = self.pile = LossPile.over(self.theme, self.clip_chips, losses, *self.pile_place)
        self.play(pile.rise(), run_time=p.text_seconds)
        for index in range(len(losses)):
            self.play(*pile.land(index), run_time=0.5 * p.step_seconds)
        self.play(pile.share_out(), self.formula_panel.part("inv_n").animate(rate_func=there_and_back).scale(1.2),
                  run_time=p.move_seconds)
        self.play(pile.show_average(), run_time=p.text_seconds)
        self.wait(p.hold_seconds)

    # Moving the formula and lifting its parts.
    def place_panel(self, panel: FormulaPanel, layout: str) -> FormulaPanel:
        """``panel`` scaled and placed for ``layout`` (see panel_layouts); returns it."""
        height, top = self.panel_layouts[layout]
        panel.scale(height / panel.panel.height)
        panel.move_to([0, 0 if top is None else top - height / 2, 0])
        return panel

    def move_panel(self, layout: str, change: Callable[[FormulaPanel], object] | None, *also: Animation,
                   restore: bool = False) -> None:
        """Animate the panel to ``layout`` (``restore``: as it was before its part was lifted), changed on the way
        by ``change(panel)`` (if any), with the animations ``also``."""
        panel = self.formula_panel
        panel.target = (panel.saved_state if restore else panel).copy()
        self.place_panel(panel.target, layout)
        if change is not None:
            change(panel.target)
        self.play(MoveToTarget(panel), *also, run_time=self.params.move_seconds)

    def lift(self, key: str, words: PartText, leaving: Sequence[Mobject] = ()) -> None:
        """Put back the part that is out (its card and ``leaving`` go), then lift ``key`` out beside its card."""
        p = self.params
        if self.card is not None:
            self.put_back([self.card, *leaving])
        colour = self.theme.part_colour(key)
        card = self.card = PartCard(self.theme, words.tag, words.meaning, colour, self.card_right - self.card_left,
                                    meaning_size=TYPE.body_small)
        card.move_to([self.card_left, self.card_top, 0], aligned_edge=LEFT + UP)
        self.formula_panel.save_state()
        place = (self.symbol_x, card.get_y(), 0)
        self.play(self.formula_panel.animate.lift(key, place, self.symbol_box, colour), run_time=p.move_seconds)
        self.play(card.enter(), run_time=p.text_seconds)

    def put_back(self, leaving: Sequence[Mobject]) -> None:
        """``leaving`` fades while the lifted part goes back into the formula."""
        self.play(*(FadeOut(mob, rate_func=squish_rate_func(smooth, 0, 0.35)) for mob in leaving),
                  Restore(self.formula_panel, rate_func=squish_rate_func(smooth, 0.35, 1)),
                  run_time=self.params.move_seconds)  # the words have gone before the part flies over them
        self.card = None

    # Building blocks.
    def get_callout(self, symbol: str) -> Callout:
        """The name of ``symbol`` under its column, joined to where it is written in the formula."""
        label = symbol_label(self.theme, symbol, getattr(self.params.names, symbol),
                             self.label_width)  # the keys are TeX
        label.move_to([self.label_columns[symbol], self.label_top, 0], aligned_edge=UP)
        return Callout(self.theme, label, self.formula_panel.glyphs(symbol)[: 2 if symbol == "x_i" else 1])

    def get_meter(self, name: str, symbol: Mobject, key: str, level: float = 0.0) -> MeterDemo:
        """A meter in ``key``'s colour for ``symbol``'s value (at ``level``), under the card."""
        p = self.params
        meter = MeterDemo(self.theme, name, symbol, self.theme.part_colour(key), self.meter_width, p.low_words,
                          p.high_words, level=level)
        meter.shift([self.meter_left, self.meter_y, 0])
        return meter

    def get_average_row(self, chips: VGroup, figures: FairnessRow, y: float, sum_readout: Readout | None = None,
                        label: Mobject | None = None) -> AverageRow:
        """A row of the 1/n demo for ``figures``: n, the chips, the sum, "÷ n" and the average (Q's level colour)."""
        colour = self.theme.q_colour(float(figures.average_text))
        return AverageRow(self.theme, chips, figures.n, figures.total, figures.average, colour, y, self.row_label_x,
                          self.sum_x, self.average_x, sum_readout=sum_readout, label=label)


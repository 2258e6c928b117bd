"""Segment 3: the formula, whole on its dark panel, then part by part, then a summary table.

Each coloured part is lifted out of the panel in turn (the others dim), shown with its tag and a
one-line meaning, then put back. 1/n shows why we divide (twice the data: twice the sum, same
average); Σ runs as a small for-loop over the clips' losses. Every number on screen comes from
riskmath (clip_losses, empirical_risk); the scene only adds, formats and draws them.
"""

import itertools
from dataclasses import dataclass
from typing import Annotated, Literal

from manim import (
    DOWN,
    LEFT,
    RIGHT,
    UP,
    Create,
    FadeIn,
    FadeOut,
    LaggedStart,
    Line,
    MathTex,
    MoveToTarget,
    Restore,
    RoundedRectangle,
    VGroup,
    interpolate_color,
)
from pydantic import Field, model_validator

from riskmath import ARTICLE_CLIP_LOSSES, clip_losses, empirical_risk
from scenes import theme
from scenes.base import SegmentScene
from scenes.components import (
    FORMULA_PARTS,
    FORMULA_SIZE,
    drop_svg_paths,
    fit_width,
    fit_within,
    format_decimal,
    formula_part,
    get_formula_panel,
    subscript,
)
from scenes.fields import SceneParams, Seconds, StrictModel, Text

# The page-palette colours a param may name.
PALETTE = {"red": theme.RED, "blue": theme.BLUE, "green": theme.GREEN, "gold": theme.GOLD}
PaletteName = Literal["red", "blue", "green", "gold"]

# A lifted part leaves the dark panel for the paper, so it takes the page's darker shade of its hue.
LIFTED_COLOURS = {"Q": theme.RED, "inv_n": theme.BLUE, "sum": theme.GOLD, "L": theme.GREEN}

# The summary table's rows: each SummaryTable field, its symbol (TeX pieces, never from the config)
# and their colours on paper.
SUMMARY_SYMBOLS = {
    "risk": (("Q(a, X)",), (theme.RED,)),
    "model": (("a",), (theme.INK,)),
    "dataset": (("X",), (theme.INK,)),
    "sum_divide": ((r"\textstyle\sum", r"\,\div\, n"), (theme.GOLD, theme.BLUE)),
    "loss": (("L(a, x_i)",), (theme.GREEN,)),
}

# The storyboard's five training clips, their losses at epoch 1 (the article's figures).
MAX_CHIPS = 10  # the fairness demo's longer row must fit across the frame


class PartText(StrictModel):
    """What a lifted part says: its tag pill, the pill's colour, and a one-line meaning."""

    tag: Text
    tag_colour: PaletteName
    meaning: Text


class SummaryRow(StrictModel):
    """One row of the summary table: what the symbol means, and what to think of it like."""

    meaning: Text
    analogy: Text


class SummaryTable(StrictModel):
    """The column headers and one row per symbol, in the formula's order."""

    symbol_header: Text = "SYMBOL"
    meaning_header: Text = "WHAT IT MEANS"
    analogy_header: Text = "THINK OF IT LIKE"
    risk: SummaryRow = SummaryRow(
        meaning="How wrong the model is, on average", analogy="Average grade over a semester"
    )
    model: SummaryRow = SummaryRow(
        meaning="The model: its weights and settings", analogy="The student sitting the exams"
    )
    dataset: SummaryRow = SummaryRow(meaning="Every training example you have", analogy="Every question of every exam")
    sum_divide: SummaryRow = SummaryRow(
        meaning="Add up all the errors, divide by n", analogy="Add up the scores, then divide"
    )
    loss: SummaryRow = SummaryRow(meaning="How wrong it is on one example", analogy="Your score on one question")


class FormulaParams(SceneParams):
    """Texts, figures and timings of the formula segment; the defaults reproduce the storyboard."""

    goal: PartText = PartText(tag="The Goal", tag_colour="red", meaning="The model's average mistake: push it down.")
    fairness: PartText = PartText(
        tag="The Fairness Fix", tag_colour="blue", meaning="Divide by n, so more data can't inflate Q."
    )
    for_loop: PartText = PartText(
        tag="The For-Loop", tag_colour="red", meaning="Add up L for every example, from 1 to n."
    )
    mistake_meter: PartText = PartText(
        tag="The Mistake Meter", tag_colour="green", meaning="How wrong the model is on one example."
    )

    # Figures: the clips' losses at `epoch` (riskmath.clip_losses), and how often 1/n's demo repeats them.
    base_losses: list[Annotated[float, Field(ge=0, le=1)]] = Field(
        default_factory=lambda: list(ARTICLE_CLIP_LOSSES), min_length=1, max_length=5
    )
    epoch: int = Field(1, ge=1, le=50)
    copies: int = Field(2, ge=2, le=4)

    # The 1/n demo.
    fairness_sum_label: Text = "added up"
    fairness_average_label: Text = "average (÷ n)"
    fairness_conclusion: Text = "Twice the data: the sum doubles, the average stays put."

    # The Σ demo: a for-loop, line by line (leading spaces indent), over the clips' losses.
    code_lines: list[Text] = Field(
        default_factory=lambda: ["total = 0", "for i in 1..n:", "    total += L(a, x_i)"], min_length=1, max_length=4
    )
    loop_values_label: Text = "L for each clip"
    loop_total_label: Text = "total ="

    summary: SummaryTable = SummaryTable()

    # Timings.
    panel_seconds: Seconds = 1.0
    reveal_seconds: Seconds = 2.5
    move_seconds: Seconds = 1.2
    lift_seconds: Seconds = 1.2
    text_seconds: Seconds = 1.0
    read_seconds: Seconds = 1.5
    put_back_seconds: Seconds = 1.2
    demo_step_seconds: Seconds = 0.9
    loop_step_seconds: Seconds = 0.7
    row_seconds: Seconds = 0.8
    summary_hold_seconds: Seconds = 3.0
    hold_seconds: Seconds = theme.HOLD

    @model_validator(mode="after")
    def _chips_fit(self):
        if len(self.base_losses) * self.copies > MAX_CHIPS:
            raise ValueError(f"base_losses × copies must be at most {MAX_CHIPS} (the longer row must fit)")
        return self


# Figures: pure, so tests can check exactly what is shown.
@dataclass(frozen=True)
class LoopFigures:
    """The Σ demo: each clip's loss and the running total after each turn of the loop."""

    losses: tuple[float, ...]  # riskmath.clip_losses
    totals: tuple[float, ...]  # left-to-right sums of those losses

    @property
    def loss_texts(self):
        return tuple(format_decimal(loss) for loss in self.losses)

    @property
    def total_texts(self):
        """The total as shown: before the loop, then after each turn."""
        return (format_decimal(0.0),) + tuple(format_decimal(total) for total in self.totals)


@dataclass(frozen=True)
class FairnessRow:
    """One row of the 1/n demo: a dataset's losses, their sum and their average."""

    losses: tuple[float, ...]
    total: float  # left-to-right sum of the losses
    average: float  # riskmath.empirical_risk

    @property
    def n(self):
        return len(self.losses)

    @property
    def loss_texts(self):
        return tuple(format_decimal(loss) for loss in self.losses)

    @property
    def total_text(self):
        return format_decimal(self.total)

    @property
    def average_text(self):
        return format_decimal(self.average)


def epoch_losses(params):
    """The clips' losses at ``params.epoch``, from riskmath."""
    return tuple(clip_losses(params.base_losses, params.epoch).tolist())


def loop_figures(params):
    """What the for-loop shows: the losses it visits and the running total after each."""
    losses = epoch_losses(params)
    return LoopFigures(losses, tuple(itertools.accumulate(losses)))


def fairness_rows(params):
    """The 1/n demo: the dataset once, then the same examples ``copies`` times over."""
    losses = epoch_losses(params)
    rows = []
    for dataset in (losses, losses * params.copies):
        rows.append(FairnessRow(dataset, sum(dataset), empirical_risk(dataset)))
    return tuple(rows)


class FormulaScene(SegmentScene):
    """The formula whole, then each coloured part lifted out and explained, then a summary table."""

    scene_name = "formula"
    Params = FormulaParams
    beats = (
        "reveal_formula",
        "lift_goal",
        "lift_fairness",
        "lift_for_loop",
        "lift_mistake_meter",
        "show_summary",
    )

    # Layout (frame units).
    top_scale = 0.7  # the panel while parts are explained, at the top
    summary_scale = 0.55  # the panel above the summary table
    frame_top = 3.7
    symbol_box = (2.8, 1.6)  # where a lifted part sits, left of its card
    symbol_centre = (-5.0, 0.3)
    card_left, card_right = -3.3, 6.6
    card_height = 1.6
    max_lift_scale = 1.8
    dim_opacity = 0.3  # the parts left behind, relative to their own opacity
    chip_pitch = 0.8
    chip_size = (0.74, 0.44)
    code_size = 24
    table_left, table_right = -6.6, 6.6
    column_widths = (2.0, 5.8, 5.4)
    header_height = 0.55
    row_height = 0.92
    cell_size = 22
    cell_pad = 0.25
    symbol_size = 38

    # Beats.
    def reveal_formula(self):
        """The dark panel, then the formula's four coloured parts, whole; then it makes room below."""
        p = self.params
        self.formula_panel = drop_svg_paths(get_formula_panel(FORMULA_SIZE))
        self.formula = self.formula_panel.formula
        self.reveal_height = self.formula_panel.panel.height
        self.play(FadeIn(self.formula_panel.panel, scale=0.96), run_time=p.panel_seconds)
        self.play(
            LaggedStart(*(FadeIn(part, shift=0.15 * UP) for part in self.formula), lag_ratio=0.35),
            run_time=p.reveal_seconds,
        )
        self.wait(p.read_seconds)
        self.play(self.panel_to_top(self.top_scale), run_time=p.move_seconds)

    def lift_goal(self):
        """Q(a, X) lifted out: The Goal, and what it means."""
        card = self.lift_part("Q", self.params.goal)
        self.wait(self.params.read_seconds)
        self.put_back(card)

    def lift_fairness(self):
        """1/n lifted out: twice the data doubles the sum, but the average stays the same."""
        card = self.lift_part("inv_n", self.params.fairness)
        self.wait(self.params.hold_seconds)
        demo = self.show_fairness_demo()
        self.wait(self.params.read_seconds)
        self.put_back(card, demo)

    def lift_for_loop(self):
        """Σ lifted out: it runs as a for-loop, adding up each clip's L."""
        card = self.lift_part("sum", self.params.for_loop)
        self.wait(self.params.hold_seconds)
        demo = self.run_for_loop()
        self.wait(self.params.read_seconds)
        self.put_back(card, demo)

    def lift_mistake_meter(self):
        """L(a, xᵢ) lifted out: The Mistake Meter, the error on one example."""
        card = self.lift_part("L", self.params.mistake_meter)
        self.wait(self.params.read_seconds)
        self.put_back(card)

    def show_summary(self):
        """The summary table, row by row, under the formula."""
        p = self.params
        self.play(self.panel_to_top(self.summary_scale), run_time=p.move_seconds)
        self.table = self.get_summary_table()
        self.table.next_to(self.formula_panel, DOWN, buff=0.3)
        self.play(FadeIn(self.table.header, shift=0.1 * DOWN), run_time=p.row_seconds)
        for row in self.table.rows:
            self.play(FadeIn(row, shift=0.1 * UP), run_time=p.row_seconds)
            self.wait(0.4 * p.hold_seconds)
        self.wait(p.summary_hold_seconds)

    # Text in the theme's type, made cheap to copy (every Fade and Transform copies it).
    def body(self, *args, **kwargs):
        return drop_svg_paths(super().body(*args, **kwargs))

    def mono(self, *args, **kwargs):
        return drop_svg_paths(super().mono(*args, **kwargs))

    # Lifting a part out and putting it back.
    def panel_to_top(self, scale):
        """The panel's move to the top of the frame, at ``scale`` of its size at the reveal."""
        target = self.formula_panel.copy()
        target.scale(self.reveal_height * scale / target.panel.height)
        target.move_to([0, self.frame_top - target.panel.height / 2, 0])
        self.formula_panel.target = target
        return MoveToTarget(self.formula_panel)

    def lift_part(self, key, text):
        """Lift a part of the formula out beside its card (tag and meaning); the others dim.

        Returns the card, for put_back.
        """
        p = self.params
        self.formula.save_state()
        part = formula_part(self.formula, key)
        part.generate_target()
        width, height = self.symbol_box
        scale = min(width / part.width, height / part.height, self.max_lift_scale)
        part.target.scale(scale).move_to([*self.symbol_centre, 0]).set_color(LIFTED_COLOURS[key])
        dims = [
            formula_part(self.formula, other).animate.set_opacity(self.part_opacity(other) * self.dim_opacity)
            for other in FORMULA_PARTS
            if other != key
        ]
        self.play(MoveToTarget(part), *dims, run_time=p.lift_seconds)
        card = self.get_card(text, LIFTED_COLOURS[key])
        self.play(FadeIn(card.box), FadeIn(card.tag, shift=0.1 * RIGHT), run_time=0.5 * p.text_seconds)
        self.play(FadeIn(card.meaning, shift=0.1 * UP), run_time=p.text_seconds)
        return card

    @staticmethod
    def part_opacity(key):
        """A formula part's opacity on the panel: "=" is faint, the coloured parts are solid."""
        return theme.FORMULA_EQUALS_OPACITY if key == "equals" else 1.0

    def put_back(self, *mobjects):
        """Clear ``mobjects`` away and return the lifted part to its place; the others light up."""
        p = self.params
        self.play(*(FadeOut(mob) for mob in mobjects), run_time=0.5 * p.put_back_seconds)
        self.play(Restore(self.formula), run_time=p.put_back_seconds)
        self.wait(0.5 * p.hold_seconds)

    # The 1/n demo.
    def show_fairness_demo(self):
        """The dataset's losses, their sum and average; then twice the data: the sum doubles, not the average."""
        p = self.params
        short, long = fairness_rows(p)
        demo = self.fairness_demo = self.get_fairness_demo(short, long)
        first, second = demo.rows
        step = p.demo_step_seconds

        self.play(FadeIn(demo.headers), FadeIn(first.label), self.chips_entrance(first.chips), run_time=step)
        self.gather(first.chips, first.total, step)
        self.play(FadeIn(first.average, shift=0.1 * RIGHT), run_time=0.7 * step)
        self.wait(p.hold_seconds)

        copies = [chip.copy() for chip in first.chips] * p.copies
        self.play(
            FadeIn(second.label),
            LaggedStart(*(copy.animate.move_to(chip) for copy, chip in zip(copies, second.chips)), lag_ratio=0.08),
            run_time=1.5 * step,
        )
        self.remove(*copies)
        self.add(second.chips)
        self.gather(second.chips, second.total, step)
        self.play(FadeIn(second.average, shift=0.1 * RIGHT), run_time=0.7 * step)
        self.wait(0.5 * p.hold_seconds)
        self.play(Create(demo.same_box), FadeIn(demo.conclusion, shift=0.1 * UP), run_time=step)
        return demo

    def chips_entrance(self, chips):
        """Chips fade in one after another."""
        return LaggedStart(*(FadeIn(chip, shift=0.1 * DOWN) for chip in chips), lag_ratio=0.12)

    def gather(self, chips, result, run_time):
        """Copies of the chips' numbers slide into ``result`` and fade as it appears."""
        flying = [chip.number.copy() for chip in chips]
        self.play(
            LaggedStart(*(f.animate.move_to(result).set_opacity(0) for f in flying), lag_ratio=0.05),
            FadeIn(result, scale=0.9),
            run_time=run_time,
        )
        self.remove(*flying)

    # The Σ demo.
    def run_for_loop(self):
        """The code, the clips' losses, and the loop adding them into a running total, turn by turn."""
        p = self.params
        figures = loop_figures(p)
        demo = self.loop_demo = self.get_loop_demo(figures)
        self.play(FadeIn(demo.code), run_time=p.text_seconds)
        self.play(
            FadeIn(demo.values_label), self.chips_entrance(demo.chips), FadeIn(demo.total), run_time=p.text_seconds
        )
        self.wait(0.5 * p.hold_seconds)

        marker = demo.marker.move_to(demo.chips[0])
        self.play(FadeIn(demo.band), Create(marker), run_time=0.5 * p.loop_step_seconds)
        for chip, new in zip(demo.chips, demo.next_totals):
            flying = chip.number.copy()
            self.play(
                marker.animate.move_to(chip),
                flying.animate.move_to(demo.total.number).set_opacity(0),
                FadeOut(demo.total.number, shift=0.25 * UP),
                FadeIn(new, shift=0.25 * UP),
                run_time=p.loop_step_seconds,
            )
            self.remove(flying)
            demo.total.remove(demo.total.number)
            demo.total.number = new
            demo.total.add(new)
            self.wait(0.3 * p.loop_step_seconds)
        self.play(FadeOut(marker), FadeOut(demo.band), run_time=0.5 * p.loop_step_seconds)
        demo.remove(demo.marker, demo.band)
        return demo

    # Building blocks.
    def get_card(self, text, accent):
        """The explanation card right of a lifted part: an accent strip, the tag pill, the meaning."""
        width = self.card_right - self.card_left
        box = RoundedRectangle(
            width=width,
            height=self.card_height,
            corner_radius=0.2,
            fill_color=theme.PAPER2,
            fill_opacity=1,
            stroke_width=0,
        )
        box.move_to([(self.card_left + self.card_right) / 2, self.symbol_centre[1], 0])
        strip = RoundedRectangle(
            width=0.1, height=self.card_height, corner_radius=0.05, fill_color=accent, fill_opacity=1, stroke_width=0
        )
        strip.align_to(box, LEFT).match_y(box)
        tag = self.get_tag(text.tag, PALETTE[text.tag_colour])
        tag.move_to(box.get_corner(UP + LEFT) + [0.45, -0.3, 0], aligned_edge=UP + LEFT)
        meaning = fit_within(self.body(text.meaning, color=theme.INK), width - 0.9, 0.5)
        meaning.next_to(tag, DOWN, buff=0.3, aligned_edge=LEFT)
        card = VGroup(VGroup(box, strip), tag, meaning)
        card.box, card.tag, card.meaning = card[0], tag, meaning
        return card

    def get_tag(self, label, colour):
        """A rounded pill in a pale tint of ``colour`` with the label in ``colour``, like the article's tags."""
        text = self.mono(label, color=colour)
        pill = RoundedRectangle(
            width=text.width + 0.4,
            height=text.height + 0.24,
            corner_radius=(text.height + 0.24) / 2,
            fill_color=interpolate_color(colour, theme.PAPER, 0.85),
            fill_opacity=1,
            stroke_width=0,
        )
        return VGroup(pill, text.move_to(pill))

    def get_chip(self, label, size=theme.LABEL_SIZE):
        """A number in mono on a rounded paper chip; ``.number`` is the text."""
        width, height = self.chip_size
        box = RoundedRectangle(
            width=width, height=height, corner_radius=0.1, fill_color=theme.PAPER, fill_opacity=1,
            stroke_color=theme.PAPER3, stroke_width=2,
        )
        number = self.mono(label, size=size, color=theme.INK)
        chip = VGroup(box, fit_width(number, width - 0.08).move_to(box))
        chip.number = number
        return chip

    def get_chip_row(self, texts, left):
        """Chips for ``texts``, left edge at x = ``left``, evenly spaced."""
        chips = VGroup(*(self.get_chip(text, size=20) for text in texts))
        for i, chip in enumerate(chips):
            chip.move_to([left + self.chip_size[0] / 2 + i * self.chip_pitch, 0, 0])
        return chips

    def get_fairness_demo(self, short, long):
        """Two rows (n = len(short), then n = len(long)): chips, the sum, the average, and a closing line."""
        p = self.params
        label_x, chips_left = -6.6, -5.35
        sum_x, average_x = 3.45, 5.55
        row_ys = (-1.55, -2.45)
        headers = VGroup(
            self.body(p.fairness_sum_label, size=theme.SMALL_SIZE, color=theme.INK3).move_to([sum_x, -0.95, 0]),
            self.body(p.fairness_average_label, size=theme.SMALL_SIZE, color=theme.INK3).move_to([average_x, -0.95, 0]),
        )
        rows = []
        for figures, y in zip((short, long), row_ys):
            label = self.mono(f"n = {figures.n}", size=20, color=theme.INK3).move_to([label_x, y, 0], aligned_edge=LEFT)
            chips = self.get_chip_row(figures.loss_texts, chips_left).set_y(y)
            total_colour = theme.INK if figures is short else theme.RED
            total = self.mono(figures.total_text, size=30, color=total_colour).move_to([sum_x, y, 0])
            average = self.mono(figures.average_text, size=30, color=theme.BLUE).move_to([average_x, y, 0])
            row = VGroup(label, chips, total, average)
            row.label, row.chips, row.total, row.average = label, chips, total, average
            rows.append(row)
        averages = VGroup(rows[0].average, rows[1].average)
        same_box = RoundedRectangle(
            width=averages.width + 0.5, height=averages.height + 0.35, corner_radius=0.15,
            stroke_color=theme.BLUE, stroke_width=3, fill_opacity=0,
        ).move_to(averages)
        conclusion = fit_within(self.body(p.fairness_conclusion, size=24, color=theme.INK), 12.6, 0.45)
        conclusion.move_to([0, -3.35, 0])
        demo = VGroup(headers, *rows, same_box, conclusion)
        demo.headers, demo.rows, demo.same_box, demo.conclusion = headers, rows, same_box, conclusion
        return demo

    def get_code(self):
        """The for-loop in mono on a paper card; leading spaces in a line indent it."""
        p = self.params
        char = self.mono("0" * 10, size=self.code_size).width / 10  # about one advance
        lines = VGroup()
        for line in p.code_lines:
            stripped = line.lstrip(" ")
            text = self.mono(stripped, size=self.code_size, color=theme.INK)
            text.indent = (len(line) - len(stripped)) * char
            lines.add(text)
        lines.arrange(DOWN, buff=0.25, aligned_edge=LEFT)
        for text in lines:
            text.shift(text.indent * RIGHT)
        fit_width(lines, 4.6)
        box = RoundedRectangle(
            width=lines.width + 0.6, height=lines.height + 0.5, corner_radius=0.2,
            fill_color=theme.PAPER2, fill_opacity=1, stroke_width=0,
        )
        box.move_to(lines)
        code = VGroup(box, lines)
        code.lines = lines
        return code

    def get_loop_demo(self, figures):
        """The code card left; right, the clips' losses in chips and the running total."""
        p = self.params
        code = self.get_code()
        code.move_to([-6.6, -2.2, 0], aligned_edge=LEFT)
        body = code.lines[-1]
        band = RoundedRectangle(
            width=code[0].width - 0.2, height=body.height + 0.2, corner_radius=0.08,
            fill_color=interpolate_color(theme.GOLD, theme.PAPER, 0.7), fill_opacity=1, stroke_width=0,
        )
        band.move_to(code[0]).match_y(body)
        code.lines.set_z_index(1)

        chips = VGroup(*(self.get_chip(text) for text in figures.loss_texts))
        chips.arrange(RIGHT, buff=0.45)
        labels = VGroup(
            *(self.mono(f"x{subscript(i + 1)}", size=theme.SMALL_SIZE, color=theme.INK3).next_to(chip, UP, buff=0.12)
              for i, chip in enumerate(chips))
        )
        for chip, label in zip(chips, labels):
            chip.add(label)
        right = (-0.6 + 6.6) / 2
        chips.move_to([right, -1.75, 0])
        values_label = self.body(p.loop_values_label, size=theme.SMALL_SIZE, color=theme.INK3)
        values_label.next_to(chips, UP, buff=0.15)

        total_label = self.mono(p.loop_total_label, size=32, color=theme.INK2)
        number = self.get_total_number(figures.total_texts[0])
        total = VGroup(total_label, number).arrange(RIGHT, buff=0.3, aligned_edge=DOWN)
        total.move_to([right, -3.0, 0])
        total.number = number
        next_totals = [
            self.get_total_number(text).move_to(number, aligned_edge=LEFT) for text in figures.total_texts[1:]
        ]

        marker = RoundedRectangle(
            width=chips[0].width + 0.3, height=chips[0].height + 0.25, corner_radius=0.12,
            stroke_color=theme.GOLD, stroke_width=4, fill_opacity=0,
        )
        demo = VGroup(band, code, values_label, chips, total, marker)
        demo.code, demo.band, demo.values_label, demo.chips, demo.total, demo.marker = (
            code, band, values_label, chips, total, marker,
        )
        demo.next_totals = next_totals  # the total after each turn, prepared once
        return demo

    def get_total_number(self, text):
        """The running total of the loop."""
        return self.mono(text, size=32, color=theme.INK)

    def get_summary_table(self):
        """The header bar, then one row per symbol; ``.header`` and ``.rows``."""
        s = self.params.summary
        header = self.get_table_header((s.symbol_header, s.meaning_header, s.analogy_header))
        rows = VGroup()
        for index, (key, (texs, colours)) in enumerate(SUMMARY_SYMBOLS.items()):
            y = -self.header_height / 2 - (index + 0.5) * self.row_height
            rows.add(self.get_table_row(texs, colours, getattr(s, key), y, shaded=bool(index % 2)))
        table = VGroup(header, rows)
        table.header, table.rows = header, rows
        return table

    def column_lefts(self):
        """The x of each column's left edge."""
        return [self.table_left + sum(self.column_widths[:i]) for i in range(len(self.column_widths))]

    def get_table_header(self, labels):
        """An INK bar across the table with the column names in mono, centred on y = 0."""
        bar = RoundedRectangle(
            width=self.table_right - self.table_left,
            height=self.header_height,
            corner_radius=0.12,
            fill_color=theme.INK,
            fill_opacity=1,
            stroke_width=0,
        )
        bar.move_to([(self.table_left + self.table_right) / 2, 0, 0])
        header = VGroup(bar)
        for left, width, label in zip(self.column_lefts(), self.column_widths, labels):
            text = fit_width(self.mono(label, size=theme.SMALL_SIZE, color=theme.PAPER), width - 2 * self.cell_pad)
            header.add(text.move_to([left + self.cell_pad, 0, 0], aligned_edge=LEFT))
        return header

    def get_table_row(self, texs, colours, cells, y, shaded):
        """A row centred on y: the symbol (MathTex, coloured piece by piece), its meaning and its analogy.

        Shaded rows sit on a PAPER2 band; the others get a hairline under them.
        """
        width = self.table_right - self.table_left
        centre_x = (self.table_left + self.table_right) / 2
        if shaded:
            ground = RoundedRectangle(
                width=width,
                height=self.row_height,
                corner_radius=0.05,
                fill_color=theme.PAPER2,
                fill_opacity=1,
                stroke_width=0,
            ).move_to([centre_x, y, 0])
        else:
            bottom = y - self.row_height / 2
            ground = Line(
                [self.table_left, bottom, 0], [self.table_right, bottom, 0], color=theme.PAPER3, stroke_width=2
            )
        symbol = drop_svg_paths(MathTex(*texs, font_size=self.symbol_size, tex_template=theme.TEX_TEMPLATE))
        for piece, colour in zip(symbol, colours):
            piece.set_color(colour)
        texts = [self.body(text, size=self.cell_size, color=theme.INK2) for text in (cells.meaning, cells.analogy)]
        row = VGroup(ground)
        for left, col_width, cell in zip(self.column_lefts(), self.column_widths, [symbol, *texts]):
            fit_within(cell, col_width - 2 * self.cell_pad, self.row_height - 0.3)
            row.add(cell.move_to([left + self.cell_pad, y, 0], aligned_edge=LEFT))
        return row

"""Segment 1: the question, then a first glimpse of the formula that answers it, held on screen.

The segment ends on the question over the formula on its dark panel (``formula_panel``) and a
line under it: the next segment opens from that panel, so nothing is cleared away.
"""

from manim import DOWN, UP, FadeIn, Indicate, LaggedStart, VGroup, Write

from scenes.base import SegmentScene
from scenes.fields import SceneParams, Seconds, Text
from scenes.parts import text
from scenes.parts.components import fit_within
from scenes.parts.formula_panel import FORMULA_PARTS, FormulaPanel
from scenes.theme import MATH, SAFE_X, SPACE, TYPE

MAX_TEXT_WIDTH = 2 * SAFE_X


class TitleParams(SceneParams):
    """Texts and timings of the title segment; the defaults reproduce the storyboard."""

    question: Text = "How does an AI actually learn?"
    formula_caption: Text = "By the end, you'll read every symbol of it."
    write_seconds: Seconds = 2.0
    hold_seconds: Seconds = 1.0
    reveal_seconds: Seconds = 2.2
    caption_seconds: Seconds = 1.0
    formula_seconds: Seconds = 2.4


class TitleScene(SegmentScene):
    """The question on a clean page, the formula glimpsed below it, then a promise under the formula."""

    scene_name = "title"
    Params = TitleParams
    params: TitleParams
    beats = ("ask_question", "glimpse_formula", "promise")
    leaves = ("formula_panel",)  # the formula segment and the baby-and-AI segment pick it up

    question_size = TYPE.title
    caption_size = TYPE.lead
    formula_size = MATH.formula_large
    max_question_height = 1.7  # room for two lines if the question is long
    max_caption_height = 0.9
    gap = SPACE.page  # between the question, the panel and the caption

    def ask_question(self) -> None:
        """The question is written in the middle of the page (the segment before, if any, fades away)."""
        self.layout()
        self.question.save_state().move_to([0, 0, 0])
        if self.opening:
            self.hand_over(self.question, run_time=self.params.write_seconds)
        else:
            self.play(Write(self.question), run_time=self.params.write_seconds)
        self.wait(self.params.hold_seconds)

    def glimpse_formula(self) -> None:
        """The question rises; the formula's panel comes up beneath it and its coloured parts appear."""
        p = self.params
        panel, formula = self.formula_panel.panel, self.formula_panel.formula
        move = 0.4 * p.reveal_seconds
        self.play(self.question.animate.restore(), FadeIn(panel, shift=0.3 * UP), run_time=move)
        parts = LaggedStart(*(FadeIn(part, shift=0.15 * UP) for part in formula), lag_ratio=0.35)
        self.play(parts, run_time=p.reveal_seconds - move)
        self.add(self.formula_panel)

    def promise(self) -> None:
        """A line under the formula, while each coloured part lights up in turn."""
        p = self.params
        parts = [self.formula_panel.part(key) for key in FORMULA_PARTS if key != "equals"]
        pulses = LaggedStart(*(Indicate(part, scale_factor=1.1, color=part.get_color()) for part in parts),
                             lag_ratio=0.5, group=self.formula_panel.formula)  # the panel stays one mobject on screen
        self.play(FadeIn(self.caption, shift=0.15 * UP), run_time=p.caption_seconds)
        self.play(pulses, run_time=p.formula_seconds)

    # Layout.
    def layout(self) -> None:
        """The question, the formula panel and the caption, stacked and centred (where they end up)."""
        self.question = self.get_question()
        self.formula_panel = FormulaPanel(self.theme, self.formula_size)
        caption = text.body(self.theme, self.params.formula_caption, size=self.caption_size, color=self.theme.ink2)
        self.caption = fit_within(caption, MAX_TEXT_WIDTH, self.max_caption_height)
        VGroup(self.question, self.formula_panel, self.caption).arrange(DOWN, buff=self.gap).move_to([0, 0, 0])

    def get_question(self) -> VGroup:
        """The question as a heading, on as many centred lines as it needs; shrunk only if it cannot fit."""
        question = text.wrapped(self.params.question, MAX_TEXT_WIDTH,
                                lambda line: text.heading(self.theme, line, size=self.question_size))
        for line in question:
            line.set_x(0)
        return fit_within(question, MAX_TEXT_WIDTH, self.max_question_height)

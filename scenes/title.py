"""Segment 1: the question, a first glimpse of the formula that answers it, then a clean page."""

from manim import DOWN, ORIGIN, UP, FadeIn, FadeOut, LaggedStart, VGroup, Write

from scenes import theme
from scenes.base import SegmentScene
from scenes.components import fit_within, get_formula_panel
from scenes.fields import SceneParams, Seconds, Text

MAX_TEXT_WIDTH = 12.8  # leaves a margin inside x ∈ [-6.8, 6.8]
MAX_QUESTION_HEIGHT = 1.8  # room for two lines if Pango wraps a long question


class TitleParams(SceneParams):
    """Texts and timings of the title segment; the defaults reproduce the storyboard."""

    question: Text = "How does an AI actually learn?"
    formula_caption: Text = "It all comes down to one formula."
    write_seconds: Seconds = 2.0
    hold_seconds: Seconds = 1.5
    reveal_seconds: Seconds = 2.2
    formula_seconds: Seconds = 3.0
    clear_seconds: Seconds = 1.0


class TitleScene(SegmentScene):
    """The question on a clean page, the formula glimpsed below it, then everything cleared."""

    scene_name = "title"
    Params = TitleParams
    beats = ("ask_question", "glimpse_formula", "clear_page")

    question_size = theme.TITLE_SIZE
    formula_size = 64

    def ask_question(self):
        """Write the question in the middle of the page, and hold it."""
        self.question = self.get_question()
        self.play(Write(self.question, run_time=self.params.write_seconds))
        self.wait(self.params.hold_seconds)

    def glimpse_formula(self):
        """Lift the question; the formula's panel and its coloured parts fade in beneath it."""
        p = self.params
        self.formula_panel = get_formula_panel(self.formula_size)
        self.caption_text = self.get_caption()
        settled = self.question.copy()
        VGroup(settled, self.formula_panel, self.caption_text).arrange(DOWN, buff=0.6).move_to(ORIGIN)
        panel, formula = self.formula_panel.panel, self.formula_panel.formula
        move = 0.35 * p.reveal_seconds
        self.play(self.question.animate.move_to(settled), FadeIn(panel, shift=0.3 * UP), run_time=move)
        parts = LaggedStart(*(FadeIn(part, shift=0.15 * UP) for part in formula), lag_ratio=0.35)
        self.play(parts, run_time=p.reveal_seconds - move)
        self.play(FadeIn(self.caption_text, shift=0.15 * UP), run_time=theme.HOLD)
        self.wait(p.formula_seconds)

    def clear_page(self):
        """Fade everything away, leaving the paper blank for the next segment."""
        self.play(*(FadeOut(mob) for mob in self.mobjects), run_time=self.params.clear_seconds)
        self.wait(0.3)

    # Building blocks.
    def get_question(self):
        """The question as a heading, shrunk if needed to fit the frame."""
        question = self.heading(self.params.question, size=self.question_size)
        return fit_within(question, MAX_TEXT_WIDTH, MAX_QUESTION_HEIGHT)

    def get_caption(self):
        """A quiet line under the formula."""
        return fit_within(self.body(self.params.formula_caption, color=theme.INK3), MAX_TEXT_WIDTH, 0.8)

"""Segment 1: the question, a first glimpse of the formula that answers it, then a clean page."""

from manim import DOWN, UP, FadeIn, FadeOut, LaggedStart, Write

from scenes import theme
from scenes.base import SegmentScene
from scenes.components import fit_width, get_formula_panel
from scenes.fields import SceneParams, Seconds, Text

MAX_TEXT_WIDTH = 12.8  # leaves a margin inside x ∈ [-6.8, 6.8]


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
    question_y = 1.9  # where the question settles once the formula joins it

    def ask_question(self):
        """Write the question in the middle of the page, and hold it."""
        self.question = self.get_question()
        self.play(Write(self.question, run_time=self.params.write_seconds))
        self.wait(self.params.hold_seconds)

    def glimpse_formula(self):
        """Lift the question; the formula's panel and its coloured parts fade in beneath it."""
        p = self.params
        self.formula_panel = get_formula_panel(self.formula_size).next_to(self.question_target(), DOWN, buff=0.7)
        self.caption_text = self.get_caption().next_to(self.formula_panel, DOWN, buff=0.45)
        panel, formula = self.formula_panel.panel, self.formula_panel.formula
        move = 0.35 * p.reveal_seconds
        self.play(self.question.animate.move_to(self.question_target()), FadeIn(panel, shift=0.3 * UP), run_time=move)
        self.play(LaggedStart(*(FadeIn(part, shift=0.15 * UP) for part in formula), lag_ratio=0.35), run_time=p.reveal_seconds - move)
        self.play(FadeIn(self.caption_text, shift=0.15 * UP), run_time=theme.HOLD)
        self.wait(p.formula_seconds)

    def clear_page(self):
        """Fade everything away, leaving the paper blank for the next segment."""
        self.play(*(FadeOut(mob) for mob in self.mobjects), run_time=self.params.clear_seconds)
        self.wait(0.3)

    # Building blocks.
    def get_question(self):
        """The question as a heading, shrunk if needed to fit the frame."""
        return fit_width(self.heading(self.params.question, size=self.question_size), MAX_TEXT_WIDTH)

    def get_caption(self):
        """A quiet line under the formula."""
        return fit_width(self.body(self.params.formula_caption, color=theme.INK3), MAX_TEXT_WIDTH)

    def question_target(self):
        """The question's resting place above the formula."""
        return self.question.get_center() * [1, 0, 0] + self.question_y * UP

"""The formula segment's params: its texts, the clips it counts, and its timings (the storyboard's defaults)."""

from pydantic import Field

from scenes.fields import SceneParams, Seconds, StrictModel, Text
from scenes.segments.formula.dataset import TrainingClip, storyboard_clips
from scenes.theme import HOLD

MAX_COPIES = 3  # the bigger dataset of the 1/n demo is this many copies at most (its chips stack in lines)


class PartText(StrictModel):
    """What a lifted part says: its tag (a pill in the part's colour) and a one-line meaning."""

    tag: Text
    meaning: Text


class SymbolNames(StrictModel):
    """The words under each symbol when it is named on the formula."""

    a: Text = "the model: its weights"
    X: Text = "the whole dataset"
    n: Text = "how many examples"
    x_i: Text = "one example, the i-th"


class FormulaParams(SceneParams):
    """Texts, figures and timings of the formula segment; the defaults reproduce the storyboard."""

    names: SymbolNames = SymbolNames()
    goal: PartText = PartText(tag="The Goal", meaning="How wrong the model is, on average: push it down.")
    mistake_meter: PartText = PartText(tag="The Mistake Meter",
                                       meaning="How wrong the model is on one example: its loss.")
    for_loop: PartText = PartText(tag="The For-Loop", meaning="Add up L for every example, i = 1 to n.")
    fairness: PartText = PartText(tag="The Fairness Fix", meaning="Divide by n: an average, whatever n is.")

    clips: list[TrainingClip] = Field(default_factory=storyboard_clips, min_length=1, max_length=6)
    goal_label: Text = "on average, over every example"  # what Q's meter measures
    low_words: Text = "0: spot on"  # the meters' ends
    high_words: Text = "1: way off"
    code_lines: list[Text] = Field(
        default_factory=lambda: ["total = 0", "for i in 1..n:", "    total += L(a, x_i)"], min_length=1, max_length=3
    )
    total_label: Text = "total ="
    sum_words: Text = "added up"
    trained_epoch: int = Field(10, ge=2, le=50)  # Q's meter drains to Q at this epoch ("training pushes it down")
    copies: int = Field(2, ge=2, le=MAX_COPIES)  # the 1/n demo's bigger dataset: the clips this many times

    move_seconds: Seconds = 1.2
    reveal_seconds: Seconds = 2.4
    text_seconds: Seconds = 1.0
    step_seconds: Seconds = 0.8
    count_seconds: Seconds = 1.4
    drain_seconds: Seconds = 1.8  # Q's meter draining as training pushes it down
    hold_seconds: Seconds = HOLD

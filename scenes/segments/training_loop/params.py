"""The training-loop segment's params: the five steps, what is recalled of the AI's loop, the run and timings."""

from typing import Annotated

from annotated_types import MaxLen
from pydantic import Field

from scenes.fields import Colour, Seconds, Text
from scenes.parts.learning_loop import AI_HEADING, AI_STEPS, Step, step_list
from scenes.parts.tiny_model import TinyModelParams
from scenes.theme import HOLD

CYCLE_STEPS = (
    ("Take an example", "one point of the data"),
    ("Measure its loss", "the gap to the line, squared"),
    ("Average the losses", "over every example"),
    ("Nudge the weights", "a: its weights, here w and b"),
    ("Repeat", None),
)
# Which AI step becomes which training step (the third, averaging, is new).
RECALLED_AS = {0: 0, 1: 1, 2: 3, 3: 4}


def _cycle_steps() -> tuple[Step, Step, Step, Step, Step]:
    first, second, third, fourth, fifth = step_list(CYCLE_STEPS)
    return first, second, third, fourth, fifth


class TrainingLoopParams(TinyModelParams):
    """Texts, the dataset, the training run and timings; defaults reproduce the storyboard."""

    title: Annotated[Text, MaxLen(28)] = "The training loop"
    steps: tuple[Step, Step, Step, Step, Step] = Field(default_factory=lambda: _cycle_steps())
    recall_heading: Annotated[Text, MaxLen(28)] = AI_HEADING
    recall_steps: list[Step] = Field(default_factory=lambda: step_list(AI_STEPS), min_length=4, max_length=4)
    ai_colour: Colour | None = None  # None: the theme's red, as in the baby-versus-AI segment
    history_caption: Annotated[Text, MaxLen(28)] = "after each step"  # after the symbol Q(a, X)
    step_label: Annotated[Text, MaxLen(8)] = "step"
    close_label: Annotated[Text, MaxLen(20)] = "getting close"  # beside Q while it is red (riskmath's Level.FAIR)
    learned_label: Annotated[Text, MaxLen(20)] = "learned"  # beside Q once it is green (Level.GOOD)
    # Timings.
    recall_seconds: Seconds = 1.5
    morph_seconds: Seconds = 2.5
    model_seconds: Seconds = 1.5
    explain_seconds: Seconds = 1.2  # each move of the first turn
    second_turn_seconds: Seconds = 0.6  # each move of the second turn
    fast_seconds: Seconds = 0.38  # each move of the later turns
    hold_seconds: Seconds = HOLD

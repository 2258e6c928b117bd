"""The formula segment's figures: pure, so tests can check exactly what is shown.

Every number comes from riskmath (clip_losses, empirical_risk); these only add and format them.
"""

import itertools
from dataclasses import dataclass

from riskmath import clip_losses, empirical_risk, epoch_risk
from scenes.parts.components import format_decimal
from scenes.segments.formula.params import FormulaParams


@dataclass(frozen=True)
class LoopFigures:
    """The Σ demo: each clip's loss at epoch 1 and the running total after each turn of the loop."""

    losses: tuple[float, ...]  # riskmath.clip_losses
    totals: tuple[float, ...]  # left-to-right sums of those losses

    @property
    def loss_texts(self) -> tuple[str, ...]:
        return tuple(format_decimal(loss) for loss in self.losses)

    @property
    def total_texts(self) -> tuple[str, ...]:
        """The total as shown: before the loop, then after each turn."""
        return (format_decimal(0.0),) + tuple(format_decimal(total) for total in self.totals)


@dataclass(frozen=True)
class FairnessRow:
    """One row of the 1/n demo: a dataset's losses, their sum and their average."""

    losses: tuple[float, ...]
    total: float  # left-to-right sum of the losses
    average: float  # riskmath.empirical_risk

    @property
    def n(self) -> int:
        return len(self.losses)

    @property
    def loss_texts(self) -> tuple[str, ...]:
        return tuple(format_decimal(loss) for loss in self.losses)

    @property
    def total_text(self) -> str:
        return format_decimal(self.total)

    @property
    def average_text(self) -> str:
        return format_decimal(self.average)


def epoch_losses(params: FormulaParams) -> tuple[float, ...]:
    """The clips' losses at epoch 1, from riskmath (what the loss bars segment starts from)."""
    return tuple(clip_losses([clip.base_loss for clip in params.clips], 1).tolist())


def goal_levels(params: FormulaParams) -> tuple[float, float]:
    """Q before training (epoch 1) and after it (``trained_epoch``): where the goal's meter starts and drains to."""
    base = [clip.base_loss for clip in params.clips]
    return epoch_risk(base, 1), epoch_risk(base, params.trained_epoch)


def loop_figures(params: FormulaParams) -> LoopFigures:
    """What the for-loop shows: the losses it visits and the running total after each."""
    losses = epoch_losses(params)
    return LoopFigures(losses, tuple(itertools.accumulate(losses)))


def fairness_rows(params: FormulaParams) -> tuple[FairnessRow, FairnessRow]:
    """The 1/n demo: the dataset once, then the same examples ``copies`` times over."""
    losses = epoch_losses(params)
    short, long = losses, losses * params.copies
    return (FairnessRow(short, sum(short), empirical_risk(short)), FairnessRow(long, sum(long), empirical_risk(long)))


def times_word(factor: int) -> str:
    """How many times as much, in words: 2 → "twice".

    >>> times_word(2), times_word(3)
    ('twice', 'three times')
    """
    return {2: "twice", 3: "three times", 4: "four times"}.get(factor, f"{factor} times")


def conclusion_words(short: FairnessRow, long: FairnessRow) -> str:
    """The 1/n demo's last line, its "twice" counted from the two datasets, never typed.

    >>> conclusion_words(FairnessRow((1.0,), 1.0, 1.0), FairnessRow((1.0,) * 3, 3.0, 1.0))
    'Three times the data: three times the sum, the same average.'
    """
    word = times_word(long.n // short.n)
    return f"{word[0].upper()}{word[1:]} the data: {word} the sum, the same average."

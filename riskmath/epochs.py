"""The article's training simulation: each clip's loss decays by 0.72 per epoch."""

from enum import Enum

import numpy as np
from numpy.typing import ArrayLike, NDArray

from riskmath.risk import empirical_risk
from riskmath.rounding import round_half_away

DECAY = 0.72
# The starting loss of each of the article's five training clips (dataset X).
ARTICLE_CLIP_LOSSES = (0.84, 0.67, 0.78, 0.59, 0.71)
LEARNED_BELOW = 0.08
CLOSE_BELOW = 0.25


class Level(str, Enum):  # noqa: UP042  (a StrEnum would change str() and format() of a level)
    """How good a loss is; scenes map each level to a colour."""

    GOOD = "good"
    FAIR = "fair"
    POOR = "poor"


def clip_losses(base_losses: ArrayLike, epoch: int, decay: float = DECAY) -> NDArray[np.float64]:
    """Each clip's loss at ``epoch`` (1-based): base × decay^(epoch−1), rounded to 2 decimals.

    >>> clip_losses([0.84, 0.67, 0.78, 0.59, 0.71], 2).tolist()
    [0.6, 0.48, 0.56, 0.42, 0.51]
    """
    base = np.asarray(base_losses, dtype=np.float64)
    if base.ndim != 1 or base.size == 0 or np.any(base < 0):
        raise ValueError("base_losses must be a non-empty 1-D sequence of non-negative numbers")
    if int(epoch) != epoch or epoch < 1:
        raise ValueError(f"epoch must be an integer ≥ 1, got {epoch!r}")
    if not 0 < decay <= 1:
        raise ValueError(f"decay must be in (0, 1], got {decay!r}")
    return round_half_away(base * decay ** (epoch - 1), 2)


def epoch_risk(base_losses: ArrayLike, epoch: int, decay: float = DECAY) -> float:
    """Q at ``epoch``: the mean of the rounded clip losses, rounded to 2 decimals.

    >>> epoch_risk([0.84, 0.67, 0.78, 0.59, 0.71], 1)
    0.72
    """
    return round_half_away(empirical_risk(clip_losses(base_losses, epoch, decay)), 2)


def risk_level(q: float) -> Level:
    """GOOD once the model has learned (Q < 0.08), FAIR while Q < 0.25, else POOR.

    >>> risk_level(0.07), risk_level(0.08), risk_level(0.25)
    (<Level.GOOD: 'good'>, <Level.FAIR: 'fair'>, <Level.POOR: 'poor'>)
    """
    if q < LEARNED_BELOW:
        return Level.GOOD
    return Level.FAIR if q < CLOSE_BELOW else Level.POOR


def first_learned_epoch(base_losses: ArrayLike, decay: float = DECAY, max_epoch: int = 1000) -> int | None:
    """The first epoch whose Q is below the "learned" threshold, or None within ``max_epoch``.

    >>> first_learned_epoch([0.84, 0.67, 0.78, 0.59, 0.71])
    8
    """
    for epoch in range(1, max_epoch + 1):
        if risk_level(epoch_risk(base_losses, epoch, decay)) is Level.GOOD:
            return epoch
    return None

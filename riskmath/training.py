"""A real model learning: a line y = w·x + b fitted by gradient descent on Q."""

from dataclasses import dataclass
from typing import NamedTuple

import numpy as np
from numpy.typing import ArrayLike, NDArray

from riskmath.risk import empirical_risk


@dataclass(frozen=True)
class TrainingStep:
    """The model after ``step`` updates: its weights, each example's loss L and their mean Q."""

    step: int
    w: float
    b: float
    losses: tuple[float, ...]
    q: float


class Dataset(NamedTuple):
    """The tiny model's examples: inputs ``xs`` and targets ``ys``, one per point."""

    xs: NDArray[np.float64]
    ys: NDArray[np.float64]


def make_dataset(n: int = 5, slope: float = 2.0, intercept: float = 0.5, noise: float = 0.1, seed: int = 0) -> Dataset:
    """``n`` seeded points near the line y = slope·x + intercept, x evenly spread over [0, 1].

    >>> xs, ys = make_dataset(n=3, noise=0.0)
    >>> xs.tolist(), ys.tolist()
    ([0.0, 0.5, 1.0], [0.5, 1.5, 2.5])
    """
    if n < 1:
        raise ValueError(f"n must be ≥ 1, got {n!r}")
    xs = np.linspace(0.0, 1.0, n)
    ys = slope * xs + intercept + noise * np.random.default_rng(seed).standard_normal(n)
    return Dataset(xs, ys)


def _losses(xs: NDArray[np.float64], ys: NDArray[np.float64], w: float, b: float) -> NDArray[np.float64]:
    return (w * xs + b - ys) ** 2


def line_risk(xs: ArrayLike, ys: ArrayLike, w: float, b: float) -> float:
    """Q of the line y = w·x + b on the dataset: the mean squared error.

    >>> line_risk([0.0, 1.0], [1.0, 3.0], w=2.0, b=1.0)
    0.0
    """
    xs, ys = np.asarray(xs, dtype=np.float64), np.asarray(ys, dtype=np.float64)
    return empirical_risk(_losses(xs, ys, w, b))


def risk_gradient(xs: ArrayLike, ys: ArrayLike, w: float, b: float) -> tuple[float, float]:
    """The slope of Q(w, b) = mean((w·x + b − y)²) along w and along b: (∂Q/∂w, ∂Q/∂b).

    Gradient descent steps against it; along w alone it is the slope of the Q landscape at w.

    >>> risk_gradient([0.0, 1.0], [1.0, 3.0], w=2.0, b=1.0)  # the line fits: flat
    (0.0, 0.0)
    >>> risk_gradient([0.0, 1.0], [1.0, 3.0], w=3.0, b=1.0)  # too steep: Q rises with w
    (1.0, 1.0)
    """
    xs, ys = np.asarray(xs, dtype=np.float64), np.asarray(ys, dtype=np.float64)
    residual = w * xs + b - ys
    return 2 * float(np.mean(residual * xs)), 2 * float(np.mean(residual))


def train(
    xs: ArrayLike, ys: ArrayLike, steps: int = 12, learning_rate: float = 0.3, w0: float = 0.0, b0: float = 0.0
) -> list[TrainingStep]:
    """Gradient descent on Q(w, b) = mean((w·x + b − y)²); one TrainingStep per update, step 0 first.

    >>> history = train(*make_dataset(), steps=5)
    >>> len(history), history[-1].q < history[0].q
    (6, True)
    """
    xs, ys = np.asarray(xs, dtype=np.float64), np.asarray(ys, dtype=np.float64)
    if xs.shape != ys.shape or xs.ndim != 1 or xs.size == 0:
        raise ValueError("xs and ys must be 1-D sequences of the same, non-zero length")
    if steps < 0 or learning_rate <= 0:
        raise ValueError("steps must be ≥ 0 and learning_rate > 0")
    w, b = float(w0), float(b0)
    history: list[TrainingStep] = []
    for step in range(steps + 1):
        losses = _losses(xs, ys, w, b)
        history.append(TrainingStep(step, w, b, tuple(losses.tolist()), empirical_risk(losses)))
        slope_w, slope_b = risk_gradient(xs, ys, w, b)
        w -= learning_rate * slope_w
        b -= learning_rate * slope_b
    return history


def best_weight(xs: ArrayLike, ys: ArrayLike, b: float) -> float:
    """The w at the bottom of Q(w) = mean((w·x + b − y)²) with b held fixed: mean((y − b)·x) / mean(x²).

    >>> best_weight([0.0, 1.0, 2.0], [1.0, 3.0, 5.0], b=1.0)
    2.0
    """
    xs, ys = np.asarray(xs, dtype=np.float64), np.asarray(ys, dtype=np.float64)
    spread = float(np.mean(xs * xs))
    if spread == 0:
        raise ValueError("every x is 0: Q does not depend on w")
    return float(np.mean((ys - b) * xs)) / spread


class Landscape(NamedTuple):
    """Q over w (b held fixed) sampled at ``ws``, its values ``qs``, and a descent ``path`` of (w, Q) pairs."""

    ws: NDArray[np.float64]
    qs: NDArray[np.float64]
    path: list[tuple[float, float]]


def descent_on_landscape(
    xs: ArrayLike,
    ys: ArrayLike,
    b: float,
    w0: float,
    steps: int = 8,
    learning_rate: float = 0.5,
    span: tuple[float, float] | None = None,
    samples: int = 121,
    margin: float = 0.35,
) -> Landscape:
    """Q as a function of w alone (b held fixed), and a gradient-descent path down it.

    Returns a ``Landscape``, which unpacks as ``ws, qs, path``: the landscape sampled at ``samples``
    points of ``span``, and the path as a list of (w, Q(w)) pairs, ``steps + 1`` long, starting at
    ``w0``. Without ``span``, the landscape is centred on its lowest point (``best_weight``) and wide
    enough for the whole path with ``margin`` (a share of its half-width) to spare.

    >>> ws, qs, path = descent_on_landscape(*make_dataset(), b=0.5, w0=-0.5)
    >>> len(ws), len(path), path[-1][1] < path[0][1], bool(ws[0] <= -0.5 <= path[-1][0] <= ws[-1])
    (121, 9, True, True)
    """
    xs, ys = np.asarray(xs, dtype=np.float64), np.asarray(ys, dtype=np.float64)
    path: list[tuple[float, float]] = []
    w = float(w0)
    for _ in range(steps + 1):
        path.append((w, line_risk(xs, ys, w, b)))
        w -= learning_rate * risk_gradient(xs, ys, w, b)[0]
    if span is None:
        centre = best_weight(xs, ys, b)
        half = max(abs(w - centre) for w, _ in path) * (1 + margin) + 0.1
        span = (centre - half, centre + half)
    ws = np.linspace(span[0], span[1], samples)
    qs = np.array([line_risk(xs, ys, w, b) for w in ws])
    return Landscape(ws, qs, path)

"""The tiny model of the training loop and the outro: a line y = w·x + b fitted by riskmath.train.

``TinyModelParams`` holds the dataset and the training run both scenes share; ``training_figures``
is every step of the run as the scenes show it; ``LinePlot`` draws the data, the line and each
point's gap to it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from manim import Circle, Dot, Line, VGroup
from pydantic import Field

from riskmath import Level, make_dataset, risk_level, train
from scenes.fields import SceneParams, Text
from scenes.parts import text
from scenes.parts.components import format_decimal
from scenes.parts.plots import CornerAxes
from scenes.theme import TYPE, Theme


class DatasetParams(SceneParams):
    """The small dataset the training loop and the outro share (riskmath.make_dataset)."""

    points: int = Field(8, ge=2, le=20)
    slope: float = Field(2.0, ge=-5, le=5)
    intercept: float = Field(0.5, ge=-5, le=5)
    noise: float = Field(0.15, ge=0, le=1)
    data_seed: int | None = Field(None, ge=0, le=2**32 - 1)  # None: the video's seed

    def dataset(self, seed: int) -> tuple[np.ndarray, np.ndarray]:
        """(xs, ys) drawn with ``data_seed``, or with the video's ``seed`` when it is None."""
        data_seed = seed if self.data_seed is None else self.data_seed
        return make_dataset(self.points, self.slope, self.intercept, self.noise, data_seed)


class TinyModelParams(DatasetParams):
    """The dataset and the training run (riskmath.train): one turn of the loop per step."""

    turns: int = Field(10, ge=1, le=20)
    learning_rate: float = Field(0.7, gt=0, le=0.7)  # ≤ 0.7 keeps the descent stable for x in [0, 1]
    w0: float = Field(0.0, ge=-5, le=5)
    # b starts off the data's intercept: held there, w alone cannot bring Q under the line the run gets under
    b0: float = Field(1.0, ge=-5, le=5)
    q_places: int = Field(3, ge=1, le=4)
    target_label: Text = "learned"  # over the dashed line at riskmath's threshold on every chart of Q


@dataclass(frozen=True)
class StepFigures:
    """The model after ``step`` updates, straight from riskmath.train."""

    step: int
    w: float
    b: float
    losses: tuple[float, ...]  # L of each example
    q: float
    q_text: str

    @property
    def level(self) -> Level:
        """Q's level as shown (rounded as ``q_text``): a read-out saying 0.080 is not yet below 0.08."""
        return risk_level(float(self.q_text))


def training_figures(params: TinyModelParams, seed: int) -> list[StepFigures]:
    """One StepFigures per TrainingStep of riskmath.train, step 0 (untrained) first."""
    xs, ys = params.dataset(seed)
    history = train(xs, ys, steps=params.turns, learning_rate=params.learning_rate, w0=params.w0, b0=params.b0)
    return [StepFigures(s.step, s.w, s.b, s.losses, s.q, format_decimal(s.q, params.q_places)) for s in history]


def plot_y_range(ys: Sequence[float] | np.ndarray, figures: Sequence[StepFigures], xs: Sequence[float] = (0.0, 1.0),
                 pad: float = 0.25) -> tuple[float, float]:
    """(low, high) of the data plot: every point and every line over ``xs``, with ``pad`` to spare."""
    values = list(ys) + [f.w * x + f.b for f in figures for x in xs]
    low, high = min(values) - pad, max(values) + pad
    return float(low), float(max(high, low + 2 * pad))


class LinePlot(VGroup):
    """The data as dots over corner axes, the model's line across x ∈ [0, 1] and each dot's gap to it.

    ``axes``, ``dots``, ``line`` and ``gaps`` are parts; ``set_model(figures)`` gives the line
    and gaps of another step (for Transform targets, see ``model_targets``).
    """

    def __init__(self, theme: Theme, xs: Sequence[float] | np.ndarray, ys: Sequence[float] | np.ndarray,
                 figures: Sequence[StepFigures],
                 width: float, height: float, centre: tuple[float, float], **kwargs: Any) -> None:
        self.theme = theme
        self.xs, self.ys = list(xs), list(ys)
        low, high = plot_y_range(ys, figures)
        self.axes = CornerAxes(theme, (-0.1, 1.08), (low, high), width, height, centre,
                               x_label=text.mono(theme, "x", size=TYPE.small, color=theme.ink2),
                               y_label=text.mono(theme, "y", size=TYPE.small, color=theme.ink2))
        self.dots = VGroup(*(Dot(self.axes.c2p(x, y), radius=0.075, color=theme.ink2) for x, y in zip(xs, ys,
                                                                                                      strict=False)))
        self.line, self.gaps = self.get_line(figures[0]), self.get_gaps(figures[0])
        super().__init__(self.axes, self.gaps, self.line, self.dots, **kwargs)

    def get_line(self, figures: StepFigures) -> Line:
        """The line y = w·x + b of ``figures`` over x ∈ [0, 1]."""
        return Line(self.axes.c2p(0, figures.b), self.axes.c2p(1, figures.w + figures.b), color=self.theme.ink,
                    stroke_width=5)

    def get_gaps(self, figures: StepFigures) -> VGroup:
        """From each dot to the line: the errors whose squares are the losses L."""
        return VGroup(*(
            Line(self.axes.c2p(x, y), self.axes.c2p(x, figures.w * x + figures.b), color=self.theme.ink3,
                 stroke_width=3)
            for x, y in zip(self.xs, self.ys, strict=False)
        ))

    def get_marker(self, index: int) -> Circle:
        """A ring round example ``index``: the one being looked at."""
        return Circle(radius=0.17, color=self.theme.ink, stroke_width=3.5).move_to(self.dots[index])

"""The numbers behind the video: empirical risk, its epoch schedule, pixel losses, and a tiny
model trained by gradient descent. Pure numpy; no manim. Every figure a scene shows comes from here.
"""

from riskmath.epochs import (
    ARTICLE_CLIP_LOSSES,
    DECAY,
    Level,
    clip_losses,
    epoch_risk,
    first_learned_epoch,
    risk_level,
)
from riskmath.pixels import (
    error_cell_rgb,
    error_grid,
    loss_level,
    model_output,
    pixel_loss,
    sample_image,
    squared_grid,
)
from riskmath.risk import empirical_risk, pixel_mse
from riskmath.rounding import round_half_away
from riskmath.training import Dataset, Landscape, TrainingStep, descent_on_landscape, line_risk, make_dataset, train

__all__ = [
    "ARTICLE_CLIP_LOSSES",
    "DECAY",
    "Dataset",
    "Landscape",
    "Level",
    "TrainingStep",
    "clip_losses",
    "descent_on_landscape",
    "empirical_risk",
    "epoch_risk",
    "error_cell_rgb",
    "error_grid",
    "first_learned_epoch",
    "loss_level",
    "line_risk",
    "make_dataset",
    "model_output",
    "pixel_loss",
    "pixel_mse",
    "risk_level",
    "round_half_away",
    "squared_grid",
    "sample_image",
    "train",
]

"""Images as grids of numbers: a 5×5 test image, a noisy model output, and the loss between them."""

import numpy as np

from riskmath.epochs import Level
from riskmath.risk import PIXEL_MAX, _as_grid, pixel_mse
from riskmath.rounding import round_half_away

NOISE_SPREAD = 150  # the article's largest pixel error at noise 1
GOOD_LOSS_BELOW = 0.05
FAIR_LOSS_BELOW = 0.2


def sample_image():
    """A 5×5 grayscale image (a small glowing diamond), values 0..255.

    >>> sample_image().shape, int(sample_image().max()), int(sample_image()[0, 2])
    ((5, 5), 255, 200)
    """
    return np.array(
        [
            [30, 60, 200, 60, 30],
            [60, 200, 240, 200, 60],
            [200, 240, 255, 240, 200],
            [60, 200, 240, 200, 60],
            [30, 60, 200, 60, 30],
        ],
        dtype=int,
    )


def model_output(real, noise, seed):
    """The model's attempt at ``real``: clip(real + round(u·150·noise)), u ~ uniform[−1, 1], seeded.

    The same seed draws the same u whatever the noise, so less noise always means smaller errors.

    >>> out = model_output(sample_image(), 0.0, seed=7)
    >>> bool((out == sample_image()).all())
    True
    """
    grid = _as_grid(real, "real")
    if not 0 <= noise <= 1:
        raise ValueError(f"noise must be between 0 and 1, got {noise!r}")
    u = np.random.default_rng(seed).uniform(-1.0, 1.0, size=grid.shape)
    shifted = grid + round_half_away(u * NOISE_SPREAD * noise)
    return np.clip(shifted, 0, PIXEL_MAX).astype(int)


def error_grid(real, output):
    """Per-pixel error |real − output|.

    >>> error_grid([[200, 10]], [[120, 30]]).tolist()
    [[80, 20]]
    """
    a, b = _as_grid(real, "real"), _as_grid(output, "output")
    if a.shape != b.shape:
        raise ValueError(f"real and output must have the same shape, got {a.shape} and {b.shape}")
    return np.abs(a - b).astype(int)


def squared_grid(real, output):
    """Per-pixel squared error (real − output)².

    >>> squared_grid([[200]], [[120]]).tolist()
    [[6400]]
    """
    return error_grid(real, output) ** 2


def pixel_loss(real, output):
    """L(a, xᵢ) for one image: mean((real − output)²) / 255², rounded to 3 decimals.

    >>> pixel_loss([[200]], [[120]])
    0.098
    """
    return round_half_away(pixel_mse(real, output), 3)


def loss_level(loss):
    """GOOD when L < 0.05, FAIR when L < 0.2, else POOR.

    >>> loss_level(0.049), loss_level(0.05), loss_level(0.2)
    (<Level.GOOD: 'good'>, <Level.FAIR: 'fair'>, <Level.POOR: 'poor'>)
    """
    if loss < GOOD_LOSS_BELOW:
        return Level.GOOD
    return Level.FAIR if loss < FAIR_LOSS_BELOW else Level.POOR


def error_cell_rgb(diff):
    """The article's heat colour for an error cell, as 0..255 (r, g, b).

    t = min(1, diff/150) blends from green-grey (t = 0) to red (t = 1).

    >>> error_cell_rgb(0), error_cell_rgb(150), error_cell_rgb(75)
    ((60, 150, 60), (200, 30, 30), (130, 90, 45))
    """
    if diff < 0:
        raise ValueError(f"diff must be non-negative, got {diff!r}")
    t = min(1.0, diff / NOISE_SPREAD)
    channels = (200 * t + 60 * (1 - t), 30 * t + 150 * (1 - t), 30 * t + 60 * (1 - t))
    return tuple(int(round_half_away(c)) for c in channels)

"""Empirical risk: the average of per-example losses, Q(a, X) = 1/n · Σ L(a, xᵢ)."""

import numpy as np
from numpy.typing import ArrayLike, NDArray

PIXEL_MAX = 255


def empirical_risk(losses: ArrayLike) -> float:
    """Mean of the per-example losses ``L(a, x_i)``: the model's Q on the dataset.

    >>> round(empirical_risk([0.84, 0.67, 0.78, 0.59, 0.71]), 6)
    0.718
    >>> empirical_risk([0.5, 0.5, 0.5, 0.5])  # a bigger dataset, same Q
    0.5
    """
    values = np.asarray(losses, dtype=np.float64)
    if values.ndim != 1 or values.size == 0:
        raise ValueError(f"losses must be a non-empty 1-D sequence, got shape {values.shape}")
    if not np.all(np.isfinite(values)) or np.any(values < 0):
        raise ValueError("losses must be finite and non-negative")
    # Left-to-right sum then divide, as the article's JavaScript does, so rounding agrees with it.
    listed: list[float] = values.tolist()
    return sum(listed) / values.size


def pixel_mse(real: ArrayLike, output: ArrayLike) -> float:
    """Mean squared pixel difference normalised to [0, 1] by 255².

    ``real`` and ``output`` are grayscale grids of the same shape with values in 0..255.

    >>> pixel_mse([[200]], [[120]])  # (200 - 120)² / 255²
    0.09842368319876971
    >>> pixel_mse([[0, 255]], [[0, 255]])
    0.0
    """
    a = _as_grid(real, "real")
    b = _as_grid(output, "output")
    if a.shape != b.shape:
        raise ValueError(f"real and output must have the same shape, got {a.shape} and {b.shape}")
    return float(np.mean((a - b) ** 2) / PIXEL_MAX**2)


def _as_grid(values: ArrayLike | None, name: str) -> NDArray[np.float64]:
    """``values`` as a float grid, checked: non-empty, 2-D, every value in 0..255 (None is no grid)."""
    grid = np.asarray(values, dtype=np.float64)
    if grid.ndim != 2 or grid.size == 0:
        raise ValueError(f"{name} must be a non-empty 2-D grid, got shape {grid.shape}")
    if np.any(grid < 0) or np.any(grid > PIXEL_MAX):
        raise ValueError(f"{name} values must lie in 0..{PIXEL_MAX}")
    return grid

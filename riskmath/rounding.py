"""Rounding the way the source article does it (JavaScript ``Math.round``), not Python's ``round``."""

from collections.abc import Sequence
from typing import Any, overload

import numpy as np
from numpy.typing import ArrayLike, NDArray


@overload
def round_half_away(x: float | np.number[Any], decimals: int | np.integer[Any] = 0) -> float: ...


@overload
def round_half_away(
    x: NDArray[Any] | Sequence[float] | Sequence[Sequence[float]], decimals: int | np.integer[Any] = 0
) -> NDArray[np.float64]: ...


def round_half_away(x: ArrayLike, decimals: int | np.integer[Any] = 0) -> float | NDArray[np.float64]:
    """Round to ``decimals`` places, halves away from zero, as ``Math.round(x * 10**d) / 10**d``.

    Python's ``round`` rounds halves to even ("banker's rounding"); the article does not. A number
    gives a float, a sequence or an array gives an array of the same shape (a 0-d array gives a float).

    >>> round_half_away(0.125, 2), round(0.125, 2)
    (0.13, 0.12)
    >>> round_half_away(2.5), round_half_away(-2.5)
    (3.0, -3.0)
    >>> round_half_away([0.844, 0.845], 2).tolist()
    [0.84, 0.85]
    """
    if not isinstance(decimals, (int, np.integer)) or decimals < 0:
        raise ValueError(f"decimals must be a non-negative integer, got {decimals!r}")
    scale = 10.0**decimals
    values = np.asarray(x, dtype=np.float64)
    rounded: NDArray[np.float64] = np.sign(values) * np.floor(np.abs(values) * scale + 0.5) / scale
    return float(rounded) if rounded.ndim == 0 else rounded

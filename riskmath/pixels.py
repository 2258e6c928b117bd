"""Images as grids of numbers: a 5×5 test image, a noisy model output, and the loss between them."""

from dataclasses import dataclass
from typing import NamedTuple, overload

import numpy as np
from numpy.typing import ArrayLike, NDArray

from riskmath.epochs import Level
from riskmath.risk import PIXEL_MAX, _as_grid, pixel_mse
from riskmath.rounding import round_half_away

NOISE_SPREAD = 150  # the article's largest pixel error at noise 1
GOOD_LOSS_BELOW = 0.05
FAIR_LOSS_BELOW = 0.2

RGB = tuple[int, int, int]  # a colour's channels, each 0..255


def sample_image() -> NDArray[np.int_]:
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
        dtype=np.int_,
    )


class Pin(NamedTuple):
    """A cell whose output is fixed: at noise ``noise`` the model says exactly ``output`` there."""

    cell: tuple[int, int]
    output: int
    noise: float


@overload
def noise_draws(
    shape: tuple[int, ...], seed: int, pin: None = None, real: ArrayLike | None = None
) -> NDArray[np.float64]: ...


@overload
def noise_draws(shape: tuple[int, ...], seed: int, pin: Pin, real: ArrayLike) -> NDArray[np.float64]: ...


def noise_draws(
    shape: tuple[int, ...], seed: int, pin: Pin | None = None, real: ArrayLike | None = None
) -> NDArray[np.float64]:
    """The seeded draws u ~ uniform[−1, 1] behind the model's errors, one per pixel.

    With a ``pin`` (and the ``real`` image), the pinned cell's draw is chosen so that at the pin's
    noise the output there is exactly the pin's value; every other draw is left as the seed made it.

    >>> u = noise_draws((5, 5), 316, Pin((1, 1), 120, 0.6), sample_image())
    >>> round(float(u[1, 1]), 4), bool((abs(u) <= 1).all())
    (-0.8889, True)
    """
    draws = np.random.default_rng(seed).uniform(-1.0, 1.0, size=shape)
    if pin is None:
        return draws
    grid = _as_grid(real, "real")
    if grid.shape != tuple(shape):
        raise ValueError(f"real has shape {grid.shape}, the draws {tuple(shape)}")
    row, col = pin.cell
    if not (0 <= row < grid.shape[0] and 0 <= col < grid.shape[1]):
        raise ValueError(f"pinned cell {pin.cell} is outside the {grid.shape} image")
    if not 0 <= pin.output <= PIXEL_MAX:
        raise ValueError(f"pinned output must lie in 0..{PIXEL_MAX}, got {pin.output!r}")
    if not 0 < pin.noise <= 1:
        raise ValueError(f"a pin needs a noise in (0, 1], got {pin.noise!r}")
    draw = (pin.output - grid[row, col]) / (NOISE_SPREAD * pin.noise)
    if abs(draw) > 1:
        reach = int(round_half_away(NOISE_SPREAD * pin.noise))
        raise ValueError(
            f"at noise {pin.noise} the model is off by at most {reach}: it cannot say {pin.output} "
            f"where the image is {int(grid[row, col])}"
        )
    draws[row, col] = draw
    return draws


def model_output(real: ArrayLike, noise: float, seed: int, pin: Pin | None = None) -> NDArray[np.int_]:
    """The model's attempt at ``real``: clip(real + round(u·150·noise)), u ~ uniform[−1, 1], seeded.

    The same seed draws the same u whatever the noise, so less noise always means smaller errors.
    A ``pin`` fixes one cell's output at one noise (see ``noise_draws``): the worked pixel.

    >>> out = model_output(sample_image(), 0.0, seed=7)
    >>> bool((out == sample_image()).all())
    True
    >>> pinned = model_output(sample_image(), 0.6, 316, Pin((1, 1), 120, 0.6))
    >>> int(sample_image()[1, 1]), int(pinned[1, 1])
    (200, 120)
    """
    grid = _as_grid(real, "real")
    if not 0 <= noise <= 1:
        raise ValueError(f"noise must be between 0 and 1, got {noise!r}")
    u = noise_draws(grid.shape, seed, pin, grid)
    shifted = grid + round_half_away(u * NOISE_SPREAD * noise)
    return np.clip(shifted, 0, PIXEL_MAX).astype(np.int_)


def largest_error(noise: float) -> int:
    """How far off the model can be on one pixel at ``noise``: round(150 · noise).

    >>> largest_error(0.6), largest_error(1.0)
    (90, 150)
    """
    if not 0 <= noise <= 1:
        raise ValueError(f"noise must be between 0 and 1, got {noise!r}")
    return int(round_half_away(NOISE_SPREAD * noise))


def error_grid(real: ArrayLike, output: ArrayLike) -> NDArray[np.int_]:
    """Per-pixel error |real − output|.

    >>> error_grid([[200, 10]], [[120, 30]]).tolist()
    [[80, 20]]
    """
    a, b = _as_grid(real, "real"), _as_grid(output, "output")
    if a.shape != b.shape:
        raise ValueError(f"real and output must have the same shape, got {a.shape} and {b.shape}")
    return np.abs(a - b).astype(np.int_)


def squared_grid(real: ArrayLike, output: ArrayLike) -> NDArray[np.int_]:
    """Per-pixel squared error (real − output)².

    >>> squared_grid([[200]], [[120]]).tolist()
    [[6400]]
    """
    return error_grid(real, output) ** 2


def pixel_loss(real: ArrayLike, output: ArrayLike) -> float:
    """L(a, xᵢ) for one image: mean((real − output)²) / 255², rounded to 3 decimals.

    >>> pixel_loss([[200]], [[120]])
    0.098
    """
    return round_half_away(pixel_mse(real, output), 3)


def loss_level(loss: float) -> Level:
    """GOOD when L < 0.05, FAIR when L < 0.2, else POOR.

    >>> loss_level(0.049), loss_level(0.05), loss_level(0.2)
    (<Level.GOOD: 'good'>, <Level.FAIR: 'fair'>, <Level.POOR: 'poor'>)
    """
    if loss < GOOD_LOSS_BELOW:
        return Level.GOOD
    return Level.FAIR if loss < FAIR_LOSS_BELOW else Level.POOR


def error_cell_rgb(diff: float) -> RGB:
    """The article's heat colour for an error cell, as 0..255 (r, g, b).

    t = min(1, diff/150) blends from green-grey (t = 0) to red (t = 1).

    >>> error_cell_rgb(0), error_cell_rgb(150), error_cell_rgb(75)
    ((60, 150, 60), (200, 30, 30), (130, 90, 45))
    """
    if diff < 0:
        raise ValueError(f"diff must be non-negative, got {diff!r}")
    t = min(1.0, diff / NOISE_SPREAD)
    red, green, blue = (200 * t + 60 * (1 - t), 30 * t + 150 * (1 - t), 30 * t + 60 * (1 - t))
    return int(round_half_away(red)), int(round_half_away(green)), int(round_half_away(blue))


def squared_cell_rgb(square: float, mean_error: float) -> RGB:
    """The heat colour of a squared error: ``error_cell_rgb`` at square / ``mean_error``.

    Squaring stretches the heat map: a cell at the grid's mean error keeps its colour, one at twice
    the mean error glows twice as hot, one at half of it cools by half.

    >>> squared_cell_rgb(40 * 40, 40) == error_cell_rgb(40), squared_cell_rgb(80 * 80, 40) == error_cell_rgb(160)
    (True, True)
    """
    if square < 0 or mean_error < 0:
        raise ValueError("square and mean_error must be non-negative")
    return error_cell_rgb(square / mean_error) if mean_error > 0 else error_cell_rgb(0)


@dataclass(frozen=True)
class Comparison:
    """The real image against the model's output: errors, their squares, their sum and L."""

    real: NDArray[np.int_]
    output: NDArray[np.int_]
    errors: NDArray[np.int_]  # |real − output|
    squares: NDArray[np.int_]  # errors²
    total: int  # Σ errors²
    count: int  # how many pixels
    loss: float  # L = total / count / 255², rounded to 3 decimals

    @property
    def level(self) -> Level:
        return loss_level(self.loss)

    @property
    def mean_error(self) -> float:
        return float(np.mean(self.errors))

    @property
    def signed(self) -> NDArray[np.int_]:
        """real − output, with its sign: positive where the guess is too low, negative where too high."""
        return (self.real - self.output).astype(np.int_)


def compare(real: ArrayLike, output: ArrayLike) -> Comparison:
    """Every figure of one comparison, from the same two grids.

    >>> c = compare([[200, 10]], [[120, 10]])
    >>> c.errors.tolist(), c.squares.tolist(), c.total, c.count, c.loss
    ([[80, 0]], [[6400, 0]], 6400, 2, 0.049)
    >>> round_half_away(c.total / c.count / PIXEL_MAX**2, 3) == c.loss
    True
    """
    errors = error_grid(real, output)
    squares = errors**2
    return Comparison(
        real=_as_grid(real, "real").astype(np.int_),
        output=_as_grid(output, "output").astype(np.int_),
        errors=errors,
        squares=squares,
        total=int(squares.sum()),
        count=int(squares.size),
        loss=pixel_loss(real, output),
    )


def typical_miss(loss: float) -> int:
    """The pixel miss a loss ``loss`` stands for on L's scale: √loss · 255, rounded (a root mean square).

    >>> typical_miss(0.039), typical_miss(0.84)
    (50, 234)
    """
    if not 0 <= loss <= 1:
        raise ValueError(f"a pixel loss lies in 0..1, got {loss!r}")
    return int(round_half_away(np.sqrt(loss) * PIXEL_MAX))


@dataclass(frozen=True)
class Cancelling:
    """Two guesses the same distance either side of a real pixel: signed errors cancel, squares don't."""

    signed: tuple[int, int]  # real − guess for each
    signed_sum: int
    squares: tuple[int, int]
    squares_sum: int


def cancelling_pair(real: int, step: int) -> Cancelling:
    """Guesses ``step`` above and below ``real``: their signed errors add to 0, their squares do not.

    >>> cancelling_pair(200, 30)
    Cancelling(signed=(30, -30), signed_sum=0, squares=(900, 900), squares_sum=1800)
    """
    if not (real - step >= 0 and real + step <= PIXEL_MAX) or step < 0:
        raise ValueError(f"{real} ± {step} must stay within 0..{PIXEL_MAX}")
    guesses = np.array([[real - step, real + step]])
    below, above = (int(v) for v in (real - guesses)[0])
    below_square, above_square = (int(v) for v in squared_grid([[real, real]], guesses)[0])
    signed, squares = (below, above), (below_square, above_square)
    return Cancelling(signed, sum(signed), squares, sum(squares))


@dataclass(frozen=True)
class Costs:
    """A small error and a big one, and what each costs once squared."""

    small: int
    big: int
    small_square: int
    big_square: int

    @property
    def error_ratio(self) -> float:
        return self.big / self.small

    @property
    def cost_ratio(self) -> float:
        return self.big_square / self.small_square


def error_costs(small: int, big: int) -> Costs:
    """What squaring does to a small and a big error.

    >>> c = error_costs(10, 80)
    >>> c.small_square, c.big_square, c.error_ratio, c.cost_ratio
    (100, 6400, 8.0, 64.0)
    """
    if not 0 < small <= PIXEL_MAX or not 0 < big <= PIXEL_MAX:
        raise ValueError(f"errors must lie in 1..{PIXEL_MAX}")
    squares = squared_grid([[small, big]], [[0, 0]])[0]
    return Costs(int(small), int(big), int(squares[0]), int(squares[1]))

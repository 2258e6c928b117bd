"""Pixel grids, their errors and L."""

from itertools import pairwise

import numpy as np
import pytest

from riskmath import (
    Level,
    error_cell_rgb,
    error_grid,
    loss_level,
    model_output,
    pixel_loss,
    pixel_mse,
    round_half_away,
    sample_image,
    squared_grid,
)
from riskmath.pixels import (
    Pin,
    cancelling_pair,
    compare,
    error_costs,
    largest_error,
    noise_draws,
    squared_cell_rgb,
)


def test_worked_pixel():
    assert error_grid([[200]], [[120]]).tolist() == [[80]]
    assert squared_grid([[200]], [[120]]).tolist() == [[6400]]


def test_loss_of_known_grids():
    real = np.zeros((5, 5), dtype=int)
    assert pixel_loss(real, real) == 0.0
    assert pixel_loss(real, np.full((5, 5), 255)) == 1.0
    half = real.copy()
    half[0, :] = 255  # 5 of 25 cells fully wrong
    assert pixel_loss(real, half) == 0.2
    # one cell off by 80: 6400 / 25 / 65025 = 0.003937 → 0.004
    one = real.copy()
    one[2, 2] = 80
    assert pixel_loss(real, one) == 0.004


def test_loss_is_zero_only_for_identical_grids():
    image = sample_image()
    assert pixel_mse(image, image) == 0.0
    for seed in range(20):
        output = model_output(image, 0.3, seed)
        if (output != image).any():
            assert pixel_mse(image, output) > 0


def test_same_seed_same_output_and_different_seed_differs():
    image = sample_image()
    assert (model_output(image, 0.6, 42) == model_output(image, 0.6, 42)).all()
    assert (model_output(image, 0.6, 42) != model_output(image, 0.6, 43)).any()


def test_output_stays_in_pixel_range():
    out = model_output(sample_image(), 1.0, 3)
    assert out.min() >= 0 and out.max() <= 255 and out.dtype.kind == "i"


def test_less_noise_never_means_more_loss():
    image = sample_image()
    losses = [pixel_mse(image, model_output(image, n, 5)) for n in (1.0, 0.8, 0.6, 0.4, 0.2, 0.0)]
    assert all(a >= b for a, b in pairwise(losses))
    assert losses[-1] == 0.0


def test_loss_levels_and_heat_colours():
    assert [loss_level(x) for x in (0.01, 0.1, 0.3)] == [Level.GOOD, Level.FAIR, Level.POOR]
    assert error_cell_rgb(0) == (60, 150, 60)
    assert error_cell_rgb(150) == error_cell_rgb(255) == (200, 30, 30)


@pytest.mark.parametrize("noise", [-0.1, 1.1])
def test_noise_out_of_range_is_rejected(noise):
    with pytest.raises(ValueError, match="noise"):
        model_output(sample_image(), noise, 0)


def test_mismatched_shapes_are_rejected():
    with pytest.raises(ValueError, match="same shape"):
        pixel_mse(np.zeros((5, 5)), np.zeros((4, 5)))


WORKED = Pin((1, 1), 120, 0.6)


def test_pinned_worked_pixel_is_one_real_cell_in_all_three_grids():
    real = sample_image()
    comparison = compare(real, model_output(real, 0.6, 316, WORKED))
    cell = WORKED.cell
    assert (comparison.real[cell], comparison.output[cell]) == (200, 120)
    assert (comparison.errors[cell], comparison.squares[cell]) == (80, 6400)
    # The pin moves one draw only: every other cell is what the seed made.
    plain = model_output(real, 0.6, 316)
    others = np.ones(real.shape, dtype=bool)
    others[cell] = False
    assert (plain[others] == comparison.output[others]).all()


def test_pinned_draw_keeps_less_noise_meaning_less_loss():
    real = sample_image()
    losses = [pixel_loss(real, model_output(real, n, 316, WORKED)) for n in (1.0, 0.8, 0.6, 0.4, 0.2, 0.1)]
    assert losses == sorted(losses, reverse=True)
    assert losses[-1] < losses[0]


def test_pin_out_of_reach_or_outside_the_image_is_rejected():
    real = sample_image()
    with pytest.raises(ValueError, match="at most 30"):
        model_output(real, 0.2, 316, Pin((1, 1), 120, 0.2))  # 80 off, but noise 0.2 reaches 30
    with pytest.raises(ValueError, match="outside"):
        noise_draws((5, 5), 316, Pin((5, 0), 120, 0.6), real)
    with pytest.raises(ValueError, match="noise"):
        noise_draws((5, 5), 316, Pin((1, 1), 120, 0.0), real)


def test_comparison_sum_over_count_and_255_squared_is_l():
    real = sample_image()
    for noise in (1.0, 0.6, 0.1):
        c = compare(real, model_output(real, noise, 316, WORKED))
        assert c.count == real.size
        assert c.total == int(((real - c.output) ** 2).sum())
        assert c.loss == pixel_loss(real, c.output)
        assert round_half_away(c.total / c.count / 255**2, 3) == c.loss


def test_largest_error_and_squared_heat():
    assert largest_error(0.6) == 90
    assert squared_cell_rgb(30 * 30, 30) == error_cell_rgb(30)  # the mean error keeps its colour
    assert squared_cell_rgb(0, 0) == error_cell_rgb(0)


def test_why_square_figures():
    pair = cancelling_pair(200, 30)
    assert pair.signed_sum == 0 and pair.squares_sum == 1800
    costs = error_costs(10, 80)
    assert (costs.error_ratio, costs.cost_ratio) == (8, 64)
    with pytest.raises(ValueError):
        cancelling_pair(240, 30)

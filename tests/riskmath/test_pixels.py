"""Pixel grids, their errors and L."""

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
    squared_grid,
    sample_image,
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
    assert all(a >= b for a, b in zip(losses, losses[1:]))
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

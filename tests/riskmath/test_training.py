"""The tiny model really learns, deterministically."""

from itertools import pairwise

import numpy as np
import pytest

from riskmath import descent_on_landscape, empirical_risk, line_risk, make_dataset, train
from riskmath.training import best_weight, risk_gradient


def test_q_falls_every_step_and_matches_losses():
    history = train(*make_dataset(), steps=15)
    qs = [s.q for s in history]
    assert all(a > b for a, b in pairwise(qs))
    assert qs[-1] < qs[0] / 10
    for s in history:
        assert s.q == empirical_risk(s.losses)


def test_training_is_deterministic():
    assert train(*make_dataset(seed=3)) == train(*make_dataset(seed=3))


def test_descent_path_goes_downhill_on_the_landscape():
    xs, ys = make_dataset()
    ws, qs, path = descent_on_landscape(xs, ys, b=0.5, w0=-0.5)
    path_qs = [q for _, q in path]
    assert all(a > b for a, b in pairwise(path_qs))
    assert min(qs) <= path_qs[-1]


def test_duplicated_dataset_gives_same_q():
    xs, ys = make_dataset()
    once = train(xs, ys, steps=3)
    twice = train(list(xs) * 2, list(ys) * 2, steps=3)
    assert [round(s.q, 12) for s in once] == [round(s.q, 12) for s in twice]


def test_risk_gradient_is_the_slope_of_q():
    xs, ys = make_dataset(seed=5)
    w, b, h = 0.7, -0.3, 1e-6
    slope_w, slope_b = risk_gradient(xs, ys, w, b)
    assert slope_w == pytest.approx((line_risk(xs, ys, w + h, b) - line_risk(xs, ys, w - h, b)) / (2 * h), rel=1e-6)
    assert slope_b == pytest.approx((line_risk(xs, ys, w, b + h) - line_risk(xs, ys, w, b - h)) / (2 * h), rel=1e-6)


def test_risk_gradient_is_flat_at_the_best_line():
    xs, ys = make_dataset(seed=5)
    w, b = np.polyfit(xs, ys, 1)  # least squares: the bottom of Q
    assert risk_gradient(xs, ys, w, b) == pytest.approx((0.0, 0.0), abs=1e-9)


def test_each_training_step_moves_against_the_gradient():
    xs, ys = make_dataset()
    history = train(xs, ys, steps=3, learning_rate=0.4, w0=0.2, b0=0.1)
    for before, after in pairwise(history):
        slope_w, slope_b = risk_gradient(xs, ys, before.w, before.b)
        assert (after.w, after.b) == pytest.approx((before.w - 0.4 * slope_w, before.b - 0.4 * slope_b))


def test_descent_path_steps_by_the_slope_along_w():
    xs, ys = make_dataset()
    _, _, path = descent_on_landscape(xs, ys, b=0.5, w0=0.0, steps=4, learning_rate=0.6)
    for (w, _), (w_next, _) in pairwise(path):
        assert w_next == pytest.approx(w - 0.6 * risk_gradient(xs, ys, w, 0.5)[0])


def test_best_weight_is_the_bottom_of_q_over_w():
    xs, ys = make_dataset(seed=9)
    w = best_weight(xs, ys, b=0.3)
    assert risk_gradient(xs, ys, w, 0.3)[0] == pytest.approx(0.0, abs=1e-12)
    assert line_risk(xs, ys, w, 0.3) < min(line_risk(xs, ys, w + d, 0.3) for d in (-0.01, 0.01))


@pytest.mark.parametrize("slope, w0", [(2.0, 0.0), (-5.0, 5.0), (5.0, -5.0), (0.0, 0.0)])
def test_the_landscape_always_holds_the_whole_descent_and_its_bottom(slope, w0):
    xs, ys = make_dataset(n=6, slope=slope, seed=2)
    ws, qs, path = descent_on_landscape(xs, ys, b=0.5, w0=w0, steps=6, learning_rate=0.7)
    assert ws[0] < min(w for w, _ in path) and max(w for w, _ in path) < ws[-1]
    assert ws[0] < best_weight(xs, ys, 0.5) < ws[-1]

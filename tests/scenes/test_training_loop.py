"""The training-loop scene shows riskmath's real training run, and renders."""

import numpy as np
import pytest
from manim import tempconfig
from pydantic import ValidationError

from riskmath import Level, make_dataset, risk_level, train
from scenes.components import format_decimal
from scenes.training_loop import TrainingLoopParams, TrainingLoopScene, plot_y_range, training_figures
from tests.conftest import tiny_settings

VIDEO_SEED = 316


def test_figures_are_riskmaths_training_run_with_the_video_seed():
    params = TrainingLoopParams()
    xs, ys = make_dataset(params.points, params.slope, params.intercept, params.noise, VIDEO_SEED)
    history = train(xs, ys, steps=params.turns, learning_rate=params.learning_rate, w0=params.w0, b0=params.b0)
    figures = training_figures(params, VIDEO_SEED)
    assert [(f.step, f.w, f.b, f.q) for f in figures] == [(s.step, s.w, s.b, s.q) for s in history]
    assert [f.q_text for f in figures] == [format_decimal(s.q, params.q_places) for s in history]


def test_data_seed_overrides_the_video_seed():
    params = TrainingLoopParams(data_seed=7)
    assert training_figures(params, 1) == training_figures(params, 2)
    assert training_figures(params, 1) != training_figures(TrainingLoopParams(), 1)


def test_default_run_shows_q_falling_every_turn_until_learned():
    figures = training_figures(TrainingLoopParams(), VIDEO_SEED)
    qs = [f.q for f in figures]
    assert all(a > b for a, b in zip(qs, qs[1:]))
    assert figures[0].level is Level.POOR and figures[-1].level is Level.GOOD
    assert all(f.level is risk_level(f.q) for f in figures)


def test_plot_range_holds_every_point_and_line():
    params = TrainingLoopParams()
    figures = training_figures(params, VIDEO_SEED)
    _, ys = make_dataset(params.points, params.slope, params.intercept, params.noise, VIDEO_SEED)
    low, high = plot_y_range(ys, figures)
    ends = [f.b for f in figures] + [f.w + f.b for f in figures] + list(ys)
    assert low < min(ends) and max(ends) < high


def test_step_labels_must_be_short():
    with pytest.raises(ValidationError):
        TrainingLoopParams(step_labels=("x" * 40, "b", "c", "d", "e"))


def test_tiny_render_ends_on_the_trained_line_and_its_q(tmp_path):
    params = TrainingLoopParams(turns=1, first_turn_seconds=1.0, turn_seconds=1.0, node_seconds=0.5, move_seconds=0.2, hold_seconds=0.4)
    settings = tiny_settings(tmp_path)
    with tempconfig(settings):
        scene = TrainingLoopScene(params=params, seed=VIDEO_SEED)
        scene.render()
    figures = training_figures(params, VIDEO_SEED)
    last = figures[-1]
    assert scene.readout.q_value.original_text == last.q_text
    assert scene.readout.count[1].original_text == f"{last.step} / {params.turns}"
    axes = scene.plot.axes
    np.testing.assert_allclose(scene.model.line.get_start(), axes.c2p(0, last.b), atol=1e-6)
    np.testing.assert_allclose(scene.model.line.get_end(), axes.c2p(1, last.w + last.b), atol=1e-6)
    bars = scene.bars[2:]  # after the baseline and its caption
    assert len(bars) == len(figures)
    heights = [bar.height for bar in bars]
    assert heights == sorted(heights, reverse=True)
    assert scene.renderer.file_writer.movie_file_path.exists()

"""The outro's landscape and rolling ball are riskmath's descent, and the scene renders."""

import numpy as np
import pytest
from manim import tempconfig
from pydantic import ValidationError

from riskmath import descent_on_landscape, make_dataset
from scenes.components import format_decimal
from scenes.outro import OutroParams, OutroScene, landscape, segment_qs
from tests.conftest import tiny_settings

VIDEO_SEED = 316


def _riskmath(params, seed):
    xs, ys = make_dataset(params.points, params.slope, params.intercept, params.noise, seed)
    return descent_on_landscape(
        xs, ys, params.b, params.w0, params.steps, params.learning_rate, (params.span_low, params.span_high), params.samples
    )


def test_landscape_and_path_are_riskmaths():
    params = OutroParams()
    ws, qs, path = _riskmath(params, VIDEO_SEED)
    land = landscape(params, VIDEO_SEED)
    np.testing.assert_array_equal(land.ws, ws)
    np.testing.assert_array_equal(land.qs, qs)
    assert land.path == tuple(path)
    assert land.step_texts(3) == [(format_decimal(w, 2), format_decimal(q, 3)) for w, q in path]


def test_default_ball_rolls_downhill_every_step():
    land = landscape(OutroParams(), VIDEO_SEED)
    qs = [q for _, q in land.path]
    assert all(a > b for a, b in zip(qs, qs[1:]))
    assert qs[-1] < qs[0] / 10


def test_each_roll_runs_between_the_paths_points():
    params = OutroParams()
    land = landscape(params, VIDEO_SEED)
    for (w_a, q_a), (w_b, q_b) in zip(land.path, land.path[1:]):
        ws, qs = segment_qs(params, VIDEO_SEED, w_a, w_b)
        assert (ws[0], ws[-1]) == (w_a, w_b)
        assert qs[0] == pytest.approx(q_a, rel=1e-12) and qs[-1] == pytest.approx(q_b, rel=1e-12)


def test_start_must_lie_inside_the_span():
    with pytest.raises(ValidationError):
        OutroParams(w0=6.0)
    with pytest.raises(ValidationError):
        OutroParams(span_low=2.0, span_high=1.0)


def test_a_path_leaving_the_span_is_refused():
    with pytest.raises(ValueError, match="leaves"):
        landscape(OutroParams(span_low=-1.0, span_high=0.5, w0=-0.5), VIDEO_SEED)


def test_tiny_render_ends_with_the_ball_at_the_last_step(tmp_path):
    params = OutroParams(steps=2, intro_seconds=0.2, draw_seconds=0.2, roll_seconds=0.2, hold_seconds=0.2)
    settings = tiny_settings(tmp_path)
    with tempconfig(settings):
        scene = OutroScene(params=params, seed=VIDEO_SEED)
        scene.render()
    land = landscape(params, VIDEO_SEED)
    w_text, q_text = land.step_texts(params.q_places)[-1]
    assert scene.readout.texts == (f"{params.steps} / {params.steps}", w_text, q_text)
    assert [len(v) for v in scene.readout.values] == [len(t.replace(" ", "")) for t in scene.readout.texts]
    np.testing.assert_allclose(scene.ball.get_center(), scene.rest_point(params.steps), atol=1e-3)
    assert scene.renderer.file_writer.movie_file_path.exists()

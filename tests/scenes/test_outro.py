"""The outro: Q's history becomes riskmath's landscape, the ball descends by its slope, the end card holds."""

import numpy as np
import pytest
from manim import tempconfig

from riskmath import descent_on_landscape, line_risk, make_dataset
from riskmath.training import risk_gradient
from scenes.base import Previous
from scenes.parts.formula_panel import FORMULA_PARTS
from scenes.parts.plots import QHistory
from scenes.parts.tiny_model import training_figures
from scenes.segments.outro.scene import OutroParams, OutroScene, descent
from scenes.segments.pixels.scene import PixelsParams, PixelsScene
from scenes.segments.training_loop.scene import TrainingLoopParams, TrainingLoopScene
from tests.helpers import tiny_settings
from tests.scenes.helpers import on_screen, play_beats, points_of

VIDEO_SEED = 316


@pytest.fixture(scope="module")
def played():
    return play_beats(OutroScene, seed=VIDEO_SEED)


def test_landscape_path_and_slopes_are_riskmaths():
    params = OutroParams()
    xs, ys = make_dataset(params.points, params.slope, params.intercept, params.noise, VIDEO_SEED)
    ws, qs, path = descent_on_landscape(xs, ys, params.b0, params.w0, params.descent_steps, params.learning_rate,
                                        samples=params.samples)
    d = descent(params, VIDEO_SEED)
    np.testing.assert_array_equal(d.ws, ws)
    np.testing.assert_array_equal(d.qs, qs)
    assert d.path == tuple(path)
    assert d.slopes == tuple(risk_gradient(xs, ys, w, params.b0)[0] for w, _ in path)
    # Each nudge is −rate × slope, and it is exactly the step the ball takes.
    for (w, _), (w_next, _), nudge in zip(d.path, d.path[1:], d.nudges, strict=False):
        assert w + nudge == pytest.approx(w_next, abs=1e-12)


def test_the_ball_starts_where_the_training_history_starts():
    params = OutroParams()
    first = training_figures(params, VIDEO_SEED)[0]
    assert descent(params, VIDEO_SEED).path[0][1] == pytest.approx(first.q, rel=1e-12)
    # The training loop's defaults are the outro's: the carried history is the same run.
    assert training_figures(TrainingLoopParams(), VIDEO_SEED) == training_figures(params, VIDEO_SEED)


def test_default_ball_rolls_downhill_and_its_steps_shrink_as_the_slope_flattens():
    d = descent(OutroParams(), VIDEO_SEED)
    qs = [q for _, q in d.path]
    assert all(a > b for a, b in zip(qs, qs[1:], strict=False))
    sizes = [abs(n) for n in d.nudges]
    assert all(a > b for a, b in zip(sizes, sizes[1:], strict=False))
    assert sizes[-1] < sizes[0] / 10


@pytest.mark.parametrize("changes", [dict(slope=-5.0, w0=5.0), dict(w0=-5.0, b0=5.0, noise=1.0), dict(slope=2.0, w0=2.0,
                                                                                                      noise=0.0)])
def test_any_accepted_params_draw_the_whole_descent(changes):
    params = OutroParams(**changes)
    d = descent(params, VIDEO_SEED)
    assert d.ws[0] < min(w for w, _ in d.path) and max(w for w, _ in d.path) < d.ws[-1]
    scene, pictures = play_beats(OutroScene, params, seed=VIDEO_SEED)
    assert [record.name for record in scene.beat_log] == list(OutroScene.beats)


def test_every_beat_ends_readable_and_inside_the_safe_frame(played):
    _, pictures = played
    assert list(pictures) == list(OutroScene.beats)
    for beat, picture in pictures.items():
        assert picture.too_small == [], beat
        assert picture.outside == [], beat


def test_the_ball_sits_on_the_curve_with_the_tangent_at_its_slope(played):
    scene, _ = played
    params, land = OutroParams(), scene.land
    d = descent(params, VIDEO_SEED)
    w_last, q_last = d.path[-1]
    xs, ys = params.dataset(VIDEO_SEED)
    assert land.w.get_value() == pytest.approx(w_last)
    assert q_last == pytest.approx(line_risk(xs, ys, w_last, params.b0))
    # The ball touches the curve at w: its centre is one radius from the curve's point there.
    touch = land.axes.c2p(w_last, q_last)
    assert np.linalg.norm(land.ball.get_center() - touch) == pytest.approx(land.ball.width / 2, rel=1e-3)
    start, end = land.tangent.get_start(), land.tangent.get_end()
    (x0, x1), (y0, y1) = land.axes.x_range, land.axes.y_range
    data_slope = ((end - start)[1] / land.axes.y_axis.get_length() * (y1 - y0)) / (
        (end - start)[0] / land.axes.x_axis.get_length() * (x1 - x0))
    assert data_slope == pytest.approx(d.slopes[-1], rel=1e-6)
    assert len(land.nudges) == params.descent_steps


def test_read_outs_end_on_the_last_step(played):
    scene, _ = played
    d = descent(OutroParams(), VIDEO_SEED)
    assert scene.rows["w"].number.value == d.path[-1][0]
    assert scene.rows["Q"].number.value == d.path[-1][1]
    assert scene.rows["slope"].number.value == d.slopes[-1]
    assert scene.rows["nudge"].number.value == d.nudges[-1]


def test_the_video_ends_on_a_held_end_card(played):
    scene, pictures = played
    params = OutroParams()
    assert points_of(scene.formula_panel) <= on_screen(scene)
    assert len(scene.formula_panel.formula) == len(FORMULA_PARTS)
    texts = [text for text, _ in pictures["end_card"].texts]
    for words in (params.takeaway, params.next_title, params.next_line):
        assert words.replace(" ", "") in texts
    last_plays = [record for record in scene.beat_log if record.name == "end_card"][0].plays
    assert last_plays[-1] >= 2.0  # a hold on the finished card, not a fade


def test_opens_by_turning_the_training_loops_history_into_its_own():
    scene, _ = play_beats(OutroScene, seed=VIDEO_SEED, previous=Previous(TrainingLoopScene, TrainingLoopParams()))
    carried = scene.previous_scene.history
    assert isinstance(carried, QHistory)
    assert not set(carried.get_family()) & on_screen(scene)
    assert not {m for top in scene.previous_scene.mobjects for m in top.get_family()} & on_screen(scene)


@pytest.mark.parametrize("previous", [None, Previous(PixelsScene, PixelsParams())])
def test_opens_from_anything_and_ends_the_same(previous, played):
    scene, pictures = play_beats(OutroScene, seed=VIDEO_SEED, previous=previous)
    if previous is not None:
        assert not {m for top in scene.previous_scene.mobjects for m in top.get_family()} & on_screen(scene)
    assert len(scene.mobjects) == len(played[0].mobjects)
    assert all(picture.outside == [] for picture in pictures.values())


def test_tiny_render_completes(tmp_path):
    quick = dict.fromkeys(["change_seconds", "roll_seconds", "fast_roll_seconds", "hold_seconds"], 0.2)
    with tempconfig(tiny_settings(tmp_path)):
        scene = OutroScene(params=OutroParams(descent_steps=2, **quick), seed=VIDEO_SEED, theme_name="chalkboard")
        scene.render()
    assert len(scene.land.nudges) == 2
    assert scene.renderer.file_writer.movie_file_path.exists()

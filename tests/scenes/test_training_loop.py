"""The training-loop scene: the AI's loop recalled and renamed, riskmath's real training run, Q's history."""

import numpy as np
import pytest
from manim import tempconfig
from pydantic import ValidationError

from riskmath import Level, make_dataset, risk_level, train
from scenes.base import Previous
from scenes.parts.components import format_decimal
from scenes.parts.learning_card import LearningCard
from scenes.parts.plots import QHistory
from scenes.parts.tiny_model import StepFigures as TinyModelStep
from scenes.parts.tiny_model import plot_y_range, training_figures
from scenes.segments.baby_vs_ai import BabyVsAiParams, BabyVsAiScene
from scenes.segments.pixels.scene import PixelsParams, PixelsScene
from scenes.segments.training_loop.scene import RECALLED_AS, TrainingLoopParams, TrainingLoopScene
from tests.helpers import tiny_settings
from tests.scenes.helpers import on_screen, play_beats, points_of

VIDEO_SEED = 316
FIRST_TURN = ("take_example", "measure_loss", "average_into_q", "nudge_weights")


@pytest.fixture(scope="module")
def played():
    return play_beats(TrainingLoopScene, seed=VIDEO_SEED)


def test_figures_are_riskmaths_training_run_with_the_video_seed():
    params = TrainingLoopParams()
    xs, ys = make_dataset(params.points, params.slope, params.intercept, params.noise, VIDEO_SEED)
    history = train(xs, ys, steps=params.turns, learning_rate=params.learning_rate, w0=params.w0, b0=params.b0)
    figures = training_figures(params, VIDEO_SEED)
    assert [(f.step, f.w, f.b, f.losses, f.q) for f in figures] == [(s.step, s.w, s.b, s.losses, s.q) for s in history]
    assert [f.q_text for f in figures] == [format_decimal(s.q, params.q_places) for s in history]


def test_data_seed_overrides_the_video_seed():
    params = TrainingLoopParams(data_seed=7)
    assert training_figures(params, 1) == training_figures(params, 2)
    assert training_figures(params, 1) != training_figures(TrainingLoopParams(), 1)


def test_default_run_shows_q_falling_every_turn_until_learned():
    figures = training_figures(TrainingLoopParams(), VIDEO_SEED)
    qs = [f.q for f in figures]
    assert all(a > b for a, b in zip(qs, qs[1:], strict=False))
    assert figures[0].level is Level.POOR and figures[-1].level is Level.GOOD
    assert all(f.level is risk_level(float(f.q_text)) for f in figures)  # the level of the Q a viewer reads
    # A Q that rounds to 0.080 is shown as not yet learned, however far below 0.08 it really is.
    assert TinyModelStep(0, 0.0, 0.0, (), 0.0795, "0.080").level is Level.FAIR


def test_plot_range_holds_every_point_and_line():
    params = TrainingLoopParams()
    figures = training_figures(params, VIDEO_SEED)
    _, ys = make_dataset(params.points, params.slope, params.intercept, params.noise, VIDEO_SEED)
    low, high = plot_y_range(ys, figures)
    ends = [f.b for f in figures] + [f.w + f.b for f in figures] + list(ys)
    assert low < min(ends) and max(ends) < high


def test_the_loop_has_five_steps():
    with pytest.raises(ValidationError):
        TrainingLoopParams(steps=[{"words": "only"}, {"words": "four"}, {"words": "steps"}, {"words": "here"}])


def test_every_beat_ends_readable_and_inside_the_safe_frame(played):
    _, pictures = played
    assert list(pictures) == list(TrainingLoopScene.beats)
    for beat, picture in pictures.items():
        assert picture.too_small == [], beat
        assert picture.outside == [], beat


def test_recalls_the_ai_loop_of_the_baby_segment_and_renames_its_steps(played):
    scene, _ = played
    ai_steps = BabyVsAiParams().ai_steps
    assert isinstance(scene.recalled, LearningCard) and isinstance(scene.card, LearningCard)
    shown = ["".join(line.text for line in row.label.lines) for row in scene.recalled.loop.rows]
    assert shown == [s.words.replace(" ", "") for s in ai_steps]  # Text keeps no spaces
    assert len(scene.card.loop.rows) == 5 and sorted(RECALLED_AS.values()) == [0, 1, 3, 4]
    # None of the recalled card's words or its frame is left once it has become the training loop.
    old = scene.recalled
    words = [old.heading, *(part for row in old.loop.rows for part in (row.label, row.gloss) if part is not None)]
    assert not {old.frame, old.strip, *words} & on_screen(scene)
    assert points_of(scene.card.loop.rows) <= on_screen(scene)


def test_ends_on_the_trained_model_and_its_q(played):
    scene, _ = played
    params = TrainingLoopParams()
    figures = training_figures(params, VIDEO_SEED)
    last = figures[-1]
    assert scene.q_row.number.value == last.q
    assert scene.q_row.number.text_for(last.q) == last.q_text
    assert (scene.w_row.number.value, scene.b_row.number.value) == (last.w, last.b)
    assert scene.l_row.number.value == last.losses[scene.example]
    assert scene.example == int(np.argmax(figures[0].losses))
    axes = scene.plot.axes
    np.testing.assert_allclose(scene.plot.line.get_start(), axes.c2p(0, last.b), atol=1e-6)
    np.testing.assert_allclose(scene.plot.line.get_end(), axes.c2p(1, last.w + last.b), atol=1e-6)


def test_final_state_holds_the_history_of_q_for_the_outro(played):
    scene, _ = played
    history = scene.history
    assert isinstance(history, QHistory)
    figures = training_figures(TrainingLoopParams(), VIDEO_SEED)
    assert len(history.shown) == len(figures) == TrainingLoopParams().turns + 1
    assert points_of(history.shown) <= on_screen(scene)
    heights = [bar.height for bar in history.shown]
    assert heights == sorted(heights, reverse=True)


def test_the_first_turn_is_slow_and_the_ring_never_races(played):
    scene, _ = played
    plays = {record.name: record.plays for record in scene.beat_log}
    assert min(min(plays[beat]) for beat in FIRST_TURN) >= 1.0
    assert min(plays["keep_training"]) >= 0.35


@pytest.mark.parametrize("previous", [None, Previous(PixelsScene, PixelsParams()), Previous(BabyVsAiScene,
                                                                                            BabyVsAiParams(laps=1))])
def test_opens_from_anything_with_content_on_screen(previous, played):
    scene, pictures = play_beats(TrainingLoopScene, seed=VIDEO_SEED, previous=previous)
    if previous is not None:
        assert not {m for top in scene.previous_scene.mobjects for m in top.get_family()} & on_screen(scene)
    assert len(scene.mobjects) == len(played[0].mobjects)
    assert all(picture.outside == [] for picture in pictures.values())


def test_tiny_render_completes(tmp_path):
    params = TrainingLoopParams(turns=2, explain_seconds=0.3, second_turn_seconds=0.2, fast_seconds=0.2,
                                morph_seconds=0.4, model_seconds=0.3, hold_seconds=0.2)
    with tempconfig(tiny_settings(tmp_path)):
        scene = TrainingLoopScene(params=params, seed=VIDEO_SEED, theme_name="chalkboard")
        scene.render()
    assert len(scene.history.shown) == 3
    assert scene.renderer.file_writer.movie_file_path.exists()

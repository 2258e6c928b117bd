"""The baby-versus-AI segment: its mistake meter shows riskmath's figures, and it renders."""

import pytest
from manim import tempconfig
from pydantic import ValidationError

from riskmath import epoch_risk
from riskmath.rounding import round_half_away
from scenes.baby_vs_ai import BabyVsAiParams, BabyVsAiScene, meter_figures
from scenes.registry import scene_classes
from tests.conftest import tiny_settings

STORYBOARD_LOSSES = [0.84, 0.67, 0.78, 0.59, 0.71]


def test_meter_shows_epoch_risk_of_the_storyboard_losses_one_epoch_per_lap():
    params = BabyVsAiParams()
    figures = meter_figures(params)
    assert params.base_losses == STORYBOARD_LOSSES
    assert [f.lap for f in figures] == list(range(1, params.laps + 2))
    assert [f.level for f in figures] == [epoch_risk(STORYBOARD_LOSSES, lap) for lap in range(1, params.laps + 2)]
    # What the viewer reads: two decimals, rounded like the article (half away from zero).
    assert [f.text for f in figures] == [f"{round_half_away(epoch_risk(STORYBOARD_LOSSES, lap), 2):.2f}" for lap in range(1, params.laps + 2)]
    assert figures[0].text == "0.72"


def test_meter_shrinks_every_lap_and_follows_the_params():
    params = BabyVsAiParams(laps=6, base_losses=[0.5, 0.9], decay=0.8)
    levels = [f.level for f in meter_figures(params)]
    assert levels == [epoch_risk([0.5, 0.9], lap, 0.8) for lap in range(1, 8)]
    assert all(a > b for a, b in zip(levels, levels[1:]))


def test_params_bounds():
    with pytest.raises(ValidationError):
        BabyVsAiParams(baby_steps=["only", "three", "steps"])
    with pytest.raises(ValidationError):
        BabyVsAiParams(laps=0)
    with pytest.raises(ValidationError):
        BabyVsAiParams(ai_colour="red")
    with pytest.raises(ValidationError):
        BabyVsAiParams(base_losses=[0.5, 1.5])


def test_scene_is_registered_under_its_name():
    assert scene_classes()["baby_vs_ai"] is BabyVsAiScene


def test_tiny_render_completes_and_stays_in_frame(tmp_path):
    quick = dict.fromkeys(
        ["cards_seconds", "pair_seconds", "loop_seconds", "step_seconds", "dwell_seconds", "meter_seconds", "closing_seconds", "hold_seconds"],
        0.2,
    )
    long_step = "A much longer step text that has to wrap onto two lines"
    params = BabyVsAiParams(laps=1, ai_steps=[long_step, "b", "c", "d"], **quick)
    config = tiny_settings(tmp_path)
    with tempconfig(config):
        scene = BabyVsAiScene(params=params)
        scene.render()
        movie = scene.renderer.file_writer.movie_file_path
        cards = scene.cards
    assert movie.exists() and movie.stat().st_size > 0
    for card in cards:
        # Every part of each card, its meter and the labels below it lie inside the safe frame.
        for mob in (card, card.meter, card.return_arrow, *scene.hardware, scene.closing):
            assert -6.8 <= mob.get_left()[0] and mob.get_right()[0] <= 6.8
            assert -3.8 <= mob.get_bottom()[1] and mob.get_top()[1] <= 3.8
    # Step k of one card lines up with step k of the other.
    for baby_dot, ai_dot in zip(cards[0].dots, cards[1].dots):
        assert baby_dot.get_center()[1] == pytest.approx(ai_dot.get_center()[1])
    # The wrapped step stays clear of the next one.
    long_row, next_row = cards[1].rows[0], cards[1].rows[1]
    assert len(long_row.label.lines) == 2
    assert long_row.get_bottom()[1] > next_row.get_top()[1]
    for card in cards:
        assert card.rows[-1].get_bottom()[1] > card.meter.get_top()[1]

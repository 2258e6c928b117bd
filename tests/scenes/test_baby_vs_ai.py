"""The baby-versus-AI segment: riskmath's meter, steps in pairs, the formula carried in and handed on."""

import pytest
from manim import tempconfig
from pydantic import ValidationError

from riskmath import epoch_risk
from riskmath.rounding import round_half_away
from scenes.base import Previous
from scenes.parts.formula_panel import FORMULA_PARTS
from scenes.parts.learning_card import LearningCard
from scenes.registry import scene_classes
from scenes.segments.baby_vs_ai import BabyVsAiParams, BabyVsAiScene, meter_figures
from scenes.segments.loss_bars.scene import LossBarsParams, LossBarsScene
from scenes.segments.title import TitleParams, TitleScene
from tests.helpers import tiny_settings
from tests.scenes.helpers import on_screen, play_beats, points_of

STORYBOARD_LOSSES = [0.84, 0.67, 0.78, 0.59, 0.71]


class TitleEndingOnFormula(TitleScene):
    """The title as the hand-over contract has it: its last frame shows ``formula_panel``."""

    beats = tuple(beat for beat in TitleScene.beats if beat != "clear_page")


@pytest.fixture(scope="module")
def played():
    return play_beats(BabyVsAiScene)


def test_meter_shows_epoch_risk_of_the_storyboard_losses_one_epoch_per_lap():
    params = BabyVsAiParams()
    figures = meter_figures(params)
    assert params.base_losses == STORYBOARD_LOSSES
    assert [f.lap for f in figures] == list(range(1, params.laps + 2))
    assert [f.level for f in figures] == [epoch_risk(STORYBOARD_LOSSES, lap) for lap in range(1, params.laps + 2)]
    # What the viewer reads: two decimals, rounded like the article (half away from zero).
    laps = range(1, params.laps + 2)
    assert [f.text for f in figures] == [f"{round_half_away(epoch_risk(STORYBOARD_LOSSES, lap), 2):.2f}"
                                         for lap in laps]
    assert figures[0].text == "0.72"


def test_meter_shrinks_every_lap_and_follows_the_params():
    params = BabyVsAiParams(laps=6, base_losses=[0.5, 0.9], decay=0.8)
    levels = [f.level for f in meter_figures(params)]
    assert levels == [epoch_risk([0.5, 0.9], lap, 0.8) for lap in range(1, 8)]
    assert all(a > b for a, b in zip(levels, levels[1:], strict=False))


def test_params_bounds():
    with pytest.raises(ValidationError):
        BabyVsAiParams(ai_steps=[{"words": "x" * 41}] * 4)  # more than a step has room for
    with pytest.raises(ValidationError):
        BabyVsAiParams(baby_steps=[{"words": "only"}, {"words": "three"}, {"words": "steps"}])
    with pytest.raises(ValidationError):
        BabyVsAiParams(laps=0)
    with pytest.raises(ValidationError):
        BabyVsAiParams(ai_colour="red")
    with pytest.raises(ValidationError):
        BabyVsAiParams(base_losses=[0.5, 1.5])


def test_scene_is_registered_under_its_name():
    assert scene_classes()["baby_vs_ai"] is BabyVsAiScene


def test_every_beat_ends_readable_and_inside_the_safe_frame(played):
    _, pictures = played
    assert list(pictures) == list(BabyVsAiScene.beats)
    for beat, picture in pictures.items():
        assert picture.too_small == [], beat
        assert picture.outside == [], beat


def test_the_words_that_need_explaining_are_explained_as_they_arrive(played):
    _, pictures = played
    texts = {beat: " ".join(text for text, _ in picture.texts) for beat,
             picture in pictures.items()}  # Text drops spaces
    assert "mistakesignal" in texts["mistake_signal"] and "loss:howwrong" in texts["mistake_signal"]
    assert "sizeofthemistake" in texts["mistake_signal"]  # the meter arrives with the loss
    assert "weights:" not in texts["mistake_signal"] and "weights:numbers" in texts["update"]


def test_steps_come_in_pairs_lined_up_above_the_meters(played):
    scene, _ = played
    baby, ai = scene.cards
    for baby_dot, ai_dot in zip(baby.loop.dots, ai.loop.dots, strict=False):
        assert baby_dot.get_center()[1] == pytest.approx(ai_dot.get_center()[1])
    for card, meter in zip(scene.cards, scene.meters, strict=False):
        rows = card.loop.rows
        assert all(upper.get_bottom()[1] > lower.get_top()[1] for upper, lower in zip(rows, rows[1:], strict=False))
        assert rows[-1].get_bottom()[1] > meter.get_top()[1]


def test_meters_count_down_to_the_last_laps_figure_and_only_the_model_has_a_number(played):
    scene, _ = played
    last = meter_figures(BabyVsAiParams())[-1]
    baby, model = scene.meters
    assert model.number.value == last.level and model.number.text_for(model.number.value) == last.text
    for meter in scene.meters:  # both bars end at the last lap's level
        assert meter.bar.width / meter.track.width == pytest.approx(last.level, abs=1e-3)
    assert model.number in model.submobjects and baby.number not in baby.submobjects  # a baby's pain is no decimal


def test_no_empty_bullets(played):
    scene, _ = played
    assert all(ghost.get_fill_opacity() == 0 for card in scene.cards for ghost in card.loop.ghosts)


def test_a_long_step_wraps_and_stays_clear_of_the_next():
    long_step = {"words": "A longer step, with words that must wrap", "gloss": "and a gloss under it"}  # 40: the most
    params = BabyVsAiParams(laps=1, ai_steps=[long_step, {"words": "b"}, {"words": "c"}, {"words": "d"}])
    scene, pictures = play_beats(BabyVsAiScene, params)
    rows = scene.cards[1].loop.rows
    assert len(rows[0].label.lines) == 2
    assert rows[0].get_bottom()[1] > rows[1].get_top()[1]
    assert all(picture.outside == [] for picture in pictures.values())


def test_ends_on_the_formula_on_its_panel_for_the_formula_segment(played):
    scene, _ = played
    panel = scene.formula_panel
    assert points_of(panel) <= on_screen(scene)
    assert len(panel.formula) == len(FORMULA_PARTS)
    assert panel.panel.get_fill_opacity() == 1
    assert all(card.icon in on_screen(scene) for card in scene.cards)  # the learners flank it
    assert not set(scene.cards[0].loop.get_family()) & on_screen(scene)


def test_opens_by_carrying_the_titles_formula():
    scene, _ = play_beats(BabyVsAiScene, previous=Previous(TitleEndingOnFormula, TitleParams()))
    title = scene.previous_scene
    assert scene.carried_from_title
    assert not set(title.formula_panel.get_family()) & on_screen(scene)  # replaced by our own, same panel
    assert not {m for top in title.mobjects for m in top.get_family()} & on_screen(scene)


@pytest.mark.parametrize("previous", [None, Previous(TitleScene, TitleParams()), Previous(LossBarsScene,
                                                                                          LossBarsParams(epochs=2))])
def test_opens_from_anything_and_ends_the_same(previous, played):
    scene, pictures = play_beats(BabyVsAiScene, previous=previous)
    if previous is not None:
        assert not {m for top in scene.previous_scene.mobjects for m in top.get_family()} & on_screen(scene)
    reference, _ = played
    assert len(scene.mobjects) == len(reference.mobjects)
    assert scene.formula_panel.get_center() == pytest.approx(reference.formula_panel.get_center())
    assert all(picture.outside == [] for picture in pictures.values())


def test_tiny_render_completes(tmp_path):
    quick = dict.fromkeys(["park_seconds", "cards_seconds", "pair_seconds", "loop_seconds", "step_seconds",
                           "fast_step_seconds", "meter_seconds", "closing_seconds", "hold_seconds"], 0.2)
    with tempconfig(tiny_settings(tmp_path)):
        scene = BabyVsAiScene(params=BabyVsAiParams(laps=1, **quick), theme_name="chalkboard")
        scene.render()
    assert isinstance(scene.cards[1], LearningCard)
    movie = scene.renderer.file_writer.movie_file_path
    assert movie.exists() and movie.stat().st_size > 0

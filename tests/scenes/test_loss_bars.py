"""The loss-bars segment: riskmath's figures on screen, bars to scale, counting read-outs, readable,
in frame, opening from the formula's chips (or from anything else), ending on content."""

from pathlib import Path

import numpy as np
import pytest
from manim import tempconfig
from pydantic import ValidationError

from riskmath import Level, clip_losses, epoch_risk, round_half_away
from scenes.base import Previous, hand_over_problem
from scenes.segments.formula.scene import FormulaScene
from scenes.segments.loss_bars.scene import LossBarsParams, LossBarsScene
from scenes.theme import PAPER
from tests.helpers import tiny_settings
from tests.scenes.helpers import (
    SIZE,
    ChipsEnding,
    TitledEnding,
    blank_readouts,
    final,
    opening_left_over,
    out_of_frame,
    probe,
    small_glyphs,
    titles,
    visible_bounds,
)

BASE = [0.84, 0.67, 0.78, 0.59, 0.71]


def note(scene):
    rows = getattr(scene, "rows", [])
    q = getattr(scene, "q_number", None)
    on_screen = {id(m) for mob in scene.mobjects for m in mob.get_family()}
    return {
        "epoch": scene.figures.epoch,
        "counter": scene.counter.count.text_for(scene.counter.count.value) if hasattr(scene, "counter") else None,
        "numbers": [row.number.text_for(row.number.value) for row in rows],
        "bars": [row.bar.width for row in rows],
        "q": q.text_for(q.value) if q is not None and id(q) in on_screen else None,
        "q_colour": q.colour if q is not None else None,
        "verdict": id(getattr(scene, "verdict_text", None)) in on_screen,
        "box": visible_bounds(scene.mobjects),
        "outside": out_of_frame(scene.mobjects),
        "small": small_glyphs(scene.mobjects),
        "blank": blank_readouts(scene.mobjects),
        "titles": len(titles(scene.mobjects)),
        "left_over": opening_left_over(scene),
    }


Probe = probe(LossBarsScene, note)


@pytest.fixture(scope="module")
def media(tmp_path_factory):
    return tmp_path_factory.mktemp("loss_bars_media")  # shared, so each MathTex is compiled once


def run(media, params=None, previous=None):
    return final(Probe, media, params, previous)


@pytest.fixture(scope="module")
def default_run(media):
    return run(media)


@pytest.fixture(scope="module")
def after_chips(media):
    return run(media, previous=Previous(ChipsEnding, ChipsEnding.Params()))


def shown(values):
    return [f"{x:.2f}" for x in values]


@pytest.mark.parametrize("epoch", range(1, 11))
def test_epoch_figures_are_riskmaths(epoch):
    figures = LossBarsScene.epoch_figures(LossBarsParams(), epoch)
    assert list(figures.loss_texts) == shown(clip_losses(BASE, epoch))
    assert figures.q_text == f"{epoch_risk(BASE, epoch):.2f}"


def test_verdict_epoch_follows_riskmath():
    assert LossBarsScene.learned_epoch(LossBarsParams()) == 8
    assert LossBarsScene.learned_epoch(LossBarsParams(epochs=7)) is None


def test_q_colour_follows_the_shown_value_rounded_half_away_from_zero(media):
    with tempconfig(tiny_settings(media, **SIZE)):
        scene = run(media, LossBarsParams(epochs=2))
        q = scene.q_number
        for value, text, level in [(0.72, "0.72", Level.POOR), (0.245, "0.25", Level.POOR),
                                   (0.2449, "0.24", Level.FAIR), (0.075, "0.08", Level.FAIR), (0.0749, "0.07",
                                                                                               Level.GOOD)]:
            q.set_value(value)
            assert q.text_for(value) == text
            assert q.colour == PAPER.level_colours("Q")[level] == PAPER.q_colour(round_half_away(value, 2))


def test_q_counts_through_every_value_and_is_never_blank(default_run):
    q = default_run.q_number
    q.set_value(0.72)
    animation = q.count_to(0.51)
    animation.begin()
    seen = []
    for alpha in np.linspace(0, 1, 31):
        animation.interpolate(alpha)
        drawn = [cell for cell in q.characters if cell.has_points()]
        assert len(drawn) == 4, "a read-out always shows one whole value"
        seen.append(q.text_for(q.value))
    assert seen[0] == "0.72" and seen[-1] == "0.51"
    assert len(set(seen)) > 10, "it counts through the values in between"


def test_screen_at_the_start(default_run):
    seen = default_run.seen["show_curve"]
    assert seen["epoch"] == 1
    assert seen["numbers"] == ["0.84", "0.67", "0.78", "0.59", "0.71"]
    assert seen["q"] == "0.72" and seen["q_colour"] == PAPER.level_colours("Q")[Level.POOR]
    assert not seen["verdict"]


def test_epoch_1_is_the_first_pass_and_the_second_pass_counts_as_epoch_2(default_run):
    first, second = default_run.seen["explain_epoch"], default_run.seen["second_pass"]
    assert first["counter"] == "1" and first["numbers"] == shown(clip_losses(BASE, 1)) and first["q"] == "0.72"
    assert second["counter"] == "2" and second["numbers"] == shown(clip_losses(BASE, 2)) and second["q"] == "0.51"
    assert default_run.counter.count.text_for(default_run.counter.count.value) == "10"


def test_getting_close_is_said_beside_q_while_it_is_red_and_only_then(default_run):
    note = default_run.close_note
    q = default_run.q_number
    for value, seen in [(0.72, False), (0.25, False), (0.24, True), (0.08, True), (0.07, False)]:
        q.set_value(value)
        note.follow(q)
        assert (note.showing is Level.FAIR) is seen, value
        assert note.notes[Level.FAIR].text == "gettingclose"
    q.set_value(epoch_risk(BASE, 10))
    note.follow(q)


def test_verdict_shows_at_epoch_8(default_run):
    trained, declared = default_run.seen["train"], default_run.seen["declare_learned"]
    assert trained["epoch"] == declared["epoch"] == 8
    assert not trained["verdict"] and declared["verdict"]
    assert declared["q"] == "0.07" and declared["q_colour"] == PAPER.level_colours("Q")[Level.GOOD]


def test_ends_on_the_trained_page(default_run):
    seen = default_run.seen["keep_training"]
    assert seen["epoch"] == 10
    assert seen["numbers"] == shown(clip_losses(BASE, 10))
    assert seen["q"] == "0.04" and seen["verdict"]
    assert seen["box"] is not None and seen["titles"] == 1
    low, high = seen["box"]
    assert high[0] - low[0] > 12 and high[1] - low[1] > 6.5, "the last picture fills the frame"


def test_bars_are_proportional_to_loss(default_run):
    track = default_run.track_width
    for beat, epoch in [("show_clips", 1), ("train", 8), ("keep_training", 10)]:
        widths = np.array(default_run.seen[beat]["bars"])
        assert widths == pytest.approx(clip_losses(BASE, epoch) * track, abs=2e-3), beat
    for row in default_run.rows:
        assert row.bar.get_left()[0] == pytest.approx(row.track.get_left()[0])


def test_curve_plots_q_at_every_epoch(default_run):
    axes = default_run.chart.axes
    plotted = [axes.p2c(dot.get_center()) for dot in default_run.chart.dots]
    assert [round(epoch) for epoch, _ in plotted] == list(range(1, 11))
    assert [q for _, q in plotted] == pytest.approx([epoch_risk(BASE, e) for e in range(1, 11)], abs=1e-9)
    levels = [Level.POOR] * 4 + [Level.FAIR] * 3 + [Level.GOOD] * 3
    assert [dot.get_color() for dot in default_run.chart.dots] == [PAPER.level_colours("Q")[lv] for lv in levels]
    assert len(default_run.chart.curve) == 9, "a segment per epoch"


def test_threshold_line_is_labelled_with_riskmaths_value(default_run):
    line, label, value = default_run.chart.threshold
    assert label.text == "learned" and value.text == "0.08"
    assert axes_y(default_run, line.get_y()) == pytest.approx(0.08, abs=1e-6)


def axes_y(scene, y):
    return scene.chart.axes.p2c([scene.chart.axes.c2p(1, 0)[0], y, 0])[1]


def test_counts_in_words_come_from_the_data(media):
    clips = [{"name": f"clip {i}", "base_loss": 0.5, "colour": "#123456"} for i in range(3)]
    scene = run(media, LossBarsParams(clips=clips, epochs=2))
    words = " ".join(m.text for mob in scene.mobjects for m in mob.get_family()
                     if hasattr(m, "text") and isinstance(m.text, str))
    assert "threevideoclips" in words and "five" not in words  # Text drops spaces from .text


@pytest.mark.parametrize("fixture", ["default_run", "after_chips"])
def test_readable_and_in_frame_at_every_beat(fixture, request):
    scene = request.getfixturevalue(fixture)
    for beat, seen in scene.seen.items():
        assert seen["outside"] == [], beat
        assert seen["small"] == [], beat
        assert seen["blank"] == [], f"{beat}: a read-out lost characters"
        assert seen["titles"] == 1, f"{beat}: one title at a time"


def test_six_long_named_clips_stay_in_frame_and_readable(media):
    name = "a clip with a name that goes on and on and on"
    clips = [{"name": name, "base_loss": 1.0, "colour": "#123456"} for _ in range(6)]
    scene = run(media, LossBarsParams(clips=clips, epochs=2))
    for beat, seen in scene.seen.items():
        assert seen["outside"] == [] and seen["small"] == [], beat


def test_chips_become_the_bars(after_chips):
    assert after_chips.chips_carried
    first = after_chips.seen["show_clips"]
    assert first["left_over"] == [], "nothing of the formula's last frame stays"
    assert first["numbers"] == list(ChipsEnding.texts)
    assert first["titles"] == 1
    assert all(row in after_chips.mobjects for row in after_chips.rows)


def test_opens_from_another_scene_or_from_nothing(media, default_run):
    other = run(media, LossBarsParams(epochs=2), previous=Previous(TitledEnding, TitledEnding.Params()))
    assert other.seen["show_clips"]["left_over"] == [] and other.seen["show_clips"]["titles"] == 1
    assert default_run.seen["show_clips"]["box"] is not None


def test_opens_from_the_formula_segment(media):
    """The real FormulaScene: its clip_chips (the declared hand-over) become the bars, never a cross-fade."""
    assert "clip_chips" in FormulaScene.leaves and hand_over_problem(FormulaScene, LossBarsScene) is None
    scene = run(media, LossBarsParams(epochs=2), previous=Previous(FormulaScene, FormulaScene.Params()))
    assert scene.chips_carried, "the chips were morphed into the bars"
    first = scene.seen["show_clips"]
    assert first["left_over"] == [] and first["titles"] == 1
    assert first["numbers"] == ["0.84", "0.67", "0.78", "0.59", "0.71"]
    assert all(seen["blank"] == [] for seen in scene.seen.values()), "every read-out draws its whole value"


def test_params_are_checked():
    with pytest.raises(ValidationError, match="move_seconds"):
        LossBarsParams(epoch_seconds=1.0, move_seconds=2.0)
    with pytest.raises(ValidationError, match="count"):
        LossBarsParams(title="One model, {n} clips")


def test_low_quality_render_writes_a_movie(tmp_path):
    params = LossBarsParams(epochs=3, intro_seconds=0.5, epoch_seconds=0.6, move_seconds=0.4, hold_seconds=0.2)
    with tempconfig(tiny_settings(tmp_path, **SIZE) | {"write_to_movie": True}):
        scene = LossBarsScene(params=params)
        scene.render()
        movie = Path(scene.renderer.file_writer.movie_file_path)
    assert movie.is_file() and movie.stat().st_size > 0

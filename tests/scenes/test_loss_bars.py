"""The loss-bars segment shows riskmath's figures, draws its bars to scale, stays in frame, renders."""

from pathlib import Path

import numpy as np
import pytest
from manim import VMobject, tempconfig

from riskmath import Level, clip_losses, epoch_risk
from scenes import theme
from scenes.loss_bars import LossBarsParams, LossBarsScene
from tests.conftest import tiny_settings

BASE = [0.84, 0.67, 0.78, 0.59, 0.71]
FRAME_X, FRAME_Y = 6.8, 3.8  # everything must stay inside this box
QUICK = {"pixel_width": 256, "pixel_height": 144, "write_to_movie": False}  # beats jump to their end


class Probe(LossBarsScene):
    """The scene, noting after each beat what is on screen."""

    def construct(self):
        self.seen = {}
        for beat in self.beats:
            getattr(self, beat)()
            self.seen[beat] = self.snapshot()

    def snapshot(self):
        rows = getattr(self, "rows", [])
        q = getattr(self, "q_number", None)
        return {
            "epoch": self.figures.epoch,
            "numbers": [row.number.text for row in rows],
            "bars": [row.bar.width for row in rows],
            "q": q.text if q in self.mobjects else None,
            "q_colour": q.get_color() if q else None,
            "verdict": getattr(self, "verdict_text", None) in self.mobjects,
            "box": bounds(self.mobjects),
        }


def bounds(mobjects):
    """(lower-left, upper-right) of every point drawn, or None on an empty page."""
    points = [m.points for mob in mobjects for m in mob.family_members_with_points() if isinstance(m, VMobject)]
    if not points:
        return None
    stacked = np.vstack(points)
    return stacked.min(axis=0), stacked.max(axis=0)


@pytest.fixture(scope="module")
def media(tmp_path_factory):
    return tmp_path_factory.mktemp("loss_bars_media")  # shared, so each MathTex is compiled once


def run(media, params=None, probe=Probe):
    with tempconfig(tiny_settings(media, **QUICK)):
        scene = probe(params=params, skip_animations=True)
        scene.render()
    return scene


@pytest.fixture(scope="module")
def default_run(media):
    return run(media)


def shown(values):
    return [f"{x:.2f}" for x in values]


@pytest.mark.parametrize("epoch", range(1, 11))
def test_epoch_figures_are_riskmaths(epoch):
    figures = LossBarsScene.epoch_figures(LossBarsParams(), epoch)
    assert list(figures.loss_texts) == shown(clip_losses(BASE, epoch))
    assert figures.q_text == f"{epoch_risk(BASE, epoch):.2f}"


def test_read_out_shows_two_decimals_in_its_levels_colour(media):
    with tempconfig(tiny_settings(media, **QUICK)):
        scene = LossBarsScene()
        for epoch, text, level in [(1, "0.72", Level.POOR), (7, "0.10", Level.FAIR), (8, "0.07", Level.GOOD)]:
            number = scene.get_q_number(scene.epoch_figures(scene.params, epoch))
            assert number.text == text  # "0.10", never "0.1"
            assert number.get_color() == theme.Q_COLOURS[level]


def test_verdict_epoch_follows_riskmath():
    assert LossBarsScene.learned_epoch(LossBarsParams()) == 8
    assert LossBarsScene.learned_epoch(LossBarsParams(epochs=7)) is None


def test_screen_at_the_start(default_run):
    seen = default_run.seen["show_curve"]
    assert seen["epoch"] == 1
    assert seen["numbers"] == ["0.84", "0.67", "0.78", "0.59", "0.71"]
    assert seen["q"] == "0.72" and seen["q_colour"] == theme.Q_COLOURS[Level.POOR]
    assert not seen["verdict"]


def test_verdict_shows_at_epoch_8(default_run):
    trained, declared = default_run.seen["train"], default_run.seen["declare_learned"]
    assert trained["epoch"] == declared["epoch"] == 8
    assert not trained["verdict"] and declared["verdict"]
    assert declared["q"] == "0.07" and declared["q_colour"] == theme.Q_COLOURS[Level.GOOD]


def test_screen_after_the_last_epoch(default_run):
    seen = default_run.seen["keep_training"]
    assert seen["epoch"] == 10
    assert seen["numbers"] == shown(clip_losses(BASE, 10))
    assert seen["q"] == "0.04"
    assert seen["verdict"]
    assert default_run.epoch_counter.count.text == "10"


def test_bars_are_proportional_to_loss(default_run):
    track = default_run.track_width
    for beat, epoch in [("show_clips", 1), ("train", 8), ("keep_training", 10)]:
        widths = np.array(default_run.seen[beat]["bars"])
        assert widths == pytest.approx(clip_losses(BASE, epoch) * track, abs=1e-6), beat
    for row in default_run.rows:
        assert row.bar.get_left()[0] == pytest.approx(row.track.get_left()[0])


def test_curve_plots_q_at_every_epoch(default_run):
    axes = default_run.axes.axes
    plotted = [axes.p2c(dot.get_center()) for dot in default_run.curve_points]
    assert [round(epoch) for epoch, _ in plotted] == list(range(1, 11))
    assert [q for _, q in plotted] == pytest.approx([epoch_risk(BASE, e) for e in range(1, 11)], abs=1e-9)
    levels = [Level.POOR] * 4 + [Level.FAIR] * 3 + [Level.GOOD] * 3
    assert [dot.get_color() for dot in default_run.curve_points] == [theme.Q_COLOURS[lv] for lv in levels]


def test_page_is_cleared_at_the_end(default_run):
    assert default_run.seen["clear_page"]["box"] is None


def assert_in_frame(scene):
    for beat, seen in scene.seen.items():
        if seen["box"] is None:
            continue
        low, high = seen["box"]
        assert -FRAME_X <= low[0] and high[0] <= FRAME_X, f"{beat}: out of frame sideways"
        assert -FRAME_Y <= low[1] and high[1] <= FRAME_Y, f"{beat}: out of frame vertically"


def test_default_stays_in_frame(default_run):
    assert_in_frame(default_run)


def test_six_long_named_clips_stay_in_frame(media):
    name = "a clip with a name that goes on and on and on"
    clips = [{"name": name, "base_loss": 1.0, "colour": "#123456"} for _ in range(6)]
    assert_in_frame(run(media, LossBarsParams(clips=clips, epochs=2)))


def test_move_must_fit_in_an_epoch():
    with pytest.raises(ValueError, match="move_seconds"):
        LossBarsParams(epoch_seconds=1.0, move_seconds=2.0)


def test_low_quality_render_writes_a_movie(tmp_path):
    params = LossBarsParams(epochs=3, intro_seconds=0.5, epoch_seconds=0.6, move_seconds=0.4, hold_seconds=0.2)
    with tempconfig(tiny_settings(tmp_path, **QUICK) | {"write_to_movie": True}):
        scene = LossBarsScene(params=params)
        scene.render()
        movie = Path(scene.renderer.file_writer.movie_file_path)
    assert movie.is_file() and movie.stat().st_size > 0

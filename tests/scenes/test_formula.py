"""Segment 3, the formula: the figures it shows are riskmath's, and it renders within the frame."""

import numpy as np
import pytest
from pydantic import ValidationError

from riskmath import clip_losses, empirical_risk
from scenes.components import format_decimal
from scenes.formula import FormulaParams, FormulaScene, fairness_rows, loop_figures
from tests.conftest import tiny_settings

STORYBOARD_LOSSES = [0.84, 0.67, 0.78, 0.59, 0.71]
FRAME_X, FRAME_Y = 6.8, 3.8


def test_for_loop_adds_the_clip_losses_of_riskmath():
    figures = loop_figures(FormulaParams())
    losses = clip_losses(STORYBOARD_LOSSES, 1).tolist()
    assert figures.loss_texts == tuple(format_decimal(loss) for loss in losses)
    assert figures.total_texts == ("0.00", "0.84", "1.51", "2.29", "2.88", "3.59")
    # The loop's last total is n times riskmath's average: Σ L = n · Q.
    assert figures.totals[-1] == pytest.approx(len(losses) * empirical_risk(losses))


def test_for_loop_follows_the_epoch():
    params = FormulaParams(epoch=3)
    losses = clip_losses(STORYBOARD_LOSSES, 3).tolist()
    assert loop_figures(params).loss_texts == tuple(format_decimal(loss) for loss in losses)
    assert loop_figures(params).total_texts[-1] == format_decimal(sum(losses))


def test_twice_the_data_doubles_the_sum_not_the_average():
    short, long = fairness_rows(FormulaParams())
    q = format_decimal(empirical_risk(clip_losses(STORYBOARD_LOSSES, 1)))
    assert (short.n, long.n) == (5, 10)
    assert long.loss_texts == short.loss_texts * 2
    assert (short.total_text, long.total_text) == ("3.59", "7.18")
    assert short.average_text == long.average_text == q == "0.72"


def test_the_longer_row_must_fit_the_frame():
    with pytest.raises(ValidationError, match="at most 10"):
        FormulaParams(copies=3)
    with pytest.raises(ValidationError):
        FormulaParams(goal={"tag": "The Goal", "tag_colour": "purple", "meaning": "x"})
    with pytest.raises(ValidationError):
        FormulaParams(base_losses=[0.5, 1.5])


class _Checked(FormulaScene):
    """Records how far anything reaches at each beat's fullest moment (before parts go back)."""

    def setup(self):
        super().setup()
        self.reach = {}

    def put_back(self, *mobjects):
        self.measure()
        super().put_back(*mobjects)

    def construct(self):
        for beat in self.beats:
            self.beat = beat
            getattr(self, beat)()
            self.measure()

    def measure(self):
        points = np.concatenate([m.points for mob in self.mobjects for m in mob.get_family() if len(m.points)])
        x, y = np.abs(points[:, 0]).max(), np.abs(points[:, 1]).max()
        old = self.reach.get(self.beat, (0, 0))
        self.reach[self.beat] = (max(old[0], x), max(old[1], y))


def test_tiny_render_shows_riskmath_figures_inside_the_frame(tmp_path):
    from manim import tempconfig

    fast = {name: 0.4 for name in FormulaParams.model_fields if name.endswith("_seconds")}
    params = FormulaParams(**fast)
    settings = tiny_settings(tmp_path)
    with tempconfig(settings):
        scene = _Checked(params=params, seed=316)
        scene.render()
    assert set(scene.reach) == set(FormulaScene.beats)
    for beat, (x, y) in scene.reach.items():
        assert x <= FRAME_X and y <= FRAME_Y, f"{beat} reaches ({x:.2f}, {y:.2f}), outside the frame"

    short, long = fairness_rows(params)
    shown = scene.fairness_demo.rows
    assert [chip.number.text for chip in shown[1].chips] == list(long.loss_texts)
    assert [row.total.text for row in shown] == [short.total_text, long.total_text]
    assert [row.average.text for row in shown] == [short.average_text, long.average_text]
    assert scene.loop_demo.total.number.text == loop_figures(params).total_texts[-1]
    cells = [[mob.original_text for mob in row if hasattr(mob, "original_text")] for row in scene.table.rows]
    summary = params.summary
    assert cells[0] == [summary.risk.meaning, summary.risk.analogy]
    assert cells[-1] == [summary.loss.meaning, summary.loss.analogy]
    assert len(cells) == 5

"""Segment 3, the formula: the figures it shows are riskmath's, it hands over both ways, and it stays in frame."""

import numpy as np
import pytest
from manim import Text, tempconfig
from pydantic import ValidationError

from riskmath import clip_losses, empirical_risk, epoch_risk
from scenes.base import Previous
from scenes.parts.components import format_decimal
from scenes.parts.formula_panel import FORMULA_PARTS
from scenes.segments.formula.dataset import TrainingClip
from scenes.segments.formula.scene import FormulaParams, FormulaScene, conclusion_words, fairness_rows, loop_figures
from scenes.segments.title import TitleScene
from scenes.theme import PAPER, SAFE_X, SAFE_Y
from tests.helpers import tiny_settings
from tests.scenes.helpers import SIZE, TitledEnding, final, on_screen, opening_left_over, same_picture

STORYBOARD_LOSSES = [0.84, 0.67, 0.78, 0.59, 0.71]


def test_for_loop_adds_the_clip_losses_of_riskmath():
    figures = loop_figures(FormulaParams())
    losses = clip_losses(STORYBOARD_LOSSES, 1).tolist()
    assert figures.loss_texts == tuple(format_decimal(loss) for loss in losses)
    assert figures.total_texts == ("0.00", "0.84", "1.51", "2.29", "2.88", "3.59")
    # The loop's last total is n times riskmath's average: Σ L = n · Q.
    assert figures.totals[-1] == pytest.approx(len(losses) * empirical_risk(losses))


def test_the_clips_are_the_params_clips_at_epoch_one():
    clips = [TrainingClip(name=f"clip {i}", base_loss=loss) for i, loss in enumerate([0.5, 0.333, 0.125], 1)]
    figures = loop_figures(FormulaParams(clips=clips))
    assert figures.loss_texts == ("0.50", "0.33", "0.13")  # rounded half away from zero, as the article does


def test_more_of_the_same_data_multiplies_the_sum_not_the_average():
    short, long = fairness_rows(FormulaParams())
    q = format_decimal(epoch_risk(STORYBOARD_LOSSES, 1))
    assert (short.n, long.n) == (5, 10)
    assert long.loss_texts == short.loss_texts * 2
    assert (short.total_text, long.total_text) == ("3.59", "7.18")
    assert short.average_text == long.average_text == q == "0.72"
    short, long = fairness_rows(FormulaParams(copies=3))
    assert long.n == 15 and long.total_text == "10.77" and long.average_text == "0.72"


def test_the_word_for_how_many_times_comes_from_the_data():
    for copies, word in [(2, "Twice"), (3, "Three times")]:
        assert conclusion_words(*fairness_rows(FormulaParams(copies=copies))).startswith(f"{word} the data")


def test_params_keep_the_layout_possible():
    with pytest.raises(ValidationError):
        FormulaParams(copies=4)  # the bigger dataset's chips stack a line per copy: three at most
    with pytest.raises(ValidationError):
        FormulaParams(clips=[{"name": "x", "base_loss": 1.5}])
    with pytest.raises(ValidationError):
        FormulaParams(clips=[{"name": f"c{i}", "base_loss": 0.5} for i in range(7)])
    with pytest.raises(ValidationError):
        FormulaParams(code_lines=["a", "b", "c", "d"])


class Probe(FormulaScene):
    """Notes the box around everything drawn at each beat's fullest moment: its end, or before anything leaves."""

    def construct(self):
        self.reach, self.beat = {}, None
        super().construct()
        self.measure()

    def _begin_beat(self, beat, drawing=True):
        if self.beat is not None:
            self.measure()
        else:
            self.carried = self.pick_up("formula_panel")  # what the first beat will morph
        self.beat = beat
        super()._begin_beat(beat, drawing)

    def put_back(self, leaving):
        self.measure()
        super().put_back(leaving)

    def measure(self):
        points = np.concatenate([m.points for mob in self.mobjects for m in mob.family_members_with_points()])
        low, high = self.reach.get(self.beat, (points.min(axis=0), points.max(axis=0)))
        self.reach[self.beat] = (np.minimum(low, points.min(axis=0)), np.maximum(high, points.max(axis=0)))


@pytest.fixture(scope="module")
def alone(tmp_path_factory):
    return final(Probe, tmp_path_factory.mktemp("formula"))


def test_it_shows_riskmath_figures(alone):
    params = FormulaParams()
    figures, (short, long) = loop_figures(params), fairness_rows(params)
    assert alone.loop.total.text_for(alone.loop.total.value) == figures.total_texts[-1]
    assert [row.sum.text_for(row.sum.value) for row in (alone.row, alone.big_row)] == [short.total_text,
                                                                                       long.total_text]
    shown = [row.average.text_for(row.average.value) for row in (alone.row, alone.big_row)]
    assert shown == [short.average_text, long.average_text] == [format_decimal(epoch_risk(STORYBOARD_LOSSES, 1))] * 2
    assert [chip.number.text for chip in alone.big_row.chips] == list(long.loss_texts)
    assert alone.row.label is alone.n_label and alone.n_label in on_screen(alone)  # the clips' count stays
    assert alone.n_label.text == "n=5" and alone.big_row.label.text == "n=10"  # counted, never typed (no spaces kept)


def test_it_ends_on_the_pile_shared_out_over_the_clips_chips(alone):
    chips, figures = alone.clip_chips, loop_figures(FormulaParams())
    pile, visible = alone.pile, on_screen(alone)
    assert all(chip in visible for chip in chips) and not hasattr(alone, "table")
    assert [chip.number.text for chip in chips] == list(figures.loss_texts)
    assert [chip.label.text for chip in chips] == ["x₁", "x₂", "x₃", "x₄", "x₅"]
    assert [chip.get_x() for chip in chips] == sorted(chip.get_x() for chip in chips)  # in clip order
    # The pile held every loss (Σ = 3.59); shared out, each of the n shares is Σ / n tall, and Q reads 0.72.
    assert pile.total.text_for(pile.total.value) == figures.total_texts[-1] == "3.59"
    assert pile.average.text_for(pile.average.value) == format_decimal(epoch_risk(STORYBOARD_LOSSES, 1)) == "0.72"
    heights = [share.height / pile.scale for share in pile.shares]
    assert heights == pytest.approx([figures.totals[-1] / len(chips)] * len(chips))
    assert all(share in visible for share in pile.shares) and pile.average in visible
    for share, chip in zip(pile.shares, chips, strict=True):  # one share over each chip, standing clear of it
        assert share.get_x() == pytest.approx(chip.box.get_x()) and share.get_bottom()[1] > chip.get_top()[1]


def test_q_drains_while_training_is_said_to_push_it_down(tmp_path):
    levels = []

    class Goal(FormulaScene):
        def lift_goal(self):
            super().lift_goal()
            levels.append(self.meter.meter.number.value)

        def play(self, *animations, **kwargs):
            if getattr(self, "meter", None) is not None and self.beats.index("lift_goal") == len(self.beat_log):
                levels.append(self.meter.meter.number.value)
            super().play(*animations, **kwargs)

    with tempconfig(tiny_settings(tmp_path, **SIZE)):
        Goal(skip_animations=True).render()
    assert levels[0] == epoch_risk(STORYBOARD_LOSSES, 1) == 0.72  # untrained, where the meter first stands
    assert levels[-1] == epoch_risk(STORYBOARD_LOSSES, FormulaParams().trained_epoch) < levels[0]  # drained


def test_each_part_wears_its_one_colour_and_its_tag(tmp_path):
    shown = {}

    class Cards(FormulaScene):
        def lift(self, key, words, leaving=()):
            super().lift(key, words, leaving)
            shown[key] = (self.card.strip.get_fill_color(), self.card.tag.label.get_fill_color(), words.tag,
                          self.formula_panel.part(key).get_fill_color())

    with tempconfig(tiny_settings(tmp_path, **SIZE)):
        Cards(skip_animations=True).render()
    assert set(shown) == set(FORMULA_PARTS) - {"equals"}
    tags = {"Q": "The Goal", "inv_n": "The Fairness Fix", "sum": "The For-Loop", "L": "The Mistake Meter"}
    for key, (strip, words, tag, lifted) in shown.items():
        assert strip == lifted == PAPER.part_colour(key) and tag == tags[key], key
        nearest = min(tags, key=lambda part: np.abs(words.to_rgb() - PAPER.part_colour(part).to_rgb()).sum())
        assert nearest == key, f"{key}: its tag's words must read as its own colour, not {nearest}'s"


@pytest.mark.parametrize("theme_name", ["paper", "chalkboard"])
def test_everything_stays_in_the_safe_frame_with_the_most_clips_and_copies(tmp_path, theme_name):
    clips = [TrainingClip(name=f"a clip with a long name {i}", base_loss=0.99) for i in range(6)]
    scene = final(Probe, tmp_path, FormulaParams(clips=clips, copies=3), theme_name=theme_name)
    assert set(scene.reach) == set(FormulaScene.beats)
    for beat, (low, high) in scene.reach.items():
        assert low[0] >= -SAFE_X and high[0] <= SAFE_X, f"{beat}: out of the safe frame sideways"
        assert low[1] >= -SAFE_Y and high[1] <= SAFE_Y, f"{beat}: out of the safe frame vertically"
    assert len(scene.clip_chips) == 6 and scene.big_row.label.text == "n=18"


def test_it_morphs_the_titles_formula_panel_and_ends_as_it_does_alone(tmp_path, alone):
    after = final(Probe, tmp_path, previous=Previous(TitleScene, TitleScene.Params()))
    panel = after.previous_scene.formula_panel
    assert after.carried is panel  # it was on the title's last frame, and is morphed, not faded
    assert after.opening == [] and opening_left_over(after) == [] and panel not in on_screen(after)
    assert not any(isinstance(m, Text) and m.text == after.previous_scene.question[0].text
                   for top in after.mobjects for m in top.get_family())  # the question left with the title
    assert same_picture(after, alone)


def test_after_another_segment_it_cross_fades_and_ends_as_it_does_alone(tmp_path, alone):
    after = final(Probe, tmp_path, previous=Previous(TitledEnding, TitledEnding.Params()))
    assert after.carried is None and after.opening == [] and opening_left_over(after) == []
    assert same_picture(after, alone)

"""Hand-overs are declared: what a scene leaves, what the next picks up, checked without rendering and at run time."""

import pytest
from manim import tempconfig

from scenes.base import HandOverError, PickUp, Previous, SegmentScene, hand_over_problem
from scenes.registry import hand_over_problem as registry_problem
from scenes.registry import scene_classes, thumbnail_scene
from scenes.segments.formula.scene import FormulaScene
from scenes.segments.title import TitleScene
from tests.helpers import tiny_settings
from tests.scenes.helpers import SIZE, STORYBOARD


def test_every_segment_of_the_storyboard_picks_up_what_the_one_before_leaves():
    classes = scene_classes()
    for before, after in zip(STORYBOARD, STORYBOARD[1:], strict=False):
        assert hand_over_problem(classes[before], classes[after]) is None, (before, after)
    assert registry_problem is hand_over_problem


def test_every_declared_pick_up_names_a_segment_that_leaves_it():
    classes = scene_classes()
    for scene in classes.values():
        for pickup in scene.picks_up:
            for source in pickup.after:
                assert pickup.name in classes[source].leaves, (scene.scene_name, source, pickup.name)


def test_a_scene_after_one_it_does_not_pick_up_from_cross_fades_without_a_problem():
    classes = scene_classes()
    assert hand_over_problem(classes["pixels"], classes["loss_bars"]) is None
    assert hand_over_problem(classes["outro"], classes["title"]) is None


class TitleLeavingNothing(TitleScene):
    leaves = ()


def test_a_broken_contract_is_one_line_naming_both_scenes():
    problem = hand_over_problem(TitleLeavingNothing, FormulaScene)
    assert problem == "formula picks up 'formula_panel' from title, which does not leave it (title leaves nothing)"


def test_a_broken_contract_raises_when_rendered_instead_of_cross_fading(tmp_path):
    with tempconfig(tiny_settings(tmp_path, **SIZE)), pytest.raises(HandOverError, match="does not leave it"):
        FormulaScene(previous=Previous(TitleLeavingNothing, TitleLeavingNothing.Params()),
                     skip_animations=True).render()


class LeavesWhatItHasNot(SegmentScene):
    scene_name = "broken"
    leaves = ("clip_chips",)
    beats = ("end",)

    def end(self):
        self.wait(0.1)


def test_a_scene_that_ends_without_what_it_declares_it_leaves_raises(tmp_path):
    with tempconfig(tiny_settings(tmp_path, **SIZE)), pytest.raises(HandOverError, match="not on its last frame"):
        LeavesWhatItHasNot(skip_animations=True).render()


def test_picking_up_an_undeclared_name_raises(tmp_path):
    class Undeclared(SegmentScene):
        picks_up = (PickUp("history", after=("training_loop",)),)

    with tempconfig(tiny_settings(tmp_path, **SIZE)), pytest.raises(HandOverError, match="not declare picking up"):
        Undeclared().pick_up("clip_chips")


def test_the_thumbnail_is_a_scene_but_not_a_segment():
    assert thumbnail_scene().scene_name == "thumbnail"
    assert "thumbnail" not in scene_classes() and thumbnail_scene() not in scene_classes().values()

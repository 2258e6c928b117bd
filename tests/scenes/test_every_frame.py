"""Every frame of every scene, mid-animation included: derived figures agree with the figures they come from,
and no text is drawn over another (hand-overs and cross-fades included). One render per scene runs both."""

import re

import pytest
from manim import Text, VGroup, tempconfig

from scenes.parts.readout import Readout
from scenes.registry import scene_classes, thumbnail_scene
from scenes.theme import PAPER
from tests.helpers import tiny_settings
from tests.scenes.every_frame import checks, every_frame_problems, figure_check, text_overlaps

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("every_frame")]

SCENES = sorted(scene_classes())


def summary(problems: list[str], limit: int = 8) -> str:
    """One line per distinct problem of a beat, as first seen, and the frames it lasts ("beat frame N: …")."""
    spans: dict[tuple[str, str], tuple[str, list[int]]] = {}
    for problem in problems:
        beat, frame, what = re.fullmatch(r"(\S*) frame (\d+): (.*)", problem).groups()
        first, frames = spans.setdefault((beat, re.sub(r" at \(.*", "", what)), (what, []))
        frames.append(int(frame))
    lines = [f"{beat} frames {min(frames)}–{max(frames)}: {first}" for (beat, _), (first, frames) in spans.items()]
    return f"{len(problems)} problems, {len(lines)} distinct:\n" + "\n".join(lines[:limit])


@pytest.mark.parametrize("scene_name", SCENES)
def test_every_derived_figure_agrees_with_what_is_on_screen_at_every_frame(scene_name):
    if figure_check(scene_name) is None:
        pytest.skip(f"{scene_name} shows no figure derived from others")
    run = every_frame_problems(scene_name, checks(scene_name))
    assert run.frames > 0
    problems = run.problems["figures"]
    assert not problems, summary(problems)


@pytest.mark.parametrize("scene_name", SCENES)
def test_no_text_is_drawn_over_another_at_any_frame(scene_name):
    run = every_frame_problems(scene_name, checks(scene_name))
    assert run.frames > 0
    problems = run.problems["overlap"]
    assert not problems, summary(problems)


# Each scene after one it picks nothing up from (configs may reorder segments): its cross-fade, first beat only.
CROSS_FADES = {"title": "outro", "baby_vs_ai": "outro", "formula": "outro", "loss_bars": "pixels",
               "pixels": "formula", "training_loop": "formula", "outro": "formula"}


def test_every_scene_is_tried_after_one_it_cross_fades_from():
    classes = scene_classes()
    assert set(CROSS_FADES) == set(SCENES)
    for scene_name, before in CROSS_FADES.items():
        assert not any(before in pickup.after for pickup in classes[scene_name].picks_up), (scene_name, before)


@pytest.mark.parametrize("scene_name", sorted(CROSS_FADES))
def test_no_text_is_drawn_over_another_when_a_scene_cross_fades_from_any_other(scene_name):
    run = every_frame_problems(scene_name, (("overlap", text_overlaps),), after=CROSS_FADES[scene_name], beats=1)
    assert run.frames > 0
    problems = run.problems["overlap"]
    assert not problems, summary(problems)


def test_the_thumbnail_has_no_text_over_text(tmp_path):
    # At its own size: Pango wraps a line wider than the render in pixels, and the thumbnail's title is big.
    with tempconfig(tiny_settings(tmp_path, pixel_width=1280, pixel_height=720, write_to_movie=False)):
        scene = thumbnail_scene()(skip_animations=True)
        scene.render()
    assert scene.mobjects and not text_overlaps(scene)


class Page:
    def __init__(self, *mobjects):
        self.mobjects = list(mobjects)


def words(content, at, opacity=1.0):
    return Text(content, font_size=40, color=PAPER.ink).move_to(at).set_opacity(opacity)


def test_the_overlap_check_names_two_texts_on_top_of_each_other_and_where():
    problems = text_overlaps(Page(words("Hello", [0, 0, 0]), VGroup(words("World", [0.3, 0, 0], opacity=0.5))))
    assert len(problems) == 1
    assert problems[0].startswith("text 'Hello' overlaps text 'World' at (")
    assert problems[0].endswith("opacity 1.0 and 0.5")
    assert text_overlaps(Page(words("1.00", [0, 0, 0]), Readout(0.72, color=PAPER.ink).move_to([0.1, 0, 0])))


def test_texts_side_by_side_a_faded_one_and_one_text_s_own_parts_never_collide():
    readout = Readout(0.72, color=PAPER.ink).next_to(words("Q =", [0, 0, 0]), buff=0.1)
    assert not text_overlaps(Page(words("Q =", [0, 0, 0]), readout))  # neighbours on one line
    assert not text_overlaps(Page(words("Hello", [0, 0, 0]), words("World", [0.3, 0, 0], opacity=0.2)))
    assert not text_overlaps(Page(words("Mississippi", [0, 0, 0])))
    assert not text_overlaps(Page(VGroup(readout, Readout(0.72, color=PAPER.ink).move_to([0, 3, 0]))))
    assert not text_overlaps(Page(words("0.72", [0, 0, 0]), Readout(0.72, color=PAPER.ink).move_to([0.1, 0, 0])))

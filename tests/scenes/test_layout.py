"""Readable and in frame: every text at the middle and the end of every beat, every scene, measured."""

import pytest

from scenes.registry import scene_classes
from scenes.theme import MIN_CAP_HEIGHT, SAFE_X, SAFE_Y
from tests.scenes.helpers import scene_run

# Every scene of the storyboard rendered and probed (shared by the layout and visual tests, so one worker
# renders each scene once): the full suite only.
pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("storyboard")]

SCENES = sorted(scene_classes())
# A glyph's outline is measured on its points; antialiasing and rounding cost about 3 %.
SLACK = 0.97


@pytest.mark.parametrize("scene_name", SCENES)
def test_no_text_is_smaller_than_12_px_capitals_at_480p(scene_name):
    small = {(sample.beat, sample.share, what, round(height / MIN_CAP_HEIGHT * 12, 1))
             for sample in scene_run(scene_name) for what, height in sample.texts
             if height < SLACK * MIN_CAP_HEIGHT}
    assert not small, f"text under 12 px capitals at 480p (beat, share, text, px): {sorted(small)[:8]}"


@pytest.mark.parametrize("scene_name", SCENES)
def test_everything_drawn_stays_inside_the_safe_frame(scene_name):
    margin = 0.02  # frame units: the stroke of an outline may graze the line
    outside = {(sample.beat, sample.share, what) for sample in scene_run(scene_name)
               for what, (x0, y0, x1, y1) in sample.boxes
               if x0 < -SAFE_X - margin or x1 > SAFE_X + margin
               or y0 < -SAFE_Y - margin or y1 > SAFE_Y + margin}
    assert not outside, f"drawn outside the safe frame (beat, share, what): {sorted(outside)[:8]}"


@pytest.mark.parametrize("scene_name", SCENES)
def test_every_beat_has_a_middle_and_an_end_on_screen(scene_name):
    samples = scene_run(scene_name)
    beats = scene_classes()[scene_name].beats
    assert [(s.beat, s.share) for s in samples] == [(beat, share) for beat in beats for share in (0.5, 1.0)]
    for sample in samples:
        assert sample.frame.max() - sample.frame.min() > 60, f"{sample.beat} at {sample.share:.0%} is blank"

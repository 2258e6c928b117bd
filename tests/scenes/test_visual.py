"""Visual regression: each scene's frames at the middle and the end of every beat, against control frames.

As ManimCE tests itself (manim/utils/testing/frames_comparison.py): control data are .npz files made
on this kind of machine (Debian 12, cairo 1.16, the fonts scripts/setup installs), compared with
ManimCE's own tolerance, 1.01 per channel out of 255. Rendering here is deterministic, so that is
all the room needed. `./scripts/test --set_test tests/scenes/test_visual.py` remakes the control
frames on purpose after a visible change (look at them first: `riskvid stills`).
"""

from pathlib import Path

import numpy as np
import pytest

from scenes.registry import scene_classes
from tests.scenes.helpers import scene_run

# Every scene of the storyboard rendered and probed (shared by the layout and visual tests, so one worker
# renders each scene once): the full suite only.
pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("storyboard")]

CONTROL = Path(__file__).parent / "control_data"
TOLERANCE = 1.01  # ManimCE's: a rounding step per channel, no more


@pytest.mark.parametrize("scene_name", sorted(scene_classes()))
def test_frames_mid_beat_and_at_its_end_match_control(scene_name, set_test):
    frames = {f"{s.beat}@{s.share:.1f}": s.frame for s in scene_run(scene_name)}
    control = CONTROL / f"{scene_name}.npz"
    if set_test:
        np.savez_compressed(control, **frames)
        pytest.skip(f"control frames written to {control}")
    assert control.exists(), f"no control frames for {scene_name}: run ./scripts/test --set_test {__file__}"
    expected = np.load(control)
    assert list(frames) == list(expected.files), "the scene's beats changed"
    for name, frame in frames.items():
        difference = np.abs(frame.astype(int) - expected[name].astype(int))
        differing = np.count_nonzero(difference > TOLERANCE)
        assert difference.max() <= TOLERANCE, f"{scene_name} {name}: {differing} pixels differ"

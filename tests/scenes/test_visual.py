"""Visual regression: each scene's last frame of every beat against committed control frames.

Like ManimCE's own frames_comparison: control data are .npz files made on this kind of machine
(Debian 12, cairo 1.16); `./scripts/test --set_test tests/scenes/test_visual.py` remakes them
on purpose after a visible change.
"""

from pathlib import Path

import numpy as np
import pytest

from riskvid.stills import beat_stills
from scenes.registry import scene_classes

CONTROL = Path(__file__).parent / "control_data"
SIZE = (256, 144)
SEED = 316
ABSOLUTE_TOLERANCE = 3  # per channel, out of 255: anti-aliasing noise
MISMATCH_RATIO = 2e-3  # share of pixels allowed beyond the tolerance


@pytest.mark.parametrize("scene_name", sorted(scene_classes()))
def test_beat_frames_match_control(scene_name, set_test, tmp_path):
    stills = beat_stills(scene_classes()[scene_name], seed=SEED, size=SIZE, work_dir=tmp_path)
    control = CONTROL / f"{scene_name}.npz"
    if set_test:
        np.savez_compressed(control, **{beat: frame for beat, frame in stills})
        pytest.skip(f"control frames written to {control}")
    assert control.exists(), f"no control frames for {scene_name}: run ./scripts/test --set_test {__file__}"
    expected = np.load(control)
    assert [beat for beat, _ in stills] == list(expected.files), "the scene's beats changed"
    for beat, frame in stills:
        diff = np.abs(frame.astype(int) - expected[beat].astype(int)).max(axis=2)
        mismatch = np.count_nonzero(diff > ABSOLUTE_TOLERANCE) / diff.size
        assert mismatch <= MISMATCH_RATIO, f"{scene_name}.{beat}: {mismatch:.2%} of pixels differ from control"

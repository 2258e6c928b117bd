"""Every frame of every scene, mid-animation included: derived figures agree with the figures they come from."""

import pytest

from scenes.registry import scene_classes
from tests.scenes.every_frame import every_frame_problems, figure_check

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("every_frame")]

SCENES = sorted(scene_classes())


@pytest.mark.parametrize("scene_name", SCENES)
def test_every_derived_figure_agrees_with_what_is_on_screen_at_every_frame(scene_name):
    check = figure_check(scene_name)
    if check is None:
        pytest.skip(f"{scene_name} shows no figure derived from others")
    run = every_frame_problems(scene_name, (("figures", check),))
    assert run.frames > 0
    problems = run.problems["figures"]
    assert not problems, f"{len(problems)} frames disagree, first: {problems[:5]}"

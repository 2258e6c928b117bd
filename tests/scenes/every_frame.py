"""Checks run on every frame a scene writes, mid-animation included: not only where beats rest.

``every_frame_problems(scene_name)`` renders the scene small, after its storyboard predecessor (so
its hand-over or cross-fade is played), with a frame tap that runs the checks on the scene's
mobjects as each frame is written: at that moment they are exactly what the frame shows.

Figure checks live in ``tests.scenes.figure_checks.<scene_name>``: a module with
``problems(scene) -> list[str]`` that reads the figures on screen and says, in one line each, where
a figure derived from others disagrees with them.
"""

from __future__ import annotations

import functools
import importlib
import tempfile
from collections.abc import Callable

import numpy as np

from riskvid.pipeline.plan import SegmentPlan
from riskvid.pipeline.render import play_segment
from riskvid.pipeline.timing import natural_beats
from scenes.base import BeatTiming
from scenes.registry import scene_classes
from tests.scenes.helpers import FRAME_SIZE, SEED, previous_of

EVERY_FRAME_FPS = 8  # frames a second: every frame of every animation at this rate is checked

Check = Callable[[object], list[str]]


def figure_check(scene_name: str) -> Check | None:
    """The scene's figure check (``tests.scenes.figure_checks.<scene_name>.problems``), or None."""
    try:
        module = importlib.import_module(f"tests.scenes.figure_checks.{scene_name}")
    except ModuleNotFoundError:
        return None
    return module.problems


class EveryFrame:
    """A frame tap running ``checks`` on the scene at every frame written; keeps the problems found."""

    def __init__(self, checks: dict[str, Check]):
        self.checks, self.scene, self.beat = checks, None, ""
        self.problems: dict[str, list[str]] = {name: [] for name in checks}
        self.frames = 0

    def begin_beat(self, name: str, frame: int) -> None:
        self.beat = name

    def frame(self, index: int, pixels: np.ndarray, repeat: int) -> None:
        self.frames += 1
        for name, check in self.checks.items():
            self.problems[name].extend(f"{self.beat} frame {index}: {problem}" for problem in check(self.scene))


@functools.cache
def every_frame_problems(scene_name: str, checks: tuple[tuple[str, Check], ...]) -> EveryFrame:
    """Render ``scene_name`` (its defaults, its own pace) after its predecessor, running ``checks`` every frame."""
    cls = scene_classes()[scene_name]
    before = previous_of(scene_name)
    previous = (before, scene_classes()[before].Params().model_dump_json()) if before else None
    plan = SegmentPlan(1, scene_name, scene_name, scene_name, cls.Params().model_dump_json(), SEED, "paper",
                       previous)
    with tempfile.TemporaryDirectory() as work:
        timing = {beat.name: BeatTiming(beat.frames(EVERY_FRAME_FPS)) for beat in natural_beats(plan, work)}
        tap = EveryFrame(dict(checks))
        play_segment(plan, timing, FRAME_SIZE[0], FRAME_SIZE[1], EVERY_FRAME_FPS, work, taps=[tap])
    return tap

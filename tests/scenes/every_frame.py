"""Checks run on every frame a scene writes, mid-animation included: not only where beats rest.

``every_frame_problems(scene_name)`` renders the scene small, after its storyboard predecessor (so
its hand-over or cross-fade is played), with a frame tap that runs the checks on the scene's
mobjects as each frame is written: at that moment they are exactly what the frame shows.

Figure checks live in ``tests.scenes.figure_checks.<scene_name>``: a module with
``problems(scene) -> list[str]`` that reads the figures on screen and says, in one line each, where
a figure derived from others disagrees with them.

``text_overlaps(scene)`` runs on every scene: two visible texts (``texts_on_screen``: Text, TeX, read-outs,
at ``VISIBLE`` opacity or more) whose glyphs overlap, at a hand-over, a cross-fade or anywhere else.
``checks(scene_name)`` is what one render of a scene runs: the overlap check and its figure check.
"""

from __future__ import annotations

import contextlib
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
from tests.scenes.helpers import FRAME_SIZE, SEED, previous_of, texts_on_screen, visible

EVERY_FRAME_FPS = 8  # frames a second: every frame of every animation at this rate is checked

GLYPH_SLACK = 0.02  # frame units each glyph's box is shrunk by on every side: outlines overshoot their letters

Check = Callable[[object], list[str]]


def figure_check(scene_name: str) -> Check | None:
    """The scene's figure check (``tests.scenes.figure_checks.<scene_name>.problems``), or None."""
    try:
        module = importlib.import_module(f"tests.scenes.figure_checks.{scene_name}")
    except ModuleNotFoundError:
        return None
    return module.problems


def glyph_boxes(text) -> tuple[np.ndarray, np.ndarray]:
    """The boxes (x0, y0, x1, y1) of ``text``'s visible glyphs, shrunk by GLYPH_SLACK, and their opacities."""
    glyphs = [glyph for glyph in text.family_members_with_points() if visible(glyph)]
    boxes = np.array([[*glyph.points[:, :2].min(axis=0), *glyph.points[:, :2].max(axis=0)] for glyph in glyphs])
    opacities = np.array([max(glyph.get_fill_opacity(), glyph.get_stroke_opacity()) for glyph in glyphs])
    return boxes.reshape(-1, 4) + GLYPH_SLACK * np.array([1, 1, -1, -1]), opacities


def _meet(first: np.ndarray, second: np.ndarray) -> np.ndarray:
    """(len(first), len(second)) booleans: which boxes of ``first`` overlap which of ``second``."""
    return ((first[:, None, 0] < second[None, :, 2]) & (second[None, :, 0] < first[:, None, 2])
            & (first[:, None, 1] < second[None, :, 3]) & (second[None, :, 1] < first[:, None, 3]))


def text_overlaps(scene) -> list[str]:
    """Every two visible texts on ``scene`` whose glyphs overlap: which two, where, at what opacities.

    Glyphs, not whole texts: a text beside another on one line never collides with it, and the parts of
    one text (or of a read-out) never collide with each other. Two texts that say the same (a copy
    lifting off its original, a number cross-fading into its chip) add no other words to the spot: not a
    collision.
    """
    texts = [(name, *glyph_boxes(mob)) for name, mob, _ in texts_on_screen(scene.mobjects)]
    texts = [(name, boxes, opacities) for name, boxes, opacities in texts if len(boxes)]
    outer = np.array([[*boxes[:, :2].min(axis=0), *boxes[:, 2:].max(axis=0)] for _, boxes, _ in texts]).reshape(-1, 4)
    problems = []
    for i, j in zip(*np.nonzero(np.triu(_meet(outer, outer), k=1)), strict=True):
        (first, boxes_i, seen_i), (second, boxes_j, seen_j) = texts[i], texts[j]
        if first.split(" ", 1)[1] == second.split(" ", 1)[1]:  # "text '0.84'" and "read-out '0.84'" say the same
            continue
        meets = _meet(boxes_i, boxes_j)
        if not meets.any():
            continue
        a, b = (int(k) for k in np.argwhere(meets)[0])
        low = np.maximum(boxes_i[a, :2], boxes_j[b, :2])
        high = np.minimum(boxes_i[a, 2:], boxes_j[b, 2:])
        x, y = (low + high) / 2
        problems.append(f"{first} overlaps {second} at ({x:.2f}, {y:.2f}), "
                        f"opacity {seen_i[meets.any(axis=1)].max():.1f} and {seen_j[meets.any(axis=0)].max():.1f}")
    return problems


def checks(scene_name: str) -> tuple[tuple[str, Check], ...]:
    """What one render of ``scene_name`` checks at every frame: text overlaps, and its figure check if any."""
    figures = figure_check(scene_name)
    return (("overlap", text_overlaps),) + ((("figures", figures),) if figures is not None else ())


class Enough(Exception):
    """Raised by the tap when the beats it was asked to check are over: the render stops there."""


class EveryFrame:
    """A frame tap running ``checks`` on the scene at every frame written (of its first ``beats``, if given)."""

    def __init__(self, checks: dict[str, Check], beats: int | None = None):
        self.checks, self.scene, self.beat, self.beats = checks, None, "", beats
        self.problems: dict[str, list[str]] = {name: [] for name in checks}
        self.frames, self.begun = 0, 0

    def begin_beat(self, name: str, frame: int) -> None:
        self.beat, self.begun = name, self.begun + 1
        if self.beats is not None and self.begun > self.beats:
            raise Enough

    def frame(self, index: int, pixels: np.ndarray, repeat: int) -> None:
        self.frames += 1
        for name, check in self.checks.items():
            self.problems[name].extend(f"{self.beat} frame {index}: {problem}" for problem in check(self.scene))


@functools.cache
def every_frame_problems(scene_name: str, checks: tuple[tuple[str, Check], ...], after: str | None = None,
                         beats: int | None = None) -> EveryFrame:
    """Render ``scene_name`` (its defaults, its own pace) after ``after`` (default: its storyboard predecessor),
    running ``checks`` every frame; only its first ``beats`` when given (a hand-over is in the first)."""
    cls = scene_classes()[scene_name]
    before = after or previous_of(scene_name)
    previous = (before, scene_classes()[before].Params().model_dump_json()) if before else None
    plan = SegmentPlan(1, scene_name, scene_name, scene_name, cls.Params().model_dump_json(), SEED, "paper",
                       previous)
    with tempfile.TemporaryDirectory() as work:
        timing = {beat.name: BeatTiming(beat.frames(EVERY_FRAME_FPS)) for beat in natural_beats(plan, work)}
        tap = EveryFrame(dict(checks), beats)
        with contextlib.suppress(Enough):
            play_segment(plan, timing, FRAME_SIZE[0], FRAME_SIZE[1], EVERY_FRAME_FPS, work, taps=[tap])
    return tap

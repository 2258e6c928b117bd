"""Each scene rendered once for real, small and slow, after the scene that precedes it in the storyboard.

A probe tap keeps, at the middle and the end of every beat, the frame and a measure of every text on
screen (its capital height) and of everything drawn (its box): the layout and visual tests read them.
"""

from __future__ import annotations

import functools
import tempfile
from dataclasses import dataclass

import numpy as np
from manim import MathTex, SingleStringMathTex, Text, VMobject

from riskvid.pipeline.plan import SegmentPlan
from riskvid.pipeline.render import play_segment
from riskvid.pipeline.timing import natural_beats
from scenes import theme
from scenes.base import BeatTiming
from scenes.parts.readout import Readout
from scenes.registry import scene_classes

STORYBOARD = ["title", "baby_vs_ai", "formula", "loss_bars", "pixels", "training_loop", "outro"]
SIZE, FPS, SEED = (256, 144), 4, 316
SHARES = (0.5, 1.0)  # the middle and the end of every beat


@dataclass(frozen=True)
class Sample:
    """One probed frame: the picture, and what is on screen."""

    beat: str
    share: float
    frame: np.ndarray
    texts: list  # (description, capital height in frame units)
    boxes: list  # (description, (x0, y0, x1, y1))


@functools.cache
def cap_per_point(font: str | None) -> float:
    """The height of a capital per font point, in frame units, for a Pango font (or TeX when None)."""
    if font is None:
        return MathTex("H", font_size=48, tex_template=theme.TEX_TEMPLATE).height / 48
    return Text("H", font=font, font_size=48).height / 48


def previous_of(scene_name: str) -> str | None:
    index = STORYBOARD.index(scene_name) if scene_name in STORYBOARD else 0
    return STORYBOARD[index - 1] if index > 0 else None


class Probe:
    """A frame tap measuring what is on screen at chosen frames of each beat."""

    def __init__(self, lengths: dict[str, int]):
        self.lengths, self.scene, self.samples = lengths, None, []
        self.beat, self.wanted = None, {}

    def begin_beat(self, name: str, frame: int) -> None:
        length = self.lengths[name]
        self.beat = name
        self.wanted = {frame + min(length - 1, int(share * length)): share for share in SHARES}

    def frame(self, index: int, pixels: np.ndarray, repeat: int) -> None:
        for at in range(index, index + repeat):
            if at in self.wanted:
                texts, boxes = measure(self.scene.mobjects)
                self.samples.append(Sample(self.beat, self.wanted.pop(at), pixels[:, :, :3].copy(), texts, boxes))


def visible(mobject) -> bool:
    return any(m.get_fill_opacity() > 0.3 or (m.get_stroke_opacity() > 0.3 and m.get_stroke_width() > 0)
               for m in mobject.family_members_with_points() if isinstance(m, VMobject))


def measure(mobjects) -> tuple[list, list]:
    """(texts with their capital height, boxes of everything drawn) among ``mobjects`` and their families."""
    texts, boxes, seen = [], [], set()
    for top in mobjects:
        for mob in top.get_family():
            if id(mob) in seen:
                continue
            seen.add(id(mob))
            if isinstance(mob, Text) and mob.submobjects and visible(mob):
                texts.append((f"text {mob.text[:30]!r}", mob.font_size * cap_per_point(mob.font)))
            elif isinstance(mob, (MathTex, SingleStringMathTex)) and mob.submobjects and visible(mob):
                texts.append((f"tex {mob.get_tex_string()[:30]!r}", mob.font_size * cap_per_point(None)))
            elif isinstance(mob, Readout) and visible(mob.characters):
                texts.append((f"read-out {mob.text_for(mob.value)!r}", mob.box.height))
            else:
                continue
            seen.update(id(part) for part in mob.get_family())  # its parts are measured with it
        for mob in top.family_members_with_points():
            if isinstance(mob, VMobject) and visible(mob) and not getattr(mob, "full_bleed", False):
                low, high = mob.points.min(axis=0), mob.points.max(axis=0)
                boxes.append((f"{type(mob).__name__} of {type(top).__name__}", (low[0], low[1], high[0], high[1])))
    return texts, boxes


@functools.cache
def scene_run(scene_name: str, theme_name: str = "paper") -> list[Sample]:
    """Render ``scene_name`` (its defaults, its own pace) after its storyboard predecessor; the probed samples."""
    cls = scene_classes()[scene_name]
    before = previous_of(scene_name)
    previous = (before, scene_classes()[before].Params().model_dump_json()) if before else None
    plan = SegmentPlan(1, scene_name, scene_name, scene_name, cls.Params().model_dump_json(), SEED, theme_name,
                       previous)
    with tempfile.TemporaryDirectory() as work:
        timing = {beat.name: BeatTiming(beat.frames(FPS)) for beat in natural_beats(plan, work)}
        probe = Probe({beat: planned.frames for beat, planned in timing.items()})
        play_segment(plan, timing, SIZE[0], SIZE[1], FPS, work, taps=[probe])
    theme.use("paper")
    return probe.samples

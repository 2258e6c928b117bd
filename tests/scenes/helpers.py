"""Helpers for the scene tests: play scenes small, probe what is on screen, measure it. One module, one rule.

Two ways to look at a scene, one notion of "visible" (``VISIBLE``):

- ``scene_run(name)``: the scene rendered for real (256×144, 4 fps) after its storyboard
  predecessor; a frame tap keeps, at the middle and the end of every beat, the frame and a measure
  of every text (its capital height) and of everything drawn (its box). Cached: the visual and
  layout tests share one render per scene.
- ``play_beats(SceneClass)`` / ``final(SceneClass, media)``: the scene played without drawing
  (``final`` draws its last frame); ``probe(SceneClass, note)`` records ``note(scene)`` after each beat.

Measures: ``texts_on_screen``, ``visible_bounds``, ``out_of_frame``, ``small_glyphs``, ``blank_readouts``, ``titles``,
``on_screen``/``points_of``, ``opening_left_over``. Stand-in previous segments: ``ChipsEnding``
(ends as the formula segment does, leaving ``clip_chips``) and ``TitledEnding`` (any other).
"""

from __future__ import annotations

import functools
import tempfile
from dataclasses import dataclass, field

import numpy as np
from manim import RIGHT, MathTex, RoundedRectangle, SingleStringMathTex, Text, VGroup, VMobject, tempconfig

from riskvid.pipeline.plan import SegmentPlan
from riskvid.pipeline.render import play_segment
from riskvid.pipeline.timing import natural_beats
from scenes.base import BeatTiming, Previous, SegmentScene
from scenes.parts.page import PageTitle
from scenes.parts.readout import Readout
from scenes.registry import scene_classes
from scenes.theme import MIN_CAP_HEIGHT, PAPER, SAFE_X, SAFE_Y, TEX_TEMPLATE, font
from tests.helpers import tiny_settings

STORYBOARD = ["title", "baby_vs_ai", "formula", "loss_bars", "pixels", "training_loop", "outro"]
FRAME_SIZE, FPS, SEED = (256, 144), 4, 316
SHARES = (0.5, 1.0)  # the middle and the end of every beat
SIZE = {"pixel_width": 256, "pixel_height": 144, "write_to_movie": False}

# What a viewer reads: a part drawn at 30 % of its opacity or more. Less is a fade's first or last
# frames, or a morph on its way (the outro's "step" shrinking into "w" passes 12 px at about 20 %):
# nothing anyone reads, so the layout rules (size, frame) do not apply to it. The deliberately
# dimmed stay visible: the formula's spotlight leaves the other glyphs at exactly 0.3 of their own
# opacity, the outro's earlier nudge arrows at 0.3. (The two probes this replaces used 0.3 and 0.01;
# at 0.01 a part changes a pixel by at most 2.5 of 255 levels, which no one sees.)
VISIBLE = 0.3


def visible(mobject: VMobject) -> bool:
    """Whether ``mobject`` itself (not its family) draws something a viewer sees (``VISIBLE``)."""
    return (isinstance(mobject, VMobject) and mobject.has_points()
            and (mobject.get_fill_opacity() >= VISIBLE
                 or (mobject.get_stroke_opacity() >= VISIBLE and mobject.get_stroke_width() > 0)))


def drawn(mobjects) -> list:
    """Every family member of ``mobjects`` that draws something visible."""
    return [m for mob in mobjects for m in mob.get_family() if visible(m)]


# Rendering a scene for real, with a frame tap.
@dataclass(frozen=True)
class Sample:
    """One probed frame: the picture, and what is on screen."""

    beat: str
    share: float
    frame: np.ndarray
    texts: list  # (description, capital height in frame units)
    boxes: list  # (description, (x0, y0, x1, y1))


@functools.cache
def cap_per_point(font_name: str | None) -> float:
    """The height of a capital per font point, in frame units, for a Pango font (or TeX when None)."""
    if font_name is None:
        return MathTex("H", font_size=48, tex_template=TEX_TEMPLATE).height / 48
    return Text("H", font=font_name, font_size=48).height / 48


def previous_of(scene_name: str) -> str | None:
    index = STORYBOARD.index(scene_name) if scene_name in STORYBOARD else 0
    return STORYBOARD[index - 1] if index > 0 else None


class FrameProbe:
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


def texts_on_screen(mobjects) -> list[tuple[str, VMobject, float]]:
    """(description, mobject, capital height) of every visible text among ``mobjects`` and their families.

    A text is a Pango ``Text``, a TeX ``MathTex``/``SingleStringMathTex`` or a ``Readout``; one that
    is a part of another (a Readout's characters, a MathTex's parts) counts once, with the outer one.
    """
    texts, seen = [], set()
    for top in mobjects:
        for mob in top.get_family():
            if id(mob) in seen:
                continue
            seen.add(id(mob))
            if isinstance(mob, Text) and mob.submobjects and drawn([mob]):
                words = getattr(mob, "original_text", mob.text)  # as written, spaces included
                texts.append((f"text {words[:30]!r}", mob, mob.font_size * cap_per_point(mob.font)))
            elif isinstance(mob, (MathTex, SingleStringMathTex)) and mob.submobjects and drawn([mob]):
                texts.append((f"tex {mob.get_tex_string()[:30]!r}", mob, mob.font_size * cap_per_point(None)))
            elif isinstance(mob, Readout) and drawn([mob.characters]):
                texts.append((f"read-out {mob.text_for(mob.value)!r}", mob, mob.box.height))
            else:
                continue
            seen.update(id(part) for part in mob.get_family())  # its parts are measured with it
    return texts


def measure(mobjects) -> tuple[list, list]:
    """(texts with their capital height, boxes of everything drawn) among ``mobjects`` and their families."""
    texts = [(description, height) for description, _, height in texts_on_screen(mobjects)]
    boxes = []
    for top in mobjects:
        for mob in top.family_members_with_points():
            if visible(mob) and not getattr(mob, "full_bleed", False):
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
        probe = FrameProbe({beat: planned.frames for beat, planned in timing.items()})
        play_segment(plan, timing, FRAME_SIZE[0], FRAME_SIZE[1], FPS, work, taps=[probe])
    return probe.samples


# Playing a scene without drawing, noting what is on screen after each beat.
def probe(scene_class, note):
    """A subclass of ``scene_class`` that records ``note(scene)`` in ``scene.seen[beat]`` after each beat."""

    class Probe(scene_class):
        def construct(self):
            self.seen = {}
            for beat in self.beats:
                setattr(self, beat, self._noting(beat, getattr(self, beat)))
            super().construct()

        def _noting(self, beat, method):
            def run():
                method()
                self.seen[beat] = note(self)
            return run

    Probe.__name__ = f"Probe{scene_class.__name__}"
    return Probe


def visible_bounds(mobjects):
    """(lower-left, upper-right) of every visible point, or None on an empty page."""
    parts = drawn(mobjects)
    if not parts:
        return None
    stacked = np.vstack([m.points for m in parts])
    return stacked.min(axis=0), stacked.max(axis=0)


def out_of_frame(mobjects, x=SAFE_X, y=SAFE_Y, slack=0.02):
    """The visible parts poking out of the safe frame."""
    out = []
    for m in drawn(mobjects):
        (left, bottom, _), (right, top, _) = m.points.min(axis=0), m.points.max(axis=0)
        if left < -x - slack or right > x + slack or bottom < -y - slack or top > y + slack:
            out.append((type(m).__name__, round(left, 2), round(right, 2), round(bottom, 2), round(top, 2)))
    return out


def small_glyphs(mobjects, minimum=MIN_CAP_HEIGHT * 0.97):
    """Capital letters and digits (of Text and read-outs) drawn, visibly, shorter than ``minimum``.

    The 3 % slack is for glyph outlines (a round "O" or "0" overshoots, a flat "E" does not).
    """
    small = []
    for mob in mobjects:
        for part in mob.get_family():
            if isinstance(part, Text):
                chars = [c for c in part.text if not c.isspace()]
                if len(chars) != len(part.submobjects):
                    continue
                glyphs = [(c, g) for c, g in zip(chars, part.submobjects, strict=True)
                          if c.isascii() and (c.isupper() or c.isdigit())]
            elif isinstance(part, Readout):
                shown = part.text_for(part.value).rjust(part.cells)
                glyphs = [(c, g) for c, g in zip(shown, part.characters, strict=True) if c.isdigit() and g.has_points()]
            else:
                continue
            for char, glyph in glyphs:
                if visible(glyph) and glyph.height < minimum:
                    small.append((getattr(part, "text", char), char, round(glyph.height, 3)))
    return small


def blank_readouts(mobjects):
    """Read-outs on screen that draw fewer characters than the value they hold."""
    blank = []
    for mob in mobjects:
        for part in mob.get_family():
            if isinstance(part, Readout):
                text = part.text_for(part.value)
                count = sum(1 for cell in part.characters if cell.has_points())
                if count != len(text.replace(" ", "")):
                    blank.append((text, count))
    return blank


def titles(mobjects):
    """The PageTitles on screen."""
    return [m for mob in mobjects for m in mob.get_family() if isinstance(m, PageTitle)]


class ChipsEnding(SegmentScene):
    """Ends as the formula segment does (its hand-over): a title, and a group holding the clips' chips.

    It stands in for the formula (``scene_name``) and declares it leaves ``clip_chips``.
    """

    scene_name = "formula"
    leaves = ("clip_chips",)
    beats = ("end",)
    texts = ("0.84", "0.67", "0.78", "0.59", "0.71")

    def end(self):
        chips = VGroup()
        for text in self.texts:
            box = RoundedRectangle(width=0.9, height=0.5, corner_radius=0.1, fill_color=PAPER.page2, fill_opacity=1)
            number = Text(text, font=font("mono"), font_size=26, color=PAPER.ink).move_to(box)
            chip = VGroup(box, number)
            chip.number = number
            chips.add(chip)
        chips.arrange(RIGHT, buff=0.4).move_to([1.5, -2.5, 0])
        self.clip_chips = chips
        table = Text("a summary table", font_size=40, color=PAPER.ink2).move_to([0, 1, 0])
        self.add(PageTitle(self.theme, "The formula, part by part"), VGroup(table, chips))
        self.wait(0.1)


class TitledEnding(SegmentScene):
    """Ends like any other segment: a title and some content."""

    scene_name = ""
    beats = ("end",)

    def end(self):
        self.add(PageTitle(self.theme, "Something else"), Text("content", font_size=40, color=PAPER.ink))
        self.wait(0.1)


def opening_left_over(scene):
    """Mobjects of the previous segment's last frame that are still on screen."""
    if scene.previous_scene is None:
        return []
    before = {id(m) for mob in scene.previous_scene.mobjects for m in mob.get_family()}
    return [m for mob in scene.mobjects for m in mob.get_family() if id(m) in before and m.has_points()]


@dataclass
class BeatPicture:
    """What was on screen at the end of a beat: its texts, those too small to read, what lies outside."""

    texts: list[tuple[str, float]] = field(default_factory=list)  # (text, font size) of every visible Text
    too_small: list = field(default_factory=list)
    outside: list = field(default_factory=list)


def picture(scene) -> BeatPicture:
    """Measure what is on ``scene`` now."""
    texts = [(m.text, m.font_size) for mob in scene.mobjects for m in mob.get_family()
             if isinstance(m, Text) and drawn(m.get_family())]
    return BeatPicture(texts, small_glyphs(scene.mobjects), out_of_frame(scene.mobjects))


def play_beats(scene_class, params=None, seed=316, previous: Previous | None = None, theme_name="paper"):
    """Play ``scene_class`` without drawing; return (the scene, {beat: BeatPicture at its end})."""
    recording = probe(scene_class, picture)
    with tempfile.TemporaryDirectory() as media, tempconfig(tiny_settings(media, **SIZE)):
        scene = recording(params=params, seed=seed, previous=previous, theme_name=theme_name, skip_animations=True)
        scene.render()
    return scene, scene.seen


def final(scene_class, media_dir, params=None, previous=None, theme_name="paper", seed=316):
    """``scene_class`` played to its end; ``.last_frame`` is its last picture (RGB)."""
    with tempconfig(tiny_settings(media_dir, **SIZE)):
        scene = scene_class(params=params, seed=seed, previous=previous, theme_name=theme_name, skip_animations=True)
        scene.render()
        scene.last_frame = np.asarray(scene.renderer.picture(scene))[:, :, :3].copy()
    return scene


def same_picture(first, second, tolerance=3):
    """Whether two scenes' last frames agree to within ``tolerance`` per channel (antialiasing)."""
    return np.abs(first.last_frame.astype(int) - second.last_frame.astype(int)).max() <= tolerance


def on_screen(scene):
    """Every mobject drawn by ``scene`` now (the families of its top-level mobjects)."""
    return {mob for top in scene.mobjects for mob in top.get_family()}


def points_of(mobject):
    """The parts of ``mobject`` that have points (what ``on_screen`` must hold for it to be seen)."""
    return set(mobject.family_members_with_points())

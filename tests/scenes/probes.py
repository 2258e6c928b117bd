"""Shared helpers for scene tests: play a scene without drawing, note what is on screen after each beat.

- ``probe(SceneClass, note)`` makes a subclass whose beats each call ``note(scene)`` when they end
  (the scene's own ``construct`` runs, hand-over included); ``play_beats`` plays a scene and returns
  a ``BeatPicture`` of every beat's end; ``final`` plays a scene to its end and draws its last frame.
- Measures: ``visible_bounds`` (the box of every drawn point), ``out_of_frame`` (parts outside the
  safe frame), ``small_glyphs`` (capitals and digits drawn smaller than the theme allows),
  ``blank_readouts``, ``titles``, ``on_screen``/``points_of``, ``opening_left_over``.
- Two stand-in previous segments: ``ChipsEnding`` ends like FormulaScene's contract (a title and a
  group holding ``clip_chips``), ``TitledEnding`` like any other scene (a title and some content).
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass, field

import numpy as np
from manim import RIGHT, RoundedRectangle, Text, VGroup, VMobject, tempconfig

from scenes import theme
from scenes.base import Previous, SegmentScene
from scenes.parts.page import PageTitle
from scenes.parts.readout import Readout
from tests.helpers import tiny_settings

SIZE = {"pixel_width": 256, "pixel_height": 144, "write_to_movie": False}


def probe(scene_class, note):
    """A subclass of ``scene_class`` that records ``note(scene)`` in ``scene.seen[beat]`` after each beat."""

    class Probe(scene_class):
        def construct(self):
            self.seen = {}
            for beat in self.beats:
                def run(method=getattr(self, beat), beat=beat):
                    method()
                    self.seen[beat] = note(self)
                setattr(self, beat, run)
            super().construct()

    Probe.__name__ = f"Probe{scene_class.__name__}"
    return Probe


def drawn(mobjects):
    """Every family member of ``mobjects`` that draws something visible."""
    return [m for mob in mobjects for m in mob.get_family()
            if isinstance(m, VMobject) and m.has_points()
            and (m.get_fill_opacity() > 0.01 or (m.get_stroke_opacity() > 0.01 and m.get_stroke_width() > 0))]


def visible_bounds(mobjects):
    """(lower-left, upper-right) of every visible point, or None on an empty page."""
    parts = drawn(mobjects)
    if not parts:
        return None
    stacked = np.vstack([m.points for m in parts])
    return stacked.min(axis=0), stacked.max(axis=0)


def out_of_frame(mobjects, x=theme.SAFE_X, y=theme.SAFE_Y, slack=0.02):
    """The visible parts poking out of the safe frame."""
    out = []
    for m in drawn(mobjects):
        (left, bottom, _), (right, top, _) = m.points.min(axis=0), m.points.max(axis=0)
        if left < -x - slack or right > x + slack or bottom < -y - slack or top > y + slack:
            out.append((type(m).__name__, round(left, 2), round(right, 2), round(bottom, 2), round(top, 2)))
    return out


def small_glyphs(mobjects, minimum=theme.MIN_CAP_HEIGHT * 0.97):
    """Capital letters and digits (of Text and read-outs) drawn shorter than ``minimum``.

    The 3 % slack is for glyph outlines (a round "O" or "0" overshoots, a flat "E" does not).
    """
    small = []
    for mob in mobjects:
        for part in mob.get_family():
            if isinstance(part, Text):
                chars = [c for c in part.text if not c.isspace()]
                if len(chars) != len(part.submobjects):
                    continue
                glyphs = [(c, g) for c, g in zip(chars, part.submobjects) if c.isascii() and (c.isupper() or c.isdigit())]
            elif isinstance(part, Readout):
                shown = part.text_for(part.value).rjust(part.cells)
                glyphs = [(c, g) for c, g in zip(shown, part.characters) if c.isdigit() and g.has_points()]
            else:
                continue
            for char, glyph in glyphs:
                if glyph.get_fill_opacity() > 0.01 and glyph.height < minimum:
                    small.append((getattr(part, "text", char), char, round(glyph.height, 3)))
    return small


def blank_readouts(mobjects):
    """Read-outs on screen that draw fewer characters than the value they hold."""
    blank = []
    for mob in mobjects:
        for part in mob.get_family():
            if isinstance(part, Readout):
                text = part.text_for(part.value)
                drawn = sum(1 for cell in part.characters if cell.has_points())
                if drawn != len(text.replace(" ", "")):
                    blank.append((text, drawn))
    return blank


def titles(mobjects):
    """The PageTitles on screen."""
    return [m for mob in mobjects for m in mob.get_family() if isinstance(m, PageTitle)]


class ChipsEnding(SegmentScene):
    """Ends like FormulaScene's contract: a title, and a group holding the clips' chips (``.clip_chips``)."""

    scene_name = ""
    beats = ("end",)
    texts = ("0.84", "0.67", "0.78", "0.59", "0.71")

    def end(self):
        chips = VGroup()
        for text in self.texts:
            box = RoundedRectangle(width=0.9, height=0.5, corner_radius=0.1, fill_color=theme.PAPER2, fill_opacity=1)
            number = Text(text, font=theme.font("mono"), font_size=26, color=theme.INK).move_to(box)
            chip = VGroup(box, number)
            chip.number = number
            chips.add(chip)
        chips.arrange(RIGHT, buff=0.4).move_to([1.5, -2.5, 0])
        self.clip_chips = chips
        table = Text("a summary table", font_size=40, color=theme.INK2).move_to([0, 1, 0])
        self.add(PageTitle("The formula, part by part"), VGroup(table, chips))
        self.wait(0.1)


class TitledEnding(SegmentScene):
    """Ends like any other segment: a title and some content."""

    scene_name = ""
    beats = ("end",)

    def end(self):
        self.add(PageTitle("Something else"), Text("content", font_size=40, color=theme.INK))
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
    Recording = probe(scene_class, picture)
    with tempfile.TemporaryDirectory() as media, tempconfig(tiny_settings(media, **SIZE)):
        scene = Recording(params=params, seed=seed, previous=previous, theme_name=theme_name, skip_animations=True)
        scene.render()
    theme.use("paper")
    return scene, scene.seen


def final(scene_class, media_dir, params=None, previous=None, theme_name="paper", seed=316):
    """``scene_class`` played to its end; ``.last_frame`` is its last picture (RGB)."""
    with tempconfig(tiny_settings(media_dir, **SIZE)):
        scene = scene_class(params=params, seed=seed, previous=previous, theme_name=theme_name, skip_animations=True)
        scene.render()
        scene.renderer.update_frame(scene)
        scene.last_frame = np.asarray(scene.renderer.get_frame())[:, :, :3].copy()
    theme.use("paper")
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

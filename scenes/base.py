"""The base of every segment scene: typed params, beats as sections, timed to the video's timeline.

A segment scene plays its beats in order. Rendered for the video, it is handed each beat's
planned length (from the timeline, which the narration sets): a beat whose voice needs more time
than its animations take plays them a little slower (at most ``max_stretch``) and holds on the
result for the rest, ending on exactly its planned frame. Rendered alone (``manim -ql``), the
beats keep their natural lengths.

A scene opens on the last frame of the segment before it: it is given that segment's scene class
and params, replays it without drawing to get its final mobjects, and its first beat carries
them over (``hand_over``), so nothing on screen goes blank between segments.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar

import numpy as np
from manim import FadeIn, FadeOut, Mobject, Scene, Text, config
from tqdm import tqdm

from scenes import theme
from scenes.parts.components import drop_svg_paths
from scenes.fields import SceneParams


@dataclass(frozen=True)
class BeatTiming:
    """A beat's planned length in frames, and how much to slow its animations to fill it."""

    frames: int
    stretch: float = 1.0


@dataclass(frozen=True)
class BeatRecord:
    """What a beat did when it played: its frames in the segment, and its plays' own lengths (s)."""

    name: str
    start: int  # first frame
    end: int  # one past its last frame
    plays: tuple[float, ...]  # each play()/wait()'s run time at its own pace


@dataclass(frozen=True)
class Previous:
    """The segment before this one: its scene class and params (its last frame is where we start)."""

    scene_class: type
    params: Any


class SegmentScene(Scene):
    """One segment of the video.

    A subclass sets ``scene_name`` (its name in video.yaml), ``Params`` (a SceneParams model
    whose defaults reproduce the storyboard) and ``beats``: the names of its beat methods, in
    order; each is played as its own section.
    """

    scene_name: ClassVar[str] = ""
    Params: ClassVar[type[SceneParams]] = SceneParams
    beats: ClassVar[tuple[str, ...]] = ()

    def __init__(
        self,
        params: SceneParams | None = None,
        seed: int = 0,
        timing: dict[str, BeatTiming] | None = None,
        previous: Previous | None = None,
        theme_name: str = "paper",
        **kwargs: Any,
    ):
        theme.use(theme_name)
        self.params = params if params is not None else self.Params()
        self.seed = seed
        self.timing = dict(timing) if timing else None
        self.previous = previous
        self.previous_scene: SegmentScene | None = None  # the segment before, replayed (see hand_over)
        self.opening: list[Mobject] = []  # what was on screen when this segment began
        self.beat_log: list[BeatRecord] = []
        self.frames = 0  # frames played so far
        self._stretch = 1.0
        self._plays: list[float] = []
        super().__init__(**kwargs)

    def setup(self) -> None:
        self.camera.background_color = theme.PAPER

    def construct(self) -> None:
        if self.previous is not None:
            self.previous_scene = replay(self.previous.scene_class, self.previous.params, self.seed)
            self.opening = list(self.previous_scene.mobjects)
            self.add(*self.opening)
        end_frame = 0
        for beat in self.beats:
            self.next_section(beat)
            start, self._plays = self.frames, []
            self._begin_beat(beat)
            getattr(self, beat)()
            if self.timing is not None:
                end_frame += self.timing[beat].frames
                self.hold_until(end_frame, beat)
            self.beat_log.append(BeatRecord(beat, start, self.frames, tuple(self._plays)))

    def _begin_beat(self, beat: str) -> None:
        """Tell the writer a beat starts (a keyframe there), and set this beat's pace."""
        begin = getattr(self.renderer.file_writer, "begin_beat", None)
        if begin is not None:
            begin(beat)
        self._stretch = self.timing[beat].stretch if self.timing is not None else 1.0

    def compile_animation_data(self, *animations: Any, **kwargs: Any) -> Any:
        """Manim's, with the run time slowed to this beat's pace and made a whole number of frames.

        An animation of ``count`` frames draws them at 1/fps … count/fps (see get_time_progression),
        so its last frame shows it finished; a frozen wait draws ``floor(run_time × fps)`` frames,
        so its run time is nudged half a frame up.
        """
        result = super().compile_animation_data(*animations, **kwargs)
        natural = self.duration
        self._plays.append(natural)
        count = play_frames(natural, self._stretch, config.frame_rate)
        nudge = 0.5 if self.is_current_animation_frozen_frame() else 0.0
        duration = (count + nudge) / config.frame_rate
        for animation in self.animations:
            animation.run_time = animation.run_time * duration / natural if natural else duration
        self.duration = duration
        self.frames += count
        return result

    def get_time_progression(self, run_time: float, description: str, n_iterations: int | None = None,
                             override_skip_animations: bool = False):
        """The times an animation's frames show: one frame on, never its first instant.

        Manim draws t = 0, 1/fps, … (t < run_time): its first frame repeats what is already on screen
        and its last falls short of the end, so a count could stop a digit early on a beat's last
        frame. We draw t = 1/fps, …, run_time: the same number of frames, the last one finished.
        """
        if self.renderer.skip_animations and not override_skip_animations:
            return super().get_time_progression(run_time, description, n_iterations, override_skip_animations)
        step = 1 / config.frame_rate
        times = step * np.arange(1, max(1, round(run_time * config.frame_rate)) + 1)
        return tqdm(times, disable=True)

    def hold_until(self, end_frame: int, beat: str = "") -> None:
        """Hold the current picture until frame ``end_frame`` (the planned end of a beat)."""
        missing = end_frame - self.frames
        if missing < 0:
            raise RuntimeError(f"{self.scene_name}.{beat} ran {-missing} frames past its planned end")
        if missing == 0:
            return
        self.frames += missing
        if self.renderer.skip_animations:
            self.renderer.time += missing / config.frame_rate
        else:
            self.renderer.update_frame(self)
            self.renderer.add_frame(self.renderer.get_frame(), num_frames=missing)

    def hand_over(self, *arrivals: Mobject, run_time: float = theme.HOLD, keep: tuple[Mobject, ...] = ()) -> None:
        """Cross-fade from the previous segment's last frame to ``arrivals``: never a blank frame.

        Whatever of ``self.opening`` is not in ``keep`` fades out while ``arrivals`` fade in.
        A scene with a better hand-over (a morph) does that instead and leaves nothing of
        ``self.opening`` behind.
        """
        leaving = [mob for mob in self.opening if mob not in keep]
        animations = [FadeOut(mob) for mob in leaving] + [FadeIn(mob) for mob in arrivals]
        if animations:
            self.play(*animations, run_time=run_time)
        self.opening = [mob for mob in self.opening if mob in keep]

    # Small text helpers in the theme's type, used by every scene. Their glyphs drop the parsed
    # SVG paths, which every copy (each Fade or Transform) would otherwise deep-copy.
    def body(self, text, size=theme.BODY_SIZE, color=None, **kwargs):
        color = theme.INK2 if color is None else color
        return drop_svg_paths(Text(text, font=theme.font("body"), font_size=size, color=color, **kwargs))

    def heading(self, text, size=theme.HEADING_SIZE, color=None, **kwargs):
        color = theme.INK if color is None else color
        text = Text(text, font=theme.font("heading"), font_size=size, color=color, weight="BOLD", **kwargs)
        return drop_svg_paths(text)

    def mono(self, text, size=theme.LABEL_SIZE, color=None, **kwargs):
        color = theme.INK2 if color is None else color
        return drop_svg_paths(Text(text, font=theme.font("mono"), font_size=size, color=color, **kwargs))


def replay(scene_class: type[SegmentScene], params: SceneParams | None, seed: int) -> SegmentScene:
    """Play ``scene_class`` without drawing a frame; return it, its last frame's mobjects in ``.mobjects``."""
    scene = scene_class(params=params, seed=seed, theme_name=theme.THEME, skip_animations=True)
    scene.render()
    return scene


def play_frames(seconds: float, stretch: float, fps: int) -> int:
    """How many frames a play of ``seconds`` lasts at ``stretch`` times its pace: never none.

    >>> play_frames(1.0, 1.0, 60), play_frames(0.01, 1.0, 15), play_frames(2.0, 1.25, 15)
    (60, 1, 38)
    """
    return max(1, round(seconds * stretch * fps))

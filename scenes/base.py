"""The base of every segment scene: typed params, beats as sections, timed to the video's timeline.

A segment scene plays its beats in order. Rendered for the video, it is handed each beat's
planned length (from the timeline, which the narration sets): a beat whose voice needs more time
than its animations take plays them a little slower (at most ``max_stretch``) and holds on the
result for the rest, ending on exactly its planned frame. Rendered alone (``manim -ql``), the
beats keep their natural lengths.

Rendered as one beat (``only_beat``), the beats before it play without drawing (their sections
skip animations, as the hand-over's replay does) and the scene stops after that beat: its frames are
the same as that beat's inside the whole segment, whatever the other beats' planned lengths.

A scene opens on the last frame of the segment before it: it is given that segment's scene class
and params, replays it without drawing to get its final mobjects, and its first beat carries
them over (``hand_over``), so nothing on screen goes blank between segments. The replay is made once
per process (or loaded from where another process kept it) and handed out as copies (``scenes.replays``).

Hand-overs are declared. A scene names the mobjects it leaves on screen for the next one
(``leaves = ("clip_chips",)``: attributes it holds at its end) and what it picks up, from which
scenes (``picks_up = (PickUp("clip_chips", after=("formula",)),)``). ``pick_up(name)`` gives the
previous scene's mobject when the previous segment is one of those scenes, None after any other
(the scene then cross-fades: configs may reorder segments), and raises HandOverError when the
contract is broken: ``hand_over_problem`` says so in one line, without rendering anything.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar

import numpy as np
from manim import Mobject, Scene, config
from tqdm import tqdm

from scenes import copying
from scenes.fields import SceneParams
from scenes.parts.opening_pieces import leave_and_arrive
from scenes.replays import Kept, Replayed, replayed
from scenes.theme import HOLD, Theme, get_theme

copying.install()  # every scene copies mobjects the faster way


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
    """The segment before this one: its scene class and params (its last frame is where we start), and where
    its replay is kept between processes (None: made in each process)."""

    scene_class: type
    params: Any
    kept: Kept | None = None


class HandOverError(RuntimeError):
    """A scene picks up what the segment before it does not leave (see ``hand_over_problem``)."""


@dataclass(frozen=True)
class PickUp:
    """What a scene picks up from the segment before it: the mobject ``name``, when that segment is
    one of the scenes ``after`` (their scene_names), which must declare they leave it."""

    name: str
    after: tuple[str, ...]


def hand_over_problem(previous: type, scene: type) -> str | None:
    """What is wrong, in one line, when ``scene`` follows ``previous``; None when nothing is.

    A scene that picks up ``name`` after ``previous`` (its PickUp's ``after`` holds previous's
    scene_name) needs ``previous`` to declare it leaves ``name``. After any other scene a scene
    cross-fades, which is no problem. Pure: nothing is rendered.
    """
    before = getattr(previous, "scene_name", "")
    leaves = getattr(previous, "leaves", ())
    for pickup in getattr(scene, "picks_up", ()):
        if before in pickup.after and pickup.name not in leaves:
            left = ", ".join(leaves) if leaves else "nothing"
            name = getattr(scene, "scene_name", scene)
            return (f"{name} picks up {pickup.name!r} from {before}, which does not leave it "
                    f"({before} leaves {left})")
    return None


def _on_screen(mobject: Mobject, mobjects: list[Mobject]) -> bool:
    shown = {id(member) for top in mobjects for member in top.get_family()}
    return any(id(member) in shown for member in mobject.get_family())


class SegmentScene(Scene):
    """One segment of the video.

    A subclass sets ``scene_name`` (its name in video.yaml), ``Params`` (a SceneParams model
    whose defaults reproduce the storyboard) and ``beats``: the names of its beat methods, in
    order; each is played as its own section. ``leaves`` and ``picks_up`` declare its hand-overs
    (see the module's doc). The scene wears ``self.theme`` (a Theme) and hands it to its parts.
    """

    scene_name: ClassVar[str] = ""
    Params: ClassVar[type[SceneParams]] = SceneParams
    beats: ClassVar[tuple[str, ...]] = ()
    leaves: ClassVar[tuple[str, ...]] = ()  # attributes holding mobjects on screen at the end, for the next scene
    picks_up: ClassVar[tuple[PickUp, ...]] = ()  # what it takes over from the scene before, and from which

    def __init__(
        self,
        params: SceneParams | None = None,
        seed: int = 0,
        timing: dict[str, BeatTiming] | None = None,
        previous: Previous | None = None,
        theme_name: str = "paper",
        only_beat: str | None = None,
        **kwargs: Any,
    ) -> None:
        self.theme: Theme = get_theme(theme_name)
        self.params = params if params is not None else self.Params()
        self.seed = seed
        self.timing = dict(timing) if timing else None
        self.previous = previous
        self.only_beat = only_beat  # draw this beat alone (None: every beat)
        self.previous_scene: Replayed | None = None  # the segment before, replayed (see hand_over)
        self.opening: list[Mobject] = []  # what was on screen when this segment began
        self.beat_log: list[BeatRecord] = []
        self.frames = 0  # frames played so far
        self._stretch = 1.0
        self._plays: list[float] = []
        if kwargs.get("renderer") is None:
            kwargs["renderer"] = copying.QuietRenderer(skip_animations=kwargs.get("skip_animations", False))
        super().__init__(**kwargs)

    def setup(self) -> None:
        self.camera.background_color = self.theme.page

    def construct(self) -> None:
        if self.previous is not None:
            self.previous_scene = replayed(self.previous.scene_class, self.previous.params, self.seed, self.theme.name,
                                           self.previous.kept)
            self.opening = list(self.previous_scene.mobjects)
            self.add(*self.opening)
        for beat in self.beats:
            drawing = self.only_beat in (None, beat)
            start, self._plays = self.frames, []
            self._begin_beat(beat, drawing)
            getattr(self, beat)()
            if self.timing is not None and beat in self.timing:
                self.hold_until(start + self.timing[beat].frames, beat)
            self.beat_log.append(BeatRecord(beat, start, self.frames, tuple(self._plays)))
            if beat == self.only_beat:
                return
        self._check_leaves()

    def _check_leaves(self) -> None:
        """HandOverError unless every mobject this scene declares it leaves is on its last frame."""
        for name in self.leaves:
            mobject = getattr(self, name, None)
            if not isinstance(mobject, Mobject) or not _on_screen(mobject, self.mobjects):
                raise HandOverError(f"{self.scene_name} declares it leaves {name!r}, but it is not on its last frame")

    def pick_up(self, name: str) -> Mobject | None:
        """The previous segment's ``name`` mobject, on the opening picture, to carry over.

        None when there is no previous segment or it is not one this scene picks ``name`` up from
        (the scene cross-fades instead). HandOverError when it is one, but does not leave ``name``.
        """
        declared = [pickup for pickup in self.picks_up if pickup.name == name]
        if not declared:
            raise HandOverError(f"{self.scene_name} does not declare picking up {name!r}")
        previous = self.previous_scene
        if previous is None or previous.scene_name not in declared[0].after:
            return None
        problem = hand_over_problem(previous.scene_class, type(self))
        if problem is not None:
            raise HandOverError(problem)
        mobject = getattr(previous, name, None)
        if not isinstance(mobject, Mobject) or not _on_screen(mobject, self.opening):
            raise HandOverError(f"{previous.scene_name} declares it leaves {name!r}, but it is not on its last frame")
        return mobject

    def _begin_beat(self, beat: str, drawing: bool = True) -> None:
        """Open the beat's section (drawn, or played without drawing), tell the writer a drawn beat
        starts (a keyframe there), and set this beat's pace (its natural one when it has no timing)."""
        self.next_section(beat, skip_animations=not drawing)
        self.renderer.skip_animations = not drawing or self.renderer._original_skipping_status
        begin = getattr(self.renderer.file_writer, "begin_beat", None)
        if begin is not None and drawing:
            begin(beat)
        timing = self.timing.get(beat) if self.timing is not None else None
        self._stretch = timing.stretch if timing is not None else 1.0

    def compile_animation_data(self, *animations: Any, **kwargs: Any) -> Any:
        """Manim's, with the run time slowed to this beat's pace and made a whole number of frames.

        An animation of ``count`` frames draws them at 1/fps … count/fps (see get_time_progression),
        so its last frame shows it finished; a frozen wait draws ``floor(run_time × fps)`` frames,
        so its run time is nudged half a frame up.
        """
        result = super().compile_animation_data(*animations, **kwargs)
        natural: float = self.duration  # type: ignore[has-type]  # set by manim's Scene
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
                             override_skip_animations: bool = False) -> Any:
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

    def hand_over(self, *arrivals: Mobject, run_time: float = HOLD, keep: tuple[Mobject, ...] = ()) -> None:
        """Cross-fade from the previous segment's last frame to ``arrivals`` in ``run_time``: never a blank frame.

        Whatever of ``self.opening`` is not in ``keep`` fades out, then ``arrivals`` fade in
        (``leave_and_arrive``: the two overlap in time, never both at 30 % opacity at once, so no text is
        drawn over another). A scene with a better hand-over (a morph) does that instead and leaves
        nothing of ``self.opening`` behind.
        """
        leaving = [mob for mob in self.opening if mob not in keep]
        animations = leave_and_arrive(leaving, arrivals, run_time=run_time)
        if animations:
            self.play(*animations, run_time=run_time)
        self.opening = [mob for mob in self.opening if mob in keep]


def play_frames(seconds: float, stretch: float, fps: int) -> int:
    """How many frames a play of ``seconds`` lasts at ``stretch`` times its pace: never none.

    >>> play_frames(1.0, 1.0, 60), play_frames(0.01, 1.0, 15), play_frames(2.0, 1.25, 15)
    (60, 1, 38)
    """
    return max(1, round(seconds * stretch * fps))

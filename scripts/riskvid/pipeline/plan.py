"""Config → the segments to make, and the keys that say when each must be made again.

A key is a SHA-256 over everything that decides the result: the scene's code (its own module and
every module of ``scenes`` and ``riskmath`` it imports, transitively: ``code_deps``), its params, the
segment it opens from, the seed and theme, and for a render also the frame size and rate, the beats'
planned lengths and the encoder settings.

A beat's key (``beat_key``) holds the same, but of the timing only its own planned length and pace and
the names of the beats before it: a beat is drawn after the beats before it have played without drawing,
and what they leave on screen does not depend on how long they were held or how much they were slowed
(tests/scripts/test_beats.py renders every beat of the shipped video alone and inside its segment, and
finds the same frames).
"""

from __future__ import annotations

import functools
import hashlib
import json
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import manim

from riskvid.pipeline.code_deps import dependencies
from riskvid.pipeline.encoder import EncoderSettings
from riskvid.pipeline.holds import CODE as HOLDS_CODE
from scenes.base import BeatTiming
from scenes.registry import scene_classes

if TYPE_CHECKING:
    from riskvid.config.model import Config, Frame
    from scenes.replays import Kept

BEAT_PREVIEWS_VERSION = 1  # which small frames a beat keeps for the GIF preview (pipeline.beats.preview_frames)



@dataclass(frozen=True)
class SegmentPlan:
    """One segment as the stages see it: which scene, with what, after which segment."""

    index: int
    id: str
    title: str
    scene: str
    params_json: str
    seed: int
    theme: str
    previous: tuple[str, str] | None  # (scene, params JSON) of the segment it opens from
    poster: str | None = None  # the beat the config names as the segment's poster

    @property
    def name(self) -> str:
        """The segment's file stem: NN-<id>."""
        return f"{self.index:02d}-{self.id}"

    def scene_arguments(self, kept: Kept | None = None) -> dict[str, Any]:
        """Keyword arguments for the scene class: its params, the seed and the segment before (its replay kept
        in ``kept``, if given)."""
        from scenes.base import Previous

        classes = scene_classes()
        cls = classes[self.scene]
        previous = None
        if self.previous:
            before = classes[self.previous[0]]
            previous = Previous(before, before.Params.model_validate_json(self.previous[1]), kept)
        return {"params": cls.Params.model_validate_json(self.params_json), "seed": self.seed, "previous": previous,
                "theme_name": self.theme}


@dataclass(frozen=True)
class RenderJob:
    """Everything a worker needs to render one segment's picture."""

    segment: SegmentPlan
    frame: Frame
    timing: tuple[tuple[str, BeatTiming], ...]  # each beat's planned frames and pace
    encoder: EncoderSettings
    key: str
    previews: tuple[int, ...]  # frames kept, small, for the GIF preview

    @property
    def frames(self) -> int:
        return sum(timing.frames for _, timing in self.timing)

    def beat_jobs(self) -> list[BeatJob]:
        """One BeatJob per beat of the segment, in order, each knowing the frame it starts at."""
        jobs, start = [], 0
        replay = replay_key(self.segment, self.frame)
        for beat, timing in self.timing:
            jobs.append(BeatJob(self.segment, beat, start, self.frame, timing, self.encoder,
                                beat_key(self.segment, beat, self.frame, timing, self.encoder), replay))
            start += timing.frames
        return jobs


@dataclass(frozen=True)
class BeatJob:
    """Everything a worker needs to render one beat of a segment (the beats before it replayed, not drawn)."""

    segment: SegmentPlan
    beat: str
    start: int  # its first frame in the segment (not part of its key: nothing it draws depends on it)
    frame: Frame
    timing: BeatTiming
    encoder: EncoderSettings
    key: str
    replay_key: str | None = None  # the key of the segment before's replay (None: the first segment)

    @property
    def name(self) -> str:
        """Its work folder's name: NN-<segment id>-<beat>."""
        return f"{self.segment.name}-{self.beat}"

    @property
    def frames(self) -> int:
        return self.timing.frames


@dataclass(frozen=True)
class TimingJob:
    """Everything a worker needs to time one segment's beats at the frame the run renders (see timing.timing_task)."""

    segment: SegmentPlan
    frame: Frame
    replay_key: str | None  # the key of the segment before's replay at that frame (None: the first segment)


def plan_segments(config: Config) -> list[SegmentPlan]:
    """One SegmentPlan per segment of ``config``, in playing order."""
    plans: list[SegmentPlan] = []
    previous: tuple[str, str] | None = None
    for index, segment in enumerate(config.segments, start=1):
        params_json = segment.params.model_dump_json()
        plans.append(SegmentPlan(index, segment.id, segment.chapter_title, segment.scene, params_json,
                                 config.seed, config.theme, previous, segment.poster))
        previous = (segment.scene, params_json)
    return plans


def timing_key(segment: SegmentPlan) -> str:
    """The key of a segment's natural beat lengths: its code, params, seed and the segment before."""
    return _digest({
        "code": code_fingerprint(_scenes(segment)),
        "params": json.loads(segment.params_json),
        "previous": segment.previous,
        "seed": segment.seed,
        "theme": segment.theme,
    })


def render_key(segment: SegmentPlan, frame: Frame, timing: dict[str, BeatTiming], encoder: EncoderSettings) -> str:
    """The key of a segment's rendered picture."""
    return _digest({
        "timing": timing_key(segment),
        "frame": [frame.width, frame.height, frame.fps],
        "beats": [[beat, planned.frames, round(planned.stretch, 6)] for beat, planned in timing.items()],
        "encoder": [encoder.preset, encoder.crf, encoder.b_frames, encoder.gop_seconds],
        "av": __import__("av").__version__,
        "posters": hashlib.sha256(HOLDS_CODE.read_bytes()).hexdigest()[:16],  # what the render keeps of its frames
    })


def beat_key(segment: SegmentPlan, beat: str, frame: Frame, timing: BeatTiming, encoder: EncoderSettings) -> str:
    """The key of one beat's rendered picture: the segment's code, params, seed, theme and segment before, the
    beats before it, the frame, its own planned length and pace, the encoder; not the other beats' timings."""
    beats = list(scene_classes()[segment.scene].beats)
    return _digest({
        "timing": timing_key(segment),
        "beats": beats[:beats.index(beat) + 1],
        "frame": [frame.width, frame.height, frame.fps],
        "planned": [timing.frames, round(timing.stretch, 6)],
        "encoder": [encoder.preset, encoder.crf, encoder.b_frames, encoder.gop_seconds],
        "av": __import__("av").__version__,
        "posters": hashlib.sha256(HOLDS_CODE.read_bytes()).hexdigest()[:16],
        "previews": BEAT_PREVIEWS_VERSION,
    })


def replay_key(segment: SegmentPlan, frame: Frame) -> str | None:
    """The key of the segment before's replay at this frame, as ``scenes.replays`` makes it (None when there
    is no segment before): that scene's code, params, seed and theme, the frame, and what pickles it."""
    if segment.previous is None:
        return None
    scene, params_json = segment.previous
    return _digest({
        "code": code_fingerprint((scene,)),
        "params": json.loads(params_json),
        "seed": segment.seed,
        "theme": segment.theme,
        "frame": [frame.width, frame.height, frame.fps],
        "pickle": [sys.version, __import__("cloudpickle").__version__],
    })


def _scenes(segment: SegmentPlan) -> tuple[str, ...]:
    return (segment.scene, segment.previous[0]) if segment.previous else (segment.scene,)


@functools.cache
def code_fingerprint(scene_names: tuple[str, ...]) -> str:
    """SHA-256 of the code that decides what these scenes draw (the modules they import), and manim's version."""
    classes = scene_classes()
    files = sorted({path for name in scene_names for path in dependencies(classes[name].__module__)})
    return code_digest(files)


def code_digest(files: list[Path]) -> str:
    """SHA-256 of source files (each named relative to its top package) and of manim's version."""
    digest = hashlib.sha256(f"manim {manim.__version__}\n".encode())
    for path in files:
        digest.update(f"\n{_shown(path)}\n".encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def _shown(path: Path) -> str:
    """A source file's path from its top package: scenes/parts/text.py."""
    parts = path.parts
    top = max(index for index, part in enumerate(parts) if part in ("scenes", "riskmath"))
    return "/".join(parts[top:])


def _digest(settings: dict[str, Any]) -> str:
    return hashlib.sha256(json.dumps(settings, sort_keys=True).encode()).hexdigest()[:32]

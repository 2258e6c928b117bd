"""Each segment's beats at their own pace: how long the scene's animations take, before any voice.

The scene is played without drawing a frame (manim's skip mode) and every play()/wait() run
time is noted; the result is cached by the segment's timing key, so it is measured again only
when the scene's code, its params or the segment before it change.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from riskvid.files import Layout, read_json, write_json
from riskvid.pipeline.plan import SegmentPlan, TimingJob, timing_key
from scenes.base import play_frames

if TYPE_CHECKING:
    from riskvid.config.model import Frame
    from scenes.replays import Kept


@dataclass(frozen=True)
class NaturalBeat:
    """A beat at its own pace: its name and each of its plays' run times (seconds)."""

    name: str
    plays: tuple[float, ...]

    def frames(self, fps: int, stretch: float = 1.0) -> int:
        """How many frames the beat's plays take at ``fps``, slowed by ``stretch``.

        >>> NaturalBeat("b", (1.0, 0.5)).frames(10), NaturalBeat("b", (1.0, 0.5)).frames(10, 1.2)
        (15, 18)
        """
        return sum(play_frames(seconds, stretch, fps) for seconds in self.plays)


def natural_beats(segment: SegmentPlan, work_dir: str, frame: Frame | None = None,
                  kept: Kept | None = None) -> list[NaturalBeat]:
    """Worker: play ``segment``'s scene without drawing (at ``frame``, if given; the segment before's replay kept
    in ``kept``, if given) and note its beats' run times."""
    from manim import tempconfig

    from riskvid.pipeline.render import manim_settings
    from scenes.registry import scene_classes

    size = (frame.width, frame.height, frame.fps) if frame is not None else ()
    with tempconfig(manim_settings(f"{work_dir}/{segment.name}", *size, write_to_movie=False)):
        scene = scene_classes()[segment.scene](**segment.scene_arguments(kept), skip_animations=True)
        scene.render()
    return [NaturalBeat(record.name, record.plays) for record in scene.beat_log]


def timing_task(job: TimingJob, work_root: str) -> list[NaturalBeat]:
    """Worker, the run's timing stage: ``natural_beats`` at the frame the run renders, leaving in the cache what
    the beats' renders would otherwise each make again: the segment before's replay (pipeline.replay_files)
    and LaTeX's SVGs. (The beats' run times do not depend on the frame.)"""
    from riskvid.pipeline.render import share_tex
    from riskvid.pipeline.replay_files import ReplayFile

    cache = Layout(Path(work_root).parent).cache
    work = Path(work_root) / f"timing-{job.segment.name}"
    share_tex(cache / "tex")
    try:
        beats = natural_beats(job.segment, str(work), job.frame, ReplayFile.in_cache(cache, job.replay_key))
    finally:
        shutil.rmtree(work, ignore_errors=True)
    share_tex(cache / "tex", keep=True)
    return beats


def cached_naturals(segment: SegmentPlan, cache: Path) -> list[NaturalBeat] | None:
    """The cached natural beats of ``segment``, or None (missing or damaged: measure again)."""
    record = read_json(_path(segment, cache))
    try:
        return [NaturalBeat(str(beat["name"]), tuple(float(p) for p in beat["plays"])) for beat in record["beats"]]
    except (TypeError, KeyError, ValueError):
        return None


def store_naturals(segment: SegmentPlan, cache: Path, beats: list[NaturalBeat]) -> None:
    """Cache ``beats`` under ``segment``'s timing key."""
    path = _path(segment, cache)
    path.parent.mkdir(parents=True, exist_ok=True)
    write_json(path, {"beats": [{"name": beat.name, "plays": list(beat.plays)} for beat in beats]})


def _path(segment: SegmentPlan, cache: Path) -> Path:
    return cache / "timing" / f"{segment.id}-{timing_key(segment)}.json"

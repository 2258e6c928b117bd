"""A beat as the unit of work: rendered alone, cached by its own key, joined into its segment by remuxing.

A worker renders one beat (``render_segment_beat``): the scene plays the beats before it without
drawing (after the segment before, replayed or loaded from the cache: pipeline.replay_files), then
draws the beat into its own H.264 clip, which opens on a keyframe like every beat of a segment. On
the way it keeps the beat's poster (its longest hold), its contact-sheet thumbnail and small frames for
the GIF preview on a fixed grid (every ``preview_step`` frames and its last), so nothing it keeps
depends on the other beats. The main process
installs it under ``.cache/beats/<segment id>/<beat>/`` with a record of its key, the clip's SHA-256
and its render seconds; ``join_beats`` then makes the segment's picture folder (pipeline.render) from
its beats: the clips joined packet for packet, the posters and holds placed at the beat's start, the
preview frames nearest the segment's GIF frames.
"""

from __future__ import annotations

import os
import shutil
import time
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray
from PIL import Image

from riskvid.files import Layout, make_folders, noted, read_json, unchanged, write_json
from riskvid.pipeline.holds import HoldTap, holds_record, read_holds
from riskvid.pipeline.mux import Cut, write_mp4
from riskvid.pipeline.plan import BeatJob, RenderJob
from riskvid.pipeline.previews import GIF_FPS
from riskvid.pipeline.render import THUMB_SIZE, RenderError, play_segment, preview_size, share_tex
from riskvid.pipeline.replay_files import ReplayFile
from riskvid.pipeline.taps import PreviewTap


@dataclass(frozen=True)
class BeatDone:
    """A beat's picture in its cache folder: rendered in this run or reused, and what rendering it took (s)."""

    job: BeatJob
    folder: Path
    reused: bool
    render_seconds: float

    @property
    def status(self) -> str:
        return "reused" if self.reused else "rendered"


def beat_folder(job: BeatJob, layout: Layout) -> Path:
    """Where a beat's picture is kept: one version per beat of each segment."""
    return layout.cache / "beats" / job.segment.id / job.beat


def preview_step(fps: int) -> int:
    """Every how many frames a beat keeps a small frame for the GIF preview (GIF_FPS a second).

    >>> preview_step(60), preview_step(5)
    (10, 1)
    """
    return max(1, round(fps / GIF_FPS))


def preview_frames(frames: int, fps: int) -> list[int]:
    """The beat's frames (from its start) kept small for the GIF preview: a fixed grid, and its last frame.

    >>> preview_frames(25, 60), preview_frames(3, 5)
    ([0, 10, 20, 24], [0, 1, 2])
    """
    return sorted({*range(0, frames, preview_step(fps)), frames - 1}) if frames else []


def cached_beat(job: BeatJob, layout: Layout) -> BeatDone | None:
    """The beat's picture if its folder holds this exact render, intact; else None."""
    folder = beat_folder(job, layout)
    record = read_json(folder / "record.json")
    if not isinstance(record, dict) or record.get("key") != job.key:
        return None
    if not unchanged(folder / "video.mp4", record):
        return None
    if not all((folder / name).is_file() for name in ("poster.png", "posters.json")):
        return None
    previews, thumbnail = _readable(folder / "previews.npz"), _readable(folder / "thumbnail.npz")
    if previews is None or thumbnail is None or "thumbnail" not in thumbnail:
        return None
    return BeatDone(job, folder, True, recorded_seconds(record))


def _readable(path: Path) -> list[str] | None:
    """The array names in a stored .npz (never unpickled); None if it is missing or damaged."""
    try:
        with np.load(path, allow_pickle=False) as stored:
            for name in stored.files:
                stored[name]  # noqa: B018  (reads it: a damaged member raises here)
            return list(stored.files)
    except (OSError, ValueError, EOFError, zipfile.BadZipFile):
        return None


def last_beat_seconds(job: BeatJob, layout: Layout) -> float | None:
    """How long this beat took to render last time (any settings); None if never."""
    record = read_json(beat_folder(job, layout) / "record.json")
    return recorded_seconds(record) if isinstance(record, dict) and "seconds" in record else None


def recorded_seconds(record: dict[str, Any]) -> float:
    try:
        return float(record.get("seconds", 0.0))
    except (TypeError, ValueError):
        return 0.0


def install_beat(job: BeatJob, layout: Layout, work: Path, seconds: float) -> BeatDone:
    """Swap a worker's finished beat folder in as the beat's picture, its record written last."""
    folder = beat_folder(job, layout)
    make_folders(folder.parent)
    old = folder.with_name(f".{folder.name}.old")
    shutil.rmtree(old, ignore_errors=True)
    if folder.exists():
        os.replace(folder, old)
    os.replace(work, folder)  # a folder without a record is never reused
    write_json(folder / "record.json", {"key": job.key, **noted(folder / "video.mp4"), "seconds": seconds,
                                        "frames": job.frames})
    shutil.rmtree(old, ignore_errors=True)
    return BeatDone(job, folder, False, seconds)


def render_segment_beat(job: BeatJob, work_root: str) -> float:
    """Worker: render one beat into ``<work_root>/<NN-id>-<beat>/``; return the seconds it took."""
    from scenes.theme import get_theme

    started = time.perf_counter()
    work = Path(work_root) / job.name
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    cache = Layout(Path(work_root).parent).cache
    tex_store = cache / "tex"
    share_tex(tex_store)
    frame = job.frame
    page = get_theme(job.segment.theme).page
    red, green, blue = (int(c * 255) for c in page.to_rgb())
    posters = HoldTap((red, green, blue))
    previews = PreviewTap(preview_frames(job.frames, frame.fps), preview_size(frame.width, frame.height))
    writer = play_segment(job.segment, {job.beat: job.timing}, frame.width, frame.height, frame.fps, work / "media",
                          work / "video.mp4", [posters, previews], job.encoder, only_beat=job.beat,
                          kept=ReplayFile.in_cache(cache, job.replay_key)).writer
    if writer.frames_written != job.frames:
        raise RenderError(f"{job.segment.name} beat {job.beat} has {writer.frames_written} frames; "
                          f"the timeline planned {job.frames}")
    write_json(work / "posters.json", holds_record(posters.holds()))  # closes the last hold: its poster is kept
    image = Image.fromarray(posters.posters[job.beat][:, :, :3])
    image.save(work / "poster.png", compress_level=1)
    np.savez_compressed(work / "previews.npz", **{f"{i:07d}": small for i, small in previews.frames})  # type: ignore[arg-type]
    thumbnail = np.asarray(image.resize(THUMB_SIZE, Image.Resampling.LANCZOS))
    np.savez_compressed(work / "thumbnail.npz", thumbnail=thumbnail)
    shutil.rmtree(work / "media", ignore_errors=True)
    share_tex(tex_store, keep=True)
    return time.perf_counter() - started


def join_beats(job: RenderJob, beats: list[BeatDone], work: Path) -> None:
    """Make the segment's picture folder in ``work`` from its beats (in order), re-encoding nothing."""
    shutil.rmtree(work, ignore_errors=True)
    (work / "posters").mkdir(parents=True)
    write_mp4(work / "video.mp4", [Cut(done.folder / "video.mp4") for done in beats])
    holds: dict[str, dict[str, Any]] = {}
    kept: list[tuple[int, NDArray[np.uint8]]] = []
    thumbs: dict[str, NDArray[np.uint8]] = {}
    for done in beats:
        beat, start = done.job.beat, done.job.start
        shutil.copyfile(done.folder / "poster.png", work / "posters" / f"{beat}.png")
        for name, hold in read_holds(read_json(done.folder / "posters.json")).items():
            holds.update(holds_record({name: type(hold)(hold.frame + start, hold.frames, hold.ink)}))
        with np.load(done.folder / "previews.npz", allow_pickle=False) as stored:
            kept += [(start + int(name), stored[name]) for name in sorted(stored.files)]
        with np.load(done.folder / "thumbnail.npz", allow_pickle=False) as stored:
            thumbs[beat] = stored["thumbnail"]
    write_json(work / "posters.json", holds)
    chosen = {}
    for wanted in job.previews:  # the kept frame nearest before each frame the segment's GIF shows
        at = max((index for index, _ in kept if index <= wanted), default=kept[0][0] if kept else None)
        if at is not None:
            chosen[wanted] = next(small for index, small in kept if index == at)
    np.savez_compressed(work / "previews.npz", **{f"{i:07d}": small for i, small in chosen.items()})  # type: ignore[arg-type]
    np.savez_compressed(work / "thumbnails.npz", **thumbs)  # type: ignore[arg-type]

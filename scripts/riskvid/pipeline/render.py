"""Render jobs into each segment's picture, in worker processes, reusing what is unchanged.

A worker plays the scene with the timeline's beat lengths and writes its frames once, as the
delivery-format H.264 stream (pipeline.encoder), keeping on the way each beat's poster, small
frames for the GIF preview and thumbnails for the contact sheet (pipeline.taps). The main
process installs the result under ``.cache/render/<segment id>/`` (a whole folder swapped in by
one rename) with a record of its key and the picture's SHA-256; a record or file that is
missing, damaged or stale is a cache miss. A worker on a Dask cluster renders into a folder of
its own, and its files come back into the run's work folder before they are installed, so a
segment is installed the same way wherever it was rendered (riskvid.cluster.workers).
"""

from __future__ import annotations

import functools
import os
import shutil
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
from numpy.typing import NDArray
from PIL import Image

from riskvid.cluster.workers import Workers
from riskvid.errors import RunError
from riskvid.files import Layout, make_folders, noted, read_json, unchanged, write_json
from riskvid.pipeline.plan import RenderJob, SegmentPlan

if TYPE_CHECKING:
    from riskvid.pipeline.encoder import DeliveryWriter, EncoderSettings, FrameTap
    from riskvid.progress import Progress
    from scenes.base import BeatTiming, SegmentScene

REQUIRED_PROGRAMS = {  # program: the Debian package that provides it
    "latex": "texlive-latex-base",
    "dvisvgm": "dvisvgm",
}
THUMB_SIZE = (480, 270)  # contact-sheet cells
PREVIEW_WIDTH = 360  # the GIF preview's width


class RenderError(RunError):
    """A segment could not be rendered."""


@dataclass(frozen=True)
class Rendered:
    """A segment's rendered picture and what was kept of it."""

    job: RenderJob
    folder: Path
    reused: bool
    render_seconds: float

    @property
    def video(self) -> Path:
        return self.folder / "video.mp4"

    def poster(self, beat: str) -> Path:
        return self.folder / "posters" / f"{beat}.png"

    def best_poster(self, named: str | None = None) -> Path:
        """The segment's poster: the beat ``named``, else the beat holding its picture longest (pipeline.holds)."""
        from riskvid.pipeline.holds import read_holds, segment_poster

        holds = read_holds(read_json(self.folder / "posters.json"))
        return self.poster(segment_poster(holds, [beat for beat, _ in self.job.timing], named))

    @property
    def previews(self) -> Path:
        return self.folder / "previews.npz"

    @property
    def thumbnails(self) -> Path:
        return self.folder / "thumbnails.npz"


def check_programs() -> None:
    """Raise RenderError naming the first missing program MathTex needs (and its install command), or fonts."""
    from scenes.theme import check_fonts

    check_fonts()
    for program, package in REQUIRED_PROGRAMS.items():
        if shutil.which(program) is None:
            raise RenderError(f"'{program}' is not installed; run ./scripts/setup (or: sudo apt-get install {package})")


def cached(job: RenderJob, layout: Layout) -> Rendered | None:
    """The Rendered of ``job`` if its folder holds this exact render, intact; else None."""
    folder = layout.rendered(job.segment.id)
    record = read_json(folder / "record.json")
    if not isinstance(record, dict) or record.get("key") != job.key:
        return None
    rendered = Rendered(job, folder, True, _seconds(record))
    beats = [beat for beat, _ in job.timing]
    if not unchanged(rendered.video, record):
        return None
    if not all(rendered.poster(beat).is_file() for beat in beats) or not rendered.previews.is_file():
        return None
    return rendered


def last_render_seconds(job: RenderJob, layout: Layout) -> float:
    """How long this segment took to render last time (any settings); infinity if never."""
    record = read_json(layout.rendered(job.segment.id) / "record.json")
    return _seconds(record) if isinstance(record, dict) and "seconds" in record else float("inf")


def _seconds(record: dict[str, Any]) -> float:
    try:
        return float(record.get("seconds", 0.0))
    except (TypeError, ValueError):
        return 0.0


@dataclass(frozen=True)
class Target:
    """A segment to render (or reuse), and the video whose folder it goes to."""

    job: RenderJob
    layout: Layout
    video: str  # how progress and errors name the video (its id)

    @property
    def name(self) -> str:
        return f"{self.video}/{self.job.segment.name}"


def render_all(targets: list[Target], workers: Workers, force: bool = False,
               report: Callable[[str], None] | Progress = print) -> list[Rendered]:
    """Render or reuse every target, the segments of every video as one set of tasks; a Rendered per target, in order.

    Identical jobs (one key: the same scene, params, segment before, timing and frame, say an intro
    that every video of a course shares) render once and are installed in each video's folder.
    """
    from riskvid.progress import Progress

    progress = Progress.of(report)
    done: dict[int, Rendered] = {}
    pending: dict[str, list[int]] = {}  # key: the targets that want it
    for index, target in enumerate(targets):
        found = None if force else cached(target.job, target.layout)
        if found:
            done[index] = found
            progress(f"reused   {target.name}")
        else:
            pending.setdefault(target.job.key, []).append(index)
    if pending:
        check_programs()
        for indices in pending.values():
            for index in indices:
                make_folders(targets[index].layout.cache, targets[index].layout.work)
        firsts = [targets[indices[0]] for indices in pending.values()]
        # Longest first (by the last recorded render time), so no worker is left with a long tail.
        firsts.sort(key=lambda target: -last_render_seconds(target.job, target.layout))
        owner = {id(target.job): target for target in firsts}
        several = len({target.video for target in targets}) > 1
        progress.expect(len(firsts), "render")

        def describe(job: RenderJob) -> str:
            video = f" of {owner[id(job)].video}" if several else ""
            return f"segment {job.segment.id!r} ({job.segment.scene}){video}"

        for job, seconds in workers.run(render_segment, [target.job for target in firsts], describe,
                                        lambda job: owner[id(job)].layout.work,
                                        bring_back=lambda job: job.segment.name):
            first = owner[id(job)]
            indices = pending[job.key]
            done[indices[0]] = install(job, first.layout, first.layout.work / job.segment.name, seconds)
            progress.done(f"rendered {first.name} in {seconds:.1f} s")
            for index in indices[1:]:  # the same picture for another video: copied, recorded as its own
                other = targets[index]
                work = other.layout.work / other.job.segment.name
                shutil.rmtree(work, ignore_errors=True)
                shutil.copytree(done[indices[0]].folder, work, ignore=shutil.ignore_patterns("record.json"))
                done[index] = install(other.job, other.layout, work, seconds)
                progress(f"rendered {other.name} (the same picture as {first.name})")
        for layout in {targets[index].layout for indices in pending.values() for index in indices}:
            shutil.rmtree(layout.work, ignore_errors=True)
    return [done[index] for index in range(len(targets))]


def install(job: RenderJob, layout: Layout, work: Path, seconds: float) -> Rendered:
    """Swap a worker's finished folder in as the segment's render, with its record written last."""
    folder = layout.rendered(job.segment.id)
    make_folders(folder.parent)
    old = folder.with_name(f".{folder.name}.old")
    shutil.rmtree(old, ignore_errors=True)
    if folder.exists():
        os.replace(folder, old)
    os.replace(work, folder)  # the record is written last: a folder without one is never reused
    write_json(folder / "record.json", {"key": job.key, **noted(folder / "video.mp4"), "seconds": seconds,
                                        "frames": job.frames})
    shutil.rmtree(old, ignore_errors=True)
    return Rendered(job, folder, False, seconds)


def manim_settings(work: Path | str, width: int = 256, height: int = 144, fps: int = 60,
                   **extra: Any) -> dict[str, Any]:
    """manim settings for one of our runs: its files in ``work``, LaTeX in a private folder of its own.

    LaTeX never sees a path from the config (a ``%`` or ``~`` in it would break TeX): its folder is
    made under the system's temporary folder, or /tmp when that path is not plain.
    """
    return {
        "pixel_width": width, "pixel_height": height, "frame_rate": fps,
        "media_dir": str(work), "tex_dir": str(tex_folder()),
        "disable_caching": True, "progress_bar": "none", "verbosity": "WARNING", **extra,
    }


@functools.cache
def tex_folder() -> Path:
    """This process's private folder for LaTeX, at a path TeX can take (removed when the process ends)."""
    import atexit
    import re
    import tempfile

    base = tempfile.gettempdir()
    if not re.fullmatch(r"[A-Za-z0-9/_.-]+", base):
        base = "/tmp"
    folder = Path(tempfile.mkdtemp(prefix="riskvid-tex-", dir=base))
    atexit.register(shutil.rmtree, folder, ignore_errors=True)
    return folder


@dataclass(frozen=True)
class Played:
    """A segment's scene as ``play_segment`` played it, and the writer its frames went through."""

    scene: SegmentScene
    writer: DeliveryWriter


def play_segment(plan: SegmentPlan, timing: dict[str, BeatTiming], width: int, height: int, fps: int,
                 work: Path | str, target: Path | None = None, taps: Sequence[FrameTap] = (),
                 encoder: EncoderSettings | None = None) -> Played:
    """Play ``plan``'s scene with the beats' ``timing``, its frames going to ``target`` (None: the taps only)."""
    from manim import tempconfig
    from manim.renderer.cairo_renderer import CairoRenderer

    from riskvid.pipeline.encoder import DeliveryWriter, EncoderSettings
    from scenes.registry import scene_classes

    with tempconfig(manim_settings(work, width, height, fps, write_to_movie=True, save_sections=False)):
        scene = scene_classes()[plan.scene](**plan.scene_arguments(), timing=timing,
                                            renderer=CairoRenderer(file_writer_class=DeliveryWriter))
        writer = scene.renderer.file_writer
        assert isinstance(writer, DeliveryWriter)  # the renderer's file_writer_class
        writer.configure(target, fps, encoder or EncoderSettings(), taps=list(taps))
        for tap in taps:
            if hasattr(tap, "scene"):
                tap.scene = scene
        try:
            scene.render()
        except BaseException:
            writer.abort()
            raise
    return Played(scene, writer)


def render_segment(job: RenderJob, work_root: str) -> float:
    """Worker: render one segment into ``<work_root>/<NN-id>/``; return the seconds it took."""
    from riskvid.pipeline.holds import HoldTap, holds_record
    from riskvid.pipeline.taps import PreviewTap
    from scenes.theme import get_theme

    started = time.perf_counter()
    work = Path(work_root) / job.segment.name
    shutil.rmtree(work, ignore_errors=True)
    (work / "posters").mkdir(parents=True)
    frame = job.frame
    page = get_theme(job.segment.theme).page  # the segment's background (the scene holds its own theme)
    red, green, blue = (int(c * 255) for c in page.to_rgb())
    posters = HoldTap((red, green, blue))
    previews = PreviewTap(job.previews, preview_size(frame.width, frame.height))
    writer = play_segment(job.segment, dict(job.timing), frame.width, frame.height, frame.fps, work / "media",
                          work / "video.mp4", [posters, previews], job.encoder).writer
    if writer.frames_written != job.frames:
        raise RenderError(f"{job.segment.name} has {writer.frames_written} frames; the timeline planned {job.frames}")
    holds = posters.holds()
    thumbs: dict[str, NDArray[np.uint8]] = {}
    for beat, pixels in posters.posters.items():
        image = Image.fromarray(pixels[:, :, :3])
        image.save(work / "posters" / f"{beat}.png", compress_level=1)
        thumbs[beat] = np.asarray(image.resize(THUMB_SIZE, Image.Resampling.LANCZOS))
    write_json(work / "posters.json", holds_record(holds))  # each beat's settled picture: its frame, how long held
    # (mypy matches **arrays against numpy's allow_pickle: bool keyword; no name here is allow_pickle)
    np.savez_compressed(work / "previews.npz", **{f"{i:07d}": small for i, small in previews.frames})  # type: ignore[arg-type]
    np.savez_compressed(work / "thumbnails.npz", **thumbs)  # type: ignore[arg-type]
    shutil.rmtree(work / "media", ignore_errors=True)
    return time.perf_counter() - started


def preview_size(width: int, height: int) -> tuple[int, int]:
    """The GIF preview's frame size: PREVIEW_WIDTH wide (never wider than the video), even sides.

    >>> preview_size(1920, 1080), preview_size(256, 144)
    ((360, 202), (256, 144))
    """
    if width <= PREVIEW_WIDTH:
        return width, height
    return PREVIEW_WIDTH, max(2, round(height * PREVIEW_WIDTH / width / 2) * 2)


def load_previews(rendered: Rendered) -> list[NDArray[np.uint8]]:
    """The GIF preview frames kept while rendering, in order; [] if unreadable."""
    try:
        with np.load(rendered.previews, allow_pickle=False) as stored:
            return [stored[name] for name in sorted(stored.files)]
    except (OSError, ValueError):
        return []


def load_thumbnails(rendered: Rendered) -> list[tuple[str, NDArray[np.uint8]]]:
    """[(beat, RGB thumbnail)] of a render, in beat order; [] if unreadable."""
    try:
        with np.load(rendered.thumbnails, allow_pickle=False) as stored:
            return [(beat, stored[beat]) for beat, _ in rendered.job.timing if beat in stored.files]
    except (OSError, ValueError):
        return []

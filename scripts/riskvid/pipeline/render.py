"""A segment's rendered picture: playing a scene into the delivery format, and the cached result.

``play_segment`` plays a scene with the timeline's beat lengths (all its beats, or one alone) and
writes its frames once, as the delivery-format H.264 stream (pipeline.encoder), through frame taps
that keep posters, preview frames and thumbnails (pipeline.taps). A segment's picture is made of
its beats (pipeline.beats, scheduled by pipeline.schedule) and installed under
``.cache/render/<segment id>/`` (a whole folder swapped in by one rename) with a record of its key,
the picture's SHA-256 and each beat's render seconds; a record or file that is missing, damaged or
stale is a cache miss.
"""

from __future__ import annotations

import functools
import os
import shutil
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
from numpy.typing import NDArray

from riskvid.errors import RunError
from riskvid.files import Layout, make_folders, noted, read_json, unchanged, write_json
from riskvid.pipeline.plan import RenderJob, SegmentPlan

if TYPE_CHECKING:
    from riskvid.pipeline.encoder import DeliveryWriter, EncoderSettings, FrameTap
    from scenes.base import BeatTiming, SegmentScene
    from scenes.replays import Kept

REQUIRED_PROGRAMS = {  # program: the Debian package that provides it
    "latex": "texlive-latex-base",
    "dvisvgm": "dvisvgm",
}
THUMB_SIZE = (480, 270)  # contact-sheet cells
PREVIEW_WIDTH = 360  # the GIF preview's width


class RenderError(RunError):
    """A segment could not be rendered."""


@dataclass(frozen=True)
class BeatStatus:
    """What became of one beat of a segment in a run: "rendered" or "reused", and what rendering it took (s)."""

    name: str
    status: str
    render_seconds: float


@dataclass(frozen=True)
class Rendered:
    """A segment's rendered picture and what was kept of it."""

    job: RenderJob
    folder: Path
    reused: bool
    render_seconds: float  # its beats' render seconds, summed
    beats: tuple[BeatStatus, ...] = ()  # each beat: rendered in this run, or reused

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
    rendered = Rendered(job, folder, True, _seconds(record), _beats(record, job))
    beats = [beat for beat, _ in job.timing]
    if not unchanged(rendered.video, record):
        return None
    if not all(rendered.poster(beat).is_file() for beat in beats) or not rendered.previews.is_file():
        return None
    return rendered


def _beats(record: dict[str, Any], job: RenderJob) -> tuple[BeatStatus, ...]:
    """Every beat of a reused segment, reused, with the seconds its render took (0 if not recorded)."""
    seconds = record.get("beats")
    seconds = seconds if isinstance(seconds, dict) else {}
    return tuple(BeatStatus(beat, "reused", _number(seconds.get(beat))) for beat, _ in job.timing)


def _number(value: Any) -> float:
    try:
        return float(value)
    except (TypeError, ValueError):
        return 0.0


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


def install(job: RenderJob, layout: Layout, work: Path, beats: tuple[BeatStatus, ...]) -> Rendered:
    """Swap a finished folder in as the segment's render (its beats joined), with its record written last."""
    seconds = sum(beat.render_seconds for beat in beats)
    folder = layout.rendered(job.segment.id)
    make_folders(folder.parent)
    old = folder.with_name(f".{folder.name}.old")
    shutil.rmtree(old, ignore_errors=True)
    if folder.exists():
        os.replace(folder, old)
    os.replace(work, folder)  # the record is written last: a folder without one is never reused
    write_json(folder / "record.json", {"key": job.key, **noted(folder / "video.mp4"), "seconds": seconds,
                                        "frames": job.frames,
                                        "beats": {beat.name: round(beat.render_seconds, 3) for beat in beats}})
    shutil.rmtree(old, ignore_errors=True)
    return Rendered(job, folder, False, seconds, beats)


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


def share_tex(store: Path, keep: bool = False) -> None:
    """LaTeX's SVGs shared between runs through ``store``: copied into this process's LaTeX folder before a
    render, or (``keep``) this process's new ones copied into ``store`` after it. manim names each by a hash
    of what it holds and compiles nothing it finds, so a fresh worker runs LaTeX only for new formulas."""
    source, target = (tex_folder(), store) if keep else (store, tex_folder())
    if not source.is_dir():
        return
    make_folders(target)
    for svg in source.glob("*.svg"):
        if not (target / svg.name).exists():
            part = target / f".{svg.name}.{os.getpid()}.part"
            shutil.copyfile(svg, part)
            os.replace(part, target / svg.name)


@dataclass(frozen=True)
class Played:
    """A segment's scene as ``play_segment`` played it, and the writer its frames went through."""

    scene: SegmentScene
    writer: DeliveryWriter


def play_segment(plan: SegmentPlan, timing: dict[str, BeatTiming], width: int, height: int, fps: int,
                 work: Path | str, target: Path | None = None, taps: Sequence[FrameTap] = (),
                 encoder: EncoderSettings | None = None, only_beat: str | None = None,
                 kept: Kept | None = None) -> Played:
    """Play ``plan``'s scene with the beats' ``timing``, its frames going to ``target`` (None: the taps only);
    with ``only_beat``, that beat alone (the beats before it played without drawing); with ``kept``, the
    segment before's replay is loaded from there (or made and saved there)."""
    from manim import tempconfig

    from riskvid.pipeline.encoder import DeliveryWriter, EncoderSettings
    from scenes.copying import QuietRenderer
    from scenes.registry import scene_classes

    with tempconfig(manim_settings(work, width, height, fps, write_to_movie=True, save_sections=False)):
        scene = scene_classes()[plan.scene](**plan.scene_arguments(kept), timing=timing, only_beat=only_beat,
                                            renderer=QuietRenderer(file_writer_class=DeliveryWriter))
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

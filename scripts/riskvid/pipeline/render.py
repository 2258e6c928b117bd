"""Render Jobs into segment clips in worker processes, reusing clips whose cache key is unchanged."""

import multiprocessing
import os
import shutil
import time
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass
from pathlib import Path

from riskvid.errors import RunError
from riskvid.files import atomic_path, make_folders, read_json, sha256_file, write_json
from riskvid.pipeline.plan import ENCODER_OPTIONS
from riskvid.stills import save_thumbnails, thumbnail

REQUIRED_PROGRAMS = {  # program: the Debian package that provides it
    "latex": "texlive-latex-base",
    "dvisvgm": "dvisvgm",
}


class RenderError(RunError):
    """A segment could not be rendered; the message is one line."""


@dataclass(frozen=True)
class Outcome:
    """What happened to one segment in this run."""

    job: object
    movie: Path
    reused: bool
    render_seconds: float
    beats: list  # [{"name", "start", "end"}] in seconds of the clip


def check_programs():
    """Raise RenderError naming the first missing program that MathTex needs, and its install command."""
    for program, package in REQUIRED_PROGRAMS.items():
        if shutil.which(program) is None:
            raise RenderError(
                f"'{program}' is not installed; run ./scripts/setup (or: sudo apt-get install {package})"
            )


def cached_outcome(job, layout, adopt=True):
    """The Outcome of reusing ``job``'s clip if its cache record and file still match, else None.

    With ``adopt``, a clip made under another running-order number is renamed to this job's name.
    """
    record = read_json(layout.cache / f"{job.segment_id}.json")
    if not record or record.get("cache_key") != job.cache_key or "beats" not in record:
        return None
    movie = layout.segments / record.get("file", "")
    if not movie.is_file() or sha256_file(movie) != record.get("sha256") or not stills_path(job, layout).is_file():
        return None
    target = layout.segments / f"{job.name}.mp4"
    if movie != target and adopt:  # the segment moved in the running order
        for suffix in (".mp4", ".srt"):
            if movie.with_suffix(suffix).exists():
                os.replace(movie.with_suffix(suffix), target.with_suffix(suffix))
        _record(job, layout, target, record["render_seconds"], record["beats"])
    return Outcome(job, target, True, record["render_seconds"], record["beats"])


def render_all(jobs, layout, workers, force=False, report=print):
    """Render or reuse every job; return Outcomes in job order. ``report`` gets a line per event."""
    make_folders(layout.segments, layout.cache, layout.work)
    outcomes, pending = {}, []
    for job in jobs:
        outcome = None if force else cached_outcome(job, layout)
        if outcome:
            outcomes[job.name] = outcome
            report(f"reused   {job.name}")
        else:
            pending.append(job)
    if pending:
        check_programs()
        # Longest first (by the last recorded render time), so no worker is left with a long tail.
        pending.sort(key=lambda job: -_last_render_seconds(job, layout))
        context = multiprocessing.get_context("spawn")
        with ProcessPoolExecutor(max_workers=min(workers, len(pending)), mp_context=context) as pool:
            futures = {pool.submit(render_job, job, str(layout.work)): job for job in pending}
            for future in as_completed(futures):
                job = futures[future]
                try:
                    movie, srt, stills, seconds, beats = future.result()
                except Exception as error:  # one line per failure; finished segments stay valid
                    for other in futures:
                        other.cancel()
                    raise RenderError(f"segment {job.segment_id!r} ({job.scene}) failed: {error}") from error
                outcomes[job.name] = _install(job, layout, Path(movie), srt and Path(srt), Path(stills), seconds, beats)
                report(f"rendered {job.name} in {seconds:.1f} s")
    shutil.rmtree(layout.work, ignore_errors=True)
    return [outcomes[job.name] for job in jobs]


def _last_render_seconds(job, layout):
    """How long ``job``'s segment took last time it rendered (any settings); infinity if never."""
    record = read_json(layout.cache / f"{job.segment_id}.json") or {}
    return record.get("render_seconds", float("inf"))


def stills_path(job, layout):
    """Where the thumbnails of ``job``'s beats (for the contact sheet) are kept."""
    return layout.cache / f"{job.segment_id}.stills.npz"


def _install(job, layout, movie, srt, stills, seconds, beats):
    """Move a worker's clip (captions, beat thumbnails) under its final name; record it in the cache."""
    with atomic_path(stills_path(job, layout)) as tmp:
        shutil.move(stills, tmp)
    target = layout.segments / f"{job.name}.mp4"
    with atomic_path(target) as tmp:
        shutil.move(movie, tmp)
    if srt and srt.exists():
        with atomic_path(target.with_suffix(".srt")) as tmp:
            shutil.move(srt, tmp)
    else:
        target.with_suffix(".srt").unlink(missing_ok=True)
    _record(job, layout, target, seconds, beats)
    return Outcome(job, target, False, seconds, beats)


def _record(job, layout, movie, seconds, beats):
    write_json(
        layout.cache / f"{job.segment_id}.json",
        {
            "cache_key": job.cache_key,
            "file": movie.name,
            "sha256": sha256_file(movie),
            "render_seconds": seconds,
            "beats": beats,
        },
    )


def render_job(job, work_root):
    """Worker: render one segment with manim's Python API.

    Returns (movie, srt or None, beat thumbnails .npz, seconds, beats).
    """
    from manim import tempconfig

    from scenes.registry import scene_classes

    started = time.perf_counter()
    scene_class = scene_classes()[job.scene]
    work = Path(work_root) / job.name
    shutil.rmtree(work, ignore_errors=True)
    settings = {
        "pixel_width": job.width,
        "pixel_height": job.height,
        "frame_rate": job.fps,
        "media_dir": str(work),
        "video_dir": str(work / "video"),
        "tex_dir": str(work / "tex"),
        "text_dir": str(work / "text"),
        "images_dir": str(work / "images"),
        "partial_movie_dir": str(work / "partial"),
        "output_file": job.name,
        "disable_caching": True,
        "progress_bar": "none",
        "verbosity": "WARNING",
        "write_to_movie": True,
        "save_sections": False,
        "video_encoder_options": ENCODER_OPTIONS,
    }
    with tempconfig(settings):
        params = scene_class.Params.model_validate_json(job.params_json)
        scene = scene_class(params=params, narration=dict(job.narration), seed=job.seed, capture_stills=True)
        scene.render()
        movie = Path(scene.renderer.file_writer.movie_file_path)
    srt = movie.with_suffix(".srt")
    stills = work / "stills.npz"
    save_thumbnails([(beat, thumbnail(frame)) for beat, frame in scene.stills], stills)
    beats = [{"name": name, "start": round(start, 3), "end": round(end, 3)} for name, start, end in scene.beat_times]
    return str(movie), str(srt) if srt.exists() else None, str(stills), time.perf_counter() - started, beats

"""build(): the whole pipeline in one call, one stage after another.

    config ─▶ plan ─▶ timing (each beat at its own pace) ─▶ voice (every line spoken or read,
    measured) ─▶ timeline ─▶ render (segment pictures, encoded once) ─▶ assemble (sound mix,
    segment clips, full video, captions, manifest) ─▶ publish (YouTube and slides packages)

``build_many`` does it for several configs in one run: their timing passes and segment renders
are one set of tasks for one set of workers (a local pool, or a Dask cluster), each video goes
into its own folder, held by its lock for the whole run. On a cluster the voice's new lines go to
a worker too (with the bundled voice); recorded takes, assembling and publishing stay in this
process (they read files beside the config, or are remuxes and a GIF).

Every stage reuses what it made before when its inputs are unchanged; a run with nothing
changed starts no worker and rewrites no file.
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Callable
from pathlib import Path

from riskvid.cluster import Workers, open_workers
from riskvid.config.load import allowed_root
from riskvid.config.model import Frame
from riskvid.errors import RunError
from riskvid.files import folder_lock
from riskvid.narration import make_timeline, read_takes, voices_and_timing, will_speak
from riskvid.pipeline.assemble import assemble
from riskvid.pipeline.budget import Cost, check_cost
from riskvid.pipeline.encoder import EncoderSettings
from riskvid.pipeline.plan import RenderJob, render_key
from riskvid.pipeline.previews import gif_frames
from riskvid.pipeline.render import Rendered, Target, cached
from riskvid.pipeline.schedule import render_all
from riskvid.pipeline.sound import Sound
from riskvid.pipeline.timeline import Timeline
from riskvid.progress import Progress
from riskvid.run import Options, Result, Video, check_folders, check_only, prepare, work_folder

ENCODER = EncoderSettings()
Report = Callable[[str], None]


def build(config_path: Path, options: Options | None = None, report: Report = print) -> Result:
    """Render ``config_path`` into its output folder and publish it; see the module doc."""
    options = options or Options()
    return build_many([config_path], options, report)[0]


def build_many(config_paths: list[Path], options: Options | None = None, report: Report = print) -> list[Result]:
    """Render several configs in one run, their tasks sharing the workers; a Result per config, in order."""
    options = options or Options()
    started = time.perf_counter()
    progress = Progress.of(report)
    videos = [prepare(path, options) for path in config_paths]  # every config checked before anything runs
    check_folders(videos)
    check_only(options.only, videos)
    results = [Result(video.layout) for video in videos]
    if not options.render:  # before the lock creates the folder
        for video in videos:
            if not video.layout.manifest.is_file():
                raise RunError(f"nothing rendered in {video.layout.root}: run riskvid render first")
    takes = [read_takes(video.config, video.config_path, options, video.layout) for video in videos]
    with contextlib.ExitStack() as stack:
        for video in videos:
            stack.enter_context(folder_lock(video.layout.root, allowed_root(video.config_path, options.root)))
            stack.enter_context(work_folder(video.layout))
        workers = stack.enter_context(open_workers(options.jobs, options.scheduler))
        if options.render and any(will_speak(video, options) for video in videos):
            workers.start(prepare="riskvid.pipeline.beats")  # lines edited: manim imported while the voice speaks
        voiced = voices_and_timing(videos, options, workers, progress, takes)
        timelines = []
        for video, done in zip(videos, voiced):
            timeline = make_timeline(video.config, video.plans, done.naturals, done.spoken, video.frame.fps)
            check_cost(Cost(timeline.seconds, timeline.frames, video.frame.width, video.frame.height,
                            len(video.plans)), options.caps)
            timelines.append(timeline)
        jobs = [render_jobs(timeline, video.frame) for video, timeline in zip(videos, timelines)]
        with contextlib.ExitStack() as aside:  # each video's sound encodes while the pictures render
            sounds = [aside.enter_context(Sound(timeline, video.layout.cache).encode_aside())
                      for video, timeline in zip(videos, timelines)]
            rendered = render_stage_many(videos, jobs, workers, options, progress)
            workers.finish()  # they exit while the sound and the files are finished
        for n, video in enumerate(videos):
            _finish(video, timelines[n], jobs[n], rendered[n], sounds[n], results[n], options, progress)
    for result in results:
        result.wall = time.perf_counter() - started
    return results


def _finish(video: Video, timeline: Timeline, jobs: list[RenderJob], pictures: dict[str, Rendered], sound: Sound,
            result: Result, options: Options, progress: Progress) -> None:
    """Stages assemble and publish for one video, once its segments have pictures (into ``result``)."""
    result.rendered = [r.job.segment.id for r in pictures.values() if not r.reused]
    result.reused = [r.job.segment.id for r in pictures.values() if r.reused]
    if len(pictures) < len(jobs):
        progress(f"note: {len(jobs) - len(pictures)} segments of {video.label} have no picture yet; "
                 "its full video was not assembled")
        return
    assembled = assemble(video.config, timeline, [pictures[job.segment.id] for job in jobs], video.layout, sound)
    result.video, result.seconds = assembled.video, timeline.seconds
    if options.publish:
        from riskvid.publish import publish

        result.published = publish(video.config, timeline, assembled, video.layout)


def render_stage_many(videos: list[Video], jobs: list[list[RenderJob]], workers: Workers, options: Options,
                      progress: Progress) -> list[dict[str, Rendered]]:
    """Stage: render (or reuse) every video's selected segments, as one set of tasks; per video,
    {segment id: Rendered} of every segment with a picture."""
    if not options.render:
        for video, video_jobs in zip(videos, jobs):
            if any(cached(job, video.layout) is None for job in video_jobs):
                raise RunError(f"nothing rendered in {video.layout.root} for this config: run riskvid render first")
    targets = [Target(job, video.layout, video.label) for video, video_jobs in zip(videos, jobs) for job in video_jobs
               if not options.only or job.segment.id in options.only]
    pictures = render_all(targets, workers, options.force, progress)
    number = {video.layout: index for index, video in enumerate(videos)}
    rendered: list[dict[str, Rendered]] = [{} for _ in videos]
    for target, picture in zip(targets, pictures):
        rendered[number[target.layout]][target.job.segment.id] = picture
    for video, video_jobs, found in zip(videos, jobs, rendered):
        for job in video_jobs:  # segments left out by --only count if their render is still valid
            if job.segment.id not in found and (still_valid := cached(job, video.layout)):
                found[job.segment.id] = still_valid
    return rendered


def render_jobs(timeline: Timeline, frame: Frame) -> list[RenderJob]:
    """One RenderJob per segment of the timeline."""
    jobs = []
    for segment in timeline.segments:
        timing = segment.timing()
        key = render_key(segment.plan, frame, timing, ENCODER)
        jobs.append(RenderJob(segment.plan, frame, tuple(timing.items()), ENCODER, key,
                              gif_frames(segment.frames, frame.fps)))
    return jobs

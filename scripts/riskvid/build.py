"""build(): the whole pipeline in one call, one stage after another.

    config ─▶ plan ─▶ timing (each beat at its own pace) ─▶ voice (every line spoken or read,
    measured) ─▶ timeline ─▶ render (segment pictures, encoded once) ─▶ assemble (sound mix,
    segment clips, full video, captions, manifest) ─▶ publish (YouTube and slides packages)

Every stage reuses what it made before when its inputs are unchanged; a run with nothing
changed starts no worker and rewrites no file.
"""

from __future__ import annotations

import contextlib
from concurrent.futures import ThreadPoolExecutor
import os
import shutil
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from riskvid.errors import InputError, RunError
from riskvid.files import Layout, atomic_path, folder_lock, make_folders
from riskvid.pipeline.config import Config, allowed_root, load_config, output_folder
from riskvid.pipeline.budget import Caps, Cost, check_cost, check_frame
from riskvid.pipeline.encoder import EncoderSettings
from riskvid.pipeline.plan import Frame, RenderJob, SegmentPlan, plan_segments, render_key
from riskvid.pipeline.timeline import Pauses, Timeline, build_timeline, line_id
from riskvid.pipeline.timing import NaturalBeat, cached_naturals, natural_beats, store_naturals
from riskvid.publish.slides import gif_frames
from riskvid.workers import Workers

ENCODER = EncoderSettings()


@dataclass(frozen=True)
class Options:
    """What the command line can change about a build."""

    quality: str | None = None  # a preset overriding the config's
    only: tuple[str, ...] = ()  # render just these segments (the rest are reused if still valid)
    jobs: int = os.cpu_count() or 1
    force: bool = False  # render every selected segment again
    publish: bool = True
    voice: str | None = None  # an engine overriding the config's ("none" for the silent version)
    render: bool = True  # False: use only what is rendered (riskvid publish)
    root: Path | None = None  # the folder outputs must stay in (default: $RISKVID_ROOT, else the config's)
    caps: Caps = field(default_factory=Caps.from_environment)  # the most a run may make


@dataclass
class Result:
    """What a build did."""

    layout: Layout
    rendered: list[str] = field(default_factory=list)
    reused: list[str] = field(default_factory=list)
    video: Path | None = None
    seconds: float = 0.0  # the video's length
    published: list[str] = field(default_factory=list)  # files (re)written by publish
    wall: float = 0.0


def layout_for(config_path: Path, config: Config) -> Layout:
    """Where ``config``'s outputs go: <output folder, relative to the config>/<video id>."""
    return Layout(output_folder(config_path, config) / config.id)


def prepare(config_path: Path, options: Options) -> tuple[Config, Layout, list[SegmentPlan], Frame]:
    """Stages config and plan: the validated config, where it goes, its segments and its frame (within the caps)."""
    config = load_config(config_path, options.root)
    plans = plan_segments(config)
    _check_only(options.only, plans, config_path)
    frame = Frame(*config.frame_settings(options.quality))
    check_frame(frame.width, frame.height, len(plans), options.caps)
    return config, layout_for(config_path, config), plans, frame


def build(config_path: Path, options: Options = Options(), report=print) -> Result:
    """Render ``config_path`` into its output folder and publish it; see the module doc."""
    started = time.perf_counter()
    config, layout, plans, frame = prepare(config_path, options)
    result = Result(layout)
    if not options.render and not layout.manifest.is_file():  # before the lock creates the folder
        raise RunError(f"nothing rendered in {layout.root}: run riskvid render first")
    takes = read_takes(config, config_path, options, layout)
    with folder_lock(layout.root, allowed_root(config_path, options.root)), _work_folder(layout), \
            Workers(options.jobs) as workers:
        spoken, naturals = voice_and_timing(config, config_path, options, layout, plans, workers, takes)
        timeline = make_timeline(config, plans, naturals, spoken, frame.fps)
        check_cost(Cost(timeline.seconds, timeline.frames, frame.width, frame.height, len(plans)), options.caps)
        jobs = render_jobs(timeline, frame)
        from riskvid.pipeline.assemble import Sound, assemble

        with Sound(timeline, layout.cache).encode_aside() as sound:  # the sound encodes while pictures render
            rendered = render_stage(jobs, layout, workers, options, report)
        result.rendered = [r.job.segment.id for r in rendered.values() if not r.reused]
        result.reused = [r.job.segment.id for r in rendered.values() if r.reused]
        if len(rendered) < len(jobs):
            report(f"note: {len(jobs) - len(rendered)} segments have no picture yet; the full video was not assembled")
            return result
        assembled = assemble(config, timeline, [rendered[job.segment.id] for job in jobs], layout, sound)
        result.video, result.seconds = assembled.video, timeline.seconds
        if options.publish:
            from riskvid.publish import publish

            result.published = publish(config, timeline, assembled, layout)
    result.wall = time.perf_counter() - started
    return result


def render_stage(jobs: list[RenderJob], layout: Layout, workers: Workers, options: Options, report) -> dict:
    """Stage: render (or reuse) the selected segments; {segment id: Rendered} of every segment with a picture."""
    from riskvid.pipeline.render import cached, render_all

    if not options.render and any(cached(job, layout) is None for job in jobs):
        raise RunError(f"nothing rendered in {layout.root} for this config: run riskvid render first")
    selected = [job for job in jobs if not options.only or job.segment.id in options.only]
    rendered = {r.job.segment.id: r for r in render_all(selected, layout, workers, options.force, report)}
    for job in jobs:  # segments left out by --only count if their render is still valid
        if job.segment.id not in rendered and (found := cached(job, layout)):
            rendered[job.segment.id] = found
    return rendered


@contextlib.contextmanager
def _work_folder(layout: Layout):
    """The run's scratch folder, removed however the run ends (after its workers have stopped)."""
    try:
        yield layout.work
    finally:
        shutil.rmtree(layout.work, ignore_errors=True)


def estimate(config_path: Path, options: Options = Options()) -> tuple:
    """(config, layout, frame, timeline, cost) of what ``build`` would make; nothing is written.

    The beats' natural lengths come from the cache, or are measured in a scratch folder; every
    line is timed by its text (nothing is synthesised). Raises InputError if it is over the caps.
    """
    config, layout, plans, frame = prepare(config_path, options)
    naturals = {plan.id: cached_naturals(plan, layout.cache) for plan in plans}
    missing = [plan for plan in plans if naturals[plan.id] is None]
    if missing:
        with tempfile.TemporaryDirectory(prefix="riskvid-estimate-") as work, Workers(options.jobs) as workers:
            describe = lambda plan: f"timing segment {plan.id!r} ({plan.scene})"  # noqa: E731
            naturals.update({plan.id: beats for plan, beats in workers.run(natural_beats, missing, describe, work)})
    timeline = make_timeline(config, plans, naturals, speak(config, config_path, options, layout, dry=True), frame.fps)
    cost = Cost(timeline.seconds, timeline.frames, frame.width, frame.height, len(plans))
    check_cost(cost, options.caps)
    return config, layout, frame, timeline, cost


def dry_run(config_path: Path, options: Options = Options()) -> list[str]:
    """What ``build`` would do, a line per segment and its cost; nothing is written or rendered."""
    from riskvid.pipeline.render import cached

    _, layout, frame, timeline, cost = estimate(config_path, options)
    lines = [
        f"{'reuse ' if not options.force and cached(job, layout) else 'render'} {job.segment.name}  "
        f"({job.segment.scene}, {frame}, {job.frames / frame.fps:.1f} s, key {job.key[:12]})"
        for job in render_jobs(timeline, frame)
        if not options.only or job.segment.id in options.only
    ]
    return [*lines, f"cost: {cost.describe()}"]


def review(config_path: Path, options: Options = Options(), report=print, every: float = 1.0) -> list[Path]:
    """Review sheets: each segment rendered small, a frame every ``every`` seconds of each beat, one sheet each."""
    from riskvid.stills import review_sheet, sample_frames

    config = load_config(config_path, options.root)
    layout = layout_for(config_path, config)
    plans = plan_segments(config)
    fps, size = 10, (480, 270)
    folder = layout.root / "review"
    takes = read_takes(config, config_path, options, layout)
    with folder_lock(layout.root, allowed_root(config_path, options.root)), _work_folder(layout), \
            Workers(options.jobs) as workers:
        spoken, naturals = voice_and_timing(config, config_path, options, layout, plans, workers, takes)
        timeline = make_timeline(config, plans, naturals, spoken, fps)
        make_folders(folder, layout.work)
        tasks = [(segment, max(1, round(every * fps))) for segment in timeline.segments]
        sheets = []
        describe = lambda task: f"review of segment {task[0].plan.id!r}"  # noqa: E731
        for (segment, _), samples in workers.run(_sample_task, tasks, describe, size, fps, str(layout.work)):
            target = folder / f"{segment.plan.name}.png"
            with atomic_path(target) as tmp:
                review_sheet(segment.plan.name, samples, fps, tmp, config.theme)
            report(f"review sheet {target.name}")
            sheets.append(target)
        shutil.rmtree(layout.work, ignore_errors=True)
    return sorted(sheets)


def _sample_task(task, size, fps, work_root):
    from riskvid.stills import sample_frames

    segment, step = task
    return sample_frames(segment.plan, segment.timing(), size, fps, work_dir=f"{work_root}/{segment.plan.name}", every=step)


def recording_script(config_path: Path) -> list[tuple[str, str, str]]:
    """(line id, take file name, text to read) for every narration line of the config."""
    from riskvid.pipeline import voice

    return voice.recording_script(line_requests(load_config(config_path)))


def _check_only(only: tuple[str, ...], plans: list[SegmentPlan], config_path: Path) -> None:
    known = [plan.id for plan in plans]
    unknown = [name for name in only if name not in known]
    if unknown:
        raise InputError(f"--only: no segment {unknown[0]!r} in {config_path} (ids: {', '.join(known)})")


def measure_naturals(plans: list[SegmentPlan], layout: Layout, workers: Workers) -> dict[str, list[NaturalBeat]]:
    """Stage: each segment's beats at their own pace (cached by the segment's timing key)."""
    naturals = {plan.id: cached_naturals(plan, layout.cache) for plan in plans}
    missing = [plan for plan in plans if naturals[plan.id] is None]
    if missing:
        make_folders(layout.cache, layout.work)
        describe = lambda plan: f"timing segment {plan.id!r} ({plan.scene})"  # noqa: E731
        for plan, beats in workers.run(natural_beats, missing, describe, str(layout.work / "timing")):
            store_naturals(plan, layout.cache, beats)
            naturals[plan.id] = beats
        shutil.rmtree(layout.work / "timing", ignore_errors=True)
    return naturals


def voice_settings(config: Config, options: Options):
    """The voice a run speaks with: the config's, its engine overridden by --voice."""
    return config.voice if options.voice is None else config.voice.model_copy(update={"engine": options.voice})


def read_takes(config: Config, config_path: Path, options: Options, layout: Layout) -> tuple | None:
    """With the creator's own takes, read and check them all before anything is written (a bad take
    stops the run with nothing made); other voices are spoken beside the timing pass instead."""
    return speak(config, config_path, options, layout) if voice_settings(config, options).engine == "recorded" else None


def voice_and_timing(config: Config, config_path: Path, options: Options, layout: Layout,
                     plans: list[SegmentPlan], workers: Workers, spoken: tuple | None = None) -> tuple:
    """Stages voice and timing side by side: the voice synthesises (in its own process) while the
    workers measure the beats. Returns (spoken, naturals)."""
    with ThreadPoolExecutor(1) as side:
        voice = side.submit(speak, config, config_path, options, layout) if spoken is None else None
        naturals = measure_naturals(plans, layout, workers)
        return (spoken if voice is None else voice.result()), naturals


def speak(config: Config, config_path: Path, options: Options, layout: Layout, dry: bool = False) -> tuple:
    """Stage: speak (or read) every narration line; (speeches by line id, pauses).

    A dry run synthesises nothing: every line is timed by its text.
    """
    from riskvid.pipeline import voice

    settings = voice_settings(config, options)
    if dry:
        settings = settings.model_copy(update={"engine": "none"})
    speeches = voice.speak(settings, line_requests(config), layout.cache, config_path.parent)
    return speeches, Pauses(settings.pause_before, settings.pause_between, settings.pause_after)


def make_timeline(config: Config, plans: list[SegmentPlan], naturals: dict[str, list[NaturalBeat]],
                  spoken: tuple, fps: int) -> Timeline:
    """Stage: the timeline, from the beats' natural lengths and the measured lines."""
    speeches, pauses = spoken
    narration = {segment.id: segment.narration for segment in config.segments}
    return build_timeline(plans, naturals, narration, speeches, pauses, fps)


def line_requests(config: Config) -> list:
    """Every narration line of ``config`` as a voice.LineRequest, in playing order."""
    from riskvid.pipeline import voice

    return [
        voice.LineRequest(line_id(segment.id, beat, n), line.text, line.spoken)
        for segment in config.segments
        for beat, lines in segment.narration.items()
        for n, line in enumerate(lines, start=1)
    ]


def render_jobs(timeline: Timeline, frame: Frame) -> list[RenderJob]:
    """One RenderJob per segment of the timeline."""
    jobs = []
    for segment in timeline.segments:
        timing = segment.timing()
        key = render_key(segment.plan, frame, timing, ENCODER)
        jobs.append(RenderJob(segment.plan, frame, tuple(timing.items()), ENCODER, key,
                              gif_frames(segment.frames, frame.fps)))
    return jobs

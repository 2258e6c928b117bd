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
import os
import shutil
import tempfile
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from riskvid.errors import InputError, RunError
from riskvid.files import Layout, atomic_path, folder_lock, make_folders
from riskvid.pipeline.config import Config, allowed_root, load_config, output_folder
from riskvid.pipeline.budget import Caps, Cost, check_cost, check_frame
from riskvid.pipeline.encoder import EncoderSettings
from riskvid.pipeline.plan import Frame, RenderJob, SegmentPlan, plan_segments, render_key, timing_key
from riskvid.pipeline.timeline import Pauses, Timeline, build_timeline, line_id
from riskvid.pipeline.timing import NaturalBeat, cached_naturals, natural_beats, store_naturals
from riskvid.progress import Progress
from riskvid.publish.slides import gif_frames
from riskvid.workers import Workers, open_workers

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
    scheduler: str | None = None  # a Dask scheduler's address: timing passes and renders go to its workers


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


@dataclass
class Video:
    """One config of a run: read, checked and planned."""

    config_path: Path
    config: Config
    layout: Layout
    plans: list[SegmentPlan]
    frame: Frame
    label: str  # how progress names it: its id (its folder when ids repeat)


def prepare(config_path: Path, options: Options) -> Video:
    """Stages config and plan: the validated config, where it goes, its segments and its frame (within the caps);
    nothing is written."""
    config = load_config(config_path, options.root)
    layout = layout_for(config_path, config)
    plans = plan_segments(config)
    frame = Frame(*config.frame_settings(options.quality))
    check_frame(frame.width, frame.height, len(plans), options.caps)
    return Video(config_path, config, layout, plans, frame, config.id)


def build(config_path: Path, options: Options = Options(), report=print) -> Result:
    """Render ``config_path`` into its output folder and publish it; see the module doc."""
    return build_many([config_path], options, report)[0]


def build_many(config_paths: list[Path], options: Options = Options(), report=print) -> list[Result]:
    """Render several configs in one run, their tasks sharing the workers; a Result per config, in order."""
    started = time.perf_counter()
    progress = Progress.of(report)
    videos = [prepare(path, options) for path in config_paths]  # every config checked before anything runs
    _check_folders(videos)
    _check_only(options.only, videos)
    results = [Result(video.layout) for video in videos]
    if not options.render:  # before the lock creates the folder
        for video in videos:
            if not video.layout.manifest.is_file():
                raise RunError(f"nothing rendered in {video.layout.root}: run riskvid render first")
    takes = [read_takes(video.config, video.config_path, options, video.layout) for video in videos]
    with contextlib.ExitStack() as stack:
        for video in videos:
            stack.enter_context(folder_lock(video.layout.root, allowed_root(video.config_path, options.root)))
            stack.enter_context(_work_folder(video.layout))
        workers = stack.enter_context(open_workers(options.jobs, options.scheduler))
        spoken, naturals = voices_and_timing(videos, options, workers, progress, takes)
        timelines = []
        for video, said, beats in zip(videos, spoken, naturals):
            timeline = make_timeline(video.config, video.plans, beats, said, video.frame.fps)
            check_cost(Cost(timeline.seconds, timeline.frames, video.frame.width, video.frame.height,
                            len(video.plans)), options.caps)
            timelines.append(timeline)
        jobs = [render_jobs(timeline, video.frame) for video, timeline in zip(videos, timelines)]
        from riskvid.pipeline.assemble import Sound

        with contextlib.ExitStack() as aside:  # each video's sound encodes while the pictures render
            sounds = [aside.enter_context(Sound(timeline, video.layout.cache).encode_aside())
                      for video, timeline in zip(videos, timelines)]
            rendered = render_stage_many(videos, jobs, workers, options, progress)
        for n, video in enumerate(videos):
            _finish(video, timelines[n], jobs[n], rendered[n], sounds[n], results[n], options, progress)
    for result in results:
        result.wall = time.perf_counter() - started
    return results


def _finish(video: Video, timeline: Timeline, jobs: list[RenderJob], pictures: dict, sound, result: Result,
            options: Options, progress: Progress) -> None:
    """Stages assemble and publish for one video, once its segments have pictures (into ``result``)."""
    from riskvid.pipeline.assemble import assemble

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
                      progress: Progress) -> list[dict]:
    """Stage: render (or reuse) every video's selected segments, as one set of tasks; per video,
    {segment id: Rendered} of every segment with a picture."""
    from riskvid.pipeline.render import Target, cached, render_all

    if not options.render:
        for video, video_jobs in zip(videos, jobs):
            if any(cached(job, video.layout) is None for job in video_jobs):
                raise RunError(f"nothing rendered in {video.layout.root} for this config: run riskvid render first")
    targets = [Target(job, video.layout, video.label) for video, video_jobs in zip(videos, jobs) for job in video_jobs
               if not options.only or job.segment.id in options.only]
    pictures = render_all(targets, workers, options.force, progress)
    number = {video.layout: index for index, video in enumerate(videos)}
    rendered: list[dict] = [{} for _ in videos]
    for target, picture in zip(targets, pictures):
        rendered[number[target.layout]][target.job.segment.id] = picture
    for video, video_jobs, found in zip(videos, jobs, rendered):
        for job in video_jobs:  # segments left out by --only count if their render is still valid
            if job.segment.id not in found and (picture := cached(job, video.layout)):
                found[job.segment.id] = picture
    return rendered


def _check_folders(videos: list[Video]) -> None:
    """Refuse two configs that would write into one folder; label videos whose ids repeat by their folder."""
    seen: dict[Path, Path] = {}
    for video in videos:
        root = Path(os.path.abspath(video.layout.root))
        if root in seen:
            raise InputError(f"{seen[root]} and {video.config_path} both render into {video.layout.root}: "
                             "give each its own id or output")
        seen[root] = video.config_path
    ids = [video.config.id for video in videos]
    for video in videos:
        if ids.count(video.config.id) > 1:
            video.label = _shown(video.layout.root)


def _shown(path: Path) -> str:
    try:
        return Path(os.path.abspath(path)).relative_to(Path.cwd()).as_posix()
    except ValueError:
        return str(path)


@contextlib.contextmanager
def _work_folder(layout: Layout):
    """The run's scratch folder, removed however the run ends (after its workers have stopped)."""
    try:
        yield layout.work
    finally:
        shutil.rmtree(layout.work, ignore_errors=True)


# Natural beats an estimate measured without a cache to keep them in, by timing key (the scene's code,
# params, seed, theme and the segment before): a service checking config after config measures each once.
_MEASURED: dict[str, list[NaturalBeat]] = {}


def estimate(config_path: Path, options: Options = Options()) -> tuple:
    """(config, layout, frame, timeline, cost) of what ``build`` would make; nothing is written.

    The beats' natural lengths come from the cache, or are measured in a scratch folder; every
    line is timed by its text (nothing is synthesised). Raises InputError if it is over the caps.
    """
    video = prepare(config_path, options)
    _check_only(options.only, [video])
    config, layout, plans, frame = video.config, video.layout, video.plans, video.frame
    naturals = {plan.id: cached_naturals(plan, layout.cache) or _MEASURED.get(timing_key(plan)) for plan in plans}
    missing = [plan for plan in plans if naturals[plan.id] is None]
    if missing:
        with tempfile.TemporaryDirectory(prefix="riskvid-estimate-") as work, open_workers(options.jobs) as workers:
            describe = lambda plan: f"timing segment {plan.id!r} ({plan.scene})"  # noqa: E731
            for plan, beats in workers.run(natural_beats, missing, describe, lambda _: Path(work)):
                naturals[plan.id] = _MEASURED[timing_key(plan)] = beats
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
            open_workers(options.jobs) as workers:
        video = Video(config_path, config, layout, plans, Frame(*size, fps), config.id)
        [spoken], [naturals] = voices_and_timing([video], options, workers, Progress.of(report), [takes])
        timeline = make_timeline(config, plans, naturals, spoken, fps)
        make_folders(folder, layout.work)
        tasks = [(segment, max(1, round(every * fps))) for segment in timeline.segments]
        sheets = []
        describe = lambda task: f"review of segment {task[0].plan.id!r}"  # noqa: E731
        for (segment, _), samples in workers.run(_sample_task, tasks, describe, lambda _: layout.work, size, fps):
            target = folder / f"{segment.plan.name}.png"
            with atomic_path(target) as tmp:
                review_sheet(segment.plan.name, samples, fps, tmp, config.theme)
            report(f"review sheet {target.name}")
            sheets.append(target)
        shutil.rmtree(layout.work, ignore_errors=True)
    return sorted(sheets)


def _sample_task(task, work_root, size, fps):
    from riskvid.stills import sample_frames

    segment, step = task
    return sample_frames(segment.plan, segment.timing(), size, fps, work_dir=f"{work_root}/{segment.plan.name}", every=step)


def recording_script(config_path: Path) -> list[tuple[str, str, str]]:
    """(line id, take file name, text to read) for every narration line of the config."""
    from riskvid.pipeline import voice

    return voice.recording_script(line_requests(load_config(config_path)))


def _check_only(only: tuple[str, ...], videos: list[Video]) -> None:
    """Refuse an --only id that no segment of these configs has."""
    known = [plan.id for video in videos for plan in video.plans]
    unknown = [name for name in only if name not in known]
    if unknown:
        where = ", ".join(str(video.config_path) for video in videos)
        raise InputError(f"--only: no segment {unknown[0]!r} in {where} (ids: {', '.join(dict.fromkeys(known))})")


def measure_naturals_many(videos: list[Video], workers: Workers,
                          progress: Progress) -> list[dict[str, list[NaturalBeat]]]:
    """Stage: every video's beats at their own pace, the passes of all videos as one set of tasks;
    per video, {segment id: natural beats}. Cached by each segment's timing key; a segment that
    several videos share (one timing key) is measured once."""
    naturals = [{plan.id: cached_naturals(plan, video.layout.cache) for plan in video.plans} for video in videos]
    wanted: dict[str, list[tuple[int, SegmentPlan]]] = {}  # timing key: (video, plan) pairs
    for number, (video, found) in enumerate(zip(videos, naturals)):
        for plan in video.plans:
            if found[plan.id] is None:
                wanted.setdefault(timing_key(plan), []).append((number, plan))
    if not wanted:
        return naturals
    for number in {number for pairs in wanted.values() for number, _ in pairs}:
        make_folders(videos[number].layout.cache, videos[number].layout.work)
    firsts = [pairs[0] for pairs in wanted.values()]
    owner = {id(plan): number for number, plan in firsts}
    several = len(videos) > 1
    progress.expect(len(firsts), "timing")

    def describe(plan: SegmentPlan) -> str:
        video = f" of {videos[owner[id(plan)]].label}" if several else ""
        return f"timing segment {plan.id!r} ({plan.scene}){video}"

    work: Callable[[SegmentPlan], Path] = lambda plan: videos[owner[id(plan)]].layout.work / "timing"  # noqa: E731
    for plan, beats in workers.run(natural_beats, [plan for _, plan in firsts], describe, work):
        for number, same in wanted[timing_key(plan)]:
            store_naturals(same, videos[number].layout.cache, beats)
            naturals[number][same.id] = beats
        progress.done(f"timed    {videos[owner[id(plan)]].label}/{plan.name}")
    for number in {number for pairs in wanted.values() for number, _ in pairs}:
        shutil.rmtree(videos[number].layout.work / "timing", ignore_errors=True)
    return naturals


def voice_settings(config: Config, options: Options):
    """The voice a run speaks with: the config's, its engine overridden by --voice."""
    return config.voice if options.voice is None else config.voice.model_copy(update={"engine": options.voice})


def read_takes(config: Config, config_path: Path, options: Options, layout: Layout) -> tuple | None:
    """With the creator's own takes, read and check them all before anything is written (a bad take
    stops the run with nothing made); other voices are spoken beside the timing pass instead."""
    return speak(config, config_path, options, layout) if voice_settings(config, options).engine == "recorded" else None


def voices_and_timing(videos: list[Video], options: Options, workers: Workers, progress: Progress,
                      takes: list[tuple | None]) -> tuple[list, list]:
    """Stages voice and timing side by side: the voices synthesise (in their own process) while the
    workers measure the beats. ``takes`` holds each video's recorded takes, already read, or None.
    Returns (spoken, naturals), a value per video."""
    from riskvid.pipeline.voice import stop_speaking

    side, stop = ThreadPoolExecutor(1), threading.Event()
    try:
        voices = [side.submit(speak, video.config, video.config_path, options, video.layout, workers=workers,
                              stop=stop)
                  if said is None else None for video, said in zip(videos, takes)]
        naturals = measure_naturals_many(videos, workers, progress)
        return [said if voice is None else voice.result() for said, voice in zip(takes, voices)], naturals
    except BaseException:  # stopped (a signal, a failed timing pass): the voice stops too, now
        stop_speaking(stop)  # a local Piper; a voice job on a cluster is cancelled with the workers
        raise
    finally:
        side.shutdown(wait=False, cancel_futures=True)


def speak(config: Config, config_path: Path, options: Options, layout: Layout, dry: bool = False,
          workers: Workers | None = None, stop: threading.Event | None = None) -> tuple:
    """Stage: speak (or read) every narration line; (speeches by line id, pauses).

    A dry run synthesises nothing: every line is timed by its text. On a cluster (``workers``
    remote), a worker synthesises the lines the cache lacks with the bundled voice. Once ``stop`` is
    set, no local Piper starts.
    """
    from riskvid.pipeline import voice

    settings = voice_settings(config, options)
    if dry:
        settings = settings.model_copy(update={"engine": "none"})
    requests = line_requests(config)
    if workers is not None and workers.remote and settings.engine == "piper" and settings.voice is None:
        speak_remotely(settings, requests, layout, config_path.parent, workers)
    speeches = voice.speak(settings, requests, layout.cache, config_path.parent, stop=stop)
    return speeches, Pauses(settings.pause_before, settings.pause_between, settings.pause_after)


def speak_remotely(settings, requests: list, layout: Layout, config_dir: Path, workers: Workers) -> None:
    """The lines not in the voice cache, synthesised on a worker; their files installed in the cache here."""
    from riskvid.pipeline import voice

    missing = voice.unvoiced(settings, requests, layout.cache, config_dir)
    if not missing:
        return
    scratch = layout.work / "voice"
    job = voice.VoiceJob(settings.rate, tuple(missing))
    describe = lambda _: f"the voice of {len(missing)} lines of {layout.root.name}"  # noqa: E731
    for _ in workers.run(voice.speak_job, [job], describe, lambda _: scratch, bring_back=lambda _: "voice"):
        voice.adopt(scratch / "voice", layout.cache)
    shutil.rmtree(scratch, ignore_errors=True)


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

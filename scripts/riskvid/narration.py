"""Stages voice and timing for a run: every narration line spoken (or read, or timed for reading) beside the
timing pass that measures each beat at its own pace; then the timeline that both decide."""

from __future__ import annotations

import shutil
import threading
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from riskvid.cluster import Workers
from riskvid.config.load import load_config
from riskvid.config.model import Config, VoiceSettings
from riskvid.files import Layout, make_folders
from riskvid.pipeline import voice
from riskvid.pipeline.plan import SegmentPlan, TimingJob, replay_key, timing_key
from riskvid.pipeline.timeline import Pauses, Timeline, build_timeline, line_id
from riskvid.pipeline.timing import NaturalBeat, cached_naturals, store_naturals, timing_task
from riskvid.progress import Progress
from riskvid.run import Options, Video

Naturals = dict[str, list[NaturalBeat]]  # a video's beats at their own pace, by segment id


@dataclass(frozen=True)
class Spoken:
    """A video's narration as voiced: every line's Speech by line id, and the pauses around lines."""

    speeches: dict[str, voice.Speech]
    pauses: Pauses


@dataclass(frozen=True)
class Voiced:
    """A video after the voice and timing stages: its lines as voiced, its beats at their own pace."""

    spoken: Spoken
    naturals: Naturals


def recording_script(config_path: Path) -> list[voice.ScriptLine]:
    """(line id, take file name, text to read) for every narration line of the config."""
    return voice.recording_script(line_requests(load_config(config_path)))


def measure_naturals_many(videos: list[Video], workers: Workers, progress: Progress) -> list[Naturals]:
    """Stage: every video's beats at their own pace, the passes of all videos as one set of tasks;
    per video, {segment id: natural beats}. Cached by each segment's timing key; a segment that
    several videos share (one timing key) is measured once."""
    found_beats = [{plan.id: cached_naturals(plan, video.layout.cache) for plan in video.plans} for video in videos]
    wanted: dict[str, list[tuple[int, SegmentPlan]]] = {}  # timing key: (video, plan) pairs
    for number, (video, found) in enumerate(zip(videos, found_beats)):
        for plan in video.plans:
            if found[plan.id] is None:
                wanted.setdefault(timing_key(plan), []).append((number, plan))
    naturals: list[Naturals] = [{key: beats for key, beats in found.items() if beats is not None}
                                for found in found_beats]
    if not wanted:
        return naturals
    for number in {number for pairs in wanted.values() for number, _ in pairs}:
        make_folders(videos[number].layout.cache, videos[number].layout.work)
    firsts = [pairs[0] for pairs in wanted.values()]
    owner = {id(plan): number for number, plan in firsts}
    several = len(videos) > 1
    progress.expect(len(firsts), "timing")

    def describe(job: TimingJob) -> str:
        video = f" of {videos[owner[id(job.segment)]].label}" if several else ""
        return f"timing segment {job.segment.id!r} ({job.segment.scene}){video}"

    jobs = [TimingJob(plan, videos[number].frame, replay_key(plan, videos[number].frame)) for number, plan in firsts]
    work: Callable[[TimingJob], Path] = lambda job: videos[owner[id(job.segment)]].layout.work  # noqa: E731
    for job, beats in workers.run(timing_task, jobs, describe, work):
        for number, same in wanted[timing_key(job.segment)]:
            store_naturals(same, videos[number].layout.cache, beats)
            naturals[number][same.id] = beats
        progress.done(f"timed    {videos[owner[id(job.segment)]].label}/{job.segment.name}")
    return naturals


def voice_settings(config: Config, options: Options) -> VoiceSettings:
    """The voice a run speaks with: the config's, its engine overridden by --voice."""
    return config.voice if options.voice is None else config.voice.model_copy(update={"engine": options.voice})


def read_takes(config: Config, config_path: Path, options: Options, layout: Layout) -> Spoken | None:
    """With the creator's own takes, read and check them all before anything is written (a bad take
    stops the run with nothing made); other voices are spoken beside the timing pass instead."""
    return speak(config, config_path, options, layout) if voice_settings(config, options).engine == "recorded" else None


def will_speak(video: Video, options: Options) -> bool:
    """Whether the bundled or a local Piper voice has lines to say in this run (not in the voice cache)."""
    settings = voice_settings(video.config, options)
    if settings.engine != "piper":
        return False
    return bool(voice.unvoiced(settings, line_requests(video.config), video.layout.cache, video.config_path.parent))


def voices_and_timing(videos: list[Video], options: Options, workers: Workers, progress: Progress,
                      takes: list[Spoken | None]) -> list[Voiced]:
    """Stages voice and timing side by side: the voices synthesise (in their own process) while the
    workers measure the beats. ``takes`` holds each video's recorded takes, already read, or None."""
    side, stop = ThreadPoolExecutor(1), threading.Event()
    try:
        voices: list[Spoken | Future[Spoken]] = [
            side.submit(speak, video.config, video.config_path, options, video.layout, workers=workers, stop=stop)
            if said is None else said for video, said in zip(videos, takes)]
        naturals = measure_naturals_many(videos, workers, progress)
        return [Voiced(said if isinstance(said, Spoken) else said.result(), beats)
                for said, beats in zip(voices, naturals)]
    except BaseException:  # stopped (a signal, a failed timing pass): the voice stops too, now
        voice.stop_speaking(stop)  # a local Piper; a voice job on a cluster is cancelled with the workers
        raise
    finally:
        side.shutdown(wait=False, cancel_futures=True)


def speak(config: Config, config_path: Path, options: Options, layout: Layout, dry: bool = False,
          workers: Workers | None = None, stop: threading.Event | None = None) -> Spoken:
    """Stage: speak (or read) every narration line.

    A dry run synthesises nothing: every line is timed by its text. On a cluster (``workers``
    remote), a worker synthesises the lines the cache lacks with the bundled voice. Once ``stop`` is
    set, no local Piper starts.
    """
    settings = voice_settings(config, options)
    if dry:
        settings = settings.model_copy(update={"engine": "none"})
    requests = line_requests(config)
    if workers is not None and workers.remote and settings.engine == "piper" and settings.voice is None:
        speak_remotely(settings, requests, layout, config_path.parent, workers)
    speeches = voice.speak(settings, requests, layout.cache, config_path.parent, stop=stop)
    return Spoken(speeches, Pauses(settings.pause_before, settings.pause_between, settings.pause_after))


def speak_remotely(settings: VoiceSettings, requests: list[voice.LineRequest], layout: Layout, config_dir: Path,
                   workers: Workers) -> None:
    """The lines not in the voice cache, synthesised on a worker; their files installed in the cache here."""
    missing = voice.unvoiced(settings, requests, layout.cache, config_dir)
    if not missing:
        return
    scratch = layout.work / "voice"
    job = voice.VoiceJob(settings.rate, tuple(missing))
    describe = lambda _: f"the voice of {len(missing)} lines of {layout.root.name}"  # noqa: E731
    for _ in workers.run(voice.speak_job, [job], describe, lambda _: scratch, bring_back=lambda _: "voice"):
        voice.adopt(scratch / "voice", layout.cache)
    shutil.rmtree(scratch, ignore_errors=True)


def make_timeline(config: Config, plans: list[SegmentPlan], naturals: Naturals, spoken: Spoken, fps: int) -> Timeline:
    """Stage: the timeline, from the beats' natural lengths and the measured lines."""
    narration = {segment.id: segment.narration for segment in config.segments}
    return build_timeline(plans, naturals, narration, spoken.speeches, spoken.pauses, fps)


def line_requests(config: Config) -> list[voice.LineRequest]:
    """Every narration line of ``config`` as a voice.LineRequest, in playing order."""
    return [
        voice.LineRequest(line_id(segment.id, beat, n), line.text, line.spoken)
        for segment in config.segments
        for beat, lines in segment.narration.items()
        for n, line in enumerate(lines, start=1)
    ]

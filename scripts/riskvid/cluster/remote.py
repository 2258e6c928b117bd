"""The worker's side of a cluster run: what a Dask worker does with one of riskvid's jobs.

A worker runs only the functions named in ``TASKS``, looked up by name in its own code (the
client sends a name, never code), and only on a job it has checked itself:

1. its environment (riskvid.environment) must be the client's, and its code must not have changed
   on disk since it started; else it refuses with one line naming the first difference;
2. the job is validated again: the scene must exist, its params (and the previous segment's) pass
   the scene's own params model, the frame, beats and previews are in bounds, and the render key
   the worker computes from all of it is the one the client planned (and the replay key, which
   names a file in the worker's cache);
3. the function runs in a private folder under the worker's own scratch space, one job at a time
   per worker process (manim's settings are process-wide), and the files it leaves in the job's
   ``bring_back`` sub-folder travel back to the client as bytes, each with its SHA-256.
"""

from __future__ import annotations

import hashlib
import re
import tempfile
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING, Any

from riskvid.cluster.environment import Environment, current, difference
from riskvid.cluster.workers import one_line
from riskvid.errors import RunError

if TYPE_CHECKING:
    from riskvid.pipeline.plan import BeatJob, RenderJob, SegmentPlan, TimingJob
    from riskvid.pipeline.voice import VoiceJob

TASKS = {  # name the client sends: (module, function)
    "natural_beats": ("riskvid.pipeline.timing", "natural_beats"),
    "timing_task": ("riskvid.pipeline.timing", "timing_task"),
    "render_segment_beat": ("riskvid.pipeline.beats", "render_segment_beat"),
    "speak_job": ("riskvid.pipeline.voice", "speak_job"),
}
MAX_FRAME = (7680, 4320)  # the config's own bounds
MAX_LINES, MAX_LINE_CHARACTERS = 10_000, 2_000  # a voice job's, well past any config's
_ONE_AT_A_TIME = threading.Lock()
_STARTED: dict[str, str] = {}  # this process's code when it took its first job


class EnvironmentMismatch(RunError):
    """A worker whose code or environment differs from the client's refused a job."""


class JobRefused(RunError):
    """A worker found a job invalid."""


Files = dict[str, tuple[str, bytes]]  # relative path: (SHA-256, bytes)


@dataclass(frozen=True)
class TaskDone:
    """What a worker sends back for one task: the function's result, and the files it left in ``bring_back``."""

    result: Any
    files: Files


def run_task(name: str, item: Any, expected: Environment, bring_back: str | None) -> TaskDone:
    """Worker: check, then run task ``name`` on ``item`` in a private folder; its result and the files it
    left in ``bring_back``."""
    where = f"worker {worker_address()}"
    check_environment(expected, where)
    function = task_function(name, where)
    validate(item, where)
    with _ONE_AT_A_TIME, tempfile.TemporaryDirectory(prefix="riskvid-job-", dir=scratch_folder()) as work:
        result = function(item, work)
        files = pack(Path(work) / bring_back) if bring_back else {}
    return TaskDone(result, files)


def check_worker(expected: Environment) -> str | None:
    """Worker (through Client.run, before any job is sent): the first way it differs from the client, or None."""
    try:
        check_environment(expected, "")
    except EnvironmentMismatch as error:
        return str(error)
    return None


def check_environment(expected: Environment, where: str) -> None:
    """Raise EnvironmentMismatch naming the first way this process differs from ``expected``, after ``where: ``."""
    where = f"{where}: " if where else ""
    mine = current()
    if not _STARTED:
        _STARTED.update(mine.code)
    elif mine.code != _STARTED:
        changed = sorted(name for name in mine.code.keys() | _STARTED.keys()
                         if mine.code.get(name) != _STARTED.get(name))
        raise EnvironmentMismatch(f"{where}{changed[0]} changed on disk since the worker started; restart the worker")
    if mine.digest != expected.digest:
        raise EnvironmentMismatch(f"{where}{difference(expected, mine)}")


def task_function(name: str, where: str) -> Callable[..., Any]:
    """The function of task ``name``, from this worker's own code."""
    import importlib

    if name not in TASKS:
        raise JobRefused(f"{where}: refused an unknown task {name!r} (riskvid runs only {', '.join(TASKS)})")
    module, function = TASKS[name]
    found: Callable[..., Any] = getattr(importlib.import_module(module), function)
    return found


def validate(item: Any, where: str) -> None:
    """Raise JobRefused unless ``item`` is a SegmentPlan, TimingJob, RenderJob, BeatJob or VoiceJob this worker would
    have planned itself."""
    from riskvid.pipeline.plan import BeatJob, RenderJob, SegmentPlan, TimingJob
    from riskvid.pipeline.voice import VoiceJob

    try:
        if type(item) is SegmentPlan:
            validate_plan(item)
        elif type(item) is TimingJob:
            validate_timing_job(item)
        elif type(item) is RenderJob:
            validate_job(item)
        elif type(item) is BeatJob:
            validate_beat_job(item)
        elif type(item) is VoiceJob:
            validate_voice(item)
        else:
            raise ValueError(f"a {type(item).__name__} is not a job")
    except (ValueError, TypeError, KeyError) as error:
        name = getattr(getattr(item, "segment", item), "id", None)
        what = f"segment {name!r}" if name else "a voice job"
        raise JobRefused(f"{where}: refused {what}: {one_line(error)}") from None


def validate_plan(plan: SegmentPlan) -> None:
    """A segment plan as the config would have made it: a known scene, valid params, plain values."""
    from scenes.fields import NAME_PATTERN
    from scenes.palette import THEMES
    from scenes.registry import scene_classes

    _is(plan.index, int, "index", low=1, high=999)
    _is(plan.seed, int, "seed", low=0, high=2**32 - 1)
    for value, what in ((plan.id, "id"), (plan.title, "title"), (plan.scene, "scene"), (plan.theme, "theme")):
        if type(value) is not str:
            raise TypeError(f"{what} must be text")
    if not re.fullmatch(NAME_PATTERN, plan.id):
        raise ValueError(f"id {plan.id!r} is not a segment id")
    if plan.theme not in THEMES:
        raise ValueError(f"unknown theme {plan.theme!r}")
    classes = scene_classes()
    scenes = [(plan.scene, plan.params_json)] + ([tuple(plan.previous)] if plan.previous is not None else [])
    for scene, params in scenes:
        if scene not in classes:
            raise ValueError(f"unknown scene {scene!r}")
        if type(params) is not str:
            raise TypeError("params must be JSON text")
        try:
            classes[scene].Params.model_validate_json(params)
        except Exception as error:  # pydantic's ValidationError: the message names the field and the bound
            raise ValueError(f"params of {scene}: {one_line(error)}") from None


def validate_timing_job(job: TimingJob) -> None:
    """A timing job as this worker would plan it: a valid plan, a frame in bounds, the same replay key."""
    from riskvid.pipeline.plan import replay_key

    validate_plan(job.segment)
    _validate_frame(job.frame)
    if replay_key(job.segment, job.frame) != job.replay_key:  # it names a file in this worker's cache
        raise ValueError("its replay key is not the one this worker computes for it")


def validate_job(job: RenderJob) -> None:
    """A render job as this worker would plan it: a valid plan, a frame in bounds, the scene's beats, the same key."""
    from riskvid.pipeline.encoder import EncoderSettings
    from riskvid.pipeline.plan import render_key
    from scenes.registry import scene_classes

    validate_plan(job.segment)
    _validate_frame(job.frame)
    beats = [beat for beat, _ in job.timing]
    if beats != list(scene_classes()[job.segment.scene].beats):
        raise ValueError(f"beats {beats} are not the scene's")
    for beat, timing in job.timing:
        _validate_timing(beat, timing)
    if type(job.encoder) is not EncoderSettings or job.encoder != EncoderSettings():
        raise ValueError("not riskvid's encoder settings")
    if any(type(frame_number) is not int or not 0 <= frame_number < job.frames for frame_number in job.previews):
        raise ValueError("preview frames out of range")
    if render_key(job.segment, job.frame, dict(job.timing), job.encoder) != job.key:
        raise ValueError("its key is not the one this worker computes for it")


def validate_beat_job(job: BeatJob) -> None:
    """A beat job as this worker would plan it: a valid plan, a frame in bounds, one of the scene's beats, the same
    key."""
    from riskvid.pipeline.encoder import EncoderSettings
    from riskvid.pipeline.plan import beat_key, replay_key
    from scenes.registry import scene_classes

    validate_plan(job.segment)
    _validate_frame(job.frame)
    if type(job.beat) is not str or job.beat not in scene_classes()[job.segment.scene].beats:
        raise ValueError(f"beat {job.beat!r} is not one of the scene's")
    _validate_timing(job.beat, job.timing)
    _is(job.start, int, "start", low=0, high=120 * 3600 * 100)
    if type(job.encoder) is not EncoderSettings or job.encoder != EncoderSettings():
        raise ValueError("not riskvid's encoder settings")
    if beat_key(job.segment, job.beat, job.frame, job.timing, job.encoder) != job.key:
        raise ValueError("its key is not the one this worker computes for it")
    if replay_key(job.segment, job.frame) != job.replay_key:  # it names a file in this worker's cache
        raise ValueError("its replay key is not the one this worker computes for it")


def _validate_frame(frame: Any) -> None:
    _is(frame.width, int, "width", low=128, high=MAX_FRAME[0])
    _is(frame.height, int, "height", low=72, high=MAX_FRAME[1])
    _is(frame.fps, int, "fps", low=1, high=120)
    if frame.width % 2 or frame.height % 2 or 48_000 % frame.fps:
        raise ValueError(f"frame {frame} has odd sides or a rate that does not divide 48000")


def _validate_timing(beat: str, timing: Any) -> None:
    from scenes.base import BeatTiming

    if type(timing) is not BeatTiming:
        raise TypeError(f"beat {beat}: not a beat timing")
    _is(timing.frames, int, f"beat {beat}'s frames", low=0, high=120 * 3600)
    if type(timing.stretch) not in (int, float) or not 0.1 <= timing.stretch <= 100:
        raise ValueError(f"beat {beat}'s stretch {timing.stretch!r} is out of bounds")


def validate_voice(job: VoiceJob) -> None:
    """Lines to speak as a config gives them: a rate in its bounds, lines of plain text (the voice is the bundled
    one)."""
    from riskvid.pipeline.voice import LineRequest

    if type(job.rate) not in (int, float) or not 0.5 <= job.rate <= 2.0:
        raise ValueError(f"rate {job.rate!r} is out of bounds (0.5 to 2)")
    if type(job.lines) is not tuple or not 1 <= len(job.lines) <= MAX_LINES:
        raise ValueError(f"expected 1 to {MAX_LINES} lines")
    for line in job.lines:
        if type(line) is not LineRequest:
            raise TypeError("a line is not a narration line")
        for value in (line.id, line.text, line.spoken):
            if type(value) is not str or not 1 <= len(value) <= MAX_LINE_CHARACTERS:
                raise ValueError(f"line {line.id!r}: expected text of 1 to {MAX_LINE_CHARACTERS} characters")


def _is(value: Any, kind: type[int], what: str, low: int, high: int) -> None:
    if type(value) is not kind or not low <= value <= high:
        raise ValueError(f"{what} {value!r} is out of bounds ({low} to {high})")


def pack(folder: Path) -> Files:
    """Every file under ``folder``, by path relative to it: (SHA-256, bytes)."""
    files = {}
    for path in sorted(folder.rglob("*")):
        if path.is_file() and not path.is_symlink():
            data = path.read_bytes()
            files[path.relative_to(folder).as_posix()] = (hashlib.sha256(data).hexdigest(), data)
    return files


def unpack(files: Files, folder: Path) -> None:
    """Client: write ``files`` under ``folder`` (made afresh), refusing a path that leaves it or bytes that
    do not match their SHA-256."""
    import shutil

    from riskvid.files import make_folders

    shutil.rmtree(folder, ignore_errors=True)
    make_folders(folder)
    for name, (sha, data) in files.items():
        parts = PurePosixPath(name).parts
        if not parts or PurePosixPath(name).is_absolute() or any(part in ("", ".", "..") for part in parts):
            raise RunError(f"a worker sent back a file named {name!r}, outside its job's folder")
        if hashlib.sha256(data).hexdigest() != sha:
            raise RunError(f"{name} arrived damaged from its worker (its SHA-256 does not match)")
        target = folder.joinpath(*parts)
        make_folders(target.parent)
        with open(target, "xb") as handle:
            handle.write(data)


def worker_address() -> str:
    """This Dask worker's address ("this process" outside a worker)."""
    try:
        from distributed import get_worker

        return get_worker().address
    except (ImportError, ValueError):
        return "this process"


def scratch_folder() -> str | None:
    """The Dask worker's own scratch folder (removed with it), or the system's temporary folder."""
    try:
        from distributed import get_worker

        return get_worker().local_directory
    except (ImportError, ValueError):
        return None

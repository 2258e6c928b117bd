"""Stage: render what changed, beat by beat, on the workers, longest first; join each segment's beats.

A segment whose picture is cached is reused whole. Otherwise each of its beats is reused from the
beat cache or becomes a task (pipeline.beats); every video's tasks are one set for one set of workers
(a local pool or a Dask cluster), sent longest first so no worker is left with a long tail: a beat's
length is estimated from its last render seconds, or from its planned frames at the pace of the beats
that have a record. Identical beats (one key, say an intro every video of a course shares) render once.
As soon as a segment has all its beats its clip is joined (a remux) and installed.
"""

from __future__ import annotations

import shutil
import statistics
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from riskvid.cluster.workers import Workers
from riskvid.files import make_folders
from riskvid.pipeline.beats import (
    BeatDone,
    cached_beat,
    install_beat,
    join_beats,
    last_beat_seconds,
    render_segment_beat,
)
from riskvid.pipeline.plan import BeatJob
from riskvid.pipeline.render import BeatStatus, Rendered, Target, cached, check_programs, install

if TYPE_CHECKING:
    from riskvid.progress import Progress


@dataclass
class _Segment:
    """A segment being made: its target, its beats, and those that have a picture so far."""

    target: Target
    beats: list[BeatJob]
    done: dict[str, BeatDone] = field(default_factory=dict)

    @property
    def complete(self) -> bool:
        return len(self.done) == len(self.beats)


def render_all(targets: list[Target], workers: Workers, force: bool = False,
               report: Callable[[str], None] | Progress = print) -> list[Rendered]:
    """Render or reuse every target, the beats of every video as one set of tasks; a Rendered per target, in order."""
    from riskvid.progress import Progress

    progress = Progress.of(report)
    finished: dict[int, Rendered] = {}
    making: dict[int, _Segment] = {}
    for index, target in enumerate(targets):
        found = None if force else cached(target.job, target.layout)
        if found:
            finished[index] = found
            progress(f"reused   {target.name}")
        else:
            making[index] = _Segment(target, target.job.beat_jobs())
    if not making:
        return [finished[index] for index in range(len(targets))]
    pending: dict[str, list[tuple[int, BeatJob]]] = {}  # beat key: the (segment, beat) that want it
    for index, segment in making.items():
        make_folders(segment.target.layout.cache, segment.target.layout.work)
        for job in segment.beats:
            hit = None if force else cached_beat(job, segment.target.layout)
            if hit:
                segment.done[job.beat] = hit
            else:
                pending.setdefault(job.key, []).append((index, job))
    for index in making:
        _join_if_complete(index, making, finished, progress)
    if pending:
        check_programs()
        firsts = [wanting[0] for wanting in pending.values()]
        order = estimates([(making[index].target, job) for index, job in firsts])
        firsts.sort(key=lambda pair: -order[id(pair[1])])
        owner = {id(job): making[index].target for index, job in firsts}
        several = len({segment.target.video for segment in making.values()}) > 1
        progress.expect(len(firsts), "render")

        def describe(job: BeatJob) -> str:
            video = f" of {owner[id(job)].video}" if several else ""
            return f"segment {job.segment.id!r} ({job.segment.scene}) beat {job.beat!r}{video}"

        for job, seconds in workers.run(render_segment_beat, [job for _, job in firsts], describe,
                                        lambda job: owner[id(job)].layout.work, bring_back=lambda job: job.name):
            wanting = pending[job.key]
            first_index, first = wanting[0]
            installed = install_beat(first, making[first_index].target.layout,
                                     owner[id(job)].layout.work / job.name, seconds)
            making[first_index].done[first.beat] = installed
            for index, wanted in wanting[1:]:  # the same picture for another video: copied, recorded as its own
                work = making[index].target.layout.work / wanted.name
                shutil.rmtree(work, ignore_errors=True)
                shutil.copytree(installed.folder, work, ignore=shutil.ignore_patterns("record.json"))
                making[index].done[wanted.beat] = install_beat(wanted, making[index].target.layout, work, seconds)
                progress(f"rendered {making[index].target.name} {wanted.beat} "
                         f"(the same picture as {making[first_index].target.name})")
            progress.done(f"rendered {owner[id(job)].name} {job.beat} in {seconds:.1f} s")
            for index in {index for index, _ in wanting}:
                _join_if_complete(index, making, finished, progress)
    for layout in {segment.target.layout for segment in making.values()}:
        shutil.rmtree(layout.work, ignore_errors=True)
    return [finished[index] for index in range(len(targets))]


def _join_if_complete(index: int, making: dict[int, _Segment], finished: dict[int, Rendered],
                      progress: Progress) -> None:
    """Join and install segment ``index`` once all its beats have pictures (once)."""
    segment = making[index]
    if index in finished or not segment.complete:
        return
    target = segment.target
    beats = [segment.done[job.beat] for job in segment.beats]
    work = target.layout.work / target.job.segment.name
    join_beats(target.job, beats, work)
    statuses = tuple(BeatStatus(done.job.beat, done.status, done.render_seconds) for done in beats)
    finished[index] = install(target.job, target.layout, work, statuses)
    drawn = sum(not done.reused for done in beats)
    progress(f"joined   {target.name} ({drawn} of {len(beats)} beats rendered)")


def estimates(wanted: list[tuple[Target, BeatJob]]) -> dict[int, float]:
    """Each beat's expected render seconds (by id of its job): its last render's, else its planned frames at
    the median pace (seconds a frame) of those that have one (one frame a second if none has)."""
    last = {id(job): last_beat_seconds(job, target.layout) for target, job in wanted}
    paces = [seconds / job.frames for target, job in wanted
             if (seconds := last[id(job)]) is not None and job.frames]
    pace = statistics.median(paces) if paces else 1.0
    return {id(job): seconds if (seconds := last[id(job)]) is not None else job.frames * pace
            for _, job in wanted}


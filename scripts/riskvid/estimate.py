"""What a render would make, without making it: the timeline and its cost (``estimate``), and a line per
segment saying whether it would render (and which of its beats) or be reused (``dry_run``). Nothing is
written."""

from __future__ import annotations

import tempfile
from dataclasses import dataclass
from pathlib import Path

from riskvid.build import render_jobs
from riskvid.cluster import open_workers
from riskvid.config.model import Config, Frame
from riskvid.files import Layout
from riskvid.narration import make_timeline, speak
from riskvid.pipeline.budget import Cost, check_cost
from riskvid.pipeline.plan import timing_key
from riskvid.pipeline.timeline import Timeline
from riskvid.pipeline.timing import NaturalBeat, cached_naturals, natural_beats
from riskvid.run import Options, check_only, prepare


@dataclass(frozen=True)
class Estimate:
    """What ``build`` would make of a config: where, at what frame, its timeline and its cost."""

    config: Config
    layout: Layout
    frame: Frame
    timeline: Timeline
    cost: Cost


# Natural beats an estimate measured without a cache to keep them in, by timing key (the scene's code,
# params, seed, theme and the segment before): a service checking config after config measures each once.
_MEASURED: dict[str, list[NaturalBeat]] = {}


def estimate(config_path: Path, options: Options | None = None) -> Estimate:
    """What ``build`` would make of ``config_path``; nothing is written.

    The beats' natural lengths come from the cache, or are measured in a scratch folder; every
    line is timed by its text (nothing is synthesised). Raises InputError if it is over the caps.
    """
    options = options or Options()
    video = prepare(config_path, options)
    check_only(options.only, [video])
    config, layout, plans, frame = video.config, video.layout, video.plans, video.frame
    found = {plan.id: cached_naturals(plan, layout.cache) or _MEASURED.get(timing_key(plan)) for plan in plans}
    missing = [plan for plan in plans if found[plan.id] is None]
    if missing:
        with tempfile.TemporaryDirectory(prefix="riskvid-estimate-") as work, open_workers(options.jobs) as workers:
            describe = lambda plan: f"timing segment {plan.id!r} ({plan.scene})"  # noqa: E731
            for plan, beats in workers.run(natural_beats, missing, describe, lambda _: Path(work)):
                found[plan.id] = _MEASURED[timing_key(plan)] = beats
    naturals = {plan_id: beats for plan_id, beats in found.items() if beats is not None}  # every one, by now
    timeline = make_timeline(config, plans, naturals, speak(config, config_path, options, layout, dry=True), frame.fps)
    cost = Cost(timeline.seconds, timeline.frames, frame.width, frame.height, len(plans))
    check_cost(cost, options.caps)
    return Estimate(config, layout, frame, timeline, cost)


def dry_run(config_path: Path, options: Options | None = None) -> list[str]:
    """What ``build`` would do, a line per segment and its cost; nothing is written or rendered."""
    options = options or Options()
    from riskvid.pipeline.beats import cached_beat
    from riskvid.pipeline.render import cached

    found = estimate(config_path, options)
    layout, frame, timeline, cost = found.layout, found.frame, found.timeline, found.cost
    lines = []
    for job in render_jobs(timeline, frame):
        if options.only and job.segment.id not in options.only:
            continue
        reuse = not options.force and cached(job, layout)
        beats = job.beat_jobs()
        drawn = [beat.beat for beat in beats if options.force or not cached_beat(beat, layout)]
        what = "" if reuse else f", {len(drawn)} of {len(beats)} beats: {', '.join(drawn) or 'none, joined again'}"
        lines.append(f"{'reuse ' if reuse else 'render'} {job.segment.name}  "
                     f"({job.segment.scene}, {frame}, {job.frames / frame.fps:.1f} s, key {job.key[:12]}{what})")
    return [*lines, f"cost: {cost.describe()}"]

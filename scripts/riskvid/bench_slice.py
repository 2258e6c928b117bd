"""A bench slice: segments of a config rendered as a worker renders them, at their own pace, timed in CPU-seconds.

``scripts/bench --profile`` renders the slice under a profiler (riskvid.frame_profile) and
``scripts/bench --against REV`` renders it once with each of two source trees, each in a
process of its own. For the latter this file is run as a script with the other tree's packages
on the path, so it uses only what every tree has: the config loader, ``plan_segments``,
``natural_beats`` and the worker's task (its taps and files included): ``render_segment_beat`` for each
beat where the beat is the unit of work, else the older ``render_segment``.

The beats run at their natural pace (no narration to wait for, so no voice is synthesised):
the slice is the animated frames, the ones that cost. The last line printed is JSON:
``{"frames", "cpu", "children", "wall", "segments", "frame", "source"}`` (cpu: this process, every thread;
children: LaTeX and dvisvgm).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import sys
import tempfile
import time
from collections.abc import Callable
from contextlib import AbstractContextManager, nullcontext
from pathlib import Path
from typing import Any

DEFAULT_SEGMENTS = ("title", "training_loop")


def render_slice(config_path: Path, segments: tuple[str, ...], quality: str, fps: int | None = None,
                 around: Callable[[], AbstractContextManager[Any]] = nullcontext) -> dict[str, Any]:
    """Render ``segments`` (ids in ``config_path``) at ``quality``'s frame size (and ``fps``, else its rate);
    ``around()`` is entered for the rendering alone (not the beats' measuring before it)."""
    from riskvid.build import ENCODER
    from riskvid.config.load import load_config
    from riskvid.config.model import QUALITY_PRESETS, Frame
    from riskvid.pipeline.plan import RenderJob, plan_segments
    from riskvid.pipeline.timing import natural_beats
    from scenes.base import BeatTiming

    width, height, rate = QUALITY_PRESETS[quality]
    frame = Frame(width, height, fps or rate)
    plans = {plan.id: plan for plan in plan_segments(load_config(config_path))}
    missing = [name for name in segments if name not in plans]
    if missing:
        raise SystemExit(f"no segment {', '.join(missing)} in {config_path}")
    with tempfile.TemporaryDirectory(prefix="riskvid-slice-") as work:
        jobs = []
        for name in segments:  # the beats' natural lengths first: not part of the frames' cost
            beats = natural_beats(plans[name], work)
            timing = tuple((beat.name, BeatTiming(beat.frames(frame.fps))) for beat in beats)
            jobs.append(RenderJob(plans[name], frame, timing, ENCODER, "bench", (0,)))
        render, source = _worker_task()
        cpu, children, wall = time.process_time(), _children(), time.perf_counter()
        with around():
            for job in jobs:
                render(job, work)
        return {"frames": sum(job.frames for job in jobs), "cpu": time.process_time() - cpu,
                "children": _children() - children, "wall": time.perf_counter() - wall,
                "segments": list(segments), "frame": str(frame),
                "source": source}


def _worker_task() -> tuple[Callable[[Any, str], None], str]:
    """How this tree's workers render a segment's job, and the tree's root (to say which rendered)."""
    try:
        from riskvid.pipeline.beats import render_segment_beat
    except ImportError:  # a tree from before the beat was the unit of work
        from riskvid.pipeline.render import render_segment  # type: ignore[attr-defined]

        return render_segment, str(Path(render_segment.__code__.co_filename).parents[3])

    def render(job: Any, work: str) -> None:
        for beat in job.beat_jobs():
            render_segment_beat(beat, work)

    return render, str(Path(render_segment_beat.__code__.co_filename).parents[3])


def _children() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("config", type=Path)
    parser.add_argument("--segments", default=",".join(DEFAULT_SEGMENTS))
    parser.add_argument("--quality", default="high")
    parser.add_argument("--fps", type=int)
    args = parser.parse_args(argv)
    result = render_slice(args.config.resolve(), tuple(args.segments.split(",")), args.quality, args.fps)
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())


def against(revision: str, config_path: Path, segments: str, quality: str, fps: int | None) -> int:
    """Render the slice with git ``revision``'s tree (a temporary worktree) and with this one, one after the
    other, each in a process of its own; print CPU-seconds per frame of each and their ratio."""
    import shutil
    import subprocess

    root = Path(__file__).resolve().parents[2]
    folder = Path(tempfile.mkdtemp(prefix="riskvid-against-"))
    other = folder / "tree"
    subprocess.run(["git", "-C", str(root), "worktree", "add", "--detach", str(other), revision], check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    script = folder / "bench_slice.py"  # this file, run with the other tree's packages
    shutil.copy(__file__, script)
    arguments = [str(config_path), "--segments", segments, "--quality", quality, *(["--fps", str(fps)] if fps else [])]
    try:
        results = {}
        for name, tree in ((revision, other), ("this tree", root)):
            environment = {**os.environ, "PYTHONPATH": f"{tree / 'scripts'}{os.pathsep}{tree}"}
            done = subprocess.run([sys.executable, str(script), *arguments], cwd=tree, env=environment,
                                  check=True, capture_output=True, text=True)
            results[name] = json.loads(done.stdout.strip().splitlines()[-1])
    finally:
        subprocess.run(["git", "-C", str(root), "worktree", "remove", "--force", str(other)], check=False,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        shutil.rmtree(folder, ignore_errors=True)
    print(comparison(results, revision))
    return 0


def per_frame(result: dict[str, Any]) -> float:
    """CPU-seconds per frame of a slice's result (children included)."""
    return float(result["cpu"] + result["children"]) / max(int(result["frames"]), 1)


def comparison(results: dict[str, dict[str, Any]], revision: str) -> str:
    """The table ``--against`` prints.

    >>> print(comparison({"main": {"frames": 10, "cpu": 2.0, "children": 0.0, "wall": 3.0, "segments": ["t"],
    ...                            "frame": "1920x1080@60"},
    ...                   "this tree": {"frames": 10, "cpu": 1.0, "children": 0.0, "wall": 2.0, "segments": ["t"],
    ...                                 "frame": "1920x1080@60"}}, "main"))
    slice: t at 1920x1080@60, 10 frames
    tree               CPU s  CPU ms/frame    wall s
    main                 2.0         200.0       3.0
    this tree            1.0         100.0       2.0
    this tree uses 2.00x fewer CPU-seconds per frame than main
    """
    first = next(iter(results.values()))
    lines = [f"slice: {','.join(first['segments'])} at {first['frame']}, {first['frames']} frames",
             f"{'tree':<15}{'CPU s':>9}{'CPU ms/frame':>14}{'wall s':>10}"]
    for name, result in results.items():
        lines.append(f"{name:<15}{result['cpu'] + result['children']:>9.1f}{1000 * per_frame(result):>14.1f}"
                     f"{result['wall']:>10.1f}   {result.get('source', '')}".rstrip())
    ratio = per_frame(results[revision]) / per_frame(results["this tree"])
    lines.append(f"this tree uses {ratio:.2f}x fewer CPU-seconds per frame than {revision}")
    return "\n".join(lines)

"""``scripts/bench --beats``: the beat as the unit of work, measured on one machine in one run.

On a copy of a config (default video.yaml at ``low``) rendered into media/bench-beats/ with ``--jobs N``:
- cold: render from nothing (voice and timing included), its wall time and the CPU-seconds of the run
  and all its workers;
- one narration line edited (loss_bars' ``explain_epoch``, a few words changed): wall, CPU-seconds, which
  beats rendered, and both as a share of the cold render (target ≤ 6 %);
- spread: the cold render's beat render seconds summed over its longest beat (target ≥ 15);
- worker use: the beats' render seconds over workers × the render stage's wall (from the first beat
  task's start, estimated as the end of the last timing/voice line, to the last segment joined;
  target ≥ 95 %).
On a machine shared with other work the wall times (and so worker use) are noisy: prefer the CPU-seconds.
"""

from __future__ import annotations

import json
import os
import resource
import shutil
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import yaml

EDITED = ("loss_bars", "explain_epoch", "One epoch is one full pass through all the clips. After each pass, "
          "every loss gets a little smaller.")


def bench_beats(config_file: Path, quality: str, jobs: int) -> dict[str, Any]:
    """Run the cold and the one-line-edited renders; the figures (also printed)."""
    work = Path("media/bench-beats").resolve()
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    config = yaml.safe_load(config_file.read_text())
    config.update(output=str(work / "out"), quality=quality)
    config.pop("resolution", None), config.pop("fps", None)
    if (config_file.parent / "takes").is_dir():
        shutil.copytree(config_file.parent / "takes", work / "takes")
    path = work / "video.yaml"
    path.write_text(yaml.safe_dump(config, sort_keys=False))
    root = work / "out" / config["id"]

    cold = _run(path, root, jobs)
    scene, beat, words = EDITED
    segment = next(s for s in config["segments"] if s["scene"] == scene)
    segment["narration"][beat] = [words]
    path.write_text(yaml.safe_dump(config, sort_keys=False))
    edited = _run(path, root, jobs)

    beats = [b for s in cold["manifest"]["segments"] for b in s["beats"]]
    seconds = [b["render_seconds"] for b in beats]
    results = {
        "quality": quality, "jobs": jobs, "beats": len(beats),
        "cold": {key: cold[key] for key in ("wall", "cpu", "render_wall")},
        "edited": {key: edited[key] for key in ("wall", "cpu")},
        "edited_rendered": [f"{s['id']}/{b['name']}" for s in edited["manifest"]["segments"] for b in s["beats"]
                            if b["status"] == "rendered"],
        "edit_ratio_wall": edited["wall"] / cold["wall"],
        "edit_ratio_cpu": edited["cpu"] / cold["cpu"],
        "spread": sum(seconds) / max(seconds),
        "longest_beat": max(((s["id"], b["name"], b["render_seconds"]) for s in cold["manifest"]["segments"]
                             for b in s["beats"]), key=lambda found: found[2]),
        "beat_seconds": sum(seconds),
        "worker_use": sum(seconds) / (jobs * cold["render_wall"]) if cold["render_wall"] else 0.0,
    }
    _print(results)
    return results


def _run(config: Path, root: Path, jobs: int) -> dict[str, Any]:
    """``riskvid render --no-publish`` on ``config``: wall, CPU-seconds (it and its workers), the render stage's
    wall (from its progress lines) and the manifest."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    environment = {key: value for key, value in os.environ.items() if key != "RISKVID_SCHEDULER"}
    process = subprocess.Popen([sys.executable, "-m", "riskvid.cli", "render", "--no-publish", "--jobs", str(jobs),
                                str(config)], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
                               env=environment)
    assert process.stderr is not None
    stamped = [(time.perf_counter(), line.rstrip("\n")) for line in process.stderr]
    if process.wait() != 0:
        raise SystemExit("\n".join(line for _, line in stamped[-5:]))
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    beat_lines = [at for at, line in stamped if line.startswith("rendered ")]
    earlier = [at for at, line in stamped if beat_lines and at < beat_lines[0] and not line.startswith("reused")]
    joined = [at for at, line in stamped if line.startswith("joined ")]
    render_wall = (joined[-1] - (earlier[-1] if earlier else started)) if beat_lines and joined else 0.0
    return {"wall": wall, "cpu": cpu, "render_wall": render_wall,
            "manifest": json.loads((root / "manifest.json").read_text())}


def _print(r: dict[str, Any]) -> None:
    cold, edited = r["cold"], r["edited"]
    print(f"beats as the unit of work ({r['beats']} beats, quality {r['quality']}, {r['jobs']} workers)")
    print(f"{'':<32}{'wall s':>9}{'CPU s':>9}")
    print(f"{'cold render':<32}{cold['wall']:>9.1f}{cold['cpu']:>9.1f}")
    print(f"{'one narration line edited':<32}{edited['wall']:>9.1f}{edited['cpu']:>9.1f}"
          f"   = {r['edit_ratio_wall']:.1%} of cold (wall), {r['edit_ratio_cpu']:.1%} (CPU)   target ≤ 6 %")
    print(f"   rendered: {', '.join(r['edited_rendered']) or 'nothing'}")
    segment, beat, longest = r["longest_beat"]
    print(f"spread: {r['beat_seconds']:.1f} beat render s / longest beat {longest:.1f} s ({segment}/{beat}) "
          f"= {r['spread']:.1f}   target ≥ 15")
    print(f"worker use: {r['beat_seconds']:.1f} task s / ({r['jobs']} × {cold['render_wall']:.1f} s render stage) "
          f"= {r['worker_use']:.1%}   target ≥ 95 %")
    print("(wall times and task seconds are inflated by anything else running on the machine: compare CPU-seconds)")

"""Benchmark the render pipeline in one go so figures are comparable; writes media/bench.json.

Runs, on a copy of a config rendered into media/bench/: a cold render with --jobs 1 and with
the default jobs, a re-render with nothing changed, a re-render after one param of one segment
changed, and a cold low-quality render. Reports ratios: wall seconds per video second.
"""

import argparse
import json
import os
import platform
import shutil
import subprocess
import sys
import time
from pathlib import Path

import manim
import yaml

from riskvid.files import write_json


def main(argv=None):
    parser = argparse.ArgumentParser(prog="scripts/bench", description=__doc__)
    parser.add_argument("config", nargs="?", default="video.yaml", type=Path)
    parser.add_argument("--quality", default="high", help="preset of the cold renders (default: high)")
    args = parser.parse_args(argv)

    work = Path("media/bench").resolve()
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    config = yaml.safe_load(args.config.read_text())
    config["output"] = str(work / "out")
    config_path = work / "video.yaml"
    config_path.write_text(yaml.safe_dump(config, sort_keys=False))
    root = work / "out" / config["id"]

    def run(*extra):
        started = time.perf_counter()
        subprocess.run([sys.executable, "-m", "riskvid.cli", "render", str(config_path), "--no-publish", *extra],
                       check=True, stdout=subprocess.DEVNULL)
        wall = time.perf_counter() - started
        return wall, json.loads((root / "manifest.json").read_text())

    results = {"machine": _machine(), "quality": args.quality}
    wall, manifest = run("--quality", args.quality, "--jobs", "1", "--force")
    video = manifest["video"]["duration"]
    results["cold_jobs_1"] = {"wall": wall, "video": video, "ratio": wall / video}
    results["segments"] = [
        {
            "id": s["id"],
            "render_seconds_per_video_second": s["render_seconds"] / s["duration"],
            "frames_per_second": s["frames"] / s["render_seconds"],
        }
        for s in manifest["segments"]
    ]
    wall, manifest = run("--quality", args.quality, "--force")
    results["cold_default_jobs"] = {"wall": wall, "video": video, "ratio": wall / video, "jobs": os.cpu_count()}
    wall, manifest = run("--quality", args.quality)
    results["unchanged"] = {"wall": wall, "rendered": _rendered(manifest)}
    started = time.perf_counter()
    subprocess.run([sys.executable, "-m", "riskvid.cli", "publish", str(config_path)], check=True,
                   stdout=subprocess.DEVNULL)
    results["publish"] = {"wall": time.perf_counter() - started}

    # One param of one segment: the loss bars run one epoch fewer.
    changed = next(s for s in config["segments"] if s["scene"] == "loss_bars")
    params = changed.setdefault("params", {})
    params["epochs"] = params.get("epochs", 10) - 1
    config_path.write_text(yaml.safe_dump(config, sort_keys=False))
    wall, manifest = run("--quality", args.quality)
    segment = next(s for s in manifest["segments"] if s["id"] == changed["id"])
    results["one_changed"] = {
        "wall": wall,
        "rendered": _rendered(manifest),
        "segment_render_seconds": segment["render_seconds"],
        "overhead": wall - segment["render_seconds"],
    }
    wall, manifest = run("--quality", "low", "--force")
    results["cold_low"] = {"wall": wall, "video": manifest["video"]["duration"],
                           "ratio": wall / manifest["video"]["duration"]}

    write_json(Path("media/bench.json"), results)
    _print(results)
    return 0


def _rendered(manifest):
    return [s["id"] for s in manifest["segments"] if s["status"] == "rendered"]


def _machine():
    cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")), platform.processor())
    return {"cores": os.cpu_count(), "cpu": cpu, "python": platform.python_version(), "manim": manim.__version__}


def _print(r):
    m = r["machine"]
    print(f"machine: {m['cores']} cores, {m['cpu']}; Python {m['python']}, manim {m['manim']}")
    print(f"{'run':<34}{'wall s':>9}{'video s':>9}{'wall/video':>12}")
    for key, label in [("cold_jobs_1", f"cold {r['quality']}, --jobs 1"),
                       ("cold_default_jobs", f"cold {r['quality']}, default jobs"), ("cold_low", "cold low")]:
        x = r[key]
        print(f"{label:<34}{x['wall']:>9.1f}{x['video']:>9.1f}{x['ratio']:>12.2f}")
    print(f"{'publish (youtube + slides)':<34}{r['publish']['wall']:>9.1f}")
    print(f"{'nothing changed':<34}{r['unchanged']['wall']:>9.1f}   rendered: {r['unchanged']['rendered'] or 'none'}")
    one = r["one_changed"]
    print(f"{'one segment changed':<34}{one['wall']:>9.1f}   rendered: {one['rendered']}, "
          f"overhead {one['overhead']:.1f} s beyond its render")
    print(f"\n{'segment':<16}{'render s / video s':>20}{'frames/s':>10}")
    for s in r["segments"]:
        print(f"{s['id']:<16}{s['render_seconds_per_video_second']:>20.2f}{s['frames_per_second']:>10.1f}")


if __name__ == "__main__":
    sys.exit(main())

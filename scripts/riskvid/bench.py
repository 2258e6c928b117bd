"""Benchmark the whole job a user waits for, in one go, so the figures are comparable; writes media/bench.json.

On a copy of a config rendered into media/bench/ (default: video.yaml at ``high``):
- cold: render + publish from nothing (the voice included);
- nothing changed: the same command again;
- one param of one segment changed (loss_bars epochs − 1);
- publish alone (youtube/ and slides/ removed, then ``riskvid publish``);
and the voice's synthesis time against the narration's length, the YouTube file's size against
the rendered master's, and wall/video ratios throughout. ``--scheduler tcp://HOST:PORT`` also
renders the copy cold through that Dask scheduler's workers (into a folder of its own) and gives
its wall time as a ratio to the local pool's cold run. ``--beats`` instead measures the beat as the
unit of work (riskvid.bench_beats: one narration line edited, spread, worker use). ``--encoder`` instead measures x264
presets and CRFs on frames sampled from every scene (size, PSNR, SSIM, encode time).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import manim
import yaml

from riskvid.files import write_json


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="scripts/bench", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("config", nargs="?", default="video.yaml", type=Path)
    parser.add_argument("--quality", help="preset of the renders (default: high; low with --beats)")
    parser.add_argument("--encoder", action="store_true", help="measure x264 presets and CRFs instead")
    parser.add_argument("--beats", action="store_true",
                        help="measure the beat as the unit of work instead (one line edited, spread, worker use)")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1, help="workers for --beats")
    parser.add_argument("--scheduler", metavar="tcp://HOST:PORT",
                        help="also render cold on this Dask scheduler's workers; give the ratio to the local pool")
    _slice_arguments(parser)
    args = parser.parse_args(argv)
    if args.beats:
        return _beats(args)
    args.quality = args.quality or "high"
    if args.profile:
        return _profile(args)
    if args.against:
        return _against(args)
    if args.encoder:
        from riskvid.encoder_sweep import sweep

        sweep()
        return 0

    work = Path("media/bench").resolve()
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    config = yaml.safe_load(args.config.read_text())
    config["output"] = str(work / "out")
    config["quality"] = args.quality
    config.pop("resolution", None), config.pop("fps", None)
    config_path = work / "video.yaml"
    for name in ("takes",):  # the recorded voice's takes, if the config uses them
        if (args.config.parent / name).is_dir():
            shutil.copytree(args.config.parent / name, work / name)
    config_path.write_text(yaml.safe_dump(config, sort_keys=False))
    root = work / "out" / config["id"]

    def run(*command: str, config: Path = config_path) -> tuple[float, dict[str, Any]]:
        """Run riskvid on ``config`` (written with output: out/ beside it); its wall time and manifest."""
        started = time.perf_counter()
        environment = {key: value for key, value in os.environ.items() if key != "RISKVID_SCHEDULER"}
        subprocess.run([sys.executable, "-m", "riskvid.cli", *command, str(config)], check=True,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=environment)
        manifest = config.parent / "out" / root.name / "manifest.json"
        return time.perf_counter() - started, json.loads(manifest.read_text())

    results: dict[str, Any] = {"machine": _machine(), "quality": args.quality}
    wall, manifest = run("render")
    video = manifest["video"]["duration"]
    voice = _voice_seconds(config_path, work / "voice-cache")
    results["cold"] = {"wall": wall, "video": video, "ratio": wall / video}
    if args.scheduler:
        results["cluster"] = _cluster(args.scheduler, work, config, wall, run)
    results["voice"] = voice
    results["segments"] = [
        {"id": s["id"], "render_seconds_per_video_second": s["render_seconds"] / s["duration"],
         "frames_per_second": s["frames"] / max(s["render_seconds"], 1e-9)}
        for s in manifest["segments"]
    ]
    wall, manifest = run("render")
    results["unchanged"] = {"wall": wall, "ratio": wall / video, "rendered": _rendered(manifest)}

    changed = next(s for s in config["segments"] if s["scene"] == "loss_bars")
    params = changed.setdefault("params", {}) or {}
    changed["params"] = {**params, "epochs": params.get("epochs", 10) - 1}
    config_path.write_text(yaml.safe_dump(config, sort_keys=False))
    wall, manifest = run("render")
    results["one_changed"] = {"wall": wall, "ratio": wall / manifest["video"]["duration"],
                              "rendered": _rendered(manifest)}

    for folder in ("youtube", "slides"):
        shutil.rmtree(root / folder)
    wall, manifest = run("publish")
    results["publish"] = {"wall": wall, "ratio": wall / manifest["video"]["duration"]}
    master = (root / f"{config['id']}.mp4").stat().st_size
    youtube = (root / "youtube" / f"{config['id']}.mp4").stat().st_size
    results["sizes"] = {"master": master, "youtube": youtube, "ratio": youtube / master}

    write_json(Path("media/bench.json"), results)
    _print(results)
    return 0


def _beats(args: argparse.Namespace) -> int:
    """``--beats``: riskvid.bench_beats (at ``low`` unless --quality is given); writes media/bench-beats.json."""
    from riskvid.bench_beats import bench_beats

    write_json(Path("media/bench-beats.json"), bench_beats(args.config, args.quality or "low", args.jobs))
    return 0


Run = Callable[..., tuple[float, dict[str, Any]]]  # bench's run(*command, config=...): wall time and manifest


def _cluster(scheduler: str, work: Path, config: dict[str, Any], local_wall: float, run: Run) -> dict[str, Any]:
    """The same config rendered cold through the Dask scheduler at ``scheduler`` (into work/cluster/):
    its wall time, and its ratio to the local pool's cold run."""
    from distributed import Client

    with Client(scheduler, timeout=10, set_as_default=False) as client:  # type: ignore[no-untyped-call]  # unannotated
        threads = client.nthreads()
    folder = work / "cluster"
    folder.mkdir()
    for name in ("takes",):
        if (work / name).is_dir():
            shutil.copytree(work / name, folder / name)
    (folder / "video.yaml").write_text(yaml.safe_dump({**config, "output": str(folder / "out")}, sort_keys=False))
    wall, manifest = run("render", "--scheduler", scheduler, config=folder / "video.yaml")
    return {"scheduler": scheduler, "workers": len(threads), "threads": sum(threads.values()), "wall": wall,
            "ratio": wall / manifest["video"]["duration"], "vs_local": wall / local_wall}


def _voice_seconds(config_path: Path, cache: Path) -> dict[str, Any]:
    """Synthesise every narration line from scratch (into ``cache``): seconds taken against seconds spoken."""
    from riskvid.config.load import load_config
    from riskvid.narration import line_requests
    from riskvid.pipeline import voice

    config = load_config(config_path)
    started = time.perf_counter()
    speeches = voice.speak(config.voice, line_requests(config), cache, config_path.parent)
    synthesis = time.perf_counter() - started
    spoken = sum(speech.seconds for speech in speeches.values())
    return {"engine": config.voice.engine, "narration": spoken, "synthesis": synthesis,
            "ratio": synthesis / spoken if spoken else 0.0}


def _rendered(manifest: dict[str, Any]) -> list[str]:
    return [s["id"] for s in manifest["segments"] if s["status"] == "rendered"]


def _machine() -> dict[str, Any]:
    cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")), platform.processor())
    return {"cores": os.cpu_count(), "cpu": cpu, "python": platform.python_version(), "manim": manim.__version__}


def _print(r: dict[str, Any]) -> None:
    m = r["machine"]
    print(f"machine: {m['cores']} cores, {m['cpu']}; Python {m['python']}, manim {m['manim']}; quality {r['quality']}")
    print(f"{'the whole job (render + publish)':<40}{'wall s':>9}{'wall/video':>12}")
    print(f"{'cold':<40}{r['cold']['wall']:>9.1f}{r['cold']['ratio']:>12.2f}   video {r['cold']['video']:.1f} s")
    print(f"{'nothing changed':<40}{r['unchanged']['wall']:>9.1f}{r['unchanged']['ratio']:>12.3f}"
          f"   rendered: {r['unchanged']['rendered'] or 'none'}")
    print(f"{'one segment param changed':<40}{r['one_changed']['wall']:>9.1f}{r['one_changed']['ratio']:>12.2f}"
          f"   rendered: {r['one_changed']['rendered']}")
    print(f"{'publish alone (packages from scratch)':<40}{r['publish']['wall']:>9.1f}{r['publish']['ratio']:>12.3f}")
    v = r["voice"]
    print(f"voice ({v['engine']}, alone, cold): {v['synthesis']:.1f} s to synthesise {v['narration']:.1f} s of "
          f"narration ({v['ratio']:.3f}x)")
    s = r["sizes"]
    print(f"YouTube file {s['youtube'] / 1e6:.1f} MB = {s['ratio']:.2f}x the rendered master "
          f"({s['master'] / 1e6:.1f} MB)")
    if "cluster" in r:
        c = r["cluster"]
        print(f"{'cold on the cluster':<40}{c['wall']:>9.1f}{c['ratio']:>12.2f}   = {c['vs_local']:.2f}x the local "
              f"pool's cold run ({c['workers']} workers, {c['threads']} threads, {c['scheduler']})")
    print(f"\n{'segment':<16}{'render s / video s':>20}{'frames/s':>10}")
    for s in r["segments"]:
        print(f"{s['id']:<16}{s['render_seconds_per_video_second']:>20.2f}{s['frames_per_second']:>10.1f}")


# The frame profile and the side-by-side slice (riskvid.frame_profile, riskvid.bench_slice).
def _slice_arguments(parser: argparse.ArgumentParser) -> None:
    from riskvid.bench_slice import DEFAULT_SEGMENTS

    parser.add_argument("--profile", action="store_true",
                        help="profile the slice's frames instead: where their CPU time goes, by bucket")
    parser.add_argument("--against", metavar="REV",
                        help="instead render the slice with this tree and with git revision REV (each in a "
                             "process of its own); CPU-seconds per frame of each, and the ratio")
    parser.add_argument("--segments", default=",".join(DEFAULT_SEGMENTS),
                        help="the slice: segment ids of the config, at their own pace (default: %(default)s)")
    parser.add_argument("--fps", type=int, help="the slice's frame rate (default: the quality's)")


def _profile(args: argparse.Namespace) -> int:
    """``--profile``: the slice under cProfile; the buckets' CPU per frame (media/bench-profile.json too)."""
    from riskvid.frame_profile import profile_slice, report

    profile = profile_slice(args.config.resolve(), tuple(args.segments.split(",")), args.quality, args.fps,
                            dump=Path("media/bench-profile.prof"))
    print(f"where the CPU time of a frame goes: {args.segments} at {args.quality} ({profile.frames} frames)")
    print(report(profile))
    write_json(Path("media/bench-profile.json"), {"frames": profile.frames, "cpu": profile.cpu,
                                                   "segments": args.segments, "quality": args.quality,
                                                   "buckets": profile.table})
    return 0


def _against(args: argparse.Namespace) -> int:
    """``--against REV``: the slice rendered by REV's tree and by this one; CPU-seconds per frame, and the ratio."""
    from riskvid.bench_slice import against

    return against(args.against, args.config.resolve(), args.segments, args.quality, args.fps)


if __name__ == "__main__":
    sys.exit(main())

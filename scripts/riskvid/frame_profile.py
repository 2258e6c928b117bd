"""Where a frame's CPU time goes: the bench slice (riskvid.bench_slice) rendered under cProfile, in buckets.

Two profilers, one per thread: the render thread (manim: the scene's code, Cairo, taps) under
cProfile's cheap wall-clock timer, its total then scaled to the thread's measured CPU time (time
spent blocked on a lock or a child process is put aside first); the encoder thread (colour
conversion and x264, pipeline.encoder) under a per-thread CPU clock, which it calls rarely.
LaTeX's and dvisvgm's CPU time (child processes) counts as text.

Each function's own time goes to the bucket its rule names (``RULES``, first match); a function
no rule names (numpy, builtins, manim's helpers) takes the buckets of its callers, in proportion
to the time it spent for each. The buckets' shares sum to 100 %.
"""

from __future__ import annotations

import cProfile
import pstats
import resource
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

CAIRO, TEXT, MOBJECT_COPIES, ARRAY_COPIES = "Cairo fills/strokes", "text (glyphs, Pango, TeX)", "mobject copies", \
    "frame array copies"
CONVERSION, X264, OTHER, WAITING = "colour conversion", "x264 encode", "other", "waiting"
BUCKETS = (CAIRO, TEXT, MOBJECT_COPIES, ARRAY_COPIES, CONVERSION, X264, OTHER)
# (bucket, where: a path fragment or "~" for C functions, a name fragment or ""); first match wins.
RULES: tuple[tuple[str, str, str], ...] = (
    (WAITING, "~", "'acquire' of '_thread"), (WAITING, "~", "waitpid"), (WAITING, "~", "posix.read"),
    (WAITING, "~", "'poll' of 'select"), (WAITING, "~", "time.sleep"), (WAITING, "threading.py", "wait"),
    (X264, "~", "'encode' of 'av."), (X264, "~", "'mux' of 'av."), (X264, "~", "'close' of 'av."),
    (CONVERSION, "~", "'reformat' of 'av."), (CONVERSION, "riskvid/pipeline/encoder.py", "__call__"),
    (ARRAY_COPIES, "riskvid/pipeline/encoder.py", "_load"),
    (ARRAY_COPIES, "renderer/cairo_renderer.py", "get_frame"),
    (ARRAY_COPIES, "manim/camera/camera.py", "reset"), (ARRAY_COPIES, "manim/camera/camera.py", "set_pixel_array"),
    (ARRAY_COPIES, "manim/camera/camera.py", "set_frame_to_background"),
    (ARRAY_COPIES, "manim/camera/camera.py", "convert_pixel_array"),
    (CAIRO, "manim/camera/", ""), (CAIRO, "~", "cairo."),
    (TEXT, "manimpango", ""), (TEXT, "manim/mobject/text/", ""), (TEXT, "manim/mobject/svg/", ""),
    (TEXT, "svgelements", ""), (TEXT, "manim/utils/tex", ""), (TEXT, "scenes/parts/text.py", ""),
    (MOBJECT_COPIES, "/copy.py", ""), (MOBJECT_COPIES, "scenes/copying.py", ""),
    (MOBJECT_COPIES, "manim/mobject/mobject.py", "copy"),
    (MOBJECT_COPIES, "~", "__deepcopy__"),
)

Function = tuple[str, int, str]  # pstats' key: (file, line, name)


def rule(function: Function) -> str | None:
    """The bucket a rule names for ``function``'s own time, or None (it takes its callers')."""
    path, _, name = function
    for bucket, where, fragment in RULES:
        if (path == "~" if where == "~" else where in path.replace("\\", "/")) and fragment in name:
            return bucket
    return None


def buckets(stats: dict[Function, Any]) -> dict[str, dict[Function, float]]:
    """{bucket: {function: seconds of its own time in that bucket}} for a pstats ``stats`` table."""
    shares: dict[Function, dict[str, float]] = {}

    def share(function: Function, visiting: frozenset[Function]) -> dict[str, float]:
        if function in shares:
            return shares[function]
        named = rule(function)
        if named is not None:
            result = {named: 1.0}
        elif function in visiting or function not in stats:
            return {OTHER: 1.0}
        else:
            callers = stats[function][4]
            weights = {caller: (timing[2] or timing[3]) for caller, timing in callers.items()}
            total = sum(weights.values())
            result = {}
            for caller, weight in weights.items():
                for bucket, part in share(caller, visiting | {function}).items():
                    result[bucket] = result.get(bucket, 0.0) + part * weight / total if total else part
            result = result or {OTHER: 1.0}
        shares[function] = result
        return result

    table: dict[str, dict[Function, float]] = {}
    for function, (_, _, own, _, _) in stats.items():
        for bucket, part in share(function, frozenset()).items():
            table.setdefault(bucket, {})
            table[bucket][function] = table[bucket].get(function, 0.0) + own * part
    return table


@dataclass
class _Threads:
    """The encoder threads' profiles, gathered while the slice renders."""

    profiles: list[cProfile.Profile] = field(default_factory=list)


@dataclass
class _Clocks:
    """The render thread's and the process's CPU time (children apart) between start() and stop()."""

    thread: float = 0.0
    cpu: float = 0.0
    children: float = 0.0

    def start(self) -> None:
        self.thread, self.cpu, self.children = time.thread_time(), time.process_time(), _children()

    def stop(self) -> None:
        self.thread, self.cpu = time.thread_time() - self.thread, time.process_time() - self.cpu
        self.children = _children() - self.children


@contextmanager
def _profiled_encoder(threads: _Threads) -> Iterator[None]:
    """Profile every DeliveryWriter encoder thread started inside (per-thread CPU clock)."""
    from riskvid.pipeline.encoder import DeliveryWriter

    original = DeliveryWriter._encode_all

    def encode_all(writer: DeliveryWriter) -> None:
        profile = cProfile.Profile(time.thread_time)
        threads.profiles.append(profile)
        profile.runcall(original, writer)

    DeliveryWriter._encode_all = encode_all  # type: ignore[method-assign,assignment]  # the same method, profiled
    try:
        yield
    finally:
        DeliveryWriter._encode_all = original  # type: ignore[method-assign]


@dataclass(frozen=True)
class FrameProfile:
    """CPU-seconds of the slice by bucket, and each bucket's functions."""

    frames: int
    cpu: float  # measured: the process's CPU time, children included
    table: dict[str, dict[str, float]]  # bucket: {function label: CPU-seconds}

    def seconds(self, bucket: str) -> float:
        return sum(self.table.get(bucket, {}).values())

    @property
    def total(self) -> float:
        return sum(self.seconds(bucket) for bucket in BUCKETS)


def profile_slice(config: Path, segments: tuple[str, ...], quality: str, fps: int | None = None,
                  dump: Path | None = None) -> FrameProfile:
    """Render the slice under the profilers; its buckets (``dump``: also write the render thread's pstats)."""
    from riskvid.bench_slice import render_slice

    threads, main, clocks = _Threads(), cProfile.Profile(), _Clocks()

    @contextmanager
    def around() -> Iterator[None]:
        with _profiled_encoder(threads):
            clocks.start()
            main.enable()
            try:
                yield
            finally:
                main.disable()
                clocks.stop()

    result = render_slice(config, segments, quality, fps, around)
    thread, cpu, children = clocks.thread, clocks.cpu, clocks.children
    if dump is not None:
        main.dump_stats(str(dump))
    table: dict[str, dict[str, float]] = {}
    render = buckets(pstats.Stats(main).stats)  # type: ignore[attr-defined]  # pstats' table is untyped
    busy = sum(sum(parts.values()) for bucket, parts in render.items() if bucket != WAITING)
    _add(table, render, thread / busy if busy else 0.0)
    for profile in threads.profiles:
        _add(table, buckets(pstats.Stats(profile).stats), 1.0)  # type: ignore[attr-defined]
    table.setdefault(TEXT, {})["LaTeX, dvisvgm (child processes)"] = children
    table.pop(WAITING, None)
    return FrameProfile(result["frames"], cpu + children, table)


def _add(table: dict[str, dict[str, float]], parts: dict[str, dict[Function, float]], scale: float) -> None:
    for bucket, functions in parts.items():
        into = table.setdefault(bucket, {})
        for function, seconds in functions.items():
            label = _label(function)
            into[label] = into.get(label, 0.0) + seconds * scale


def _label(function: Function) -> str:
    path, line, name = function
    if path == "~":
        return name.strip("<>{}")
    parts = Path(path).parts
    short = "/".join(parts[parts.index("site-packages") + 1:] if "site-packages" in parts else parts[-2:])
    return f"{short}:{name}"


def _children() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def report(profile: FrameProfile, top: int = 3) -> str:
    """The table ``scripts/bench --profile`` prints: per bucket, ms of CPU per frame, share, main functions."""
    total, frames = profile.total, max(profile.frames, 1)
    lines = [f"{'bucket':<28}{'ms/frame':>9}{'share':>8}   biggest functions (share of all)"]
    for bucket in BUCKETS:
        seconds = profile.seconds(bucket)
        named = sorted(profile.table.get(bucket, {}).items(), key=lambda item: -item[1])[:top]
        names = ", ".join(f"{label} {part / total:.0%}" for label, part in named if part / total >= 0.005)
        lines.append(f"{bucket:<28}{1000 * seconds / frames:>9.1f}{seconds / total:>8.1%}   {names}")
    lines.append(f"{'total (profiled)':<28}{1000 * total / frames:>9.1f}{1:>8.1%}   "
                 f"{profile.frames} frames; measured {1000 * profile.cpu / frames:.1f} ms/frame of CPU under cProfile")
    return "\n".join(lines)

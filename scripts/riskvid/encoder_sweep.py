"""How the segment encoder's settings were chosen: x264 presets and CRFs measured on every scene.

For each scene, 40 consecutive frames at 1080p60 are rendered (a third of the way in); each
setting encodes them as the segment writer would, and the decoded luma is compared with the
frames as converted to BT.709 (what the encoder was given): size, PSNR, mean SSIM, encode time.
Run it with ``scripts/bench --encoder``.
"""

from __future__ import annotations

import tempfile
import time
from pathlib import Path
from typing import Any

import av
import numpy as np
from numpy.typing import NDArray
from scipy.ndimage import gaussian_filter

PRESETS = ("veryfast", "superfast")
CRFS = (18, 20, 23)
FRAMES = 40
FPS = 60
SIZE = (1920, 1080)


class _Range:
    """A frame tap keeping frames [start, start + count)."""

    def __init__(self, start: int, count: int):
        self.start, self.count = start, count
        self.frames: list[NDArray[np.uint8]] = []

    def begin_beat(self, name: str, frame: int) -> None:
        pass

    def frame(self, index: int, pixels: NDArray[np.uint8], repeat: int) -> None:
        for i in range(index, index + repeat):
            if self.start <= i < self.start + self.count:
                self.frames.append(pixels)


def sample(scene: str, work: str) -> list[NDArray[np.uint8]]:
    """FRAMES consecutive frames of ``scene`` (its defaults, its own pace), a third of the way in."""
    from riskvid.pipeline.plan import SegmentPlan
    from riskvid.pipeline.render import play_segment
    from riskvid.pipeline.timing import natural_beats
    from scenes.base import BeatTiming
    from scenes.registry import scene_classes

    cls = scene_classes()[scene]
    plan = SegmentPlan(1, scene, scene, scene, cls.Params().model_dump_json(), 316, "paper", None)
    timing = {beat.name: BeatTiming(beat.frames(FPS)) for beat in natural_beats(plan, work)}
    tap = _Range(sum(t.frames for t in timing.values()) // 3, FRAMES)
    play_segment(plan, timing, SIZE[0], SIZE[1], FPS, work, taps=[tap])
    return tap.frames


def ssim(a: NDArray[np.uint8], b: NDArray[np.uint8]) -> float:
    """Mean SSIM of two luma planes (Gaussian window, σ = 1.5)."""
    a, b = a.astype(np.float64), b.astype(np.float64)
    c1, c2 = (0.01 * 255) ** 2, (0.03 * 255) ** 2
    mu_a, mu_b = gaussian_filter(a, 1.5), gaussian_filter(b, 1.5)
    var_a = gaussian_filter(a * a, 1.5) - mu_a ** 2
    var_b = gaussian_filter(b * b, 1.5) - mu_b ** 2
    cov = gaussian_filter(a * b, 1.5) - mu_a * mu_b
    return float((((2 * mu_a * mu_b + c1) * (2 * cov + c2))
                  / ((mu_a ** 2 + mu_b ** 2 + c1) * (var_a + var_b + c2))).mean())


def _luma(frame: av.VideoFrame) -> NDArray[np.uint8]:
    plane = frame.planes[0]
    # numpy's stubs take no buffer-protocol object before Python 3.12 (a PyAV plane is one)
    rows: NDArray[np.uint8] = np.frombuffer(plane, np.uint8)  # type: ignore[call-overload]
    return rows.reshape(plane.height, plane.line_size)[:, : plane.width].copy()


def measure(frames: list[NDArray[np.uint8]], preset: str, crf: int, target: Path) -> dict[str, Any]:
    """Encode ``frames`` with one setting; its size (Mb/s), PSNR and SSIM against the input, encode seconds."""
    from riskvid.pipeline.encoder import EncoderSettings, ToBT709, _open

    convert = ToBT709()
    converted = [convert(pixels) for pixels in frames]
    reference = [_luma(frame) for frame in converted]
    started = time.perf_counter()
    encoding = _open(target, FPS, SIZE[0], SIZE[1], EncoderSettings(preset=preset, crf=crf))
    for index, frame in enumerate(converted):
        frame.pts = index
        encoding.container.mux(encoding.stream.encode(frame))
    encoding.container.mux(encoding.stream.encode(None))
    encoding.container.close()
    seconds = time.perf_counter() - started
    with av.open(str(target)) as decoded:
        lumas = [_luma(frame) for frame in decoded.decode(video=0)]
    error = np.mean([np.mean((a.astype(float) - b) ** 2) for a, b in zip(reference, lumas)])
    return {
        "mbps": target.stat().st_size * 8 / len(frames) * FPS / 1e6,
        "psnr": 10 * np.log10(255 ** 2 / error) if error else 99.0,
        "ssim": float(np.mean([ssim(a, b) for a, b in list(zip(reference, lumas))[::5]])),
        "encode_seconds": seconds,
    }


def sweep() -> list[dict[str, Any]]:
    """Measure every PRESETS × CRFS on every scene; print a table and return its rows."""
    from scenes.registry import scene_classes

    rows = []
    with tempfile.TemporaryDirectory() as work:
        for scene in sorted(scene_classes()):
            frames = sample(scene, work)
            for preset in PRESETS:
                for crf in CRFS:
                    row = {"scene": scene, "preset": preset, "crf": crf,
                           **measure(frames, preset, crf, Path(work) / "sweep.mp4")}
                    rows.append(row)
                    print(f"{scene:14} {preset:10} crf {crf:2}  {row['mbps']:6.2f} Mb/s  PSNR {row['psnr']:5.2f} dB  "
                          f"SSIM {row['ssim']:.5f}  encode {row['encode_seconds']:.2f} s", flush=True)
    return rows

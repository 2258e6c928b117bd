"""Speech samples (mono float32 at 48 kHz): their loudness, their silence trimmed, written as WAV."""

from __future__ import annotations

import math
import struct
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray

from riskvid.pipeline.voice.lines import SAMPLE_RATE

Samples = NDArray[np.float32]
SILENT_DBFS = -50.0  # a take whose loudest 10 ms is quieter than this is silent
_FRAME = SAMPLE_RATE // 100  # 10 ms
_TRIM_BELOW_PEAK_DB = 45.0  # silence: 10 ms frames this far below the loudest one...
_TRIM_ABOVE_FLOOR_DB = 10.0  # ...or not this far above the take's noise floor
_TRIM_MARGIN = SAMPLE_RATE * 20 // 1000  # kept either side of the speech
_FADE = SAMPLE_RATE * 5 // 1000


def _frame_levels(samples: NDArray[np.floating[Any]]) -> NDArray[np.float64]:
    """dBFS of each 10 ms frame's RMS."""
    frames = len(samples) // _FRAME + (len(samples) % _FRAME > 0)
    padded = np.zeros(frames * _FRAME, dtype=np.float64)
    padded[: len(samples)] = samples
    power = (padded.reshape(frames, _FRAME) ** 2).mean(axis=1)
    levels: NDArray[np.float64] = 10 * np.log10(np.maximum(power, 1e-20))
    return levels  # digital silence reads −200 dBFS


def loudest_dbfs(samples: NDArray[np.floating[Any]]) -> float:
    """The RMS level of the loudest 10 ms of ``samples`` (dBFS); −200 for digital silence, −inf if empty."""
    return float(_frame_levels(samples).max()) if len(samples) else -math.inf


def trim_silence(samples: NDArray[np.floating[Any]]) -> tuple[int, int]:
    """(start, end) of the speech in 48 kHz ``samples``: the first and last 10 ms frames above the
    silence threshold (45 dB under the loudest frame, and 10 dB over the noise floor), with 20 ms kept
    either side."""
    levels = _frame_levels(samples)
    threshold = max(levels.max() - _TRIM_BELOW_PEAK_DB, np.percentile(levels, 5) + _TRIM_ABOVE_FLOOR_DB)
    loud = np.flatnonzero(levels >= threshold)
    if not len(loud):
        return 0, len(samples)
    return max(0, loud[0] * _FRAME - _TRIM_MARGIN), min(len(samples), (loud[-1] + 1) * _FRAME + _TRIM_MARGIN)


@dataclass(frozen=True)
class Trimmed:
    """Speech with its silence trimmed: the clip, and where it starts in the samples it was cut from."""

    clip: Samples
    start: int


def trimmed(samples: NDArray[np.floating[Any]]) -> Trimmed:
    """The speech without its leading and trailing silence, faded in and out over 5 ms; and its start."""
    start, end = trim_silence(samples)
    clip = np.array(samples[start:end], dtype=np.float32)
    fade = min(_FADE, len(clip) // 2)
    if fade:
        ramp = (0.5 - 0.5 * np.cos(np.pi * (np.arange(fade) + 0.5) / fade)).astype(np.float32)
        clip[:fade] *= ramp
        clip[len(clip) - fade :] *= ramp[::-1]
    return Trimmed(clip, start)


def write_wav(path: Path, samples: NDArray[np.floating[Any]]) -> None:
    """Write mono float32 ``samples`` at 48 kHz as an IEEE-float WAV (format 3, with its fact chunk)."""
    data = np.asarray(samples, dtype="<f4").tobytes()
    header = b"RIFF" + struct.pack("<I", 4 + 26 + 12 + 8 + len(data)) + b"WAVE"
    header += b"fmt " + struct.pack("<IHHIIHHH", 18, 3, 1, SAMPLE_RATE, SAMPLE_RATE * 4, 4, 32, 0)
    header += b"fact" + struct.pack("<II", 4, len(samples))
    header += b"data" + struct.pack("<I", len(data))
    with open(path, "wb") as handle:
        handle.write(header + data)


WAV_HEADER = 4 + 4 + 4 + 8 + 18 + 8 + 4 + 8

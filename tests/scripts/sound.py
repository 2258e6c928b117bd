"""Measurements on a rendered file's mixed sound, as a viewer hears it (not the timeline's numbers)."""

from __future__ import annotations

import re
from pathlib import Path

import av
import numpy as np

HEARD_DBFS = -50.0  # speech: a 10 ms window louder than this
WINDOW = 0.01


def decoded_sound(path: Path) -> tuple[np.ndarray, int]:
    """The file's sound as (samples, channels) float32 at its rate, and the rate."""
    with av.open(str(path)) as container:
        stream = container.streams.audio[0]
        frames = [frame.to_ndarray() for frame in container.decode(stream)]
        rate = stream.codec_context.sample_rate
    planar = np.concatenate(frames, axis=1)  # fltp: (channels, samples)
    return planar.T.astype(np.float32), rate


def srt_starts(text: str) -> list[float]:
    """The start (seconds) of every cue of an SRT file."""
    clock = re.compile(r"^(\d+):(\d\d):(\d\d),(\d{3}) -->", re.MULTILINE)
    return [int(h) * 3600 + int(m) * 60 + int(s) + int(ms) / 1000 for h, m, s, ms in clock.findall(text)]


def onset_after(pcm: np.ndarray, rate: int, start: float, horizon: float = 10.0) -> float | None:
    """When speech is first heard at or after ``start`` (s): the first 10 ms window from ``start`` on
    whose RMS (channels averaged) is over HEARD_DBFS; None if none within ``horizon`` seconds."""
    size = round(WINDOW * rate)
    first = round(start * rate)
    span = pcm[first:first + round(horizon * rate)].mean(axis=1) if pcm.ndim == 2 else pcm[first:]
    count = len(span) // size
    if not count:
        return None
    power = (span[:count * size].astype(np.float64).reshape(count, size) ** 2).mean(axis=1)
    loud = np.flatnonzero(10 * np.log10(np.maximum(power, 1e-20)) > HEARD_DBFS)
    return start + loud[0] * WINDOW if len(loud) else None


def caption_leads(video: Path, srt: str) -> list[float]:
    """For each cue of ``srt``, how long before its first word is heard in ``video`` it appears (s)."""
    pcm, rate = decoded_sound(video)
    leads = []
    for start in srt_starts(srt):
        onset = onset_after(pcm, rate, start)
        if onset is not None:
            leads.append(round(onset - start, 3))
    return leads


def speech_start(pcm: np.ndarray, rate: int, at: float, silence: float = 0.15) -> float:
    """When the speech heard at ``at`` began: going back from ``at``, the end of the last stretch of at
    least ``silence`` seconds with no 10 ms window over HEARD_DBFS (``at`` itself when it is silent there)."""
    size = round(WINDOW * rate)
    mono = pcm.mean(axis=1) if pcm.ndim == 2 else pcm
    end = round(at * rate)
    first = max(0, end - round(5.0 * rate))
    span = mono[first:end + size].astype(np.float64)
    count = len(span) // size
    levels = 10 * np.log10(np.maximum((span[:count * size].reshape(count, size) ** 2).mean(axis=1), 1e-20))
    loud = levels > HEARD_DBFS
    if not loud[-1]:
        return at
    quiet, need = 0, round(silence / WINDOW)
    for index in range(count - 1, -1, -1):
        quiet = 0 if loud[index] else quiet + 1
        if quiet >= need:
            return first / rate + (index + need) * WINDOW
    return first / rate


def caption_offsets(video: Path, srt: str) -> list[float]:
    """For each cue: + how long before its speech is heard it appears, − how long after the speech under it began."""
    pcm, rate = decoded_sound(video)
    offsets = []
    for start in srt_starts(srt):
        onset = onset_after(pcm, rate, start)
        if onset is None:
            continue
        offsets.append(round(onset - start, 3) if onset > start else round(speech_start(pcm, rate, start) - start, 3))
    return offsets

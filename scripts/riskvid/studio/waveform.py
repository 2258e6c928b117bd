"""The sound's waveform for the page: the loudest sample in each slice of the full video's audio."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np

from riskvid.files import read_json, write_json

RATE = 25  # peaks a second: a pixel or two a peak on the page's timeline


def peaks(video: Path, rate: int = RATE) -> dict[str, Any]:
    """{"rate", "duration", "peaks"}: per 1/rate s of ``video``'s first audio stream, its largest |sample|
    (0 to 1); no peaks for a silent video."""
    import av

    with av.open(str(video)) as container:
        duration = float(container.duration or 0) / 1_000_000
        if not container.streams.audio:
            return {"rate": rate, "duration": round(duration, 3), "peaks": []}
        stream = container.streams.audio[0]
        sample_rate = stream.rate or 48000
        chunks = [np.abs(frame.to_ndarray().reshape(-1, frame.samples)).max(axis=0)
                  for frame in container.decode(stream)]
    loudest = np.concatenate(chunks) if chunks else np.zeros(0, dtype=np.float32)
    step = max(1, sample_rate // rate)
    count = -(-len(loudest) // step)
    padded = np.zeros(count * step, dtype=np.float32)
    padded[:len(loudest)] = loudest
    values = padded.reshape(count, step).max(axis=1) if count else padded
    return {"rate": rate, "duration": round(duration, 3),
            "peaks": [round(float(min(1.0, value)), 3) for value in values]}


def write_peaks(root: Path, target: Path) -> None:
    """The peaks of the full video the manifest in ``root`` names, as JSON in ``target``."""
    manifest = read_json(root / "manifest.json")
    if not isinstance(manifest, dict) or not isinstance(manifest.get("video"), dict):
        return
    video = root / str(manifest["video"]["file"])
    data = peaks(video)
    data["video"] = video.name
    write_json(target, data)

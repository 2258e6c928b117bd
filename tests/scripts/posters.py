"""Posters checked against the clips as a viewer's player decodes them (not the render's own records)."""

from __future__ import annotations

from pathlib import Path

import av
import numpy as np
from PIL import Image

SHRINK = 4  # compared at a quarter of the size: the codec's chroma noise averages out
SAME = 4.0  # mean absolute difference (0–255) under which a decoded frame shows the poster


def _small(image: np.ndarray) -> np.ndarray:
    height, width = image.shape[:2]
    size = (max(1, width // SHRINK), max(1, height // SHRINK))
    return np.asarray(Image.fromarray(image[:, :, :3]).resize(size, Image.BOX), dtype=np.int16)


def held_seconds(poster: Path, clip: Path) -> float:
    """How long ``clip`` shows ``poster`` without a break (its longest run of frames that match it), in seconds."""
    with Image.open(poster) as image:
        wanted = _small(np.asarray(image.convert("RGB")))
    best = run = 0
    with av.open(str(clip)) as container:
        stream = container.streams.video[0]
        fps = float(stream.average_rate)
        for frame in container.decode(stream):
            shown = _small(frame.to_ndarray(format="rgb24"))
            run = run + 1 if shown.shape == wanted.shape and np.abs(shown - wanted).mean() < SAME else 0
            best = max(best, run)
    return best / fps


def unsettled(slides: Path, minimum: float = 0.5) -> list[tuple[str, float]]:
    """Every poster of a slides folder (beat and segment) its clip holds for less than ``minimum`` s."""
    pairs = [(png, png.with_suffix(".mp4")) for png in sorted(slides.glob("*.png")) + sorted(slides.glob("*/*.png"))]
    found = [(png, held_seconds(png, clip)) for png, clip in pairs if clip.is_file()]
    return [(png.relative_to(slides).as_posix(), seconds) for png, seconds in found if seconds < minimum]


def count_posters(slides: Path) -> int:
    return sum(1 for png in [*slides.glob("*.png"), *slides.glob("*/*.png")] if png.with_suffix(".mp4").is_file())

"""Frame taps: what the render keeps of the frames as they go by, so nothing decodes them later.

- HoldTap (pipeline.holds): each beat's settled poster, the picture it holds longest.
- PreviewTap: a few frames, small, for the segment's GIF preview.
- SampleTap: frames at chosen times of each beat (review sheets, visual tests).
"""

from __future__ import annotations

import numpy as np
from PIL import Image

INK_THRESHOLD = 40  # a sampled pixel this far (summed over RGB) from the page's colour is drawn on
CHANGE_THRESHOLD = 24  # and this far from another frame's has changed
SAMPLE_STEP = 8  # score every 8th pixel of every 8th row


def sample(pixels: np.ndarray) -> np.ndarray:
    """A sparse grid of a frame's RGB values, as int16, for cheap comparisons."""
    return pixels[::SAMPLE_STEP, ::SAMPLE_STEP, :3].astype(np.int16)


def ink(grid: np.ndarray, background: np.ndarray) -> float:
    """The share of a sampled frame that is drawn on (differs from the background colour).

    >>> page = np.zeros((4, 4, 3), np.int16)
    >>> drawn = page.copy(); drawn[:2] = 255
    >>> ink(page, page[0, 0]), ink(drawn, page[0, 0])
    (0.0, 0.5)
    """
    return float((np.abs(grid - background).sum(axis=2) > INK_THRESHOLD).mean())


class PreviewTap:
    """Keeps the frames at ``indices``, shrunk to ``size`` (RGB), for the GIF preview."""

    def __init__(self, indices: tuple[int, ...] | list[int], size: tuple[int, int]):
        self.wanted = sorted(set(indices))
        self.size = size
        self.frames: list[tuple[int, np.ndarray]] = []

    def begin_beat(self, name: str, frame: int) -> None:
        pass

    def frame(self, index: int, pixels: np.ndarray, repeat: int) -> None:
        hit = [i for i in self.wanted if index <= i < index + repeat]
        if hit:
            small = shrunk(pixels, self.size)  # once, for every kept index the frame stands for
            self.frames += [(i, small) for i in hit]


def shrunk(pixels: np.ndarray, size: tuple[int, int]) -> np.ndarray:
    """An RGBA frame as RGB, box-filtered to ``size``: read where it lies (no copy of the whole frame first).

    >>> frame = np.full((4, 6, 4), 255, np.uint8); frame[:2, :, :3] = 0
    >>> shrunk(frame, (3, 2))[:, 0].tolist()
    [[0, 0, 0], [255, 255, 255]]
    """
    height, width = pixels.shape[:2]
    frame = Image.frombuffer("RGB", (width, height), np.ascontiguousarray(pixels), "raw", "RGBX", 0, 1)
    return np.ascontiguousarray(np.asarray(frame.resize(size, Image.Resampling.BOX))[:, :, :3])


class SampleTap:
    """Keeps, per beat, frames at the given shares of it (0.5: its middle; 1.0: its last frame), or
    one every ``every`` frames and its last."""

    def __init__(self, lengths: dict[str, int], shares: tuple[float, ...] = (0.5, 1.0), every: int | None = None):
        self.lengths, self.shares, self.every = lengths, shares, every
        self.samples: dict[str, list[tuple[float, np.ndarray]]] = {}
        self.beat: str | None = None  # the beat begun last
        self.wanted: list[tuple[float, int]] = []  # (share of the beat, frame index) to keep

    def begin_beat(self, name: str, frame: int) -> None:
        length = max(1, self.lengths.get(name, 1))
        offsets = (sorted({*range(0, length, self.every), length - 1}) if self.every
                   else [min(length - 1, int(share * length)) for share in self.shares])
        self.beat = name
        self.wanted = [((offset + 1) / length, frame + offset) for offset in offsets]
        self.samples[name] = []

    def frame(self, index: int, pixels: np.ndarray, repeat: int) -> None:
        if self.beat is None:  # no beat begun: nothing is wanted yet
            return
        for share, at in self.wanted:
            if index <= at < index + repeat:
                self.samples[self.beat].append((share, pixels[:, :, :3].copy()))

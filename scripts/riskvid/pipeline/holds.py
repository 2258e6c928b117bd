"""Settled posters: each beat's poster is the picture its clip holds longest, found as the frames go by.

A hold is a run of consecutive frames that look the same: compared on a sparse grid of pixels
(pipeline.taps.sample), a frame belongs to the run when at most HOLD_TOLERANCE of the grid
differs from the run's first frame, and the run's last frame is kept (a glyph still finishing at
the start of a hold has finished by its end). A beat's poster is its longest hold (ties: the later one);
a hold of an empty page loses to any hold that shows something. Nothing decodes the video
again: the render's frame tap keeps the held picture and records where it is and how long it is
held, and a segment's poster is chosen from those records the same way (or named in the config).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import numpy as np

from riskvid.pipeline.taps import CHANGE_THRESHOLD, ink, sample

HOLD_TOLERANCE = 0.002  # share of the sampled grid that may differ within a hold (a blinking dot, say)
BLANK_INK = 0.002  # a picture with less ink than this (share of the grid) is an empty page
CODE = Path(__file__)  # what decides the posters: part of every segment's render key


@dataclass(frozen=True)
class Hold:
    """A run of same-looking frames in a beat: the frame kept (its last: the most settled), its length, its ink."""

    frame: int
    frames: int
    ink: float

    @property
    def blank(self) -> bool:
        return self.ink < BLANK_INK

    def beats(self, other: Hold) -> bool:
        """Whether this hold (the later one) makes a better poster than ``other``: drawn on, then longer.

        >>> Hold(50, 10, 0.3).beats(Hold(0, 10, 0.3)), Hold(50, 9, 0.3).beats(Hold(0, 10, 0.3))
        (True, False)
        >>> Hold(50, 3, 0.3).beats(Hold(0, 90, 0.0))
        True
        """
        return (not self.blank, self.frames) >= (not other.blank, other.frames)


def same_picture(grid: np.ndarray, reference: np.ndarray) -> bool:
    """Whether two sampled frames look the same (at most HOLD_TOLERANCE of the grid differs).

    >>> page = np.zeros((50, 50, 3), np.int16); dot = page.copy(); dot[0, :3] = 255
    >>> same_picture(dot, page), same_picture(page + 90, page)
    (True, False)
    """
    changed = np.abs(grid - reference).sum(axis=2) > CHANGE_THRESHOLD
    return float(changed.mean()) <= HOLD_TOLERANCE


class HoldTap:
    """A frame tap keeping each beat's longest-held picture (see the module doc)."""

    def __init__(self, background: tuple[int, int, int]):
        self.background = np.array(background, np.int16)
        self.posters: dict[str, np.ndarray] = {}  # beat: the held picture (RGBA or RGB)
        self.best: dict[str, Hold] = {}
        self.beat: str | None = None
        # the open run: its last frame, its length, its first frame's grid, its last frame's pixels
        self._run: tuple[int, int, np.ndarray, np.ndarray] | None = None

    def begin_beat(self, name: str, frame: int) -> None:
        self._close()
        self.beat = name

    def frame(self, index: int, pixels: np.ndarray, repeat: int) -> None:
        if self.beat is None:
            return
        grid = sample(pixels)
        if self._run is not None and same_picture(grid, self._run[2]):
            _, frames, reference, _ = self._run
            self._run = (index + repeat - 1, frames + repeat, reference, pixels)
            return
        self._close()
        self._run = (index + repeat - 1, repeat, grid, pixels)

    def holds(self) -> dict[str, Hold]:
        """Each beat's poster hold (the run still open counts)."""
        self._close()
        return dict(self.best)

    def _close(self) -> None:
        if self._run is None or self.beat is None:
            return
        last, frames, grid, pixels = self._run
        self._run = None
        hold = Hold(last, frames, round(ink(sample(pixels), self.background), 6))
        if self.beat not in self.best or hold.beats(self.best[self.beat]):
            self.best[self.beat] = hold
            self.posters[self.beat] = pixels


def segment_poster(holds: Mapping[str, Hold], beats: Sequence[str], named: str | None = None) -> str:
    """The beat whose poster is the segment's: ``named``, else the beat holding its picture longest (ties: later).

    >>> holds = {"a": Hold(0, 30, 0.2), "b": Hold(40, 30, 0.2), "c": Hold(90, 5, 0.2)}
    >>> segment_poster(holds, ["a", "b", "c"]), segment_poster(holds, ["a", "b", "c"], "c")
    ('b', 'c')
    """
    if named is not None:
        return named
    best = None
    for beat in beats:
        hold = holds.get(beat)
        if hold is not None and (best is None or hold.beats(holds[best])):
            best = beat
    return best if best is not None else beats[0]


def holds_record(holds: Mapping[str, Hold]) -> dict[str, dict[str, Any]]:
    """The holds as JSON data (render's posters.json)."""
    return {beat: asdict(hold) for beat, hold in holds.items()}


def read_holds(record: object) -> dict[str, Hold]:
    """The holds from posters.json data; beats whose entry is not a hold are left out."""
    if not isinstance(record, dict):
        return {}
    holds = {}
    for beat, entry in record.items():
        try:
            holds[beat] = Hold(int(entry["frame"]), int(entry["frames"]), float(entry["ink"]))
        except (TypeError, KeyError, ValueError):
            continue
    return holds

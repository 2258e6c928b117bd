"""What a config will cost (minutes of video, frames, disk), and the caps a run may not exceed.

The defaults refuse what no one needs: more than an hour of video, a frame larger than 4K
(3840×2160), more than 40 segments, or an estimated 20 GB on disk. Whoever runs riskvid (a
service, say) sets its own caps with options or environment variables; a config cannot.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from riskvid.errors import InputError

# Measured (scripts/bench --encoder): segment clips take about 0.02 bits a pixel a frame at CRF 20.
BITS_PER_PIXEL = 0.02
# The picture is stored about six times: the render, the segment clips, the full video, the
# YouTube master, the slides' segment clips and their beat clips.
COPIES = 6
SOUND_BITS_PER_SECOND = 384_000


@dataclass(frozen=True)
class Caps:
    """The most a run may make."""

    minutes: float = 60.0
    width: int = 3840
    height: int = 2160
    segments: int = 40
    disk_gb: float = 20.0

    @classmethod
    def from_environment(cls, **overrides: object) -> Caps:
        """Caps from RISKVID_MAX_MINUTES, RISKVID_MAX_SIZE (WxH), RISKVID_MAX_SEGMENTS and
        RISKVID_MAX_DISK_GB, then ``overrides`` (command-line options; None means unset)."""
        values: dict[str, Any] = {}
        kinds: tuple[tuple[str, str, Callable[[str], float]], ...] = (
            ("minutes", "RISKVID_MAX_MINUTES", float), ("segments", "RISKVID_MAX_SEGMENTS", int),
            ("disk_gb", "RISKVID_MAX_DISK_GB", float))
        for name, variable, kind in kinds:
            if os.environ.get(variable):
                values[name] = _number(os.environ[variable], kind, variable)
        if os.environ.get("RISKVID_MAX_SIZE"):
            values["width"], values["height"] = parse_size(os.environ["RISKVID_MAX_SIZE"], "RISKVID_MAX_SIZE")
        values.update({key: value for key, value in overrides.items() if value is not None})
        return cls(**values)


def parse_size(text: str, where: str = "--max-size") -> tuple[int, int]:
    """"3840x2160" → (3840, 2160); InputError otherwise.

    >>> parse_size("1920x1080")
    (1920, 1080)
    """
    try:
        width, height = (int(part) for part in text.lower().split("x"))
    except ValueError:
        raise InputError(f"{where}: expected WIDTHxHEIGHT like 3840x2160, got {text!r}") from None
    return width, height


def _number(text: str, kind: Callable[[str], float], where: str) -> float:
    try:
        value = kind(text)
    except ValueError:
        raise InputError(f"{where}: expected a number, got {text!r}") from None
    if value <= 0:
        raise InputError(f"{where}: must be more than 0, got {text!r}")
    return value


@dataclass(frozen=True)
class Cost:
    """What a render will make."""

    seconds: float
    frames: int
    width: int
    height: int
    segments: int

    @property
    def disk_bytes(self) -> float:
        """An estimate of the bytes written (every copy of the picture, and the sound)."""
        picture = BITS_PER_PIXEL * self.width * self.height * self.frames
        return COPIES * (picture + SOUND_BITS_PER_SECOND * self.seconds) / 8

    def describe(self) -> str:
        """One line: '4.6 min of video, 16,560 frames at 1920x1080, about 0.4 GB on disk'.

        >>> Cost(276.0, 16560, 1920, 1080, 7).describe()
        '4.6 min of video (7 segments), 16,560 frames at 1920x1080, about 0.6 GB on disk'
        """
        return (f"{self.seconds / 60:.1f} min of video ({self.segments} segments), {self.frames:,} frames at "
                f"{self.width}x{self.height}, about {self.disk_bytes / 1e9:.1f} GB on disk")


def check_frame(width: int, height: int, segments: int, caps: Caps) -> None:
    """Refuse a frame size or a number of segments over the caps (known before anything runs)."""
    if width > caps.width or height > caps.height:
        raise InputError(f"a {width}x{height} frame is over this run's cap of {caps.width}x{caps.height}; "
                         "raise it with --max-size if it is really needed")
    if segments > caps.segments:
        raise InputError(f"{segments} segments are over this run's cap of {caps.segments}; "
                         "raise it with --max-segments")


def check_cost(cost: Cost, caps: Caps) -> None:
    """Refuse a video longer, or an estimate of disk larger, than the caps."""
    check_frame(cost.width, cost.height, cost.segments, caps)
    if cost.seconds > caps.minutes * 60:
        raise InputError(f"the video would last {cost.seconds / 60:.0f} minutes, over this run's cap of "
                         f"{caps.minutes:g}; raise it with --max-minutes")
    if cost.disk_bytes > caps.disk_gb * 1e9:
        raise InputError(f"the render would write about {cost.disk_bytes / 1e9:.0f} GB, over this run's cap of "
                         f"{caps.disk_gb:g} GB; raise it with --max-disk")

"""A narration line as asked for (``LineRequest``) and as voiced (``Speech``), and how takes are named."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple

SAMPLE_RATE = 48_000  # the voice's clips, as riskvid.pipeline.audio mixes them


@dataclass(frozen=True)
class LineRequest:
    """One narration line: ``id`` is ``<segment id>.<beat>.<n>`` (n from 1)."""

    id: str
    text: str  # the shown text (captions)
    spoken: str  # what is said (a spoken form where maths reads differently; else == text)


@dataclass(frozen=True)
class Speech:
    """A line as voiced: its length, its shown words' times (s from its start) and its audio."""

    id: str
    seconds: float
    words: tuple[tuple[str, float, float], ...]
    audio: Path | None  # mono float32 WAV at 48 kHz, silence trimmed; None for engine none
    source: str  # "piper", "recorded" or "estimate"
    heard: tuple[float, ...] | None = None  # where its speech is heard (onsets.heard's starts); None: not known


def take_name(request: LineRequest) -> str:
    """The take's file name for a line (any of .wav, .flac, .mp3 is accepted for its stem).

    >>> take_name(LineRequest("formula.lift_goal.1", "Q is...", "Q is..."))
    'formula-lift_goal-1.wav'
    """
    return request.id.replace(".", "-") + ".wav"


class ScriptLine(NamedTuple):
    """A line of the recording script (a NamedTuple: it still unpacks as (id, take, text))."""

    id: str
    take: str  # the take's file name
    text: str  # what to read: the spoken form


def recording_script(requests: Sequence[LineRequest]) -> list[ScriptLine]:
    """(line id, take file name, text to read: the spoken form) for every line, in order.

    >>> recording_script([LineRequest("pixels.worked_pixel.2", "That is 80 off.", "That is eighty off.")])
    [ScriptLine(id='pixels.worked_pixel.2', take='pixels-worked_pixel-2.wav', text='That is eighty off.')]
    """
    return [ScriptLine(request.id, take_name(request), request.spoken) for request in requests]


def quote(text: str, limit: int = 24) -> str:
    """The line's text in quotes, cut at a word before ``limit`` characters.

    >>> quote("Q is the score we want to push down: how wrong the model is.")
    '("Q is the score we want…")'
    """
    text = " ".join(text.split())
    if len(text) > limit:
        cut = text[:limit]
        text = (cut[: cut.rfind(" ")] if " " in cut else cut).rstrip(" ,.;:") + "…"
    return f'("{text}")'

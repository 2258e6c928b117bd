"""The timeline: every beat's frames, every narration line's and word's times, made once before rendering.

A beat lasts as long as its animations take at their own pace, or as long as its lines need
(each line's speech, or the time its caption needs to be read, plus the pauses before, between
and after), whichever is longer. A line never runs into the next beat. When a beat is longer
than its animations, they slow down (at most MAX_STRETCH) and the picture holds for the rest.

The scenes (beat frames), the audio mix (line times), the captions (word times), the manifest
and publishing all read this one piece of data; nothing reconstructs it afterwards.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from riskvid.pipeline.onsets import Heard, read_heard, sentence_starts, settle_starts
from riskvid.pipeline.plan import SegmentPlan
from riskvid.pipeline.timing import NaturalBeat
from scenes.base import BeatTiming

MAX_STRETCH = 1.3  # animations slow down at most this much to fill a beat; the rest is a hold
READING_CPS = 16.5  # a caption stays up long enough to read at this many characters a second
MAX_CPS = 17  # and never faster than this
CUE_LINE_CHARS = 42  # a cue is at most two lines of this many characters
CUE_CHARS = 2 * CUE_LINE_CHARS


@dataclass(frozen=True)
class Word:
    """A word of the shown text and when it is spoken (seconds from the segment's start)."""

    text: str
    start: float
    end: float


@dataclass(frozen=True)
class Line:
    """A narration line: shown text, spoken text, when it is spoken (segment seconds), its words."""

    id: str
    text: str
    spoken: str
    start: float
    end: float
    words: tuple[Word, ...]
    audio: Path | None  # its speech (mono, 48 kHz), or None when silent


@dataclass(frozen=True)
class Beat:
    """A beat: its frames in the segment [start, end), its pace, and the lines spoken over it."""

    name: str
    start: int
    end: int
    stretch: float
    lines: tuple[Line, ...]


@dataclass(frozen=True)
class Cue:
    """A caption: at most two lines of text on screen from ``start`` to ``end`` (seconds)."""

    start: float
    end: float
    text: str  # lines separated by "\n"


@dataclass(frozen=True)
class SegmentTimeline:
    """One segment's beats at the video's frame rate."""

    plan: SegmentPlan
    fps: int
    beats: tuple[Beat, ...]

    @property
    def frames(self) -> int:
        return self.beats[-1].end if self.beats else 0

    @property
    def seconds(self) -> float:
        return self.frames / self.fps

    @property
    def lines(self) -> list[Line]:
        return [line for beat in self.beats for line in beat.lines]

    def timing(self) -> dict[str, BeatTiming]:
        """Each beat's planned frames and pace, as the scene takes them."""
        return {beat.name: BeatTiming(beat.end - beat.start, beat.stretch) for beat in self.beats}

    def cues(self) -> list[Cue]:
        """The segment's captions, in segment seconds."""
        return [cue for beat in self.beats for cue in beat_cues(beat.lines, beat.end / self.fps)]


@dataclass(frozen=True)
class Timeline:
    """The whole video: its segments in order, at one frame rate."""

    fps: int
    segments: tuple[SegmentTimeline, ...]

    @property
    def frames(self) -> int:
        return sum(segment.frames for segment in self.segments)

    @property
    def seconds(self) -> float:
        return self.frames / self.fps

    def offsets(self) -> list[float]:
        """Each segment's start in the full video (seconds)."""
        starts, frames = [], 0
        for segment in self.segments:
            starts.append(frames / self.fps)
            frames += segment.frames
        return starts

    def cues(self) -> list[Cue]:
        """Every caption of the full video, on its timeline."""
        return [
            Cue(offset + cue.start, offset + cue.end, cue.text)
            for offset, segment in zip(self.offsets(), self.segments)
            for cue in segment.cues()
        ]


@dataclass(frozen=True)
class Pauses:
    """Silence around a beat's lines (seconds)."""

    before: float = 0.3
    between: float = 0.35
    after: float = 0.5


def line_id(segment_id: str, beat: str, number: int) -> str:
    """A narration line's id: ``<segment>.<beat>.<n>``, n from 1."""
    return f"{segment_id}.{beat}.{number}"


def build_timeline(
    segments: Sequence[SegmentPlan],
    naturals: dict[str, list[NaturalBeat]],
    narration: dict[str, dict[str, list[Any]]],
    speeches: dict[str, Any],
    pauses: Pauses,
    fps: int,
) -> Timeline:
    """The timeline of ``segments`` at ``fps``.

    ``naturals`` maps a segment id to its beats at their own pace; ``narration`` a segment id
    to {beat: [config line (``.text``, ``.spoken``)]}; ``speeches`` a line id to its measured
    speech (``.seconds``, ``.words`` as (word, start, end) from the line's start, ``.audio``).
    """
    timelines = []
    for segment in segments:
        beats, frame = [], 0
        for natural in naturals[segment.id]:
            texts = narration.get(segment.id, {}).get(natural.name, [])
            ids = [line_id(segment.id, natural.name, n) for n in range(1, len(texts) + 1)]
            slots = [_slot(text.text, speeches[i].seconds) for text, i in zip(texts, ids)]
            needed = pauses.before + sum(slots) + pauses.between * (len(slots) - 1) + pauses.after if slots else 0
            frames = max(natural.frames(fps), math.ceil(round(needed * fps, 6)))
            stretch = fitting_stretch(natural, frames, fps) if frames > natural.frames(fps) else 1.0
            lines, at = [], frame / fps + pauses.before
            for text, i, slot in zip(texts, ids, slots):
                lines.append(_line(i, text, speeches[i], at))
                at += slot + pauses.between
            beats.append(Beat(natural.name, frame, frame + frames, stretch, tuple(lines)))
            frame += frames
        timelines.append(SegmentTimeline(segment, fps, tuple(beats)))
    return Timeline(fps, tuple(timelines))


def fitting_stretch(natural: NaturalBeat, frames: int, fps: int) -> float:
    """The slowest pace (≤ MAX_STRETCH) at which ``natural``'s plays fit in ``frames``.

    Two 1-second plays at 10 fps still round to 20 frames at a pace just under 1.05:

    >>> fitting_stretch(NaturalBeat("b", (1.0, 1.0)), 20, 10), fitting_stretch(NaturalBeat("b", (1.0,)), 50, 10)
    (1.049999, 1.3)
    """
    if natural.frames(fps, MAX_STRETCH) <= frames:
        return MAX_STRETCH
    low, high = 1.0, MAX_STRETCH  # fits at low, not at high
    for _ in range(30):
        middle = (low + high) / 2
        low, high = (middle, high) if natural.frames(fps, middle) <= frames else (low, middle)
    return math.floor(low * 1e6) / 1e6  # rounded down: still fits, and the same in the cache key


def _slot(text: str, seconds: float) -> float:
    """How long a line holds its place: its speech, or long enough to read its caption."""
    return max(seconds, len(text) / READING_CPS)


def _line(identifier: str, text: Any, speech: Any, start: float) -> Line:
    """A line placed at ``start``, its words starting where its speech is heard (pipeline.onsets)."""
    kept = getattr(speech, "heard", None)
    sound = Heard(kept) if kept is not None else read_heard(getattr(speech, "audio", None))
    firsts = [k for k in range(1, len(speech.words)) if speech.words[k - 1][0].endswith((".", "!", "?", "…"))]
    begins = settle_starts(sentence_starts([begin for _, begin, _ in speech.words], firsts, sound), sound)
    words = tuple(Word(word, start + begin, start + max(begin, end))
                  for (word, _, end), begin in zip(speech.words, begins))
    return Line(identifier, _clean(text.text), text.spoken, start, start + speech.seconds, words, speech.audio)


def _clean(text: str) -> str:
    """Text on one line, runs of white space as one space (no forged cue breaks)."""
    return " ".join(text.split())


# Captions.

_SENTENCE_END = re.compile(r"(?<=[.!?…])\s+")
_CLAUSE_END = re.compile(r"(?<=[,;:—–])\s+")


def caption_chunks(text: str) -> list[str]:
    """``text`` cut at sentence, then clause, then word boundaries into pieces of ≤ CUE_CHARS.

    >>> caption_chunks("One. Two, three.")
    ['One.', 'Two, three.']
    >>> [len(c) <= CUE_CHARS for c in caption_chunks("word " * 40)]
    [True, True, True]
    """
    chunks: list[str] = []
    for sentence in _SENTENCE_END.split(_clean(text)):
        chunks += _pack(_CLAUSE_END.split(sentence)) if len(sentence) > CUE_CHARS else [sentence]
    return [chunk for chunk in chunks if chunk]


def _pack(clauses: list[str]) -> list[str]:
    """Clauses joined greedily into pieces of ≤ CUE_CHARS; an overlong clause split at words."""
    pieces: list[str] = []
    for clause in clauses:
        parts = [clause] if len(clause) <= CUE_CHARS else _split_words(clause)
        for part in parts:
            if pieces and len(pieces[-1]) + 1 + len(part) <= CUE_CHARS:
                pieces[-1] += " " + part
            else:
                pieces.append(part)
    return pieces


def _split_words(text: str) -> list[str]:
    """``text`` in even pieces of ≤ CUE_CHARS, cut between words."""
    words = text.split()
    count = math.ceil(len(text) / CUE_CHARS)
    while True:
        size = math.ceil(len(text) / count)
        pieces, current = [], ""
        for word in words:
            if current and len(current) + 1 + len(word) > size:
                pieces.append(current)
                current = word
            else:
                current = f"{current} {word}".strip()
        pieces.append(current)
        if all(len(piece) <= CUE_CHARS for piece in pieces):
            return pieces
        count += 1


def two_lines(text: str) -> str:
    """``text`` (≤ CUE_CHARS) on one line, or on two balanced lines of ≤ CUE_LINE_CHARS.

    >>> two_lines("Short and sweet.")
    'Short and sweet.'
    >>> two_lines("Dividing by n keeps it fair: twice the data should not mean twice the error.")
    'Dividing by n keeps it fair: twice the\\ndata should not mean twice the error.'
    """
    if len(text) <= CUE_LINE_CHARS:
        return text
    spaces = [i for i, ch in enumerate(text) if ch == " "]
    fitting = [i for i in spaces if i <= CUE_LINE_CHARS and len(text) - i - 1 <= CUE_LINE_CHARS]
    best = min(fitting or spaces, key=lambda i: abs(len(text) - 2 * i))
    return f"{text[:best]}\n{text[best + 1:]}"


def beat_cues(lines: Iterable[Line], beat_end: float) -> list[Cue]:
    """The captions of a beat's lines: each piece on screen while its words are spoken.

    A piece starts with its first word and stays until the next piece starts (the last one
    until its line's slot ends); when that is too short to read at MAX_CPS it stays longer,
    pushing the next piece back, never past the beat's end.
    """
    cues: list[Cue] = []
    for line in lines:
        pieces = caption_chunks(line.text)
        starts = _piece_starts(line, pieces)
        slot_end = min(beat_end, line.start + max(line.end - line.start, len(line.text) / READING_CPS))
        for k, piece in enumerate(pieces):
            start = max(starts[k], cues[-1].end if cues else 0.0)
            natural_end = starts[k + 1] if k + 1 < len(pieces) else slot_end
            end = min(max(natural_end, start + len(piece) / MAX_CPS), beat_end)
            if end > start:
                cues.append(Cue(round(start, 3), round(end, 3), two_lines(piece)))
    return cues


def _piece_starts(line: Line, pieces: list[str]) -> list[float]:
    """When each caption piece's first word is spoken (spread by characters if words are unknown)."""
    words = list(line.words)
    counts = [len(piece.split()) for piece in pieces]
    if len(words) == sum(counts):
        starts, index = [], 0
        for count in counts:
            starts.append(words[index].start)
            index += count
        return starts
    total = sum(len(piece) for piece in pieces) or 1
    starts, done = [], 0
    for piece in pieces:
        starts.append(line.start + (line.end - line.start) * done / total)
        done += len(piece)
    return starts

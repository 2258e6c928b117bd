"""The steps of the slides package, as the deck, the page, the presenter view and the PDFs read them: a chapter
per segment, a step per beat long enough to show."""

from __future__ import annotations

from dataclasses import dataclass

from riskvid.names import words
from riskvid.pipeline.timeline import Cue


@dataclass(frozen=True)
class Beat:
    """One beat slide: its clip and poster (relative to the slides folder), heading and captions."""

    chapter: str
    name: str
    clip: str
    poster: str
    captions: str
    seconds: float  # the clip's length
    lines: tuple[str, ...] = ()  # the narration lines in full (the notes)
    cues: tuple[Cue, ...] = ()  # the captions, in seconds of the clip

    @property
    def step(self) -> str:
        """The beat's name in words."""
        return words(self.name)

    @property
    def heading(self) -> str:
        return f"{self.chapter} · {self.step}"


@dataclass(frozen=True)
class Chapter:
    """One segment's files in the slides folder and its beat slides."""

    title: str
    stem: str
    beats: tuple[Beat, ...]

"""Words on the sound: each word's start moved to where its line's speech is actually heard.

A voice's word times tile its line (each word ends where the next starts), so the silence before
a word, a sentence pause inside a line say, is counted into that word: its caption would appear
before it is said. Here each word starts at the first 10 ms of its line's own speech that is
heard at or after its nominal start, so a cue cut from the words appears on its first word.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

SAMPLE_RATE = 48_000
WINDOW = SAMPLE_RATE // 100  # 10 ms
HEARD_BELOW_LOUDEST_DB = 45.0  # a window this far under the line's loudest is silence (as the voice trims)
SILENCE_DBFS = -70.0  # and any window under this is silence, however quiet the line
PAUSE = 0.04  # silence at least this long between heard windows is a pause
SNAP = 0.8  # a sentence starts after the longest pause this near its estimated start


@dataclass(frozen=True)
class Heard:
    """Where a line's speech is heard: the starts of its heard 10 ms windows (seconds from its start)."""

    starts: tuple[float, ...]

    def first_at_or_after(self, seconds: float) -> float | None:
        """The start of the first heard window at or after ``seconds`` (None: nothing more is heard).

        >>> Heard((0.0, 0.01, 0.5)).first_at_or_after(0.02), Heard((0.0,)).first_at_or_after(0.2)
        (0.5, None)
        """
        index = int(np.searchsorted(self.starts, seconds - 1e-9))
        return float(self.starts[index]) if index < len(self.starts) else None


def heard(samples: np.ndarray) -> Heard:
    """The heard windows of mono 48 kHz ``samples``.

    >>> tone = np.sin(np.arange(4800) / 5).astype(np.float32)
    >>> heard(np.concatenate([tone, np.zeros(9600, np.float32), tone])).starts[9:12]
    (0.09, 0.3, 0.31)
    """
    count = len(samples) // WINDOW
    if not count:
        return Heard(())
    windows = np.asarray(samples[: count * WINDOW], dtype=np.float64).reshape(count, WINDOW)
    levels = 10 * np.log10(np.maximum((windows ** 2).mean(axis=1), 1e-20))
    threshold = max(levels.max() - HEARD_BELOW_LOUDEST_DB, SILENCE_DBFS)
    return Heard(tuple(round(int(i) * WINDOW / SAMPLE_RATE, 3) for i in np.flatnonzero(levels >= threshold)))


def read_heard(audio: Path | None) -> Heard | None:
    """The heard windows of a line's speech file; None when there is none or it cannot be read."""
    if audio is None:
        return None
    from riskvid.pipeline.audio import read_speech

    try:
        return heard(read_speech(audio))
    except (OSError, ValueError):
        return None


def pauses(sound: Heard) -> list[tuple[float, float]]:
    """(where speech resumes, how long the pause before it was) for every pause of ``sound``.

    >>> pauses(Heard((0.0, 0.01, 0.02, 0.3, 0.31, 0.36)))
    [(0.3, 0.27), (0.36, 0.04)]
    """
    found = []
    for before, after in zip(sound.starts, sound.starts[1:], strict=False):
        silence = round(after - before - WINDOW / SAMPLE_RATE, 3)
        if silence >= PAUSE - 1e-9:
            found.append((after, silence))
    return found


def sentence_starts(starts: Sequence[float], firsts: Sequence[int], sound: Heard | None) -> list[float]:
    """Word starts with each sentence's first word (indices ``firsts``) moved to where speech resumes after
    the longest pause within SNAP of its estimate (a spoken form or a take has its words spread by letters,
    which can put a sentence a second off); words before it are kept before it.

    >>> sentence_starts([0.0, 0.5, 1.0, 1.4], [2], Heard((0.0, 0.01, 0.5, 0.51, 0.6, 1.25, 1.26)))
    [0.0, 0.5, 1.25, 1.4]
    """
    starts = list(starts)
    if sound is None:
        return starts
    found, floor = pauses(sound), 0.0
    for index in sorted(firsts):
        near = [(silence, -abs(onset - starts[index]), onset) for onset, silence in found
                if abs(onset - starts[index]) <= SNAP and onset > floor]
        if not near:
            continue
        onset = max(near)[2]
        starts = [min(start, onset) for start in starts[:index]] + [onset] + starts[index + 1:]
        floor = onset
    return starts


def settle_starts(starts: Sequence[float], sound: Heard | None) -> list[float]:
    """Word starts (s from the line's start) moved on to where each word is first heard, kept in order.

    A word with nothing heard after it keeps its start; a word whose span is all silence starts
    where speech resumes.

    >>> settle_starts([0.0, 0.4, 0.9], Heard((0.02, 0.03, 0.7, 0.71, 1.0)))
    [0.02, 0.7, 1.0]
    """
    if sound is None or not sound.starts:
        return list(starts)
    settled, previous = [], 0.0
    for start in starts:
        found = sound.first_at_or_after(start)
        start = start if found is None else found
        previous = max(previous, start)
        settled.append(previous)
    return settled

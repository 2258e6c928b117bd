"""Word times: each shown word's start and end within its line, from Piper's phonemes or spread by letters.

The words tile the line: the first starts at 0, each ends where the next starts, the last ends at
the line's length. With no voice (engine none), a line lasts as long as its caption takes to read.
"""

from __future__ import annotations

import difflib
import math
import unicodedata
from collections.abc import Sequence

import numpy as np

from riskvid.pipeline.voice.lines import LineRequest, Speech

Words = tuple[tuple[str, float, float], ...]  # (word, start, end) in seconds from the line's start
READING_CPS = 14.0  # engine none: characters a second at rate 1 (captions must stay ≤ 17)
MAX_READING_CPS = 17.0
MIN_LINE_SECONDS = 1.2
_ALIGNED_ENOUGH = 0.5  # share of phonemes a word alignment must match, else words are spread


def reading_seconds(text: str, rate: float = 1.0) -> float:
    """How long a caption stays up when nothing is said: 14 characters a second at rate 1 (never over
    17), at least 1.2 s.

    >>> reading_seconds("How does an AI actually learn?")
    2.1429
    >>> reading_seconds("Yes.")
    1.2
    """
    seconds = max(MIN_LINE_SECONDS, len(text.strip()) / min(READING_CPS * rate, MAX_READING_CPS))
    return math.ceil(round(seconds * 10_000, 6)) / 10_000  # to 0.1 ms, up: never faster than the cap


def estimate(request: LineRequest, rate: float) -> Speech:
    seconds = reading_seconds(request.text, rate)
    return Speech(request.id, seconds, spread_words(request.text, seconds), None, "estimate")


def shown_words(text: str) -> list[str]:
    """The caption's words: its text split at white space, punctuation kept."""
    return text.split()


def _weight(word: str) -> int:
    return max(1, sum(ch.isalnum() for ch in word))


def spread_words(text: str, seconds: float, start: float = 0.0) -> Words:
    """The shown words tiling [start, seconds], each as long as its share of the letters and digits.

    >>> spread_words("Q is tiny now: learned!", 1.7)
    (('Q', 0.0, 0.1), ('is', 0.1, 0.3), ('tiny', 0.3, 0.7), ('now:', 0.7, 1.0), ('learned!', 1.0, 1.7))
    """
    words = shown_words(text)
    if not words:
        return ()
    weights = np.cumsum([0] + [_weight(word) for word in words])
    bounds = start + (seconds - start) * weights / weights[-1]
    return _tile(words, list(bounds[:-1]), seconds)


def _tile(words: list[str], starts: list[float], seconds: float) -> Words:
    """Words from their start times: in order, each ending where the next starts, within [0, seconds]."""
    clean, previous = [], 0.0
    for start in starts:
        previous = min(max(previous, float(start)), seconds)
        clean.append(previous)
    clean[0] = 0.0
    ends = clean[1:] + [seconds]
    return tuple((word, round(s, 4), round(e, 4)) for word, s, e in zip(words, clean, ends))


def _sounds(phonemes: str) -> str:
    """The phonemes that are sounds: letters, without stress, length marks, spaces or punctuation."""
    letters = ("Ll", "Lu", "Lo")  # not Lm: stress (ˈ ˌ), length (ː) and other modifiers
    return "".join(ch for ch in unicodedata.normalize("NFD", phonemes) if unicodedata.category(ch) in letters)


def aligned_words(
    text: str, word_phonemes: Sequence[str], phones: Sequence[tuple[str, float]], seconds: float
) -> Words | None:
    """Shown words timed from Piper's phoneme alignment, or None when the two do not match well enough.

    ``word_phonemes``: each shown word's phonemes, said alone; ``phones``: the line's phonemes as
    spoken, each with its start (s, from the line's start). The two phoneme strings are matched
    (difflib), so a word starts at the first spoken phoneme matched to it.

    >>> phones = [(p, 0.1 * i) for i, p in enumerate("ðəlˈuːp dʌznˈɑːt.")]
    >>> aligned_words("The loop does not.", ["ðə", "lˈuːp", "dˈʌz", "nˈɑːt."], phones, 2.0)
    (('The', 0.0, 0.2), ('loop', 0.2, 0.8), ('does', 0.8, 1.1), ('not.', 1.1, 2.0))
    """
    words = shown_words(text)
    if len(words) != len(word_phonemes) or not words:
        return None
    reference: list[str] = []  # the shown words' sounds, in order
    owner: list[int] = []  # the word each sound belongs to
    for index, phonemes in enumerate(word_phonemes):
        sounds = _sounds(phonemes)
        reference.extend(sounds)
        owner.extend([index] * len(sounds))
    spoken = [(ch, start) for phoneme, start in phones for ch in _sounds(phoneme)]
    if not reference or not spoken:
        return None
    matcher = difflib.SequenceMatcher(None, reference, [ch for ch, _ in spoken], autojunk=False)
    matched = sum(block.size for block in matcher.get_matching_blocks())
    if matched < _ALIGNED_ENOUGH * max(len(reference), len(spoken)):
        return None
    first: dict[int, float] = {}
    for tag, r0, r1, s0, s1 in matcher.get_opcodes():
        if tag in ("equal", "replace"):
            for k in range(s0, s1):  # spread the spoken phonemes of the block over its reference ones
                r = r0 + (k - s0) * (r1 - r0) // (s1 - s0)
                first.setdefault(owner[r], spoken[k][1])
    starts, upcoming = [0.0] * len(words), seconds
    for index in reversed(range(len(words))):  # a word with no matched sound starts with the next
        upcoming = first.get(index, upcoming)
        starts[index] = upcoming
    return _tile(words, starts, seconds)

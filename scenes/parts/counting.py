"""Counts said in words, and LevelReadout: a Readout whose colour follows the value it shows."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from manim import ManimColor

from scenes.parts.readout import Readout

NUMBER_WORDS = ("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
                "eleven", "twelve")


def count_word(count: int) -> str:
    """A count as a word for on-screen text ("five"), digits past twelve.

    >>> count_word(5), count_word(12), count_word(25)
    ('five', 'twelve', '25')
    """
    return NUMBER_WORDS[count] if 0 <= count < len(NUMBER_WORDS) else str(count)


class LevelReadout(Readout):
    """A Readout coloured by ``colour_of(shown value)``; ``centred`` centres its glyphs in its box."""

    def __init__(self, value: float, colour_of: Callable[[float], ManimColor], centred: bool = False, **kwargs: Any):
        super().__init__(value, colour_of=colour_of, centred=centred, **kwargs)

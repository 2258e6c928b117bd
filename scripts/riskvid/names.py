"""Names shown to people: an id in words, and the closest known name for a misspelt one."""

from __future__ import annotations

import difflib
from collections.abc import Iterable


def words(name: str) -> str:
    """A name in words: 'lift_for_loop' → 'Lift for loop'.

    >>> words("lift_for_loop")
    'Lift for loop'
    """
    return name.replace("_", " ").replace("-", " ").strip().capitalize()


def did_you_mean(word: str, choices: Iterable[str]) -> str:
    """' 'word'; did you mean 'ward'?' when a choice is close, else ' 'word''.

    >>> did_you_mean("epohcs", ["epochs", "decay"]), did_you_mean("zzz", ["epochs"])
    (" 'epohcs'; did you mean 'epochs'?", " 'zzz'")
    """
    close = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return f" {word!r}; did you mean {close[0]!r}?" if close else f" {word!r}"

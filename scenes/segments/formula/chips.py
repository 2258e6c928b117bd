"""Chips: a number on a small rounded card, for the examples of a dataset and their losses.

A chip is a ``VGroup``; ``.number`` is the number's Text (its ``.text`` is what is shown),
``.box`` the card and ``.label`` the name above it (e.g. x₁), or None. Chips in a row keep their
places however many digits their numbers have.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from manim import RIGHT, UP, Animation, LaggedStart, RoundedRectangle, VGroup, there_and_back

from scenes.parts import text
from scenes.parts.components import subscript
from scenes.theme import SPACE, TYPE, Theme

CHIP_PAD = (0.18, 0.14)  # around the number, frame units
TIGHT_PAD = (0.18, 0.08)  # for chips stacked in lines


class Chip(VGroup):
    """``number`` (a string, already formatted) in mono on a paper chip; ``label`` (optional) above it.

    ``pad`` (x, y) is the room around the number; ``width`` the least width of the chip.
    """

    def __init__(self, theme: Theme, number: str, label: str | None = None, size: float | None = None,
                 label_size: float | None = None, width: float | None = None, pad: tuple[float, float] = CHIP_PAD,
                 **kwargs: Any) -> None:
        size = TYPE.label if size is None else size
        self.number = text.mono(theme, number, size=size, color=theme.ink)
        digit = text.mono(theme, "0", size=size)
        self.box = RoundedRectangle(
            width=max(width or 0, self.number.width + 2 * pad[0]), height=digit.height + 2 * pad[1] + 0.06,
            corner_radius=0.1, fill_color=theme.page2, fill_opacity=1, stroke_color=theme.page3, stroke_width=2,
        )
        self.number.move_to(self.box)
        parts = [self.box, self.number]
        self.label = None
        if label is not None:
            size = TYPE.small if label_size is None else label_size
            self.label = text.mono(theme, label, size=size, color=theme.ink2).next_to(self.box, UP, buff=SPACE.tiny)
            parts.append(self.label)
        super().__init__(*parts, **kwargs)

    def pulse(self) -> Animation:
        """The chip swells for a moment and settles back: "this one is being counted"."""
        return self.animate(rate_func=there_and_back).scale(1.15)


def example_label(index: int) -> str:
    """The name of example ``index`` (1-based) of the dataset, as chips show it: x₁, x₂, …

    >>> example_label(3)
    'x₃'
    """
    return f"x{subscript(index)}"


def chip_row(theme: Theme, numbers: Sequence[str], labels: Sequence[str | None] | None = None,
             pitch: float | None = None, size: float | None = None) -> VGroup:
    """Chips for ``numbers`` (strings) in a row, centred on the origin, all as wide as the widest.

    ``labels`` (optional) names each chip; ``pitch`` is the distance between chip centres
    (default: the widest chip plus a gap).
    """
    labels = labels if labels is not None else [None] * len(numbers)
    chips = VGroup(*(Chip(theme, number, label, size=size) for number, label in zip(numbers, labels, strict=True)))
    widest = max(chip.box.width for chip in chips)
    for chip in chips:
        chip.box.stretch_to_fit_width(widest)
    pitch = widest + 0.25 if pitch is None else pitch
    for index, chip in enumerate(chips):
        chip.shift((index - (len(chips) - 1) / 2) * pitch * RIGHT - chip.box.get_center())
    return chips


def pulse_in_turn(chips: VGroup, lag_ratio: float = 0.5) -> Animation:
    """Each chip of ``chips`` (a VGroup on screen) pulses after the one before: counted one by one."""
    return LaggedStart(*(chip.pulse() for chip in chips), lag_ratio=lag_ratio, group=chips)

"""A meter for the size of a mistake: a label, a counting read-out and a bar on a track."""

from typing import Any

from manim import (
    LEFT,
    RIGHT,
    UP,
    Animation,
    AnimationGroup,
    FadeIn,
    ManimColor,
    RoundedRectangle,
    UpdateFromAlphaFunc,
    UpdateFromFunc,
    VGroup,
    smooth,
)

from scenes.parts import text
from scenes.parts.components import get_pill
from scenes.parts.readout import Readout
from scenes.theme import SPACE, TYPE, Theme


class MistakeMeter(VGroup):
    """Label and number above a track; a bar in ``colour`` fills ``level`` (0..1) of the track.

    Built with its left edge at x = 0 and its track's centre at y = 0; place it like any mobject.
    ``shrink_to(level)`` animates bar and number to a new level; the number counts and the bar is
    redrawn from the number on every frame, so the fill always shows the number read beside it.
    ``show_number=False`` leaves the number off (a mistake that is felt, not measured).
    """

    track_height = 0.24

    def __init__(self, theme: Theme, label: str, level: float, width: float, colour: ManimColor | str, places: int = 2,
                 show_number: bool = True, **kwargs: Any) -> None:
        self.colour = ManimColor(colour)
        self.track = get_pill(width, self.track_height, theme.page3)
        self.label = text.mono(theme, label, size=TYPE.note, color=theme.ink2)
        self.label.next_to(self.track, UP, buff=SPACE.close).align_to(self.track, LEFT)
        self.number = Readout(level, places=places, size=TYPE.label, color=theme.ink)
        self.number.next_to(self.track, UP, buff=SPACE.close).align_to(self.track, RIGHT)
        self.bar = self.get_bar(level)
        self.level = level
        self.show_number = show_number
        shown = [self.label, self.number] if show_number else [self.label]
        super().__init__(*shown, self.track, self.bar, **kwargs)

    def get_bar(self, level: float) -> RoundedRectangle:
        """The filled part of the track for ``level``."""
        width = max(min(level, 1.0), 0.0) * self.track.width
        bar = get_pill(width, self.track.height, self.colour)
        return bar.align_to(self.track, LEFT).match_y(self.track)

    def enter(self) -> AnimationGroup:
        """The meter appears as it stands: label, number, track and bar fade in together."""
        return AnimationGroup(FadeIn(VGroup(*self.submobjects)))

    def shrink_to(self, level: float) -> list[Animation]:
        """Animations taking the number to ``level``, the bar following it frame by frame (no number: the bar alone)."""
        start, self.level = self.level, level
        if not self.show_number:
            return [UpdateFromAlphaFunc(self.bar, lambda bar, alpha: bar.become(
                self.get_bar(start + (level - start) * smooth(alpha))))]
        return [self.number.count_to(level), UpdateFromFunc(self.bar, self.follow_number)]

    def follow_number(self, bar: RoundedRectangle) -> None:
        """Redraw ``bar`` for the value the number holds now."""
        bar.become(self.get_bar(self.number.value))

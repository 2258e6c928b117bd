"""A meter for the size of a mistake: a label, a counting read-out and a bar on a track."""

from typing import Any

from manim import (
    LEFT,
    RIGHT,
    UP,
    Animation,
    AnimationGroup,
    FadeIn,
    GrowFromEdge,
    ManimColor,
    RoundedRectangle,
    Transform,
    VGroup,
)

from scenes.parts import text
from scenes.parts.components import get_pill
from scenes.parts.readout import Readout
from scenes.theme import SPACE, TYPE, Theme


class MistakeMeter(VGroup):
    """Label and number above a track; a bar in ``colour`` fills ``level`` (0..1) of the track.

    Built with its left edge at x = 0 and its track's centre at y = 0; place it like any mobject.
    ``shrink_to(level)`` animates bar and number to a new level; the number counts.
    """

    track_height = 0.24

    def __init__(self, theme: Theme, label: str, level: float, width: float, colour: ManimColor | str, places: int = 2,
                 **kwargs: Any) -> None:
        self.colour = ManimColor(colour)
        self.track = get_pill(width, self.track_height, theme.page3)
        self.label = text.mono(theme, label, size=TYPE.note, color=theme.ink2)
        self.label.next_to(self.track, UP, buff=SPACE.close).align_to(self.track, LEFT)
        self.number = Readout(level, places=places, size=TYPE.label, color=theme.ink)
        self.number.next_to(self.track, UP, buff=SPACE.close).align_to(self.track, RIGHT)
        self.bar = self.get_bar(level)
        self.level = level
        super().__init__(self.label, self.number, self.track, self.bar, **kwargs)

    def get_bar(self, level: float) -> RoundedRectangle:
        """The filled part of the track for ``level``."""
        width = max(min(level, 1.0), 0.0) * self.track.width
        bar = get_pill(width, self.track.height, self.colour)
        return bar.align_to(self.track, LEFT).match_y(self.track)

    def enter(self) -> AnimationGroup:
        """The meter appears: label, number and track fade in, the bar grows from the left."""
        return AnimationGroup(FadeIn(VGroup(self.label, self.number, self.track)), GrowFromEdge(self.bar, LEFT))

    def shrink_to(self, level: float) -> list[Animation]:
        """Animations taking the bar and the number to ``level``."""
        self.level = level
        return [Transform(self.bar, self.get_bar(level)), self.number.count_to(level)]

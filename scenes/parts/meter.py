"""A meter for the size of a mistake: a label, a counting read-out and a bar on a track."""

from manim import LEFT, RIGHT, UP, AnimationGroup, GrowFromEdge, FadeIn, ManimColor, Transform, VGroup

from scenes import theme
from scenes.parts import text
from scenes.parts.components import get_pill
from scenes.parts.readout import Readout


class MistakeMeter(VGroup):
    """Label and number above a track; a bar in ``colour`` fills ``level`` (0..1) of the track.

    Built with its left edge at x = 0 and its track's centre at y = 0; place it like any mobject.
    ``shrink_to(level)`` animates bar and number to a new level; the number counts.
    """

    track_height = 0.24

    def __init__(self, label, level, width, colour, places=2, **kwargs):
        self.colour = ManimColor(colour)
        self.track = get_pill(width, self.track_height, theme.PAPER3)
        self.label = text.mono(label, size=theme.SMALL_SIZE + 2, color=theme.INK2)
        self.label.next_to(self.track, UP, buff=0.16).align_to(self.track, LEFT)
        self.number = Readout(level, places=places, size=theme.LABEL_SIZE, color=theme.INK)
        self.number.next_to(self.track, UP, buff=0.16).align_to(self.track, RIGHT)
        self.bar = self.get_bar(level)
        self.level = level
        super().__init__(self.label, self.number, self.track, self.bar, **kwargs)

    def get_bar(self, level):
        """The filled part of the track for ``level``."""
        width = max(min(level, 1.0), 0.0) * self.track.width
        bar = get_pill(width, self.track.height, self.colour)
        return bar.align_to(self.track, LEFT).match_y(self.track)

    def enter(self):
        """The meter appears: label, number and track fade in, the bar grows from the left."""
        return AnimationGroup(FadeIn(VGroup(self.label, self.number, self.track)), GrowFromEdge(self.bar, LEFT))

    def shrink_to(self, level):
        """Animations taking the bar and the number to ``level``."""
        self.level = level
        return [Transform(self.bar, self.get_bar(level)), self.number.count_to(level)]

"""A learning loop on a card: a learner's icon and heading over its steps, with room for a meter.

``LearningCard`` puts a LearningLoop (scenes.parts.learning_loop) on a card under an icon and a
heading. The baby-versus-AI segment shows two cards side by side (``align_cards`` puts step k of
each at one height); the training loop recalls the AI's card and turns its loop into the
five-step cycle.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from manim import (
    DOWN,
    LEFT,
    RIGHT,
    UP,
    FadeIn,
    GrowFromCenter,
    Intersection,
    LaggedStart,
    ManimColor,
    Mobject,
    Rectangle,
    RoundedRectangle,
    VGroup,
)

from scenes.parts import text
from scenes.parts.icons import get_baby_icon, get_robot_icon
from scenes.parts.learning_loop import AI_HEADING, AI_STEPS, BABY_HEADING, BABY_STEPS, LearningLoop, Step
from scenes.theme import SPACE, TYPE, Theme


class LearningCard(VGroup):
    """A card: frame with an accent strip along its top, an icon and a heading, a LearningLoop.

    ``width`` × ``height`` with its top centre at ``top_centre``. The steps sit between the
    header and ``steps_bottom`` (a height above the card's foot, where a meter may go); call
    ``align_cards`` to put step k of several cards at one height.
    """

    icon_height = 0.9
    heading_size = TYPE.body_small
    inset = 0.35
    dot_inset = 0.95  # from the card's left edge to the dot column

    def __init__(self, theme: Theme, heading: str, steps: Sequence[Step | tuple[str, str | None]],
                 colour: ManimColor | str, icon: VGroup, width: float, height: float,
                 top_centre: tuple[float, float], tags: Sequence[tuple[Mobject, int] | None] | None = None,
                 **kwargs: Any) -> None:
        self.colour = ManimColor(colour)
        x, top = top_centre[0], top_centre[1]
        self.frame = RoundedRectangle(width=width, height=height, corner_radius=0.2, fill_color=theme.page2,
                                      fill_opacity=1, stroke_color=theme.page3, stroke_width=2)
        self.frame.move_to([x, top - height / 2, 0])
        strip = Rectangle(width=width, height=0.07).align_to(self.frame, UP).match_x(self.frame)
        self.strip = Intersection(self.frame, strip, fill_color=self.colour, fill_opacity=1, stroke_width=0)
        self.left, self.right = self.frame.get_left()[0], self.frame.get_right()[0]
        self.icon = icon.scale_to_fit_height(self.icon_height)
        self.icon.move_to([self.left + self.inset + self.icon.width / 2, top - 0.3 - self.icon_height / 2, 0])
        room = self.right - self.inset - (self.icon.get_right()[0] + 0.3)
        self.heading = text.wrapped(heading, room, lambda s: text.heading(theme, s, size=self.heading_size))
        self.heading.next_to(self.icon, RIGHT, buff=SPACE.wide).align_to(self.icon, UP).shift(0.06 * DOWN)
        text_width = width - self.dot_inset - LearningLoop.text_gap - self.inset
        self.loop = LearningLoop(theme, steps, colour, text_width, tags=tags)
        self.loop.shift((self.left + self.dot_inset) * RIGHT)
        self.header_bottom = min(self.icon.get_bottom()[1], self.heading.get_bottom()[1])
        super().__init__(self.frame, self.strip, self.icon, self.heading, self.loop, **kwargs)

    @classmethod
    def baby(cls, theme: Theme, colour: ManimColor | str, heading: str = BABY_HEADING,
             steps: Sequence[Step | tuple[str, str | None]] = BABY_STEPS, **kwargs: Any) -> LearningCard:
        """The baby's card (the storyboard's steps unless ``steps``)."""
        return cls(theme, heading, steps, colour, get_baby_icon(theme, colour), **kwargs)

    @classmethod
    def ai(cls, theme: Theme, colour: ManimColor | str, heading: str = AI_HEADING,
           steps: Sequence[Step | tuple[str, str | None]] = AI_STEPS, **kwargs: Any) -> LearningCard:
        """The AI model's card (the storyboard's steps unless ``steps``)."""
        return cls(theme, heading, steps, colour, get_robot_icon(theme, colour), **kwargs)

    def enter(self) -> LaggedStart:
        """The empty card rises in, then its icon pops and its heading slides in."""
        return LaggedStart(FadeIn(VGroup(self.frame, self.strip), shift=0.2 * UP), GrowFromCenter(self.icon),
                           FadeIn(self.heading, shift=0.15 * RIGHT), FadeIn(self.loop.ghosts), lag_ratio=0.3)

    def place_subline(self, mobject: Mobject) -> Mobject:
        """Put ``mobject`` under the heading, left-aligned with it (e.g. what the loop runs on)."""
        return mobject.next_to(self.heading, DOWN, buff=SPACE.tight, aligned_edge=LEFT)

    def band_right(self) -> float:
        """Where the step highlight ends: just inside the card's right edge."""
        return float(self.right) - 0.15


def align_cards(cards: Sequence[LearningCard], top: float, bottom: float, max_gap: float = 0.7,
                min_gap: float = SPACE.base) -> list[float]:
    """Put step k of every card at one height: rows spread from ``top`` down towards ``bottom``.

    Each pair takes the room of its tallest row; the gaps between pairs share what is left
    (between ``min_gap`` and ``max_gap``). Returns the heights of the dots.
    """
    loops = [card.loop for card in cards]
    count = len(loops[0].rows)
    above = [max(loop.rows[k].above for loop in loops) for k in range(count)]
    below = [max(loop.rows[k].below for loop in loops) for k in range(count)]
    spare = (top - bottom) - sum(above) - sum(below)
    gap = min(max_gap, max(min_gap, spare / max(count - 1, 1)))
    used = sum(above) + sum(below) + gap * (count - 1)
    y = top - max(0.0, (top - bottom - used) / 2)  # centre the column in its room
    ys = []
    for k in range(count):
        y -= above[k]
        ys.append(y)
        y -= below[k] + gap
    for loop in loops:
        loop.place(ys)
    return ys

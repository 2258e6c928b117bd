"""A learning loop: a learner's steps in a column, closed into a loop that goes round.

``LearningLoop`` is the column of steps (a dot, the step's words, an optional gloss that says
what a word means), the arrows between them and the arrow from the last back to the first; a
ring runs round it. ``Step`` is a step as a config sets it; the storyboard's steps are here.
``scenes.parts.learning_card`` puts a loop on a card.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Annotated, Any

import numpy as np
from annotated_types import MaxLen
from manim import (
    DOWN,
    ITALIC,
    LEFT,
    RIGHT,
    UP,
    Animation,
    ArcBetweenPoints,
    Arrow,
    Circle,
    Create,
    Dot,
    FadeIn,
    GrowFromCenter,
    LaggedStart,
    Line,
    ManimColor,
    Mobject,
    MoveAlongPath,
    RoundedRectangle,
    Transform,
    VGroup,
    smooth,
)

from scenes.fields import StrictModel, Text
from scenes.parts import text
from scenes.parts.components import baseline
from scenes.theme import SPACE, TYPE, Theme

# The storyboard's steps, (words, gloss or None): what each learner does, in order.
BABY_STEPS = (
    ("Touches something hot", None),
    ("Feels pain: a mistake signal", "pain says: that was wrong"),
    ("Brain connections adjust", "links between nerve cells"),
    ("Next time, it keeps away", None),
)
AI_STEPS = (
    ("Sees a training example", None),
    ("Guesses; loss is measured", "loss: how wrong the guess was"),
    ("Its weights shift a little", "weights: numbers it can tune"),
    ("Next time, it guesses better", None),
)
AI_HEADING = "How an AI model learns"
BABY_HEADING = "How a baby learns"


class Step(StrictModel):
    """One step of a learner's loop as a config sets it: its words, and optionally a gloss saying
    what a word in it means (shown under it, smaller)."""

    words: Annotated[Text, MaxLen(40)]
    gloss: Annotated[Text, MaxLen(40)] | None = None


def step_list(steps: Sequence[tuple[str, str | None]]) -> list[Step]:
    """``steps`` ((words, gloss) pairs) as a list of Step, for a params default."""
    return [Step(words=words, gloss=gloss) for words, gloss in steps]


def as_pairs(steps: Sequence[Step | tuple[str, str | None]]) -> list[tuple[str, str | None]]:
    """Steps (Step models or (words, gloss) pairs) as (words, gloss) pairs."""
    return [(step.words, step.gloss) if isinstance(step, Step) else (step[0], step[1]) for step in steps]


def arc_angle(chord: float, sagitta: float) -> float:
    """The angle of a circular arc whose chord is ``chord`` long and bulges ``sagitta`` from it.

    >>> round(arc_angle(2.0, 1.0), 6) == round(math.pi, 6)
    True
    """
    return 4 * math.atan(2 * sagitta / chord)


class LearningLoop(VGroup):
    """A learner's steps in a column: ``rows`` (each ``.dot``, ``.label``, ``.gloss``), ``links``
    between them and ``return_arrow`` from the last back to the first.

    Rows are built with their dots at x = 0; ``place(ys)`` puts row k's dot at height ys[k] and
    draws the arrows. ``runner`` (a ring) and ``band`` (a highlight) go round with ``advance``.
    """

    dot_radius = 0.08
    text_gap = 0.3  # from a dot to its words
    bulge = 0.45  # how far the return arrow bows out to the left of the dots

    def __init__(self, theme: Theme, steps: Sequence[Step | tuple[str, str | None]], colour: ManimColor | str,
                 text_width: float, size: float | None = None, gloss_size: float | None = None,
                 tags: Sequence[tuple[Mobject, int] | None] | None = None, **kwargs: Any) -> None:
        self.theme = theme
        self.colour = ManimColor(colour)
        self.size = TYPE.label if size is None else size
        self.gloss_size = TYPE.note if gloss_size is None else gloss_size
        self.text_width = text_width
        pairs = as_pairs(steps)
        tags = list(tags) if tags is not None else [None] * len(pairs)
        self.rows = VGroup(*(self.get_row(words, gloss, tag) for (words, gloss), tag in zip(pairs, tags, strict=False)))
        self.ghosts = VGroup()  # faint dots marking where the steps will be
        self.links = VGroup()
        self.return_arrow = VGroup()
        self.runner: Circle | None = None
        self.band: RoundedRectangle | None = None
        self.at = 0
        super().__init__(self.ghosts, self.rows, self.links, self.return_arrow, **kwargs)

    @property
    def dots(self) -> list[Dot]:
        return [row.dot for row in self.rows]

    def get_row(self, words: str, gloss: str | None, tag: tuple[Mobject, int] | None = None) -> VGroup:
        theme = self.theme
        """One step: a dot at the origin, its words to the right (wrapped), the gloss under them.

        ``tag``, a (symbol, index of a glyph on its baseline) pair, sits at the right end of the
        first line, e.g. the formula's symbol for the step.
        """
        dot = Dot([0, 0, 0], radius=self.dot_radius, color=self.colour)
        room = self.text_width - (tag[0].width + 0.25 if tag else 0)
        label = text.wrapped(words, room, lambda s: text.body(theme, s, size=self.size, color=theme.ink))
        label.next_to(dot, RIGHT, buff=self.text_gap)
        label.shift(-label.lines[0].get_center()[1] * UP)  # the dot lines up with the first line
        parts = [dot, label]
        symbol = None
        if tag:
            symbol, glyph = tag
            symbol.move_to([self.text_gap + self.text_width, 0, 0], aligned_edge=RIGHT)
            symbol.shift((baseline(label.lines[0]) - symbol.family_members_with_points()[glyph].get_bottom()[1]) * UP)
            parts.append(symbol)
        note = None
        if gloss:
            note = text.wrapped(gloss, self.text_width, lambda s: text.body(theme, s, size=self.gloss_size,
                                                                            color=theme.ink2, slant=ITALIC))
            note.next_to(label, DOWN, buff=SPACE.xs, aligned_edge=LEFT)
            parts.append(note)
        row = VGroup(*parts)
        row.dot, row.label, row.gloss, row.symbol = dot, label, note, symbol
        row.above = label.lines[0].get_top()[1]  # from the dot's height up to the row's top
        row.below = -row.get_bottom()[1]  # from the dot's height down to the row's bottom
        return row

    def place(self, ys: Sequence[float]) -> LearningLoop:
        """Put row k's dot at height ``ys[k]`` (x unchanged), then draw the arrows between the rows."""
        for row, y in zip(self.rows, ys, strict=False):
            row.shift((y - row.dot.get_center()[1]) * UP)
        self.remove(self.ghosts, self.links, self.return_arrow)
        self.ghosts = VGroup(*(dot.copy().set_color(self.theme.ink3).set_opacity(0.35) for dot in self.dots))
        self.add_to_back(self.ghosts)
        self.links = VGroup(*(self.get_link(a, b) for a, b in zip(self.rows, self.rows[1:], strict=False)))
        self.return_arrow = self.get_return()
        self.add(self.links, self.return_arrow)
        return self

    def get_link(self, upper: VGroup, lower: VGroup) -> Arrow:
        """A short arrow down the dot column from one step to the next, clear of both rows' dots."""
        start = upper.dot.get_center() + 0.16 * DOWN
        end = lower.dot.get_center() + 0.16 * UP
        return Arrow(start, end, buff=0, stroke_width=2.5, color=self.theme.ink3, tip_length=0.13,
                     max_tip_length_to_length_ratio=0.4, max_stroke_width_to_length_ratio=10)

    def get_return(self) -> ArcBetweenPoints:
        """The arrow from the last step back round to the first, bowing out to the left."""
        start = self.dots[-1].get_center() + 0.2 * LEFT
        end = self.dots[0].get_center() + 0.2 * LEFT
        arrow = ArcBetweenPoints(start, end, angle=-arc_angle(float(np.linalg.norm(end - start)), self.bulge),
                                 color=self.colour, stroke_width=3)
        arrow.add_tip(tip_length=0.16, tip_width=0.16)
        arrow.get_tip().set_fill(self.colour, 1).set_stroke(width=0)
        return arrow

    def return_path(self) -> ArcBetweenPoints:
        """The runner's way back from the last dot to the first, just inside the return arrow."""
        a, b = self.dots[-1].get_center(), self.dots[0].get_center()
        return ArcBetweenPoints(a, b, angle=-arc_angle(float(np.linalg.norm(b - a)), self.bulge + 0.2))

    # Animations.
    def reveal(self, k: int) -> LaggedStart:
        """Step ``k`` arrives: its dot pops in, its words (then its gloss) slide in beside it."""
        row = self.rows[k]
        parts = [GrowFromCenter(row.dot), FadeIn(row.label, shift=0.2 * RIGHT)]
        parts += [FadeIn(part, shift=0.2 * RIGHT) for part in (row.symbol, row.gloss) if part is not None]
        return LaggedStart(*parts, lag_ratio=0.3)

    def close(self) -> LaggedStart:
        """The arrows step by step down the column, then the return arrow closes the loop."""
        return LaggedStart(*(Create(link) for link in self.links), Create(self.return_arrow), lag_ratio=0.6)

    def get_band(self, k: int, right: float) -> RoundedRectangle:
        """A highlight round step ``k``, from just left of its dot to ``right``.

        An outline with the faintest wash: drawn over the step, it leaves the words crisp, and the
        words under it need not be redrawn while it moves (manim redraws what lies above a mover).
        """
        row = self.rows[k]
        left = row.dot.get_center()[0] - 0.3
        top, bottom = row.get_top()[1] + 0.12, row.get_bottom()[1] - 0.12
        band = RoundedRectangle(width=right - left, height=top - bottom, corner_radius=0.12, fill_color=self.colour,
                                fill_opacity=0.06, stroke_color=self.colour, stroke_width=2.5)
        band.right = right
        return band.move_to([(left + right) / 2, (top + bottom) / 2, 0])

    def start_runner(self, right: float) -> list[Animation]:
        """Make the ring and the highlight at step 1 (not yet on screen); returns their entrance."""
        self.at = 0
        self.band = self.get_band(0, right)
        self.runner = Circle(radius=0.17, color=self.colour, stroke_width=3.5).move_to(self.dots[0])
        return [FadeIn(self.band), GrowFromCenter(self.runner)]

    def advance(self) -> list[Animation]:
        """Move the ring and the highlight on to the next step (the last goes back to the first)."""
        nxt = (self.at + 1) % len(self.rows)
        path = self.return_path() if nxt == 0 else Line(self.dots[self.at].get_center(), self.dots[nxt].get_center())
        self.at = nxt
        assert self.band is not None and self.runner is not None, "start_runner first"
        return [Transform(self.band, self.get_band(nxt, self.band.right), rate_func=smooth),
                MoveAlongPath(self.runner, path, rate_func=smooth)]

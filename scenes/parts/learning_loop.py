"""A learning loop drawn as a card: a learner's steps in a column, closed into a loop that goes round.

``LearningLoop`` is the column of steps (a dot, the step's words, an optional gloss that says
what a word means), the arrows between them and the arrow from the last back to the first; a
ring runs round it. ``LearningCard`` puts a loop on a card under an icon and a heading, with
room at its foot for a meter. The baby-versus-AI segment shows two cards; the training loop
recalls the AI's card and turns its loop into the five-step cycle (scenes.training_cycle).
"""

import math

import numpy as np
from manim import (
    DOWN,
    ITALIC,
    LEFT,
    RIGHT,
    UP,
    ArcBetweenPoints,
    Arrow,
    Circle,
    Create,
    Dot,
    FadeIn,
    GrowFromCenter,
    Intersection,
    LaggedStart,
    Line,
    ManimColor,
    MoveAlongPath,
    Rectangle,
    RoundedRectangle,
    Transform,
    VGroup,
    smooth,
)

from scenes import theme
from scenes.parts import text
from scenes.parts.components import baseline
from scenes.fields import StrictModel
from scenes.parts.text import short_text
from scenes.parts.icons import get_baby_icon, get_robot_icon

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

    words: short_text(40)
    gloss: short_text(40) | None = None


def step_list(steps):
    """``steps`` ((words, gloss) pairs) as a list of Step, for a params default."""
    return [Step(words=words, gloss=gloss) for words, gloss in steps]


def as_pairs(steps):
    """Steps (Step models or (words, gloss) pairs) as (words, gloss) pairs."""
    return [(step.words, step.gloss) if isinstance(step, Step) else tuple(step) for step in steps]


def arc_angle(chord, sagitta):
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

    def __init__(self, steps, colour, text_width, size=None, gloss_size=None, tags=None, **kwargs):
        self.colour = ManimColor(colour)
        self.size = theme.LABEL_SIZE if size is None else size
        self.gloss_size = theme.SMALL_SIZE + 2 if gloss_size is None else gloss_size
        self.text_width = text_width
        pairs = as_pairs(steps)
        tags = list(tags) if tags is not None else [None] * len(pairs)
        self.rows = VGroup(*(self.get_row(words, gloss, tag) for (words, gloss), tag in zip(pairs, tags)))
        self.ghosts = VGroup()  # faint dots marking where the steps will be
        self.links = VGroup()
        self.return_arrow = VGroup()
        self.runner = self.band = None
        self.at = 0
        super().__init__(self.ghosts, self.rows, self.links, self.return_arrow, **kwargs)

    @property
    def dots(self):
        return [row.dot for row in self.rows]

    def get_row(self, words, gloss, tag=None):
        """One step: a dot at the origin, its words to the right (wrapped), the gloss under them.

        ``tag``, a (symbol, index of a glyph on its baseline) pair, sits at the right end of the
        first line, e.g. the formula's symbol for the step.
        """
        dot = Dot([0, 0, 0], radius=self.dot_radius, color=self.colour)
        room = self.text_width - (tag[0].width + 0.25 if tag else 0)
        label = text.wrapped(words, room, lambda s: text.body(s, size=self.size, color=theme.INK))
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
            note = text.wrapped(gloss, self.text_width, lambda s: text.body(s, size=self.gloss_size, color=theme.INK2, slant=ITALIC))
            note.next_to(label, DOWN, buff=0.12, aligned_edge=LEFT)
            parts.append(note)
        row = VGroup(*parts)
        row.dot, row.label, row.gloss, row.symbol = dot, label, note, symbol
        row.above = label.lines[0].get_top()[1]  # from the dot's height up to the row's top
        row.below = -row.get_bottom()[1]  # from the dot's height down to the row's bottom
        return row

    def place(self, ys):
        """Put row k's dot at height ``ys[k]`` (x unchanged), then draw the arrows between the rows."""
        for row, y in zip(self.rows, ys):
            row.shift((y - row.dot.get_center()[1]) * UP)
        self.remove(self.ghosts, self.links, self.return_arrow)
        self.ghosts = VGroup(*(dot.copy().set_color(theme.INK3).set_opacity(0.35) for dot in self.dots))
        self.add_to_back(self.ghosts)
        self.links = VGroup(*(self.get_link(a, b) for a, b in zip(self.rows, self.rows[1:])))
        self.return_arrow = self.get_return()
        self.add(self.links, self.return_arrow)
        return self

    def get_link(self, upper, lower):
        """A short arrow down the dot column from one step to the next, clear of both rows' dots."""
        start = upper.dot.get_center() + 0.16 * DOWN
        end = lower.dot.get_center() + 0.16 * UP
        return Arrow(start, end, buff=0, stroke_width=2.5, color=theme.INK3, tip_length=0.13,
                     max_tip_length_to_length_ratio=0.4, max_stroke_width_to_length_ratio=10)

    def get_return(self):
        """The arrow from the last step back round to the first, bowing out to the left."""
        start = self.dots[-1].get_center() + 0.2 * LEFT
        end = self.dots[0].get_center() + 0.2 * LEFT
        arrow = ArcBetweenPoints(start, end, angle=-arc_angle(np.linalg.norm(end - start), self.bulge),
                                 color=self.colour, stroke_width=3)
        arrow.add_tip(tip_length=0.16, tip_width=0.16)
        arrow.get_tip().set_fill(self.colour, 1).set_stroke(width=0)
        return arrow

    def return_path(self):
        """The runner's way back from the last dot to the first, just inside the return arrow."""
        a, b = self.dots[-1].get_center(), self.dots[0].get_center()
        return ArcBetweenPoints(a, b, angle=-arc_angle(np.linalg.norm(b - a), self.bulge + 0.2))

    # Animations.
    def reveal(self, k):
        """Step ``k`` arrives: its dot pops in, its words (then its gloss) slide in beside it."""
        row = self.rows[k]
        parts = [GrowFromCenter(row.dot), FadeIn(row.label, shift=0.2 * RIGHT)]
        parts += [FadeIn(part, shift=0.2 * RIGHT) for part in (row.symbol, row.gloss) if part is not None]
        return LaggedStart(*parts, lag_ratio=0.3)

    def close(self):
        """The arrows step by step down the column, then the return arrow closes the loop."""
        return LaggedStart(*(Create(link) for link in self.links), Create(self.return_arrow), lag_ratio=0.6)

    def get_band(self, k, right):
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

    def start_runner(self, right):
        """Make the ring and the highlight at step 1 (not yet on screen); returns their entrance."""
        self.at = 0
        self.band = self.get_band(0, right)
        self.runner = Circle(radius=0.17, color=self.colour, stroke_width=3.5).move_to(self.dots[0])
        return [FadeIn(self.band), GrowFromCenter(self.runner)]

    def advance(self):
        """Move the ring and the highlight on to the next step (the last goes back to the first)."""
        nxt = (self.at + 1) % len(self.rows)
        if nxt == 0:
            path = self.return_path()
        else:
            path = Line(self.dots[self.at].get_center(), self.dots[nxt].get_center())
        self.at = nxt
        return [Transform(self.band, self.get_band(nxt, self.band.right), rate_func=smooth),
                MoveAlongPath(self.runner, path, rate_func=smooth)]


class LearningCard(VGroup):
    """A card: frame with an accent strip along its top, an icon and a heading, a LearningLoop.

    ``width`` × ``height`` with its top centre at ``top_centre``. The steps sit between the
    header and ``steps_bottom`` (a height above the card's foot, where a meter may go); call
    ``align_cards`` to put step k of several cards at one height.
    """

    icon_height = 0.9
    heading_size = 28
    inset = 0.35
    dot_inset = 0.95  # from the card's left edge to the dot column

    def __init__(self, heading, steps, colour, icon, width, height, top_centre, tags=None, **kwargs):
        self.colour = ManimColor(colour)
        x, top = top_centre[0], top_centre[1]
        self.frame = RoundedRectangle(width=width, height=height, corner_radius=0.2, fill_color=theme.PAPER2,
                                      fill_opacity=1, stroke_color=theme.PAPER3, stroke_width=2)
        self.frame.move_to([x, top - height / 2, 0])
        strip = Rectangle(width=width, height=0.07).align_to(self.frame, UP).match_x(self.frame)
        self.strip = Intersection(self.frame, strip, fill_color=self.colour, fill_opacity=1, stroke_width=0)
        self.left, self.right = self.frame.get_left()[0], self.frame.get_right()[0]
        self.icon = icon.scale_to_fit_height(self.icon_height)
        self.icon.move_to([self.left + self.inset + self.icon.width / 2, top - 0.3 - self.icon_height / 2, 0])
        room = self.right - self.inset - (self.icon.get_right()[0] + 0.3)
        self.heading = text.wrapped(heading, room, lambda s: text.heading(s, size=self.heading_size))
        self.heading.next_to(self.icon, RIGHT, buff=0.3).align_to(self.icon, UP).shift(0.06 * DOWN)
        text_width = width - self.dot_inset - LearningLoop.text_gap - self.inset
        self.loop = LearningLoop(steps, colour, text_width, tags=tags)
        self.loop.shift((self.left + self.dot_inset) * RIGHT)
        self.header_bottom = min(self.icon.get_bottom()[1], self.heading.get_bottom()[1])
        super().__init__(self.frame, self.strip, self.icon, self.heading, self.loop, **kwargs)

    @classmethod
    def baby(cls, colour, heading=BABY_HEADING, steps=BABY_STEPS, **kwargs):
        """The baby's card (the storyboard's steps unless ``steps``)."""
        return cls(heading, steps, colour, get_baby_icon(colour), **kwargs)

    @classmethod
    def ai(cls, colour, heading=AI_HEADING, steps=AI_STEPS, **kwargs):
        """The AI model's card (the storyboard's steps unless ``steps``)."""
        return cls(heading, steps, colour, get_robot_icon(colour), **kwargs)

    def enter(self):
        """The empty card rises in, then its icon pops and its heading slides in."""
        return LaggedStart(FadeIn(VGroup(self.frame, self.strip), shift=0.2 * UP), GrowFromCenter(self.icon),
                           FadeIn(self.heading, shift=0.15 * RIGHT), FadeIn(self.loop.ghosts), lag_ratio=0.3)

    def place_subline(self, mobject):
        """Put ``mobject`` under the heading, left-aligned with it (e.g. what the loop runs on)."""
        return mobject.next_to(self.heading, DOWN, buff=0.14, aligned_edge=LEFT)

    def band_right(self):
        """Where the step highlight ends: just inside the card's right edge."""
        return self.right - 0.15


def align_cards(cards, top, bottom, max_gap=0.7, min_gap=0.2):
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

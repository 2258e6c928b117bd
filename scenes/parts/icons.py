"""Vector icons drawn with manim shapes: a baby, a robot, a neuron of biology and one of maths.

Each ``get_*`` returns a fresh VGroup centred on the origin, ``height`` tall, in the accent
``colour`` and the ``theme``'s page and inks.
"""

import math
from typing import TypeAlias

import numpy as np
from manim import (
    ORIGIN,
    PI,
    RIGHT,
    UP,
    Arc,
    Circle,
    CubicBezier,
    Dot,
    Line,
    ManimColor,
    ParametricFunction,
    RoundedRectangle,
    VGroup,
)

from scenes.theme import Theme

ColourLike: TypeAlias = "ManimColor | str"



def get_baby_icon(theme: Theme, colour: ColourLike, height: float = 0.95) -> VGroup:
    """A baby's face: round head, ears, eyes, rosy cheeks, a smile and a curl of hair."""
    colour = ManimColor(colour)
    r = 0.4
    head = Circle(radius=r, fill_color=theme.page, fill_opacity=1, stroke_color=colour, stroke_width=3)
    ears = VGroup(*(
        Circle(radius=0.09, fill_color=theme.page, fill_opacity=1, stroke_color=colour,
               stroke_width=3).move_to(side * r * RIGHT)
        for side in (-1, 1)
    ))
    eyes = VGroup(*(Dot(point=[side * 0.14, 0.04, 0], radius=0.045, color=theme.ink) for side in (-1, 1)))
    cheeks = VGroup(*(
        Circle(radius=0.065, fill_color=colour, fill_opacity=0.35, stroke_width=0).move_to([side * 0.25, -0.1, 0])
        for side in (-1, 1)
    ))
    smile = Arc(radius=0.15, start_angle=PI + 0.6, angle=PI - 1.2, arc_center=[0, -0.04, 0], color=theme.ink2,
                stroke_width=3)
    curl = get_curl(np.array([0.03, r + 0.1, 0]), 0.15, theme.ink2)
    icon = VGroup(ears, head, cheeks, eyes, smile, curl)
    return icon.scale_to_fit_height(height).move_to(ORIGIN)


def get_curl(centre: np.ndarray, radius: float, colour: ColourLike) -> ParametricFunction:
    """A lock of hair: a spiral rising from the top of the head and winding inwards."""

    def point(t: float) -> np.ndarray:
        r = radius * (1 - 0.7 * t)
        angle = -PI / 2 + 1.8 * PI * t
        return centre + r * np.array([math.cos(angle), math.sin(angle), 0])

    return ParametricFunction(point, t_range=[0, 1], color=colour, stroke_width=3)


def get_robot_icon(theme: Theme, colour: ColourLike, height: float = 0.95) -> VGroup:
    """A robot's head: rounded square, antenna, side bolts, round eyes and a mouth grille."""
    colour = ManimColor(colour)
    head = RoundedRectangle(
        width=0.85, height=0.75, corner_radius=0.14,
        fill_color=theme.page, fill_opacity=1, stroke_color=colour, stroke_width=3,
    )
    stalk = Line(head.get_top(), head.get_top() + 0.2 * UP, color=colour, stroke_width=3)
    bulb = Dot(stalk.get_end() + 0.03 * UP, radius=0.06, color=colour)
    bolts = VGroup(*(
        RoundedRectangle(width=0.08, height=0.26, corner_radius=0.03, fill_color=colour, fill_opacity=1, stroke_width=0)
        .next_to(head, side * RIGHT, buff=0)
        for side in (-1, 1)
    ))
    eyes = VGroup(*(
        Circle(radius=0.09, fill_color=theme.ink2, fill_opacity=1, stroke_width=0).move_to([side * 0.19, 0.1, 0])
        for side in (-1, 1)
    ))
    grille = RoundedRectangle(width=0.44, height=0.15, corner_radius=0.05, stroke_color=theme.ink2, stroke_width=2.5)
    grille.move_to([0, -0.17, 0])
    bars = VGroup(*(
        Line(grille.get_top(), grille.get_bottom(), color=theme.ink2, stroke_width=2).shift(x * RIGHT)
        for x in (-0.11, 0, 0.11)
    ))
    icon = VGroup(stalk, bulb, bolts, head, eyes, grille, bars)
    return icon.scale_to_fit_height(height).move_to(ORIGIN)


def get_bio_neuron(theme: Theme, colour: ColourLike, height: float = 0.7) -> VGroup:
    """A neuron of biology: a cell body with branching dendrites and a long, curving axon (all in ``colour``)."""
    colour = ManimColor(colour)
    body = Circle(radius=0.16, fill_color=colour, fill_opacity=0.35, stroke_color=colour, stroke_width=3)
    branches = VGroup()
    for angle in (2.0, 2.6, 3.3, 3.9):
        start = 0.16 * np.array([math.cos(angle), math.sin(angle), 0])
        end = 0.42 * np.array([math.cos(angle), math.sin(angle), 0])
        branches.add(Line(start, end, color=colour, stroke_width=3))
        for turn in (-0.45, 0.45):
            tip = end + 0.14 * np.array([math.cos(angle + turn), math.sin(angle + turn), 0])
            branches.add(Line(end, tip, color=colour, stroke_width=2.5))
    axon = CubicBezier(np.array([0.16, 0, 0]), np.array([0.45, 0.2, 0]), np.array([0.6, -0.2, 0]), np.array([0.9, 0,
                                                                                                             0]))
    axon.set_stroke(colour, width=3)
    ends = VGroup(*(Line([0.9, 0, 0], [1.02, dy, 0], color=colour, stroke_width=2.5) for dy in (-0.09, 0.09)))
    icon = VGroup(branches, axon, ends, body)
    return icon.scale_to_fit_height(height).move_to(ORIGIN)


def get_math_neuron(theme: Theme, colour: ColourLike, height: float = 0.7) -> VGroup:
    """A neuron of maths: three inputs weighted into one node, one output."""
    colour = ManimColor(colour)
    node = Circle(radius=0.2, fill_color=theme.page, fill_opacity=1, stroke_color=colour, stroke_width=3)
    inputs = VGroup(*(Dot([-0.75, y, 0], radius=0.06, color=theme.ink2) for y in (-0.35, 0, 0.35)))
    wires = VGroup(*(Line(dot.get_center(), node.get_center(), color=colour, stroke_width=2.5) for dot in inputs))
    for wire, width in zip(wires, (2.0, 3.5, 2.5), strict=False):  # different weights, different strengths
        wire.set_stroke(width=width)
    output = Line(node.get_right(), node.get_right() + 0.45 * RIGHT, color=colour, stroke_width=3)
    icon = VGroup(wires, inputs, node, output)
    return icon.scale_to_fit_height(height).move_to(ORIGIN)


def get_loop_arrow(colour: ColourLike, radius: float = 0.75, stroke_width: float = 5) -> Arc:
    """A circular arrow going round (clockwise), open at the top right: "again and again"."""
    arc = Arc(radius=radius, start_angle=70 * PI / 180, angle=-320 * PI / 180, color=ManimColor(colour),
              stroke_width=stroke_width)
    arc.add_tip(tip_length=0.22, tip_width=0.22)
    arc.get_tip().set_fill(ManimColor(colour), 1).set_stroke(width=0)
    return arc

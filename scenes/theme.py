"""The look of the video: the article's palette, its type (with local stand-ins) and sizes."""

import functools
import warnings

import manimpango
from manim import ManimColor, TexTemplate

from riskmath import Level

# Page palette (STORYBOARD.md).
INK = ManimColor("#0f0e0d")
INK2 = ManimColor("#3a3834")
INK3 = ManimColor("#7a776f")
PAPER = ManimColor("#faf8f4")
PAPER2 = ManimColor("#f0ece3")
PAPER3 = ManimColor("#e4dfd3")
RED = ManimColor("#c8401a")
BLUE = ManimColor("#1a6bc8")
GREEN = ManimColor("#1a8c4e")
GOLD = ManimColor("#c89a1a")

# The formula's parts, as they appear on the dark formula panel.
FORMULA_Q = ManimColor("#e8845a")
FORMULA_INV_N = ManimColor("#7ab8e8")
FORMULA_SUM = ManimColor("#e8c85a")
FORMULA_L = ManimColor("#7ae8a8")
FORMULA_EQUALS_OPACITY = 0.35

# A level of Q or L mapped to its colour: learned/good is green.
Q_COLOURS = {Level.GOOD: GREEN, Level.FAIR: RED, Level.POOR: INK}
L_COLOURS = {Level.GOOD: GREEN, Level.FAIR: GOLD, Level.POOR: RED}

# Type: the article's faces and the local font each is set in, best first.
FONT_CHOICES = {
    "body": ("Inter", "DejaVu Sans"),  # article: DM Sans
    "heading": ("GFS Didot", "C059", "DejaVu Serif"),  # article: Playfair Display
    "mono": ("JetBrains Mono", "DejaVu Sans Mono"),  # article: DM Mono
}

# Sizes in manim font points, chosen to stay legible at 854×480.
TITLE_SIZE = 60
HEADING_SIZE = 40
BODY_SIZE = 28
LABEL_SIZE = 22
SMALL_SIZE = 18

# Rhythm (seconds).
HOLD = 1.0


@functools.cache
def font(role):
    """The installed font family for ``role`` ("body", "heading", "mono"); warns on fallback."""
    installed = set(manimpango.list_fonts())
    choices = FONT_CHOICES[role]
    for family in choices:
        if family in installed:
            if family != choices[0]:
                warnings.warn(
                    f"font {choices[0]!r} is not installed; using {family!r} for {role} text "
                    "(run ./scripts/setup to install it)",
                    stacklevel=2,
                )
            return family
    warnings.warn(f"none of {choices} is installed; Pango will pick a {role} font", stacklevel=2)
    return choices[-1]


# MathTex with nothing beyond amsmath, so the minimal TeX Live of scripts/setup suffices.
TEX_TEMPLATE = TexTemplate(
    documentclass=r"\documentclass{article}\pagestyle{empty}",
    preamble="\\usepackage{amsmath}\n\\usepackage{amssymb}",
)

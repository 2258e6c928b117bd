"""The look of the video: the article's palette, its type (with local stand-ins) and sizes."""

import functools
import warnings

import manimpango
from manim import ManimColor, TexTemplate

from riskmath import Level
from scenes import palette

# The colours of the theme in use (scenes.palette holds them; ``use`` switches). Read them as
# ``theme.INK`` when a mobject is built, never copied into module constants or default arguments.
THEME = "paper"
INK = INK2 = INK3 = PAPER = PAPER2 = PAPER3 = PANEL = PANEL_INK = RED = BLUE = GREEN = GOLD = ManimColor("#000000")
Q_COLOURS: dict = {}
L_COLOURS: dict = {}

# The formula's parts, as they appear on the dark formula panel (the same in every theme).
FORMULA_Q = ManimColor(palette.FORMULA["Q"])
FORMULA_INV_N = ManimColor(palette.FORMULA["inv_n"])
FORMULA_SUM = ManimColor(palette.FORMULA["sum"])
FORMULA_L = ManimColor(palette.FORMULA["L"])
FORMULA_EQUALS_OPACITY = palette.FORMULA_EQUALS_OPACITY


def use(name: str) -> None:
    """Make ``name`` (a scenes.palette theme) the theme every mobject built from now on wears."""
    global THEME, INK, INK2, INK3, PAPER, PAPER2, PAPER3, PANEL, PANEL_INK, RED, BLUE, GREEN, GOLD
    colours = {key: ManimColor(value) for key, value in palette.THEMES[name].items()}
    THEME = name
    INK, INK2, INK3 = colours["ink"], colours["ink2"], colours["ink3"]
    PAPER, PAPER2, PAPER3 = colours["page"], colours["page2"], colours["page3"]
    PANEL, PANEL_INK = colours["panel"], colours["panel_ink"]
    RED, BLUE, GREEN, GOLD = colours["red"], colours["blue"], colours["green"], colours["gold"]
    # A level of Q or L mapped to its colour (the storyboard's): learned/good is green.
    Q_COLOURS.update({Level.GOOD: GREEN, Level.FAIR: RED, Level.POOR: INK})
    L_COLOURS.update({Level.GOOD: GREEN, Level.FAIR: GOLD, Level.POOR: RED})


use("paper")

# Type: the article's faces and the local font each is set in, best first.
FONT_CHOICES = {
    "body": ("Inter", "DejaVu Sans"),  # article: DM Sans
    "heading": ("GFS Didot", "C059", "DejaVu Serif"),  # article: Playfair Display
    "mono": ("JetBrains Mono", "DejaVu Sans Mono"),  # article: DM Mono
}

# Sizes in manim font points. Nothing on screen is smaller than MIN_CAP_HEIGHT: 12 px capitals
# at 854×480 (the frame is 8 units tall), which these fonts reach at about 21 points.
TITLE_SIZE = 60
HEADING_SIZE = 44
BODY_SIZE = 30
LABEL_SIZE = 26
SMALL_SIZE = 22
MIN_CAP_HEIGHT = 0.2
MIN_TEX_SIZE = 29  # TeX's capitals are smaller per point: MathTex reaches MIN_CAP_HEIGHT at 29

# Everything stays inside the safe frame: a margin of SAFE_MARGIN inside manim's 14.22 × 8 frame.
SAFE_MARGIN = 0.35
SAFE_X = 7.111 - SAFE_MARGIN  # |x| ≤ SAFE_X
SAFE_Y = 4.0 - SAFE_MARGIN  # |y| ≤ SAFE_Y

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


@functools.cache
def _covered() -> tuple[tuple[int, int], ...]:
    """The code point ranges some installed font can draw (fontconfig's charsets, merged)."""
    import subprocess

    try:
        listing = subprocess.run(["fc-list", "--format=%{charset}\\n"], capture_output=True, text=True, check=True).stdout
    except (OSError, subprocess.CalledProcessError):
        return ()
    ranges = []
    for token in listing.split():
        first, _, last = token.partition("-")
        try:
            ranges.append((int(first, 16), int(last or first, 16)))
        except ValueError:
            continue
    merged: list[list[int]] = []
    for low, high in sorted(ranges):
        if merged and low <= merged[-1][1] + 1:
            merged[-1][1] = max(merged[-1][1], high)
        else:
            merged.append([low, high])
    return tuple((low, high) for low, high in merged)


def undrawable(text: str) -> list[str]:
    """The characters of ``text`` that no installed font can draw (they would show as boxes).

    >>> undrawable("Learn 🚀") if _covered() else []
    []
    """
    import bisect

    ranges = _covered()
    lows = [low for low, _ in ranges]
    missing = []
    for ch in dict.fromkeys(text):
        if ch.isspace() or not ch.isprintable():
            continue
        index = bisect.bisect_right(lows, ord(ch)) - 1
        if index < 0 or ranges[index][1] < ord(ch):
            missing.append(ch)
    return missing


def check_fonts() -> None:
    """Raise OSError (one line) when none of a role's fonts is installed: every text would be boxes."""
    installed = set(manimpango.list_fonts())
    for role, choices in FONT_CHOICES.items():
        if not installed & set(choices):
            raise OSError(f"no {role} font is installed (any of {', '.join(choices)}); run ./scripts/setup")


# MathTex with nothing beyond amsmath, so the minimal TeX Live of scripts/setup suffices.
TEX_TEMPLATE = TexTemplate(
    documentclass=r"\documentclass{article}\pagestyle{empty}",
    preamble="\\usepackage{amsmath}\n\\usepackage{amssymb}",
)

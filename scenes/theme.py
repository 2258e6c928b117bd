"""The look of the video: a Theme (colours by role, in either palette), the type and spacing scales, the fonts.

A scene holds its ``Theme`` (``self.theme``, from ``get_theme(name)``) and hands it to every part
it builds; nothing here changes while a video renders. The type scale (``TYPE`` for Pango text,
``MATH`` for TeX) and the spacing scale (``SPACE``) are the same in every theme: every font size
and every ``buff`` in the scenes is a name from them. Their steps reproduce the sizes the scenes
were tuned with, near-duplicates included (merging 0.14, 0.15 and 0.16 would move pixels).
"""

from __future__ import annotations

import functools
import warnings
from dataclasses import dataclass, field

import manimpango
from manim import ManimColor, TexTemplate

from riskmath import Level, loss_level, risk_level
from scenes import palette


@dataclass(frozen=True)
class TypeScale:
    """Font sizes of Pango text (manim points), by role, largest first.

    Nothing on screen is smaller than MIN_CAP_HEIGHT: these fonts reach it at about 21 points.
    """

    display: float = 120  # the thumbnail's title
    numeral: float = 96  # the big read-out of Q
    title: float = 60  # the video's question
    operator: float = 56  # − and = between the pixel grids
    value: float = 48  # L's value at the end of its fraction
    heading: float = 44  # a page's title
    q_row: float = 44  # Q's read-out in a "Q(a, X) = …" row
    sum_line: float = 44  # the worked pixel's arithmetic
    subheading: float = 40  # the outro's takeaway
    lead: float = 34  # the line under the title's formula
    fraction: float = 34  # the numbers of L's fraction
    readout: float = 32  # a counting read-out beside a label
    body: float = 30  # sentences
    readout_small: float = 30  # the outro's read-outs
    body_small: float = 28  # a part card's meaning, a learning card's heading, the outro's labels
    label: float = 26  # labels, chips, code
    note: float = 24  # notes, glosses, table cells, a meter's label
    small: float = 22  # the smallest: axis numbers, hints


@dataclass(frozen=True)
class MathScale:
    """Font sizes of TeX (manim points), by role. TeX's capitals are smaller per point than Pango's."""

    formula_large: float = 80  # the formula under the title's question
    formula: float = 72  # the formula on its dark panel
    symbol_large: float = 64  # a symbol named under the formula
    equation: float = 52  # the "why square" sums
    q_label: float = 48  # Q(a, X) over the loss bars' big read-out
    symbol: float = 44  # a symbol on the page; a "Q(a, X) =" row
    fraction: float = 42  # L(a, xᵢ) = … in front of its fraction
    row: float = 40  # a named value "w = …", a meter's symbol, the summary table's symbols
    tag: float = 38  # a step's symbol on the training loop's card
    small: float = 36  # a symbol beside a small read-out or an axis
    column: float = 34  # Q over the 1/n demo's column of averages
    caption: float = 32  # Q in a chart's caption
    axis: float = 30  # Q at the top of a chart's axis


@dataclass(frozen=True)
class Spacing:
    """Gaps (frame units, the ``buff`` of next_to and arrange), smallest first. ManimCE's SMALL_BUFF is 0.1."""

    hair: float = 0.08  # a label on a line
    tiny: float = 0.1  # a name over its chip; lines of a wrapped text
    xs: float = 0.12  # a gloss under its step; words in a phrase
    tight: float = 0.14  # tick labels from an axis; a fraction's parts from its bar
    snug: float = 0.15  # a symbol and its "="; a label at an axis's end
    close: float = 0.16  # a meter's label over its track
    small: float = 0.18  # a subtitle under its title; stacked notes
    base: float = 0.2  # "=" and its read-out
    roomy: float = 0.22  # a bar's number after its track
    code: float = 0.24  # lines of code
    medium: float = 0.25  # between columns of a row
    wide: float = 0.3  # between a label and its content
    block: float = 0.4  # the verdict beside its read-out; the thumbnail's title and panel
    section: float = 0.45  # a caption over its legend; notes under a fraction
    page: float = 0.55  # the title's question, panel and promise
    panel: float = 0.8  # inside the dark panel, either side of the formula


TYPE = TypeScale()
MATH = MathScale()
SPACE = Spacing()

# Everything stays inside the safe frame: a margin of SAFE_MARGIN inside manim's 14.22 × 8 frame.
SAFE_MARGIN = 0.35
SAFE_X = 7.111 - SAFE_MARGIN  # |x| ≤ SAFE_X
SAFE_Y = 4.0 - SAFE_MARGIN  # |y| ≤ SAFE_Y
MIN_CAP_HEIGHT = 0.2  # 12 px capitals at 854×480 (the frame is 8 units tall)

# Rhythm (seconds).
HOLD = 1.0

# The formula's parts on the dark panel (the same in every theme): their keys in the order written.
FORMULA_KEYS = ("Q", "inv_n", "sum", "L")
# On the page (off the panel) each part keeps one colour, the page's shade of its hue.
PAGE_ROLES = {"Q": "red", "inv_n": "blue", "sum": "gold", "L": "green"}


@dataclass(frozen=True)
class Theme:
    """The colours of one palette (scenes.palette) by role, and the scales. Built by ``get_theme``."""

    name: str
    page: ManimColor  # the background
    page2: ManimColor  # cards and chips on it
    page3: ManimColor  # tracks, hairlines, outlines on it
    ink: ManimColor  # text and lines, strongest first
    ink2: ManimColor
    ink3: ManimColor
    panel: ManimColor  # the dark formula panel
    panel_ink: ManimColor  # "=" on it
    red: ManimColor
    blue: ManimColor
    green: ManimColor
    gold: ManimColor
    clip_bars: tuple[ManimColor, ...]  # the loss bars of the training clips, in order
    formula: dict[str, ManimColor] = field(default_factory=dict)  # a formula part's colour on the panel
    formula_equals_opacity: float = palette.FORMULA_EQUALS_OPACITY
    type: TypeScale = TYPE
    math: MathScale = MATH
    space: Spacing = SPACE

    def __copy__(self) -> Theme:
        return self  # immutable: a mobject holding its theme shares it with its copies

    def __deepcopy__(self, memo: dict[int, object]) -> Theme:
        return self

    @classmethod
    def from_palette(cls, name: str) -> Theme:
        """The theme of ``scenes.palette.THEMES[name]``."""
        hexes = palette.THEMES[name]
        colours = {key: ManimColor(value) for key, value in hexes.items() if not key.startswith("clip")}
        clips = tuple(ManimColor(hexes[key]) for key in sorted(k for k in hexes if k.startswith("clip")))
        formula = {key: ManimColor(value) for key, value in palette.FORMULA.items()}
        return cls(name=name, clip_bars=clips, formula=formula, **colours)

    def q_colour(self, q: float) -> ManimColor:
        """Q's colour at its level (the storyboard's: ink, then red below 0.25, green below 0.08)."""
        return self.level_colours("Q")[risk_level(q)]

    def l_colour(self, loss: float) -> ManimColor:
        """L's colour at its level (green, gold, red)."""
        return self.level_colours("L")[loss_level(loss)]

    def level_colours(self, of: str) -> dict[Level, ManimColor]:
        """A level of Q (``of="Q"``) or of L (``"L"``) mapped to its colour; learned/good is green."""
        if of == "Q":
            return {Level.GOOD: self.green, Level.FAIR: self.red, Level.POOR: self.ink}
        return {Level.GOOD: self.green, Level.FAIR: self.gold, Level.POOR: self.red}

    def part_colour(self, key: str) -> ManimColor:
        """The page colour of formula part ``key`` ("Q", "inv_n", "sum", "L")."""
        return getattr(self, PAGE_ROLES[key])

    def clip_colour(self, index: int) -> ManimColor:
        """The bar colour of training clip ``index`` (0-based; past the last, they repeat)."""
        return self.clip_bars[index % len(self.clip_bars)]


@functools.cache
def get_theme(name: str = "paper") -> Theme:
    """The Theme called ``name`` (a key of scenes.palette.THEMES); KeyError naming the themes otherwise."""
    if name not in palette.THEMES:
        raise KeyError(f"no theme {name!r} (themes: {', '.join(palette.THEMES)})")
    return Theme.from_palette(name)


PAPER = get_theme("paper")  # the default, for what is built outside a scene (tests, docs)

# Type: the article's faces and the local font each is set in, best first.
FONT_CHOICES = {
    "body": ("Inter", "DejaVu Sans"),  # article: DM Sans
    "heading": ("GFS Didot", "C059", "DejaVu Serif"),  # article: Playfair Display
    "mono": ("JetBrains Mono", "DejaVu Sans Mono"),  # article: DM Mono
}
@functools.cache
def font(role: str) -> str:
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
        listing = subprocess.run(["fc-list", "--format=%{charset}\\n"], capture_output=True, text=True,
                                 check=True).stdout
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

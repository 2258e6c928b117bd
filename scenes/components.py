"""Small building blocks shared by the segment scenes: the formula on its dark panel, pills, fitting.

Each ``get_*`` helper returns a fresh mobject; scenes place and animate it.
"""

from manim import LEFT, ORIGIN, MathTex, RoundedRectangle, VGroup

from riskmath import round_half_away
from scenes import theme

FORMULA_SIZE = 72
# The formula's parts, in the order they are written, with their TeX and colour.
FORMULA_PARTS = {
    "Q": ("Q(a, X)", theme.FORMULA_Q),
    "equals": ("=", theme.PAPER),
    "inv_n": (r"\frac{1}{n}", theme.FORMULA_INV_N),
    "sum": (r"\sum_{i=1}^{n}", theme.FORMULA_SUM),
    "L": ("L(a, x_i)", theme.FORMULA_L),
}
SUBSCRIPT_DIGITS = str.maketrans("0123456789", "₀₁₂₃₄₅₆₇₈₉")


def format_decimal(value, places=2):
    """``value`` as shown on screen: rounded half away from zero, with exactly ``places`` decimals.

    >>> format_decimal(0.1), format_decimal(0.125), format_decimal(0.0984, 3)
    ('0.10', '0.13', '0.098')
    """
    return f"{round_half_away(value, places):.{places}f}"


def subscript(index):
    """``index`` in Unicode subscript digits, for labels like x₁ set in plain text.

    >>> subscript(12)
    '₁₂'
    """
    return str(index).translate(SUBSCRIPT_DIGITS)


def get_formula(font_size=FORMULA_SIZE):
    """Q(a, X) = 1/n Σ L(a, xᵢ) as one MathTex split into FORMULA_PARTS, each in its colour.

    ``formula_part(formula, key)`` picks a part out by its FORMULA_PARTS key.
    """
    formula = MathTex(
        *(tex for tex, _ in FORMULA_PARTS.values()),
        font_size=font_size,
        tex_template=theme.TEX_TEMPLATE,
    )
    for part, (_, colour) in zip(formula, FORMULA_PARTS.values()):
        part.set_color(colour)
    formula_part(formula, "equals").set_opacity(theme.FORMULA_EQUALS_OPACITY)
    return formula


def formula_part(formula, key):
    """The submobject of ``formula`` (from get_formula) for a FORMULA_PARTS key."""
    return formula[list(FORMULA_PARTS).index(key)]


def get_dark_panel(mobject, h_buff=0.8, v_buff=0.55, corner_radius=0.3):
    """An INK rounded rectangle that fits around ``mobject`` with the given margins."""
    panel = RoundedRectangle(
        width=mobject.width + 2 * h_buff,
        height=mobject.height + 2 * v_buff,
        corner_radius=corner_radius,
        fill_color=theme.INK,
        fill_opacity=1,
        stroke_width=0,
    )
    return panel.move_to(mobject)


def get_formula_panel(font_size=FORMULA_SIZE):
    """The coloured formula on its dark panel: ``VGroup(panel, formula)``.

    The group also carries ``.panel`` and ``.formula`` for scenes that lift parts out.
    """
    formula = get_formula(font_size)
    panel = get_dark_panel(formula)
    group = VGroup(panel, formula)
    group.panel, group.formula = panel, formula
    return group


def get_pill(width, height, colour, opacity=1.0):
    """A filled bar with round ends, its left edge at the origin; narrower than tall stays valid."""
    width = max(width, 1e-3)
    pill = RoundedRectangle(
        width=width,
        height=height,
        corner_radius=min(height, width) / 2,
        fill_color=colour,
        fill_opacity=opacity,
        stroke_width=0,
    )
    return pill.move_to(ORIGIN, aligned_edge=LEFT)


def fit_width(mobject, max_width):
    """Shrink ``mobject`` (never grow it) so it is at most ``max_width`` wide; returns it."""
    if mobject.width > max_width:
        mobject.scale_to_fit_width(max_width)
    return mobject

"""Small building blocks shared by the segment scenes: the formula on its dark panel, pills, fitting.

Each ``get_*`` helper returns a fresh mobject; scenes place and animate it.
"""

from manim import (LEFT, ORIGIN, UP, FadeIn, FadeOut, MathTex, RoundedRectangle, UpdateFromAlphaFunc, VGroup, smooth,
                   squish_rate_func)

from pydantic import Field

from riskmath import make_dataset, round_half_away
from scenes import theme
from scenes.fields import SceneParams

FORMULA_SIZE = 72
# The formula's parts, in the order they are written, with their TeX and colour on the dark panel
# ("=" wears the panel's ink, read from the theme when the formula is built).
FORMULA_PARTS = {
    "Q": ("Q(a, X)", theme.FORMULA_Q),
    "equals": ("=", theme.PANEL_INK),
    "inv_n": (r"\frac{1}{n}", theme.FORMULA_INV_N),
    "sum": (r"\sum_{i=1}^{n}", theme.FORMULA_SUM),
    "L": ("L(a, x_i)", theme.FORMULA_L),
}
# Where each named symbol is drawn in the formula: (part, glyph index) in the part's TeX above,
# in the order TeX draws them (Q(a, X): Q ( a , X ); \frac{1}{n}: 1, bar, n; \sum_{i=1}^{n}: n, Σ,
# i, =, 1; L(a, x_i): L ( a , x i )).
FORMULA_SYMBOLS = {
    "a": (("Q", 2), ("L", 2)),
    "X": (("Q", 4),),
    "n": (("inv_n", 2), ("sum", 0)),
    "i": (("sum", 2), ("L", 5)),
    "x_i": (("L", 4), ("L", 5)),
}
SUBSCRIPT_DIGITS = str.maketrans("0123456789", "₀₁₂₃₄₅₆₇₈₉")
DESCENDERS = set("gjpqyQ")


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

    ``formula_part(formula, key)`` picks a part out by its FORMULA_PARTS key, and
    ``formula_glyphs(formula, symbol)`` the glyphs of a named symbol (a, X, n, i, x_i).
    """
    formula = MathTex(
        *(tex for tex, _ in FORMULA_PARTS.values()),
        font_size=font_size,
        tex_template=theme.TEX_TEMPLATE,
    )
    for part, (_, colour) in zip(formula, FORMULA_PARTS.values()):
        part.set_color(colour)
    formula_part(formula, "equals").set_color(theme.PANEL_INK).set_opacity(theme.FORMULA_EQUALS_OPACITY)
    return drop_svg_paths(formula)


def formula_part(formula, key):
    """The submobject of ``formula`` (from get_formula) for a FORMULA_PARTS key."""
    return formula[list(FORMULA_PARTS).index(key)]


def formula_glyphs(formula, symbol):
    """The glyphs of ``formula`` (from get_formula) that draw ``symbol`` (a FORMULA_SYMBOLS key), as a VGroup.

    A symbol written twice (a, n, i) gives every place it is written; x_i gives its x and its i.
    """
    return VGroup(*(formula_part(formula, key)[index] for key, index in FORMULA_SYMBOLS[symbol]))


# On the page (off the dark panel) each part of the formula keeps one colour, the page's shade of
# its hue; anything that stands for that part wears it too. Looked up when used (themes switch).
PAGE_COLOURS = {"Q": "RED", "inv_n": "BLUE", "sum": "GOLD", "L": "GREEN"}


def part_colour(key):
    """The page colour of the formula part ``key`` ("Q", "inv_n", "sum", "L") in the current theme."""
    return getattr(theme, PAGE_COLOURS[key])


def get_symbol(tex, key, font_size=44):
    """A formula symbol set on the page in its part's colour, e.g. ``get_symbol("L(a, x_i)", "L")``."""
    return MathTex(tex, font_size=font_size, color=part_colour(key), tex_template=theme.TEX_TEMPLATE)


def get_q_symbol(font_size=44):
    """Q(a, X) as it is set everywhere on the page: one look for Q in every scene."""
    return get_symbol("Q(a, X)", "Q", font_size)


def get_dark_panel(mobject, h_buff=0.8, v_buff=0.55, corner_radius=0.3):
    """The theme's dark panel (PANEL) as a rounded rectangle that fits around ``mobject`` with the given margins."""
    panel = RoundedRectangle(
        width=mobject.width + 2 * h_buff,
        height=mobject.height + 2 * v_buff,
        corner_radius=corner_radius,
        fill_color=theme.PANEL,
        fill_opacity=1,
        stroke_width=0,
    )
    return panel.move_to(mobject)


class FormulaPanel(VGroup):
    """The coloured formula on its dark panel: ``VGroup(panel, formula)``, with ``.panel`` and ``.formula``.

    ``part(key)`` and ``glyphs(symbol)`` pick pieces of the formula out. ``spotlight``, ``lit`` and
    ``lift`` change the panel at once and return it, so they animate through ``.animate`` or a
    target: ``self.play(panel.animate.spotlight(symbols=["a"]))``.
    """

    def __init__(self, font_size=FORMULA_SIZE, **kwargs):
        self.formula = get_formula(font_size)
        self.panel = get_dark_panel(self.formula)
        super().__init__(self.panel, self.formula, **kwargs)
        self.own_opacity = [glyph.get_fill_opacity() for glyph in self.formula.family_members_with_points()]

    def part(self, key):
        """The part of the formula for a FORMULA_PARTS key."""
        return formula_part(self.formula, key)

    def glyphs(self, *symbols):
        """The glyphs drawing ``symbols`` (FORMULA_SYMBOLS keys), as one VGroup."""
        return VGroup(*(glyph for symbol in symbols for glyph in formula_glyphs(self.formula, symbol)))

    def spotlight(self, symbols=(), parts=(), dim=0.3):
        """Dim every glyph to ``dim`` of its own opacity but those of ``symbols`` and ``parts`` (FORMULA_PARTS keys)."""
        kept = [*self.glyphs(*symbols), *(self.part(key) for key in parts)]
        kept = {glyph for mob in kept for glyph in mob.family_members_with_points()}
        for glyph, own in zip(self.formula.family_members_with_points(), self.own_opacity):
            glyph.set_fill(opacity=own if glyph in kept else own * dim)
        return self

    def lit(self):
        """Every glyph back at its own opacity."""
        return self.spotlight(parts=FORMULA_PARTS)

    def lift(self, key, centre, size, colour, dim=0.3, max_scale=2.0):
        """Part ``key`` lifted out of the panel to ``centre``, fitted to ``size`` (w, h), in ``colour``; the rest dim.

        Call ``save_state()`` first; ``Restore`` puts the part back.
        """
        self.spotlight(parts=[key], dim=dim)
        lifted = self.part(key)
        lifted.scale(min(size[0] / lifted.width, size[1] / lifted.height, max_scale))
        lifted.move_to(centre).set_color(colour)
        return self


def get_formula_panel(font_size=FORMULA_SIZE):
    """The coloured formula on its dark panel: a FormulaPanel, ``VGroup(panel, formula)``.

    The group also carries ``.panel`` and ``.formula`` for scenes that lift parts out.
    """
    return FormulaPanel(font_size)


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


def fit_within(mobject, max_width, max_height):
    """Shrink ``mobject`` (never grow it) to fit a ``max_width`` × ``max_height`` box; returns it.

    Pango wraps a long Text onto several lines (how soon depends on the render's pixel width),
    so text from the config needs its height bounded as well as its width.
    """
    fit_width(mobject, max_width)
    if mobject.height > max_height:
        mobject.scale_to_fit_height(max_height)
    return mobject


def baseline(text):
    """The y of ``text``'s baseline: the highest bottom among its glyphs that sit on the line.

    ``text`` is a manim Text, whose submobjects are its non-space characters in order. Falls back
    to the bottom of the text when no such glyph exists (e.g. "gy" or "/").
    """
    chars = [c for c in text.text if not c.isspace()]
    bottoms = [
        glyph.get_bottom()[1]
        for c, glyph in zip(chars, text.submobjects)
        if c.isascii() and c.isalnum() and c not in DESCENDERS
    ]
    return max(bottoms) if bottoms and len(chars) == len(text.submobjects) else text.get_bottom()[1]


def align_baseline(text, reference):
    """Shift ``text`` vertically so its baseline sits on ``reference``'s (a Text or a y); returns it."""
    target = reference if isinstance(reference, (int, float)) else baseline(reference)
    return text.shift((target - baseline(text)) * UP)


def drop_svg_paths(mobject):
    """Forget the parsed SVG paths that Text and MathTex glyphs keep once their points are built.

    Manim only reads them while building the glyph, but every copy (each Transform or Fade makes
    some) deep-copies them: dropping them makes copying a short Text about 10× cheaper. Returns
    ``mobject``.
    """
    for glyph in mobject.get_family():
        if hasattr(glyph, "path_obj"):
            glyph.path_obj = None
    return mobject


def tick(old, new, distance=0.2):
    """Animations that swap ``old`` for ``new`` like a counter ticking: old rises out, then new in.

    The halves never overlap on screen, so two numbers are never read at once.
    """
    return [
        FadeOut(old, shift=distance * UP, rate_func=squish_rate_func(smooth, 0, 0.5)),
        FadeIn(new, shift=distance * UP, rate_func=squish_rate_func(smooth, 0.5, 1)),
    ]


def fade_become(mobject, new, out_by=0.5, in_from=0.5):
    """An animation after which ``mobject`` looks like ``new`` (keeping its identity): it fades out as
    it is by ``out_by``, then fades in as ``new`` from ``in_from``, so the two are never seen at once."""
    old = mobject.copy()

    def swap(mob, alpha):
        if alpha < in_from:
            mob.become(old).set_opacity(max(0.0, 1 - smooth(min(alpha / out_by, 1))))
        else:
            mob.become(new).set_opacity(smooth((alpha - in_from) / (1 - in_from)))

    return UpdateFromAlphaFunc(mobject, swap)


class DatasetParams(SceneParams):
    """The small dataset the training loop and the outro share (riskmath.make_dataset)."""

    points: int = Field(8, ge=2, le=20)
    slope: float = Field(2.0, ge=-5, le=5)
    intercept: float = Field(0.5, ge=-5, le=5)
    noise: float = Field(0.15, ge=0, le=1)
    data_seed: int | None = Field(None, ge=0, le=2**32 - 1)  # None: the video's seed

    def dataset(self, seed):
        """(xs, ys) drawn with ``data_seed``, or with the video's ``seed`` when it is None."""
        data_seed = seed if self.data_seed is None else self.data_seed
        return make_dataset(self.points, self.slope, self.intercept, self.noise, data_seed)

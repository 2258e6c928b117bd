"""The formula, Q(a, X) = 1/n Σ L(a, xᵢ), on its dark panel, and its symbols set on the page.

``FormulaPanel`` is the coloured formula on the theme's dark panel; ``part`` and ``glyphs`` pick
pieces of it out, and ``spotlight``, ``lit`` and ``lift`` change it for ``.animate``. On the page
(off the panel) a formula symbol wears its part's page colour (``Theme.part_colour``):
``get_symbol``, and ``get_q_symbol`` for Q.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from manim import ManimColor, MathTex, RoundedRectangle, VGroup
from manim.mobject.mobject import Mobject

from scenes.parts import text
from scenes.parts.components import drop_svg_paths
from scenes.theme import MATH, SPACE, TEX_TEMPLATE, Theme

# The formula's parts, in the order they are written, with their TeX.
FORMULA_PARTS = {"Q": "Q(a, X)", "equals": "=", "inv_n": r"\frac{1}{n}", "sum": r"\sum_{i=1}^{n}", "L": "L(a, x_i)"}
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


def get_formula(theme: Theme, font_size: float = MATH.formula) -> MathTex:
    """Q(a, X) = 1/n Σ L(a, xᵢ) as one MathTex split into FORMULA_PARTS, each in its colour on the panel.

    ``formula_part(formula, key)`` picks a part out by its FORMULA_PARTS key, and
    ``formula_glyphs(formula, symbol)`` the glyphs of a named symbol (a, X, n, i, x_i).
    """
    formula = text.set_once(("formula", font_size), lambda: drop_svg_paths(
        MathTex(*FORMULA_PARTS.values(), font_size=font_size, tex_template=TEX_TEMPLATE)))
    for part, key in zip(formula, FORMULA_PARTS, strict=True):
        part.set_color(theme.formula.get(key, theme.panel_ink))
    formula_part(formula, "equals").set_color(theme.panel_ink).set_opacity(theme.formula_equals_opacity)
    return formula


def formula_part(formula: MathTex, key: str) -> Mobject:
    """The submobject of ``formula`` (from get_formula) for a FORMULA_PARTS key."""
    return formula[list(FORMULA_PARTS).index(key)]


def formula_glyphs(formula: MathTex, symbol: str) -> VGroup:
    """The glyphs of ``formula`` (from get_formula) that draw ``symbol`` (a FORMULA_SYMBOLS key), as a VGroup.

    A symbol written twice (a, n, i) gives every place it is written; x_i gives its x and its i.
    """
    return VGroup(*(formula_part(formula, key)[index] for key, index in FORMULA_SYMBOLS[symbol]))


def get_symbol(theme: Theme, tex: str, key: str, font_size: float = MATH.symbol) -> MathTex:
    """A formula symbol set on the page in its part's colour, e.g. ``get_symbol(theme, "L(a, x_i)", "L")``."""
    return text.math(theme, tex, font_size, theme.part_colour(key))


def get_q_symbol(theme: Theme, font_size: float = MATH.symbol) -> MathTex:
    """Q(a, X) as it is set everywhere on the page: one look for Q in every scene."""
    return get_symbol(theme, "Q(a, X)", "Q", font_size)


def get_dark_panel(theme: Theme, mobject: Mobject, h_buff: float = SPACE.panel, v_buff: float = SPACE.page,
                   corner_radius: float = 0.3) -> RoundedRectangle:
    """The theme's dark panel as a rounded rectangle that fits around ``mobject`` with the given margins."""
    panel = RoundedRectangle(
        width=mobject.width + 2 * h_buff,
        height=mobject.height + 2 * v_buff,
        corner_radius=corner_radius,
        fill_color=theme.panel,
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

    def __init__(self, theme: Theme, font_size: float = MATH.formula, **kwargs: Any):
        self.formula = get_formula(theme, font_size)
        self.panel = get_dark_panel(theme, self.formula)
        super().__init__(self.panel, self.formula, **kwargs)
        self.own_opacity = [glyph.get_fill_opacity() for glyph in self.formula.family_members_with_points()]

    def part(self, key: str) -> Mobject:
        """The part of the formula for a FORMULA_PARTS key."""
        return formula_part(self.formula, key)

    def glyphs(self, *symbols: str) -> VGroup:
        """The glyphs drawing ``symbols`` (FORMULA_SYMBOLS keys), as one VGroup."""
        return VGroup(*(glyph for symbol in symbols for glyph in formula_glyphs(self.formula, symbol)))

    def spotlight(self, symbols: Iterable[str] = (), parts: Iterable[str] = (), dim: float = 0.3) -> FormulaPanel:
        """Dim every glyph to ``dim`` of its own opacity but those of ``symbols`` and ``parts`` (FORMULA_PARTS keys)."""
        kept = [*self.glyphs(*symbols), *(self.part(key) for key in parts)]
        kept_glyphs = {glyph for mob in kept for glyph in mob.family_members_with_points()}
        for glyph, own in zip(self.formula.family_members_with_points(), self.own_opacity, strict=True):
            glyph.set_fill(opacity=own if glyph in kept_glyphs else own * dim)
        return self

    def lit(self) -> FormulaPanel:
        """Every glyph back at its own opacity."""
        return self.spotlight(parts=FORMULA_PARTS)

    def lift(self, key: str, centre: Iterable[float], size: tuple[float, float], colour: ManimColor, dim: float = 0.3,
             max_scale: float = 2.0) -> FormulaPanel:
        """Part ``key`` lifted out of the panel to ``centre``, fitted to ``size`` (w, h), in ``colour``; the rest dim.

        Call ``save_state()`` first; ``Restore`` puts the part back.
        """
        self.spotlight(parts=[key], dim=dim)
        lifted = self.part(key)
        lifted.scale(min(size[0] / lifted.width, size[1] / lifted.height, max_scale))
        lifted.move_to(centre).set_color(colour)
        return self

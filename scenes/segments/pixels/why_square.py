"""The last beats of the pixels segment, "why square the errors?": two panels side by side.

``cancel_panel``: two misses either side of a pixel cancel when added, not when squared.
``cost_panel``: squares whose sides are a small and a big error, so their areas are the costs.
Their figures come from riskmath (cancelling_pair, error_costs).
"""

from manim import DOWN, Square, VGroup

from riskmath.pixels import Cancelling, Costs
from scenes.parts import text
from scenes.segments.pixels.params import PixelsParams, format_ratio
from scenes.segments.pixels.pixel_grid import heat_fill
from scenes.segments.pixels.pixel_parts import pixel_note
from scenes.theme import MATH, SPACE, TYPE, Theme


def cancel_panel(theme: Theme, p: PixelsParams, pair: Cancelling) -> VGroup:
    """The left half of "why square": (+e) + (−e) = 0, but (+e)² + (−e)² = 2e²."""
    x = -3.4
    a, b = pair.signed
    heading = text.body(theme, p.cancel_heading, TYPE.body, theme.ink).move_to([x, 2.2, 0])
    total = text.math(theme, f"({a:+d}) + ({b:+d}) = {pair.signed_sum}", MATH.equation).move_to([x, 1.0, 0])
    note = pixel_note(theme, p.cancel_note, total)
    squares = text.math(theme, f"({a:+d})^2 + ({b:+d})^2 = {pair.squares_sum:,}".replace(",", "{,}"), MATH.equation)
    squares.move_to([x, -1.1, 0])
    squared_note = pixel_note(theme, p.cancel_squared_note, squares)
    panel = VGroup(heading, total, note, squares, squared_note)
    panel.heading, panel.sum, panel.note = heading, total, note
    panel.squares, panel.squared_note = squares, squared_note
    return panel


def cost_panel(theme: Theme, p: PixelsParams, costs: Costs) -> VGroup:
    """The right half: squares whose sides are the errors, so their areas are what the errors cost."""
    x, base = 3.4, -1.9
    heading = text.body(theme, p.cost_heading, TYPE.body, theme.ink).move_to([x, 2.2, 0])
    unit = 3.0 / max(costs.big, costs.small)

    def block(error: float, centre_x: float) -> Square:
        side = max(error * unit, 0.06)
        return Square(side, fill_color=heat_fill(error), fill_opacity=1, stroke_width=0).move_to(
            [centre_x, base + side / 2, 0])

    small, big = block(costs.small, x - 1.9), block(costs.big, x + 0.8)
    labels = [text.math(theme, f"{e}^2 = {s:,}".replace(",", "{,}"), MATH.symbol).next_to(sq, DOWN, buff=SPACE.medium)
              for e, s, sq in ((costs.small, costs.small_square, small), (costs.big, costs.big_square, big))]
    labels[0].match_y(labels[1])
    words = p.ratio_template.format(error=format_ratio(costs.error_ratio), cost=format_ratio(costs.cost_ratio))
    ratio = text.body(theme, words, TYPE.label).move_to([x, -3.3, 0])
    panel = VGroup(heading, small, big, *labels, ratio)
    panel.heading, panel.small, panel.big, panel.ratio = heading, small, big, ratio
    panel.small_label, panel.big_label = labels
    return panel

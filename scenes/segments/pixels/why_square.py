"""The last beats of the pixels segment, "why square the errors?": two panels side by side.

``cancel_panel``: the image's own errors added with their signs partly cancel; their squares cannot.
``cost_panel``: squares whose sides are a small and a big error, so their areas are the costs.
Their figures come from riskmath (the grid's comparison, error_costs).
"""

from manim import DOWN, RIGHT, Square, VGroup

from riskmath.pixels import Costs
from scenes.parts import text
from scenes.parts.readout import Readout
from scenes.segments.pixels.params import PixelsParams, format_ratio
from scenes.segments.pixels.pixel_grid import heat_fill
from scenes.segments.pixels.pixel_parts import pixel_note
from scenes.theme import MATH, SPACE, TYPE, Theme

HEADING_Y = 2.75  # both panels' headings, under the page title


def cancel_panel(theme: Theme, p: PixelsParams, grid_bottom: float, x: float = -3.4) -> VGroup:
    """The left half of "why square": under the error grid, its errors added by size, with their signs,
    and squared. ``.sizes``, ``.signed`` and ``.squares`` are read-outs that a Tally fills in; ``.rows``
    holds each row with its note (if any) as ``VGroup(row, note)``."""
    heading = text.body(theme, p.cancel_heading, TYPE.body, theme.ink).move_to([x, HEADING_Y, 0])
    entries = ((p.sizes_sum_label, None), (p.signed_sum_label, p.cancel_note),
               (p.squares_sum_label, p.cancel_squared_note))
    labels = [text.body(theme, words, TYPE.label, theme.ink) for words, _ in entries]
    readouts = [Readout(0, places=0, thousands=True, size=TYPE.readout, width=7, color=theme.ink) for _ in entries]
    column = max(label.width for label in labels)
    rows = []
    for label, readout, (_, note_words) in zip(labels, readouts, entries, strict=True):
        label.move_to([column, 0, 0], aligned_edge=RIGHT)
        readout.next_to(label, RIGHT, buff=SPACE.base).align_to(label, DOWN)
        row = VGroup(label, readout)
        rows.append(VGroup(row, pixel_note(theme, note_words, row)) if note_words else VGroup(row))
    for above, row in zip(rows, rows[1:], strict=False):  # stacked, the numbers keep one column
        row.shift([0, above.get_bottom()[1] - SPACE.small - row.get_top()[1], 0])
    block = VGroup(*rows)
    block.shift([x - block[0][0].get_center()[0], grid_bottom - SPACE.wide - block.get_top()[1], 0])
    panel = VGroup(heading, block)
    panel.heading, panel.rows = heading, rows
    panel.sizes, panel.signed, panel.squares = readouts
    return panel


def cost_panel(theme: Theme, p: PixelsParams, costs: Costs) -> VGroup:
    """The right half: squares whose sides are the errors, so their areas are what the errors cost."""
    x, base = 3.4, -1.9
    heading = text.body(theme, p.cost_heading, TYPE.body, theme.ink).move_to([x, HEADING_Y, 0])
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

"""The video's colours, as plain hex strings (no manim needed): one source for every output.

The scenes (through scenes.theme), the thumbnail, the contact and review sheets, the deck and
the HTML page all read their colours here. Two themes: ``paper``, the article's ink on cream,
and ``chalkboard``, chalk on a dark green board, each colour by its role (``clip1`` … ``clip5``: the
training clips' loss bars, lighter on the board). The formula's four colours are the same in both.
"""

from __future__ import annotations

# The formula on its dark panel (the article's colours), in every theme.
FORMULA = {"Q": "#e8845a", "inv_n": "#7ab8e8", "sum": "#e8c85a", "L": "#7ae8a8"}
FORMULA_EQUALS_OPACITY = 0.35  # "=" is the panel's ink at 35 %

THEMES: dict[str, dict[str, str]] = {
    "paper": {
        # the page
        "page": "#faf8f4", "page2": "#f0ece3", "page3": "#e4dfd3",
        "ink": "#0f0e0d", "ink2": "#3a3834", "ink3": "#7a776f",
        # the dark formula panel
        "panel": "#0f0e0d", "panel_ink": "#faf8f4",
        # the article's accents
        "red": "#c8401a", "blue": "#1a6bc8", "green": "#1a8c4e", "gold": "#c89a1a",
        # the training clips' loss bars (the article's), in order
        "clip1": "#c8401a", "clip2": "#c87a1a", "clip3": "#c8a01a", "clip4": "#1a6bc8", "clip5": "#1a8c4e",
    },
    "chalkboard": {
        "page": "#1e2b25", "page2": "#26372f", "page3": "#3a5145",
        "ink": "#f3f0e6", "ink2": "#dcd7c8", "ink3": "#b2bcae",
        "panel": "#111a16", "panel_ink": "#f3f0e6",
        "red": "#f0875c", "blue": "#82bdea", "green": "#7fdca6", "gold": "#ebc95e",
        # the same hues in chalk: each bar stands out from the board and from its track (page3)
        "clip1": "#f0875c", "clip2": "#f2a65a", "clip3": "#ebd25e", "clip4": "#82bdea", "clip5": "#7fdca6",
    },
}


def colours(theme: str) -> dict[str, str]:
    """Every colour of ``theme`` by name, the formula's included.

    >>> colours("paper")["red"], colours("chalkboard")["page"], colours("chalkboard")["Q"]
    ('#c8401a', '#1e2b25', '#e8845a')
    """
    return {**THEMES[theme], **FORMULA}

"""The video's thumbnail: its title, big, over the formula on its dark panel.

A thumbnail is mostly seen about 320 px wide, so the title fills the top of the frame in the
heading face and its last word takes the accent red; the formula keeps its four colours.
``riskvid.publish.youtube`` draws it at 1280×720. It is a scene but not a segment: it lives
outside ``scenes.segments``, so ``scenes.registry.scene_classes`` never lists it
(``scenes.registry.thumbnail_scene`` finds it).
"""

import itertools
import math
import textwrap

from manim import DOWN, ORIGIN, UP, VGroup

from scenes.base import SegmentScene
from scenes.fields import SceneParams, Text
from scenes.parts import text
from scenes.parts.components import baseline, fit_within
from scenes.parts.formula_panel import FormulaPanel
from scenes.theme import HOLD, SPACE, TYPE

TITLE_WIDTH = 13.0  # frame units: the frame is 14.2 wide at 16:9
TITLE_HEIGHT = 3.4  # two lines at TITLE_POINTS, or three smaller ones
TITLE_POINTS = TYPE.display
LEADING = 1.45  # baseline to baseline, in cap heights
PANEL_WIDTH = 13.0
PANEL_HEIGHT = 3.3
GAP = SPACE.block


def balanced_lines(text: str, max_lines: int = 3, one_line_chars: int = 16, line_chars: int = 28) -> list[str]:
    """``text`` broken at spaces into lines of even length: one if short, else about ``line_chars`` each.

    >>> balanced_lines("How does an AI actually learn?")
    ['How does an AI', 'actually learn?']
    >>> balanced_lines("Learning")
    ['Learning']
    """
    words = text.split()
    if len(text) <= one_line_chars or len(words) == 1:
        return [" ".join(words)]
    lines = max(2, min(max_lines, len(words), math.ceil(len(text) / line_chars)))
    width = math.ceil(len(text) / lines)
    while len(wrapped := textwrap.wrap(text, width, break_long_words=False)) > lines:
        width += 1
    return wrapped


class ThumbnailParams(SceneParams):
    """The thumbnail's title; riskvid.publish.youtube sets it from the config's title."""

    title: Text = "How does an AI actually learn?"


class ThumbnailScene(SegmentScene):
    """One still: the title over the formula panel, on paper."""

    scene_name = "thumbnail"
    Params = ThumbnailParams
    params: ThumbnailParams
    beats = ("compose",)

    def compose(self) -> None:
        """Set the title and the formula panel, centred one above the other, and hold."""
        title = self.get_title()
        panel = fit_within(FormulaPanel(self.theme), PANEL_WIDTH, PANEL_HEIGHT)
        VGroup(title, panel).arrange(DOWN, buff=GAP).move_to(ORIGIN)
        self.add(title, panel)
        self.wait(HOLD)

    def get_title(self) -> VGroup:
        """The title in centred, balanced lines of the heading face, its last word in red, fitted."""
        lines = [text.heading(self.theme, line, size=TITLE_POINTS) for line in balanced_lines(self.params.title)]
        leading = LEADING * text.heading(self.theme, "H", size=TITLE_POINTS).height
        for above, line in itertools.pairwise(lines):
            line.next_to(above, DOWN).set_x(0)
            line.shift((baseline(above) - leading - baseline(line)) * UP)
        last, word = lines[-1], self.params.title.split()[-1]
        if len(last.submobjects) == len(last.text.replace(" ", "")):  # one glyph per character
            last[-len(word) :].set_color(self.theme.red)
        return fit_within(VGroup(*lines), TITLE_WIDTH, TITLE_HEIGHT)

"""A page's title: it enters at the top of the page and leaves before the next one arrives."""

from __future__ import annotations

from typing import Any

from manim import DOWN, LEFT, UP, Animation, FadeIn, FadeOut, Succession, VGroup

from scenes.parts import text
from scenes.parts.components import fit_within
from scenes.theme import SAFE_X, SAFE_Y, SPACE, TYPE, Theme


class PageTitle(VGroup):
    """A heading (and an optional line under it) at the top left of the safe frame."""

    def __init__(self, theme: Theme, words: str, subtitle: str | None = None, size: float = TYPE.heading,
                 max_width: float = 2 * SAFE_X, **kwargs: Any) -> None:
        heading = text.heading(theme, words, size=size, disable_ligatures=True)
        parts = [fit_within(heading, max_width, 0.8)]
        if subtitle:
            line = text.body(theme, subtitle, size=TYPE.label)
            parts.append(fit_within(line, max_width, 0.45))
        super().__init__(*parts, **kwargs)
        self.arrange(DOWN, aligned_edge=LEFT, buff=SPACE.small)
        self.move_to([-SAFE_X, SAFE_Y, 0], aligned_edge=LEFT + UP)

    def enter(self, run_time: float = 0.8, **kwargs: Any) -> Animation:
        """The title settles into its place from just below it (never above the safe frame)."""
        return FadeIn(self, shift=0.12 * UP, run_time=run_time, **kwargs)

    def leave(self, run_time: float = 0.5, **kwargs: Any) -> Animation:
        """The title fades where it stands."""
        return FadeOut(self, run_time=run_time, **kwargs)

    def give_way_to(self, successor: PageTitle, run_time: float = 1.2) -> Animation:
        """This title leaves, then ``successor`` enters: never two titles at once."""
        return Succession(self.leave(run_time * 0.4), successor.enter(run_time * 0.6))

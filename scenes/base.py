"""The base of every segment scene: typed params, beats as sections, narration as captions."""

from typing import ClassVar

from manim import Scene, Text

from scenes import theme
from scenes.components import drop_svg_paths
from scenes.fields import SceneParams


class SegmentScene(Scene):
    """One segment of the video.

    A subclass sets ``scene_name`` (its name in video.yaml), ``Params`` (a SceneParams model
    whose defaults reproduce the storyboard) and ``beats``: the names of its beat methods,
    in order. ``construct()`` plays each beat as its own section and captions it with the
    narration lines given for it.
    """

    scene_name: ClassVar[str] = ""
    Params: ClassVar[type[SceneParams]] = SceneParams
    beats: ClassVar[tuple[str, ...]] = ()

    def __init__(self, params=None, narration=None, seed=0, capture_stills=False, **kwargs):
        self.params = params if params is not None else self.Params()
        self.narration = dict(narration or {})
        self.seed = seed
        # With capture_stills, ``stills`` collects (beat, RGBA frame) at the end of every beat.
        self.stills = [] if capture_stills else None
        # (beat, start, end) in seconds of the segment, filled in as the beats play.
        self.beat_times = []
        super().__init__(**kwargs)

    def setup(self):
        self.camera.background_color = theme.PAPER

    def construct(self):
        for beat in self.beats:
            self.next_section(beat)
            start = self.renderer.time
            getattr(self, beat)()
            self.beat_times.append((beat, start, self.renderer.time))
            self.caption(self.narration.get(beat, ()), start)
            if self.stills is not None:
                self.renderer.update_frame(self)
                self.stills.append((beat, self.renderer.get_frame().copy()))

    def caption(self, lines, start):
        """Spread ``lines`` over the time since ``start``, in proportion to their length."""
        elapsed = self.renderer.time - start
        total = sum(len(line) for line in lines)
        offset = -elapsed
        for line in lines:
            share = elapsed * len(line) / total
            self.add_subcaption(line, duration=share, offset=offset)
            offset += share

    # Small text helpers in the theme's type, used by every scene. Their glyphs drop the parsed
    # SVG paths, which every copy (each Fade or Transform) would otherwise deep-copy.
    def body(self, text, size=theme.BODY_SIZE, color=theme.INK2, **kwargs):
        return drop_svg_paths(Text(text, font=theme.font("body"), font_size=size, color=color, **kwargs))

    def heading(self, text, size=theme.HEADING_SIZE, color=theme.INK, **kwargs):
        text = Text(text, font=theme.font("heading"), font_size=size, color=color, weight="BOLD", **kwargs)
        return drop_svg_paths(text)

    def mono(self, text, size=theme.LABEL_SIZE, color=theme.INK2, **kwargs):
        return drop_svg_paths(Text(text, font=theme.font("mono"), font_size=size, color=color, **kwargs))

"""The title segment: the question as given, the formula in its storyboard colours, in frame, renders."""

from pathlib import Path

import numpy as np
import pytest
from manim import VMobject, tempconfig

from scenes import theme
from scenes.components import FORMULA_PARTS, formula_part, get_formula_panel
from scenes.title import TitleParams, TitleScene
from tests.conftest import tiny_settings

FRAME_X, FRAME_Y = 6.8, 3.8
QUICK = {"pixel_width": 256, "pixel_height": 144, "write_to_movie": False}  # beats jump to their end


class Probe(TitleScene):
    """The scene, noting after each beat the box around everything on screen."""

    def construct(self):
        self.boxes = {}
        for beat in self.beats:
            getattr(self, beat)()
            drawn = [m for mob in self.mobjects for m in mob.family_members_with_points() if isinstance(m, VMobject)]
            points = np.vstack([m.points for m in drawn]) if drawn else None
            self.boxes[beat] = None if points is None else (points.min(axis=0), points.max(axis=0))


@pytest.fixture(scope="module")
def media(tmp_path_factory):
    return tmp_path_factory.mktemp("title_media")


def run(media, params=None):
    with tempconfig(tiny_settings(media, **QUICK)):
        scene = Probe(params=params, skip_animations=True)
        scene.render()
    return scene


def test_formula_parts_wear_the_storyboard_colours(media):
    expected = {"Q": "#e8845a", "inv_n": "#7ab8e8", "sum": "#e8c85a", "L": "#7ae8a8", "equals": "#faf8f4"}
    with tempconfig(tiny_settings(media, **QUICK)):
        group = get_formula_panel()
    formula = group.formula
    assert [part.tex_string for part in formula] == [tex for tex, _ in FORMULA_PARTS.values()]
    for key, colour in expected.items():
        assert formula_part(formula, key).get_color().to_hex().lower() == colour, key
    for key in FORMULA_PARTS:
        opacity = theme.FORMULA_EQUALS_OPACITY if key == "equals" else 1
        glyphs = formula_part(formula, key).family_members_with_points()
        assert glyphs and all(g.get_fill_opacity() == pytest.approx(opacity) for g in glyphs), key
    assert group.panel.get_fill_color() == theme.INK
    assert group.panel.width > formula.width and group.panel.height > formula.height


def test_question_is_shown_as_written_then_cleared(media):
    scene = run(media, TitleParams(question="Can a machine learn from its mistakes?"))
    assert scene.question.original_text == "Can a machine learn from its mistakes?"
    assert scene.boxes["glimpse_formula"] is not None
    assert scene.boxes["clear_page"] is None  # a blank page for the next segment


@pytest.mark.parametrize("question", ["How does an AI actually learn?", "Why " * 40 + "?"])
def test_everything_stays_in_frame(media, question):
    scene = run(media, TitleParams(question=question))
    for beat, box in scene.boxes.items():
        if box is None:
            continue
        low, high = box
        assert -FRAME_X <= low[0] and high[0] <= FRAME_X, f"{beat}: out of frame sideways"
        assert -FRAME_Y <= low[1] and high[1] <= FRAME_Y, f"{beat}: out of frame vertically"


def test_low_quality_render_writes_a_movie(tmp_path):
    with tempconfig(tiny_settings(tmp_path, **QUICK) | {"write_to_movie": True}):
        scene = TitleScene()
        scene.render()
        movie = Path(scene.renderer.file_writer.movie_file_path)
        duration = scene.renderer.time
    assert movie.is_file() and movie.stat().st_size > 0
    assert 8 <= duration <= 12

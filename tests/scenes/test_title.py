"""The title segment: the question as given, the formula in its storyboard colours, held to the end for the next
segment;
and the thumbnail drawn from the same parts, in either theme."""

from pathlib import Path

import numpy as np
import pytest
from manim import tempconfig

from scenes.base import Previous
from scenes.parts.formula_panel import FORMULA_PARTS, FormulaPanel, formula_glyphs, formula_part
from scenes.segments.title import TitleParams, TitleScene
from scenes.theme import SAFE_X, SAFE_Y, get_theme
from scenes.thumbnail import ThumbnailScene
from tests.helpers import tiny_settings
from tests.scenes.helpers import (
    SIZE,
    TitledEnding,
    final,
    on_screen,
    opening_left_over,
    probe,
    same_picture,
    visible_bounds,
)

FORMULA_COLOURS = {"Q": "#e8845a", "inv_n": "#7ab8e8", "sum": "#e8c85a", "L": "#7ae8a8"}


Probe = probe(TitleScene, lambda scene: visible_bounds(scene.mobjects))  # the box of everything after each beat


@pytest.fixture(scope="module")
def media(tmp_path_factory):
    return tmp_path_factory.mktemp("title_media")


@pytest.mark.parametrize("theme_name", ["paper", "chalkboard"])
def test_formula_parts_wear_the_storyboard_colours_on_the_themes_dark_panel(media, theme_name):
    with tempconfig(tiny_settings(media, **SIZE)):
        theme = get_theme(theme_name)
        group = FormulaPanel(theme)
        panel_colour, equals_colour = theme.panel, theme.panel_ink
    formula = group.formula
    assert [part.tex_string for part in formula] == list(FORMULA_PARTS.values())
    for key, colour in {**FORMULA_COLOURS, "equals": equals_colour.to_hex()}.items():
        assert formula_part(formula, key).get_color().to_hex().lower() == colour.lower(), key
    for key in FORMULA_PARTS:
        opacity = theme.formula_equals_opacity if key == "equals" else 1
        glyphs = formula_part(formula, key).family_members_with_points()
        assert glyphs and all(g.get_fill_opacity() == pytest.approx(opacity) for g in glyphs), key
    assert group.panel.get_fill_color() == panel_colour
    assert group.panel.width > formula.width and group.panel.height > formula.height


def test_named_symbols_are_the_glyphs_that_draw_them(media):
    """The callouts of the formula segment point at these glyphs: each must be the symbol it names."""
    with tempconfig(tiny_settings(media, **SIZE)):
        formula = FormulaPanel(get_theme("paper")).formula
    a_in_q, a_in_l = formula_glyphs(formula, "a")
    assert a_in_q.get_x() < formula_part(formula, "equals").get_x() < a_in_l.get_x()
    x, i = formula_glyphs(formula, "x_i")
    assert i.get_x() > x.get_x() and i.height < x.height * 1.5 and i.get_y() < x.get_y()  # the subscript
    n_below_bar, n_on_sigma = formula_glyphs(formula, "n")
    assert n_below_bar.get_y() < formula_part(formula, "inv_n")[1].get_y() < n_on_sigma.get_y()
    assert formula_glyphs(formula, "X")[0].get_x() > a_in_q.get_x()


def test_question_is_shown_as_written_and_the_formula_stays_for_the_next_segment(media):
    scene = final(Probe, media, TitleParams(question="Can a machine learn from its mistakes?"))
    shown = [line.original_text for line in scene.question]
    assert " ".join(shown) == "Can a machine learn from its mistakes?"
    assert all(scene.seen[beat] is not None for beat in TitleScene.beats)  # never a blank page
    assert isinstance(scene.formula_panel, FormulaPanel)
    visible = on_screen(scene)
    for mob in (scene.question, scene.formula_panel, scene.caption):
        assert mob in visible
    assert scene.formula_panel.get_y() < scene.question.get_y() and scene.caption.get_y() < scene.formula_panel.get_y()


@pytest.mark.parametrize("question", ["How does an AI actually learn?", "Why " * 40 + "?"])
def test_everything_stays_in_the_safe_frame(media, question):
    scene = final(Probe, media, TitleParams(question=question))
    for beat, (low, high) in scene.seen.items():
        assert low[0] >= -SAFE_X and high[0] <= SAFE_X, f"{beat}: out of frame sideways"
        assert low[1] >= -SAFE_Y and high[1] <= SAFE_Y, f"{beat}: out of frame vertically"


def test_the_default_question_is_set_full_size_on_one_line(media):
    scene = final(TitleScene, media)
    assert len(scene.question) == 1 and scene.question[0].font_size == pytest.approx(TitleScene.question_size)


def test_after_another_segment_it_cross_fades_and_ends_as_it_does_alone(media):
    alone = final(TitleScene, media)
    after = final(TitleScene, media, previous=Previous(TitledEnding, TitledEnding.Params()))
    assert after.opening == [] and opening_left_over(after) == []  # nothing of the segment before stays
    assert same_picture(after, alone)


def test_low_quality_render_writes_a_movie(tmp_path):
    with tempconfig(tiny_settings(tmp_path, **SIZE) | {"write_to_movie": True}):
        scene = TitleScene()
        scene.render()
        movie = Path(scene.renderer.file_writer.movie_file_path)
        duration = scene.renderer.time
    assert movie.is_file() and movie.stat().st_size > 0
    assert 7 <= duration <= 11


@pytest.mark.parametrize("theme_name", ["paper", "chalkboard"])
def test_the_thumbnail_wears_the_theme(media, theme_name):
    scene = final(ThumbnailScene, media, theme_name=theme_name)
    theme = get_theme(theme_name)
    page, panel, red = (np.array(c.to_rgb()) * 255 for c in (theme.page, theme.panel, theme.red))
    pixels = scene.last_frame.astype(int)
    height = pixels.shape[0]

    def share(top, bottom, colour):  # of the rows from top to bottom (fractions of the height), drawn in colour
        rows = pixels[int(top * height):int(bottom * height)]
        return (np.abs(rows - colour).max(axis=2) < 30).mean()

    assert np.abs(pixels[2, 2] - page).max() <= 2, "the page of the theme"
    assert share(0, 0.45, red) > 0.01, "the title's last word in the theme's red"
    assert share(0.6, 0.9, panel) > 0.4, "the formula's panel below it"

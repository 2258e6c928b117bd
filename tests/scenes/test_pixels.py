"""The pixels segment: what it shows equals riskmath's figures, and a tiny render stays on the page."""

import numpy as np
import pytest
from manim import ManimColor, tempconfig
from pydantic import ValidationError

import riskmath
from scenes import theme
from scenes.pixels import (
    PixelsParams,
    PixelsScene,
    grid_figures,
    tex_number,
    why_square_figures,
    worked_pixel_figures,
)
from tests.conftest import tiny_settings

FRAME_X, FRAME_Y = 6.8, 3.8
def test_grid_figures_are_riskmaths():
    real = riskmath.sample_image()
    output = riskmath.model_output(real, 0.6, 316)
    fig = grid_figures(0.6, 316)
    assert (fig.real == real).all() and (fig.output == output).all()
    assert (fig.errors == riskmath.error_grid(real, output)).all()
    assert (fig.squares == riskmath.squared_grid(real, output)).all()
    assert fig.loss == riskmath.pixel_loss(real, output)
    assert fig.loss_text == f"{riskmath.pixel_loss(real, output):.3f}"
    assert fig.total == int(riskmath.squared_grid(real, output).sum())
    # The fraction on screen really is L: sum / 25 / 255², rounded as the article does.
    assert riskmath.round_half_away(fig.total / fig.squares.size / 255**2, 3) == fig.loss


def test_worked_pixel_is_200_minus_120():
    worked = worked_pixel_figures(PixelsParams())
    assert (worked.real, worked.output, worked.error, worked.square) == (200, 120, 80, 6400)
    other = worked_pixel_figures(PixelsParams(worked_real=50, worked_output=90))
    assert (other.error, other.square) == (40, 1600)


def test_why_square_figures():
    why = why_square_figures(PixelsParams())
    assert why.signed == (30, -30) and why.signed_sum == 0
    assert why.cancel_squares == (900, 900) and why.cancel_total == 1800
    assert (why.small_square, why.big_square) == (100, 6400)
    assert (why.error_ratio, why.cost_ratio) == (8, 64)


def test_default_training_lowers_the_loss_and_crosses_a_colour_threshold():
    p = PixelsParams()
    losses = [grid_figures(noise, 316).loss for noise in p.noise_steps]
    assert losses == sorted(losses, reverse=True) and losses[-1] < losses[0]
    levels = {riskmath.loss_level(loss) for loss in losses}
    assert len(levels) >= 2, "L should change colour while the noise drops"


def test_params_reject_bad_values():
    with pytest.raises(ValidationError):
        PixelsParams(noise=1.5)
    with pytest.raises(ValidationError):
        PixelsParams(worked_real=240, cancel_error=30)  # 270 is not a pixel value
    with pytest.raises(ValidationError):
        PixelsParams(ratio_template="{errors}× the error")
    with pytest.raises(ValidationError):
        PixelsParams(step_seconds=1.0, step_move_seconds=2.0)


@pytest.fixture(scope="module")
def media(tmp_path_factory):
    """One media folder for the module, so LaTeX compiles each formula once."""
    return str(tmp_path_factory.mktemp("pixels_media"))


def _colour(rgb):
    return ManimColor.from_rgb(tuple(c / 255 for c in rgb)).to_hex()


def test_built_grids_and_equation_show_riskmaths_numbers(media):
    with tempconfig(tiny_settings(media)):
        scene = PixelsScene(params=PixelsParams(seed=5), seed=316)
        assert scene.noise_seed == 5
        assert PixelsScene(seed=316).noise_seed == 316
        scene.title_text = scene.get_title("t")
        fig = grid_figures(0.6, 5)
        output = scene.get_image_grid(fig.output)
        assert [n.text for n in output.numbers] == [str(v) for v in fig.output.flat]
        errors = scene.get_error_grid(fig.errors)
        assert [n.text for n in errors.numbers] == [str(v) for v in fig.errors.flat]
        assert [sq.get_fill_color().to_hex() for sq in errors.squares] == [
            _colour(riskmath.error_cell_rgb(int(e))) for e in fig.errors.flat
        ]
        squared = scene.get_squared_grid(fig)
        assert [n.text for n in squared.numbers] == [str(v) for v in fig.squares.flat]
        equation = scene.get_loss_equation(fig)
        assert equation.numerator.tex_string == tex_number(int(riskmath.squared_grid(fig.real, fig.output).sum()))
        value = equation.result[-1]
        assert value.tex_string == f"{riskmath.pixel_loss(fig.real, fig.output):.3f}"
        assert value.get_color().to_hex() == theme.L_COLOURS[riskmath.loss_level(fig.loss)].to_hex()


class _CheckedPixels(PixelsScene):
    """Plays every beat and records anything that pokes out of the safe frame."""

    def construct(self):
        self.outside = []
        for beat in self.beats:
            self.next_section(beat)
            getattr(self, beat)()
            for mob in self.mobjects:
                for part in mob.get_family():
                    if part.has_points() and part.get_fill_opacity() + part.get_stroke_opacity() > 0:
                        (left, bottom, _), (right, top, _) = part.get_corner([-1, -1, 0]), part.get_corner([1, 1, 0])
                        if left < -FRAME_X or right > FRAME_X or bottom < -FRAME_Y or top > FRAME_Y:
                            self.outside.append((beat, type(part).__name__))


def test_tiny_render_completes_inside_the_frame(media):
    fast = dict(
        noise_steps=[0.2],
        reveal_seconds=0.2,
        move_seconds=0.2,
        step_seconds=0.4,
        step_move_seconds=0.2,
        hold_seconds=0.2,
        fade_seconds=0.2,
        clear_seconds=0.2,
    )
    with tempconfig(tiny_settings(media)):
        scene = _CheckedPixels(params=PixelsParams(**fast), seed=316)
        scene.render()
        assert scene.outside == []
        assert scene.figures.noise == 0.2
        assert scene.renderer.file_writer.movie_file_path.exists()
        assert np.asarray(scene.renderer.get_frame()).shape[:2] == (72, 128)

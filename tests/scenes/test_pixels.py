"""The pixels segment: every figure on screen is riskmath's and agrees with the others (the worked
pixel is one real cell of all three grids; errors keep their signs), the sweep redraws without
blinking, L's scale is set against the clip bars', it is readable and in frame, it opens from the
loss bars (or anything, or nothing) and ends on content. Every frame's figures: figure_checks/pixels.py."""

import numpy as np
import pytest
from manim import VGroup, tempconfig
from pydantic import ValidationError

import riskmath
from riskmath.epochs import ARTICLE_CLIP_LOSSES
from riskmath.pixels import Pin, compare, typical_miss
from scenes.base import Previous
from scenes.segments.loss_bars.scene import LossBarsScene
from scenes.segments.pixels.pixel_grid import heat_fill, rgb_colour, shown_values
from scenes.segments.pixels.pixel_parts import Sweep
from scenes.segments.pixels.scene import PixelsParams, PixelsScene, format_ratio
from scenes.theme import PAPER
from tests.helpers import tiny_settings
from tests.scenes.helpers import (
    TitledEnding,
    blank_readouts,
    final,
    opening_left_over,
    out_of_frame,
    probe,
    small_glyphs,
    titles,
    visible_bounds,
)

SEED = 316


def shown(grid):
    """The numbers a PixelGrid shows, as ints, in its shape."""
    return np.array([int(n.shown(n.value)) for n in grid.numbers]).reshape(grid.values.shape)


def note(scene):
    seen = {
        "box": visible_bounds(scene.mobjects),
        "outside": out_of_frame(scene.mobjects),
        "small": small_glyphs(scene.mobjects),
        "blank": blank_readouts(scene.mobjects),
        "titles": len(titles(scene.mobjects)),
        "left_over": opening_left_over(scene),
        "noise": scene.figures.noise if hasattr(scene.figures, "noise") else None,
    }
    for name in ("real_grid", "output_grid", "error_grid"):
        grid = getattr(scene, name, None)
        if grid is not None:
            seen[name] = shown(grid)
    fraction = getattr(scene, "fraction", None)
    if fraction is not None:
        seen["total"] = int(fraction.numerator.shown(fraction.numerator.value))
        seen["loss"] = fraction.value.shown(fraction.value.value)
        seen["loss_colour"] = fraction.value.colour
    return seen


Probe = probe(PixelsScene, note)


@pytest.fixture(scope="module")
def media(tmp_path_factory):
    return tmp_path_factory.mktemp("pixels_media")  # one folder, so LaTeX compiles each formula once


def run(media, params=None, previous=None):
    return final(Probe, media, params, previous, seed=SEED)


@pytest.fixture(scope="module")
def default_run(media):
    return run(media)


@pytest.fixture(scope="module")
def after_bars(media):
    return run(media, previous=Previous(LossBarsScene, LossBarsScene.Params()))


def figures(noise, params=None):
    params = PixelsParams() if params is None else params
    real = riskmath.sample_image()
    return compare(real, riskmath.model_output(real, noise, SEED, params.pin))


def test_the_worked_pixel_is_one_real_cell_of_all_three_grids(default_run):
    seen = default_run.seen["worked_pixel"]
    cell = tuple(PixelsParams().worked_cell)
    assert (seen["real_grid"][cell], seen["output_grid"][cell], seen["error_grid"][cell]) == (200, 120, 80)
    # The ring sits on that cell in every grid, and the lifted copies say the same.
    assert seen["error_grid"][cell] == seen["real_grid"][cell] - seen["output_grid"][cell]
    assert default_run.seen["square_errors"]["error_grid"][cell] == 6400
    assert default_run.worked_square.text.replace(",", "") == "80²=6400"


def test_grids_are_riskmaths_at_the_first_comparison(default_run):
    fig = figures(0.6)
    seen = default_run.seen["compare_grids"]
    assert (seen["real_grid"] == fig.real).all()
    assert (seen["output_grid"] == fig.output).all()
    assert (seen["error_grid"] == fig.signed).all(), "real − guess, with its sign"
    assert (seen["error_grid"] < 0).any() and (seen["error_grid"] > 0).any()
    assert (default_run.seen["square_errors"]["error_grid"] == fig.squares).all()


def test_l_is_the_sum_over_pixels_and_255_squared(default_run):
    fig = figures(0.6)
    seen = default_run.seen["average_into_loss"]
    assert seen["total"] == fig.total == int(fig.squares.sum())
    assert seen["loss"] == fig.loss == riskmath.pixel_loss(fig.real, fig.output)
    assert riskmath.round_half_away(seen["total"] / fig.real.size / 255**2, 3) == seen["loss"]
    assert seen["loss_colour"] == PAPER.l_colour(fig.loss)
    denominator = default_run.fraction.denominator.text
    assert denominator.startswith(str(fig.real.size)), "the pixel count comes from the data"
    assert "25" not in PixelsParams().pixels_note


def test_training_steps_show_riskmaths_figures_and_l_changes_colour(default_run):
    p = PixelsParams()
    rewound, trained = default_run.seen["rewind_model"], default_run.seen["train_model"]
    first, last = figures(p.noise_steps[0]), figures(p.noise_steps[-1])
    assert (rewound["output_grid"] == first.output).all() and rewound["loss"] == first.loss
    assert (trained["output_grid"] == last.output).all() and (trained["error_grid"] == last.signed).all()
    assert trained["total"] == last.total and trained["loss"] == last.loss
    losses = [figures(n).loss for n in p.noise_steps]
    assert losses == sorted(losses, reverse=True)
    levels = [riskmath.loss_level(x) for x in losses]
    assert len(set(levels)) >= 2, "L changes colour as the model trains"
    colours = PAPER.level_colours("L")
    assert rewound["loss_colour"] == colours[levels[0]] and trained["loss_colour"] == colours[levels[-1]]


def test_the_model_track_speaks_of_early_and_trained_models(default_run):
    track = default_run.track
    words = [m.text for m in track.get_family() if hasattr(m, "text") and isinstance(m.text, str)]
    assert words == ["earlymodel", "trainedmodel"]  # Text drops spaces from .text
    assert not any("%" in w or "noise" in w for w in words)
    assert track.marker.get_center()[0] > track.track.get_left()[0] + 0.85 * track.length, "trained at the end"


def test_why_square_adds_this_images_own_errors_with_and_without_their_signs(default_run):
    last = figures(PixelsParams().noise_steps[-1])
    signed, squares = (int(shown_values_of(r)) for r in (default_run.cancel.signed, default_run.cancel.squares))
    assert signed == int(last.signed.sum()) and squares == last.total
    assert int(shown_values_of(default_run.cancel.sizes)) == int(last.errors.sum()) > abs(signed), "they cancel"
    costs = riskmath.pixels.error_costs(10, 80)
    assert format_ratio(costs.error_ratio) == "8" and format_ratio(costs.cost_ratio) == "64"


def shown_values_of(readout):
    return readout.text_for(readout.value).replace(",", "").replace("−", "-")


def test_the_scale_note_reads_l_and_the_worst_clip_bar_in_pixels(default_run):
    fig = figures(0.6)
    words = default_run.scale_words.text
    assert f"L={fig.loss}" in words and f"missof{typical_miss(fig.loss)}of255" in words  # Text drops spaces
    assert f"{max(ARTICLE_CLIP_LOSSES)}" in words and f"missof{typical_miss(max(ARTICLE_CLIP_LOSSES))}of255" in words
    assert typical_miss(max(ARTICLE_CLIP_LOSSES)) == 234


@pytest.mark.parametrize("fixture", ["default_run", "after_bars"])
def test_readable_in_frame_one_title_and_whole_read_outs_at_every_beat(fixture, request):
    scene = request.getfixturevalue(fixture)
    for beat, seen in scene.seen.items():
        assert seen["outside"] == [], beat
        assert seen["small"] == [], beat
        assert seen["blank"] == [], beat
        assert seen["titles"] == 1, beat


def test_ends_on_content(default_run):
    seen = default_run.seen["why_big_costs"]
    low, high = seen["box"]
    assert high[0] - low[0] > 11 and high[1] - low[1] > 6, "the last picture fills the frame"


def test_opens_from_the_loss_bars_from_another_scene_and_from_nothing(media, after_bars, default_run):
    assert after_bars.seen["image_to_numbers"]["left_over"] == []
    other = run(media, PixelsParams(noise_steps=[0.3]), previous=Previous(TitledEnding, TitledEnding.Params()))
    assert other.seen["image_to_numbers"]["left_over"] == [] and other.seen["image_to_numbers"]["titles"] == 1
    assert default_run.seen["image_to_numbers"]["box"] is not None


def test_the_sweep_redraws_every_frame_without_blinking_and_in_agreement(default_run):
    scene = default_run
    sweep = Sweep(VGroup(scene.output_grid, scene.error_grid, scene.fraction, scene.track), 0.1, 1.0,
                  scene.show_model)
    sweep.begin()
    for alpha in np.linspace(0, 1, 21):
        sweep.interpolate(alpha)
        assert blank_readouts([scene.output_grid, scene.error_grid, scene.fraction]) == []
        errors = shown_values(scene.error_grid)
        assert (errors == riskmath.sample_image() - shown_values(scene.output_grid)).all()
        assert int(shown_values_of(scene.fraction.numerator)) == int((errors**2).sum())
    sweep.finish()
    assert (shown_values(scene.output_grid) == figures(1.0).output).all()


def test_error_cells_wear_riskmaths_colour_and_their_signs_outline(default_run):
    grid = default_run.error_grid
    for value, square in zip(grid.values.flat, grid.squares, strict=False):
        assert square.get_fill_color().to_hex() == rgb_colour(riskmath.error_cell_rgb(abs(value))).to_hex()
        sign = {1: PAPER.blue, -1: PAPER.gold, 0: PAPER.page3}[int(np.sign(value))]
        assert square.get_stroke_color().to_hex() == sign.to_hex()
    assert heat_fill(75).to_hex() == heat_fill(-75).to_hex() == rgb_colour((130, 90, 45)).to_hex()


def test_params_are_checked():
    with pytest.raises(ValidationError, match="cannot say"):
        PixelsParams(noise=0.2)  # 200 → 120 is 80 off; noise 0.2 reaches 30
    with pytest.raises(ValidationError):
        PixelsParams(scale_template="{worst} would mean {miss}")
    with pytest.raises(ValidationError):
        PixelsParams(ratio_template="{errors}× the error")
    with pytest.raises(ValidationError):
        PixelsParams(step_seconds=1.0, step_move_seconds=2.0)
    assert PixelsParams().pin == Pin((1, 1), 120, 0.6)


def test_tiny_render_writes_a_movie(media):
    fast = dict(noise_steps=[0.2], reveal_seconds=0.2, move_seconds=0.2, step_seconds=0.4, step_move_seconds=0.2,
                hold_seconds=0.2)
    with tempconfig(tiny_settings(media)):
        scene = PixelsScene(params=PixelsParams(**fast), seed=SEED)
        scene.render()
        assert scene.renderer.file_writer.movie_file_path.exists()
        assert np.asarray(scene.renderer.get_frame()).shape[:2] == (72, 128)

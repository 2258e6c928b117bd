"""The pixels segment's params: noise levels, the worked pixel, texts and timings (the storyboard's defaults)."""

from typing import Annotated

from pydantic import Field, model_validator

from riskmath import model_output, sample_image
from riskmath.epochs import ARTICLE_CLIP_LOSSES
from riskmath.pixels import Pin
from riskmath.risk import PIXEL_MAX
from scenes.fields import SceneParams, Seconds, Text
from scenes.theme import HOLD

Noise = Annotated[float, Field(gt=0, le=1)]
Pixel = Annotated[int, Field(ge=0, le=PIXEL_MAX)]
Index = Annotated[int, Field(ge=0, le=4)]


class PixelsParams(SceneParams):
    """Noise levels, the worked pixel, texts and timings of the pixels segment (storyboard defaults)."""

    seed: int | None = Field(None, ge=0, le=2**32 - 1)  # None: the video's seed
    noise: Noise = 0.6  # the model when it is first compared (the article's starting 60 %)
    # The model trains through these levels, from its first, roughest guesses.
    noise_steps: list[Noise] = Field(default_factory=lambda: [1.0, 0.8, 0.6, 0.4, 0.2, 0.1], min_length=1,
                                     max_length=10)
    worked_cell: tuple[Index, Index] = (1, 1)  # (row, column) of the pixel worked by hand: real 200 there
    worked_output: Pixel = 120  # what the model says there at `noise`
    small_error: int = Field(10, ge=1, le=PIXEL_MAX)
    big_error: int = Field(80, ge=1, le=PIXEL_MAX)
    bar_loss: float = Field(max(ARTICLE_CLIP_LOSSES), gt=0, le=1)  # the worst clip bar, read on L's scale

    grid_title: Text = "An image is a grid of numbers"
    grid_caption: Text = "Each square is one number"
    black_word: Text = "black"
    white_word: Text = "white"
    compare_title: Text = "Being wrong is just subtraction"
    real_label: Text = "Real image xᵢ"
    output_label: Text = "The model's guess"
    error_label: Text = "Error"
    too_low_words: Text = "guess too low (+)"
    too_high_words: Text = "guess too high (−)"
    squared_label: Text = "Error squared"
    worked_title: Text = "One pixel, worked out"
    square_title: Text = "Square every error"
    square_note: Text = "Big errors grow much bigger"
    average_title: Text = "Add them up, divide: that's L"
    pixels_note: Text = "{count} pixels"  # {count}: the image's pixel count
    scale_note: Text = "{max}²: the largest value, squared"  # {max}: 255
    scale_title: Text = "The clip bars used their own scale"
    # {own}: this guess's L, {own_miss}: its typical miss; {loss}: bar_loss, {miss}: its miss; {max}: 255
    scale_template: Text = ("This guess: L = {own},\na typical miss of {own_miss} of {max}.\n"
                            "The worst clip bar, {loss},\nwould be a miss of {miss} of {max}.")
    reduce_title: Text = "A better model, a smaller L"
    early_label: Text = "early model"
    trained_label: Text = "trained model"
    why_title: Text = "Why square the errors?"
    cancel_heading: Text = "Squared, errors can't cancel"
    sizes_sum_label: Text = "Their sizes add to"
    signed_sum_label: Text = "With their signs:"
    squares_sum_label: Text = "Squared, they add to"
    cancel_note: Text = "Too high and too low eat into each other"
    cancel_squared_note: Text = "Every miss adds, whatever its sign"
    cost_heading: Text = "Big errors cost far more"
    ratio_template: Text = "{error}× the error, {cost}× the cost"

    reveal_seconds: Seconds = 1.5
    move_seconds: Seconds = 1.2
    step_seconds: Seconds = 1.6
    step_move_seconds: Seconds = 1.0
    hold_seconds: Seconds = HOLD

    @model_validator(mode="after")
    def _consistent(self) -> "PixelsParams":
        if self.step_move_seconds > self.step_seconds:
            raise ValueError("step_move_seconds must not exceed step_seconds")
        model_output(sample_image(), self.noise, 0, self.pin)  # the pinned guess must be reachable
        for template, fields in ((self.ratio_template, {"error": 1, "cost": 1}), (self.pixels_note, {"count": 1}),
                                 (self.scale_note, {"max": 1}),
                                 (self.scale_template, {"own": 1, "own_miss": 1, "loss": 1, "miss": 1, "max": 1})):
            try:
                template.format(**fields)
            except (KeyError, IndexError, ValueError) as exc:
                raise ValueError(f"{template!r} may only use the fields {sorted(fields)}") from exc
        return self

    @property
    def pin(self) -> Pin:
        """The worked pixel: at the first comparison the model says ``worked_output`` in ``worked_cell``."""
        return Pin(self.worked_cell, self.worked_output, self.noise)


def format_ratio(value: float) -> str:
    """A ratio as shown: whole numbers plainly, others to one decimal.

    >>> format_ratio(8.0), format_ratio(7.5)
    ('8', '7.5')
    """
    whole = round(value)
    return str(whole) if abs(value - whole) < 1e-9 else f"{value:.1f}"

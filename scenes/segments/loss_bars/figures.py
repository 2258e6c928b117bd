"""The loss-bars segment's params and figures: the clips, the schedule, and what each epoch shows.

Every figure comes from riskmath (clip_losses, epoch_risk, risk_level); ``EpochFigures`` only
formats them. ``figures_at`` and ``learned_epoch`` are pure, so tests check exactly what is shown.
"""

from dataclasses import dataclass

from pydantic import Field, model_validator

from riskmath import ARTICLE_CLIP_LOSSES, DECAY, Level, clip_losses, epoch_risk, first_learned_epoch, risk_level
from scenes.fields import Colour, SceneParams, Seconds, StrictModel, Text
from scenes.parts.components import format_decimal
from scenes.theme import HOLD


class Clip(StrictModel):
    """One training clip: its name, its loss at epoch 1 and the colour of its bar."""

    name: Text
    base_loss: float = Field(ge=0, le=1)
    colour: Colour | None = None  # None: the theme's colour for the clip's place (Theme.clip_colour)


CLIP_NAMES = ("sunset timelapse", "ocean waves", "character walk", "city at night", "forest scene")


def _default_clips() -> list[Clip]:
    return [Clip(name=name, base_loss=loss) for name, loss in zip(CLIP_NAMES, ARTICLE_CLIP_LOSSES, strict=True)]


def template(text: str, **fields: object) -> str:
    """``text`` with ``fields`` filled in; a ValueError naming the allowed fields otherwise."""
    try:
        return text.format(**fields)
    except (KeyError, IndexError, ValueError) as exc:
        raise ValueError(f"may only use the fields {', '.join('{' + f + '}' for f in fields)}") from exc


class LossBarsParams(SceneParams):
    """Clips, schedule, texts and timings of the loss-bars segment; defaults follow the storyboard."""

    clips: list[Clip] = Field(default_factory=_default_clips, min_length=1, max_length=6)
    epochs: int = Field(10, ge=1, le=50)
    decay: float = Field(DECAY, gt=0, le=1)
    title: Text = "One model, {count} video clips"  # {count}: how many clips, in words
    subtitle: Text = "Each bar: how wrong the model is on that clip"
    q_caption: Text = "the average of the bars"
    epoch_label: Text = "epoch"
    epoch_of: Text = "of"
    epoch_note: Text = "One epoch: one pass, every clip measured"
    threshold_label: Text = "learned"  # over the dashed line at riskmath's threshold (its value on the axis)
    close_label: Text = "getting close"  # beside Q while its colour says so (riskmath's Level.FAIR)
    verdict: Text = "The model\nhas learned"
    intro_seconds: Seconds = 2.0
    epoch_seconds: Seconds = 2.2
    move_seconds: Seconds = 1.0
    hold_seconds: Seconds = HOLD

    @model_validator(mode="after")
    def _consistent(self) -> "LossBarsParams":
        if self.move_seconds > self.epoch_seconds:
            raise ValueError("move_seconds must not exceed epoch_seconds")
        template(self.title, count="five")
        return self


@dataclass(frozen=True)
class EpochFigures:
    """What the scene shows at one epoch, straight from riskmath."""

    epoch: int
    losses: tuple[float, ...]  # each clip's loss, riskmath.clip_losses
    q: float  # their average, riskmath.epoch_risk

    @property
    def level(self) -> Level:
        return risk_level(self.q)

    @property
    def learned(self) -> bool:
        return self.level is Level.GOOD

    @property
    def loss_texts(self) -> tuple[str, ...]:
        return tuple(format_decimal(loss) for loss in self.losses)

    @property
    def q_text(self) -> str:
        return format_decimal(self.q)


def figures_at(params: LossBarsParams, epoch: int) -> EpochFigures:
    """The EpochFigures for ``epoch`` (1-based) under ``params``, from riskmath."""
    base = [clip.base_loss for clip in params.clips]
    losses = clip_losses(base, epoch, params.decay)
    return EpochFigures(epoch, tuple(losses.tolist()), epoch_risk(base, epoch, params.decay))


def learned_epoch(params: LossBarsParams) -> int | None:
    """The epoch at which the verdict appears, or None if Q stays above the line for all epochs."""
    base = [clip.base_loss for clip in params.clips]
    return first_learned_epoch(base, params.decay, max_epoch=params.epochs)

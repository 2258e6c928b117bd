"""The video's training set X: the storyboard's five clips, each with its name and its loss at epoch 1.

Scenes that show the clips take a list of ``TrainingClip`` in their params, defaulting to
``storyboard_clips()``; the numbers come from riskmath (ARTICLE_CLIP_LOSSES).
"""

from pydantic import Field

from riskmath import ARTICLE_CLIP_LOSSES
from scenes.fields import StrictModel, Text

STORYBOARD_CLIP_NAMES = ("sunset timelapse", "ocean waves", "character walk", "city at night", "forest scene")


class TrainingClip(StrictModel):
    """One example of the dataset: its name and its loss at epoch 1 (before any training)."""

    name: Text
    base_loss: float = Field(ge=0, le=1)


def storyboard_clips() -> list[TrainingClip]:
    """The storyboard's clips x₁ … x₅ with the article's starting losses.

    >>> [(clip.name, clip.base_loss) for clip in storyboard_clips()][:2]
    [('sunset timelapse', 0.84), ('ocean waves', 0.67)]
    """
    return [TrainingClip(name=name, base_loss=loss) for name, loss in zip(STORYBOARD_CLIP_NAMES, ARTICLE_CLIP_LOSSES,
                                                                          strict=False)]

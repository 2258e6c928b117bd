"""Constrained field types shared by the config and every scene's params (no manim import).

Each bound lives here, next to its type, and `riskvid check --explain` prints them.
"""

from typing import Annotated

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, StringConstraints

MAX_TEXT = 300
NAME_PATTERN = r"^[a-z0-9][a-z0-9_-]{0,47}$"


def _printable(text: str) -> str:
    if any(ord(ch) < 32 and ch != "\n" for ch in text):
        raise ValueError("must not contain control characters (tabs included)")
    if not any(ch.isprintable() and not ch.isspace() for ch in text):
        raise ValueError("must contain a visible character")
    return text


# A line of text shown on screen or in captions, set literally (never LaTeX or markup).
Text = Annotated[str, StringConstraints(min_length=1, max_length=MAX_TEXT), AfterValidator(_printable)]
# A file-safe name: lowercase letters, digits, '-' and '_', up to 48 characters.
Name = Annotated[str, StringConstraints(pattern=NAME_PATTERN)]
# Seconds an animation or hold lasts.
Seconds = Annotated[float, Field(ge=0.1, le=30)]
# A '#rrggbb' colour.
Colour = Annotated[str, StringConstraints(pattern=r"^#[0-9a-fA-F]{6}$")]


class StrictModel(BaseModel):
    """A config section: unknown keys are errors, values are checked on assignment too."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class SceneParams(StrictModel):
    """Base of every scene's params; a scene's defaults reproduce the storyboard."""

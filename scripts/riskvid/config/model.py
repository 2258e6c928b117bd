"""The config's typed model: the video, its segments, their narration lines, the voice and slides settings.

Defaults live here (and in each scene's ``Params``); ``riskvid.config.load`` reads YAML into it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Annotated, Any, Literal

from pydantic import Field, StringConstraints, ValidationInfo, field_validator, model_validator

from riskvid.config.youtube import YoutubeSettings
from riskvid.names import did_you_mean, words
from scenes.fields import Name, StrictModel, Text

if TYPE_CHECKING:
    from scenes.base import SegmentScene

QUALITY_PRESETS = {  # name: (width, height, fps)
    "low": (854, 480, 15),
    "medium": (1280, 720, 30),
    "high": (1920, 1080, 60),
    "4k": (3840, 2160, 60),
}
MIN_WIDTH, MIN_HEIGHT = 128, 72  # the smallest frame the scenes lay out (their tests render at it)


@dataclass(frozen=True)
class Frame:
    """The video's frame size and rate."""

    width: int
    height: int
    fps: int

    def __str__(self) -> str:
        return f"{self.width}x{self.height}@{self.fps}"


class Line(StrictModel):
    """One narration line: the words shown in the captions, and (where maths reads differently from
    how it is written) the words spoken."""

    text: Text
    say: Text | None = None

    @model_validator(mode="before")
    @classmethod
    def _plain_text(cls, value: object) -> object:
        return {"text": value} if isinstance(value, str) else value

    @property
    def spoken(self) -> str:
        """What the voice says."""
        return self.say or self.text


class Segment(StrictModel):
    """One segment: a scene with its params and the narration spoken over its beats."""

    id: Name
    scene: str
    title: Text | None = None  # the chapter title; defaults to the id in words
    params: Any = Field(default=None, validate_default=True)
    narration: dict[str, list[Line]] = Field(default_factory=dict, max_length=50)
    poster: str | None = None  # the beat whose settled picture is the segment's poster (default: the longest held)

    @field_validator("scene")
    @classmethod
    def _known_scene(cls, name: str) -> str:
        known = scene_classes()
        if name not in known:
            raise ValueError(f"unknown scene{did_you_mean(name, known)} (scenes: {', '.join(sorted(known))})")
        return name

    @field_validator("params", mode="before")
    @classmethod
    def _typed_params(cls, value: Any, info: ValidationInfo) -> Any:
        scene = scene_classes().get(info.data.get("scene", ""))
        if scene is None:
            return value
        return scene.Params.model_validate({} if value is None else value)

    @field_validator("narration", mode="before")
    @classmethod
    def _lines(cls, value: object) -> object:
        # A single string is one line.
        if isinstance(value, dict):
            return {beat: [lines] if isinstance(lines, (str, dict)) else lines for beat, lines in value.items()}
        return value

    @property
    def chapter_title(self) -> str:
        """The title of this segment's chapter."""
        return self.title or words(self.id)

    @model_validator(mode="after")
    def _known_beats(self) -> Segment:
        scene = scene_classes().get(self.scene)
        for beat in self.narration:
            if scene is not None and beat not in scene.beats:
                raise ValueError(
                    f"narration: {self.scene} has no beat{did_you_mean(beat, scene.beats)}"
                    f" (its beats: {', '.join(scene.beats)})"
                )
        if scene is not None and self.poster is not None and self.poster not in scene.beats:
            raise ValueError(f"poster: {self.scene} has no beat{did_you_mean(self.poster, scene.beats)}"
                             f" (its beats: {', '.join(scene.beats)})")
        return self


class VoiceSettings(StrictModel):
    """How the narration is voiced, and the pauses around its lines."""

    engine: Literal["piper", "recorded", "none"] = "piper"
    voice: str | None = None  # piper: path to a .onnx (relative to the config file); None = bundled joe
    takes: str = "takes"  # recorded: folder of takes, relative to the config file
    # piper: length_scale = the voice's own / rate; none: the reading pace; recorded takes play as recorded
    rate: float = Field(default=1.0, ge=0.5, le=2.0)
    # At least 50 ms before and after: a beat's sound opens and closes on silence, where its AAC frames join.
    pause_before: float = Field(default=0.3, ge=0.05, le=5)  # seconds of silence before a beat's first line
    pause_between: float = Field(default=0.35, ge=0, le=5)  # between two lines of one beat
    pause_after: float = Field(default=0.5, ge=0.05, le=5)  # after a beat's last line


class SlidesSettings(StrictModel):
    """Options of the course-slides package."""

    webm: bool = False  # also a VP9 WebM of each segment (decodes and encodes every frame again)
    paper: Literal["a4", "letter"] = "a4"  # the handout's paper size
    formula: Text | None = None  # shown on the handout's first page, e.g. "Q(a, X) = 1/n · Σ L(a, xᵢ)"


class Config(StrictModel):
    """The whole video."""

    id: Name
    title: Text
    description: Annotated[str, StringConstraints(max_length=2000)] | None = None  # for YouTube
    quality: Literal["low", "medium", "high", "4k"] = "high"
    fps: int | None = Field(default=None, ge=1, le=120)
    resolution: str | None = Field(default=None, pattern=r"^\d{2,5}x\d{2,5}$")
    theme: Literal["paper", "chalkboard"] = "paper"
    seed: int = Field(default=0, ge=0, le=2**32 - 1)
    output: str = Field(default="media", min_length=1, max_length=200)
    segments: list[Segment] = Field(min_length=1, max_length=40)
    voice: VoiceSettings = Field(default_factory=VoiceSettings)
    slides: SlidesSettings = Field(default_factory=SlidesSettings)
    youtube: YoutubeSettings = Field(default_factory=YoutubeSettings)  # riskvid upload

    @field_validator("fps")
    @classmethod
    def _whole_samples(cls, value: int | None) -> int | None:
        if value is not None and 48_000 % value:
            raise ValueError("must divide 48000, so a frame is a whole number of sound samples: "
                             "e.g. 24, 25, 30, 50, 60")
        return value

    @field_validator("resolution")
    @classmethod
    def _even_size(cls, value: str | None) -> str | None:
        if value is not None:
            width, height = map(int, value.split("x"))
            if not (MIN_WIDTH <= width <= 7680 and MIN_HEIGHT <= height <= 4320) or width % 2 or height % 2:
                raise ValueError(f"must be WIDTHxHEIGHT with even sides from {MIN_WIDTH}x{MIN_HEIGHT} to 7680x4320"
                                 " (smaller frames cannot show the scenes' text)")
        return value

    @field_validator("segments")
    @classmethod
    def _unique_ids(cls, segments: list[Segment]) -> list[Segment]:
        seen: set[str] = set()
        for segment in segments:
            if segment.id in seen:
                raise ValueError(f"duplicate segment id {segment.id!r}: each id must be unique")
            seen.add(segment.id)
        return segments

    @field_validator("segments")
    @classmethod
    def _hand_overs_match(cls, segments: list[Segment]) -> list[Segment]:
        """A scene that picks something up from the scene before it must follow one that leaves it."""
        from scenes.registry import hand_over_problem

        known = scene_classes()
        for before, after in zip(segments, segments[1:]):
            problem = hand_over_problem(known[before.scene], known[after.scene])
            if problem:
                raise ValueError(f"{after.id} cannot follow {before.id}: {problem}")
        return segments

    def frame_settings(self, quality: str | None = None) -> Frame:
        """The frame size and rate for ``quality``; the config's own overrides apply to its own preset."""
        width, height, fps = QUALITY_PRESETS[quality or self.quality]
        if quality is None or quality == self.quality:
            if self.resolution:
                width, height = map(int, self.resolution.split("x"))
            fps = self.fps or fps
        return Frame(width, height, fps)


def scene_classes() -> dict[str, type[SegmentScene]]:
    """The segment scenes a config may name (imported when first asked: manim takes a second)."""
    from scenes.registry import scene_classes as found

    return found()

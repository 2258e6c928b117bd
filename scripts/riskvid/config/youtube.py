"""The config's ``youtube:`` section: what ``riskvid upload`` sends besides the package's files.

Defaults are the safe ones: a private video, declared not made for kids, in Education (27).
"""

from __future__ import annotations

import re
from datetime import datetime
from typing import Annotated, Literal

from pydantic import AfterValidator, Field, StringConstraints, field_validator, model_validator

from scenes.fields import StrictModel

MAX_TAG_CHARACTERS = 500  # YouTube counts every tag, a comma between tags, and quotes around a tag with a space
PLAYLIST_ID = re.compile(r"^(PL|UU|FL|LL|OL)[A-Za-z0-9_-]{10,64}$")
EDUCATION = 27


def _no_angle_brackets(text: str) -> str:
    if "<" in text or ">" in text:
        raise ValueError("YouTube does not allow '<' or '>' here")
    return text


# A BCP-47 language tag as YouTube takes it: en, en-US, pt-BR, zh-Hant.
Language = Annotated[str, StringConstraints(pattern=r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$")]
Tag = Annotated[str, StringConstraints(min_length=1, max_length=100, strip_whitespace=True),
                AfterValidator(_no_angle_brackets)]


def tags_length(tags: list[str]) -> int:
    """How many characters YouTube counts for ``tags`` (its limit is 500).

    >>> tags_length(["maths", "machine learning"])
    24
    """
    return sum(len(tag) + (2 if " " in tag else 0) for tag in tags) + max(len(tags) - 1, 0)


class YoutubeSettings(StrictModel):
    """How the video is published on YouTube by ``riskvid upload``."""

    privacy: Literal["private", "unlisted", "public"] = "private"  # nothing goes public by accident
    publish_at: datetime | None = None  # a scheduled premiere (ISO 8601 with a time zone); needs privacy: private
    category: int = Field(default=EDUCATION, ge=1, le=44)  # YouTube's category id: 27 is Education
    tags: list[Tag] = Field(default_factory=list, max_length=100)
    made_for_kids: bool = False  # YouTube requires the declaration (COPPA); say true for a children's video
    language: Language = "en"  # the title's, description's and captions' language
    audio_language: Language | None = None  # the narration's language (default: language)
    playlist: Annotated[str, StringConstraints(min_length=1, max_length=150),
                        AfterValidator(_no_angle_brackets)] | None = None  # a playlist id (PL…), or a title
    license: Literal["youtube", "creativeCommon"] = "youtube"
    embeddable: bool = True
    notify_subscribers: bool = True  # YouTube's own default; only matters once the video is public
    client_secrets: str | None = Field(default=None, min_length=1, max_length=400)  # the OAuth client's JSON, relative
    # to the config ($RISKVID_YOUTUBE_CLIENT_SECRETS wins)

    @field_validator("publish_at")
    @classmethod
    def _zoned(cls, value: datetime | None) -> datetime | None:
        if value is not None and value.tzinfo is None:
            raise ValueError("needs a time zone, e.g. 2026-12-24T18:00:00Z or 2026-12-24T18:00:00+01:00")
        return value

    @field_validator("tags")
    @classmethod
    def _short_enough(cls, tags: list[str]) -> list[str]:
        if tags_length(tags) > MAX_TAG_CHARACTERS:
            raise ValueError(f"YouTube takes at most {MAX_TAG_CHARACTERS} characters of tags "
                             f"(commas and quotes around tags with spaces count); these have {tags_length(tags)}")
        return tags

    @model_validator(mode="after")
    def _scheduled_is_private(self) -> YoutubeSettings:
        if self.publish_at is not None and self.privacy != "private":
            raise ValueError("publish_at needs privacy: private (YouTube makes the video public at that time)")
        return self

    @property
    def playlist_id(self) -> str | None:
        """The playlist's id when ``playlist`` names one (else it is a title, or None)."""
        return self.playlist if self.playlist and PLAYLIST_ID.match(self.playlist) else None

    @property
    def spoken_language(self) -> str:
        """The audio's language."""
        return self.audio_language or self.language

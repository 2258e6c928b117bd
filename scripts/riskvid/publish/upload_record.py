"""``youtube/upload.json``: what was sent to YouTube, so a run sends only what changed.

It holds the video's id, the SHA-256 of each file as it was sent (the master, the captions, the
thumbnail), the metadata as sent (title, description, tags, privacy …), the caption track's id and
the playlist item. It is written after every call that changed something on YouTube, so a run that
stops half way (quota, a signal) leaves an exact account of what is there.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import Any

from riskvid.files import read_json, write_json

RECORD_NAME = "upload.json"


@dataclass(frozen=True)
class Record:
    """What YouTube holds of this package (all empty: nothing uploaded yet)."""

    video_id: str | None = None
    video_sha256: str | None = None
    metadata: dict[str, Any] = field(default_factory=dict)  # the snippet and status as last sent
    captions_sha256: str | None = None
    caption_id: str | None = None
    caption_language: str | None = None
    thumbnail_sha256: str | None = None
    playlist: str | None = None  # the config's playlist (an id or a title) the video was added to
    playlist_id: str | None = None
    playlist_item_id: str | None = None
    earlier_videos: tuple[str, ...] = ()  # ids uploaded before a --new one replaced them here

    @property
    def watch_url(self) -> str | None:
        """The video's address, once it has one."""
        return f"https://youtu.be/{self.video_id}" if self.video_id else None

    def as_new_video(self) -> Record:
        """A record for a fresh upload of the package (--new): the earlier video's id is remembered."""
        earlier = (*self.earlier_videos, self.video_id) if self.video_id else self.earlier_videos
        return Record(earlier_videos=earlier)

    def but(self, **changes: Any) -> Record:
        """A copy with ``changes``."""
        return replace(self, **changes)


def record_path(folder: Path) -> Path:
    """Where a package's record lives."""
    return folder / RECORD_NAME


def load_record(folder: Path) -> Record:
    """The record in ``folder`` (an empty one when it is missing or unreadable)."""
    data = read_json(record_path(folder))
    if not isinstance(data, dict):
        return Record()
    known = {name: data[name] for name in Record.__dataclass_fields__ if name in data}
    known["earlier_videos"] = tuple(known.get("earlier_videos") or ())
    try:
        return Record(**known)
    except TypeError:
        return Record()


def save_record(folder: Path, record: Record) -> None:
    """Write the record atomically."""
    data = asdict(record)
    data["earlier_videos"] = list(record.earlier_videos)
    write_json(record_path(folder), data)

"""The YouTube package: the master, chapters, captions, thumbnail and description.

The master is the full video as assembled: its picture was encoded once, in the format YouTube
asks for (H.264 High, yuv420p BT.709, constant frame rate, closed half-second GOPs with two
B-frames, quality-targeted, index first, no edit list), with AAC-LC sound at 48 kHz. Publishing
copies it; nothing is re-encoded.
"""

from __future__ import annotations

import math
import shutil
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from riskvid.errors import InputError, RunError
from riskvid.files import Stamps, fingerprint
from riskvid.pipeline.captions import to_srt, to_vtt
from riskvid.pipeline.timeline import Timeline

if TYPE_CHECKING:
    from riskvid.config.model import Config

# YouTube's limits on what an upload may carry (its help pages on titles, descriptions and length).
MAX_TITLE_CHARACTERS = 100
MAX_DESCRIPTION_BYTES = 5000
MAX_HOURS = 12
MIN_CHAPTER_SECONDS = 10
MIN_CHAPTERS = 3
THUMBNAIL_SIZE = (1280, 720)
THUMBNAIL_MAX_BYTES = 2 * 1024 * 1024
CODE = fingerprint(Path(__file__))


def check_limits(config: Config, timeline: Timeline, chapter_list: list[Chapter] | None = None) -> None:
    """Raise InputError (one line) if YouTube would refuse the title, the description or the length."""
    if len(config.title) > MAX_TITLE_CHARACTERS:
        raise InputError(f"title: YouTube takes titles of at most {MAX_TITLE_CHARACTERS} characters; "
                         f"this one has {len(config.title)}")
    text = description(config.description, chapters(timeline) if chapter_list is None else chapter_list)
    for name, value in (("title", config.title), ("description", text)):
        if "<" in value or ">" in value:
            raise InputError(f"{name}: YouTube does not allow '<' or '>' in a video's {name}")
    if len(text.encode("utf-8")) > MAX_DESCRIPTION_BYTES:
        raise InputError(f"description: YouTube takes at most {MAX_DESCRIPTION_BYTES} bytes; with the chapters "
                         f"this one has {len(text.encode('utf-8'))}")
    if timeline.seconds > MAX_HOURS * 3600:
        raise InputError(f"the video lasts {timeline.seconds / 3600:.1f} hours; YouTube takes at most {MAX_HOURS}")


def publish_youtube(config: Config, timeline: Timeline, video: Path, folder: Path, stamps: Stamps) -> list[Path]:
    """Write (or keep) the YouTube package in ``folder``; return the files written."""
    written: list[Path] = []

    def make(name: str, key: object, build: Callable[[Path], object]) -> None:
        if stamps.make(folder / name, fingerprint(CODE, key), build):
            written.append(folder / name)

    make(f"{config.id}.mp4", stamps.sha(video),
         lambda tmp: shutil.copyfile(video, tmp))
    chapter_list = chapters(timeline)
    texts = {
        "captions.srt": to_srt(timeline.cues()),
        "captions.vtt": to_vtt(timeline.cues()),
        "description.txt": description(config.description, chapter_list),
    }
    if chapter_list:
        texts["chapters.txt"] = format_chapters(chapter_list)
    for name, text in texts.items():

        def write(tmp: Path, text: str = text) -> None:
            tmp.write_text(text, encoding="utf-8")

        make(name, text, write)
    if not chapter_list:
        (folder / "chapters.txt").unlink(missing_ok=True)
    from riskvid.pipeline.code_deps import dependencies

    make("thumbnail.png", [config.title, config.seed, config.theme, *dependencies("scenes.thumbnail")],
         lambda tmp: write_thumbnail(config, tmp))
    return written


# Chapters.


@dataclass(frozen=True)
class Chapter:
    """A chapter of the YouTube video: whole seconds on its timeline, and a title."""

    start: int
    end: float
    title: str
    weight: float  # the longest segment's length in it: that segment names the chapter

    def __add__(self, later: Chapter) -> Chapter:
        """This chapter and the one right after it as one, named after the longer segment."""
        named = later if later.weight > self.weight else self
        return Chapter(self.start, later.end, named.title, named.weight)

    @property
    def seconds(self) -> float:
        return self.end - self.start


def chapters(timeline: Timeline) -> list[Chapter]:
    """YouTube chapters: one per segment, each at least 10 s long, at least three of them, or none.

    A chapter starts at its segment's start rounded to the second. A segment shorter than
    10 s joins the segment after it (the last one joins the one before); a chapter made of several
    segments takes the title of its longest one (the earlier on a tie). Chapters are optional on
    YouTube: a video that cannot have three of them has none.
    """
    end = timeline.seconds
    starts = [math.floor(offset + 0.5) for offset in timeline.offsets()]
    pieces = [
        Chapter(start, next_start, " ".join(segment.plan.title.split()), next_start - start)
        for segment, start, next_start in zip(timeline.segments, starts, [*starts[1:], end])
    ]
    merged: list[Chapter] = []
    carry: Chapter | None = None
    for piece in pieces:
        piece = carry + piece if carry else piece
        carry = piece if piece.seconds < MIN_CHAPTER_SECONDS else None
        if carry is None:
            merged.append(piece)
    if carry:
        merged[-1:] = [merged[-1] + carry] if merged else [carry]
    long_enough = [chapter for chapter in merged if chapter.seconds >= MIN_CHAPTER_SECONDS and chapter.title]
    if len(long_enough) < MIN_CHAPTERS or len(long_enough) < len(merged):
        return []
    return merged


def timestamp(seconds: float) -> str:
    """A chapter's start as YouTube reads it: M:SS, or H:MM:SS from an hour on.

    >>> timestamp(0), timestamp(75), timestamp(3725)
    ('0:00', '1:15', '1:02:05')
    """
    hours, rest = divmod(int(seconds), 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


def format_chapters(chapter_list: list[Chapter]) -> str:
    """The chapters block: one "M:SS Title" line per chapter."""
    return "".join(f"{timestamp(chapter.start)} {chapter.title}\n" for chapter in chapter_list)


def description(summary: str | None, chapter_list: list[Chapter]) -> str:
    """The description as YouTube shows it (plain text): the summary, then the chapters.

    >>> print(description("What it is about.", [Chapter(0, 12, "Start", 12)]), end="")
    What it is about.
    <BLANKLINE>
    Chapters:
    0:00 Start
    """
    parts = [" ".join(summary.split())] if summary else []
    if chapter_list:
        parts.append(f"Chapters:\n{format_chapters(chapter_list).rstrip()}")
    return "\n\n".join(parts) + "\n" if parts else ""


# The thumbnail.


def write_thumbnail(config: Config, target: Path) -> None:
    """Draw the thumbnail scene at 1280×720 into ``target`` (PNG); RunError if it is 2 MB or more."""
    from PIL import Image

    from riskvid.pipeline.frames import final_frame
    from scenes.thumbnail import ThumbnailParams, ThumbnailScene

    with tempfile.TemporaryDirectory(prefix="riskvid-thumbnail-") as work:
        frame = final_frame(ThumbnailScene, ThumbnailParams(title=config.title), config.seed, THUMBNAIL_SIZE, work,
                            config.theme)
    Image.fromarray(frame).save(target, format="PNG", optimize=True)
    if target.stat().st_size >= THUMBNAIL_MAX_BYTES:
        raise RunError(f"thumbnail.png is {target.stat().st_size} bytes; YouTube takes thumbnails under 2 MB")

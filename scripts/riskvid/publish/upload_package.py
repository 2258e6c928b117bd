"""What ``riskvid upload`` sends, read from the YouTube package that ``publish`` wrote.

The package is taken only when it is what publish made from the current render: every file is
checked against the SHA-256 publish recorded in ``.cache/stamps.json``, the master must have been
made from the full video as it is now, and the render must be at the frame size and rate asked
for. Otherwise one line says to run ``riskvid render`` first.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import UTC
from pathlib import Path
from typing import Any

from riskvid.config.model import Frame
from riskvid.config.youtube import YoutubeSettings
from riskvid.errors import RunError
from riskvid.files import Layout, Stamps, fingerprint, read_json, unchanged

# publish/youtube.py's code fingerprint (its CODE), computed from its file without importing it (that imports manim).
YOUTUBE_CODE_FILE = Path(__file__).with_name("youtube.py")
THUMBNAIL_MAX_BYTES = 2 * 1024 * 1024  # YouTube's limit for thumbnails.set
CAPTIONS_NAME = "captions.srt"


@dataclass(frozen=True)
class PackageFile:
    """A file of the package and its SHA-256 (as publish recorded it)."""

    path: Path
    sha256: str

    @property
    def size(self) -> int:
        return self.path.stat().st_size


@dataclass(frozen=True)
class Package:
    """The YouTube package of one rendered video, checked fresh."""

    folder: Path
    video_id: str
    title: str
    description: str
    master: PackageFile
    captions: PackageFile
    thumbnail: PackageFile


@dataclass(frozen=True)
class Thumbnail:
    """The thumbnail as it is sent: PNG as published, or JPEG when the PNG is over 2 MB."""

    data: bytes
    mimetype: str


def stale(layout: Layout, why: str, render: str = "riskvid render") -> RunError:
    """The one-line error for a package that is missing or out of date."""
    return RunError(f"{why}: run {render} first (it renders what changed and publishes youtube/)")


def read_package(layout: Layout, video_id: str, title: str, summary: str | None,
                 frame: Frame, quality: str | None = None) -> Package:
    """The package in ``layout``, checked to be what publish made from the current render at ``frame``."""
    render = "riskvid render" + (f" --quality {quality}" if quality else "")
    manifest = read_json(layout.manifest)
    if not isinstance(manifest, dict):
        raise stale(layout, f"nothing is rendered in {layout.root}", render)
    stamps = Stamps(layout.cache / "stamps.json", layout.root)
    folder = layout.root / "youtube"
    names = {"master": f"{video_id}.mp4", "captions": CAPTIONS_NAME, "thumbnail": "thumbnail.png",
             "description": "description.txt"}
    files = {}
    for role, name in names.items():
        path = folder / name
        entry = stamps.entries.get(stamps.name(path))
        if not isinstance(entry, dict) or not path.is_file():
            raise stale(layout, f"youtube/{name} is missing", render)
        if not unchanged(path, entry):
            raise stale(layout, f"youtube/{name} changed since publish wrote it", render)
        files[role] = PackageFile(path, str(entry["sha256"]))
    video = layout.video(video_id)
    video_entry = stamps.entries.get(stamps.name(video))
    made_from = fingerprint(fingerprint(YOUTUBE_CODE_FILE), stamps.sha(video))
    if not isinstance(video_entry, dict) or not unchanged(video, video_entry) \
            or stamps.entries[stamps.name(files["master"].path)].get("key") != made_from:
        raise stale(layout, f"youtube/{names['master']} is not the video rendered in {layout.root}", render)
    _check_render(layout, manifest, title, frame, render)
    description = files["description"].path.read_text(encoding="utf-8")
    if summary and not description.startswith(" ".join(summary.split())):
        raise stale(layout, "youtube/description.txt does not hold the config's description", render)
    return Package(folder, video_id, title, description, files["master"], files["captions"], files["thumbnail"])


def _check_render(layout: Layout, manifest: dict[str, Any], title: str, frame: Frame,
                  render: str) -> None:
    """Refuse a render of another title, frame size or rate than the config and --quality ask for."""
    if manifest.get("title") != title:
        raise stale(layout, f"{layout.manifest.name} has the title {manifest.get('title')!r}, the config {title!r}",
                    render)
    width, height, fps = frame.width, frame.height, frame.fps
    for segment in manifest.get("segments") or []:
        if list(segment.get("resolution") or []) != [width, height] or segment.get("fps") != fps:
            shown = "x".join(map(str, segment.get("resolution") or [])) + f"@{segment.get('fps')}"
            raise stale(layout, f"{layout.root} was rendered at {shown}, not {width}x{height}@{fps}", render)


def video_metadata(package: Package, settings: YoutubeSettings) -> dict[str, Any]:
    """The video's snippet and status as videos.insert and videos.update take them."""
    snippet: dict[str, Any] = {
        "title": package.title,
        "description": package.description,
        "categoryId": str(settings.category),
        "defaultLanguage": settings.language,
        "defaultAudioLanguage": settings.spoken_language,
    }
    if settings.tags:
        snippet["tags"] = list(settings.tags)
    status: dict[str, Any] = {
        "privacyStatus": settings.privacy,
        "selfDeclaredMadeForKids": settings.made_for_kids,
        "license": settings.license,
        "embeddable": settings.embeddable,
    }
    if settings.publish_at is not None:
        status["publishAt"] = settings.publish_at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    return {"snippet": snippet, "status": status}


def thumbnail_upload(thumbnail: PackageFile) -> Thumbnail:
    """The thumbnail's bytes as sent: the PNG, or (over YouTube's 2 MB) a JPEG of it small enough."""
    data = thumbnail.path.read_bytes()
    if len(data) <= THUMBNAIL_MAX_BYTES:
        return Thumbnail(data, "image/png")
    from PIL import Image

    with Image.open(io.BytesIO(data)) as image:
        picture = image.convert("RGB")
    for quality in (92, 85, 75, 60, 45):
        out = io.BytesIO()
        picture.save(out, format="JPEG", quality=quality, optimize=True)
        if out.tell() <= THUMBNAIL_MAX_BYTES:
            return Thumbnail(out.getvalue(), "image/jpeg")
    raise RunError(f"{thumbnail.path} is {len(data):,} bytes and stays over 2 MB even as a JPEG")

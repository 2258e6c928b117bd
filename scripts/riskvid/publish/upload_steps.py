"""The steps of an upload, each a function that makes its API calls and returns the updated record.

Every call goes through ``execute``: 500/502/503/504 and dropped connections are retried with
backoff; anything else (a quota error included) is raised for the caller to report.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from googleapiclient.http import MediaFileUpload, MediaInMemoryUpload

from riskvid.config.youtube import YoutubeSettings
from riskvid.errors import RunError
from riskvid.publish.resumable import RetryPolicy, SessionStore, upload_video
from riskvid.publish.upload_package import Package, thumbnail_upload
from riskvid.publish.upload_record import Record
from riskvid.publish.youtube_api import QUOTA, Connection, is_retriable

Report = Callable[[str], None]


@dataclass(frozen=True)
class Step:
    """One thing to send: its name (for the done/left line), the calls it makes, and what it carries."""

    name: str
    calls: tuple[str, ...]
    what: str

    @property
    def units(self) -> int:
        return sum(QUOTA[call] for call in self.calls)


@dataclass(frozen=True)
class Plan:
    """What a run sends, in order, starting from ``record``."""

    package: Package
    settings: YoutubeSettings
    metadata: dict[str, Any]
    record: Record
    steps: tuple[Step, ...]

    @property
    def units(self) -> int:
        return sum(step.units for step in self.steps)


@dataclass
class Sending:
    """A run under way: the plan, the record so far, and what has been sent (mutable; only inside ``upload``)."""

    plan: Plan
    record: Record
    report: Report
    calls: list[str] = field(default_factory=list)
    bytes_sent: int = 0
    sessions_opened: int = 0


CAPTION_TRACK_NAME = "Captions"
CALL_NOTES = {
    "captions.list": "look for a track in this language to replace (never a second one)",
    "captions.delete": "remove the track in the language used before",
    "playlists.list": "find the playlist by its title",
    "playlists.insert": "make the playlist, if none has that title",
    "playlistItems.list": "is the video in the playlist already?",
}


def caption_calls(record: Record, language: str, fresh: bool) -> tuple[str, ...]:
    """The calls that put the captions on YouTube as the one track in ``language``."""
    calls: tuple[str, ...] = ()
    if not fresh and record.caption_id and record.caption_language != language:
        calls += ("captions.delete",)
    known = not fresh and record.caption_id and record.caption_language == language
    if not fresh and not known:
        calls += ("captions.list",)
    return calls + (("captions.update",) if known else ("captions.insert",))


def playlist_calls(settings: YoutubeSettings, fresh: bool) -> tuple[str, ...]:
    """The calls that add the video to the config's playlist (made by title if missing)."""
    calls: tuple[str, ...] = () if settings.playlist_id else ("playlists.list", "playlists.insert")
    return calls + (() if fresh else ("playlistItems.list",)) + ("playlistItems.insert",)


def metadata_lines(metadata: dict[str, Any]) -> list[str]:
    """The video's metadata exactly as it is sent, as JSON lines."""
    return json.dumps(metadata, indent=2, ensure_ascii=False).splitlines()


def execute(sending: Sending, method: str, request: Any, policy: RetryPolicy) -> Any:
    """Run one API request, retrying 5xx answers and dropped connections; every attempt is counted."""
    failures = 0
    while True:
        sending.calls.append(method)
        try:
            return request.execute(num_retries=0)
        except Exception as error:
            if not is_retriable(error):
                raise
            failures += 1
            if failures >= policy.tries:
                raise RunError(f"{method} failed {failures} times in a row ({type(error).__name__}); "
                               "run riskvid upload again to continue") from None
            time.sleep(policy.pause(failures))


def _fresh(sending: Sending) -> bool:
    """Whether this run uploaded the video (so it has no caption track or playlist item yet)."""
    return any(step.name == "video" for step in sending.plan.steps)


def send_video(connection: Connection, sending: Sending, policy: RetryPolicy) -> Record:
    """videos.insert: the master, resumable, with its metadata."""
    plan = sending.plan
    sending.calls.append("videos.insert")
    uploaded = upload_video(connection, plan.package.master.path, plan.package.master.sha256, plan.metadata,
                            plan.settings.notify_subscribers, SessionStore(plan.package.folder), sending.report, policy)
    sending.bytes_sent += uploaded.bytes_sent
    sending.sessions_opened += uploaded.sessions_opened
    return sending.record.but(video_id=str(uploaded.resource["id"]), video_sha256=plan.package.master.sha256,
                              metadata=plan.metadata)


def send_metadata(connection: Connection, sending: Sending, policy: RetryPolicy) -> Record:
    """videos.update: title, description, tags, category, languages and status, as the config says now."""
    body = {"id": sending.record.video_id, **sending.plan.metadata}
    execute(sending, "videos.update", connection.service.videos().update(part="snippet,status", body=body), policy)
    return sending.record.but(metadata=sending.plan.metadata)


def send_thumbnail(connection: Connection, sending: Sending, policy: RetryPolicy) -> Record:
    """thumbnails.set: the PNG, or a JPEG of it when it is over 2 MB."""
    thumbnail = sending.plan.package.thumbnail
    picture = thumbnail_upload(thumbnail)
    media = MediaInMemoryUpload(picture.data, mimetype=picture.mimetype, resumable=False)
    execute(sending, "thumbnails.set", connection.service.thumbnails().set(videoId=sending.record.video_id,
                                                                         media_body=media), policy)
    return sending.record.but(thumbnail_sha256=thumbnail.sha256)


def send_captions(connection: Connection, sending: Sending, policy: RetryPolicy) -> Record:
    """The captions as the video's one track in the config's language: replaced in place when one exists."""
    record, language = sending.record, sending.plan.settings.language
    captions = connection.service.captions()
    media = MediaFileUpload(str(sending.plan.package.captions.path), mimetype="application/octet-stream",
                            resumable=False)
    track = record.caption_id if record.caption_language == language else None
    if record.caption_id and track is None and not _fresh(sending):
        execute(sending, "captions.delete", captions.delete(id=record.caption_id), policy)
        record = record.but(caption_id=None, caption_language=None)
    if track is None and not _fresh(sending):
        found = execute(sending, "captions.list", captions.list(part="snippet", videoId=record.video_id), policy)
        track = next((item["id"] for item in found.get("items", []) if item["snippet"].get("language") == language
                      and item["snippet"].get("trackKind", "standard").lower() == "standard"), None)
    if track:
        execute(sending, "captions.update", captions.update(part="snippet", body={"id": track, "snippet": {
            "isDraft": False}}, media_body=media), policy)
    else:
        made = execute(sending, "captions.insert", captions.insert(part="snippet", body={"snippet": {
            "videoId": record.video_id, "language": language, "name": CAPTION_TRACK_NAME, "isDraft": False}},
            media_body=media), policy)
        track = made["id"]
    return record.but(caption_id=track, caption_language=language,
                      captions_sha256=sending.plan.package.captions.sha256)


def send_playlist(connection: Connection, sending: Sending, policy: RetryPolicy) -> Record:
    """Add the video to the config's playlist (by id, or by title: made private-first if missing)."""
    settings, record = sending.plan.settings, sending.record
    playlist_id = settings.playlist_id or _playlist_by_title(connection, sending, policy)
    item = None
    if not _fresh(sending):
        found = execute(sending, "playlistItems.list", connection.service.playlistItems().list(
            part="id", playlistId=playlist_id, videoId=record.video_id), policy)
        item = next((entry["id"] for entry in found.get("items", [])), None)
    if item is None:
        made = execute(sending, "playlistItems.insert", connection.service.playlistItems().insert(
            part="snippet", body={"snippet": {"playlistId": playlist_id,
                                              "resourceId": {"kind": "youtube#video", "videoId": record.video_id}}}),
            policy)
        item = made["id"]
    return record.but(playlist=settings.playlist, playlist_id=playlist_id, playlist_item_id=item)


def _playlist_by_title(connection: Connection, sending: Sending, policy: RetryPolicy) -> str:
    """The id of the channel's playlist titled as the config says, made (with the video's privacy) if missing."""
    settings = sending.plan.settings
    page: str | None = None
    while True:
        found = execute(sending, "playlists.list", connection.service.playlists().list(
            part="snippet", mine=True, maxResults=50, pageToken=page), policy)
        for entry in found.get("items", []):
            if entry["snippet"].get("title") == settings.playlist:
                return str(entry["id"])
        page = found.get("nextPageToken")
        if not page:
            break
    made = execute(sending, "playlists.insert", connection.service.playlists().insert(
        part="snippet,status", body={"snippet": {"title": settings.playlist, "defaultLanguage": settings.language},
                                     "status": {"privacyStatus": settings.privacy}}), policy)
    sending.report(f"made the playlist {settings.playlist!r} ({settings.privacy})")
    return str(made["id"])


def processing(connection: Connection, sending: Sending) -> str:
    """YouTube's processing status of the video (videos.list): processing, succeeded, failed …"""
    sending.calls.append("videos.list")
    found = connection.service.videos().list(part="status,processingDetails", id=sending.record.video_id).execute()
    items = found.get("items") or []
    if not items:
        return "deleted"
    details = items[0].get("processingDetails") or {}
    return str(details.get("processingStatus") or items[0].get("status", {}).get("uploadStatus") or "unknown")


SENDERS: dict[str, Callable[[Connection, Sending, RetryPolicy], Record]] = {
    "video": send_video, "metadata": send_metadata, "thumbnail": send_thumbnail,
    "captions": send_captions, "playlist": send_playlist,
}

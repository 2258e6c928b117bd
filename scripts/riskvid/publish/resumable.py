"""The master's resumable upload: in chunks, retried, resumed from the byte YouTube confirms.

The session's URI is written to ``youtube/upload-session.json`` as soon as YouTube gives it, so a
run that is killed (or a machine that sleeps) continues the same session next time: a status query
(an empty PUT with ``Content-Range: bytes */size``) says how many bytes YouTube holds, and the
upload goes on from there. Retries follow YouTube's upload guide: 500, 502, 503, 504 and dropped
connections, with exponential backoff and full jitter.
"""

from __future__ import annotations

import json
import os
import random
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from googleapiclient.errors import HttpError
from googleapiclient.http import MediaUpload

from riskvid.errors import RunError
from riskvid.files import read_json, write_json
from riskvid.publish.youtube_api import Connection, is_retriable, status

CHUNK_UNIT = 256 * 1024  # YouTube takes chunks in multiples of 256 KiB
DEFAULT_CHUNK = 32 * CHUNK_UNIT  # 8 MiB
CHUNK_VARIABLE = "RISKVID_UPLOAD_CHUNK_KB"  # smaller chunks (tests); a multiple of 256
BACKOFF_VARIABLE = "RISKVID_UPLOAD_BACKOFF"  # the first retry's longest pause in seconds (tests: 0.01)
SESSION_NAME = "upload-session.json"
EXPIRED = frozenset({404, 410})
MAX_EXPIRIES = 3  # sessions expired in one run before it gives up


@dataclass(frozen=True)
class RetryPolicy:
    """How often and how long to wait before trying again (full jitter: a random pause up to the bound)."""

    tries: int = 10
    first: float = 1.0
    longest: float = 64.0

    @classmethod
    def from_environment(cls) -> RetryPolicy:
        return cls(first=float(os.environ.get(BACKOFF_VARIABLE) or 1.0))

    def pause(self, attempt: int) -> float:
        """Seconds to wait before retry number ``attempt`` (1, 2, …)."""
        return random.uniform(0, min(self.longest, self.first * 2 ** (attempt - 1)))


@dataclass(frozen=True)
class Session:
    """An upload session YouTube opened: where to send the bytes of which file."""

    uri: str
    sha256: str
    size: int


@dataclass(frozen=True)
class Uploaded:
    """What the upload did: the video resource YouTube returned, bytes sent, sessions opened."""

    resource: dict[str, Any]
    bytes_sent: int
    sessions_opened: int
    resumed_at: int | None  # the byte a kept session resumed from (None: no kept session)


class SessionStore:
    """The kept session, a JSON file beside the package."""

    def __init__(self, folder: Path) -> None:
        self.path = folder / SESSION_NAME

    def load(self) -> Session | None:
        data = read_json(self.path)
        try:
            return Session(str(data["uri"]), str(data["sha256"]), int(data["size"]))
        except (TypeError, KeyError, ValueError):
            return None

    def save(self, session: Session) -> None:
        write_json(self.path, asdict(session))

    def clear(self) -> None:
        self.path.unlink(missing_ok=True)


class FileChunks(MediaUpload):  # type: ignore[misc]
    """A file sent in chunks, each read into memory as bytes (a retried request can send them again)."""

    def __init__(self, path: Path, chunk: int, mimetype: str = "video/mp4") -> None:
        self.path, self._chunk, self._mimetype = path, chunk, mimetype
        self._size = path.stat().st_size
        self.bytes_read = 0  # handed to the transport, over every attempt

    def chunksize(self) -> int:
        return self._chunk

    def mimetype(self) -> str:
        return self._mimetype

    def size(self) -> int:
        return self._size

    def resumable(self) -> bool:
        return True

    def has_stream(self) -> bool:
        return False

    def getbytes(self, begin: int, length: int) -> bytes:
        with open(self.path, "rb") as handle:
            handle.seek(begin)
            data = handle.read(length)
        self.bytes_read += len(data)
        return data

    def to_json(self) -> str:
        return json.dumps({"path": str(self.path)})


def chunk_size() -> int:
    """The chunk size: 8 MiB, or $RISKVID_UPLOAD_CHUNK_KB rounded to a multiple of 256 KiB."""
    kilobytes = os.environ.get(CHUNK_VARIABLE)
    if not kilobytes:
        return DEFAULT_CHUNK
    return max(1, round(int(kilobytes) * 1024 / CHUNK_UNIT)) * CHUNK_UNIT


def upload_video(connection: Connection, path: Path, sha256: str, body: dict[str, Any], notify: bool,
                 store: SessionStore, report: Callable[[str], None],
                 policy: RetryPolicy | None = None) -> Uploaded:
    """Upload ``path`` with metadata ``body`` as a new video (videos.insert), resuming a kept session."""
    policy = policy or RetryPolicy.from_environment()
    media = FileChunks(path, chunk_size())
    request = connection.service.videos().insert(part="snippet,status", body=body, notifySubscribers=notify,
                                                 media_body=media)
    kept, resumed_at, sessions = store.load(), None, 0
    if kept and (kept.sha256, kept.size) == (sha256, media.size()):
        confirmed = _confirmed(connection, kept, policy)
        if isinstance(confirmed, dict):
            store.clear()
            return Uploaded(confirmed, media.bytes_read, 0, media.size())
        if confirmed is None:
            report("the kept upload session has expired; starting the upload again from the first byte")
        else:
            request.resumable_uri, request.resumable_progress, resumed_at = kept.uri, confirmed, confirmed
            report(f"resuming the upload at byte {confirmed:,} of {media.size():,} ({confirmed / media.size():.0%})")
    if kept and request.resumable_uri is None:
        store.clear()  # expired, or made for other bytes
    failures, expiries, response = 0, 0, None
    try:
        while response is None:
            uri = request.resumable_uri
            try:
                _, response = request.next_chunk(num_retries=0)
                failures = 0
            except HttpError as error:
                if status(error) in EXPIRED and request.resumable_uri:
                    expiries += 1
                    if expiries > MAX_EXPIRIES:
                        raise RunError(f"YouTube expired {expiries} upload sessions of this video in a row "
                                       f"(HTTP {status(error)}); try again later") from None
                    report(f"the upload session expired (HTTP {status(error)}); starting again from the first byte")
                    store.clear()
                    request.resumable_uri, request.resumable_progress = None, 0
                    continue
                if not is_retriable(error):
                    raise
                failures = _pause(policy, failures, error, request.resumable_progress)
            except Exception as error:
                if not is_retriable(error):
                    raise
                failures = _pause(policy, failures, error, request.resumable_progress)
            finally:
                if request.resumable_uri and request.resumable_uri != uri:
                    sessions += 1
                    store.save(Session(request.resumable_uri, sha256, media.size()))
    finally:
        if response is not None:
            store.clear()
    return Uploaded(response, media.bytes_read, sessions, resumed_at)


def _pause(policy: RetryPolicy, failures: int, error: BaseException, progress: int) -> int:
    """Sleep before the next try; RunError once ``policy.tries`` tries in a row have failed."""
    failures += 1
    if failures >= policy.tries:
        raise RunError(f"the upload failed {failures} times in a row (last: {_name(error)}); YouTube holds "
                       f"{progress:,} bytes of it: run again to continue from there")
    time.sleep(policy.pause(failures))
    return failures


def _name(error: BaseException) -> str:
    return f"HTTP {status(error)}" if isinstance(error, HttpError) else type(error).__name__


def _confirmed(connection: Connection, session: Session, policy: RetryPolicy) -> int | dict[str, Any] | None:
    """Ask YouTube how much of ``session`` it holds: the next byte to send, the video (all of it
    arrived), or None (the session expired)."""
    headers = {"Content-Range": f"bytes */{session.size}", "Content-Length": "0"}
    failures = 0
    while True:
        try:
            response, content = connection.http.request(session.uri, "PUT", body=b"", headers=headers)
        except Exception as error:
            if not is_retriable(error):
                raise
            failures = _pause(policy, failures, error, 0)
            continue
        code = int(response.status)
        if code in (200, 201):
            resource: dict[str, Any] = json.loads(content.decode("utf-8"))
            return resource
        if code == 308:
            held = response.get("range")
            return int(held.split("-")[1]) + 1 if held else 0
        if code in EXPIRED:
            return None
        if code not in (500, 502, 503, 504):
            raise HttpError(response, content, uri=session.uri)
        failures = _pause(policy, failures, HttpError(response, content, uri=session.uri), 0)

"""An emulator of the YouTube Data API v3 endpoints riskvid uses, on loopback, with faults on demand.

It speaks the wire protocol google-api-python-client speaks to YouTube, so the tests exercise the
real client library: resumable sessions (POST …?uploadType=resumable answers a Location; PUT chunks
with Content-Range answered 308 + Range, or 200 with the video at the end; status queries with
``Content-Range: bytes */total``), multipart uploads (captions), media uploads (thumbnails) and
JSON calls (videos.list/update, captions.list/delete, playlists, playlistItems). Errors carry
Google's JSON error body.

Faults: ``cut_at(fraction)`` drops the connection (a TCP reset) once that share of the video has
arrived, in the middle of a chunk; ``fail_next(503)`` answers the next request with a 5xx;
``refuse(method, "quotaExceeded")`` answers a call with 403 and that reason; ``expire_sessions()``
makes open upload sessions answer 404; ``expire_token()`` answers 401 to the token in use until
the client refreshes it; ``chunk_delay`` slows every chunk down.
"""

from __future__ import annotations

import json
import secrets
import socket
import struct
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

from tests.scripts.youtube_emulator_calls import Calls

API = "/youtube/v3/"
UPLOAD = "/upload/youtube/v3/"


@dataclass
class UploadSession:
    """A resumable upload session: the metadata it was opened with and the bytes held so far."""

    total: int
    metadata: dict[str, Any]
    params: dict[str, str]
    data: bytearray = field(default_factory=bytearray)
    video_id: str | None = None
    expired: bool = False
    received: int = 0  # bytes of chunks that arrived for this session, over every attempt


@dataclass(frozen=True)
class Logged:
    """One request the emulator answered: the API method it was, its status, and the bytes of its body."""

    method: str
    status: int
    body_bytes: int
    content_range: str = ""


class YoutubeEmulator:
    """The emulator's state; ``host`` is what YOUTUBE_EMULATOR_HOST should say."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.sessions: dict[str, UploadSession] = {}
        self.videos: dict[str, dict[str, Any]] = {}
        self.video_bytes: dict[str, bytes] = {}
        self.captions: dict[str, dict[str, Any]] = {}
        self.thumbnails: dict[str, tuple[str, bytes]] = {}
        self.playlists: dict[str, dict[str, Any]] = {}
        self.playlist_items: dict[str, dict[str, Any]] = {}
        self.log: list[Logged] = []
        self.media_bytes_received = 0  # bytes of video chunks that arrived, over every attempt
        self.sessions_opened = 0
        self.chunk_delay = 0.0
        self.after_chunk: Callable[[UploadSession], None] | None = None  # called once a chunk is held
        self.processing_polls = 1  # videos.list answers "processing" this many times, then processing_result
        self.processing_result = "succeeded"
        self._cut_at: float | None = None
        self._after_cut: int | None = None
        self._expire_after: int | None = None
        self.expired_status = 404  # what an expired session answers: 404 or 410
        self._fail_next: list[int] = []
        self._refusals: dict[str, str] = {}
        self._expired_tokens: set[str] = set()
        self._polls: dict[str, int] = {}
        self.token_requests: list[str] = []  # grant types asked of /token
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
        self.server.daemon_threads = True
        self.server.emulator = self  # type: ignore[attr-defined]
        self.server.handle_error = lambda request, address: None  # type: ignore[method-assign]
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def host(self) -> str:
        return f"127.0.0.1:{self.server.server_address[1]}"

    def start(self) -> YoutubeEmulator:
        self.thread.start()
        return self

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    # Faults.

    def cut_at(self, fraction: float, then: int | None = None) -> None:
        """Reset the connection once ``fraction`` of a video's bytes are held (once); then answer the
        request after it with status ``then`` (a 503, say) if given."""
        self._cut_at, self._after_cut = fraction, then

    def fail_next(self, status: int = 503) -> None:
        """Answer the next request (any) with ``status``."""
        self._fail_next.append(status)

    def refuse(self, method: str, reason: str = "quotaExceeded") -> None:
        """Answer the next ``method`` call ("thumbnails.set", …) with 403 and ``reason``."""
        self._refusals[method] = reason

    def expire_after(self, chunks: int, status: int = 404) -> None:
        """Expire the open sessions once ``chunks`` more chunks have arrived (once); they answer ``status``."""
        self._expire_after, self.expired_status = chunks, status

    def expire_sessions(self) -> None:
        for session in self.sessions.values():
            session.expired = True

    def expire_token(self, token: str = "emulator-0") -> None:
        self._expired_tokens.add(token)

    # What happened.

    def calls(self) -> list[str]:
        """The API methods answered, in order (a chunk of an upload counts as "videos.insert:chunk")."""
        return [entry.method for entry in self.log]

    def api_calls(self) -> list[str]:
        """The calls that cost quota: every request but the chunks and status queries of an upload."""
        return [name for name in self.calls() if ":" not in name]


class _Handler(Calls, BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: Any

    def log_message(self, format: str, *args: Any) -> None:  # quiet
        pass

    @property
    def emulator(self) -> YoutubeEmulator:
        return self.server.emulator  # type: ignore[no-any-return]

    def do_GET(self) -> None:
        self._route()

    def do_POST(self) -> None:
        self._route()

    def do_PUT(self) -> None:
        self._route()

    def do_DELETE(self) -> None:
        self._route()

    # Routing.

    def _route(self) -> None:
        url = urlsplit(self.path)
        self.query = {key: values[0] for key, values in parse_qs(url.query).items()}
        self.route_path = url.path
        em = self.emulator
        if url.path == "/token":
            return self._token_endpoint(parse_qs(self._read_body().decode()))
        name = self._method_name()
        if name == "videos.insert" and "upload_id" in self.query:
            self._chunk()
            return
        body = self._read_body()
        with em.lock:
            if self._token() in em._expired_tokens:
                return self._error(name, 401, "authError", "Request had invalid authentication credentials.", body)
            if em._fail_next:
                return self._error(name, em._fail_next.pop(0), "backendError", "Backend Error", body)
            if name in em._refusals:
                reason = em._refusals.pop(name)
                return self._error(name, 403, reason, f"The request cannot be completed: {reason}.", body)
            handler = getattr(self, "_" + name.replace(".", "_"), None)
            if handler is None:
                return self._error(name, 404, "notFound", f"no such endpoint: {self.command} {url.path}", body)
            handler(body)

    def _token(self) -> str:
        return (self.headers.get("Authorization") or "").removeprefix("Bearer ")

    def _method_name(self) -> str:
        path = self.route_path
        resource = path.removeprefix(UPLOAD).removeprefix(API)
        verbs = {("videos", "POST"): "insert", ("videos", "PUT"): "update", ("videos", "GET"): "list",
                 ("captions", "POST"): "insert", ("captions", "PUT"): "update", ("captions", "GET"): "list",
                 ("captions", "DELETE"): "delete", ("thumbnails/set", "POST"): "set",
                 ("playlists", "GET"): "list", ("playlists", "POST"): "insert",
                 ("playlistItems", "GET"): "list", ("playlistItems", "POST"): "insert"}
        verb = verbs.get((resource, self.command))
        if resource == "videos" and self.command == "PUT" and path.startswith(UPLOAD):
            verb = "insert"  # a chunk
        return f"{resource.split('/')[0]}.{verb}" if verb else f"{self.command} {path}"

    def _read_body(self) -> bytes:
        length = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(length) if length else b""

    # Answers.

    def _send(self, name: str, status: int, payload: dict[str, Any] | None = None,
              headers: dict[str, str] | None = None, body_bytes: int = 0) -> None:
        data = json.dumps(payload).encode() if payload is not None else b""
        self.send_response(status)
        for key, value in (headers or {}).items():
            self.send_header(key, value)
        if payload is not None:
            self.send_header("Content-Type", "application/json; charset=UTF-8")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)
        self.emulator.log.append(Logged(name, status, body_bytes, self.headers.get("Content-Range") or ""))

    def _error(self, name: str, status: int, reason: str, message: str, body: bytes = b"") -> None:
        self._send(name, status, {"error": {"code": status, "message": message,
                                            "errors": [{"message": message, "domain": "youtube", "reason": reason}]}},
                   body_bytes=len(body))

    # Resumable uploads.

    def _videos_insert(self, body: bytes) -> None:
        """Open a session: the metadata in the body, the size in X-Upload-Content-Length."""
        em = self.emulator
        upload_id = secrets.token_hex(8)
        total = int(self.headers["X-Upload-Content-Length"])
        em.sessions[upload_id] = UploadSession(total, json.loads(body or b"{}"), dict(self.query))
        em.sessions_opened += 1
        location = f"http://{em.host}{UPLOAD}videos?uploadType=resumable&upload_id={upload_id}"
        self._send("videos.insert", 200, None, {"Location": location}, len(body))

    def _chunk(self) -> None:
        em = self.emulator
        session = em.sessions.get(self.query["upload_id"])
        length = int(self.headers.get("Content-Length") or 0)
        spec = (self.headers.get("Content-Range") or "").removeprefix("bytes ")
        name = "videos.insert:status" if spec.startswith("*/") else "videos.insert:chunk"
        with em.lock:
            refusal = (401, "authError") if self._token() in em._expired_tokens else \
                (em._fail_next.pop(0), "backendError") if em._fail_next else \
                (404, "notFound") if session is None else \
                (em.expired_status, "notFound") if session.expired else None
        if refusal:
            em.media_bytes_received += len(self._read_body())
            return self._error(name, refusal[0], refusal[1], f"refused: {refusal[1]}")
        if name == "videos.insert:status":
            self._read_body()
            return self._held(session, name)
        first = int(spec.split("-")[0])
        if first > len(session.data):
            self._read_body()
            return self._error("videos.insert:chunk", 400, "badRequest", f"chunk starts at {first}, "
                               f"past the {len(session.data)} bytes held")
        cut = int(em._cut_at * session.total) if em._cut_at is not None else None
        received = bytearray()
        while len(received) < length:
            piece = self.rfile.read(min(64 * 1024, length - len(received)))
            if not piece:
                break  # the client went away: keep what arrived
            received += piece
            with em.lock:
                em.media_bytes_received += len(piece)
                session.received += len(piece)
                session.data[first + len(received) - len(piece):first + len(received)] = piece
                if cut is not None and first + len(received) >= cut:
                    del session.data[cut:]
                    em._cut_at = None
                    if em._after_cut:
                        em._fail_next.append(em._after_cut)
                    return self._reset("videos.insert:chunk")
        if em.after_chunk:
            em.after_chunk(session)
        if em.chunk_delay:
            time.sleep(em.chunk_delay)
        with em.lock:
            if em._expire_after is not None:
                em._expire_after -= 1
                if em._expire_after <= 0:
                    em._expire_after = None
                    em.expire_sessions()
        self._held(session, "videos.insert:chunk", len(received))

    def _held(self, session: UploadSession, name: str, body_bytes: int = 0) -> None:
        """308 with the bytes held, or the video once all of them are."""
        if len(session.data) < session.total:
            headers = {"Range": f"bytes=0-{len(session.data) - 1}"} if session.data else {}
            return self._send(name, 308, None, headers, body_bytes)
        if session.video_id is None:
            session.video_id = self._new_video(session)
        self._send(name, 200, self.emulator.videos[session.video_id], body_bytes=body_bytes)

    def _new_video(self, session: UploadSession) -> str:
        em = self.emulator
        video_id = secrets.token_urlsafe(8)[:11]
        resource = {"kind": "youtube#video", "id": video_id, **session.metadata}
        resource.setdefault("status", {})["uploadStatus"] = "uploaded"
        resource["notifySubscribers"] = session.params.get("notifySubscribers")
        em.videos[video_id] = resource
        em.video_bytes[video_id] = bytes(session.data)
        return video_id

    def _reset(self, name: str) -> None:
        """Drop the connection with a TCP reset, answering nothing."""
        self.emulator.log.append(Logged(name, 0, 0, self.headers.get("Content-Range") or ""))
        self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        self.connection.close()
        self.close_connection = True
        self.wfile = _Sink()  # type: ignore[assignment]


class _Sink:
    """Where answers go after the connection was reset: nowhere."""

    def write(self, data: bytes) -> int:
        return len(data)

    def flush(self) -> None:
        pass

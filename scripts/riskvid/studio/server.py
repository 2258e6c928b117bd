"""The studio's web app (Starlette): the page, its API and the video's own files, only for its token.

Every request must carry the token, in the query (``?token=``) or in the cookie the page's first load
sets; any other gets 403. The Host header must name the loopback address the studio listens on (a page
elsewhere cannot reach it through a name of its own). Files are served from the video's output folder
only: the path is resolved (links followed) and must still lie inside that folder.
"""

from __future__ import annotations

import asyncio
import json
import secrets
import threading
from collections.abc import AsyncIterator
from http.cookies import SimpleCookie
from importlib import resources
from pathlib import Path
from urllib.parse import parse_qs

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import FileResponse, JSONResponse, PlainTextResponse, Response, StreamingResponse
from starlette.routing import Route
from starlette.types import ASGIApp, Receive, Scope, Send

from riskvid.files import read_json
from riskvid.studio.state import StudioState

PAGE_FILES = {"app.js": "text/javascript", "style.css": "text/css"}
SERVED = {".mp4", ".m4a", ".png", ".jpg", ".gif", ".srt", ".vtt", ".json"}
EVENT_POLL = 0.2  # seconds between looks at the state, per open page
KEEPALIVE = 15.0


def cookie_name(port: int) -> str:
    """The token's cookie, one per port (cookies do not tell ports apart)."""
    return f"riskvid_studio_{port}"


class TokenGate:
    """ASGI middleware: 403 for a request without the token or with a Host that is not ours."""

    def __init__(self, app: ASGIApp, token: str, cookie: str, hosts: set[str] | None):
        self.app, self.token, self.cookie, self.hosts = app, token, cookie, hosts

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = {key.decode("latin-1"): value.decode("latin-1") for key, value in scope["headers"]}
        if (self.hosts is not None and headers.get("host") not in self.hosts) or not self._has_token(scope, headers):
            await PlainTextResponse("forbidden", status_code=403)(scope, receive, send)
            return
        await self.app(scope, receive, send)

    def _has_token(self, scope: Scope, headers: dict[str, str]) -> bool:
        query = parse_qs(scope.get("query_string", b"").decode("latin-1"))
        given = query.get("token", [""])[0]
        if not given and "cookie" in headers:
            jar: SimpleCookie = SimpleCookie()
            try:
                jar.load(headers["cookie"])
            except Exception:  # a malformed cookie header: no token
                return False
            given = jar[self.cookie].value if self.cookie in jar else ""
        return bool(given) and secrets.compare_digest(given.encode(), self.token.encode())


def contained(root: Path, relative: str) -> Path | None:
    """The file ``relative`` names inside ``root``, resolved, if it is a served kind and stays inside."""
    base = root.resolve()
    try:
        path = (base / relative).resolve(strict=True)
    except (OSError, RuntimeError, ValueError):
        return None
    if not path.is_relative_to(base) or not path.is_file() or path.suffix.lower() not in SERVED:
        return None
    return path


def create_app(state: StudioState, port: int, stopping: threading.Event, hosts: set[str] | None = None) -> ASGIApp:
    """The app; ``hosts`` the Host headers accepted (None: any, for tests), ``stopping`` ends open event streams."""
    cookie = cookie_name(port)

    async def page(request: Request) -> Response:
        text = resources.files("riskvid.studio").joinpath("page", "index.html").read_text(encoding="utf-8")
        response = Response(text, media_type="text/html; charset=utf-8",
                            headers={"Cache-Control": "no-store", "Referrer-Policy": "no-referrer"})
        response.set_cookie(cookie, state.token, httponly=True, samesite="strict", path="/")
        return response

    async def asset(request: Request) -> Response:
        name = request.path_params["name"]
        if name not in PAGE_FILES:
            return PlainTextResponse("not found", status_code=404)
        text = resources.files("riskvid.studio").joinpath("page", name).read_text(encoding="utf-8")
        return Response(text, media_type=PAGE_FILES[name], headers={"Cache-Control": "no-store"})

    async def timeline(request: Request) -> Response:
        return JSONResponse(await asyncio.to_thread(state.timeline))

    async def waveform(request: Request) -> Response:
        data = read_json(state.root / ".cache" / "studio" / "waveform.json")
        return JSONResponse(data if isinstance(data, dict) else {"rate": 25, "peaks": []})

    async def files(request: Request) -> Response:
        relative = request.path_params["path"]
        path = contained(state.root, relative) if ".." not in Path(relative).parts else None
        if path is None:
            return PlainTextResponse("not one of this video's files", status_code=403)
        return FileResponse(path, headers={"Cache-Control": "no-cache"})

    async def events(request: Request) -> Response:
        async def stream() -> AsyncIterator[str]:
            seen, quiet = -1, 0.0
            while not stopping.is_set() and not await request.is_disconnected():
                now = state.snapshot()
                if now["version"] != seen:
                    seen, quiet = now["version"], 0.0
                    yield f"event: state\ndata: {json.dumps(now)}\n\n"
                elif quiet >= KEEPALIVE:
                    quiet = 0.0
                    yield ": keep-alive\n\n"
                await asyncio.sleep(EVENT_POLL)
                quiet += EVENT_POLL

        return StreamingResponse(stream(), media_type="text/event-stream", headers={"Cache-Control": "no-store"})

    routes = [
        Route("/", page),
        Route("/page/{name}", asset),
        Route("/api/timeline", timeline),
        Route("/api/waveform", waveform),
        Route("/api/events", events),
        Route("/files/{path:path}", files),
    ]
    return TokenGate(Starlette(routes=routes), state.token, cookie, hosts)

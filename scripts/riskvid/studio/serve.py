"""``riskvid studio``: serve the page on 127.0.0.1, build on every change, and stop everything on a signal."""

from __future__ import annotations

import contextlib
import errno
import os
import secrets
import socket
import sys
import threading
import webbrowser
from collections.abc import Callable
from pathlib import Path
from types import FrameType

from riskvid.config.load import load_config
from riskvid.errors import InputError
from riskvid.run import layout_for
from riskvid.studio.runner import Runner
from riskvid.studio.server import create_app
from riskvid.studio.state import StudioState
from riskvid.studio.watch import Watcher

HOST = "127.0.0.1"


def listen(port: int) -> socket.socket:
    """A socket listening on loopback at ``port`` (0: any free port)."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((HOST, port))
    except OSError as error:
        sock.close()
        if error.errno == errno.EADDRINUSE:
            raise InputError(f"port {port} is in use: pass --port N (0 picks a free port)") from None
        raise
    sock.listen(64)
    sock.set_inheritable(False)
    return sock


def serve(config: Path, quality: str, port: int, jobs: int, browser: bool, say: Callable[[str], None]) -> int:
    """Run the studio until SIGINT or SIGTERM; the build running then is stopped, with every process it started."""
    import uvicorn

    parsed = load_config(config)  # a config that does not load yet still has no folder to show: say so now
    state = StudioState(layout_for(config, parsed).root, secrets.token_urlsafe(24))
    sock = listen(port)
    port = sock.getsockname()[1]
    stopping = threading.Event()
    app = create_app(state, port, stopping, hosts={f"{HOST}:{port}", f"localhost:{port}"})

    class Server(uvicorn.Server):
        def handle_exit(self, sig: int, frame: FrameType | None) -> None:
            stopping.set()  # open event streams end now, not at the graceful timeout
            super().handle_exit(sig, frame)

    server = Server(uvicorn.Config(app, log_level="warning", timeout_graceful_shutdown=2, lifespan="off",
                                   access_log=False))
    runner = Runner(config, quality, jobs, state)
    watcher = Watcher(config, runner.request)
    url = f"http://{HOST}:{port}/?token={state.token}"
    say(f"studio: {url}  (watching {config}, scenes/ and riskmath/; rendering at {quality}; Ctrl-C stops)")
    try:
        runner.start()
        watcher.start()
        if browser and (sys.platform == "darwin" or os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")):
            # (without a screen, webbrowser would run a text browser in this terminal and wait for it)
            threading.Thread(target=_open, args=(url,), name="studio-browser", daemon=True).start()
        server.run(sockets=[sock])
    finally:
        stopping.set()
        watcher.stop()
        runner.stop()
        sock.close()
    return 0


def _open(url: str) -> None:
    with contextlib.suppress(Exception):
        webbrowser.open(url)

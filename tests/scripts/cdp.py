"""Headless Chromium (Debian's) driven over its DevTools protocol through a pipe: no WebSocket client needed.

Chromium reads commands on fd 3 and writes answers and events on fd 4, each a JSON text ended by a NUL.
"""

import contextlib
import json
import os
import queue
import shutil
import subprocess
import threading
import time
from pathlib import Path

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--mute-audio",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--autoplay-policy=no-user-gesture-required", "--remote-debugging-pipe", "--window-size=1400,900"]


class Chromium:
    """One headless Chromium with one page; ``evaluate`` runs JavaScript in it, ``click`` clicks as a mouse does."""

    def __init__(self, profile: Path):
        commands_read, self._commands = os.pipe()
        self._answers, answers_write = os.pipe()

        def on_fds_3_and_4():
            a, b = os.dup(commands_read), os.dup(answers_write)
            os.dup2(a, 3)
            os.dup2(b, 4)

        self.process = subprocess.Popen([CHROMIUM, *FLAGS, f"--user-data-dir={profile}", "about:blank"],
                                        pass_fds=(3, 4), preexec_fn=on_fds_3_and_4, start_new_session=True,
                                        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, stdin=subprocess.DEVNULL)
        os.close(commands_read)
        os.close(answers_write)
        self._next = 0
        self._replies: dict[int, queue.SimpleQueue] = {}
        self._lock = threading.Lock()
        threading.Thread(target=self._read, daemon=True).start()
        target = self.send("Target.createTarget", {"url": "about:blank"})["targetId"]
        self.session = self.send("Target.attachToTarget", {"targetId": target, "flatten": True})["sessionId"]

    def _read(self):
        buffer = b""
        while chunk := os.read(self._answers, 1 << 16):
            buffer += chunk
            while b"\0" in buffer:
                message, buffer = buffer.split(b"\0", 1)
                data = json.loads(message)
                if "id" in data:
                    with self._lock:
                        box = self._replies.get(data["id"])
                    if box is not None:
                        box.put(data)

    def send(self, method: str, params: dict | None = None, session: str | None = None, timeout: float = 30):
        with self._lock:
            self._next += 1
            number = self._next
            box = self._replies[number] = queue.SimpleQueue()
        message = {"id": number, "method": method, "params": params or {}}
        if session:
            message["sessionId"] = session
        os.write(self._commands, json.dumps(message).encode() + b"\0")
        reply = box.get(timeout=timeout)
        if "error" in reply:
            raise RuntimeError(f"{method}: {reply['error']}")
        return reply.get("result", {})

    def evaluate(self, expression: str):
        """The value of a JavaScript expression in the page (promises awaited)."""
        result = self.send("Runtime.evaluate", {"expression": expression, "returnByValue": True, "awaitPromise": True},
                           self.session)
        if "exceptionDetails" in result:
            raise RuntimeError(f"{expression}: {result['exceptionDetails']}")
        return result["result"].get("value")

    def go(self, url: str):
        self.send("Page.navigate", {"url": url}, self.session)

    def wait_for(self, expression: str, timeout: float, every: float = 0.25):
        """Wait until ``expression`` is truthy in the page; its value."""
        deadline = time.monotonic() + timeout
        while True:
            with contextlib.suppress(RuntimeError):
                if value := self.evaluate(expression):
                    return value
            if time.monotonic() > deadline:
                raise TimeoutError(f"never true within {timeout} s: {expression}")
            time.sleep(every)

    def click(self, selector: str):
        """A real mouse click (a user's gesture) at the middle of the element ``selector`` names."""
        box = self.evaluate(f"(() => {{ const e = document.querySelector({json.dumps(selector)}); "
                            "e.scrollIntoView({block: 'center', inline: 'center'}); "
                            "const r = e.getBoundingClientRect(); "
                            "return [r.left + r.width / 2, r.top + r.height / 2]; })()")
        for kind in ("mousePressed", "mouseReleased"):
            self.send("Input.dispatchMouseEvent", {"type": kind, "x": box[0], "y": box[1], "button": "left",
                                                   "clickCount": 1}, self.session)

    def screenshot(self, path: Path):
        import base64

        data = self.send("Page.captureScreenshot", {"format": "png"}, self.session)["data"]
        path.write_bytes(base64.b64decode(data))

    def close(self):
        with contextlib.suppress(Exception):
            self.send("Browser.close", timeout=5)
        try:
            self.process.wait(10)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, 9)
            self.process.wait(10)
        os.close(self._commands)
        os.close(self._answers)

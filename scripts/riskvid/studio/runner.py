"""The studio's builds: ``riskvid.studio.job`` in a process (and session) of its own, run again whenever asked.

A change while a build runs stops it (its finished segments are kept) and starts another. The build's
lines say which segments are reused or rendered; a worker's folder under ``.work/`` says which one is
rendering now, and its last render time how far along it probably is. ``stop`` ends the build and
every process it started.
"""

from __future__ import annotations

import contextlib
import os
import queue
import re
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

from riskvid.config.load import load_config
from riskvid.errors import RiskvidError
from riskvid.files import read_json
from riskvid.run import layout_for
from riskvid.studio.state import Live, StudioState

POLL = 0.25  # seconds between looks at the build's folders
STOP_WAIT = 15.0  # seconds a build has to stop on SIGTERM before its session is killed
# "rendered tiny/02-bars in 3.5 s (2/7)", "reused   tiny/01-title", "rendered tiny/02-bars show_risk in 1.2 s (3/9)"
_DONE = re.compile(r"^(reused|rendered)\s+(\S+)(?: (?!in )(\S+))?(?: in ([\d.]+) s)?(?: \(.*\))?$")


class Runner:
    """Runs builds of ``config`` at ``quality`` one at a time, in a thread, reporting into ``state``."""

    def __init__(self, config: Path, quality: str, jobs: int, state: StudioState):
        self.config, self.quality, self.jobs, self.state = config, quality, jobs, state
        self.wanted = threading.Event()
        self.stopping = threading.Event()
        self.process: subprocess.Popen[str] | None = None
        self.thread = threading.Thread(target=self._loop, name="studio-builds", daemon=True)
        self.segments: dict[str, tuple[str, list[str]]] = {}  # segment name: (id, beat names)

    def start(self) -> None:
        self.thread.start()
        self.request()

    def request(self) -> None:
        """Build again (now, or once the build running is stopped)."""
        self.wanted.set()

    def stop(self) -> None:
        """Stop the build running, if any, and the thread; every process the builds started ends."""
        self.stopping.set()
        self.wanted.set()
        if self.thread.is_alive():
            self.thread.join(STOP_WAIT + 10)

    def _loop(self) -> None:
        while not self.stopping.is_set():
            self.wanted.wait()
            if self.stopping.is_set():
                break
            self.wanted.clear()
            self._build()

    def _build(self) -> None:
        with contextlib.suppress(RiskvidError, OSError):  # the config may name another folder now
            root = layout_for(self.config, load_config(self.config)).root
            with self.state.lock:
                self.state.root = root
        self._read_segments()
        with self.state.lock:
            self.state.building, self.state.stage, self.state.log = True, "timing and voice", []
            self.state.live = {}
            self.state.changed()
        command = [sys.executable, "-m", "riskvid.studio.job", str(self.config), "--quality", self.quality,
                   "--jobs", str(self.jobs)]
        environment = {**os.environ, "PYTHONUNBUFFERED": "1"}
        process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                                   start_new_session=True, env=environment, stdin=subprocess.DEVNULL)
        self.process = process
        lines: queue.SimpleQueue[str | None] = queue.SimpleQueue()
        reader = threading.Thread(target=_read, args=(process, lines), daemon=True)
        reader.start()
        cancelled, errors, last = False, [], ""
        while True:
            try:
                line = lines.get(timeout=POLL)
            except queue.Empty:
                line = ""
            if line is None:
                break
            if line.strip():
                errors += [line] if line.startswith("error: ") else []
                last = line.strip()
                self._line(line)
            self._look_at_work()
            if (self.wanted.is_set() or self.stopping.is_set()) and not cancelled:
                cancelled = True
                end_session(process)
        process.wait()
        reader.join(5)
        self.process = None
        # the command line's one line; else (a bug: a traceback) its last line, say a SyntaxError in scenes/
        self._finish(process.returncode, cancelled, errors[-1] if errors else last or None)

    def _finish(self, code: int, cancelled: bool, error: str | None) -> None:
        with self.state.lock:
            self.state.building = False
            if code == 0:
                self.state.stage, self.state.error, self.state.live = "done", None, {}
            elif cancelled:
                self.state.stage, self.state.live = "stopped", {}
            else:
                self.state.stage = "failed"
                self.state.error = error or f"the build stopped (exit status {code})"
                self.state.live = {key: Live("failed") for key, live in self.state.live.items()
                                   if live.status == "rendering"}
            self.state.changed(timeline=True)

    def _read_segments(self) -> None:
        studio = read_json(self.state.root / ".cache" / "studio" / "timeline.json")
        segments = studio.get("segments", []) if isinstance(studio, dict) else []
        self.segments = {s["name"]: (s["id"], [b["name"] for b in s["beats"]]) for s in segments}

    def _line(self, line: str) -> None:
        with self.state.lock:
            self.state.log = [*self.state.log[-20:], line]
            self.state.changed()
        if line == "studio: timeline":
            self._read_segments()
            with self.state.lock:
                self.state.stage = "rendering"
                self.state.live = {(segment, None): Live("queued") for segment, _ in self.segments.values()}
                self.state.changed(timeline=True)
            return
        match = _DONE.match(line)
        if match is None:
            return
        what, name, beat, seconds = match.groups()
        key = self._key(name.partition("/")[2] + (f"/{beat}" if beat else ""))
        if key is not None:
            with self.state.lock:
                self.state.live[key] = Live(what, seconds=float(seconds) if seconds else None)
                if key[1] is None:  # the whole segment: no beat of it is still on its own
                    self.state.live = {k: v for k, v in self.state.live.items() if k[0] != key[0] or k == key}
                self.state.changed(timeline=True)

    def _key(self, name: str) -> tuple[str, str | None] | None:
        """(segment id, beat) for a name the build printed: a segment's file stem, with a beat after it if any."""
        for stem, (segment, beats) in self.segments.items():
            if name == stem:
                return segment, None
            if name.startswith(stem) and (beat := name[len(stem) + 1:]) in beats:
                return segment, beat
        return None

    def _look_at_work(self) -> None:
        """Mark what a worker is rendering now (its folder under .work/), with an estimate of how far along."""
        work = self.state.root / ".work"
        try:
            folders = [entry for entry in work.iterdir() if entry.is_dir()]
        except OSError:
            return
        before = last_render_seconds(self.state.root)
        with self.state.lock:
            for folder in folders:
                key = self._key(folder.name)
                if key is None:
                    continue
                live = self.state.live.get(key)
                if live is None or live.status == "queued":
                    live = self.state.live[key] = Live("rendering", progress=0.0)
                if live.status == "rendering":
                    expected = before.get(key) or before.get((key[0], None)) or 30.0
                    live.progress = round(min(0.95, (time.monotonic() - live.started) / float(expected)), 3)
                    self.state.changed()


def last_render_seconds(root: Path) -> dict[tuple[str, str | None], float]:
    """What each segment (beat None) and beat took to render last time, from the manifest."""
    manifest = read_json(root / "manifest.json")
    found: dict[tuple[str, str | None], float] = {}
    for segment in manifest.get("segments", []) if isinstance(manifest, dict) else []:
        if not isinstance(segment, dict):
            continue
        found[(segment.get("id", ""), None)] = float(segment.get("render_seconds") or 0)
        for beat in segment.get("beats", []):
            if isinstance(beat, dict) and beat.get("render_seconds"):
                found[(segment.get("id", ""), beat.get("name"))] = float(beat["render_seconds"])
    return found


def _read(process: subprocess.Popen[str], lines: queue.SimpleQueue[str | None]) -> None:
    assert process.stdout is not None
    for line in process.stdout:
        lines.put(line.rstrip("\n"))
    lines.put(None)


def end_session(process: subprocess.Popen[str]) -> None:
    """SIGTERM to the build's main process (it stops its workers and says so), then, if anything of its
    session is still there after STOP_WAIT, SIGKILL to the session."""
    with contextlib.suppress(ProcessLookupError):
        process.send_signal(signal.SIGTERM)
    with contextlib.suppress(subprocess.TimeoutExpired):
        process.wait(STOP_WAIT)
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(process.pid, signal.SIGKILL)  # the session the build started in (its leader's pid)

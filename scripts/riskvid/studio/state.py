"""What the page shows: the timeline the last build made, each beat's status, the build's progress and error.

Statuses come from the manifest (a beat's own ``status`` and ``render_seconds`` where it has them, else
its segment's), overridden while a build runs by what that build has said so far (queued, rendering
with a progress estimate, rendered, reused, failed).
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import quote

from riskvid.files import file_state, read_json

STATUSES = ("reused", "queued", "rendering", "rendered", "failed")


@dataclass
class Live:
    """A segment's (or one beat's) status during a build."""

    status: str
    started: float = field(default_factory=time.monotonic)
    seconds: float | None = None  # render seconds, once rendered
    progress: float | None = None  # 0 to 1 while rendering (an estimate from its last render's time)


class StudioState:
    """Shared between the runner thread and the server: read with ``snapshot``/``timeline``, changed under a lock."""

    def __init__(self, root: Path, token: str):
        self.root = root  # the video's output folder (the last good config's)
        self.token = token
        self.lock = threading.Lock()
        self.version = 0  # bumped on every change the page should see
        self.timeline_version = 0  # bumped when the timeline or the rendered files change
        self.building = False
        self.stage = "idle"
        self.error: str | None = None
        self.log: list[str] = []  # the build's last lines
        self.live: dict[tuple[str, str | None], Live] = {}  # (segment id, beat or None for all its beats)

    def changed(self, timeline: bool = False) -> None:
        """Call with the lock held."""
        self.version += 1
        if timeline:
            self.timeline_version += 1

    def url(self, relative: str, version: object = None) -> str:
        query = f"?token={quote(self.token)}" + (f"&v={version}" if version is not None else "")
        return f"/files/{quote(relative)}{query}"

    def snapshot(self) -> dict[str, Any]:
        """The small part the page polls over events: versions, build stage, error, live statuses."""
        with self.lock:
            beats = {f"{segment}/{beat or '*'}": _live_json(live) for (segment, beat), live in self.live.items()}
            return {"version": self.version, "timeline_version": self.timeline_version, "building": self.building,
                    "stage": self.stage, "error": self.error, "log": self.log[-8:], "live": beats}

    def timeline(self) -> dict[str, Any]:
        """The timeline as the API gives it: segments → beats → lines → words, and the files to play."""
        studio = read_json(self.root / ".cache" / "studio" / "timeline.json")
        manifest = read_json(self.root / "manifest.json")
        manifest = manifest if isinstance(manifest, dict) else {}
        made = {segment.get("id"): segment for segment in manifest.get("segments", []) if isinstance(segment, dict)}
        with self.lock:
            live = dict(self.live)
            building, error, version = self.building, self.error, self.timeline_version
        segments = []
        for segment in (studio or {}).get("segments", []):
            record = made.get(segment["id"], {})
            beats = [self._beat(segment, beat, record, live) for beat in segment["beats"]]
            segments.append({key: segment[key] for key in ("id", "name", "title", "scene", "start", "end")}
                            | {"clip": self._file(record.get("file")), "beats": beats})
        video = manifest.get("video") if isinstance(manifest.get("video"), dict) else None
        return {
            "id": manifest.get("id"), "title": manifest.get("title"),
            "duration": (studio or {}).get("duration", 0), "fps": (studio or {}).get("fps"),
            "quality": (studio or {}).get("quality"), "frame": (studio or {}).get("frame"),
            "video": self._file(video["file"]) if video else None,
            "waveform": f"/api/waveform?token={quote(self.token)}",
            "segments": segments, "cues": (studio or {}).get("cues", []),
            "building": building, "error": error, "version": version,
        }

    def _beat(self, segment: dict[str, Any], beat: dict[str, Any], record: dict[str, Any],
              live: dict[tuple[str, str | None], Live]) -> dict[str, Any]:
        made = next((b for b in record.get("beats", []) if isinstance(b, dict) and b.get("name") == beat["name"]), {})
        status = made.get("status", record.get("status"))
        seconds = made.get("render_seconds", record.get("render_seconds"))
        progress = None
        now = live.get((segment["id"], beat["name"])) or live.get((segment["id"], None))
        if now is not None:
            status, progress = now.status, now.progress
            seconds = now.seconds if now.seconds is not None else seconds
        clip = self._file(made.get("file") or made.get("clip"))
        if clip is None and record.get("file") and made:
            start, end = made.get("start", 0.0), made.get("end", 0.0)  # seconds from the segment's start
            clip = f"{self._file(record['file'])}#t={start},{end}"
        poster = made.get("poster") or f".cache/render/{segment['id']}/posters/{beat['name']}.png"
        return {"name": beat["name"], "start": beat["start"], "end": beat["end"], "status": status or "queued",
                "render_seconds": seconds, "progress": progress, "clip": clip, "poster": self._file(poster),
                "lines": beat["lines"]}

    def _file(self, relative: object) -> str | None:
        """The URL of a file of the video's folder, with its state as a version (so a new render is fetched)."""
        if not isinstance(relative, str) or not relative:
            return None
        path = self.root / relative
        try:
            version = file_state(path)[1]
        except OSError:
            return None
        return self.url(relative, version)


def _live_json(live: Live) -> dict[str, Any]:
    return {"status": live.status, "progress": live.progress, "render_seconds": live.seconds}

"""Helpers the tests share (fixtures stay in the conftest modules): tiny configs, a render, what a run rewrote."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from riskvid.cli import main

ROOT = Path(__file__).resolve().parent.parent

TINY = """
id: tiny
title: Tiny test video
resolution: 128x72
fps: 5
voice:
  engine: none
segments:
  - id: title
    scene: title
  - id: bars
    scene: loss_bars
    params:
      epochs: 3
"""

NARRATED = TINY.replace(
    "    scene: title\n",
    "    scene: title\n    narration:\n"
    "      ask_question: [\"How does a machine learn? Let's find out, one step at a time.\"]\n",
)


def render(config: Path, *extra: str) -> tuple[Path, dict[str, Any]]:
    """Render (and publish) ``config`` with two workers; its output folder and manifest."""
    assert main(["render", str(config), "--jobs", "2", *extra]) == 0
    root = config.parent / "media" / "tiny"
    return root, json.loads((root / "manifest.json").read_text())


def snapshot(root: Path) -> dict[str, int]:
    """Every output file's modification time: what a run rewrote shows up here.

    The manifest is left out: it says what this run did (each segment "rendered" or "reused").
    """
    return {p.relative_to(root).as_posix(): p.stat().st_mtime_ns for p in root.rglob("*")
            if p.is_file() and ".cache" not in p.parts and p.name not in {".lock", "manifest.json"}}


def in_session(session: int) -> list[str]:
    """The command line of every process left in ``session``, read from /proc (``ps`` cuts long
    command lines to the terminal's width, which CI may set)."""
    commands = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            fields = stat[stat.rindex(")") + 2:].split()  # state, parent, process group, session, ...
            if int(fields[3]) == session:
                command = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
                name = stat[stat.index("(") + 1:stat.rindex(")")]  # a zombie has no command line: name it from stat
                commands.append(command or f"[{name}] state {fields[0]}, parent {fields[1]}")
        except (OSError, ValueError, IndexError):
            continue  # the process ended while it was read
    return commands


def tiny_settings(media_dir: Path | str, **overrides: Any) -> dict[str, Any]:
    """manim settings for a quick real render: 128x72 at 5 fps, no cache, no progress bars."""
    settings = {
        "pixel_width": 128,
        "pixel_height": 72,
        "frame_rate": 5,
        "media_dir": str(media_dir),
        "disable_caching": True,
        "progress_bar": "none",
        "verbosity": "WARNING",
    }
    return {**settings, **overrides}

"""A small YouTube package laid out as ``publish`` lays it out, and an emulator to upload it to.

No render: the master is random bytes (the emulator does not decode it), the thumbnail a real PNG,
the captions and description real text; every file is recorded in ``.cache/stamps.json`` with the
keys publish gives it, so the upload's freshness check reads exactly what publish would write.
"""

from __future__ import annotations

import io
import json
import os
import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest

from riskvid.files import Stamps, fingerprint
from riskvid.publish.youtube import CODE, Chapter, description
from tests.scripts.youtube_emulator import YoutubeEmulator

VIDEO_ID = "tiny"
TITLE = "Tiny test video"
SUMMARY = "A tiny video for the upload tests."
MASTER_BYTES = 3 * 1024 * 1024 + 12_345  # 12.05 chunks of 256 KiB: the last one short
CONFIG = f"""\
id: {VIDEO_ID}
title: {TITLE}
description: {SUMMARY}
resolution: 128x72
fps: 5
voice:
  engine: none
segments:
  - id: title
    scene: title
"""
CAPTIONS = "1\n00:00:00,000 --> 00:00:02,000\nHow does a machine learn?\n\n"
CHAPTERS = [Chapter(0, 12, "Two learners", 12), Chapter(12, 30, "The formula", 18), Chapter(30, 45, "Bars", 15)]


@dataclass(frozen=True)
class Published:
    """A config and the package publish made of it."""

    config: Path
    root: Path  # media/tiny

    @property
    def youtube(self) -> Path:
        return self.root / "youtube"

    @property
    def master(self) -> Path:
        return self.youtube / f"{VIDEO_ID}.mp4"


def png(size: tuple[int, int] = (1280, 720), noise: bool = False) -> bytes:
    """A PNG thumbnail: flat (small) or noise (over 2 MB)."""
    from PIL import Image

    image = Image.frombytes("RGB", size, os.urandom(size[0] * size[1] * 3)) if noise else \
        Image.new("RGB", size, (240, 230, 210))
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()


def publish_package(folder: Path, youtube: str = "", master: bytes | None = None) -> Published:
    """Write the config (with ``youtube`` as its youtube: section) and a fresh package beside it."""
    folder.mkdir(parents=True, exist_ok=True)
    config = folder / "video.yaml"
    config.write_text(CONFIG + (f"youtube:\n{youtube}" if youtube else ""), encoding="utf-8")
    root = folder / "media" / VIDEO_ID
    (root / "youtube").mkdir(parents=True, exist_ok=True)
    (root / ".cache").mkdir(exist_ok=True)
    (root / "manifest.json").write_text(json.dumps(
        {"id": VIDEO_ID, "title": TITLE, "segments": [{"id": "title", "resolution": [128, 72], "fps": 5}]}))
    published = Published(config, root)
    rerender(published, master or os.urandom(MASTER_BYTES))
    write(published, "captions.srt", CAPTIONS)
    write(published, "captions.vtt", "WEBVTT\n\n")
    write(published, "description.txt", description(SUMMARY, CHAPTERS))
    write(published, "thumbnail.png", png())
    return published


def stamps(published: Published) -> Stamps:
    return Stamps(published.root / ".cache" / "stamps.json", published.root)


def write(published: Published, name: str, content: str | bytes) -> None:
    """Write a package file as publish does, recording it in the stamps."""
    path = published.youtube / name
    path.write_bytes(content.encode() if isinstance(content, str) else content)
    record = stamps(published)
    record.record(path, fingerprint(CODE, content))
    record.save()


def rerender(published: Published, data: bytes) -> None:
    """A new render: the full video and the master publish copies from it."""
    video = published.root / f"{VIDEO_ID}.mp4"
    video.write_bytes(data)
    record = stamps(published)
    record.record(video, "render")
    shutil.copyfile(video, published.master)
    record.record(published.master, fingerprint(CODE, record.sha(video)))
    record.save()


@pytest.fixture
def emulator(monkeypatch, tmp_path):
    """The emulator, selected for riskvid (small chunks, short backoff, a private config folder)."""
    running = YoutubeEmulator().start()
    monkeypatch.setenv("YOUTUBE_EMULATOR_HOST", running.host)
    monkeypatch.setenv("RISKVID_UPLOAD_CHUNK_KB", "256")
    monkeypatch.setenv("RISKVID_UPLOAD_BACKOFF", "0.01")
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "user-config"))
    monkeypatch.delenv("RISKVID_YOUTUBE_CLIENT_SECRETS", raising=False)
    yield running
    running.stop()


@pytest.fixture
def published(tmp_path) -> Published:
    return publish_package(tmp_path / "project")

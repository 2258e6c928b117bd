"""Shared fixtures: tiny configs that render in seconds."""

import textwrap
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def write_config(tmp_path):
    """Write a YAML config into tmp_path and return its path."""

    def write(text, name="video.yaml"):
        path = tmp_path / name
        path.write_text(textwrap.dedent(text).lstrip(), encoding="utf-8")
        return path

    return write


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


@pytest.fixture
def tiny_config(write_config):
    return write_config(TINY)


def in_session(session: int) -> list[str]:
    """The command line of every process left in ``session``, read from /proc (``ps`` cuts long
    command lines to the terminal's width, which CI may set)."""
    commands = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            if int(stat[stat.rindex(")") + 2:].split()[3]) == session:
                commands.append((entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace"))
        except (OSError, ValueError, IndexError):
            continue  # the process ended while it was read
    return commands


def pytest_addoption(parser):
    parser.addoption(
        "--set_test",
        action="store_true",
        help="regenerate the visual tests' control frames (tests/scenes/control_data) instead of comparing",
    )


@pytest.fixture
def set_test(request):
    return request.config.getoption("--set_test")


def tiny_settings(media_dir, **overrides):
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

"""Fixtures shared by the pipeline tests: one tiny narrated video, built once per session."""

import json
import shutil

import pytest

from riskvid.cli import main
from tests.conftest import TINY

NARRATED = TINY.replace(
    "    scene: title\n",
    "    scene: title\n    narration:\n      ask_question: [\"How does a machine learn? Let's find out, one step at a time.\"]\n",
)


def render(config, *extra):
    assert main(["render", str(config), "--jobs", "2", *extra]) == 0
    root = config.parent / "media" / "tiny"
    return root, json.loads((root / "manifest.json").read_text())


def snapshot(root):
    """Every output file's modification time: what a run rewrote shows up here.

    The manifest is left out: it says what this run did (each segment "rendered" or "reused").
    """
    return {p.relative_to(root).as_posix(): p.stat().st_mtime_ns for p in root.rglob("*")
            if p.is_file() and ".cache" not in p.parts and p.name not in {".lock", "manifest.json"}}


@pytest.fixture(scope="session")
def built(tmp_path_factory):
    """One cold render + publish of the tiny config (shared: copy it before changing anything)."""
    folder = tmp_path_factory.mktemp("build")
    config = folder / "video.yaml"
    config.write_text(NARRATED.lstrip())
    root, manifest = render(config)
    return config, root, manifest


@pytest.fixture
def own_copy(built, tmp_path):
    """A private copy of the built folder, to change."""
    config, root, _ = built
    shutil.copytree(config.parent, tmp_path / "copy")
    return tmp_path / "copy" / "video.yaml"



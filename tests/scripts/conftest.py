"""Fixtures shared by the pipeline tests: one tiny narrated video, built once per session."""

import shutil

import pytest

from tests.helpers import NARRATED, render


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



"""Shared fixtures: tiny configs that render in seconds."""

import textwrap

import pytest

from tests.helpers import TINY


@pytest.fixture
def write_config(tmp_path):
    """Write a YAML config into tmp_path and return its path."""

    def write(text, name="video.yaml"):
        path = tmp_path / name
        path.write_text(textwrap.dedent(text).lstrip(), encoding="utf-8")
        return path

    return write


@pytest.fixture
def tiny_config(write_config):
    return write_config(TINY)


def pytest_addoption(parser):
    parser.addoption(
        "--set_test",
        action="store_true",
        help="regenerate the visual tests' control frames (tests/scenes/control_data) instead of comparing",
    )


@pytest.fixture
def set_test(request):
    return request.config.getoption("--set_test")

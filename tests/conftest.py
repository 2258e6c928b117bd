"""Shared fixtures: tiny configs that render in seconds."""

import textwrap

import pytest

from tests.helpers import TINY


@pytest.fixture(scope="session", autouse=True)
def own_user_cache(tmp_path_factory):
    """The suite's own user cache (riskvid's replay secret, the voice's optimized graph), never the user's:
    a run makes its own, whatever the machine's home holds or allows. Workers a test starts inherit it."""
    patch = pytest.MonkeyPatch()
    patch.setenv("XDG_CACHE_HOME", str(tmp_path_factory.mktemp("user-cache")))
    yield
    patch.undo()


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


def pytest_configure(config):
    """Stop if --dist loadgroup would not group: a group's renders (the shipped video, the storyboard, the
    studio) would silently run once per worker. pytest 9.2's node ids undo xdist 3.8's groups (its issue 1386)."""
    if config.getoption("dist", default="no") != "loadgroup":
        return
    from importlib.metadata import version

    def release(package):
        return tuple(int(part) for part in version(package).split(".")[:2] if part.isdigit())

    if release("pytest") >= (9, 2) and release("pytest-xdist") <= (3, 8):
        raise pytest.UsageError(f"pytest {version('pytest')} and pytest-xdist {version('pytest-xdist')} do not "
                                "group tests (--dist loadgroup): run ./scripts/setup to install requirements.lock")

"""The segment before's replay, kept in the cache between processes (riskvid.pipeline.replay_files).

A beat that opens on a replay loaded from the cache draws the same frames as one that replays the segment
before itself; a file this user's secret did not seal is never loaded (a pickle runs code as it loads).
"""

import os
import pickle

import pytest

from riskvid.config.load import load_config
from riskvid.config.model import Frame
from riskvid.pipeline import replay_files
from riskvid.pipeline.plan import plan_segments, replay_key
from riskvid.pipeline.render import play_segment
from riskvid.pipeline.replay_files import ReplayFile
from scenes import replays
from scenes.registry import scene_classes
from tests.scripts.test_beats import FPS, SIZE, Frames, first_difference

FRAME = Frame(width=SIZE[0], height=SIZE[1], fps=FPS)


@pytest.fixture(autouse=True)
def own_secret(tmp_path, monkeypatch):
    """Each test its own user cache (the secret lives there) and no replay kept in this process."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "user-cache"))
    monkeypatch.setattr(replays, "_REPLAYS", {})


def first_beat(plan, work, kept=None):
    """The frames of ``plan``'s first beat, drawn alone, the segment before replayed in this process or kept."""
    replays._REPLAYS.clear()
    frames = Frames()
    beat = scene_classes()[plan.scene].beats[0]
    play_segment(plan, {}, *SIZE, FPS, work, taps=[frames], only_beat=beat, kept=kept)
    return frames.beats[beat]


@pytest.mark.parametrize("scene", [
    "baby_vs_ai",
    *(pytest.param(name, marks=pytest.mark.slow) for name in ("formula", "loss_bars", "pixels", "training_loop",
                                                                "outro")),
])
def test_a_beat_opening_on_a_loaded_replay_draws_what_it_draws_after_replaying(scene, tmp_path):
    plan = next(plan for plan in plan_segments(load_config_shipped()) if plan.scene == scene)
    kept = ReplayFile(tmp_path / "replays", replay_key(plan, FRAME))
    replayed_here = first_beat(plan, tmp_path)
    saved = first_beat(plan, tmp_path, kept)
    assert kept.path.is_file()
    loaded = first_beat(plan, tmp_path, kept)
    assert first_difference(saved, replayed_here) is None
    assert first_difference(loaded, replayed_here) is None


def load_config_shipped():
    from tests.helpers import ROOT

    return load_config(ROOT / "video.yaml")


class Planted:
    """Loading this runs code: it leaves a file behind."""

    def __init__(self, marker):
        self.marker = marker

    def __reduce__(self):
        return (open, (str(self.marker), "w"))


def test_a_replay_file_this_user_did_not_seal_is_not_loaded_but_removed(tmp_path):
    kept = ReplayFile(tmp_path / "replays", "0" * 32)
    kept.folder.mkdir()
    marker = tmp_path / "ran"
    data = pickle.dumps(Planted(marker))
    kept.path.write_bytes(b"\0" * 32 + data)
    assert kept.load() is None
    assert not marker.exists() and not kept.path.exists()


def test_a_sealed_replay_changed_afterwards_is_not_loaded(tmp_path):
    plan = plan_segments(load_config_shipped())[1]
    kept = ReplayFile(tmp_path / "replays", replay_key(plan, FRAME))
    first_beat(plan, tmp_path, kept)
    assert isinstance(kept.load(), replays.Replayed)
    sealed = bytearray(kept.path.read_bytes())
    sealed[-5] ^= 0xFF
    kept.path.write_bytes(bytes(sealed))
    assert kept.load() is None and not kept.path.exists()


def test_the_secret_is_the_users_alone_and_made_once(tmp_path):
    secret = replay_files.replay_secret()
    path = tmp_path / "user-cache" / "riskvid" / "replay-secret"
    assert secret is not None and len(secret) == 32 and path.read_bytes() == secret
    assert oct(path.stat().st_mode & 0o777) == oct(0o600)
    assert replay_files.replay_secret() == secret


def test_without_a_place_for_the_secret_nothing_is_kept_and_the_beat_still_draws(tmp_path, monkeypatch):
    blocked = tmp_path / "not-a-folder"
    blocked.write_text("")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocked))
    plan = plan_segments(load_config_shipped())[1]
    kept = ReplayFile(tmp_path / "replays", replay_key(plan, FRAME))
    assert first_beat(plan, tmp_path, kept)
    assert not kept.path.exists() and kept.load() is None


def test_a_replay_key_is_a_file_name_never_a_path(tmp_path):
    with pytest.raises(ValueError, match="not a replay key"):
        ReplayFile(tmp_path, "../" * 10 + "etc/x")


def test_the_cache_keeps_the_most_recently_used_replays(tmp_path, monkeypatch):
    monkeypatch.setattr(replay_files, "KEPT_FILES", 2)
    plan = plan_segments(load_config_shipped())[1]
    original = replays.replayed(scene_classes()[plan.previous[0]], None, 0)
    files = [ReplayFile(tmp_path / "replays", f"{index:032d}") for index in range(3)]
    files[0].save(original)
    files[1].save(original)
    os.utime(files[0].path, (1, 1))  # the least recently used
    files[2].save(original)
    assert [file.path.exists() for file in files] == [False, True, True]

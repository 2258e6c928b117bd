"""A beat rendered alone is the same picture as that beat inside its whole segment, frame for frame.

This is what lets the beat be the unit of work and of caching (riskvid.pipeline.beats): the beats
before it are played without drawing, and the other beats' planned lengths do not enter its frames.
Every segment of the shipped video, drawn tiny; the beats are stretched and held past their natural
lengths, as a narration makes them, and the beat alone is given only its own timing.
"""

import numpy as np
import pytest

from riskvid.config.load import load_config
from riskvid.pipeline.plan import plan_segments
from riskvid.pipeline.render import play_segment
from riskvid.pipeline.timing import natural_beats
from scenes.base import BeatTiming
from tests.helpers import ROOT

SIZE, FPS = (128, 72), 6
STRETCH, HOLD_FRAMES = 1.15, 3


class Frames:
    """A frame tap keeping every frame of every beat (RGB), by beat."""

    def __init__(self):
        self.beats: dict[str, list[np.ndarray]] = {}
        self.beat = None

    def begin_beat(self, name, frame):
        self.beat = name
        self.beats[name] = []

    def frame(self, index, pixels, repeat):
        self.beats[self.beat] += [pixels[:, :, :3].copy()] * repeat


def shipped_plans():
    return {plan.scene: plan for plan in plan_segments(load_config(ROOT / "video.yaml"))}


def stretched_timing(plan, work):
    """Each beat slowed a little and held a few frames longer than its animations take."""
    return {beat.name: BeatTiming(beat.frames(FPS, STRETCH) + HOLD_FRAMES, STRETCH)
            for beat in natural_beats(plan, str(work))}


def play(plan, timing, work, only_beat=None):
    frames = Frames()
    play_segment(plan, timing, *SIZE, FPS, work, taps=[frames], only_beat=only_beat)
    return frames.beats


def first_difference(alone, inside):
    if len(alone) != len(inside):
        return f"{len(alone)} frames alone, {len(inside)} inside the segment"
    for index, (a, b) in enumerate(zip(alone, inside)):
        if not np.array_equal(a, b):
            changed = np.abs(a.astype(int) - b.astype(int)).sum(axis=2) > 0
            return f"frame {index} differs in {int(changed.sum())} pixels"
    return None


@pytest.mark.parametrize("scene", [
    "title",
    *(pytest.param(name, marks=pytest.mark.slow)
      for name in ("baby_vs_ai", "formula", "loss_bars", "pixels", "training_loop", "outro")),
])
def test_every_beat_alone_draws_the_frames_it_draws_inside_its_segment(scene, tmp_path):
    plan = shipped_plans()[scene]
    timing = stretched_timing(plan, tmp_path)
    whole = play(plan, timing, tmp_path)
    assert list(whole) == list(timing)
    problems = {}
    for beat, planned in timing.items():
        alone = play(plan, {beat: planned}, tmp_path, only_beat=beat)  # no other beat's timing
        assert list(alone) == [beat]
        if (problem := first_difference(alone[beat], whole[beat])) is not None:
            problems[beat] = problem
    assert not problems, problems


def test_a_cold_render_gives_every_beat_its_status_and_render_seconds(built):
    _, _, manifest = built
    beats = [beat for segment in manifest["segments"] for beat in segment["beats"]]
    assert {beat["status"] for beat in beats} == {"rendered"}
    assert all(beat["render_seconds"] > 0 for beat in beats)
    for segment in manifest["segments"]:
        assert segment["render_seconds"] == pytest.approx(sum(b["render_seconds"] for b in segment["beats"]), abs=0.05)


def test_a_cold_render_leaves_each_segments_replay_for_the_beats_of_the_next_one(built):
    from riskvid.pipeline.plan import replay_key

    config_file, root, _ = built
    config = load_config(config_file)
    frame = config.frame_settings()
    kept = {path.name for path in (root / ".cache" / "replays").glob("*.replay")}
    assert kept == {f"{replay_key(plan, frame)}.replay" for plan in plan_segments(config)[1:]}


def test_one_line_edited_re_renders_exactly_its_beat_and_reuses_the_rest(own_copy, capsys):
    from riskvid.cli import main
    from tests.helpers import render

    text = own_copy.read_text()
    own_copy.write_text(text.replace("one step at a time.", "a small step at a time, again and again."))
    assert main(["render", str(own_copy), "--dry-run"]) == 0
    planned = capsys.readouterr().out
    assert "render 01-title" in planned and "1 of 3 beats: ask_question)" in planned and "reuse  02-bars" in planned
    root, manifest = render(own_copy, "--no-publish")
    status = {(segment["id"], beat["name"]): beat["status"]
              for segment in manifest["segments"] for beat in segment["beats"]}
    assert {key for key, value in status.items() if value == "rendered"} == {("title", "ask_question")}
    assert [segment["status"] for segment in manifest["segments"]] == ["rendered", "reused"]
    title = manifest["segments"][0]
    frames = sum(1 for _ in __import__("av").open(str(root / title["file"])).demux(video=0)) - 1
    assert frames == title["frames"]  # the joined clip holds every beat's frames, the new one's re-timed

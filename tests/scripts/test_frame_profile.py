"""The frame profile (scripts/bench --profile): every CPU-second lands in one bucket, by the rules or its callers."""

from pathlib import Path

import pytest

from riskvid.bench_slice import comparison, per_frame
from riskvid.frame_profile import (
    ARRAY_COPIES,
    BUCKETS,
    CAIRO,
    CONVERSION,
    MOBJECT_COPIES,
    OTHER,
    TEXT,
    WAITING,
    X264,
    buckets,
    profile_slice,
    report,
    rule,
)

ROOT = Path(__file__).resolve().parents[2]
CAMERA = ("/venv/site-packages/manim/camera/camera.py", 698, "set_cairo_context_path")
DEEPCOPY = ("/usr/lib/python3.11/copy.py", 128, "deepcopy")
GET = ("~", 0, "<method 'get' of 'dict' objects>")
ENCODE = ("~", 0, "<method 'encode' of 'av.video.stream.VideoStream' objects>")
SCENE = ("/work/scenes/segments/title/scene.py", 10, "ask_question")


@pytest.mark.parametrize(("function", "bucket"), [
    (CAMERA, CAIRO), (("~", 0, "<method 'fill_preserve' of 'cairo.Context' objects>"), CAIRO),
    (("/venv/site-packages/manim/renderer/cairo_renderer.py", 186, "get_frame"), ARRAY_COPIES),
    (("/venv/site-packages/manim/camera/camera.py", 342, "set_pixel_array"), ARRAY_COPIES),
    (("/work/scripts/riskvid/pipeline/encoder.py", 236, "__call__"), CONVERSION),
    (("~", 0, "<method 'reformat' of 'av.video.reformatter.VideoReformatter' objects>"), CONVERSION),
    (ENCODE, X264), (DEEPCOPY, MOBJECT_COPIES),
    (("/venv/site-packages/manimpango/__init__.py", 1, "text2svg"), TEXT),
    (("~", 0, "<method 'acquire' of '_thread.lock' objects>"), WAITING),
    (GET, None), (SCENE, None),
])
def test_each_rule_names_its_bucket_and_helpers_name_none(function, bucket):
    assert rule(function) == bucket


def test_a_helper_splits_its_time_among_its_callers_buckets_and_nothing_is_lost():
    # pstats' table: function -> (calls, calls, own time, cumulative, {caller: (calls, calls, own, cumulative)})
    stats = {
        SCENE: (1, 1, 1.0, 10.0, {}),
        CAMERA: (1, 1, 2.0, 5.0, {SCENE: (1, 1, 2.0, 5.0)}),
        DEEPCOPY: (1, 1, 1.0, 3.0, {SCENE: (1, 1, 1.0, 3.0)}),
        GET: (4, 4, 4.0, 4.0, {CAMERA: (3, 3, 3.0, 3.0), DEEPCOPY: (1, 1, 1.0, 1.0)}),
        ENCODE: (1, 1, 5.0, 5.0, {}),
    }
    table = buckets(stats)
    seconds = {bucket: sum(parts.values()) for bucket, parts in table.items()}
    assert seconds == pytest.approx({OTHER: 1.0, CAIRO: 5.0, MOBJECT_COPIES: 2.0, X264: 5.0})
    assert table[CAIRO][GET] == pytest.approx(3.0)  # dict.get's time spent for the camera is the camera's


def test_the_comparison_is_cpu_per_frame_and_its_ratio():
    old = {"frames": 100, "cpu": 3.0, "children": 1.0, "wall": 9.0, "segments": ["title"], "frame": "1920x1080@60"}
    new = {**old, "cpu": 2.0, "children": 0.0}
    assert per_frame(old) == pytest.approx(0.04)
    assert "2.00x fewer CPU-seconds per frame than main" in comparison({"main": old, "this tree": new}, "main")


@pytest.mark.slow
def test_the_profile_of_a_small_slice_adds_up_to_its_measured_cpu(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    profile = profile_slice(ROOT / "video.yaml", ("title",), "low", fps=5)
    assert profile.frames > 20
    assert profile.seconds(CAIRO) > 0 and profile.seconds(X264) > 0 and profile.seconds(CONVERSION) > 0
    # The render thread's buckets are scaled to its CPU time; the encoder thread's are its own: the sum is the
    # process's CPU time, within what the profilers' clocks miss.
    assert profile.total == pytest.approx(profile.cpu, rel=0.15)
    table = report(profile)
    assert all(bucket in table for bucket in BUCKETS)

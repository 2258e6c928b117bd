"""End to end: render a tiny config, reuse it, re-render only what changed."""

import json

import av
import pytest
from PIL import Image

from riskvid.cli import main
from riskvid.stills import COLUMNS, LABEL_HEIGHT, MARGIN, THUMB_SIZE


def _run(config, *extra):
    assert main(["render", str(config), "--jobs", "2", "--no-publish", *extra]) == 0
    root = config.parent / "media" / "tiny"
    return root, json.loads((root / "manifest.json").read_text())


@pytest.fixture(scope="module")
def rendered(tmp_path_factory):
    """One cold render shared by the tests below (it takes a few seconds)."""
    from tests.conftest import TINY

    config = tmp_path_factory.mktemp("render") / "video.yaml"
    config.write_text(TINY.lstrip())
    root, manifest = _run(config)
    return config, root, manifest


def test_cold_render_writes_segments_video_and_manifest(rendered):
    config, root, manifest = rendered
    assert [s["file"] for s in manifest["segments"]] == ["segments/01-title.mp4", "segments/02-bars.mp4"]
    for segment in manifest["segments"]:
        assert segment["status"] == "rendered"
        assert segment["fps"] == 5 and segment["resolution"] == [128, 72]
        assert segment["frames"] == round(segment["duration"] * 5)
        assert (root / segment["file"]).stat().st_size > 0
        assert len(segment["cache_key"]) == 32 and segment["render_seconds"] > 0
        beats = segment["beats"]
        assert beats[0]["start"] == 0 and beats[-1]["end"] == pytest.approx(segment["duration"], abs=0.21)
        assert all(a["end"] == b["start"] for a, b in zip(beats, beats[1:]))
    assert (root / "tiny.mp4").stat().st_size > 0
    assert manifest["video"]["file"] == "tiny.mp4"
    total = sum(s["duration"] for s in manifest["segments"])
    assert manifest["video"]["duration"] == pytest.approx(total, abs=0.25)
    assert not list(root.rglob("*.part*")) and not (root / ".work").exists()
    with Image.open(root / "contact-sheet.png") as sheet:  # a cell per beat, from the render itself
        beats = sum(len(s["beats"]) for s in manifest["segments"])
        assert sheet.size[1] == MARGIN + -(-beats // COLUMNS) * (THUMB_SIZE[1] + LABEL_HEIGHT + MARGIN)


def test_full_video_is_every_segment_frame_with_index_first(rendered):
    _, root, manifest = rendered
    with av.open(str(root / "tiny.mp4")) as container:
        frames = sum(1 for _ in container.decode(video=0))
    assert frames == sum(s["frames"] for s in manifest["segments"])
    head = (root / "tiny.mp4").read_bytes()[:4096]
    assert b"moov" in head, "the index (moov) must come before the media data for streaming"


def test_second_run_reuses_everything_and_a_param_change_rerenders_one(rendered):
    config, root, _ = rendered
    _, manifest = _run(config)
    assert [s["status"] for s in manifest["segments"]] == ["reused", "reused"]

    config.write_text(config.read_text().replace("epochs: 3", "epochs: 2"))
    _, manifest = _run(config)
    assert [s["status"] for s in manifest["segments"]] == ["reused", "rendered"]


def test_edited_clip_is_detected_and_rerendered(rendered):
    config, root, _ = rendered
    clip = root / "segments" / "01-title.mp4"
    clip.write_bytes(clip.read_bytes()[:1000])  # truncated behind our back
    _, manifest = _run(config)
    assert manifest["segments"][0]["status"] == "rendered"
    assert manifest["segments"][0]["frames"] > 0


def test_dry_run_writes_nothing(tiny_config, capsys):
    assert main(["render", str(tiny_config), "--dry-run"]) == 0
    out = capsys.readouterr().out
    assert "render 01-title" in out and "render 02-bars" in out
    assert not (tiny_config.parent / "media").exists()


def test_only_unknown_segment_is_an_input_error(tiny_config, capsys):
    assert main(["render", str(tiny_config), "--only", "nope"]) == 2
    assert "--only: no segment 'nope'" in capsys.readouterr().err

"""End to end: render a tiny config, check the files as their players would, redo only what changed."""

import av
import pytest

from riskvid.cli import main
from tests.helpers import render, snapshot


def keyframes_and_frames(path):
    with av.open(str(path)) as container:
        stream = container.streams.video[0]
        per_frame = 1 / (stream.base_rate * stream.time_base)
        packets = [p for p in container.demux(stream) if p.dts is not None]
        return sorted(round(p.pts / per_frame) for p in packets if p.is_keyframe), len(packets)


def test_cold_render_writes_segments_video_and_manifest(built):
    _, root, manifest = built
    assert [s["file"] for s in manifest["segments"]] == ["segments/01-title.mp4", "segments/02-bars.mp4"]
    for segment in manifest["segments"]:
        assert segment["status"] == "rendered" and segment["fps"] == 5 and segment["resolution"] == [128, 72]
        beats = segment["beats"]
        assert beats[0]["start"] == 0 and beats[-1]["end"] == pytest.approx(segment["duration"])
        assert all(a["end"] == b["start"] for a, b in zip(beats, beats[1:]))
        keys, frames = keyframes_and_frames(root / segment["file"])
        assert frames == segment["frames"] == round(segment["duration"] * 5)
    assert manifest["video"]["frames"] == sum(s["frames"] for s in manifest["segments"])
    assert not list(root.rglob("*.part*")) and not (root / ".work").exists()
    assert (root / "contact-sheet.png").stat().st_size > 0


def test_every_beat_starts_on_a_keyframe_and_no_gop_is_longer_than_half_a_second(built):
    _, root, manifest = built
    for segment in manifest["segments"]:
        keys, frames = keyframes_and_frames(root / segment["file"])
        starts = {round(beat["start"] * 5) for beat in segment["beats"]}
        assert starts <= set(keys)
        gaps = [b - a for a, b in zip(keys, [*keys[1:], frames])]
        assert max(gaps) <= 5 * 0.5


def test_segment_clips_are_h264_high_bt709_limited_range_with_b_frames(built):
    _, root, manifest = built
    with av.open(str(root / manifest["segments"][1]["file"])) as container:
        stream = container.streams.video[0]
        codec = stream.codec_context
        assert (codec.name, codec.profile, codec.pix_fmt) == ("h264", "High", "yuv420p")
        assert (codec.color_primaries, codec.color_trc, codec.colorspace, codec.color_range) == (1, 1, 1, 1)
        assert float(stream.average_rate) == 5


def test_the_segment_writer_uses_two_b_frames_between_keyframes(tmp_path):
    """At 5 fps a half-second GOP has no room for B-frames; at 30 fps the writer makes them."""
    import numpy as np

    from riskvid.pipeline.encoder import DeliveryWriter

    writer = DeliveryWriter.__new__(DeliveryWriter)
    writer.configure(tmp_path / "clip.mp4", 30)
    for i in range(30):
        frame = np.full((72, 128, 4), 250, np.uint8)
        frame[20:40, 2 * i:2 * i + 20, :3] = 30
        writer.write_frame(frame)
    writer.finish()
    with av.open(str(tmp_path / "clip.mp4")) as container:
        packets = [p for p in container.demux(video=0) if p.dts is not None]
    assert len(packets) == 30
    assert any(p.pts != p.dts for p in packets), "B-frames show up as packets decoded before they are shown"


def test_full_video_and_youtube_master_are_the_clips_joined_without_reencoding(built):
    _, root, manifest = built
    decoded = []
    for path in [root / s["file"] for s in manifest["segments"]] + [root / "tiny.mp4", root / "youtube" / "tiny.mp4"]:
        with av.open(str(path)) as container:
            decoded.append([bytes(p) for p in container.demux(video=0) if p.dts is not None])
    clips, full, master = decoded[:-2], decoded[-2], decoded[-1]
    assert full == [packet for clip in clips for packet in clip], "the full video is the clips' packets, untouched"
    assert master == full
    for path in (root / "tiny.mp4", root / "youtube" / "tiny.mp4"):
        data = path.read_bytes()
        assert data.index(b"moov") < data.index(b"mdat"), "the index comes first"
        assert b"elst" not in data[: data.index(b"mdat")], "no edit list"


def test_a_second_run_reuses_everything_and_rewrites_no_file(built):
    config, root, _ = built
    before = snapshot(root)
    _, manifest = render(config)
    assert [s["status"] for s in manifest["segments"]] == ["reused", "reused"]
    assert snapshot(root) == before


def test_one_changed_param_redoes_only_that_segment_and_what_is_made_from_it(own_copy):
    root = own_copy.parent / "media" / "tiny"
    before = snapshot(root)
    own_copy.write_text(own_copy.read_text().replace("epochs: 3", "epochs: 2"))
    _, manifest = render(own_copy)
    assert [s["status"] for s in manifest["segments"]] == ["reused", "rendered"]
    changed = {name for name, mtime in snapshot(root).items() if before.get(name) != mtime}
    assert "segments/01-title.mp4" not in changed and not any(name.startswith("slides/01-title") for name in changed)
    assert {"segments/02-bars.mp4", "tiny.mp4", "youtube/tiny.mp4", "slides/02-bars.mp4"} <= changed


def test_a_damaged_render_is_caught_by_its_hash_and_rendered_again(own_copy):
    root = own_copy.parent / "media" / "tiny"
    video = root / ".cache" / "render" / "title" / "video.mp4"
    video.write_bytes(video.read_bytes()[:1000])
    (root / ".cache" / "render" / "bars" / "record.json").write_text("[1, 2]")
    _, manifest = render(own_copy)
    assert [s["status"] for s in manifest["segments"]] == ["rendered", "rendered"]


def test_captions_follow_the_timeline(built):
    _, root, manifest = built
    [line] = manifest["segments"][0]["beats"][0]["lines"]
    srt = (root / "segments" / "01-title.srt").read_text()
    assert srt.startswith("1\n00:00:00,") and "How does a machine learn?" in srt
    assert line["start"] == pytest.approx(0.3)
    youtube = (root / "youtube" / "captions.srt").read_text()
    assert youtube == srt  # the first segment's captions start the video's


def test_dry_run_writes_nothing(tiny_config, capsys):
    assert main(["render", str(tiny_config), "--dry-run"]) == 0
    out = capsys.readouterr().out
    assert "render 01-title" in out and "render 02-bars" in out
    assert not (tiny_config.parent / "media").exists()


def test_only_unknown_segment_is_an_input_error(tiny_config, capsys):
    assert main(["render", str(tiny_config), "--only", "nope"]) == 2
    assert "--only: no segment 'nope'" in capsys.readouterr().err

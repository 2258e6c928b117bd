"""The YouTube package, checked the way YouTube and a viewer's tools would read it."""

import doctest
import itertools
import json
import re
import struct
from datetime import timedelta

import av
import numpy as np
import pytest
import riskvid.publish.youtube
import srt
from PIL import Image
from riskvid.cli import main
from riskvid.pipeline.config import load_config
from riskvid.pipeline.plan import Layout
from riskvid.pipeline.render import RenderError
from riskvid.publish.youtube import build_youtube, captions, chapters, target_bitrate

import scenes.thumbnail

# Three segments of at least 10 s each at 5 fps, so YouTube's chapter rules can be met.
CONFIG = """
id: tube
title: How does an AI actually learn?
resolution: 128x72
fps: 5
seed: 316
segments:
  - id: title
    scene: title
    title: The question
    narration:
      ask_question: ["How does an AI actually learn?"]
      glimpse_formula: ["The short answer fits in one line."]
  - id: bars
    scene: loss_bars
    title: Watching a model train
    params: {epochs: 2}
    narration:
      show_clips: ["Five clips, five bars."]
      train: ["Every pass shrinks each bar & the <average>."]
  - id: outro
    scene: outro
    title: "Next: gradient descent"
    narration:
      whats_next: ["What decides which way to nudge?"]
      farewell: ["The loop does not change."]
"""
NARRATION = [
    "How does an AI actually learn?",
    "The short answer fits in one line.",
    "Five clips, five bars.",
    "Every pass shrinks each bar & the <average>.",
    "What decides which way to nudge?",
    "The loop does not change.",
]


@pytest.fixture(scope="module")
def package(tmp_path_factory):
    """Render the config once and build its YouTube package: (config, layout, manifest, sizes)."""
    path = tmp_path_factory.mktemp("youtube") / "video.yaml"
    path.write_text(CONFIG.lstrip())
    assert main(["render", str(path), "--jobs", "2", "--no-publish"]) == 0
    config = load_config(path)
    layout = Layout(path.parent / "media" / config.id)
    manifest = json.loads(layout.manifest.read_text())
    return config, layout, manifest, build_youtube(config, layout, manifest)


def test_package_has_every_file_written_atomically(package):
    _, layout, _, sizes = package
    folder = layout.root / "youtube"
    expected = {"tube.mp4", "chapters.txt", "captions.srt", "captions.vtt", "thumbnail.png", "description.md"}
    assert set(sizes) == expected
    assert {p.name for p in folder.iterdir()} == expected, "no temporary files left behind"
    assert all(sizes[name] == (folder / name).stat().st_size > 0 for name in expected)


# The video.


def test_video_is_h264_high_yuv420p_bt709_at_the_rendered_rate(package):
    _, layout, manifest, _ = package
    with av.open(str(layout.root / "youtube" / "tube.mp4")) as container:
        assert [s.type for s in container.streams] == ["video"], "no audio until there is narration audio"
        stream = container.streams.video[0]
        codec = stream.codec_context
        assert (codec.name, codec.profile, codec.pix_fmt) == ("h264", "High", "yuv420p")
        assert (codec.width, codec.height) == (128, 72)
        assert (codec.color_primaries, codec.color_trc, codec.colorspace) == (1, 1, 1), "BT.709 tags"
        assert codec.color_range == 1, "limited (tv) range"
        assert stream.average_rate == stream.base_rate == 5
        frames = [frame.pts for frame in container.decode(stream)]
    assert len(frames) == sum(s["frames"] for s in manifest["segments"])
    steps = {b - a for a, b in itertools.pairwise(frames)}
    assert len(steps) == 1, "constant frame rate"


def test_measured_bitrate_meets_youtubes_recommendation(package):
    _, layout, _, _ = package
    with av.open(str(layout.root / "youtube" / "tube.mp4")) as container:
        stream = container.streams.video[0]
        size = sum(packet.size for packet in container.demux(stream))
        seconds = float(stream.duration * stream.time_base)
    assert size * 8 / seconds >= target_bitrate(128, 72, 5) == 1_000_000


@pytest.mark.parametrize(
    "size, fps, mbps",
    [
        ((3840, 2160), 60, 53),
        ((3840, 2160), 30, 45),
        ((2560, 1440), 60, 24),
        ((1920, 1080), 60, 12),
        ((1920, 1080), 30, 8),
        ((1280, 720), 30, 5),
        ((1280, 720), 60, 7.5),
        ((854, 480), 15, 2.5),
        ((640, 360), 60, 1.5),
        ((256, 144), 60, 1),
        ((1080, 1920), 30, 8),  # portrait 1080p
        ((1920, 800), 24, 8),  # wider than 16:9: still 1080p
    ],
)
def test_bitrate_targets_follow_youtubes_table(size, fps, mbps):
    assert target_bitrate(*size, fps) == mbps * 1_000_000


def _boxes(data, start=0, end=None):
    """[(type, payload start, box end)] of the ISO-BMFF boxes in data[start:end]."""
    end = len(data) if end is None else end
    found = []
    while start + 8 <= end:
        size, kind = struct.unpack(">I4s", data[start : start + 8])
        header = 8
        if size == 1:
            size, header = struct.unpack(">Q", data[start + 8 : start + 16])[0], 16
        elif size == 0:
            size = end - start
        assert size >= header, "a box shorter than its header: the file is corrupt"
        found.append((kind.decode("latin-1"), start + header, start + size))
        start += size
    assert start == end, "boxes must tile the file exactly"
    return found


def test_index_is_before_the_media_and_there_is_no_edit_list(package):
    _, layout, _, _ = package
    data = (layout.root / "youtube" / "tube.mp4").read_bytes()
    top = [kind for kind, _, _ in _boxes(data)]
    assert top[0] == "ftyp" and top.index("moov") < top.index("mdat"), top
    _, start, end = next(box for box in _boxes(data) if box[0] == "moov")
    tracks = [box for box in _boxes(data, start, end) if box[0] == "trak"]
    assert len(tracks) == 1
    assert "edts" not in [kind for kind, _, _ in _boxes(data, *tracks[0][1:])], "YouTube asks for no edit lists"


def test_colours_are_converted_not_just_retagged(package):
    """Decoded by their own tags, the clip (untagged: BT.601) and the upload (BT.709) look alike."""
    _, layout, manifest, _ = package
    with (
        av.open(str(layout.root / manifest["video"]["file"])) as source,
        av.open(str(layout.root / "youtube" / "tube.mp4")) as upload,
    ):
        shown, retagged = [], []
        for before, after in zip(source.decode(video=0), upload.decode(video=0)):
            expected = before.to_ndarray(format="rgb24").astype(int)
            colourful = np.ptp(expected, axis=2) > 80
            shown.append(np.abs(after.to_ndarray(format="rgb24").astype(int) - expected)[colourful])
            as_601 = after.to_ndarray(format="rgb24", src_colorspace="ITU601").astype(int)
            retagged.append(np.abs(as_601 - expected)[colourful])
    shown, retagged = np.concatenate(shown), np.concatenate(retagged)
    assert shown.size > 1000, "the video has coloured parts to compare"
    assert shown.mean() < 2 and shown.mean() < retagged.mean() - 2  # ~0.8 against ~4.4


def test_second_build_reuses_the_encoded_video(package):
    config, layout, manifest, sizes = package
    video = layout.root / "youtube" / "tube.mp4"
    before = video.stat().st_mtime_ns
    assert build_youtube(config, layout, manifest) == sizes
    assert video.stat().st_mtime_ns == before


def test_missing_full_video_is_a_one_line_error(package, tmp_path):
    config, _, manifest, _ = package
    partial = {key: value for key, value in manifest.items() if key != "video"}
    with pytest.raises(RenderError, match="no full video in .*: run riskvid render"):
        build_youtube(config, Layout(tmp_path), partial)


# Chapters.


def _read_chapters(text, video_seconds):
    """[(start seconds, title, length)] from a chapters block, checking each line's form."""
    rows = []
    for line in text.splitlines():
        match = re.fullmatch(r"(?:(\d+):)?(\d{1,2}):(\d{2}) (\S.*)", line)
        assert match, f"not a chapter line: {line!r}"
        hours, minutes, seconds, title = match.groups()
        if hours:
            assert len(minutes) == 2
        rows.append((int(hours or 0) * 3600 + int(minutes) * 60 + int(seconds), title))
    ends = [start for start, _ in rows[1:]] + [video_seconds]
    return [(start, title, end - start) for (start, title), end in zip(rows, ends)]


def test_chapters_meet_youtubes_three_rules(package):
    _, layout, manifest, _ = package
    text = (layout.root / "youtube" / "chapters.txt").read_text()
    rows = _read_chapters(text, manifest["video"]["duration"])
    assert rows[0][0] == 0 and text.startswith("0:00 ")
    assert len(rows) >= 3
    assert all(length >= 10 for _, _, length in rows)
    assert [title for _, title, _ in rows] == [s["title"] for s in manifest["segments"]]
    description = (layout.root / "youtube" / "description.md").read_text()
    assert description.startswith("# How does an AI actually learn?\n") and description.endswith(text)


def _manifest(*durations):
    segments = [{"title": f"Part {chr(65 + i)}", "duration": d} for i, d in enumerate(durations)]
    return {"segments": segments, "video": {"duration": sum(durations)}}


def test_short_segments_merge_into_the_next_and_the_last_into_the_previous():
    # A 12 · B 4 · C 15 · D 8 · E 20 · F 5: B joins C, D joins E, F (last) joins D+E.
    got = chapters(_manifest(12, 4, 15, 8, 20, 5))
    assert [(c.start, c.title) for c in got] == [(0, "Part A"), (12, "Part C"), (31, "Part E")]
    assert got[-1].end == 64


def test_merged_chapter_is_named_after_its_longest_segment_and_starts_are_rounded():
    # A 3 and B 4.6 make 7.6 s, still short, so C 3 joins them too: 10.6 s named after B.
    got = chapters(_manifest(3, 4.6, 3, 14, 10.4))
    assert [(c.start, c.title) for c in got] == [(0, "Part B"), (11, "Part D"), (25, "Part E")]
    text = riskvid.publish.youtube.format_chapters(got)
    assert all(length >= 10 for _, _, length in _read_chapters(text, 35.0))


def test_chapter_times_past_an_hour():
    got = chapters(_manifest(1800, 1900, 600))
    assert riskvid.publish.youtube.format_chapters(got) == "0:00 Part A\n30:00 Part B\n1:01:40 Part C\n"


@pytest.mark.parametrize("durations, count", [((5, 12, 8), 1), ((30, 30), 2), ((3,), 0)])
def test_too_few_chapters_is_a_clear_error(durations, count):
    with pytest.raises(ValueError, match=f"YouTube needs at least 3 chapters of 10 s; the video has {count}$"):
        chapters(_manifest(*durations))


# Captions.


def _parse_vtt(text):
    """[(start, end, text)] from a WebVTT file, strictly: header, cue timings, text with no '-->'."""
    assert text.startswith("WEBVTT\n\n"), "a WebVTT file opens with its header and a blank line"
    time = r"(\d{2,}):([0-5]\d):([0-5]\d)\.(\d{3})"
    cues = []
    for block in text[len("WEBVTT\n\n") :].split("\n\n"):
        if not block:
            continue
        lines = block.split("\n")
        if "-->" not in lines[0]:  # an optional cue identifier
            lines = lines[1:]
        match = re.fullmatch(f"{time} --> {time}", lines[0])
        assert match, f"bad cue timing: {lines[0]!r}"
        h1, m1, s1, ms1, h2, m2, s2, ms2 = map(int, match.groups())
        start = timedelta(hours=h1, minutes=m1, seconds=s1, milliseconds=ms1)
        end = timedelta(hours=h2, minutes=m2, seconds=s2, milliseconds=ms2)
        assert start < end and lines[1:] and all(line and "-->" not in line for line in lines[1:])
        assert "<" not in block and not re.search(r"&(?!amp;|lt;|gt;)", block), "cue text must be escaped"
        body = "\n".join(lines[1:]).replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")
        cues.append((start, end, body))
    return cues


def test_captions_cover_every_segment_on_the_full_timeline(package):
    _, layout, manifest, _ = package
    subtitles = list(srt.parse((layout.root / "youtube" / "captions.srt").read_text()))
    assert [s.content for s in subtitles] == NARRATION
    assert all(a.end <= b.start for a, b in itertools.pairwise(subtitles)), "no overlaps"
    assert subtitles[-1].end.total_seconds() <= manifest["video"]["duration"]
    first, second, _ = manifest["segments"]
    assert subtitles[2].start.total_seconds() >= first["duration"], "the second segment's captions are shifted"
    assert subtitles[4].start.total_seconds() >= first["duration"] + second["duration"]
    cues = _parse_vtt((layout.root / "youtube" / "captions.vtt").read_text())
    assert cues == [(s.start, s.end, s.content) for s in subtitles]


def test_captions_are_clipped_to_their_segment_the_next_cue_and_the_video_end(tmp_path):
    def write(name, cues):
        subs = [
            srt.Subtitle(i + 1, timedelta(seconds=a), timedelta(seconds=b), text) for i, (a, b, text) in enumerate(cues)
        ]
        (tmp_path / name).write_text(srt.compose(subs))
        return name

    manifest = {
        "segments": [
            {"duration": 5, "captions": write("a.srt", [(1, 4, "a1"), (4.5, 7, "a2")])},
            {"duration": 1, "captions": None},
            {"duration": 3, "captions": write("c.srt", [(0, 2.5, "c1"), (2, 4, "c2"), (2.6, 3, "gone")])},
        ],
        "video": {"duration": 8.5},
    }
    got = [(s.start.total_seconds(), s.end.total_seconds(), s.content) for s in captions(manifest, tmp_path)]
    assert got == [(1, 4, "a1"), (4.5, 5, "a2"), (6, 8, "c1"), (8, 8.5, "c2")]


def test_captions_file_missing_is_a_one_line_error(tmp_path):
    manifest = {"segments": [{"duration": 5, "captions": "segments/01-a.srt"}], "video": {"duration": 5}}
    with pytest.raises(ValueError, match="cannot read captions .*01-a.srt: .*; run riskvid render first"):
        captions(manifest, tmp_path)


# The thumbnail.


def test_thumbnail_is_a_1280x720_png_under_2_mb_with_title_and_formula(package):
    _, layout, _, sizes = package
    path = layout.root / "youtube" / "thumbnail.png"
    assert sizes["thumbnail.png"] < 2 * 1024 * 1024
    with Image.open(path) as image:
        assert (image.format, image.size) == ("PNG", (1280, 720))
        pixels = np.asarray(image.convert("RGB")).astype(int)
    assert tuple(pixels[5, 5]) == (250, 248, 244), "paper background"
    ink = pixels.max(axis=2) < 40
    red = abs(pixels - (200, 64, 26)).max(axis=2) < 30
    assert 0.05 < ink[:330].mean() < 0.5, "the title, big, in the top half"
    assert red[:330].mean() > 0.01, "its last word in the accent red"
    assert ink[400:680, 300:980].mean() > 0.6, "the formula's dark panel below it"


def test_doctests_of_the_youtube_and_thumbnail_modules():
    for module in (riskvid.publish.youtube, scenes.thumbnail):
        result = doctest.testmod(module)
        assert result.attempted and not result.failed

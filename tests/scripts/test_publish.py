"""The YouTube and slides packages, opened as their users' tools would open them."""

import re

import av
import numpy as np
import pytest
from PIL import Image
from pptx import Presentation
from pptx.enum.shapes import MSO_SHAPE_TYPE

from riskvid.pipeline.plan import SegmentPlan
from riskvid.pipeline.timeline import Beat, SegmentTimeline, Timeline
from riskvid.publish.youtube import chapters, description, format_chapters
from tests.helpers import render

BEAT_NAME = re.compile(r"^(\d{2})-([a-z_]+)\.mp4$")


def frames_of(path):
    with av.open(str(path)) as container:
        return [frame.to_ndarray(format="rgb24") for frame in container.decode(video=0)]


def test_youtube_package_has_the_master_captions_thumbnail_and_a_plain_description(built):
    _, root, manifest = built
    folder = root / "youtube"
    assert sorted(p.name for p in folder.iterdir()) == [
        "captions.srt", "captions.vtt", "description.txt", "thumbnail.png", "tiny.mp4"]  # too short for chapters
    assert (folder / "tiny.mp4").stat().st_size <= 1.2 * (root / "tiny.mp4").stat().st_size
    assert (folder / "captions.vtt").read_text().startswith("WEBVTT\n")
    assert not (folder / "description.txt").read_text().lstrip().startswith("#")
    with Image.open(folder / "thumbnail.png") as thumbnail:
        assert thumbnail.size == (1280, 720) and (folder / "thumbnail.png").stat().st_size < 2 * 1024 * 1024


def test_slides_have_a_clip_gif_and_poster_per_segment_and_a_clip_and_poster_per_beat(built):
    _, root, manifest = built
    out = root / "slides"
    for segment in manifest["segments"]:
        stem = segment["file"].split("/")[-1][:-4]
        assert len(frames_of(out / f"{stem}.mp4")) == segment["frames"]
        with Image.open(out / f"{stem}.gif") as gif:
            assert gif.is_animated and gif.width <= 480
            first = np.asarray(gif.convert("L"))
            assert first.max() - first.min() > 60, "the GIF opens on something drawn, not a blank page"
        clips = sorted(p.name for p in (out / stem).glob("*.mp4"))
        assert [BEAT_NAME.match(name).group(2) for name in clips] == [b["name"] for b in segment["beats"]]
        for name, beat in zip(clips, segment["beats"]):
            frames = frames_of(out / stem / name)
            assert len(frames) == round((beat["end"] - beat["start"]) * segment["fps"])


def test_beat_posters_are_never_blank(built):
    """(That no two beats of the shipped video share a poster is checked on its render: test_shipped_video.)"""
    _, root, _ = built
    posters = sorted((root / "slides").glob("*/*.png"))
    assert posters
    for path in posters:
        pixels = np.asarray(Image.open(path).convert("L"))
        assert pixels.max() - pixels.min() > 60, f"{path.name} shows an empty page"


def test_deck_has_a_slide_per_beat_with_its_clip_and_its_lines_as_notes(built):
    _, root, manifest = built
    deck = Presentation(str(root / "slides" / "deck.pptx"))
    slides = list(deck.slides)[1:]
    beats = [(segment, beat) for segment in manifest["segments"] for beat in segment["beats"]]
    assert len(slides) == len(beats)
    for slide, (_segment, beat) in zip(slides, beats):
        movies = [shape for shape in slide.shapes if shape.shape_type == MSO_SHAPE_TYPE.MEDIA]
        assert len(movies) == 1
        notes = slide.notes_slide.notes_text_frame.text if slide.has_notes_slide else ""
        assert notes == " ".join(line["text"] for line in beat["lines"])


def test_a_removed_segment_takes_its_published_files_with_it(own_copy):
    root = own_copy.parent / "media" / "tiny"
    text = own_copy.read_text()
    own_copy.write_text(text[: text.index("  - id: bars")])
    render(own_copy)
    assert not (root / "slides" / "02-bars.mp4").exists() and not (root / "slides" / "02-bars").exists()
    assert not (root / "segments" / "02-bars.mp4").exists()
    keep = root / "slides" / "lecture-notes.png"  # a file riskvid did not make is never touched
    keep.write_bytes(b"mine")
    render(own_copy)
    assert keep.read_bytes() == b"mine"


def test_webm_is_made_only_when_the_config_asks_with_its_colours_tagged(own_copy):
    root = own_copy.parent / "media" / "tiny"
    assert not list((root / "slides").glob("*.webm"))
    own_copy.write_text(own_copy.read_text() + "slides:\n  webm: true\n")
    render(own_copy)
    with av.open(str(root / "slides" / "01-title.webm")) as container:
        codec = container.streams.video[0].codec_context
        assert codec.name == "vp9" and (codec.color_primaries, codec.colorspace) == (1, 1)


# Chapters.


def timeline_of(*seconds, titles=None):
    segments = []
    for i, length in enumerate(seconds):
        plan = SegmentPlan(i + 1, f"s{i}", (titles or [])[i] if titles else f"Part {chr(65 + i)}", "title", "{}", 0,
                           "paper", None)
        frames = round(length * 10)
        segments.append(SegmentTimeline(plan, 10, (Beat("b", 0, frames, 1.0, ()),)))
    return Timeline(10, tuple(segments))


def test_short_segments_merge_into_the_next_and_the_last_into_the_previous():
    # A 12 · B 4 · C 15 · D 8 · E 20 · F 5: B joins C, D joins E, F (last) joins D+E.
    got = chapters(timeline_of(12, 4, 15, 8, 20, 5))
    assert [(c.start, c.title) for c in got] == [(0, "Part A"), (12, "Part C"), (31, "Part E")]
    assert got[-1].end == 64


def test_chapter_times_past_an_hour():
    assert format_chapters(chapters(timeline_of(1800, 1900, 600))) == "0:00 Part A\n30:00 Part B\n1:01:40 Part C\n"


@pytest.mark.parametrize("seconds", [(5, 12, 8), (30, 30), (3,)])
def test_a_video_that_cannot_have_three_chapters_has_none(seconds):
    assert chapters(timeline_of(*seconds)) == []
    assert description("About.", []) == "About.\n"


def test_a_blank_title_makes_no_nameless_chapter():
    assert chapters(timeline_of(20, 20, 20, titles=["One", "  ", "Three"])) == []


def test_description_is_plain_text_with_the_chapters():
    text = description("What it is about.", chapters(timeline_of(20, 20, 20)))
    assert text == "What it is about.\n\nChapters:\n0:00 Part A\n0:20 Part B\n0:40 Part C\n"


def test_every_output_file_has_the_mode_the_umask_gives_a_new_file(built):
    """Copied to a shared folder or served by another user, every clip, poster and caption file opens."""
    from riskvid.files import current_umask

    _, root, _ = built
    wanted = 0o666 & ~current_umask()
    files = [path for path in root.rglob("*") if path.is_file() and path.name != ".lock"]
    assert len(files) > 20
    wrong = sorted(f"{path.relative_to(root)}: {path.stat().st_mode & 0o777:o}" for path in files
                   if path.stat().st_mode & 0o777 != wanted)
    assert not wrong, f"not {wanted:o}: {wrong[:5]}"


def test_every_poster_is_a_picture_its_clip_holds_still(built):
    """Decoded as a player would: each beat's and segment's poster is shown by its clip, unchanged, for 0.5 s."""
    from tests.scripts.posters import count_posters, unsettled

    _, root, _ = built
    assert count_posters(root / "slides") >= 8
    assert unsettled(root / "slides", minimum=0.5) == []


def test_a_segment_poster_named_in_the_config_is_that_beats(own_copy):
    root = own_copy.parent / "media" / "tiny"
    text = own_copy.read_text()
    own_copy.write_text(text.replace("    scene: title\n", "    scene: title\n    poster: promise\n", 1))
    render(own_copy)
    slides = root / "slides"
    assert (slides / "01-title.png").read_bytes() == (slides / "01-title" / "03-promise.png").read_bytes()


def test_the_slides_package_has_a_presenter_view_and_both_pdfs(built):
    _, root, manifest = built
    slides = root / "slides"
    presenter = (slides / "presenter.html").read_text()
    first = manifest["segments"][0]["beats"][0]["lines"][0]["text"]
    assert first in presenter and "http://" not in presenter and "https://" not in presenter
    assert "presenter.html" in (slides / "index.html").read_text()  # P opens it
    for name in ("slides.pdf", "handout.pdf"):
        assert (slides / name).read_bytes().startswith(b"%PDF-")

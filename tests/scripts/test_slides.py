"""The course-slides package, checked with the tools its users open it in: PyAV, Pillow, python-pptx, Chromium."""

import json
import os
import shutil
from html.parser import HTMLParser
from types import SimpleNamespace

import av
import pytest
from PIL import Image
from pptx import Presentation
from pptx.enum.shapes import MSO_SHAPE_TYPE

from riskvid.cli import main
from riskvid.pipeline.config import load_config
from riskvid.pipeline.plan import Layout
from riskvid.publish.slides import build_slides

TITLE = "Tiny <slides> & 'quotes'"
CONFIG = f"""
id: tiny
title: "{TITLE}"
resolution: 128x72
fps: 5
segments:
  - id: title
    scene: title
    title: Chapter <one>
    narration:
      ask_question: ["Why do models learn?", "Because of <feedback> & practice."]
  - id: bars
    scene: loss_bars
    params: {{epochs: 3}}
    narration:
      train: ["Every bar shrinks."]
"""
CAPTIONS = {
    ("title", "ask_question"): "Why do models learn? Because of <feedback> & practice.",
    ("bars", "train"): "Every bar shrinks.",
}


@pytest.fixture(scope="module")
def slides(tmp_path_factory):
    """One render of a two-segment config, then its slides package (together a few seconds)."""
    path = tmp_path_factory.mktemp("slides") / "video.yaml"
    path.write_text(CONFIG.lstrip(), encoding="utf-8")
    assert main(["render", str(path), "--jobs", "2", "--no-publish"]) == 0
    config = load_config(path)
    layout = Layout(path.parent / "media" / "tiny")
    manifest = json.loads(layout.manifest.read_text())
    files = build_slides(config, layout, manifest)
    return SimpleNamespace(config=config, layout=layout, manifest=manifest, files=files, out=layout.root / "slides")


def kept_beats(manifest):
    """[(segment, beat number, beat)] that should have a clip: all but the closing page fade-outs."""
    return [
        (segment, k, beat)
        for segment in manifest["segments"]
        for k, beat in enumerate(segment["beats"], start=1)
        if beat["name"] != "clear_page"
    ]


def top_level_boxes(path):
    """The MP4's top-level box types, in file order."""
    boxes = []
    with open(path, "rb") as handle:
        size = os.path.getsize(path)
        offset = 0
        while offset < size:
            handle.seek(offset)
            header = handle.read(16)
            length, kind = int.from_bytes(header[:4], "big"), header[4:8].decode("latin-1")
            if length == 1:
                length = int.from_bytes(header[8:16], "big")
            elif length == 0:
                length = size - offset
            boxes.append(kind)
            offset += length
    return boxes


def video_info(path):
    with av.open(str(path)) as container:
        stream = container.streams.video[0]
        frames = sum(1 for _ in container.decode(stream))
        return {
            "format": container.format.name,
            "codec": stream.codec_context.name,
            "size": (stream.codec_context.width, stream.codec_context.height),
            "fps": float(stream.average_rate or stream.guessed_rate),
            "frames": frames,
            "audio": len(container.streams.audio),
        }


def assert_faststart_h264(path):
    boxes = top_level_boxes(path)
    assert "moov" in boxes and "mdat" in boxes and boxes.index("moov") < boxes.index("mdat"), (path, boxes)
    assert video_info(path)["codec"] == "h264"


def test_every_segment_has_its_web_clips_preview_and_poster(slides):
    out = slides.out
    for number, segment in enumerate(slides.manifest["segments"], start=1):
        stem = f"{number:02d}-{segment['id']}"
        width, height = segment["resolution"]
        assert_faststart_h264(out / f"{stem}.mp4")
        assert video_info(out / f"{stem}.mp4")["frames"] == segment["frames"]  # remuxed, nothing lost

        webm = video_info(out / f"{stem}.webm")
        assert webm["format"] == "matroska,webm" and webm["codec"] == "vp9" and webm["audio"] == 0
        assert webm["size"] == (width, height) and webm["fps"] == pytest.approx(segment["fps"], rel=0.01)
        assert webm["frames"] == segment["frames"]

        with Image.open(out / f"{stem}.gif") as gif:
            assert gif.format == "GIF" and gif.is_animated and gif.width <= 480
            delays = []
            for index in range(gif.n_frames):
                gif.seek(index)
                delays.append(gif.info["duration"])
            assert min(delays) >= 100 and sum(delays) <= 10_000  # at most 10 fps, at most 10 s
        with Image.open(out / f"{stem}.png") as poster:
            assert poster.format == "PNG" and poster.size == (width, height)
            darkest, lightest = poster.convert("L").getextrema()
            assert lightest - darkest > 100  # shows the drawing, not the cleared page


def test_every_beat_but_the_page_fade_outs_has_a_clip_and_poster(slides):
    out = slides.out
    kept = kept_beats(slides.manifest)
    for segment in slides.manifest["segments"]:
        stem = segment["file"].split("/")[-1][:-4]
        clips = sorted(p.name for p in (out / stem).glob("*.mp4"))
        expected = [f"{k:02d}-{b['name']}.mp4" for s, k, b in kept if s is segment]
        assert clips == expected
    for segment, k, beat in kept:
        stem = segment["file"].split("/")[-1][:-4]
        clip = out / stem / f"{k:02d}-{beat['name']}.mp4"
        assert_faststart_h264(clip)
        info = video_info(clip)
        assert info["size"] == tuple(segment["resolution"])
        assert abs(info["frames"] - (beat["end"] - beat["start"]) * segment["fps"]) <= 1
        with Image.open(clip.with_suffix(".png")) as poster:
            assert poster.size == tuple(segment["resolution"])
    on_disk = {p.relative_to(out).as_posix(): p.stat().st_size for p in out.rglob("*") if p.is_file()}
    assert slides.files == on_disk  # what build_slides reports is what is there, with no temporary files left
    assert not any(name.startswith(".") or "/." in name for name in on_disk)


def test_deck_has_a_title_slide_then_a_movie_per_beat_with_captions_as_notes(slides):
    deck = Presentation(str(slides.out / "deck.pptx"))
    kept = kept_beats(slides.manifest)
    slides_ = list(deck.slides)
    assert len(slides_) == 1 + len(kept)
    assert slides_[0].shapes.title.text == TITLE
    chapters = {s.id: s.chapter_title for s in slides.config.segments}
    for slide, (segment, k, beat) in zip(slides_[1:], kept):
        words = beat["name"].replace("_", " ").capitalize()
        assert slide.shapes.title.text == f"{chapters[segment['id']]} · {words}"
        movies = [shape for shape in slide.shapes if shape.shape_type == MSO_SHAPE_TYPE.MEDIA]
        assert len(movies) == 1
        movie = movies[0]
        # a p:pic whose a:videoFile links the embedded clip, shown with its poster frame
        video_link = movie._element.xpath("./p:nvPicPr/p:nvPr/a:videoFile/@r:link")
        assert len(video_link) == 1
        media = slide.part.related_part(video_link[0])
        stem = segment["file"].split("/")[-1][:-4]
        clip = slides.out / stem / f"{k:02d}-{beat['name']}.mp4"
        assert media.content_type == "video/mp4" and media.blob == clip.read_bytes()
        poster = slide.part.related_part(movie._element.xpath("./p:blipFill/a:blip/@r:embed")[0])
        assert poster.content_type == "image/png" and poster.blob[:8] == b"\x89PNG\r\n\x1a\n"
        notes = slide.notes_slide.notes_text_frame.text if slide.has_notes_slide else ""
        assert notes == CAPTIONS.get((segment["id"], beat["name"]), "")


class _Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.links = []

    def handle_starttag(self, tag, attrs):
        self.links += [value for name, value in attrs if name in {"src", "href", "poster"}]


def test_page_links_only_files_beside_it(slides):
    out = slides.out
    parser = _Links()
    parser.feed((out / "index.html").read_text(encoding="utf-8"))
    files_linked = [link for link in parser.links if not link.startswith("#")]
    assert files_linked and all(":" not in link and not link.startswith("/") for link in files_linked)
    assert all((out / link).is_file() for link in files_linked)
    page = (out / "index.html").read_text(encoding="utf-8")
    assert not any(marker in page for marker in ("://", "@import", "url(", "@font-face"))  # nothing to fetch
    assert "<slides>" not in page and "&lt;slides&gt;" in page  # text from the config is escaped


def test_missing_render_is_one_clear_error(tmp_path):
    config = load_config_text(tmp_path, CONFIG)
    layout = Layout(tmp_path / "media" / "tiny")
    with pytest.raises(ValueError, match="no manifest in .*: run riskvid render first"):
        build_slides(config, layout, None)
    manifest = {"segments": [{"id": "title", "file": "segments/01-title.mp4", "beats": []}]}
    with pytest.raises(ValueError, match="'bars' is not in .*manifest.json: run riskvid render first"):
        build_slides(config, layout, manifest)
    manifest["segments"].append({"id": "bars", "file": "segments/02-bars.mp4", "beats": []})
    with pytest.raises(ValueError, match="01-title.mp4 is missing: run riskvid render first"):
        build_slides(config, layout, manifest)


def load_config_text(folder, text):
    path = folder / "video.yaml"
    path.write_text(text.lstrip(), encoding="utf-8")
    return load_config(path)


def test_rebuild_drops_short_beats_and_stale_files(slides, tmp_path):
    root = tmp_path / "tiny"
    shutil.copytree(slides.layout.root, root)
    manifest = json.loads(json.dumps(slides.manifest))
    first = manifest["segments"][0]["beats"][0]
    first["end"] = first["start"] + 0.2  # too short for a clip of its own
    (root / "slides" / "09-gone.webm").write_bytes(b"old")
    files = build_slides(slides.config, Layout(root), manifest, workers=1)
    assert "09-gone.webm" not in files and not (root / "slides" / "09-gone.webm").exists()
    assert not any(name.startswith(f"01-title/01-{first['name']}") for name in files)
    deck = Presentation(str(root / "slides" / "deck.pptx"))
    assert len(deck.slides) == 1 + len(kept_beats(manifest)) - 1  # the title, and no slide for the short beat

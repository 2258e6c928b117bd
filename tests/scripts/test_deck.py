"""deck.pptx on its own: clips that start by themselves, the deck's properties, 16:9, no template leftovers.

The inputs are made here (tiny H.264 clips with sound, and posters), so these tests need no render.
LibreOffice, when installed, converts the deck as a user's would and must keep every clip autoplaying.
"""

import datetime as dt
import re
import shutil
import subprocess
import zipfile
from fractions import Fraction
from pathlib import PurePosixPath

import av
import numpy as np
import pytest
from lxml import etree
from PIL import Image
from pptx import Presentation
from pptx.enum.shapes import MSO_SHAPE_TYPE

from riskvid.publish.deck import write_deck
from riskvid.publish.slides import Beat, Chapter

TITLE = "Tiny <deck> & 'quotes'"
DESCRIPTION = 'A summary with <angle brackets> & "quotes".'
CREATED = dt.datetime(2024, 5, 6, 7, 8, 9, tzinfo=dt.UTC)
LONG_CAPTION = (
    "Why do models learn? Because of feedback and practice, again and again, until every mistake shrinks a "
    "little more than the time before, and the loop keeps turning round. A second line of narration makes this "
    "caption run to three hundred characters, as long as the very longest real captions ever get."
)
NS = {
    "p": "http://schemas.openxmlformats.org/presentationml/2006/main",
    "a": "http://schemas.openxmlformats.org/drawingml/2006/main",
    "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
}
LEFTOVERS = ("python-pptx", "Steve Canny", "PowerPoint Presentation", "screen4x3", "4:3")


def make_clip(path, frames=10, fps=5, size=(64, 36), tone=440, shade=0):
    """A tiny faststart H.264 clip with an AAC tone (the narration to come), and its PNG poster."""
    path.parent.mkdir(parents=True, exist_ok=True)
    width, height = size
    with av.open(str(path), "w", options={"movflags": "+faststart"}) as container:
        video = container.add_stream("libx264", rate=fps, options={"preset": "ultrafast"})
        video.width, video.height, video.pix_fmt = width, height, "yuv420p"
        audio = container.add_stream("aac", rate=48000)
        audio.layout = "mono"
        last = None
        for index in range(frames):
            pixels = np.full((height, width, 3), 240, np.uint8)
            pixels[:, : (index + 1) * width // frames] = (200, 64, 26)  # a bar that grows
            pixels[: height // 3] = (shade, shade, shade)
            last = Image.fromarray(pixels)
            frame = av.VideoFrame.from_ndarray(pixels, format="rgb24")
            frame.pts, frame.time_base = index, Fraction(1, fps)
            container.mux(video.encode(frame))
        container.mux(video.encode(None))
        samples = int(48000 * frames / fps)
        wave = (0.2 * np.sin(2 * np.pi * tone * np.arange(samples) / 48000)).astype(np.float32)
        for start in range(0, samples, 1024):
            chunk = wave[start : start + 1024].reshape(1, -1)
            frame = av.AudioFrame.from_ndarray(chunk, format="flt", layout="mono")
            frame.sample_rate, frame.pts, frame.time_base = 48000, start, Fraction(1, 48000)
            container.mux(audio.encode(frame))
        container.mux(audio.encode(None))
    last.save(path.with_suffix(".png"))
    return frames / fps


def tiny_chapters(folder, captions=None):
    """Chapters with beat clips and posters under ``folder`` (the slides folder), like build_slides makes.

    ``captions`` maps a beat name to its captions (default: one 300-character caption, one short, one empty).
    """
    captions = captions or {"ask_question": LONG_CAPTION, "train": "Every bar <shrinks> & Q falls.", "wrap_up": ""}
    layout = [
        ("Chapter <one> & 'two'", "01-title", ["ask_question", "glimpse"]),
        ("Watching a model train", "02-bars", ["train", "wrap_up"]),
        ("A chapter without clips", "03-outro", []),
    ]
    chapters = []
    for number, (title, stem, names) in enumerate(layout):
        beats = []
        for k, name in enumerate(names, start=1):
            clip = f"{stem}/{k:02d}-{name}.mp4"
            seconds = make_clip(folder / clip, frames=8 + 2 * k, tone=330 + 110 * k, shade=40 * number)
            beats.append(Beat(title, name, clip, clip[:-4] + ".png", captions.get(name, ""), seconds))
        Image.new("RGB", (64, 36), (250, 248, 244)).save(folder / f"{stem}.gif")
        Image.new("RGB", (64, 36), (250, 248, 244)).save(folder / f"{stem}.png")  # the chapter's poster
        chapters.append(Chapter(title, stem, tuple(beats)))
    return chapters


@pytest.fixture(scope="module")
def deck(tmp_path_factory):
    """A deck written from tiny chapters, with its inputs."""
    folder = tmp_path_factory.mktemp("deck")
    chapters = tiny_chapters(folder)
    path = folder / "deck.pptx"
    write_deck(path, TITLE, chapters, description=DESCRIPTION, created=CREATED)
    beats = [beat for chapter in chapters for beat in chapter.beats]
    return path, chapters, beats


def xp(element, path):
    """XPath with the p:, a: and r: prefixes, on any element (python-pptx's own or plain lxml)."""
    return etree.XPath(path, namespaces=NS)(element)


def movie_of(slide):
    movies = [shape for shape in slide.shapes if shape.shape_type == MSO_SHAPE_TYPE.MEDIA]
    assert len(movies) == 1
    return movies[0]


def autoplay_targets(sld):
    """{shape id: clip ms} of the videos the slide's main sequence starts, by itself, as the slide opens.

    Follows the tree PowerPoint writes for "Start: Automatically": under the timing root, the main
    sequence's first step is triggered by the sequence's own begin (not by a click); in it, a media-call
    effect that runs after or with the previous (not on click) issues playFrom(0.0) to the shape.
    """
    roots = xp(sld, "./p:timing/p:tnLst/p:par/p:cTn[@nodeType='tmRoot']")
    assert len(roots) == 1
    main = xp(roots[0], "./p:childTnLst/p:seq/p:cTn[@nodeType='mainSeq']")
    assert len(main) == 1
    main_id = main[0].get("id")
    found = {}
    for step in xp(main[0], "./p:childTnLst/p:par/p:cTn"):
        triggers = xp(step, "./p:stCondLst/p:cond[@evt='onBegin' and @delay='0']/p:tn/@val")
        if main_id not in triggers:
            continue  # a step that waits for a click
        for effect in xp(step, ".//p:cTn[@presetClass='mediacall']"):
            assert effect.get("nodeType") in {"afterEffect", "withEffect"}, etree.tostring(effect)
            assert xp(effect, "./p:stCondLst/p:cond/@delay") == ["0"]
            for cmd in xp(effect, "./p:childTnLst/p:cmd[@type='call']"):
                assert cmd.get("cmd") == "playFrom(0.0)"
                (spid,) = xp(cmd, "./p:cBhvr/p:tgtEl/p:spTgt/@spid")
                (ms,) = xp(cmd, "./p:cBhvr/p:cTn/@dur")
                found[int(spid)] = int(ms)
    return found


def test_every_beat_slide_starts_its_own_clip_when_it_opens(deck):
    path, chapters, beats = deck
    presentation = Presentation(str(path))
    slides = list(presentation.slides)
    assert len(slides) == 1 + len(beats)
    assert slides[0].shapes.title.text == TITLE
    assert not slides[0].element.xpath("./p:timing")  # the title slide has nothing to play
    for slide, beat in zip(slides[1:], beats):
        assert slide.shapes.title.text == beat.heading
        movie = movie_of(slide)
        media = slide.part.related_part(movie.element.xpath("./p:nvPicPr/p:nvPr/a:videoFile/@r:link")[0])
        assert media.blob == (path.parent / beat.clip).read_bytes()
        sld = slide.element
        assert autoplay_targets(sld) == {movie.shape_id: round(beat.seconds * 1000)}
        # the media node that binds the video shape to the slide's timeline
        nodes = xp(sld, "./p:timing//p:video/p:cMediaNode/p:tgtEl/p:spTgt/@spid")
        assert nodes == [str(movie.shape_id)]
        assert not xp(sld, "./p:timing//p:cTn[@nodeType='clickEffect']")
        ids = xp(sld, "./p:timing//p:cTn/@id")
        assert len(ids) == len(set(ids))  # every time node its own id
        (spid_pic,) = xp(sld, ".//p:pic/p:nvPicPr/p:cNvPr/@id")
        assert int(spid_pic) == movie.shape_id
        notes = slide.notes_slide.notes_text_frame.text if slide.has_notes_slide else ""
        assert notes == beat.captions


def test_properties_name_the_video_not_the_template(deck):
    path, _, beats = deck
    properties = Presentation(str(path)).core_properties
    assert properties.title == TITLE
    assert properties.subject == DESCRIPTION and properties.comments == DESCRIPTION
    assert properties.author == properties.last_modified_by == "riskvid"
    assert properties.created == properties.modified == CREATED.replace(tzinfo=None)
    assert properties.revision == 1
    with zipfile.ZipFile(path) as package:
        app = package.read("docProps/app.xml").decode()
        core = package.read("docProps/core.xml").decode()
    assert "<PresentationFormat>On-screen Show (16:9)</PresentationFormat>" in app
    assert f"<Slides>{1 + len(beats)}</Slides>" in app and f"<MMClips>{len(beats)}</MMClips>" in app
    for leftover in LEFTOVERS:
        assert leftover not in app + core, leftover


def test_without_a_description_the_properties_say_nothing_of_python_pptx(tmp_path):
    chapters = tiny_chapters(tmp_path)[:1]
    write_deck(tmp_path / "deck.pptx", "Plain", chapters)
    properties = Presentation(str(tmp_path / "deck.pptx")).core_properties
    assert properties.title == "Plain" and properties.subject == "" and properties.comments == ""
    assert properties.last_modified_by == "riskvid"
    now = dt.datetime.now(dt.UTC).replace(tzinfo=None)
    assert abs((properties.created - now).total_seconds()) < 60 and properties.modified == properties.created


def test_the_deck_is_16_9_and_carries_nothing_of_the_template_it_does_not_use(deck):
    path, _, _ = deck
    presentation = Presentation(str(path))
    assert presentation.slide_width * 9 == presentation.slide_height * 16
    (size,) = presentation.element.xpath("./p:sldSz")
    assert size.get("type") == "screen16x9"
    used = {slide.slide_layout.name for slide in presentation.slides}
    assert {layout.name for layout in presentation.slide_layouts} == used == {"Title Slide", "Title Only"}
    for master in presentation.slide_masters:  # the master's boxes are laid out for the 16:9 width
        for element in (master.element, *(layout.element for layout in master.slide_layouts)):
            for xfrm in element.xpath(".//a:xfrm[a:off and a:ext]"):
                (off,), (ext,) = xfrm.xpath("./a:off"), xfrm.xpath("./a:ext")
                assert int(off.get("x")) + int(ext.get("cx")) <= presentation.slide_width
            titles = element.xpath(".//p:sp[.//p:ph[@type='title' or @type='ctrTitle']]//a:xfrm/a:ext/@cx")
            assert all(int(cx) > presentation.slide_width * 0.8 for cx in titles)
    with zipfile.ZipFile(path) as package:
        names = set(package.namelist())
        assert not any("thumbnail" in name or "printerSettings" in name for name in names)
        assert len([name for name in names if name.startswith("ppt/slideLayouts/slideLayout")]) == 2
        for name in names:  # every internal relationship points at a part that is there
            if not name.endswith(".rels"):
                continue
            base = PurePosixPath(name).parent.parent
            for rel in etree.fromstring(package.read(name)):
                if rel.get("TargetMode") == "External":
                    continue
                target = rel.get("Target")
                resolved = target.lstrip("/") if target.startswith("/") else str(base / target)
                parts = []
                for piece in resolved.split("/"):
                    if piece == "..":
                        parts.pop()
                    elif piece not in {"", "."}:
                        parts.append(piece)
                assert "/".join(parts) in names, (name, target)
        types = package.read("[Content_Types].xml").decode()
        overrides = re.findall(r'PartName="/([^"]+)"', types)
        assert all(part in names for part in overrides)


def test_text_from_the_config_is_data_in_the_deck(tmp_path):
    title = "</a:t><a:t>injected & <b>bold</b> {{slides}}"
    chapters = tiny_chapters(tmp_path, captions={"ask_question": "<p:timing/> & ]]> 'caption'"})[:1]
    write_deck(tmp_path / "deck.pptx", title, chapters, description="<dc:title>x</dc:title>")
    presentation = Presentation(str(tmp_path / "deck.pptx"))
    assert presentation.slides[0].shapes.title.text == title
    assert presentation.core_properties.title == title
    assert presentation.core_properties.subject == "<dc:title>x</dc:title>"
    notes = presentation.slides[1].notes_slide.notes_text_frame.text
    assert notes == "<p:timing/> & ]]> 'caption'"
    assert len(presentation.slides[1].element.xpath("./p:timing")) == 1


# --- a real client ----------------------------------------------------------------------------------

ODP = {
    "draw": "urn:oasis:names:tc:opendocument:xmlns:drawing:1.0",
    "anim": "urn:oasis:names:tc:opendocument:xmlns:animation:1.0",
    "smil": "urn:oasis:names:tc:opendocument:xmlns:smil-compatible:1.0",
    "presentation": "urn:oasis:names:tc:opendocument:xmlns:presentation:1.0",
    "xml": "http://www.w3.org/XML/1998/namespace",
    "dc": "http://purl.org/dc/elements/1.1/",
    "office": "urn:oasis:names:tc:opendocument:xmlns:office:1.0",
    "meta": "urn:oasis:names:tc:opendocument:xmlns:meta:1.0",
    "style": "urn:oasis:names:tc:opendocument:xmlns:style:1.0",
    "fo": "urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0",
}


def test_libreoffice_keeps_every_clip_and_starts_it_with_its_slide(deck, tmp_path):
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        pytest.skip("LibreOffice is not installed (scripts/setup installs it: apt-get install libreoffice-impress)")
    path, _, beats = deck
    subprocess.run(
        [soffice, f"-env:UserInstallation={(tmp_path / 'profile').as_uri()}", "--headless", "--norestore",
         "--convert-to", "odp", "--outdir", str(tmp_path), str(path)],
        check=True, capture_output=True, timeout=180,
    )  # fmt: skip
    with zipfile.ZipFile(tmp_path / "deck.odp") as odp:
        content = etree.fromstring(odp.read("content.xml"))
        meta = etree.fromstring(odp.read("meta.xml"))
        styles = etree.fromstring(odp.read("styles.xml"))
        stored = set(odp.namelist())
    assert meta.xpath("//dc:title/text()", namespaces=ODP) == [TITLE]
    width, height = styles.xpath(
        "//style:page-layout-properties[@style:print-orientation='landscape']/@*[local-name()='page-width' or "
        "local-name()='page-height']",
        namespaces=ODP,
    )
    assert float(width[:-2]) / float(height[:-2]) == pytest.approx(16 / 9, rel=0.001)
    pages = content.xpath("//draw:page", namespaces=ODP)
    assert len(pages) == 1 + len(beats)
    for page, beat in zip(pages[1:], beats):
        (plugin,) = page.xpath(".//draw:frame/draw:plugin", namespaces=ODP)
        assert plugin.get("{http://www.w3.org/1999/xlink}href") in stored  # the clip is kept inside
        frame_id = plugin.getparent().get("{http://www.w3.org/XML/1998/namespace}id")
        commands = page.xpath(
            "./anim:par[@presentation:node-type='timing-root']/anim:seq[@presentation:node-type='main-sequence']"
            "//anim:par[@presentation:preset-class='media-call']/anim:command[@anim:command='play']",
            namespaces=ODP,
        )
        assert [command.get("{" + ODP["smil"] + "}targetElement") for command in commands] == [frame_id]
        effect = commands[0].getparent()
        assert effect.get("{" + ODP["presentation"] + "}node-type") in {"after-previous", "with-previous"}
        # no step of the main sequence waits for a click: each begins at once
        steps = page.xpath(".//anim:seq[@presentation:node-type='main-sequence']//anim:par", namespaces=ODP)
        assert all(step.get("{" + ODP["smil"] + "}begin") in {None, "0s"} for step in steps)
        assert commands[0].get("{" + ODP["smil"] + "}dur") == f"{beat.seconds:g}s"

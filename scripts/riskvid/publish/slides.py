"""The course-slides package: each segment's clip, poster and GIF, a clip and poster per beat, a deck, a page,
a presenter view and two PDFs.

Clips are cut from the rendered pictures at their beat keyframes (no re-encoding), each with its
slice of the sound; posters are settled pictures, the ones the render saw each beat hold longest
(pipeline.holds); the GIF is made from small frames the render kept. Only WebM (off unless the
config asks) decodes and encodes frames again. Every file is rewritten only when what it is made
from changed.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable, Sequence
from fractions import Fraction
from pathlib import Path
from typing import TYPE_CHECKING

import av
import numpy as np
from PIL import Image

from riskvid.errors import RunError
from riskvid.files import Stamps, fingerprint, make_folders
from riskvid.pipeline.mux import Cut, write_mp4
from riskvid.pipeline.previews import GIF_FPS
from riskvid.pipeline.render import load_previews
from riskvid.pipeline.taps import INK_THRESHOLD
from riskvid.pipeline.timeline import Cue, Timeline, beat_cues
from riskvid.publish.deck import write_deck
from riskvid.publish.page import write_page
from riskvid.publish.steps import Beat, Chapter

if TYPE_CHECKING:
    from riskvid.config.model import Config
    from riskvid.pipeline.assemble import Assembled

GIF_OPENING_INK = 0.25  # the GIF opens on the first frame with this share of the segment's most ink
MIN_BEAT_SECONDS = 0.3  # shorter beats get no clip and no slide
MAX_WEBM_WIDTH = 1280
VP9_OPTIONS = {"deadline": "realtime", "cpu-used": "8", "row-mt": "1", "crf": "32", "b": "0"}
CODE = fingerprint(Path(__file__))


def publish_slides(
    config: Config, timeline: Timeline, assembled: Assembled, folder: Path, stamps: Stamps
) -> list[Path]:
    """Write (or keep) the slides package in ``folder``; return the files written."""
    written: list[Path] = []

    def make(name: str, key: object, build: Callable[[Path], object]) -> None:
        path = folder / name
        make_folders(path.parent)
        if stamps.make(path, fingerprint(CODE, key), build):
            written.append(path)

    chapters: list[Chapter] = []
    for offset, segment, picture, clip in zip(timeline.offsets(), timeline.segments, assembled.rendered,
                                              assembled.clips):
        stem, fps = segment.plan.name, timeline.fps
        clip_sha = stamps.sha(clip)
        make(f"{stem}.mp4", clip_sha, lambda tmp: shutil.copyfile(clip, tmp))
        poster = picture.best_poster(segment.plan.poster)
        make(f"{stem}.png", [picture.job.key, poster.name], lambda tmp: shutil.copyfile(poster, tmp))
        make(f"{stem}.gif", [picture.job.key, fps], lambda tmp: write_gif(load_previews(picture), fps, tmp))
        if config.slides.webm:
            make(f"{stem}.webm", clip_sha, lambda tmp: write_webm(clip, tmp))
        beats: list[Beat] = []
        for number, beat in enumerate(segment.beats, start=1):
            if (beat.end - beat.start) / fps < MIN_BEAT_SECONDS:
                continue
            name = f"{stem}/{number:02d}-{beat.name}"
            start, end = offset + beat.start / fps, offset + beat.end / fps
            cut = Cut(picture.video, beat.start, beat.end)
            make(f"{name}.mp4", [picture.job.key, beat.start, beat.end, assembled.sound.part_key(start, end)],
                 lambda tmp: write_mp4(tmp, [cut], assembled.sound.parts(start, end)))
            make(f"{name}.png", [picture.job.key, beat.name],
                 lambda tmp: shutil.copyfile(picture.poster(beat.name), tmp))
            captions = " ".join(line.text for line in beat.lines)
            shift = beat.start / fps
            cues = tuple(Cue(round(cue.start - shift, 3), round(cue.end - shift, 3), cue.text)
                         for cue in beat_cues(beat.lines, beat.end / fps))
            beats.append(Beat(segment.plan.title, beat.name, f"{name}.mp4", f"{name}.png", captions,
                              (beat.end - beat.start) / fps, tuple(line.text for line in beat.lines), cues))
        chapters.append(Chapter(segment.plan.title, stem, tuple(beats)))


    inputs = [config.title, config.description, chapters,
              [stamps.sha(folder / beat.clip) for c in chapters for beat in c.beats],
              [stamps.sha(folder / beat.poster) for c in chapters for beat in c.beats]]  # the deck embeds them
    deck_code = Path(write_deck.__code__.co_filename)
    page_code = Path(write_page.__code__.co_filename)
    make("deck.pptx", [inputs, config.theme, deck_code],
         lambda tmp: write_deck(tmp, config.title, chapters, config.description, theme=config.theme))
    make("index.html", [inputs, config.theme, page_code, page_code.with_suffix(".html")],
         lambda tmp: write_page(tmp, config.title, chapters, config.theme))
    written += publish_extras(config, chapters, folder, stamps, inputs)
    stamps.prune("slides")
    return written


def publish_extras(
    config: Config, chapters: list[Chapter], folder: Path, stamps: Stamps, inputs: Sequence[object]
) -> list[Path]:
    """The presenter view and the two PDFs (riskvid.publish.presenter, riskvid.publish.pdf); the files written."""
    from riskvid.publish import pdf, presenter

    written: list[Path] = []
    posters = [stamps.sha(folder / beat.poster) for chapter in chapters for beat in chapter.beats]
    handout = pdf.Handout(config.title, config.slides.formula, config.description, config.slides.paper)
    jobs = {
        "presenter.html": ([inputs, config.theme, presenter.CODE, presenter.TEMPLATE],
                           lambda tmp: presenter.write_presenter(tmp, config.title, chapters, config.theme)),
        "slides.pdf": ([config.title, chapters, posters, pdf.CODE],
                       lambda tmp: pdf.write_slides_pdf(tmp, config.title, chapters, folder)),
        "handout.pdf": ([handout, chapters, posters, pdf.CODE],
                        lambda tmp: pdf.write_handout(tmp, handout, chapters, folder)),
    }
    for name, (key, build) in jobs.items():
        if stamps.make(folder / name, fingerprint(CODE, key), build):
            written.append(folder / name)
    return written


def write_gif(frames: list[np.ndarray], fps: int, target: Path) -> None:
    """A looping GIF of ``frames`` sharing one palette, opening on the first frame with content."""
    frames = _from_first_content(frames)
    images = [Image.fromarray(frame) for frame in frames]
    sample = images[:: max(1, len(images) // 8)]
    strip = Image.new("RGB", (sample[0].width, sample[0].height * len(sample)))
    for i, image in enumerate(sample):
        strip.paste(image, (0, i * image.height))
    palette = strip.quantize(colors=255, method=Image.Quantize.MEDIANCUT)
    quantised = [image.quantize(palette=palette, dither=Image.Dither.NONE) for image in images]
    delay = round(1000 / min(GIF_FPS, fps))
    quantised[0].save(target, format="GIF", save_all=True, append_images=quantised[1:], duration=delay, loop=0)


def _from_first_content(frames: list[np.ndarray]) -> list[np.ndarray]:
    """``frames`` from the first one showing a fair share of the most any of them shows."""
    if not frames:
        raise ValueError("no preview frames were kept")
    background = frames[0][0, 0].astype(np.int16)
    inks = [float((np.abs(frame.astype(np.int16) - background).sum(axis=2) > INK_THRESHOLD).mean()) for frame in frames]
    first = next(i for i, value in enumerate(inks) if value >= GIF_OPENING_INK * max(inks))
    return frames[first:]


def write_webm(clip: Path, target: Path) -> None:
    """A VP9 WebM of ``clip`` (at most MAX_WEBM_WIDTH wide, colours tagged BT.709) with Opus sound."""
    with av.open(str(clip)) as source, av.open(str(target), "w", format="webm") as out:
        stream = source.streams.video[0]
        if stream.base_rate is None:
            raise RunError(f"{clip}: its video stream has no frame rate")
        fps = Fraction(stream.base_rate)
        width, height = fit(stream.codec_context.width, stream.codec_context.height, MAX_WEBM_WIDTH)
        video = out.add_stream("libvpx-vp9", rate=fps, options=dict(VP9_OPTIONS))
        video.width, video.height, video.pix_fmt = width, height, "yuv420p"
        codec = video.codec_context
        codec.color_primaries = codec.color_trc = codec.colorspace = 1
        codec.color_range = 1
        for index, frame in enumerate(source.decode(stream)):
            frame = frame.reformat(width, height, format="yuv420p", interpolation="AREA")
            frame.pts, frame.time_base = index, 1 / fps
            out.mux(video.encode(frame))
        out.mux(video.encode(None))


def fit(width: int, height: int, max_width: int) -> tuple[int, int]:
    """(width, height) scaled down to at most ``max_width`` wide, keeping the aspect, even sides.

    >>> fit(1920, 1080, 1280), fit(854, 480, 1280)
    ((1280, 720), (854, 480))
    """
    if width <= max_width:
        return width, height
    return max_width - max_width % 2, max(2, round(height * max_width / width / 2) * 2)

"""The course-slides package: web clips per segment, a clip per beat, a PowerPoint deck and an offline HTML deck."""

import contextlib
import multiprocessing
import os
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path

import av
import numpy as np
from PIL import Image

from riskvid.pipeline.assemble import concat
from riskvid.publish.captions import read_srt
from riskvid.pipeline.config import words
from riskvid.files import atomic_path

MAX_WEBM_WIDTH = 1280  # browsers get at most 720p-ish; the mp4 keeps the full size
GIF_WIDTH = 360  # a thumbnail-sized preview (at most 480 px)
GIF_FPS = 6
GIF_SECONDS = 8  # the preview is a time-lapse of the whole segment, at most this long
MIN_BEAT_SECONDS = 0.3  # shorter beats get no clip and no slide
FADE_TOLERANCE = 0.005  # a frame with this much less drawn than the one before is still "not fading"
BLANK = 1.0  # a frame whose grey levels spread less than this shows an empty page
FADED = 0.8  # a run ending with under this share of its peak drawn ends in a fade-out
X264_OPTIONS = {"preset": "veryfast", "crf": "21", "threads": "1"}
# b 0: quality set by crf alone
VP9_OPTIONS = {"deadline": "realtime", "cpu-used": "8", "row-mt": "1", "crf": "32", "b": "0", "threads": "1"}
OUTPUT_SUFFIXES = {".mp4", ".webm", ".gif", ".png", ".pptx", ".html"}


@dataclass(frozen=True)
class Beat:
    """One beat slide: its clip and poster (relative to the slides folder), heading and captions."""

    chapter: str
    name: str
    clip: str
    poster: str
    captions: str
    seconds: float  # the clip's length

    @property
    def step(self):
        """The beat's name in words."""
        return words(self.name)

    @property
    def heading(self):
        return f"{self.chapter} · {self.step}"


@dataclass(frozen=True)
class Chapter:
    """One segment's files in the slides folder and its beat slides."""

    title: str
    stem: str
    beats: tuple


def build_slides(config, layout, manifest, workers=None, report=None):
    """Write ``layout.root / "slides"``; return {relative filename: size in bytes} of everything in it.

    ``workers`` segments are exported at once (default: one per core); ``report`` gets a line per segment.
    """
    from riskvid.publish.deck import write_deck
    from riskvid.publish.page import write_page

    segments = _check_inputs(config, layout, manifest)
    out = layout.root / "slides"
    out.mkdir(parents=True, exist_ok=True)
    tasks = []
    for _, entry in segments:
        cues = read_srt(layout.root / entry["captions"]) if entry.get("captions") else []
        beats = [
            {**beat, "number": k, "captions": captions_within(cues, beat["start"], beat["end"])}
            for k, beat in enumerate(entry.get("beats", []), start=1)
            if beat["end"] - beat["start"] >= MIN_BEAT_SECONDS
        ]
        tasks.append((str(layout.root / entry["file"]), str(out), Path(entry["file"]).stem, beats))

    results = {}
    longest_first = sorted(range(len(tasks)), key=lambda i: -segments[i][1].get("duration", 0))
    workers = max(1, min(workers or os.cpu_count() or 1, len(tasks)))
    with contextlib.ExitStack() as stack:
        if workers == 1:
            submit = _run_now
        else:
            context = multiprocessing.get_context("spawn")
            submit = stack.enter_context(ProcessPoolExecutor(max_workers=workers, mp_context=context)).submit
        futures = {i: submit(export_segment, *tasks[i]) for i in longest_first}
        for i in longest_first:
            results[i] = futures[i].result()
            if report:
                report(f"slides {tasks[i][2]}: {len(results[i])} of {len(tasks[i][3])} beats have a clip")

    chapters = []
    for i, (segment, _) in enumerate(segments):
        title = segment.chapter_title
        beats = tuple(Beat(title, b["name"], b["clip"], b["poster"], b["captions"], b["end"] - b["start"]) for b in results[i])
        chapters.append(Chapter(title, tasks[i][2], beats))
    write_deck(out / "deck.pptx", config.title, chapters)
    write_page(out / "index.html", config.title, chapters)
    return _inventory(out, chapters)


class _run_now:
    """A finished 'future' for running in this process."""

    def __init__(self, function, *args):
        self.value = function(*args)

    def result(self):
        return self.value


def _check_inputs(config, layout, manifest):
    """[(config segment, manifest entry)] in order; a one-line ValueError when the render is missing or stale."""
    if not manifest:
        raise ValueError(f"no manifest in {layout.root}: run riskvid render first")
    entries = {entry.get("id"): entry for entry in manifest.get("segments", [])}
    missing = [segment.id for segment in config.segments if segment.id not in entries]
    if missing:
        raise ValueError(f"segment {missing[0]!r} is not in {layout.manifest}: run riskvid render first")
    pairs = [(segment, entries[segment.id]) for segment in config.segments]
    for _, entry in pairs:
        if not (layout.root / entry["file"]).is_file():
            raise ValueError(f"segment clip {layout.root / entry['file']} is missing: run riskvid render first")
    return pairs


def _inventory(out, chapters):
    """Remove files a previous build left that this one did not write; {relative name: size} of the rest."""
    written = {"deck.pptx", "index.html"}
    for chapter in chapters:
        written |= {f"{chapter.stem}{suffix}" for suffix in (".mp4", ".webm", ".gif", ".png")}
        written |= {name for beat in chapter.beats for name in (beat.clip, beat.poster)}
    for path in sorted(out.rglob("*"), reverse=True):
        name = path.relative_to(out).as_posix()
        if path.is_file() and path.suffix in OUTPUT_SUFFIXES and name not in written:
            path.unlink()
        elif path.is_dir() and not any(path.iterdir()):
            path.rmdir()
    return {name: (out / name).stat().st_size for name in sorted(written)}


def export_segment(clip, out, stem, beats):
    """Worker: one decode of ``clip`` feeds its web clips, preview, poster and beat clips.

    ``beats`` are the manifest's beats (with "number" and "captions") long enough for a clip; returns
    those that got one, with "clip" and "poster" paths relative to ``out``. A beat that only fades the
    page out (a transition, without captions) gets none.
    """
    clip, out = Path(clip), Path(out)
    try:
        concat([clip], out / f"{stem}.mp4")  # a remux with the index at the front
        with contextlib.ExitStack() as stack:
            return _transcode(stack, clip, out, stem, beats)
    except av.error.FFmpegError as error:
        raise ValueError(f"cannot read {clip}: {error}; run riskvid render --force") from None


def _transcode(stack, clip, out, stem, beats):
    source = stack.enter_context(av.open(str(clip)))
    stream = source.streams.video[0]
    fps = Fraction(stream.base_rate or stream.guessed_rate)
    width, height = stream.codec_context.width, stream.codec_context.height
    webm = _Encoder(stack, out / f"{stem}.webm", "libvpx-vp9", fps, *fit(width, height, MAX_WEBM_WIDTH), VP9_OPTIONS)
    total = stream.frames or round(float(stream.duration * stream.time_base * fps))
    gif_picks, gif_delay = gif_frames(total, float(fps))
    gif_size = fit(width, height, GIF_WIDTH)
    half = 0.5 / float(fps)
    previews, segment_poster, written = [], _Poster(), []
    current, encoder, poster = None, None, None
    for index, frame in enumerate(source.decode(stream)):
        time = frame.time  # read first: encoders renumber the frame
        level = content_level(frame)
        segment_poster.feed(frame, level)
        webm.encode(frame)
        if index in gif_picks:
            previews.append(frame.reformat(*gif_size, format="rgb24", interpolation="AREA").to_image())
        position = next((i for i, b in enumerate(beats) if b["start"] - half <= time < b["end"] - half), None)
        if position != current:
            if encoder is not None:
                written += _finish_beat(encoder, poster, beats[current])
            encoder, poster, current = None, None, position
            if position is not None:
                beat = beats[position]
                name = f"{stem}/{beat['number']:02d}-{beat['name']}"
                (out / stem).mkdir(exist_ok=True)
                encoder = _Encoder(stack, out / f"{name}.mp4", "libx264", fps, width, height, X264_OPTIONS)
                poster = _Poster()
        if encoder is not None:
            encoder.encode(frame)
            poster.feed(frame, level)
    if segment_poster.last is None:
        raise ValueError(f"{clip} has no video frames; run riskvid render --force")
    if encoder is not None:
        written += _finish_beat(encoder, poster, beats[current])
    webm.finish()
    _save_png(segment_poster.pick(), out / f"{stem}.png")
    _save_gif(previews, gif_delay, out / f"{stem}.gif")
    return written


def _finish_beat(encoder, poster, beat):
    """[beat with its clip and poster], or [] (clip dropped) for a fade-out transition without captions."""
    keep = beat["captions"] or not poster.is_fade_out()
    encoder.finish(keep)
    if not keep:
        return []
    _save_png(poster.pick(), encoder.path.with_suffix(".png"))
    relative = f"{encoder.path.parent.name}/{encoder.path.stem}"
    return [{**beat, "clip": f"{relative}.mp4", "poster": f"{relative}.png"}]


def content_level(frame):
    """How much is drawn on a frame: the spread of its brightness, on about 120 samples a row."""
    if frame.format.name not in {"yuv420p", "yuvj420p", "gray"}:
        frame = frame.reformat(format="gray")
    plane = frame.planes[0]
    luma = np.frombuffer(plane, np.uint8).reshape(plane.height, plane.line_size)[:, : plane.width]
    step = max(1, plane.width // 120)
    return float(luma[::step, ::step].std())


class _Poster:
    """Follows a run of frames to pick its poster: the last frame, or the last before a closing fade-out."""

    def __init__(self):
        self.last = self.held = None
        self.last_level = self.held_level = self.first_level = self.peak_level = 0.0

    def feed(self, frame, level):
        if self.last is None:
            self.first_level = level
        steady = level >= self.last_level * (1 - FADE_TOLERANCE) and level > BLANK
        if self.last is None or steady:
            self.held, self.held_level = frame, level
        self.last, self.last_level = frame, level
        self.peak_level = max(self.peak_level, level)

    def faded(self):
        return self.last_level < FADED * self.held_level

    def is_fade_out(self):
        """Whether the run drew nothing new and ended fading out what it started with."""
        return self.peak_level <= self.first_level * (1 + FADE_TOLERANCE) and self.faded()

    def pick(self):
        return self.held if self.faded() else self.last


class _Encoder:
    """A video-only output written under a temporary name; ``finish`` renames it into place."""

    def __init__(self, stack, path, codec, fps, width, height, options):
        self.path = path
        self.tmp = path.with_name(f".{path.name}.part{path.suffix}")
        stack.callback(self.tmp.unlink, missing_ok=True)
        extra = {"options": {"movflags": "+faststart"}} if path.suffix == ".mp4" else {}
        self.container = av.open(str(self.tmp), "w", **extra)
        stack.callback(self.container.close)
        self.stream = self.container.add_stream(codec, rate=fps, options=dict(options))
        self.stream.width, self.stream.height, self.stream.pix_fmt = width, height, "yuv420p"
        self.time_base, self.count = 1 / fps, 0

    def encode(self, frame):
        frame = frame.reformat(self.stream.width, self.stream.height, format="yuv420p", interpolation="AREA")
        frame.pts, frame.time_base = self.count, self.time_base
        self.count += 1
        self.container.mux(self.stream.encode(frame))

    def finish(self, keep=True):
        self.container.mux(self.stream.encode(None))
        self.container.close()
        if keep:
            os.replace(self.tmp, self.path)
        else:
            self.tmp.unlink()


def _save_png(frame, path):
    with atomic_path(path) as tmp:
        frame.to_image().save(tmp, format="PNG", optimize=True)


def _save_gif(images, delay, path):
    """A looping GIF of ``images`` sharing one palette (no flicker, smaller)."""
    sample = images[:: max(1, len(images) // 8)]
    strip = Image.new("RGB", (sample[0].width, sample[0].height * len(sample)))
    for i, image in enumerate(sample):
        strip.paste(image, (0, i * image.height))
    palette = strip.quantize(colors=255, method=Image.Quantize.MEDIANCUT)
    frames = [image.quantize(palette=palette, dither=Image.Dither.NONE) for image in images]
    with atomic_path(path) as tmp:
        frames[0].save(tmp, format="GIF", save_all=True, append_images=frames[1:], duration=delay, loop=0)


def fit(width, height, max_width):
    """(width, height) scaled down to at most ``max_width`` wide, keeping the aspect, even sides.

    >>> fit(1920, 1080, 1280), fit(854, 480, 1280), fit(854, 480, 480)
    ((1280, 720), (854, 480), (480, 270))
    """
    if width <= max_width:
        return width, height
    return max_width - max_width % 2, max(2, round(height * max_width / width / 2) * 2)


def gif_frames(total, fps):
    """(frame indices, delay in ms) of the preview: real time if short, else a time-lapse of the whole clip.

    >>> gif_frames(10, 5)
    ({0, 1, 2, 3, 4, 5, 6, 7, 8, 9}, 200)
    >>> picks, delay = gif_frames(900, 15)
    >>> len(picks) == GIF_FPS * GIF_SECONDS, max(picks), delay
    (True, 899, 167)
    """
    rate = min(GIF_FPS, fps)
    count = max(1, min(total, round(min(total / fps, GIF_SECONDS) * rate)))
    if count == 1:
        return {0}, round(1000 / rate)
    return {round(i * (total - 1) / (count - 1)) for i in range(count)}, round(1000 / rate)


def captions_within(cues, start, end):
    """The text of the cues whose middle falls within [start, end), joined by spaces.

    >>> captions_within([(0, 2, "One."), (2, 5, "Two."), (5, 9, "Three.")], 1.5, 5.0)
    'Two.'
    """
    return " ".join(text for a, b, text in cues if start <= (a + b) / 2 < end and text)

"""The YouTube package: the video encoded as YouTube recommends, chapters, captions, thumbnail, description.

Everything is written under ``<output>/<video-id>/youtube/``, each file atomically. The video is
the one slow step (a decode and an x264 encode); it is skipped when its source and this module
are unchanged since the last publish.
"""

import hashlib
import math
import tempfile
from dataclasses import dataclass
from datetime import timedelta
from fractions import Fraction

import av
import srt

from riskvid.publish.captions import read_srt
from riskvid.files import atomic_path, read_json, sha256_file, write_json
from riskvid.pipeline.render import RenderError

# YouTube's recommended SDR upload bitrates in Mbps, by the frame's "p": (standard, 48–60 fps).
RECOMMENDED_MBPS = {360: (1, 1.5), 480: (2.5, 4), 720: (5, 7.5), 1080: (8, 12), 1440: (16, 24), 2160: (45, 53)}
BELOW_360P_MBPS = 1
HIGH_FRAME_RATE = 30  # above this, the high-frame-rate column applies
RATE_HEADROOM = 1.01  # x264's CBR lands a hair (~0.1 %) under its target: aim just above YouTube's figure
BUFFER_SECONDS = 2  # the rate control's buffer (VBV), in seconds of the target rate
PRESET = "superfast"  # still High profile (CABAC, 8×8 transforms); ~1.5× veryfast's speed at 1080p
BT709 = 1  # FFmpeg's (and H.264's) code for BT.709 primaries, transfer and matrix alike
LIMITED_RANGE = 1  # AVCOL_RANGE_MPEG: the "tv" range, 16–235
# Manim's clips are untagged, their RGB turned to YUV with swscale's default BT.601 matrix; the
# colorspace filter redoes that as BT.709 (the matrix only: the primaries are the same sRGB ones).
TO_BT709 = ("colorspace", "iall=bt601-6-625:irange=tv:all=bt709:range=tv:fast=1")
MUX_OPTIONS = {
    # moov first so YouTube can start processing before the upload ends; B-frames shown through
    # negative composition offsets instead of an edit list, which YouTube asks uploads not to have.
    "movflags": "+faststart+negative_cts_offsets",
    "use_editlist": "0",
}

MIN_CHAPTER_SECONDS = 10
MIN_CHAPTERS = 3
THUMBNAIL_SIZE = (1280, 720)
THUMBNAIL_MAX_BYTES = 2 * 1024 * 1024

def build_youtube(config, layout, manifest):
    """Write the YouTube package for a rendered video; return {file name: size in bytes}."""
    source = _full_video(layout, manifest)
    folder = layout.root / "youtube"
    folder.mkdir(parents=True, exist_ok=True)
    chapter_list = chapters(manifest)  # fails fast, before the long encode
    subtitles = captions(manifest, layout.root)
    texts = {
        "chapters.txt": format_chapters(chapter_list),
        "captions.srt": srt.compose(subtitles),
        "captions.vtt": to_webvtt(subtitles),
        "description.md": description(config.title, config.description, chapter_list),
    }
    for name, text in texts.items():
        with atomic_path(folder / name) as tmp:
            tmp.write_text(text, encoding="utf-8")
    write_thumbnail(config, folder / "thumbnail.png")
    video = folder / f"{config.id}.mp4"
    encode_once(source, video, layout.cache / "youtube.encode.json")
    names = [video.name, *texts, "thumbnail.png"]
    return {name: (folder / name).stat().st_size for name in names}


def _full_video(layout, manifest):
    """The assembled full video's path; RenderError when there is none."""
    if not manifest or "video" not in manifest:
        raise RenderError(f"no full video in {layout.manifest}: run riskvid render (all segments) first")
    path = layout.root / manifest["video"]["file"]
    if not path.is_file():
        raise RenderError(f"{path} is missing: run riskvid render first")
    return path


# The video.


def target_bitrate(width, height, fps):
    """YouTube's recommended SDR upload bitrate (bits/s) for a frame size and rate.

    The frame's "p" is its short side, or its long side's 16:9 equivalent when that is larger
    (2560×1080 counts as 1440p); a size between two rows takes the higher row.

    >>> target_bitrate(1920, 1080, 60), target_bitrate(1920, 1080, 30), target_bitrate(854, 480, 15)
    (12000000, 8000000, 2500000)
    """
    p = max(min(width, height), round(max(width, height) * 9 / 16))
    if p < 360:
        return BELOW_360P_MBPS * 1_000_000
    row = next((row for row in RECOMMENDED_MBPS if row >= p), max(RECOMMENDED_MBPS))
    standard, high = RECOMMENDED_MBPS[row]
    return round((high if fps > HIGH_FRAME_RATE else standard) * 1_000_000)


def encode_once(source, target, stamp_path):
    """Encode ``source`` into ``target`` unless the stamp says this exact encode is already there."""
    key = hashlib.sha256(f"{sha256_file(source)} {sha256_file(__file__)} {av.__version__}".encode()).hexdigest()
    stamp = read_json(stamp_path)
    if stamp and stamp.get("key") == key and target.is_file() and sha256_file(target) == stamp.get("sha256"):
        return stamp["bitrate"]
    bitrate = encode(source, target)
    stamp_path.parent.mkdir(parents=True, exist_ok=True)
    write_json(stamp_path, {"key": key, "sha256": sha256_file(target), "bitrate": bitrate})
    return bitrate


def encode(source, target):
    """Re-encode ``source`` for YouTube: H.264 High, yuv420p BT.709 (limited range), constant frame rate.

    The rate is held at YouTube's recommendation by x264's CBR (filler data on flat frames) and
    the index goes at the front; the frames are converted from BT.601 (see TO_BT709). Returns the
    measured bitrate (bits/s); RenderError if it falls short. An audio track (AAC-LC, 48 kHz
    stereo) would be added here once the video has narration audio.
    """
    with av.open(str(source)) as container:
        stream = container.streams.video[0]
        stream.thread_type = "AUTO"
        fps = Fraction(stream.base_rate)
        width, height = stream.codec_context.width, stream.codec_context.height
        goal = target_bitrate(width, height, fps)
        frames = size = 0
        with atomic_path(target) as tmp, av.open(str(tmp), "w", format="mp4", options=MUX_OPTIONS) as out:
            video = _h264_stream(out, width, height, fps, math.ceil(goal * RATE_HEADROOM))
            to_bt709 = _filter(stream, *TO_BT709)
            for frame in container.decode(stream):
                to_bt709.push(frame)
                frame = to_bt709.pull()
                frame.pts, frame.time_base = frames, 1 / fps
                frames += 1
                size += _mux(out, video.encode(frame))
            size += _mux(out, video.encode())
            measured = size * 8 * fps / max(frames, 1)
            if measured < goal:
                raise RenderError(
                    f"{target.name}: encoded at {measured / 1e6:.2f} Mbps, under YouTube's {goal / 1e6:g}"
                )
    return round(float(measured))


def _h264_stream(out, width, height, fps, rate):
    """An x264 stream in ``out`` as YouTube recommends, held at ``rate`` bits/s."""
    video = out.add_stream(
        "libx264",
        rate=fps,
        options={
            "preset": PRESET,
            "profile": "high",
            "nal-hrd": "cbr",
            "minrate": str(rate),
            "maxrate": str(rate),
            "bufsize": str(rate * BUFFER_SECONDS),
            "g": str(max(1, round(fps / 2))),  # YouTube: closed GOPs of half the frame rate,
            "bf": "2",  # with two consecutive B-frames
        },
    )
    video.width, video.height, video.pix_fmt, video.bit_rate = width, height, "yuv420p", rate
    codec = video.codec_context
    codec.color_primaries = codec.color_trc = codec.colorspace = BT709
    codec.color_range = LIMITED_RANGE
    return video


def _mux(out, packets):
    """Mux ``packets``; return their size in bytes."""
    size = 0
    for packet in packets:
        size += packet.size
        out.mux(packet)
    return size


def _filter(stream, name, options):
    """A libavfilter graph that passes ``stream``'s frames through one filter."""
    graph = av.filter.Graph()
    source, step, sink = graph.add_buffer(template=stream), graph.add(name, options), graph.add("buffersink")
    source.link_to(step)
    step.link_to(sink)
    graph.configure()
    return graph


# Chapters.


@dataclass(frozen=True)
class Chapter:
    """A chapter of the YouTube video: whole seconds on its timeline, and a title."""

    start: int
    end: float
    title: str
    weight: float  # the longest segment's length in it: that segment names the chapter

    def __add__(self, later):
        """This chapter and the one right after it as one, named after the longer segment."""
        named = later if later.weight > self.weight else self
        return Chapter(self.start, later.end, named.title, named.weight)

    @property
    def seconds(self):
        return self.end - self.start


def chapters(manifest):
    """YouTube chapters: one per segment, each at least 10 s long, at least three of them.

    A chapter starts at its segment's start rounded to the second. A segment shorter than
    10 s joins the segment after it (the last one joins the one before); a chapter made of several
    segments takes the title of its longest one (the earlier on a tie). Raises ValueError when
    fewer than three chapters remain.
    """
    segments = manifest["segments"]
    end = manifest["video"]["duration"]
    offsets = [0.0]
    for segment in segments[:-1]:
        offsets.append(offsets[-1] + segment["duration"])
    starts = [math.floor(offset + 0.5) for offset in offsets]
    pieces = [
        Chapter(start, next_start, " ".join(segment["title"].split()), next_start - start)
        for segment, start, next_start in zip(segments, starts, [*starts[1:], end])
    ]
    merged, carry = [], None
    for piece in pieces:
        piece = carry + piece if carry else piece
        carry = piece if piece.seconds < MIN_CHAPTER_SECONDS else None
        if carry is None:
            merged.append(piece)
    if carry:
        merged[-1:] = [merged[-1] + carry] if merged else [carry]
    long_enough = [chapter for chapter in merged if chapter.seconds >= MIN_CHAPTER_SECONDS]
    if len(long_enough) < MIN_CHAPTERS or len(long_enough) < len(merged):
        raise ValueError(
            f"YouTube needs at least {MIN_CHAPTERS} chapters of {MIN_CHAPTER_SECONDS} s; "
            f"the video has {len(long_enough)}"
        )
    return merged


def timestamp(seconds):
    """A chapter's start as YouTube reads it: M:SS, or H:MM:SS from an hour on.

    >>> timestamp(0), timestamp(75), timestamp(3725)
    ('0:00', '1:15', '1:02:05')
    """
    hours, rest = divmod(int(seconds), 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


def format_chapters(chapter_list):
    """The chapters block: one "M:SS Title" line per chapter."""
    return "".join(f"{timestamp(chapter.start)} {chapter.title}\n" for chapter in chapter_list)


def description(title, summary, chapter_list):
    """The video's description: its title, what it is about (when given), and its chapters."""
    about = f"{summary}\n\n" if summary else ""
    return f"# {title}\n\n{about}Chapters:\n{format_chapters(chapter_list)}"


# Captions.


def captions(manifest, root):
    """Every segment's captions on the full video's timeline, in order, none overlapping.

    A caption is cut at the end of its segment and of the video, and where the next one starts;
    one left with no time is dropped. Times are whole milliseconds.
    """
    video_end = round(manifest["video"]["duration"] * 1000)
    cues, offset = [], 0.0
    for segment in manifest["segments"]:
        start, offset = round(offset * 1000), offset + segment["duration"]
        end = min(round(offset * 1000), video_end)
        if segment.get("captions"):
            for first, last, text in read_srt(root / segment["captions"]):
                begin = start + round(first * 1000)
                finish = min(start + round(last * 1000), end)
                cues.append((begin, finish, text))
    cues.sort(key=lambda cue: cue[:2])
    subtitles = []
    for index, (begin, finish, content) in enumerate(cues):
        if index + 1 < len(cues):
            finish = min(finish, cues[index + 1][0])
        if finish > begin:
            subtitles.append(
                srt.Subtitle(len(subtitles) + 1, timedelta(milliseconds=begin), timedelta(milliseconds=finish), content)
            )
    return subtitles


def to_webvtt(subtitles):
    """``subtitles`` as a WebVTT file: the header, then one cue per caption."""
    cues = [
        f"{_vtt_time(sub.start)} --> {_vtt_time(sub.end)}\n{_vtt_text(sub.content)}"
        for sub in subtitles
        if sub.content.strip()
    ]
    return "WEBVTT\n\n" + "".join(f"{cue}\n\n" for cue in cues)


def _vtt_time(delta):
    milliseconds = round(delta.total_seconds() * 1000)
    hours, rest = divmod(milliseconds, 3_600_000)
    minutes, rest = divmod(rest, 60_000)
    return f"{hours:02d}:{minutes:02d}:{rest // 1000:02d}.{rest % 1000:03d}"


def _vtt_text(content):
    """Cue text: no blank lines (they end a cue), and &, < and > escaped (so never "-->")."""
    lines = [line for line in content.splitlines() if line.strip()]
    return "\n".join(lines).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


# The thumbnail.


def write_thumbnail(config, target):
    """Draw the thumbnail scene at 1280×720 and save it as a PNG; ValueError if it is 2 MB or more."""
    from PIL import Image

    from riskvid.stills import beat_stills
    from scenes.thumbnail import ThumbnailParams, ThumbnailScene

    with tempfile.TemporaryDirectory(prefix="riskvid-thumbnail-") as work:
        [(_, frame)] = beat_stills(
            ThumbnailScene, ThumbnailParams(title=config.title), seed=config.seed, size=THUMBNAIL_SIZE, work_dir=work
        )
    with atomic_path(target) as tmp:
        Image.fromarray(frame).save(tmp, format="PNG", optimize=True)
        if tmp.stat().st_size >= THUMBNAIL_MAX_BYTES:
            raise ValueError(f"{target.name} is {tmp.stat().st_size} bytes; YouTube takes thumbnails under 2 MB")

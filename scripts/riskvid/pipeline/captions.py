"""Caption files from the timeline's cues: SRT and WebVTT, escaped the same way.

Cue text is data: it is reduced to printable lines (never a blank line, which would end a cue
and let the rest forge a cue of its own) and ``&``, ``<`` and ``>`` are escaped in both formats.
"""

from __future__ import annotations

from collections.abc import Iterable

from riskvid.pipeline.timeline import Cue


def cue_text(text: str) -> str:
    """Caption text safe in SRT and WebVTT: its lines trimmed, blank ones and control characters dropped,
    and ``&``, ``<``, ``>`` escaped (so no tags and never an arrow "-->").

    >>> cue_text("a <b>bold</b> & --> move\\n\\n2\\n00:00:01,000 --> 00:00:02,000")
    'a &lt;b&gt;bold&lt;/b&gt; &amp; --&gt; move\\n2\\n00:00:01,000 --&gt; 00:00:02,000'
    """
    lines = ["".join(ch for ch in line if ch.isprintable()).strip() for line in text.splitlines()]
    joined = "\n".join(line for line in lines if line)
    return joined.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _clock(seconds: float, separator: str) -> str:
    milliseconds = max(0, round(seconds * 1000))
    hours, rest = divmod(milliseconds, 3_600_000)
    minutes, rest = divmod(rest, 60_000)
    return f"{hours:02d}:{minutes:02d}:{rest // 1000:02d}{separator}{rest % 1000:03d}"


def _usable(cues: Iterable[Cue]) -> list[tuple[Cue, str]]:
    return [(cue, text) for cue in cues if cue.end > cue.start and (text := cue_text(cue.text))]


def to_srt(cues: Iterable[Cue]) -> str:
    """``cues`` as a SubRip file.

    >>> print(to_srt([Cue(0, 1.5, "Hello")]), end="")
    1
    00:00:00,000 --> 00:00:01,500
    Hello
    """
    return "\n".join(
        f"{number}\n{_clock(cue.start, ',')} --> {_clock(cue.end, ',')}\n{text}\n"
        for number, (cue, text) in enumerate(_usable(cues), start=1)
    )


def to_vtt(cues: Iterable[Cue]) -> str:
    """``cues`` as a WebVTT file.

    >>> print(to_vtt([Cue(0, 1.5, "Hello")]), end="")
    WEBVTT
    <BLANKLINE>
    00:00:00.000 --> 00:00:01.500
    Hello
    """
    return "WEBVTT\n" + "".join(
        f"\n{_clock(cue.start, '.')} --> {_clock(cue.end, '.')}\n{text}\n" for cue, text in _usable(cues)
    )

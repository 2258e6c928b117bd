"""Reading a segment's captions (.srt) back, for the publish packages."""

from pathlib import Path

import srt


def read_srt(path):
    """[(start, end, text)] of an .srt file, times in seconds; a one-line ValueError if it is missing or bad."""
    try:
        subtitles = list(srt.parse(Path(path).read_text(encoding="utf-8-sig")))
    except (OSError, srt.SRTParseError) as error:
        raise ValueError(f"cannot read captions {path}: {error}; run riskvid render first") from None
    return [(s.start.total_seconds(), s.end.total_seconds(), " ".join(s.content.split())) for s in subtitles]

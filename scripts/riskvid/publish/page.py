"""index.html: an offline deck, one slide per beat with its clip, heading and captions; no network needed.

Every text comes from the config and is escaped; file links are percent-encoded paths beside the page.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from html import escape
from pathlib import Path
from urllib.parse import quote

from riskvid.files import atomic_path
from riskvid.publish.steps import Beat, Chapter

TEMPLATE = Path(__file__).with_name("page.html")
SLOT = re.compile(r"\{\{(title|slides|page|page3|ink|ink2|red|scheme)\}\}")


def write_page(path: Path, title: str, chapters: Sequence[Chapter], theme: str = "paper") -> None:
    """Write the page for ``chapters`` (see riskvid.publish.steps.Chapter) to ``path``, atomically."""
    with atomic_path(path) as tmp:
        tmp.write_text(render_page(title, chapters, theme), encoding="utf-8")


def render_page(title: str, chapters: Sequence[Chapter], theme: str = "paper") -> str:
    """The page's HTML in ``theme``'s colours (scenes.palette): a cover listing the chapters, then a slide per beat."""
    from scenes.palette import colours

    palette = colours(theme)
    total = sum(len(chapter.beats) for chapter in chapters)
    sections = [_cover(title, chapters, total)]
    number = 0
    for chapter in chapters:
        for beat in chapter.beats:
            number += 1
            sections.append(_beat(beat, number, total))
    values = {"title": escape(title), "slides": "\n".join(sections),
              "scheme": "dark" if theme == "chalkboard" else "light",
              **{name: palette[name] for name in ("page", "page3", "ink", "ink2", "red")}}
    # one pass: text that looks like a slot ("{{slides}}" in a title) is never filled in itself
    return SLOT.sub(lambda match: values[match.group(1)], TEMPLATE.read_text(encoding="utf-8"))


def _cover(title: str, chapters: Sequence[Chapter], total: int) -> str:
    items, first = [], 1
    for number, chapter in enumerate(chapters, start=1):
        label = f'<p><span class="num">{number:02d}</span>{escape(chapter.title)}</p>'
        image = f'<img src="{_url(chapter.stem + ".png")}" alt="" loading="lazy">'
        if chapter.beats:
            items.append(f'<li><a href="#{first}">{image}{label}</a></li>')
        else:
            items.append(f'<li><span class="none">{image}{label}</span></li>')
        first += len(chapter.beats)
    return (
        '<section class="slide cover" aria-label="Title">\n<div class="inner">\n'
        '<p class="kicker">Course slides</p>\n'
        f"<h1>{escape(title)}</h1>\n"
        f'<p class="meta">{len(chapters)} chapters · {total} clips, one per step. '
        "Space, → or a click for the next step; ← to go back; M for sound on or off; "
        "P for the presenter view (notes, next step, timers) in a second window.</p>\n"
        f'<ol class="chapters">\n{chr(10).join(items)}\n</ol>\n</div>\n</section>'
    )


def _beat(beat: Beat, number: int, total: int) -> str:
    preload = "auto" if number == 1 else "none"
    return (
        f'<section class="slide beat" aria-label="{escape(beat.heading)}" hidden>\n'
        f'<header><span class="chapter">{escape(beat.chapter)}</span><span aria-hidden="true">·</span>'
        f'<span class="step">{escape(beat.step)}</span><span class="count">{number} / {total}</span></header>\n'
        f'<div class="stage"><video playsinline muted preload="{preload}" poster="{_url(beat.poster)}">'
        f'<source src="{_url(beat.clip)}" type="video/mp4"></video></div>\n'
        f'<p class="caption">{_caption(beat)}</p>\n</section>'
    )


def _caption(beat: Beat) -> str:
    """The beat's lines, each cue a span timed on its clip (data-at, data-until: seconds), so the page
    marks the words being said; plain text when the cues do not spell out the lines."""
    cues = [(cue.start, cue.end, " ".join(cue.text.split())) for cue in beat.cues]
    if not cues or " ".join(text for _, _, text in cues) != beat.captions:
        return escape(beat.captions)
    return " ".join(f'<span class="cue" data-at="{start:.3f}" data-until="{end:.3f}">{escape(text)}</span>'
                    for start, end, text in cues)


def _url(relative: str) -> str:
    """A relative link to a file beside the page, percent-encoded and safe in an attribute."""
    return escape(quote(relative))

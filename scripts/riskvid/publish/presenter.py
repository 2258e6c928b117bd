"""presenter.html: the teacher's view of the deck, offline, beside index.html on the projector.

It shows the current step (its clip, or the cover), the step's notes (its narration lines in
full), the next step's poster, an elapsed timer, a per-step timer and the step counter, and takes
the deck's keys. It drives index.html open in another window, and follows it, over a
BroadcastChannel with a storage-event fallback (both work from ``file://``); pressing P in
index.html opens it. The steps are embedded as JSON in the page; every text is data, set with
``textContent`` by the page's script, never parsed as HTML.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from html import escape
from pathlib import Path
from typing import Any
from urllib.parse import quote

from riskvid.files import atomic_path, fingerprint
from riskvid.publish.steps import Chapter

TEMPLATE = Path(__file__).with_name("presenter.html")
CODE = fingerprint(Path(__file__))
SLOT = re.compile(r"\{\{(title|steps|page|page3|ink|ink2|red|scheme)\}\}")


def steps_data(title: str, chapters: Sequence[Chapter]) -> list[dict[str, Any]]:
    """The steps as index.html numbers them: the cover, then one per beat (clip and poster relative, notes)."""
    outline, first = [], 1
    for number, chapter in enumerate(chapters, start=1):
        if chapter.beats:
            outline.append(f"{number}. {chapter.title} (steps {first}–{first + len(chapter.beats) - 1})")
        first += len(chapter.beats)
    steps: list[dict[str, Any]] = [{"title": title, "chapter": "Cover", "clip": None, "poster": None, "notes": outline}]
    for chapter in chapters:
        for beat in chapter.beats:
            notes = list(beat.lines or ([beat.captions] if beat.captions else []))
            steps.append({"title": beat.step, "chapter": chapter.title, "clip": quote(beat.clip),
                          "poster": quote(beat.poster), "notes": notes})
    return steps


def render_presenter(title: str, chapters: Sequence[Chapter], theme: str = "paper") -> str:
    """The presenter page's HTML in ``theme``'s colours."""
    from scenes.palette import colours

    palette = colours(theme)
    data = json.dumps(steps_data(title, chapters), ensure_ascii=False)
    # Inside <script>: no "</script>" or "<!--" can close or bend it.
    data = data.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    values = {"title": escape(title), "steps": data, "scheme": "dark" if theme == "chalkboard" else "light",
              **{name: palette[name] for name in ("page", "page3", "ink", "ink2", "red")}}
    return SLOT.sub(lambda match: values[match.group(1)], TEMPLATE.read_text(encoding="utf-8"))


def write_presenter(path: Path, title: str, chapters: Sequence[Chapter], theme: str = "paper") -> None:
    """Write presenter.html for ``chapters`` to ``path``, atomically."""
    with atomic_path(path) as tmp:
        tmp.write_text(render_presenter(title, chapters, theme), encoding="utf-8")

"""Stage: publish a rendered video as a YouTube package and a course-slides package.

Both are made from the assembled files and the timeline; each file is rewritten only when what
it is made from changed, and files earlier runs made that this one no longer makes are removed.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from riskvid.files import Layout, make_folders

if TYPE_CHECKING:
    from riskvid.config.model import Config
    from riskvid.pipeline.assemble import Assembled
    from riskvid.pipeline.timeline import Timeline


def publish(config: Config, timeline: Timeline, assembled: Assembled, layout: Layout) -> list[Path]:
    """Write (or keep) ``youtube/`` and ``slides/``; return the files written this run."""
    from riskvid.publish.slides import publish_slides
    from riskvid.publish.youtube import check_limits, publish_youtube

    check_limits(config, timeline)  # before anything is written: no package is left half-updated
    youtube, slides = layout.root / "youtube", layout.root / "slides"
    make_folders(youtube, slides)
    stamps = assembled.stamps
    written = publish_youtube(config, timeline, assembled.video, youtube, stamps)
    written += publish_slides(config, timeline, assembled, slides, stamps)
    stamps.prune("youtube")
    stamps.save()
    return written

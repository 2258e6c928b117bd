"""Publish a rendered video: the YouTube package and the course-slides package."""

from riskvid.files import read_json
from riskvid.pipeline.render import RenderError


def publish(config, layout, workers, report=print):
    """Build both packages from the rendered outputs; return {package: {file: bytes}}."""
    from riskvid.publish.slides import build_slides
    from riskvid.publish.youtube import build_youtube

    manifest = read_json(layout.manifest)
    if not manifest or "video" not in manifest:
        raise RenderError(f"no full video in {layout.root}: run riskvid render (all segments) first")
    packages = {"youtube": build_youtube(config, layout, manifest)}
    report(f"youtube/ written: {_megabytes(packages['youtube'])}")
    packages["slides"] = build_slides(config, layout, manifest, workers=workers)
    report(f"slides/ written: {_megabytes(packages['slides'])}")
    return packages


def _megabytes(sizes):
    return f"{len(sizes)} files, {sum(sizes.values()) / 1e6:.1f} MB"

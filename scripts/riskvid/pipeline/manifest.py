"""manifest.json: what each segment clip and the full video are, and how they were made."""

from riskvid.pipeline.assemble import probe


def build_manifest(config, outcomes, layout, video=None):
    """The manifest as a dict; ``video`` is the full video's path when it was assembled."""
    segments = []
    for outcome in outcomes:
        job = outcome.job
        captions = outcome.movie.with_suffix(".srt")
        segments.append(
            {
                "id": job.segment_id,
                "title": job.title,
                "scene": job.scene,
                "file": str(outcome.movie.relative_to(layout.root)),
                "captions": str(captions.relative_to(layout.root)) if captions.exists() else None,
                **probe(outcome.movie),
                "cache_key": job.cache_key,
                "status": "reused" if outcome.reused else "rendered",
                "render_seconds": round(outcome.render_seconds, 2),
                "beats": outcome.beats,
            }
        )
    manifest = {"id": config.id, "title": config.title, "segments": segments}
    if video is not None:
        manifest["video"] = {"file": video.name, "duration": probe(video)["duration"]}
    return manifest

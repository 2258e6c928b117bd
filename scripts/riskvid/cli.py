"""The riskvid command: check a config, render it into segment clips, a full video and a manifest."""

import argparse
import os
import sys
import time
from pathlib import Path

from riskvid.pipeline.config import QUALITY_PRESETS, ConfigError, load_config
from riskvid.files import FolderBusy, UnsafeFolder, folder_lock, make_folders
from riskvid.pipeline.render import RenderError

EXIT_RENDER_FAILED = 1
EXIT_BAD_INPUT = 2
# A run that cannot finish: reported in one line; what was finished before stays valid.
RUN_ERRORS = (FolderBusy, UnsafeFolder, RenderError, ValueError, OSError)


def main(argv=None):
    args = _parser().parse_args(argv)
    try:
        return args.command(args)
    except ConfigError as error:
        print(f"error: {error}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except RUN_ERRORS as error:
        print(f"error: {error}", file=sys.stderr)
        return EXIT_RENDER_FAILED
    except KeyboardInterrupt:
        print("interrupted: finished segments are kept; run again to continue", file=sys.stderr)
        return 130


def _parser():
    parser = argparse.ArgumentParser(prog="riskvid", description=__doc__)
    commands = parser.add_subparsers(required=True, metavar="COMMAND")

    check = commands.add_parser("check", help="validate a config without rendering")
    check.add_argument("config", nargs="?", default="video.yaml", type=Path)
    check.add_argument("--explain", action="store_true", help="also list every key with its type, default and bounds")
    check.set_defaults(command=check_command)

    render = commands.add_parser("render", help="render a config into media/")
    render.add_argument("config", nargs="?", default="video.yaml", type=Path)
    render.add_argument("--quality", choices=list(QUALITY_PRESETS), help="preset to render at (overrides the config)")
    render.add_argument("--only", type=_ids, help="render only these segment ids (comma-separated)")
    render.add_argument("--jobs", type=_positive, default=os.cpu_count() or 1, help="worker processes (default: cores)")
    render.add_argument("--force", action="store_true", help="re-render even segments that are cached")
    render.add_argument("--dry-run", action="store_true", help="show what would be rendered, write nothing")
    render.add_argument("--no-publish", action="store_true", help="skip the YouTube and slides packages")
    render.set_defaults(command=render_command)

    publish = commands.add_parser("publish", help="rebuild the YouTube and slides packages from the rendered video")
    publish.add_argument("config", nargs="?", default="video.yaml", type=Path)
    publish.add_argument("--jobs", type=_positive, default=os.cpu_count() or 1, help="worker processes (default: cores)")
    publish.set_defaults(command=publish_command)

    stills = commands.add_parser("stills", help="write a contact sheet: the last frame of every beat")
    stills.add_argument("config", nargs="?", default="video.yaml", type=Path)
    stills.add_argument("--jobs", type=_positive, default=os.cpu_count() or 1, help="worker processes (default: cores)")
    stills.set_defaults(command=stills_command)
    return parser


def _ids(text):
    ids = [part.strip() for part in text.split(",") if part.strip()]
    if not ids:
        raise argparse.ArgumentTypeError("expected one or more segment ids, e.g. --only title,loss_bars")
    return ids


def _positive(text):
    if not text.isdigit() or not 1 <= int(text) <= 64:
        raise argparse.ArgumentTypeError(f"expected a number of workers from 1 to 64, got {text!r}")
    return int(text)


def check_command(args):
    if args.explain:
        from riskvid.pipeline.config import explain

        print("\n".join(explain()))
    config = load_config(args.config)
    width, height, fps = config.frame_settings()
    print(f"{args.config}: ok: {config.id!r}, {len(config.segments)} segments, {width}x{height}@{fps}")
    return 0


def _layout(config, args):
    """Where ``config``'s outputs go: <output folder, relative to the config>/<video id>."""
    from riskvid.pipeline.plan import Layout

    return Layout((args.config.parent / config.output).resolve() / config.id)


def stills_command(args):
    import shutil

    from riskvid.pipeline.plan import plan
    from riskvid.stills import all_stills, contact_sheet

    config = load_config(args.config)
    layout = _layout(config, args)
    started = time.perf_counter()
    with folder_lock(layout.root):
        make_folders(layout.work)
        results = all_stills(plan(config), layout.work / "stills", args.jobs)
        shutil.rmtree(layout.work, ignore_errors=True)
        target = layout.root / "contact-sheet.png"
        contact_sheet(results, target)
    beats = sum(len(stills) for _, stills in results)
    print(f"{beats} beats from {len(results)} segments in {time.perf_counter() - started:.1f} s → {target}")
    return 0


def publish_command(args):
    from riskvid.publish import publish

    config = load_config(args.config)
    layout = _layout(config, args)
    if not layout.manifest.is_file():  # check before the lock creates the folder
        raise RenderError(f"nothing rendered in {layout.root}: run riskvid render first")
    started = time.perf_counter()
    with folder_lock(layout.root):
        publish(config, layout, args.jobs)
    print(f"published in {time.perf_counter() - started:.1f} s → {layout.root / 'youtube'}, {layout.root / 'slides'}")
    return 0


def render_command(args):
    from riskvid.pipeline.plan import plan
    from riskvid.pipeline.render import cached_outcome

    config = load_config(args.config)
    jobs = plan(config, args.quality)
    if args.only:
        known = {job.segment_id for job in jobs}
        unknown = [i for i in args.only if i not in known]
        if unknown:
            raise ConfigError(f"--only: no segment {unknown[0]!r} in {args.config} (ids: {', '.join(known)})")
    layout = _layout(config, args)
    selected = [job for job in jobs if not args.only or job.segment_id in args.only]

    if args.dry_run:
        for job in selected:
            state = "reuse " if not args.force and cached_outcome(job, layout, adopt=False) else "render"
            print(f"{state} {job.name}  ({job.scene}, {job.width}x{job.height}@{job.fps}, key {job.cache_key[:12]})")
        return 0
    with folder_lock(layout.root):
        return _render(config, jobs, selected, layout, args)


def _render(config, jobs, selected, layout, args):
    from riskvid.pipeline.assemble import concat
    from riskvid.files import write_json
    from riskvid.pipeline.manifest import build_manifest
    from riskvid.pipeline.render import cached_outcome, render_all

    started = time.perf_counter()
    with _progress(len(selected)) as report:
        outcomes = render_all(selected, layout, args.jobs, force=args.force, report=report)
    done = {outcome.job.name: outcome for outcome in outcomes}
    for job in jobs:  # segments left out by --only count if their clip is still valid
        if job.name not in done and (outcome := cached_outcome(job, layout)):
            done[job.name] = outcome
    outcomes = [done[job.name] for job in jobs if job.name in done]

    video = None
    if len(outcomes) == len(jobs):
        video = layout.video(config.id)
        concat([outcome.movie for outcome in outcomes], video)
    else:
        print(f"note: {len(jobs) - len(outcomes)} segments have no clip yet; the full video was not assembled")
    manifest = build_manifest(config, outcomes, layout, video)
    write_json(layout.manifest, manifest)
    if video:
        from riskvid.pipeline.render import stills_path
        from riskvid.stills import contact_sheet, load_thumbnails

        stills = [(o.job.name, load_thumbnails(stills_path(o.job, layout))) for o in outcomes]
        contact_sheet(stills, layout.root / "contact-sheet.png")

    rendered = sum(not o.reused for o in outcomes)
    reused = len(selected) - rendered
    summary = f"{rendered} rendered, {reused} reused in {time.perf_counter() - started:.1f} s"
    if video:
        summary += f" → {video} ({manifest['video']['duration']:.1f} s)"
    print(summary)
    if video and not args.no_publish:
        from riskvid.publish import publish

        started = time.perf_counter()
        publish(config, layout, args.jobs)
        print(f"published in {time.perf_counter() - started:.1f} s")
    return 0


class _progress:
    """One progress display for the whole run; a plain line per segment when not on a terminal."""

    def __init__(self, total):
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

        self.progress = Progress(
            TextColumn("segments"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(), transient=True
        )
        self.task = self.progress.add_task("render", total=total)

    def __enter__(self):
        self.progress.start()
        return self.report

    def report(self, line):
        self.progress.console.print(line, highlight=False)
        self.progress.advance(self.task)

    def __exit__(self, *exc):
        self.progress.stop()


if __name__ == "__main__":
    sys.exit(main())

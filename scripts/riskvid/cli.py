"""The riskvid command: check a config, render it into a narrated video, publish it, review it."""

from __future__ import annotations

import argparse
import atexit
import contextlib
import os
import signal
import sys
import threading
from collections.abc import Callable
from pathlib import Path
from types import FrameType
from typing import TYPE_CHECKING, TextIO

from riskvid.errors import RiskvidError

if TYPE_CHECKING:
    from riskvid.pipeline.budget import Caps

Command = Callable[[argparse.Namespace], int]


class Terminated(KeyboardInterrupt):
    """SIGTERM: stop as Ctrl-C does."""


def _terminate(signum: int, frame: FrameType | None) -> None:
    raise Terminated()


def run() -> None:
    """The command (``riskvid``, ``python -m riskvid.cli``): ``main``, then exit at once. The interpreter's own
    exit would first tear down every module (manim's, scipy's: a third of a second of every command); what
    must happen at exit still does (atexit's functions), and the output is flushed. A thread still at work
    is waited for, and a profiler or tracer (cProfile, coverage) left to finish, as ever."""
    code = main()
    working = any(thread.is_alive() and not thread.daemon for thread in threading.enumerate()
                  if thread is not threading.main_thread())
    if working or sys.getprofile() is not None or sys.gettrace() is not None:
        sys.exit(code)
    atexit._run_exitfuncs()  # CPython runs them so at exit
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(OSError, ValueError):  # a closed pipe: nothing more to say there
            stream.flush()
    os._exit(code)


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    previous = signal.signal(signal.SIGTERM, _terminate)
    try:
        command: Command = args.command
        return command(args)
    except RiskvidError as error:
        _say(f"error: {error}")
        return error.exit_status
    except OSError as error:  # the machine's doing (a full disk, a permission): one line, not a traceback
        where = f"{error.filename}: " if error.filename else ""
        _say(f"error: {where}{error.strerror or error}")
        return 1
    except KeyboardInterrupt as stop:
        signal_number = signal.SIGTERM if isinstance(stop, Terminated) else signal.SIGINT
        _say(f"stopped ({signal.Signals(signal_number).name}): finished segments are kept; run again to continue")
        return 128 + signal_number
    finally:
        signal.signal(signal.SIGTERM, previous)


def _say(line: str, stream: TextIO | None = None) -> None:
    """Print a line (to stderr by default) with whatever the terminal's encoding can show."""
    stream = stream or sys.stderr
    encoding = getattr(stream, "encoding", None) or "utf-8"
    print(line.encode(encoding, "replace").decode(encoding), file=stream)


def _parser() -> argparse.ArgumentParser:
    from riskvid.config.model import QUALITY_PRESETS

    parser = argparse.ArgumentParser(prog="riskvid", description=__doc__)
    commands = parser.add_subparsers(required=True, metavar="COMMAND")

    def command(name: str, function: Command, help: str, many: bool = False) -> argparse.ArgumentParser:
        sub = commands.add_parser(name, help=help)
        if many:
            sub.add_argument("config", nargs="*", default=[Path("video.yaml")], type=Path,
                             help="one or more configs, rendered in one run (default: video.yaml)")
        else:
            sub.add_argument("config", nargs="?", default="video.yaml", type=Path)
        sub.add_argument("--root", type=Path, help="the folder outputs must stay in (default: $RISKVID_ROOT, "
                         "else the config's folder)")
        caps = sub.add_argument_group("caps", "the most a run may make "
                                      "(also RISKVID_MAX_MINUTES, _SIZE, _SEGMENTS, _DISK_GB)")
        caps.add_argument("--max-minutes", type=float, help="longest video (default 60)")
        caps.add_argument("--max-size", help="largest frame, WxH (default 3840x2160)")
        caps.add_argument("--max-segments", type=int, help="most segments (default 40)")
        caps.add_argument("--max-disk", type=float, dest="max_disk_gb", help="most GB written (default 20)")
        sub.set_defaults(command=function)
        return sub

    check = command("check", check_command, "validate a config without rendering")
    check.add_argument("--explain", action="store_true", help="also list every key with its type, default and bounds")

    render = command("render", render_command, "render configs, each into its own output folder, and publish them",
                     many=True)
    render.add_argument("--quality", choices=list(QUALITY_PRESETS), help="preset to render at (overrides the config)")
    render.add_argument("--only", type=_ids, default=(), help="render only these segment ids (comma-separated)")
    render.add_argument("--jobs", type=_workers, default=os.cpu_count() or 1, help="worker processes (default: cores)")
    render.add_argument("--force", action="store_true", help="re-render even segments that are cached")
    render.add_argument("--dry-run", action="store_true", help="show what would be rendered, write nothing")
    render.add_argument("--no-publish", action="store_true", help="skip the YouTube and slides packages")
    render.add_argument("--voice", choices=("piper", "recorded", "none"), help="voice engine (overrides the config)")
    render.add_argument("--scheduler", default=os.environ.get("RISKVID_SCHEDULER") or None, metavar="tcp://HOST:PORT",
                        help="send timing passes and segment renders to this Dask scheduler's workers instead of "
                             "local processes (default: $RISKVID_SCHEDULER; --jobs is then unused)")

    publish = command("publish", publish_command, "rebuild the YouTube and slides packages from what is rendered")
    publish.add_argument("--quality", choices=list(QUALITY_PRESETS), help="the preset that was rendered")

    stills = command("stills", stills_command, "review sheets: frames through every beat, one sheet per segment")
    stills.add_argument("--jobs", type=_workers, default=os.cpu_count() or 1, help="worker processes (default: cores)")

    command("script", script_command, "the recording script: every line to record, and its file name")
    upload = command("upload", upload_command, "send the YouTube package to YouTube (private by default): "
                     "resumable, and only what changed since the last upload")
    upload.add_argument("--quality", choices=list(QUALITY_PRESETS), help="the preset that was rendered")
    upload.add_argument("--dry-run", action="store_true", help="print what would be sent and its quota units; send "
                        "nothing")
    upload.add_argument("--new", action="store_true", help="upload a re-rendered video as a new video")
    upload.add_argument("--wait", action="store_true", help="wait until YouTube has processed the video")
    upload.add_argument("--logout", action="store_true", help="forget the stored YouTube sign-in, and stop")
    studio = commands.add_parser("studio", help="a local page of the video's timeline that re-renders what you edit "
                                 "as you save it")
    studio.add_argument("config", nargs="?", default="video.yaml", type=Path)
    studio.add_argument("--quality", choices=list(QUALITY_PRESETS), default="low", help="preset to render at "
                        "(default low)")
    studio.add_argument("--port", type=_port, default=8765, help="port on 127.0.0.1 (default 8765; 0: any free port)")
    studio.add_argument("--no-browser", action="store_true", help="print the page's address, open no browser")
    studio.add_argument("--jobs", type=_workers, default=os.cpu_count() or 1, help="worker processes (default: cores)")
    studio.set_defaults(command=studio_command)
    return parser


def _port(text: str) -> int:
    if not text.isdigit() or not 0 <= int(text) <= 65535:
        raise argparse.ArgumentTypeError(f"expected a port from 0 to 65535, got {text!r}")
    return int(text)


def _ids(text: str) -> tuple[str, ...]:
    ids = tuple(part.strip() for part in text.split(",") if part.strip())
    if not ids:
        raise argparse.ArgumentTypeError("expected one or more segment ids, e.g. --only title,loss_bars")
    return ids


def _workers(text: str) -> int:
    if not text.isdigit() or not 1 <= int(text) <= 64:
        raise argparse.ArgumentTypeError(f"expected a number of workers from 1 to 64, got {text!r}")
    return int(text)


def _caps(args: argparse.Namespace) -> Caps:
    from riskvid.pipeline.budget import Caps, parse_size

    width, height = parse_size(args.max_size) if args.max_size else (None, None)
    return Caps.from_environment(minutes=args.max_minutes, width=width, height=height, segments=args.max_segments,
                                 disk_gb=args.max_disk_gb)


def check_command(args: argparse.Namespace) -> int:
    from riskvid.config.explain import explain
    from riskvid.config.load import load_config
    from riskvid.estimate import estimate
    from riskvid.run import Options

    if args.explain:
        _say("\n".join(explain()), sys.stdout)
    config = load_config(args.config, args.root)
    _say(f"{args.config}: ok: {config.id!r}, {len(config.segments)} segments, {config.frame_settings()}", sys.stdout)
    cost = estimate(args.config, Options(root=args.root, caps=_caps(args))).cost
    _say(f"cost: {cost.describe()}", sys.stdout)
    return 0


def render_command(args: argparse.Namespace) -> int:
    from riskvid.build import build_many
    from riskvid.estimate import dry_run
    from riskvid.progress import Progress
    from riskvid.run import Options

    scheduler = args.scheduler
    if scheduler:
        from riskvid.cluster.dask_client import scheduler_address

        scheduler = scheduler_address(scheduler)
    options = Options(quality=args.quality, only=args.only, jobs=args.jobs, force=args.force,
                      publish=not args.no_publish, voice=args.voice, root=args.root, caps=_caps(args),
                      scheduler=scheduler)
    if args.dry_run:
        for config in args.config:
            for line in dry_run(config, options):
                _say(line, sys.stdout)
        return 0
    with Progress(_say, sys.stderr) as progress:
        results = build_many(args.config, options, progress)
    for result in results:
        summary = f"{len(result.rendered)} rendered, {len(result.reused)} reused in {result.wall:.1f} s"
        if result.video:
            summary += f" → {result.video} ({result.seconds:.1f} s)"
        if result.published:
            summary += f"; published {len(result.published)} files"
        _say(summary, sys.stdout)
    return 0


def publish_command(args: argparse.Namespace) -> int:
    from riskvid.build import build
    from riskvid.run import Options

    result = build(args.config, Options(quality=args.quality, render=False, root=args.root, caps=_caps(args)), _say)
    _say(f"published {len(result.published)} files (the rest unchanged) → {result.layout.root}", sys.stdout)
    return 0


def stills_command(args: argparse.Namespace) -> int:
    from riskvid.run import Options
    from riskvid.stills import review

    sheets = review(args.config, Options(jobs=args.jobs, root=args.root, caps=_caps(args)), _say)
    _say(f"{len(sheets)} review sheets → {sheets[0].parent if sheets else '-'}", sys.stdout)
    return 0


def script_command(args: argparse.Namespace) -> int:
    from riskvid.narration import recording_script

    for line in recording_script(args.config):
        _say(f"{line.id}\t{line.take}\t{line.text}", sys.stdout)
    return 0


def studio_command(args: argparse.Namespace) -> int:
    from riskvid.studio.serve import serve

    def tell(line: str) -> None:
        _say(line, sys.stdout)
        sys.stdout.flush()

    return serve(args.config, args.quality, args.port, args.jobs, not args.no_browser, tell)


def upload_command(args: argparse.Namespace) -> int:
    from riskvid.publish import upload

    if args.logout:
        from riskvid.publish.youtube_api import logout, token_path

        _say(f"signed out: {token_path()} removed" if logout() else "not signed in: nothing to forget", sys.stdout)
        return 0
    options = upload.Options(quality=args.quality, new=args.new, wait=args.wait, root=args.root)
    if args.dry_run:
        for line in upload.dry_run(args.config, options):
            _say(line, sys.stdout)
        return 0
    try:
        result = upload.upload(args.config, options, _say)
    except KeyboardInterrupt as stop:
        signal_number = signal.SIGTERM if isinstance(stop, Terminated) else signal.SIGINT
        _say(f"stopped ({signal.Signals(signal_number).name}): what was sent is recorded and the upload session "
             "kept in youtube/; run riskvid upload again to continue")
        return 128 + signal_number
    if result.calls:
        _say(upload.describe_result(result), sys.stdout)
    return 0


if __name__ == "__main__":
    run()

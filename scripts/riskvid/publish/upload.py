"""Stage: upload the YouTube package to YouTube, sending only what changed since the last upload.

    package (checked fresh) + record of what was sent ─▶ plan (steps, their calls and quota units)
    ─▶ send, step by step, the record saved after each ─▶ Result (calls, units, bytes)

The steps, in order: the video (videos.insert, resumable, with its metadata) or, for a video
already there, its metadata if it changed (videos.update); the thumbnail (thumbnails.set); the
caption track (replaced in place, never a second one in the same language); the playlist item.
A quota or rate error stops the run with one line saying what is done and what is left.
"""

from __future__ import annotations

import os
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from googleapiclient.errors import HttpError

from riskvid.config.load import allowed_root, load_config, output_folder
from riskvid.config.model import Config
from riskvid.config.youtube import YoutubeSettings
from riskvid.errors import InputError, RunError
from riskvid.files import Layout, folder_lock
from riskvid.publish import upload_steps as steps
from riskvid.publish.resumable import RetryPolicy, SessionStore
from riskvid.publish.upload_package import Package, read_package, video_metadata
from riskvid.publish.upload_record import Record, load_record, save_record
from riskvid.publish.upload_steps import Plan, Report, Sending, Step
from riskvid.publish.youtube_api import DAILY_QUOTA, QUOTA, connect, describe, is_quota, reason, secrets_path

WAIT_SECONDS = 15.0
PROCESSING_FAILED = ("failed", "rejected", "terminated", "deleted")
WAIT_VARIABLE = "RISKVID_UPLOAD_POLL_SECONDS"  # how often --wait asks (default 15; tests: less)


@dataclass(frozen=True)
class Options:
    """What the command line can change about an upload."""

    quality: str | None = None
    new: bool = False  # upload a re-rendered master as a new video
    wait: bool = False  # poll processing until YouTube is done
    root: Path | None = None
    wait_seconds: float = field(default_factory=lambda: float(os.environ.get(WAIT_VARIABLE) or WAIT_SECONDS))


@dataclass(frozen=True)
class Result:
    """What a run did."""

    record: Record
    calls: tuple[str, ...] = ()
    bytes_sent: int = 0
    sessions_opened: int = 0
    file_bytes: int = 0
    processing: str | None = None  # with --wait: YouTube's final processing status

    @property
    def units(self) -> int:
        return sum(QUOTA[call] for call in self.calls)


def prepare(config_path: Path, options: Options) -> tuple[Config, Layout, Plan]:
    """Read the config and the package, and plan what to send (nothing is sent; no sign-in)."""
    config = load_config(config_path, options.root)
    layout = Layout(output_folder(config_path, config) / config.id)
    package = read_package(layout, config.id, config.title, config.description,
                           config.frame_settings(options.quality), options.quality)
    kept = SessionStore(package.folder).load()
    resuming = kept is not None and kept.sha256 == package.master.sha256  # an upload of these bytes was under way
    return config, layout, plan_upload(package, load_record(package.folder), config.youtube, options.new, resuming)


def plan_upload(package: Package, record: Record, settings: YoutubeSettings, new: bool, resuming: bool) -> Plan:
    """The steps that bring YouTube in line with ``package``; RunError for a re-rendered video without --new
    (unless ``resuming``: a kept session of an upload of this very master, which a --new run began)."""
    metadata = video_metadata(package, settings)
    master = package.master
    if record.video_id and record.video_sha256 != master.sha256 and not (new or resuming):
        raise RunError(f"youtube/{master.path.name} changed since it was uploaded as {record.watch_url}, and "
                       "YouTube cannot replace a video's file: run riskvid upload --new to upload it as a new "
                       "video (then delete the old one in YouTube Studio if you wish)")
    fresh = record.video_id is None or new or record.video_sha256 != master.sha256
    start = record.as_new_video() if fresh and record.video_id else record
    planned: list[Step] = []
    if fresh:
        how = "resuming the kept session" if resuming else "resumable"
        planned.append(Step("video", ("videos.insert",), f"youtube/{master.path.name} ({master.size:,} bytes, "
                                                            f"{how}) with its title, description and status"))
    elif record.metadata != metadata:
        changed = sorted(f"{part}.{key}" for part in metadata for key in
                         set(metadata[part]) | set(record.metadata.get(part, {}))
                         if metadata[part].get(key) != record.metadata.get(part, {}).get(key))
        planned.append(Step("metadata", ("videos.update",), f"changed: {', '.join(changed)}"))
    if fresh or start.thumbnail_sha256 != package.thumbnail.sha256:
        planned.append(Step("thumbnail", ("thumbnails.set",), f"youtube/{package.thumbnail.path.name} "
                                                               f"({package.thumbnail.size:,} bytes)"))
    if fresh or start.captions_sha256 != package.captions.sha256 or start.caption_language != settings.language:
        planned.append(Step("captions", steps.caption_calls(start, settings.language, fresh),
                            f"youtube/{package.captions.path.name} as the '{settings.language}' track"))
    if settings.playlist and start.playlist != settings.playlist:
        planned.append(Step("playlist", steps.playlist_calls(settings, fresh), f"into playlist {settings.playlist!r}"))
    if planned and settings.publish_at is not None and settings.publish_at <= datetime.now(UTC) \
            and any(step.name in ("video", "metadata") for step in planned):
        raise InputError(f"youtube.publish_at is {settings.publish_at.isoformat()}, in the past: "
                         "give a later time, or remove it")
    return Plan(package, settings, metadata, start, tuple(planned))


def dry_run(config_path: Path, options: Options) -> list[str]:
    """What a run would send, call by call, with quota units; nothing is sent."""
    _, _, plan = prepare(config_path, options)
    if not plan.steps:
        return [f"nothing to send: YouTube has all of it ({plan.record.watch_url})"]
    lines = ["would send (nothing is sent with --dry-run):"]
    for step in plan.steps:
        for call in step.calls:
            note = steps.CALL_NOTES.get(call, step.what)
            lines.append(f"  {call:<22}{QUOTA[call]:>5} units  {note}")
    if any(step.name in ("video", "metadata") for step in plan.steps):
        lines += [f"  {line}" for line in steps.metadata_lines(plan.metadata)]
    lines.append(f"total: at most {plan.units:,} quota units (a project has {DAILY_QUOTA:,} a day by default)")
    return lines


def upload(config_path: Path, options: Options, report: Report) -> Result:
    """Send what changed; the record in ``youtube/`` is saved after every step."""
    config, layout, _ = prepare(config_path, options)
    with folder_lock(layout.root, allowed_root(config_path, options.root)):
        _, _, plan = prepare(config_path, options)  # again, under the lock: publish may have run meanwhile
        if not plan.steps and not options.wait:
            report(f"nothing changed: {plan.record.watch_url}")
            return Result(plan.record, file_bytes=plan.package.master.size)
        connection = connect(secrets_path(config.youtube.client_secrets, Path(config_path).parent))
        sending = Sending(plan, plan.record, report)
        policy = RetryPolicy.from_environment()
        done: list[str] = []
        for index, step in enumerate(plan.steps):
            try:
                sending.record = steps.SENDERS[step.name](connection, sending, policy)
            except HttpError as error:
                raise _stopped(error, step, done, plan.steps[index + 1:], sending.record) from None
            except _refresh_errors() as error:
                raise RunError(f"the YouTube sign-in could not be refreshed ({error.__class__.__name__}): check "
                               "the network, or run riskvid upload --logout, then riskvid upload to sign in again") \
                    from None
            finally:
                if sending.record != load_record(plan.package.folder):
                    save_record(plan.package.folder, sending.record)
            done.append(step.name)
        processing = _wait(connection, sending, options) if options.wait else None
        if processing in PROCESSING_FAILED:
            raise RunError(f"YouTube could not process the video ({processing}): see {sending.record.watch_url} "
                           "in YouTube Studio")
    return Result(sending.record, tuple(sending.calls), sending.bytes_sent, sending.sessions_opened,
                  plan.package.master.size, processing)


def _stopped(error: HttpError, step: Step, done: list[str], left: tuple[Step, ...], record: Record) -> RunError:
    """The one line for an API error that stops the run."""
    if is_quota(error):
        where = f" ({record.watch_url})" if record.video_id else ""
        remaining = ", ".join([step.name, *(later.name for later in left)])
        return RunError(f"YouTube refused {step.name} for quota ({reason(error) or 'HTTP 429'}): done: "
                        f"{', '.join(done) or 'nothing'}{where}; left: {remaining}; run riskvid upload again once "
                        "the quota resets (midnight Pacific time) to send only what is left")
    if error.resp.status == 401:
        return RunError("YouTube did not accept the sign-in (HTTP 401, after one refresh): run riskvid upload "
                        "--logout, then riskvid upload to sign in again")
    return RunError(f"{step.name}: YouTube answered {describe(error)}; what was sent before it is recorded")


def _refresh_errors() -> tuple[type[Exception], ...]:
    """A refused refresh of the sign-in, or no way to reach Google's token endpoint, during a call."""
    from google.auth.exceptions import RefreshError, TransportError

    return (RefreshError, TransportError)


def _wait(connection: Any, sending: Sending, options: Options) -> str:
    """Poll videos.list until YouTube has processed the video; its final status."""
    last = None
    while True:
        state = steps.processing(connection, sending)
        if state != last:
            sending.report(f"processing: {state}")
            last = state
        if state in ("succeeded", "processed", *PROCESSING_FAILED):
            return state
        time.sleep(options.wait_seconds)


def describe_result(result: Result) -> str:
    """The closing line of a run: the watch URL, and what it cost."""
    processing = f"; processing {result.processing}" if result.processing else ""
    if all(call == "videos.list" for call in result.calls):
        return f"nothing changed: {result.record.watch_url}{processing}"
    sent = f"{result.bytes_sent:,} bytes of video ({result.bytes_sent / max(result.file_bytes, 1):.2f}× the file)" \
        if result.bytes_sent else "no video bytes"
    privacy = result.record.metadata.get("status", {}).get("privacyStatus")
    return (f"uploaded {result.record.watch_url} ({privacy}): {len(result.calls)} API calls, "
            f"{result.units:,} quota units, {sent}{processing}")

"""riskvid upload against the YouTube emulator: the real google-api-python-client on the wire.

Every test uploads a small package laid out as publish lays it out (tests/scripts/upload_fixtures.py)
to an emulator on loopback (tests/scripts/youtube_emulator.py) that speaks YouTube's protocol and
injects faults: cut connections, 5xx answers, quota errors, expired sessions and tokens.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time

import pytest

from riskvid.cli import main
from tests.helpers import ROOT
from tests.scripts import upload_fixtures
from tests.scripts.upload_fixtures import CAPTIONS, MASTER_BYTES, png, publish_package, rerender, write

emulator = upload_fixtures.emulator  # fixtures
published = upload_fixtures.published
CHUNK = 256 * 1024


def upload(published, *options: str) -> int:
    return main(["upload", str(published.config), *options])


def only_video(emulator) -> dict:
    assert len(emulator.videos) == 1
    return next(iter(emulator.videos.values()))


def record(published) -> dict:
    return json.loads((published.youtube / "upload.json").read_text())


def test_a_cut_at_40_percent_and_a_503_resume_from_the_confirmed_byte(emulator, published, capsys):
    emulator.cut_at(0.4, then=503)
    assert upload(published) == 0
    video = only_video(emulator)
    assert emulator.video_bytes[video["id"]] == published.master.read_bytes()
    assert emulator.sessions_opened == 1
    log = [entry for entry in emulator.log if entry.method.startswith("videos.insert:")]
    cut = next(n for n, entry in enumerate(log) if entry.status == 0)
    held = int(0.4 * MASTER_BYTES)
    # After the cut: a 503, then a status query that confirms the bytes held, then the chunk from there.
    assert [entry.status for entry in log[cut + 1:cut + 3]] == [503, 308]
    assert log[cut + 3].content_range.startswith(f"bytes {held}-")
    assert emulator.media_bytes_received <= MASTER_BYTES + CHUNK  # never from zero: at most a chunk again
    assert not (published.youtube / "upload-session.json").exists()
    print(f"\nmeasured: cut at 40% + 503: {emulator.media_bytes_received:,} bytes sent for a {MASTER_BYTES:,}-byte "
          f"file ({emulator.media_bytes_received / MASTER_BYTES:.3f}×)", file=sys.__stdout__)


def test_by_default_private_made_for_kids_declared_a_category_chapters_one_caption_track_a_thumbnail(
        emulator, published, capsys):
    assert upload(published) == 0
    video = only_video(emulator)
    assert video["status"]["privacyStatus"] == "private"
    assert video["status"]["selfDeclaredMadeForKids"] is False
    assert video["snippet"]["categoryId"] == "27"
    assert "Chapters:\n0:00 Two learners\n0:12 The formula\n0:30 Bars" in video["snippet"]["description"]
    tracks = [track for track in emulator.captions.values() if track["snippet"]["videoId"] == video["id"]]
    assert len(tracks) == 1 and tracks[0]["snippet"]["language"] == "en" and tracks[0]["data"] == CAPTIONS.encode()
    assert emulator.thumbnails[video["id"]] == ("image/png", (published.youtube / "thumbnail.png").read_bytes())
    out = capsys.readouterr().out
    assert f"https://youtu.be/{video['id']}" in out and "2,050 quota units" in out
    assert not (published.config.parent.parent / "user-config").exists()  # the emulator: no token read or written


def test_a_quota_error_on_the_thumbnail_stops_in_one_line_the_next_run_finishes_a_third_sends_nothing(
        emulator, published, capsys):
    emulator.refuse("thumbnails.set", "quotaExceeded")
    assert upload(published) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "quota (quotaExceeded)" in err[0]
    assert "done: video (https://youtu.be/" in err[0] and "left: thumbnail, captions" in err[0]
    sent = emulator.media_bytes_received

    assert upload(published) == 0
    assert emulator.media_bytes_received == sent  # the video is not sent again
    second = emulator.api_calls()[-3:]
    assert second == ["thumbnails.set", "captions.list", "captions.insert"]
    assert len(emulator.captions) == 1 and len(emulator.thumbnails) == 1

    requests = len(emulator.log)
    capsys.readouterr()
    assert upload(published) == 0
    assert len(emulator.log) == requests  # nothing at all
    assert capsys.readouterr().err.strip() == f"nothing changed: https://youtu.be/{only_video(emulator)['id']}"


def test_metadata_captions_and_thumbnail_changes_send_only_themselves(emulator, published, capsys):
    assert upload(published) == 0
    video_id = only_video(emulator)["id"]
    before = len(emulator.api_calls())
    published.config.write_text(published.config.read_text() + "youtube:\n  privacy: unlisted\n  tags: [maths]\n")
    assert upload(published) == 0
    assert emulator.api_calls()[before:] == ["videos.update"]
    assert emulator.videos[video_id]["status"]["privacyStatus"] == "unlisted"
    assert emulator.videos[video_id]["snippet"]["tags"] == ["maths"]

    write(published, "captions.srt", CAPTIONS.replace("machine", "model"))
    write(published, "thumbnail.png", png((1280, 720), noise=True))  # over 2 MB: sent as a JPEG
    before = len(emulator.api_calls())
    assert upload(published) == 0
    assert emulator.api_calls()[before:] == ["thumbnails.set", "captions.update"]
    tracks = list(emulator.captions.values())
    assert len(tracks) == 1 and b"model" in tracks[0]["data"]  # replaced, never a second track
    kind, data = emulator.thumbnails[video_id]
    assert (published.youtube / "thumbnail.png").stat().st_size > 2 * 1024 * 1024
    assert kind == "image/jpeg" and len(data) <= 2 * 1024 * 1024 and data[:3] == b"\xff\xd8\xff"
    assert emulator.media_bytes_received <= MASTER_BYTES  # the video went once


def test_a_rerendered_video_is_refused_without_new(emulator, published, capsys):
    assert upload(published) == 0
    rerender(published, os.urandom(MASTER_BYTES))
    # A session kept from an interrupted upload of other bytes does not count as asking for --new.
    (published.youtube / "upload-session.json").write_text(json.dumps(
        {"uri": f"http://{emulator.host}/upload/youtube/v3/videos?upload_id=x", "sha256": "0" * 64, "size": 1}))
    requests = len(emulator.log)
    assert upload(published) == 1
    err = capsys.readouterr().err
    assert "YouTube cannot replace a video's file" in err and "--new" in err
    assert len(emulator.log) == requests


def test_dry_run_prints_what_would_go_and_its_quota_and_sends_nothing(emulator, published, capsys):
    assert upload(published, "--dry-run") == 0
    out = capsys.readouterr().out
    assert "videos.insert" in out and "1600 units" in out and "captions.insert" in out
    assert '"privacyStatus": "private"' in out and '"selfDeclaredMadeForKids": false' in out
    assert "total: at most 2,050 quota units" in out
    assert emulator.log == [] and not (published.youtube / "upload.json").exists()


def test_a_missing_or_stale_package_says_to_render_first(emulator, tmp_path, capsys):
    package = publish_package(tmp_path / "p")
    (package.root / f"{package.master.stem}.mp4").write_bytes(b"re-rendered, not published")
    assert upload(package) == 1
    assert "run riskvid render first" in capsys.readouterr().err
    package.master.unlink()
    assert upload(package) == 1
    assert "youtube/tiny.mp4 is missing: run riskvid render first" in capsys.readouterr().err
    other = publish_package(tmp_path / "q")
    assert upload(other, "--quality", "low") == 1
    assert "rendered at 128x72@5, not 854x480@15: run riskvid render --quality low first" in capsys.readouterr().err
    assert emulator.log == []


def test_an_expired_session_starts_over_in_one_line(emulator, published, capsys):
    from riskvid.files import sha256_file

    gone = f"http://{emulator.host}/upload/youtube/v3/videos?uploadType=resumable&upload_id=gone"
    (published.youtube / "upload-session.json").write_text(json.dumps(
        {"uri": gone, "sha256": sha256_file(published.master), "size": MASTER_BYTES}))
    assert upload(published) == 0
    assert "session has expired; starting the upload again" in capsys.readouterr().err
    assert emulator.sessions_opened == 1
    assert emulator.video_bytes[only_video(emulator)["id"]] == published.master.read_bytes()


@pytest.mark.parametrize("status", [404, 410])
def test_a_session_expiring_mid_upload_starts_over(emulator, published, capsys, status):
    emulator.expire_after(3, status)  # chunks
    assert upload(published) == 0
    assert f"session expired (HTTP {status}); starting again from the first byte" in capsys.readouterr().err
    assert emulator.sessions_opened == 2
    assert emulator.video_bytes[only_video(emulator)["id"]] == published.master.read_bytes()


def test_an_expired_token_is_refreshed_once_then_sign_in_again(emulator, published, capsys):
    emulator.expire_token("emulator-0")
    assert upload(published) == 0  # refreshed: emulator-1 is accepted
    rerender(published, os.urandom(MASTER_BYTES))
    emulator.expire_token("emulator-1")
    assert upload(published, "--new") == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "did not accept the sign-in" in err[0] and "--logout" in err[0]


def test_wait_polls_processing_until_done(emulator, published, capsys, monkeypatch):
    monkeypatch.setenv("RISKVID_UPLOAD_POLL_SECONDS", "0.01")
    assert upload(published, "--wait") == 0
    captured = capsys.readouterr()
    assert "processing: processing" in captured.err and "processing: succeeded" in captured.err
    assert f"https://youtu.be/{only_video(emulator)['id']}" in captured.out
    emulator.processing_result, emulator.processing_polls = "failed", 0
    assert upload(published, "--wait") == 1
    assert capsys.readouterr().err.strip().endswith("YouTube could not process the video (failed): see "
                                                    f"https://youtu.be/{only_video(emulator)['id']} in YouTube Studio")


def test_a_playlist_named_by_title_is_made_once_and_the_video_added_once(emulator, tmp_path, capsys):
    package = publish_package(tmp_path / "p", youtube="  playlist: Learning, explained\n")
    assert upload(package) == 0
    assert len(emulator.playlists) == 1 and len(emulator.playlist_items) == 1
    assert emulator.api_calls()[-3:] == ["playlists.list", "playlists.insert", "playlistItems.insert"]
    requests = len(emulator.log)
    assert upload(package) == 0 and len(emulator.log) == requests


def test_new_killed_half_way_by_sigterm_stops_within_5_s_and_the_next_run_resumes_its_session(
        emulator, published, capsys):
    assert upload(published) == 0
    rerender(published, os.urandom(MASTER_BYTES))
    emulator.chunk_delay = 0.25  # about 3 s for the whole file: the signal lands mid-upload
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    child = subprocess.Popen([sys.executable, "-m", "riskvid.cli", "upload", "--new", str(published.config)],
                             env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 60
        while not any(s.received >= MASTER_BYTES // 2 for s in list(emulator.sessions.values())[1:]):
            assert child.poll() is None and time.monotonic() < deadline, child.communicate()
            time.sleep(0.02)
        signalled = time.monotonic()
        child.send_signal(signal.SIGTERM)
        out, err = child.communicate(timeout=10)
        stopped_in = time.monotonic() - signalled
    finally:
        if child.poll() is None:
            child.kill()
    assert child.returncode == 143 and stopped_in < 5, (child.returncode, stopped_in, err)
    assert "Traceback" not in err and "stopped (SIGTERM)" in err
    assert (published.youtube / "upload-session.json").exists()

    emulator.chunk_delay = 0
    assert upload(published) == 0  # no --new needed: the kept session is continued
    assert "resuming the upload at byte" in capsys.readouterr().err
    second = list(emulator.sessions.values())[1:]
    assert len(second) == 1  # one session opened for the new video, resumed
    assert second[0].received <= 1.5 * MASTER_BYTES
    assert len(emulator.videos) == 2 and emulator.video_bytes[second[0].video_id] == published.master.read_bytes()
    assert record(published)["earlier_videos"] == [next(iter(emulator.videos))]
    print(f"\nmeasured: --new killed by SIGTERM after {stopped_in:.2f} s; the new video's session received "
          f"{second[0].received:,} bytes in all for a {MASTER_BYTES:,}-byte file "
          f"({second[0].received / MASTER_BYTES:.2f}×)", file=sys.__stdout__)


def test_without_the_emulator_a_missing_client_secrets_file_is_one_line(published, tmp_path, monkeypatch, capsys):
    monkeypatch.delenv("YOUTUBE_EMULATOR_HOST", raising=False)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "cfg"))
    monkeypatch.setenv("RISKVID_YOUTUBE_CLIENT_SECRETS", str(tmp_path / "missing.json"))
    assert upload(published) == 2
    assert capsys.readouterr().err.strip().endswith("the OAuth client secrets file is missing")


def test_ctrl_c_mid_upload_exits_130_keeping_the_session_and_the_next_run_continues_it(emulator, published, capsys):
    def interrupt(session):
        if session.received >= MASTER_BYTES // 2:
            emulator.after_chunk = None
            os.kill(os.getpid(), signal.SIGINT)  # as Ctrl-C: the main thread gets KeyboardInterrupt

    emulator.after_chunk = interrupt
    emulator.chunk_delay = 0.5  # the signal arrives while riskvid waits for this chunk's answer
    assert upload(published) == 130
    err = capsys.readouterr().err
    assert "stopped (SIGINT)" in err and "Traceback" not in err
    assert (published.youtube / "upload-session.json").exists() and not (published.youtube / "upload.json").exists()
    emulator.chunk_delay = 0
    assert upload(published) == 0
    assert "resuming the upload at byte" in capsys.readouterr().err
    assert emulator.sessions_opened == 1 and emulator.media_bytes_received <= 1.5 * MASTER_BYTES
    assert emulator.video_bytes[only_video(emulator)["id"]] == published.master.read_bytes()

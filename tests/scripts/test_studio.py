"""riskvid studio, without a browser: the token and host rules, the files it serves, the timeline it gives."""

import json
import os
import socket
import threading
from pathlib import Path

import av
import numpy as np
import pytest
from starlette.testclient import TestClient

from riskvid.cli import _parser
from riskvid.errors import InputError
from riskvid.pipeline.plan import SegmentPlan
from riskvid.pipeline.timeline import Beat, Line, SegmentTimeline, Timeline, Word
from riskvid.studio.job import timeline_json
from riskvid.studio.runner import Runner
from riskvid.studio.serve import listen
from riskvid.studio.server import cookie_name, create_app
from riskvid.studio.state import Live, StudioState
from riskvid.studio.waveform import peaks

TOKEN = "a-token-for-tests"
PORT = 8765


def plan(index, name):
    return SegmentPlan(index, name, name.title(), name, "{}", 0, "light", None)


def small_timeline():
    """Two segments at 10 fps: title (beats ask 0–20, glimpse 20–30 frames, one line) and bars (one beat)."""
    line = Line("title.ask.1", "How does it learn?", "How does it learn?", 0.3, 1.5,
                (Word("How", 0.3, 0.6), Word("does", 0.6, 0.9), Word("it", 0.9, 1.0), Word("learn?", 1.0, 1.5)), None)
    title = SegmentTimeline(plan(1, "title"), 10, (Beat("ask", 0, 20, 1.0, (line,)), Beat("glimpse", 20, 30, 1.0, ())))
    bars = SegmentTimeline(plan(2, "bars"), 10, (Beat("show", 0, 40, 1.0, ()),))
    return Timeline(10, (title, bars))


@pytest.fixture
def root(tmp_path):
    """A video's output folder as a build leaves it (files are stand-ins), and a secret beside it."""
    root = tmp_path / "media" / "tiny"
    (root / "segments").mkdir(parents=True)
    (root / ".cache" / "studio").mkdir(parents=True)
    (root / ".cache" / "render" / "title" / "posters").mkdir(parents=True)
    (root / ".cache" / "render" / "title" / "posters" / "ask.png").write_bytes(b"png")
    (root / "tiny.mp4").write_bytes(bytes(range(256)) * 40)
    for name in ("01-title", "02-bars"):
        (root / "segments" / f"{name}.mp4").write_bytes(b"mp4")
    (tmp_path / "secret.txt").write_text("not the video's")
    os.symlink(tmp_path / "secret.txt", root / "link.json")  # a link inside, pointing out
    os.symlink("/etc/passwd", root / "passwd.json")
    (root / "notes.py").write_text("print('code')")
    (root / ".cache" / "studio" / "timeline.json").write_text(json.dumps(timeline_json(small_timeline(), "low",
                                                                                      (854, 480, 15))))
    manifest = {"id": "tiny", "title": "Tiny", "video": {"file": "tiny.mp4"}, "segments": [
        {"id": "title", "file": "segments/01-title.mp4", "status": "reused", "render_seconds": 7.5, "beats": [
            {"name": "ask", "start": 0, "end": 2.0, "lines": []},
            {"name": "glimpse", "start": 2.0, "end": 3.0, "lines": []}]},
        {"id": "bars", "file": "segments/02-bars.mp4", "status": "rendered", "render_seconds": 20.0, "beats": [
            {"name": "show", "start": 0, "end": 4.0, "status": "rendered", "render_seconds": 3.25, "lines": []}]},
    ]}
    (root / "manifest.json").write_text(json.dumps(manifest))
    return root


@pytest.fixture
def state(root):
    return StudioState(root, TOKEN)


@pytest.fixture
def client(state):
    return TestClient(create_app(state, PORT, threading.Event()))


@pytest.mark.parametrize("path", ["/", "/api/timeline", "/api/waveform", "/api/events", "/page/app.js",
                                  "/files/tiny.mp4", "/files/../../etc/passwd", "/nowhere"])
def test_every_request_without_the_token_is_refused(client, path):
    assert client.get(path).status_code == 403
    assert client.get(path, params={"token": "wrong"}).status_code == 403
    for name, value in ((cookie_name(PORT), "wrong"), (cookie_name(PORT + 1), TOKEN)):  # (another studio's cookie)
        client.cookies.clear()
        client.cookies.set(name, value)
        assert client.get(path).status_code == 403


def test_the_page_with_its_token_sets_a_cookie_that_then_stands_for_it(client):
    page = client.get("/", params={"token": TOKEN})
    assert page.status_code == 200 and '<video id="player"' in page.text and "http" not in page.text.split("<body>")[1]
    cookie = page.headers["set-cookie"]
    assert f"{cookie_name(PORT)}={TOKEN}" in cookie and "HttpOnly" in cookie and "SameSite=strict" in cookie
    fresh = TestClient(client.app)
    fresh.cookies.set(cookie_name(PORT), TOKEN)
    assert fresh.get("/api/timeline").status_code == 200
    assert fresh.get("/page/app.js").headers["content-type"].startswith("text/javascript")


def test_a_host_that_is_not_the_loopback_address_is_refused(state):
    app = create_app(state, PORT, threading.Event(), hosts={f"127.0.0.1:{PORT}"})
    for host, status in ((f"127.0.0.1:{PORT}", 200), (f"evil.example:{PORT}", 403), ("127.0.0.1", 403)):
        client = TestClient(app, base_url=f"http://{host}")
        assert client.get("/api/timeline", params={"token": TOKEN}).status_code == status, host


@pytest.mark.parametrize("path", ["/files/../../etc/passwd", "/files/..%2F..%2Fetc%2Fpasswd",
                                  "/files/%2e%2e/%2e%2e/%2e%2e/etc/passwd", "/files/segments/../../../secret.txt",
                                  "/files/link.json", "/files/passwd.json", "/files/notes.py", "/files//etc/passwd",
                                  "/files/%2Fetc%2Fpasswd", "/../../etc/passwd", "/%2e%2e/%2e%2e/etc/passwd"])
def test_only_the_videos_own_files_are_served(client, root, path):
    answer = client.get(path, params={"token": TOKEN})
    assert answer.status_code in (403, 404), path
    assert "root:" not in answer.text and "not the video's" not in answer.text and "print" not in answer.text


def test_the_raw_path_is_refused_by_the_real_server_too(state):
    """Sent as bytes, so no client tidies the dots away first."""
    import uvicorn

    sock = listen(0)
    port = sock.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(create_app(state, port, threading.Event()), log_level="warning",
                                           lifespan="off"))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    try:
        answers = {}
        for path in ("/files/../../etc/passwd", "/files/..%2f..%2fetc%2fpasswd", "/../../etc/passwd",
                     "/files/tiny.mp4"):
            with socket.create_connection(("127.0.0.1", port), timeout=10) as connection:
                connection.sendall(f"GET {path}?token={TOKEN} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n"
                                   "Connection: close\r\n\r\n".encode())
                answers[path] = b"".join(iter(lambda c=connection: c.recv(65536), b""))
        for path, answer in answers.items():
            if path.endswith("tiny.mp4"):
                assert answer.startswith(b"HTTP/1.1 200")
            else:
                assert answer.split(b"\r\n")[0] in (b"HTTP/1.1 403 Forbidden", b"HTTP/1.1 404 Not Found"), path
                assert b"root:" not in answer
    finally:
        server.should_exit = True
        thread.join(10)
        sock.close()


def test_a_video_is_served_in_ranges_so_the_player_can_seek(client):
    answer = client.get("/files/tiny.mp4", params={"token": TOKEN}, headers={"Range": "bytes=256-511"})
    assert answer.status_code == 206 and answer.content == bytes(range(256))


def test_the_timeline_lists_segments_beats_lines_and_words_in_video_seconds(client):
    data = client.get("/api/timeline", params={"token": TOKEN}).json()
    assert [s["id"] for s in data["segments"]] == ["title", "bars"] and data["duration"] == 7.0
    title, bars = data["segments"]
    assert [(b["name"], b["start"], b["end"]) for b in title["beats"]] == [("ask", 0.0, 2.0), ("glimpse", 2.0, 3.0)]
    assert (bars["start"], bars["beats"][0]["start"], bars["beats"][0]["end"]) == (3.0, 3.0, 7.0)
    line = title["beats"][0]["lines"][0]
    assert (line["text"], line["start"], line["end"]) == ("How does it learn?", 0.3, 1.5)
    assert [(w["text"], w["start"]) for w in line["words"]] == [("How", 0.3), ("does", 0.6), ("it", 0.9),
                                                                ("learn?", 1.0)]
    # a beat's own status and time when the manifest has them, else its segment's
    assert [(b["status"], b["render_seconds"]) for b in title["beats"]] == [("reused", 7.5), ("reused", 7.5)]
    assert (bars["beats"][0]["status"], bars["beats"][0]["render_seconds"]) == ("rendered", 3.25)
    ask = title["beats"][0]
    assert ask["poster"].startswith("/files/.cache/render/title/posters/ask.png?token=")
    assert title["beats"][1]["poster"] is None  # no file: no URL
    assert ask["clip"].startswith("/files/segments/01-title.mp4?token=") and ask["clip"].endswith("#t=0,2.0")
    assert data["video"].startswith("/files/tiny.mp4?token=")
    assert data["cues"] and data["cues"][0]["start"] == 0.3
    assert client.get(ask["poster"]).content == b"png"


def test_a_build_running_shows_through_the_timeline(client, state):
    with state.lock:
        state.live = {("title", None): Live("rendering", progress=0.4), ("bars", "show"): Live("queued")}
    data = client.get("/api/timeline", params={"token": TOKEN}).json()
    statuses = [(b["status"], b["progress"]) for s in data["segments"] for b in s["beats"]]
    assert statuses == [("rendering", 0.4), ("rendering", 0.4), ("queued", None)]


def test_the_build_lines_move_each_beat_along(state, tmp_path):
    runner = Runner(tmp_path / "video.yaml", "low", 1, state)
    runner._read_segments()
    runner._line("studio: timeline")
    assert {key: live.status for key, live in state.live.items()} == {("title", None): "queued",
                                                                      ("bars", None): "queued"}
    (state.root / ".work" / "02-bars").mkdir(parents=True)
    (state.root / ".work" / "01-title-glimpse").mkdir(parents=True)  # a beat's own folder, once beats render alone
    runner._look_at_work()
    assert state.live[("bars", None)].status == "rendering" and state.live[("bars", None)].progress is not None
    assert state.live[("title", "glimpse")].status == "rendering" and state.live[("title", None)].status == "queued"
    runner._line("reused   tiny/01-title")
    runner._line("rendered tiny/02-bars in 3.5 s (1/1)")
    assert state.live[("title", None)].status == "reused"
    assert (state.live[("bars", None)].status, state.live[("bars", None)].seconds) == ("rendered", 3.5)
    runner._line("rendered tiny/02-bars show in 1.5 s (1/1)")  # a beat of its own, once beats render alone
    assert state.live[("bars", "show")].seconds == 1.5  # outranks its segment's status, for that beat only
    runner._line("reused   tiny/02-bars")
    assert ("bars", "show") not in state.live and state.live[("bars", None)].status == "reused"
    runner._line("error: video.yaml: segments.0.scene: no scene 'titel'")
    runner._finish(1, False, "error: video.yaml: segments.0.scene: no scene 'titel'")
    assert state.snapshot()["error"] == "error: video.yaml: segments.0.scene: no scene 'titel'"


def test_the_waveform_follows_the_sound(tmp_path):
    """Half a second of silence, then a tone at 0.5: the peaks say so, 25 a second."""
    video = tmp_path / "sound.mp4"
    rate = 48000
    samples = np.zeros(rate, dtype=np.float32)
    samples[rate // 2:] = 0.5 * np.sin(2 * np.pi * 440 * np.arange(rate // 2) / rate)
    with av.open(str(video), "w") as container:
        stream = container.add_stream("aac", rate=rate)
        stream.layout = "mono"
        frame = av.AudioFrame.from_ndarray(samples.reshape(1, -1), format="fltp", layout="mono")
        frame.rate = rate
        for packet in [*stream.encode(frame), *stream.encode(None)]:
            container.mux(packet)
    data = peaks(video)
    values = data["peaks"]
    assert data["rate"] == 25 and 24 <= len(values) <= 27
    assert max(values[:10]) < 0.02 and min(values[14:24]) > 0.4 and max(values) < 0.65


def test_the_command_line_has_the_studio_at_low_by_default(tmp_path):
    args = _parser().parse_args(["studio", str(tmp_path / "v.yaml"), "--no-browser", "--port", "0"])
    assert (args.quality, args.port, args.no_browser) == ("low", 0, True)
    assert _parser().parse_args(["studio"]).port == 8765


def test_it_listens_on_loopback_only_and_says_when_the_port_is_taken():
    sock = listen(0)
    try:
        assert sock.getsockname()[0] == "127.0.0.1"
        with pytest.raises(InputError, match=r"port \d+ is in use"):
            listen(sock.getsockname()[1])
    finally:
        sock.close()


def test_the_studio_sits_on_top_only_the_command_line_imports_it():
    from tests.scripts.test_code_layers import GRAPH, layer

    users = {name for name, targets in GRAPH.items() if not name.startswith("riskvid.studio")
             and any(target.startswith("riskvid.studio") for target in targets)}
    assert users == {"riskvid.cli"}
    assert layer("riskvid.studio.server") == layer("riskvid.cli") == layer("riskvid.build")


def test_a_config_error_reaches_the_page_as_the_one_line_the_command_line_prints(tmp_path, capsys, monkeypatch):
    from riskvid.cli import main
    from tests.helpers import TINY

    monkeypatch.chdir(tmp_path)
    Path("video.yaml").write_text(TINY.lstrip().replace("epochs: 3", "epochs: 0"))
    assert main(["render", "video.yaml", "--quality", "low", "--no-publish"]) == 2
    said = capsys.readouterr().err.strip().splitlines()[-1]
    assert said.startswith("error: video.yaml:") and "epochs" in said
    state = StudioState(tmp_path / "media" / "tiny", TOKEN)
    Runner(Path("video.yaml"), "low", 1, state)._build()  # the build's own process, as the studio runs it
    snapshot = state.snapshot()
    assert (snapshot["error"], snapshot["building"], snapshot["stage"]) == (said, False, "failed")

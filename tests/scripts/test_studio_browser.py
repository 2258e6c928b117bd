"""riskvid studio in headless Chromium (Debian's), as a creator uses it: every beat on the page, a click plays
a beat, an edit of video.yaml shows up rendered without a reload, a config error shows as the command line
says it; and SIGTERM stops it with every process it started."""

import json
import select
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from types import SimpleNamespace

import psutil
import pytest

from scenes.registry import scene_classes
from tests.helpers import NARRATED, in_session
from tests.scripts.cdp import Chromium

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("studio")]  # renders at low, waits on processes; one studio

FIRST_BUILD = 420  # seconds the first build of the tiny video at low may take on a busy 2-core machine
EDIT_LIMIT = 120  # the bound: an edit rendered on the page within 2 minutes at low
NEW_LINE = "How does a model learn? Step by step, as we shall see."
BEATS = len(scene_classes()["title"].beats) + len(scene_classes()["loss_bars"].beats)  # the tiny video's two scenes


def start_studio(config: Path, log: Path) -> SimpleNamespace:
    process = subprocess.Popen([sys.executable, "-m", "riskvid.cli", "studio", config.name, "--port", "0",
                                "--no-browser", "--jobs", "2"], stdout=subprocess.PIPE, stderr=log.open("w"),
                               text=True, start_new_session=True, cwd=config.parent)
    ready, _, _ = select.select([process.stdout], [], [], 60)
    assert ready, f"the studio printed no address: {log.read_text()}"
    line = process.stdout.readline()
    url = line.split()[1]
    assert url.startswith("http://127.0.0.1:") and "/?token=" in url, line
    return SimpleNamespace(process=process, url=url, base=url.split("/?")[0], token=url.split("token=")[1],
                           config=config, log=log)


def stop_studio(studio: SimpleNamespace) -> None:
    if studio.process.poll() is None:
        studio.process.send_signal(signal.SIGTERM)
        try:
            studio.process.wait(60)
        except subprocess.TimeoutExpired:
            studio.process.kill()
            studio.process.wait(10)


def timeline(studio: SimpleNamespace) -> dict:
    with urllib.request.urlopen(f"{studio.base}/api/timeline?token={studio.token}", timeout=30) as answer:
        return json.loads(answer.read())


def wait_built(studio: SimpleNamespace, limit: float) -> dict:
    deadline = time.monotonic() + limit
    while True:
        data = timeline(studio)
        if not data["building"] and data["video"] and not data["error"]:
            return data
        assert time.monotonic() < deadline, f"no build finished in {limit} s: {studio.log.read_text()[-2000:]}"
        assert studio.process.poll() is None, studio.log.read_text()
        time.sleep(1)


@pytest.fixture(scope="module")
def studio(tmp_path_factory):
    folder = tmp_path_factory.mktemp("studio")
    config = folder / "video.yaml"
    config.write_text(NARRATED.lstrip())
    running = start_studio(config, folder / "studio.log")
    try:
        wait_built(running, FIRST_BUILD)
        yield running
    finally:
        stop_studio(running)


@pytest.fixture(scope="module")
def page(studio, tmp_path_factory):
    browser = Chromium(tmp_path_factory.mktemp("chromium"))
    try:
        browser.go(studio.url)
        browser.wait_for("document.querySelectorAll('.beat').length > 0 && document.body.dataset.version", 60)
        yield browser
    finally:
        browser.close()


def test_every_beat_is_on_the_page_with_its_poster_and_status(studio, page):
    data = timeline(studio)
    wanted = [f"{segment['id']}/{beat['name']}" for segment in data["segments"] for beat in segment["beats"]]
    assert len(wanted) == BEATS
    shown = page.evaluate("[...document.querySelectorAll('.beat')].map(b => b.dataset.key)")
    assert shown == wanted
    statuses = page.evaluate("[...document.querySelectorAll('.beat')].map(b => b.dataset.status)")
    assert set(statuses) <= {"rendered", "reused"}
    posters = page.wait_for("(() => { const imgs = [...document.querySelectorAll('.beat img')]; return imgs.length "
                            "&& imgs.every(i => i.complete && i.naturalWidth > 0) && imgs.length; })()", 30)
    assert posters == len(wanted)
    words = page.evaluate("document.querySelectorAll('.word').length")
    assert words == sum(len(line["words"]) for s in data["segments"] for b in s["beats"] for line in b["lines"]) > 0
    assert page.evaluate("document.querySelectorAll('.cue').length") == len(data["cues"]) > 0
    page.screenshot(studio.config.parent / "page.png")


def test_clicking_a_beat_plays_it_with_its_sound(studio, page):
    data = timeline(studio)
    beat = max((b for s in data["segments"] for b in s["beats"]), key=lambda b: b["end"] - b["start"])
    page.wait_for("document.getElementById('player').readyState >= 1", 30)
    page.click(f".beat[data-beat='{beat['name']}']")
    at = page.wait_for(f"(() => {{ const p = document.getElementById('player'); "
                       f"return !p.paused && p.currentTime > {beat['start']} + 0.3 && p.currentTime < {beat['end']} "
                       f"&& p.currentTime; }})()", 15)
    assert beat["start"] < at < beat["end"]
    assert page.evaluate("document.getElementById('player').muted") is False


def test_an_edit_of_the_config_appears_rendered_without_a_reload(studio, page):
    page.evaluate("window.studioMarker = 'the same page'")
    page.evaluate("window.seen = new Set(); setInterval(() => document.querySelectorAll('.beat').forEach(b => "
                  "window.seen.add(b.dataset.status + (b.querySelector('.bar > div').style.width > '0' && "
                  "b.dataset.status === 'rendering' ? ' with a bar' : ''))), 100)")
    old_video = timeline(studio)["video"]
    old_line = "How does a machine learn? Let's find out, one step at a time."
    edited = studio.config.read_text().replace(old_line, NEW_LINE)
    assert edited != studio.config.read_text()
    started = time.monotonic()
    studio.config.write_text(edited)
    page.wait_for(f"[...document.querySelectorAll('.line')].some(l => l.textContent === {json.dumps(NEW_LINE)}) "
                  "&& document.querySelector('.beat[data-key=\"title/ask_question\"]').dataset.status === 'rendered' "
                  "&& document.getElementById('stage').textContent === 'up to date'", EDIT_LIMIT)
    elapsed = time.monotonic() - started
    assert page.evaluate("window.studioMarker") == "the same page"  # no reload
    seen = set(page.evaluate("[...window.seen]"))
    assert {"queued", "rendering with a bar", "rendered", "reused"} <= seen, seen
    data = timeline(studio)
    assert data["video"] != old_video and page.evaluate("document.getElementById('player').src").endswith(
        data["video"])
    statuses = {f"{s['id']}/{b['name']}": b["status"] for s in data["segments"] for b in s["beats"]}
    assert statuses.pop("title/ask_question") == "rendered"
    assert set(statuses.values()) == {"reused"}  # only the edited line's beat is rendered again
    print(f"edit → rendered on the page in {elapsed:.1f} s")
    page.screenshot(studio.config.parent / "edited.png")


def test_a_config_error_shows_as_the_command_line_says_it_and_the_last_render_stays(studio, page):
    good = studio.config.read_text()
    video = page.evaluate("document.getElementById('player').src")
    studio.config.write_text(good.replace("epochs: 3", "epochs: 0"))
    try:
        said = subprocess.run([sys.executable, "-m", "riskvid.cli", "render", "video.yaml", "--quality", "low",
                               "--dry-run"], cwd=studio.config.parent, capture_output=True, text=True,
                              timeout=120).stderr.strip().splitlines()[-1]
        assert said.startswith("error: video.yaml:")
        shown = page.wait_for("!document.getElementById('error').hidden && "
                              "document.getElementById('error').textContent", 90)
        assert shown == said
        assert page.evaluate("document.getElementById('player').src") == video
        assert page.evaluate("document.getElementById('player').readyState") >= 1
        assert page.evaluate("document.querySelectorAll('.beat').length") == BEATS
    finally:
        studio.config.write_text(good)
    page.wait_for("document.getElementById('error').hidden && "
                  "document.getElementById('stage').textContent === 'up to date'", EDIT_LIMIT)


@pytest.mark.parametrize("signal_number", [signal.SIGTERM, signal.SIGINT])
def test_a_signal_stops_the_studio_and_every_process_it_started(tmp_path, signal_number):
    config = tmp_path / "video.yaml"
    config.write_text(NARRATED.lstrip())
    studio = start_studio(config, tmp_path / "studio.log")
    try:
        deadline = time.monotonic() + 120
        while len(psutil.Process(studio.process.pid).children(recursive=True)) < 3:  # the build and its workers
            assert time.monotonic() < deadline, "the build never started its workers"
            time.sleep(0.2)
        started = psutil.Process(studio.process.pid).children(recursive=True)
        job = next(p for p in started if "riskvid.studio.job" in " ".join(p.cmdline()))
        studio.process.send_signal(signal_number)
        studio.process.wait(45)
    finally:
        stop_studio(studio)
    time.sleep(0.5)
    assert studio.process.returncode == 128 + signal_number
    left = [p for p in started if p.is_running() and p.status() != psutil.STATUS_ZOMBIE]
    assert left == [], [p.cmdline() for p in left]
    assert in_session(studio.process.pid) == [] and in_session(job.pid) == []

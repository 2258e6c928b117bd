"""index.html on its own and in headless Chromium: escaping, layout at real window sizes, sound, stepping.

The inputs are tiny clips with sound made by tests/scripts/test_deck.py's helpers, so no render is needed.
"""

import base64
import fcntl
import json
import os
import queue
import shutil
import subprocess
import threading
import time
from dataclasses import replace
from html.parser import HTMLParser

import pytest
from PIL import Image

from riskvid.publish.page import render_page, write_page
from tests.scripts.test_deck import LONG_CAPTION, Chapter, tiny_chapters

TITLE = "Tiny <slides> & 'quotes'"
SIZES = [(1280, 800), (1024, 768)]  # the window sizes users reported, and a projector's
CAPTIONS = {
    "ask_question": LONG_CAPTION,  # 300 characters, as long as one narration line may be
    "train": "Every bar <shrinks> & Q falls.",
    "wrap_up": f"{LONG_CAPTION} {LONG_CAPTION}",  # two such lines on one beat: still clear of the controls
}


# --- the HTML ---------------------------------------------------------------------------------------


class _Text(HTMLParser):
    """Text by the element it is in (title, h1, p.caption, ...) and every attribute value."""

    def __init__(self):
        super().__init__()
        self.stack, self.texts, self.attributes, self.scripts = [], {}, [], 0

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        self.attributes += list(attrs.values())
        self.scripts += tag == "script"
        if tag not in {"img", "source", "meta", "path", "br"}:
            self.stack.append(f"{tag}.{attrs.get('class', '')}".rstrip("."))

    def handle_endtag(self, tag):
        while self.stack and self.stack.pop().split(".")[0] != tag:
            pass

    def handle_data(self, data):
        if self.stack:
            self.texts.setdefault(self.stack[-1], []).append(data)


def test_every_text_from_the_config_is_escaped(tmp_path):
    title = "</title><script>alert(1)</script> {{slides}} & \"q\""
    chapter = "<img src=x onerror=alert(2)> {{title}}"
    captions = {"ask_question": "</p><script>alert(3)</script> & \"quoted\" {{slides}}"}
    first, *rest = tiny_chapters(tmp_path, captions)
    chapters = [Chapter(chapter, first.stem, tuple(replace(beat, chapter=chapter) for beat in first.beats)), *rest]
    write_page(tmp_path / "index.html", title, chapters)
    page = (tmp_path / "index.html").read_text(encoding="utf-8")
    parser = _Text()
    parser.feed(page)
    assert parser.scripts == 1  # the page's own, and no other
    assert "".join(parser.texts["title"]) == title  # one pass: a title saying {{slides}} stays a title
    assert "".join(parser.texts["h1"]) == title
    assert captions["ask_question"] in parser.texts["p.caption"]
    assert chapter in parser.texts["span.chapter"]
    assert f"{chapter} · Ask question" in parser.attributes  # the slide's aria-label
    assert "<script>alert" not in page and "<img src=x" not in page
    assert page.count("<section") == 1 + sum(len(c.beats) for c in chapters)


def test_the_page_needs_no_network(tmp_path):
    page = render_page(TITLE, tiny_chapters(tmp_path, CAPTIONS))
    assert not any(marker in page for marker in ("://", "@import", "url(", "@font-face", "<link", "src=\"/"))


# --- in a real browser --------------------------------------------------------------------------------


class Chromium:
    """Headless Chromium driven over the DevTools protocol on a pipe (no network, no extra package)."""

    def __init__(self, binary, profile):
        to_browser, self._writer = os.pipe()
        self._reader, from_browser = os.pipe()
        # Chromium talks on fds 3 and 4: move our ends clear of them, then let bash put them there.
        moved = [fcntl.fcntl(fd, fcntl.F_DUPFD_CLOEXEC, 10) for fd in (to_browser, from_browser)]
        os.close(to_browser)
        os.close(from_browser)
        to_browser, from_browser = moved
        script = f'exec "$0" "$@" 3<&{to_browser} 4>&{from_browser} {to_browser}<&- {from_browser}>&-'
        flags = [
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--disable-extensions",
            "--no-first-run",
            "--no-default-browser-check",
            "--mute-audio",  # the machine stays quiet; the page's own muted state is what is tested
            f"--user-data-dir={profile}",
            "--remote-debugging-pipe",
            "--window-size=1280,800",
        ]  # the browser's own autoplay policy: clips may start muted, sound needs the viewer's gesture
        self.process = subprocess.Popen(
            ["bash", "-c", script, binary, *flags],
            pass_fds=(to_browser, from_browser),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        os.close(to_browser)
        os.close(from_browser)
        self._ids, self._replies, self.events = 0, {}, queue.Queue()
        self._lock = threading.Condition()
        threading.Thread(target=self._read, daemon=True).start()
        target = self.call("Target.createTarget", url="about:blank")["targetId"]
        self.session = self.call("Target.attachToTarget", targetId=target, flatten=True)["sessionId"]

    def _read(self):
        buffer = b""
        while chunk := os.read(self._reader, 1 << 16):
            buffer += chunk
            *messages, buffer = buffer.split(b"\0")
            for raw in messages:
                message = json.loads(raw)
                if "id" in message:
                    with self._lock:
                        self._replies[message["id"]] = message
                        self._lock.notify_all()
                else:
                    self.events.put(message)

    def call(self, method, session=None, **params):
        with self._lock:
            self._ids += 1
            ident = self._ids
        message = {"id": ident, "method": method, "params": params}
        if session:
            message["sessionId"] = session
        os.write(self._writer, json.dumps(message).encode() + b"\0")
        with self._lock:
            if not self._lock.wait_for(lambda: ident in self._replies, timeout=30):
                raise TimeoutError(f"no reply to {method}")
            reply = self._replies.pop(ident)
        if "error" in reply:
            raise RuntimeError(f"{method}: {reply['error']}")
        return reply["result"]

    def page(self, method, **params):
        return self.call(method, session=self.session, **params)

    def open(self, url, width=1280, height=800):
        """Load ``url`` in a window of ``width`` x ``height`` CSS pixels and wait for it to finish loading."""
        for domain in ("Runtime", "Log", "Page"):
            self.page(f"{domain}.enable")
        self.page("Emulation.setDeviceMetricsOverride", width=width, height=height, deviceScaleFactor=1, mobile=False)
        self.page("Page.navigate", url=url)
        deadline = time.monotonic() + 15
        while self.evaluate("document.readyState") != "complete" and time.monotonic() < deadline:
            time.sleep(0.05)

    def evaluate(self, expression):
        result = self.page("Runtime.evaluate", expression=expression, awaitPromise=True, returnByValue=True)
        if "exceptionDetails" in result:
            raise RuntimeError(f"{expression}: {result['exceptionDetails']}")
        return result["result"].get("value")

    def key(self, key, code, keycode, text=None):
        """Press and release a key; ``text`` makes it type (a focused button acts on Space and Enter)."""
        extra = {"text": text} if text else {}
        self.page("Input.dispatchKeyEvent", type="keyDown", key=key, code=code, windowsVirtualKeyCode=keycode, **extra)
        self.page("Input.dispatchKeyEvent", type="keyUp", key=key, code=code, windowsVirtualKeyCode=keycode)

    def click(self, x, y):
        for kind in ("mousePressed", "mouseReleased"):
            self.page("Input.dispatchMouseEvent", type=kind, x=x, y=y, button="left", clickCount=1)

    def screenshot(self, path):
        path.write_bytes(base64.b64decode(self.page("Page.captureScreenshot", format="png")["data"]))

    def errors(self):
        """Console errors, uncaught exceptions and failed loads reported so far."""
        found = []
        while not self.events.empty():
            event = self.events.get()
            method, params = event.get("method"), event.get("params", {})
            if method == "Runtime.exceptionThrown":
                found.append(params["exceptionDetails"].get("text"))
            elif method == "Runtime.consoleAPICalled" and params["type"] in {"error", "assert"}:
                found.append(str(params["args"]))
            elif method == "Log.entryAdded" and params["entry"]["level"] == "error":
                found.append(params["entry"]["text"])
        return found

    def close(self):
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        os.close(self._writer)


# Resolves, once the slide on screen plays its clip (or after 10 s), with what the page shows.
WAIT_PLAYING = """
new Promise(resolve => {
  const started = Date.now();
  (function poll() {
    const slide = [...document.querySelectorAll('.slide')].findIndex(s => !s.hidden);
    const video = document.querySelectorAll('.slide')[slide].querySelector('video');
    const state = {slide, hash: location.hash, ready: video ? video.readyState : null,
                   playing: video ? !video.paused && video.currentTime > 0 : null,
                   muted: video ? video.muted : null};
    if (!video || (state.ready >= 2 && state.playing) || Date.now() - started > 10000) resolve(state);
    else setTimeout(poll, 50);
  })();
})
"""

# The boxes of what shows on the slide on screen, and of every control.
BOXES = """
(() => {
  const box = e => { const r = e.getBoundingClientRect(); return [r.left, r.top, r.right, r.bottom]; };
  const slide = [...document.querySelectorAll('.slide')].find(s => !s.hidden);
  const caption = slide.querySelector('.caption');
  return {
    parts: Object.fromEntries(['header', '.stage', '.caption'].map(q => [q, slide.querySelector(q)])
                                .filter(([, e]) => e).map(([q, e]) => [q, box(e)])),
    controls: Object.fromEntries([...document.querySelectorAll('.controls button')]
                                   .map(b => [b.getAttribute('aria-label'), box(b)])),
    captionFits: caption ? caption.scrollHeight <= caption.clientHeight + 1 : null,
    captionLength: caption ? caption.textContent.length : 0,
    window: [innerWidth, innerHeight],
  };
})()
"""


def overlap(a, b):
    """Whether boxes (left, top, right, bottom) share any area."""
    return min(a[2], b[2]) > max(a[0], b[0]) and min(a[3], b[3]) > max(a[1], b[1])


@pytest.fixture(scope="module")
def deck_page(tmp_path_factory):
    """index.html for tiny chapters with sound, beside its clips."""
    folder = tmp_path_factory.mktemp("page")
    chapters = tiny_chapters(folder, CAPTIONS)
    write_page(folder / "index.html", TITLE, chapters)
    return folder / "index.html", [beat for chapter in chapters for beat in chapter.beats]


@pytest.fixture
def browser(tmp_path):
    binary = shutil.which("chromium") or shutil.which("chromium-browser")
    if binary is None:
        pytest.skip("chromium is not installed (scripts/setup installs it: apt-get install chromium)")
    chromium = Chromium(binary, tmp_path / "profile")
    yield chromium
    chromium.close()


@pytest.mark.parametrize("width,height", SIZES)
def test_the_caption_never_covers_the_controls(deck_page, browser, tmp_path, width, height):
    path, beats = deck_page
    browser.open(path.as_uri(), width, height)
    for index in range(len(beats) + 1):  # the cover, then every beat
        browser.evaluate(f"location.hash = '#{index}'")
        state = browser.evaluate(WAIT_PLAYING)
        assert state["slide"] == index
        boxes = browser.evaluate(BOXES)
        assert boxes["window"] == [width, height]
        assert set(boxes["controls"]) == {"Unmute", "Previous step", "Next step"}
        for label, control in boxes["controls"].items():
            assert 0 <= control[0] < control[2] <= width and 0 <= control[1] < control[3] <= height, label
            for part, shown in boxes["parts"].items():
                assert not overlap(control, shown), (index, part, shown, label, control)
        if index and len(beats[index - 1].captions) <= 300:  # a caption of up to one full line shows whole
            assert boxes["captionFits"], (index, boxes)
        if index == 1:
            assert boxes["captionLength"] == 300
            browser.screenshot(tmp_path / f"caption-{width}x{height}.png")
    with Image.open(tmp_path / f"caption-{width}x{height}.png") as shot:
        assert shot.size == (width, height)
    assert browser.errors() == []


def sound_state(browser):
    return browser.evaluate(
        """(() => {
             const button = document.querySelector('.controls .sound');
             const slide = [...document.querySelectorAll('.slide')].find(s => !s.hidden);
             const video = slide.querySelector('video'), r = button.getBoundingClientRect();
             const style = getComputedStyle(button);
             return {label: button.getAttribute('aria-label'), text: button.innerText.trim(),
                     visible: r.width > 0 && r.height > 0 && style.visibility === 'visible'
                              && style.display !== 'none'
                              && document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2)
                                   .closest('.sound') === button,
                     centre: [r.left + r.width / 2, r.top + r.height / 2],
                     focused: document.activeElement === button,
                     muted: video ? video.muted : null, playing: video ? !video.paused : null,
                     slide: location.hash};
           })()"""
    )


def test_the_unmute_button_turns_sound_on_for_this_clip_and_the_next(deck_page, browser, tmp_path):
    path, beats = deck_page
    browser.open(f"{path.as_uri()}#1")
    assert browser.evaluate(WAIT_PLAYING)["playing"]  # clips start by themselves, muted, as browsers allow
    state = sound_state(browser)
    assert state["visible"] and state["label"] == "Unmute" and state["text"] == "Unmute" and state["muted"]

    browser.click(*state["centre"])  # the viewer's gesture: sound on
    state = sound_state(browser)
    assert state["slide"] == "#1" and state["label"] == "Mute" and state["text"] == "Mute"
    assert state["muted"] is False and state["playing"] and not state["focused"]
    browser.screenshot(tmp_path / "sound-on.png")

    browser.key(" ", "Space", 32, text=" ")  # Space after the click steps on, it does not press the button again
    playing = browser.evaluate(WAIT_PLAYING)
    assert playing["slide"] == 2 and playing["playing"] and playing["muted"] is False  # the choice stays
    browser.key("m", "KeyM", 77, text="m")  # M for mute
    state = sound_state(browser)
    assert state["muted"] is True and state["label"] == "Unmute"

    browser.evaluate("document.querySelector('.controls .sound').focus()")  # from the keyboard: Tab to it, then
    browser.key(" ", "Space", 32, text=" ")
    state = sound_state(browser)
    assert state["slide"] == "#2" and state["muted"] is False and state["label"] == "Mute" and state["focused"]
    browser.key("Enter", "Enter", 13, text="\r")
    state = sound_state(browser)
    assert state["slide"] == "#2" and state["muted"] is True and state["label"] == "Unmute"
    browser.key("ArrowRight", "ArrowRight", 39)  # the arrows still step, focus or not
    assert browser.evaluate(WAIT_PLAYING)["slide"] == 3
    assert browser.errors() == []


def test_page_plays_each_step_in_a_real_browser(deck_page, browser):
    path, beats = deck_page
    browser.open(path.as_uri())
    assert browser.evaluate("document.querySelector('h1').textContent") == TITLE
    first_video = browser.evaluate(
        """new Promise(resolve => {
             const video = document.querySelector('video'), started = Date.now();
             (function poll() {
               if (video.readyState >= 2 || Date.now() - started > 10000) resolve(video.readyState);
               else setTimeout(poll, 50);
             })();
           })"""
    )
    assert first_video >= 2  # HAVE_CURRENT_DATA: the browser decodes the H.264 beat clip

    browser.key("ArrowRight", "ArrowRight", 39)
    state = browser.evaluate(WAIT_PLAYING)
    assert state["slide"] == 1 and state["hash"] == "#1" and state["ready"] >= 2 and state["playing"]
    heading = browser.evaluate("document.querySelectorAll('.slide')[1].querySelector('header').textContent")
    assert heading.startswith(f"{beats[0].chapter}·{beats[0].step}")
    caption = browser.evaluate("document.querySelectorAll('.slide')[1].querySelector('.caption').textContent")
    assert caption == beats[0].captions

    browser.key(" ", "Space", 32)
    assert browser.evaluate(WAIT_PLAYING)["slide"] == 2
    browser.click(640, 300)  # a click on the slide steps on
    state = browser.evaluate(WAIT_PLAYING)
    assert state["slide"] == 3 and state["playing"]
    playing = browser.evaluate("[...document.querySelectorAll('video')].filter(v => !v.paused).length")
    assert playing == 1  # only the clip on screen plays
    browser.key("ArrowLeft", "ArrowLeft", 37)
    assert browser.evaluate(WAIT_PLAYING)["slide"] == 2
    browser.key("End", "End", 35)
    assert browser.evaluate(WAIT_PLAYING)["slide"] == len(beats)
    browser.key("ArrowRight", "ArrowRight", 39)  # past the end stays on the last slide
    assert browser.evaluate(WAIT_PLAYING)["slide"] == len(beats)
    assert browser.errors() == []


def test_each_cue_of_a_caption_is_timed_on_its_clip_and_the_caption_reads_the_same(tmp_path):
    from riskvid.pipeline.timeline import Cue

    first, *rest = tiny_chapters(tmp_path, {"ask_question": "One & two. Three <four>, five."})
    beat = replace(first.beats[0], cues=(Cue(0.32, 1.1, "One & two."), Cue(1.4, 2.5, "Three <four>,\nfive.")))
    page = render_page(TITLE, [replace(first, beats=(beat, *first.beats[1:])), *rest])
    assert ('<span class="cue" data-at="0.320" data-until="1.100">One &amp; two.</span> '
            '<span class="cue" data-at="1.400" data-until="2.500">Three &lt;four&gt;, five.</span>') in page
    parser = _Text()
    parser.feed(page)
    assert " ".join(parser.texts["span.cue"]) == "One & two. Three <four>, five."


def test_the_cue_being_said_is_marked_while_the_clip_plays(tmp_path, browser):
    from riskvid.pipeline.timeline import Cue

    first, *rest = tiny_chapters(tmp_path, {"ask_question": "One and two. Three, four."})
    beat = replace(first.beats[0], cues=(Cue(0.0, 0.8, "One and two."), Cue(0.8, 2.0, "Three, four.")))
    write_page(tmp_path / "index.html", TITLE, [replace(first, beats=(beat, *first.beats[1:])), *rest])
    browser.open((tmp_path / "index.html").as_uri() + "#1")
    marked = browser.evaluate("""new Promise(resolve => {
        const video = document.querySelectorAll('.slide')[1].querySelector('video'), t0 = Date.now();
        (function poll() {
          const now = [...document.querySelectorAll('.slide')[1].querySelectorAll('.cue.now')].map(c => c.textContent);
          if ((video.currentTime > 1.0 && now.length) || Date.now() - t0 > 8000) resolve(now);
          else setTimeout(poll, 30);
        })();
      })""")
    assert marked == ["Three, four."]
    assert browser.errors() == []

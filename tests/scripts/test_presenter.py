"""presenter.html in headless Chromium beside index.html: notes, next step, timers, and the two driving each other.

The inputs are tiny clips made by tests/scripts/test_deck.py's helpers, so no render is needed.
"""

import json
from html.parser import HTMLParser

import pytest

from riskvid.publish.page import write_page
from riskvid.publish.presenter import render_presenter, write_presenter
from tests.scripts.test_deck import tiny_chapters
from tests.scripts.test_page import TITLE, browser  # noqa: F401  (the browser fixture)

CAPTIONS = {"ask_question": "How does a machine <learn>? & why.", "train": "Every bar shrinks.", "wrap_up": ""}
CHANNEL = json.dumps(f"riskvid-slides:{TITLE}")
LISTEN = f"window.heard = []; window.line = new BroadcastChannel({CHANNEL}); line.onmessage = e => heard.push(e.data);"


def wait_for(expression, timeout_ms=5000):
    """A JS promise: ``expression``'s value once it is truthy (or after the timeout)."""
    return (f"new Promise(resolve => {{ const t0 = Date.now(); (function poll() {{ const v = ({expression}); "
            f"if (v || Date.now() - t0 > {timeout_ms}) resolve(v); else setTimeout(poll, 50); }})(); }})")


@pytest.fixture(scope="module")
def pages(tmp_path_factory):
    folder = tmp_path_factory.mktemp("presenter")
    chapters = tiny_chapters(folder, CAPTIONS)
    write_page(folder / "index.html", TITLE, chapters)
    write_presenter(folder / "presenter.html", TITLE, chapters)
    return folder, [beat for chapter in chapters for beat in chapter.beats]


def test_every_text_is_data_in_the_page():
    class Tags(HTMLParser):
        def __init__(self):
            super().__init__()
            self.tags = []

        def handle_starttag(self, tag, attrs):
            self.tags.append(tag)

    nasty = "</script><script>alert(1)</script> & <!-- {{steps}}"
    html = render_presenter(nasty, [])
    parser = Tags()
    parser.feed(html)
    assert parser.tags.count("script") == 2  # the steps' JSON and the page's own script: none forged
    data = html.split('id="steps">', 1)[1].split("</script>", 1)[0]
    assert json.loads(data)[0]["title"] == nasty


def test_the_presenter_shows_the_steps_words_the_next_step_and_timers(pages, browser):  # noqa: F811
    folder, beats = pages
    browser.open((folder / "presenter.html").as_uri())
    assert browser.evaluate("document.querySelector('.counter').textContent") == f"0 / {len(beats)}"
    assert browser.evaluate("document.querySelector('.next-title').textContent") == beats[0].step
    browser.key("ArrowRight", "ArrowRight", 39)
    state = browser.evaluate("""({counter: document.querySelector('.counter').textContent,
        notes: document.querySelector('.notes').textContent,
        now: document.querySelector('.now-frame video')?.getAttribute('src'),
        next: document.querySelector('.next-frame img').getAttribute('src'),
        nextTitle: document.querySelector('.next-title').textContent})""")
    assert state["counter"] == f"1 / {len(beats)}"
    assert state["notes"] == CAPTIONS["ask_question"]  # the words, as text
    assert state["now"] == beats[0].clip and state["next"] == beats[1].poster and state["nextTitle"] == beats[1].step
    ticked = browser.evaluate(wait_for("document.querySelector('.step-time').textContent !== '0:00' && "
                                       "document.querySelector('.elapsed').textContent", 4000))
    assert ticked in {"0:01", "0:02", "0:03"}
    assert browser.errors() == []


def test_the_presenter_drives_the_deck_and_follows_it(pages, browser):  # noqa: F811
    folder, beats = pages
    browser.open((folder / "presenter.html").as_uri() + "#1")
    browser.evaluate(LISTEN)
    browser.key("ArrowRight", "ArrowRight", 39)
    assert browser.evaluate(wait_for("heard.length && heard[heard.length - 1]")) == {"type": "show", "index": 2}
    browser.evaluate("line.postMessage({type: 'shown', index: 4})")  # the deck moved on by itself
    assert browser.evaluate(wait_for("document.querySelector('.counter').textContent === '4 / 4'"))

    browser.open((folder / "index.html").as_uri())
    browser.evaluate(LISTEN + " window.open = (url, name) => { window.opened = [url, name]; return null; };")
    browser.evaluate("line.postMessage({type: 'show', index: 3})")
    assert browser.evaluate(wait_for("location.hash === '#3'"))
    assert browser.evaluate(wait_for("heard.length")) == 0  # the deck does not echo what it was told
    browser.key("ArrowLeft", "ArrowLeft", 37)
    assert browser.evaluate(wait_for("heard.length && heard[0]")) == {"type": "shown", "index": 2}
    browser.key("p", "KeyP", 80, text="p")
    assert browser.evaluate(wait_for("window.opened")) == ["presenter.html#2", "riskvid-presenter"]
    assert browser.errors() == []


def test_the_presenter_needs_no_network(pages):
    folder, _ = pages
    page = (folder / "presenter.html").read_text()
    assert not any(marker in page for marker in ("://", "@import", "url(", "@font-face", "<link", "src=\"/"))

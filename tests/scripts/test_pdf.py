"""slides.pdf and handout.pdf as a reader opens them (poppler's pdfinfo, pdffonts, pdftotext): no render needed."""

import shutil
import subprocess
from dataclasses import replace

import pytest

from riskvid.publish.pdf import Handout, write_handout, write_slides_pdf
from tests.scripts.test_deck import tiny_chapters

FORMULA = "Q(a, X) = 1/n · Σ L(a, xᵢ)"
LINES = {
    "ask_question": ("How does an AI <actually> learn?", "The short answer fits in one line & a half."),
    "glimpse": ("Q(a, X) is the average of the losses L(a, xᵢ), squared: 80² = 6,400.",),
    "train": ("Every bar shrinks.", "Q falls."),
    "wrap_up": (),
}

pytestmark = pytest.mark.skipif(shutil.which("pdftotext") is None,
                                reason="poppler-utils is not installed (scripts/setup installs it)")


def poppler(tool, *args):
    return subprocess.run([tool, *map(str, args)], capture_output=True, text=True, check=True).stdout


@pytest.fixture(scope="module")
def chapters(tmp_path_factory):
    folder = tmp_path_factory.mktemp("pdf")
    def spoken(beat):
        return replace(beat, lines=LINES[beat.name], captions=" ".join(LINES[beat.name]))

    chapters = [replace(chapter, beats=tuple(map(spoken, chapter.beats))) for chapter in tiny_chapters(folder)]
    return folder, chapters


def pages(info):
    return int(next(line.split()[-1] for line in info.splitlines() if line.startswith("Pages:")))


def test_slides_pdf_is_a_16_9_page_per_step_with_its_title(chapters, tmp_path):
    folder, chapters = chapters
    write_slides_pdf(tmp_path / "slides.pdf", "Tiny & <deck>", chapters, folder)
    info = poppler("pdfinfo", "-f", "1", "-l", "99", tmp_path / "slides.pdf")
    steps = [beat for chapter in chapters for beat in chapter.beats]
    assert pages(info) == len(steps) == 4
    sizes = [line.split(":", 1)[1].split("pts")[0].split(" x ") for line in info.splitlines()
             if line.startswith("Page ") and " size:" in line]
    assert all(float(w) / float(h) == pytest.approx(16 / 9) for w, h in sizes)
    text = poppler("pdftotext", "-layout", tmp_path / "slides.pdf", "-")
    for page, beat in zip(text.split("\f")[: len(steps)], steps, strict=True):
        assert beat.step in page and "/ 4" in page


@pytest.mark.parametrize("paper,named", [("a4", "(A4)"), ("letter", "(letter)")])
def test_handout_holds_the_narration_as_text_three_steps_a_page_fonts_embedded(chapters, tmp_path, paper, named):
    folder, chapters = chapters
    target = tmp_path / "handout.pdf"
    write_handout(target, Handout("How does an AI learn?", FORMULA, "A summary & <more>.", paper), chapters, folder)
    info = poppler("pdfinfo", target)
    assert named in info  # pdfinfo names the paper from the page size
    assert pages(info) == 2  # four steps, three a page
    text = poppler("pdftotext", target, "-")
    first = text.split("\f")[0]
    assert "How does an AI learn?" in first and FORMULA in first  # the formula, as text, Unicode and all
    flat = " ".join(text.split())
    lines = [line for beat_lines in LINES.values() for line in beat_lines]
    assert all(line in flat for line in lines), [line for line in lines if line not in flat]
    for chapter in chapters:
        if chapter.beats:
            assert chapter.title in flat  # chapter titles as headings
    fonts = poppler("pdffonts", target).splitlines()[2:]
    assert fonts and all(font.split()[-5] == "yes" for font in fonts), fonts  # the "emb" column: every font embedded

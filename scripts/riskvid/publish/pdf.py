"""slides.pdf and handout.pdf: the deck without video, and a handout to give students.

- ``slides.pdf``: one 16:9 page per step, its settled poster under its title.
- ``handout.pdf``: A4 (or Letter), three steps a page, each poster beside its narration as real
  text (selectable, searchable), chapter titles as headings, the video's title, formula and summary
  on the first page.

ReportLab draws them; the text is set in DejaVu Sans, embedded (subset) so every reader shows it
and any symbol of the narration (Σ, xᵢ, ²) has its glyph. Posters go in as JPEG (passed through,
not decoded again by the reader). Every text from the config is escaped for ReportLab's markup.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any
from xml.sax.saxutils import escape

from PIL import Image

from riskvid.errors import RunError
from riskvid.files import atomic_path, fingerprint
from riskvid.publish.steps import Chapter

if TYPE_CHECKING:  # ReportLab has no annotations: these read as Any, and name what is passed
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.pdfgen.canvas import Canvas
    from reportlab.platypus import Flowable, SimpleDocTemplate

CODE = fingerprint(Path(__file__))
FONT_FOLDER = Path("/usr/share/fonts/truetype/dejavu")
FONTS = {"Body": "DejaVuSans.ttf", "Bold": "DejaVuSans-Bold.ttf"}
SLIDE_PAGE = (960, 540)  # 16:9, 13.33 x 7.5 in
SLIDE_BAND = 56  # the title band above the poster
MARGIN = 36
STEPS_PER_PAGE = 3
HANDOUT_PICTURE_WIDTH = 264  # 16:9 poster beside its words
HANDOUT_JPEG_WIDTH = 1024  # pixels: sharp at 264 pt printed (about 280 dpi)
INK = (0.13, 0.13, 0.15)
QUIET = (0.40, 0.40, 0.44)
JPEG_QUALITY = 88


class PdfError(RunError):
    """A PDF could not be made."""


@dataclass(frozen=True)
class Handout:
    """What the handout's first page says besides the steps."""

    title: str
    formula: str | None = None
    summary: str | None = None
    paper: str = "a4"  # "a4" or "letter"


def fonts() -> None:
    """Register the embedded fonts with ReportLab (once); PdfError naming the package if one is missing."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    for name, file in FONTS.items():
        if name in pdfmetrics.getRegisteredFontNames():
            continue
        path = FONT_FOLDER / file
        if not path.is_file():
            raise PdfError(f"{path} is missing; run ./scripts/setup (or: sudo apt-get install fonts-dejavu-core)")
        pdfmetrics.registerFont(TTFont(name, str(path)))


def _jpeg(path: Path, width: int | None = None) -> io.BytesIO:
    """The picture at ``path`` as JPEG data (at most ``width`` pixels wide)."""
    with Image.open(path) as opened:
        image = opened.convert("RGB")
        if width and image.width > width:
            image = image.resize((width, round(image.height * width / image.width)), Image.Resampling.LANCZOS)
        data = io.BytesIO()
        image.save(data, format="JPEG", quality=JPEG_QUALITY, optimize=True)
    data.seek(0)
    return data


def write_slides_pdf(path: Path, title: str, chapters: Sequence[Chapter], folder: Path) -> None:
    """Write slides.pdf to ``path`` (atomically): a 16:9 page per step; posters are relative to ``folder``."""
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfgen.canvas import Canvas

    fonts()
    with atomic_path(path) as tmp:
        pdf = Canvas(str(tmp), pagesize=SLIDE_PAGE, invariant=1, pageCompression=1, initialFontName="Body")
        pdf.setTitle(title)
        pdf.setAuthor("riskvid")
        pdf.setSubject(f"{title}: the slides without video")
        width, height = SLIDE_PAGE
        count = sum(len(chapter.beats) for chapter in chapters)
        number = 0
        for chapter in chapters:
            for beat in chapter.beats:
                number += 1
                pdf.setFillColorRGB(*INK)
                pdf.setFont("Bold", 20)
                pdf.drawString(MARGIN, height - 38, _fit(pdf, beat.step, "Bold", 20, width * 0.6))
                pdf.setFont("Body", 13)
                pdf.setFillColorRGB(*QUIET)
                pdf.drawRightString(width - MARGIN, height - 37,
                                    _fit(pdf, f"{chapter.title} · {number} / {count}", "Body", 13, width * 0.35))
                box_h = height - SLIDE_BAND - MARGIN / 2
                box_w = box_h * 16 / 9
                pdf.drawImage(ImageReader(_jpeg(folder / beat.poster)), (width - box_w) / 2, MARGIN / 2, box_w, box_h,
                              preserveAspectRatio=True, anchor="c")
                pdf.bookmarkPage(f"step{number}")
                pdf.addOutlineEntry(f"{number}. {beat.heading}", f"step{number}", level=0)
                pdf.showPage()
        if not count:
            pdf.setFont("Bold", 24)
            pdf.drawString(MARGIN, height / 2, title)
            pdf.showPage()
        pdf.save()


def _fit(pdf: Canvas, text: str, font: str, size: float, width: float) -> str:
    """``text``, cut with an ellipsis to fit ``width`` points."""
    if pdf.stringWidth(text, font, size) <= width:
        return text
    while text and pdf.stringWidth(text + "…", font, size) > width:
        text = text[:-1]
    return text.rstrip() + "…"


def _styles() -> dict[str, ParagraphStyle]:
    """The handout's paragraph styles, all in the embedded fonts (no built-in font is ever referenced)."""
    from reportlab.lib.colors import Color
    from reportlab.lib.styles import ParagraphStyle

    ink, quiet = Color(*INK), Color(*QUIET)
    base = ParagraphStyle("base", fontName="Body", bulletFontName="Body", textColor=ink)

    def style(name: str, font: str, size: float, leading: float, **extra: Any) -> ParagraphStyle:
        return ParagraphStyle(name, parent=base, fontName=font, fontSize=size, leading=leading, **extra)

    return {
        "title": style("title", "Bold", 22, 27, spaceAfter=8),
        "formula": style("formula", "Body", 17, 24, alignment=1, spaceBefore=4, spaceAfter=10, borderPadding=8,
                         borderColor=quiet, borderWidth=0.6),
        "summary": style("summary", "Body", 9.5, 13, textColor=quiet, spaceAfter=10),
        "chapter": style("chapter", "Bold", 14, 18, spaceBefore=6, spaceAfter=6),
        "step": style("step", "Bold", 11, 14, spaceAfter=4),
        "line": style("line", "Body", 10, 13.5, spaceAfter=4),
    }


def write_handout(path: Path, handout: Handout, chapters: Sequence[Chapter], folder: Path) -> None:
    """Write handout.pdf to ``path`` (atomically): see the module doc. Posters are relative to ``folder``."""
    from reportlab.lib.pagesizes import A4, LETTER
    from reportlab.platypus import Image as Picture
    from reportlab.platypus import KeepTogether, PageBreak, Paragraph, SimpleDocTemplate, Table, TableStyle

    fonts()
    styles = _styles()
    page = LETTER if handout.paper == "letter" else A4
    story: list[Flowable] = [Paragraph(escape(handout.title), styles["title"])]
    if handout.formula:
        story.append(Paragraph(escape(handout.formula), styles["formula"]))
    if handout.summary:
        story.append(Paragraph(escape(handout.summary), styles["summary"]))
    text_width = page[0] - 2 * MARGIN - HANDOUT_PICTURE_WIDTH - 14
    on_page = 0
    for chapter in chapters:
        for index, beat in enumerate(chapter.beats):
            if on_page == STEPS_PER_PAGE:
                story.append(PageBreak())
                on_page = 0
            words = [Paragraph(escape(beat.step), styles["step"])]
            words += [Paragraph(escape(line), styles["line"]) for line in beat.lines or (beat.captions,) if line]
            picture = Picture(_jpeg(folder / beat.poster, HANDOUT_JPEG_WIDTH),
                              HANDOUT_PICTURE_WIDTH, HANDOUT_PICTURE_WIDTH * 9 / 16)
            row = Table([[picture, words]], colWidths=[HANDOUT_PICTURE_WIDTH + 14, text_width])
            row.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("FONTNAME", (0, 0), (-1, -1), "Body"),
                                     ("LEFTPADDING", (0, 0), (-1, -1), 0),
                                     ("RIGHTPADDING", (0, 0), (0, 0), 14), ("BOTTOMPADDING", (0, 0), (-1, -1), 10)]))
            block = [row]
            if index == 0:
                block.insert(0, Paragraph(escape(chapter.title), styles["chapter"]))
            story.append(KeepTogether(block))
            on_page += 1
    with atomic_path(path) as tmp:
        document = SimpleDocTemplate(str(tmp), pagesize=page, leftMargin=MARGIN, rightMargin=MARGIN,
                                     topMargin=MARGIN, bottomMargin=MARGIN, title=handout.title,
                                     author="riskvid", subject=f"{handout.title}: handout", invariant=1,
                                     initialFontName="Body")
        document.build(story, onFirstPage=_footer, onLaterPages=_footer)


def _footer(pdf: Canvas, document: SimpleDocTemplate) -> None:
    pdf.saveState()
    pdf.setFont("Body", 8)
    pdf.setFillColorRGB(*QUIET)
    width = document.pagesize[0]
    pdf.drawRightString(width - MARGIN, MARGIN / 2, f"{document.title} · page {pdf.getPageNumber()}")
    pdf.restoreState()

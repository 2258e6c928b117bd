"""deck.pptx: a title slide, then one slide per beat with its clip embedded and its captions as speaker notes."""

from PIL import Image
from pptx import Presentation
from pptx.dml.color import RGBColor
from pptx.util import Emu, Inches, Pt

from riskvid.files import atomic_path

SLIDE_SIZE = (Inches(13.333), Inches(7.5))  # 16:9
MARGIN = Inches(0.4)
HEADING_HEIGHT = Inches(0.7)
INK = RGBColor(0x0F, 0x0E, 0x0D)
ACCENT = RGBColor(0xC8, 0x40, 0x1A)
TITLE_LAYOUT, TITLE_ONLY_LAYOUT = 0, 5  # in python-pptx's default template


def write_deck(path, title, chapters):
    """Write the deck for ``chapters`` (see riskvid.publish.slides.Chapter) to ``path``, atomically."""
    folder = path.parent
    deck = Presentation()
    deck.slide_width, deck.slide_height = SLIDE_SIZE
    _title_slide(deck, title, chapters)
    for chapter in chapters:
        for beat in chapter.beats:
            slide = deck.slides.add_slide(deck.slide_layouts[TITLE_ONLY_LAYOUT])
            _heading(slide, beat.heading)
            poster = folder / beat.poster
            left, top, width, height = _fit_below_heading(poster)
            slide.shapes.add_movie(
                str(folder / beat.clip), left, top, width, height, poster_frame_image=str(poster), mime_type="video/mp4"
            )
            slide.notes_slide.notes_text_frame.text = beat.captions
    with atomic_path(path) as tmp:
        deck.save(str(tmp))


def _title_slide(deck, title, chapters):
    slide = deck.slides.add_slide(deck.slide_layouts[TITLE_LAYOUT])
    width = deck.slide_width - 2 * MARGIN
    heading, subtitle = slide.shapes.title, slide.placeholders[1]
    heading.left, heading.top, heading.width, heading.height = MARGIN, Inches(2.2), width, Inches(1.6)
    heading.text = title
    subtitle.left, subtitle.top, subtitle.width, subtitle.height = MARGIN, Inches(4.0), width, Inches(1.0)
    beats = sum(len(chapter.beats) for chapter in chapters)
    subtitle.text = f"{len(chapters)} chapters · {beats} clips, one per step"
    _style(heading, Pt(40), INK)
    _style(subtitle, Pt(20), ACCENT)


def _heading(slide, text):
    heading = slide.shapes.title
    heading.left, heading.top = MARGIN, Inches(0.2)
    heading.width, heading.height = SLIDE_SIZE[0] - 2 * MARGIN, HEADING_HEIGHT
    heading.text = text
    _style(heading, Pt(22), INK)


def _style(shape, size, colour):
    for paragraph in shape.text_frame.paragraphs:
        for run in paragraph.runs:
            run.font.size, run.font.color.rgb = size, colour


def _fit_below_heading(poster):
    """(left, top, width, height) of the largest box with the poster's aspect under the heading, centred."""
    with Image.open(poster) as image:
        aspect = image.width / image.height
    top = Inches(0.2) + HEADING_HEIGHT + Inches(0.2)
    box_width, box_height = SLIDE_SIZE[0] - 2 * MARGIN, SLIDE_SIZE[1] - top - MARGIN
    width = min(box_width, int(box_height * aspect))
    height = int(width / aspect)
    return Emu((SLIDE_SIZE[0] - width) // 2), Emu(top), Emu(width), Emu(height)

"""deck.pptx: a title slide, then one slide per beat with its clip embedded and its captions as speaker notes.

python-pptx builds the slides from its default template; this module then makes the package what a
presenter expects: every clip starts by itself when its slide opens (the timing PowerPoint writes for
a video set to "Start: Automatically"), the properties name the video rather than the template's
author, the slide size is 16:9, and nothing of the template that the deck does not use is left in it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from html import escape
from pathlib import Path
from typing import TYPE_CHECKING

from PIL import Image
from pptx import Presentation
from pptx.dml.color import RGBColor
from pptx.opc.constants import RELATIONSHIP_TYPE as RT
from pptx.oxml import parse_xml
from pptx.oxml.ns import qn
from pptx.util import Emu, Inches, Pt

from riskvid.files import atomic_path
from riskvid.publish.steps import Chapter

if TYPE_CHECKING:
    from pptx.presentation import Presentation as Deck
    from pptx.shapes.autoshape import Shape
    from pptx.slide import Slide
    from pptx.util import Length

SLIDE_SIZE = (Emu(12_192_000), Emu(6_858_000))  # 13.333 x 7.5 in: PowerPoint's 16:9 "Widescreen"
SLIDE_SIZE_TYPE = "screen16x9"
PRESENTATION_FORMAT = "On-screen Show (16:9)"  # what PowerPoint writes in docProps/app.xml for screen16x9
TEMPLATE_WIDTH = 9_144_000  # python-pptx's template is 4:3, 10 in wide; its masters are laid out for that
AUTHOR = "riskvid"
MARGIN = Inches(0.4)
HEADING_HEIGHT = Inches(0.7)
TITLE_LAYOUT, TITLE_ONLY_LAYOUT = 0, 5  # in python-pptx's default template
VOLUME = 80_000  # the media node's volume in thousandths of a percent: PowerPoint's default, 80 %

P_NS = "http://schemas.openxmlformats.org/presentationml/2006/main"

# The slide timing PowerPoint writes for a video whose playback is set to "Start: Automatically"
# (ECMA-376 Part 1, 19.5: the main sequence, started on the slide's begin, holds one "after previous"
# media-call effect whose command is playFrom(0.0) on the video shape; the p:video media node beside it
# binds the shape to the timeline). The command's duration is the clip's length in milliseconds.
AUTOPLAY_TIMING = """\
<p:timing xmlns:p="{ns}"><p:tnLst><p:par>\
<p:cTn id="1" dur="indefinite" restart="never" nodeType="tmRoot"><p:childTnLst>\
<p:seq concurrent="1" nextAc="seek"><p:cTn id="2" dur="indefinite" nodeType="mainSeq"><p:childTnLst>\
<p:par><p:cTn id="3" fill="hold"><p:stCondLst><p:cond delay="indefinite"/>\
<p:cond evt="onBegin" delay="0"><p:tn val="2"/></p:cond></p:stCondLst><p:childTnLst>\
<p:par><p:cTn id="4" fill="hold"><p:stCondLst><p:cond delay="0"/></p:stCondLst><p:childTnLst>\
<p:par><p:cTn id="5" presetID="1" presetClass="mediacall" presetSubtype="0" fill="hold" nodeType="afterEffect">\
<p:stCondLst><p:cond delay="0"/></p:stCondLst><p:childTnLst>\
<p:cmd type="call" cmd="playFrom(0.0)"><p:cBhvr><p:cTn id="6" dur="{ms}" fill="hold"/>\
<p:tgtEl><p:spTgt spid="{spid}"/></p:tgtEl></p:cBhvr></p:cmd>\
</p:childTnLst></p:cTn></p:par>\
</p:childTnLst></p:cTn></p:par>\
</p:childTnLst></p:cTn></p:par>\
</p:childTnLst></p:cTn>\
<p:prevCondLst><p:cond evt="onPrev" delay="0"><p:tgtEl><p:sldTgt/></p:tgtEl></p:cond></p:prevCondLst>\
<p:nextCondLst><p:cond evt="onNext" delay="0"><p:tgtEl><p:sldTgt/></p:tgtEl></p:cond></p:nextCondLst>\
</p:seq>\
<p:video><p:cMediaNode vol="{volume}"><p:cTn id="7" fill="hold" display="0">\
<p:stCondLst><p:cond delay="indefinite"/></p:stCondLst></p:cTn>\
<p:tgtEl><p:spTgt spid="{spid}"/></p:tgtEl></p:cMediaNode></p:video>\
</p:childTnLst></p:cTn></p:par></p:tnLst></p:timing>"""

APP_PROPERTIES = """\
<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties" \
xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes">\
<TotalTime>0</TotalTime><Application>{application}</Application>\
<PresentationFormat>{format}</PresentationFormat><Slides>{slides}</Slides><Notes>{notes}</Notes>\
<HiddenSlides>0</HiddenSlides><MMClips>{clips}</MMClips><ScaleCrop>false</ScaleCrop>\
<LinksUpToDate>false</LinksUpToDate><SharedDoc>false</SharedDoc><HyperlinksChanged>false</HyperlinksChanged>\
</Properties>"""


def write_deck(
    path: Path,
    title: str,
    chapters: Sequence[Chapter],
    description: str | None = None,
    *,
    theme: str = "paper",
    created: dt.datetime | None = None,
) -> None:
    """Write the deck for ``chapters`` (see riskvid.publish.steps.Chapter) to ``path``, atomically.

    ``title`` heads the title slide; it and ``description`` (the config's summary) go into the deck's
    properties. The slides wear ``theme``'s colours (scenes.palette). ``created`` (default now)
    stamps its creation and modification times.
    """
    folder = path.parent
    colours = _colours(theme)
    deck = Presentation()
    deck.slide_width, deck.slide_height = SLIDE_SIZE
    _title_slide(deck, title, chapters, colours)
    clips = 0
    for chapter in chapters:
        for beat in chapter.beats:
            slide = deck.slides.add_slide(deck.slide_layouts[TITLE_ONLY_LAYOUT])
            _background(slide, colours["page"])
            _heading(slide, beat.heading, colours["ink"])
            poster = folder / beat.poster
            left, top, width, height = _fit_below_heading(poster)
            movie = slide.shapes.add_movie(
                str(folder / beat.clip), left, top, width, height, poster_frame_image=str(poster), mime_type="video/mp4"
            )
            autoplay(slide, movie.shape_id, beat.seconds)
            slide.notes_slide.notes_text_frame.text = beat.captions
            clips += 1
    _drop_template_leftovers(deck)
    _set_properties(deck, title, description, created, clips)
    with atomic_path(path) as tmp:
        deck.save(str(tmp))


def autoplay(slide: Slide, shape_id: int, seconds: float) -> None:
    """Make the video shape ``shape_id`` on ``slide`` play from its start as soon as the slide opens.

    Replaces the slide's timing tree (python-pptx writes one that only plays the clip when clicked).
    """
    sld = slide.element
    timing = parse_xml(
        AUTOPLAY_TIMING.format(ns=P_NS, spid=int(shape_id), ms=max(1, round(seconds * 1000)), volume=VOLUME)
    )
    old = sld.find(qn("p:timing"))
    if old is not None:
        old.addprevious(timing)
        sld.remove(old)
    else:  # p:timing follows p:cSld, p:clrMapOvr and p:transition, and precedes p:extLst
        anchors = [sld.find(qn(tag)) for tag in ("p:transition", "p:clrMapOvr", "p:cSld")]
        next(anchor for anchor in anchors if anchor is not None).addnext(timing)


def _colours(theme: str) -> dict[str, RGBColor]:
    """The theme's colours (scenes.palette, the video's one source) for the deck."""
    from scenes.palette import colours

    # python-pptx leaves RGBColor.from_string unannotated (it returns an RGBColor)
    return {name: RGBColor.from_string(value.lstrip("#")) for name, value in colours(theme).items()}  # type: ignore[no-untyped-call]


def _background(slide: Slide, colour: RGBColor) -> None:
    fill = slide.background.fill
    fill.solid()
    fill.fore_color.rgb = colour


def _title_slide(deck: Deck, title: str, chapters: Sequence[Chapter], colours: dict[str, RGBColor]) -> None:
    slide = deck.slides.add_slide(deck.slide_layouts[TITLE_LAYOUT])
    _background(slide, colours["page"])
    width = deck.slide_width - 2 * MARGIN
    heading, subtitle = _title_of(slide), slide.placeholders[1]
    heading.left, heading.top, heading.width, heading.height = MARGIN, Inches(2.2), width, Inches(1.6)
    heading.text = title
    subtitle.left, subtitle.top, subtitle.width, subtitle.height = MARGIN, Inches(4.0), width, Inches(1.0)
    beats = sum(len(chapter.beats) for chapter in chapters)
    subtitle.text = f"{len(chapters)} chapters · {beats} clips, one per step"
    _style(heading, Pt(40), colours["ink"])
    _style(subtitle, Pt(20), colours["red"])


def _title_of(slide: Slide) -> Shape:
    """The slide's title placeholder (the title and title-only layouts always have one)."""
    title = slide.shapes.title
    if title is None:
        raise ValueError("the slide's layout has no title placeholder")
    return title


def _heading(slide: Slide, text: str, colour: RGBColor) -> None:
    heading = _title_of(slide)
    heading.left, heading.top = MARGIN, Inches(0.2)
    heading.width, heading.height = Emu(SLIDE_SIZE[0] - 2 * MARGIN), HEADING_HEIGHT
    heading.text = text
    _style(heading, Pt(22), colour)


def _style(shape: Shape, size: Length, colour: RGBColor) -> None:
    for paragraph in shape.text_frame.paragraphs:
        for run in paragraph.runs:
            run.font.size, run.font.color.rgb = size, colour


def _fit_below_heading(poster: Path) -> tuple[Emu, Emu, Emu, Emu]:
    """(left, top, width, height) of the largest box with the poster's aspect under the heading, centred."""
    with Image.open(poster) as image:
        aspect = image.width / image.height
    top = Inches(0.2) + HEADING_HEIGHT + Inches(0.2)
    box_width, box_height = SLIDE_SIZE[0] - 2 * MARGIN, SLIDE_SIZE[1] - top - MARGIN
    width = min(box_width, int(box_height * aspect))
    height = int(width / aspect)
    return Emu((SLIDE_SIZE[0] - width) // 2), Emu(top), Emu(width), Emu(height)


def _drop_template_leftovers(deck: Deck) -> None:
    """Remove what python-pptx's template carries but the deck does not use; fit its master to 16:9.

    Gone: the nine slide layouts no slide uses (they fill PowerPoint's New Slide menu), the template's
    blank 4:3 thumbnail and its Mac printer settings. The master and the two layouts kept are laid out
    for a 10-inch-wide slide: their placeholders are stretched to the 16:9 width, as PowerPoint does
    when the slide size changes.
    """
    for layout in list(deck.slide_layouts):
        if not layout.used_by_slides:
            deck.slide_layouts.remove(layout)
    package = deck.part.package
    for rel in [rel for rel in package.iter_rels() if rel.reltype == RT.THUMBNAIL]:
        package.drop_rel(rel.rId)
    for rId, rel in list(deck.part.rels.items()):
        if rel.reltype == RT.PRINTER_SETTINGS:
            deck.part.drop_rel(rId)
    deck.element.sldSz.set("type", SLIDE_SIZE_TYPE)
    scale = SLIDE_SIZE[0] / TEMPLATE_WIDTH
    for master in deck.slide_masters:
        for element in (master.element, *(layout.element for layout in master.slide_layouts)):
            for xfrm in element.iter(qn("a:xfrm")):
                for child, attribute in ((xfrm.find(qn("a:off")), "x"), (xfrm.find(qn("a:ext")), "cx")):
                    if child is not None and child.get(attribute) is not None:
                        child.set(attribute, str(round(int(child.get(attribute)) * scale)))


def _short(text: str, limit: int = 255) -> str:
    """``text`` cut to the core properties' limit of 255 characters, at a word, with an ellipsis.

    >>> _short("one two three", 9)
    'one two…'
    """
    if len(text) <= limit:
        return text
    return text[: limit - 1].rsplit(" ", 1)[0].rstrip(" ,;:") + "…"


def _set_properties(deck: Deck, title: str, description: str | None, created: dt.datetime | None, clips: int) -> None:
    """The core properties (title, subject, author, times) and the app properties (16:9, counts)."""
    when = (created or dt.datetime.now(dt.UTC)).astimezone(dt.UTC)
    when = when.replace(tzinfo=None, microsecond=0)
    properties = deck.core_properties
    properties.title = _short(title)
    properties.subject = properties.comments = _short(description or "")  # python-pptx takes 255 at most
    properties.author = properties.last_modified_by = AUTHOR
    properties.keywords = properties.category = ""
    properties.revision = 1
    properties.created = properties.modified = when
    notes = sum(1 for slide in deck.slides if slide.has_notes_slide)
    app = deck.part.package.part_related_by(RT.EXTENDED_PROPERTIES)
    app.blob = APP_PROPERTIES.format(
        application=escape(AUTHOR),
        format=escape(PRESENTATION_FORMAT),
        slides=len(deck.slides),
        notes=notes,
        clips=clips,
    ).encode("utf-8")

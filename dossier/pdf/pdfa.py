"""PDF/A-2b output (``BuildOptions.pdfa``): what the dossier adds, and what exhibits need.

The dossier's own pages already embed every font and draw in RGB or grey.
For PDF/A-2b the document gets an sRGB output intent, XMP metadata that
says PDF/A-2B and repeats the document information, annotations that
print, and no embedded file (the manifest is then written beside the PDF
only). Imported PDF exhibits are the evidence: what can be made to conform
without changing what prints is fixed in place (``repair_page``); a page
that cannot (fonts not embedded, CMYK colours, features PDF/A forbids) is
printed as an image of itself, with its text kept invisible over it and a
note above it (``plan_rasters``, ``draw_rasters``). The written file is
then checked (``dossier.pdf.pdfa_check``) before it is published.
"""

from __future__ import annotations

import ctypes
import dataclasses
import functools
import html
import io
import re
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path

from pypdf import PageObject, PdfReader, PdfWriter
from pypdf.generic import (
    ArrayObject,
    BooleanObject,
    DecodedStreamObject,
    DictionaryObject,
    IndirectObject,
    NameObject,
    NumberObject,
    StreamObject,
    TextStringObject,
)

from dossier.layout.style import Strings
from dossier.model import Exhibit, Kind, OcrText, OcrWord, PdfContent
from dossier.pdf.pdfa_check import (
    COLOURS,
    FEATURES,
    FONTS,
    HIDDEN,
    INVISIBLE,
    NO_VIEW,
    PRINT,
    TOGGLE_NO_VIEW,
    Problem,
    page_problems,
    xmp_date,
)

# The output intent's condition, as registered by the ICC.
OUTPUT_CONDITION = "sRGB IEC61966-2.1"
# Exhibit pages printed as images: fine enough that 7-point text stays legible on paper.
RASTER_DPI = 200
RASTER_QUALITY = 85
# The note above a page printed as an image: its size and margin (points).
NOTE_SIZE = 9.0
NOTE_MARGIN = 5.0


@functools.cache
def srgb_profile() -> bytes:
    """An sRGB ICC profile made by LittleCMS (through Pillow), with a fixed creation date.

    LittleCMS stamps the profile with the time it is made: the date is set
    to a fixed one so that two builds give the same bytes. No third-party
    profile file is shipped.
    """
    from PIL import ImageCms

    profile = bytearray(ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes())
    # Header bytes 24-35: the creation date as six big-endian 16-bit numbers (ICC.1, 7.2.1).
    stamp = (2026, 1, 1, 0, 0, 0)
    profile[24:36] = b"".join(value.to_bytes(2, "big") for value in stamp)
    return bytes(profile)


def make_pdfa(writer: PdfWriter) -> None:
    """Make the document PDF/A-2b: output intent, XMP metadata, printed annotations.

    Call it last, once the document information (title, dates) is final.
    """
    root = writer.root_object
    profile = DecodedStreamObject()
    profile.set_data(srgb_profile())
    profile[NameObject("/N")] = NumberObject(3)
    intent = DictionaryObject(
        {
            NameObject("/Type"): NameObject("/OutputIntent"),
            NameObject("/S"): NameObject("/GTS_PDFA1"),
            NameObject("/OutputConditionIdentifier"): TextStringObject(OUTPUT_CONDITION),
            NameObject("/Info"): TextStringObject(OUTPUT_CONDITION),
            NameObject("/DestOutputProfile"): writer._add_object(profile.flate_encode()),
        }
    )
    root[NameObject("/OutputIntents")] = ArrayObject([writer._add_object(intent)])
    # XML cannot hold control characters (a name pasted from a word processor may
    # carry one): the document information and the XMP both get a space instead.
    info: Mapping[str, object] = writer.metadata or {}
    cleaned = {
        key: _NOT_XML.sub(" ", str(value))
        for key, value in info.items()
        if isinstance(value, str) and _NOT_XML.search(value)
    }
    if cleaned:
        writer.add_metadata(cleaned)
    metadata = DecodedStreamObject()
    metadata.set_data(xmp_packet(writer.metadata or {}))
    metadata[NameObject("/Type")] = NameObject("/Metadata")
    metadata[NameObject("/Subtype")] = NameObject("/XML")
    root[NameObject("/Metadata")] = writer._add_object(metadata)
    for page in writer.pages:
        for annotation in _array(page.get("/Annots")):
            resolved = annotation.get_object()
            if isinstance(resolved, DictionaryObject):
                _print_flag(resolved)


# What XML 1.0 cannot hold: control characters but tab and line ends, surrogates, U+FFFE/F.
_NOT_XML = re.compile("[^\t\n\r\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def xmp_packet(info: Mapping[str, object]) -> bytes:
    """The XMP metadata of a PDF/A-2B file, saying what the document information says."""

    def text(key: str) -> str | None:
        value = info.get(key)
        return html.escape(str(value), quote=False) if value is not None else None

    properties = []
    if (title := text("/Title")) is not None:
        properties.append(
            f'<dc:title><rdf:Alt><rdf:li xml:lang="x-default">{title}</rdf:li></rdf:Alt></dc:title>'
        )
    if (author := text("/Author")) is not None:
        properties.append(f"<dc:creator><rdf:Seq><rdf:li>{author}</rdf:li></rdf:Seq></dc:creator>")
    if (subject := text("/Subject")) is not None:
        properties.append(
            "<dc:description><rdf:Alt>"
            f'<rdf:li xml:lang="x-default">{subject}</rdf:li>'
            "</rdf:Alt></dc:description>"
        )
    simple = {
        "/Creator": "xmp:CreatorTool",
        "/Producer": "pdf:Producer",
        "/Keywords": "pdf:Keywords",
    }
    for key, name in simple.items():
        if (value := text(key)) is not None:
            properties.append(f"<{name}>{value}</{name}>")
    for key, name in (("/CreationDate", "xmp:CreateDate"), ("/ModDate", "xmp:ModifyDate")):
        if (value := text(key)) is not None:
            properties.append(f"<{name}>{xmp_date(value)}</{name}>")
    body = "\n   ".join(properties)
    packet = f"""<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>
<x:xmpmeta xmlns:x="adobe:ns:meta/">
 <rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
  <rdf:Description rdf:about=""
    xmlns:dc="http://purl.org/dc/elements/1.1/"
    xmlns:xmp="http://ns.adobe.com/xap/1.0/"
    xmlns:pdf="http://ns.adobe.com/pdf/1.3/"
    xmlns:pdfaid="http://www.aiim.org/pdfa/ns/id/">
   <pdfaid:part>2</pdfaid:part>
   <pdfaid:conformance>B</pdfaid:conformance>
   {body}
  </rdf:Description>
 </rdf:RDF>
</x:xmpmeta>
<?xpacket end="w"?>"""
    return packet.encode("utf-8")


def _print_flag(annotation: DictionaryObject) -> None:
    """Mark an annotation to be printed and shown (links the dossier adds have no flags)."""
    if annotation.get("/Subtype") == "/Popup":
        return
    flags = int(annotation.get("/F", 0))
    flags = (flags | PRINT) & ~(INVISIBLE | HIDDEN | NO_VIEW | TOGGLE_NO_VIEW)
    annotation[NameObject("/F")] = NumberObject(flags)


def repair_page(page: PageObject) -> None:
    """Fix in place what keeps an exhibit's page from PDF/A-2b without changing what prints.

    Annotations that never print (hidden, or without the print flag) and
    pop-ups are dropped; links are marked to print (they draw nothing);
    appearances keep only the normal one (what prints). Images lose their
    interpolation hint and their alternates (the image itself prints);
    graphics states lose transfer functions and halftone phases, which only
    adjust a device. Forms have been drawn into the page beforehand.
    """
    kept = ArrayObject()
    for reference in _array(page.get("/Annots")):
        annotation = reference.get_object()
        if not isinstance(annotation, DictionaryObject):
            continue
        subtype = annotation.get("/Subtype")
        flags = int(annotation.get("/F", 0))
        if subtype == "/Link":
            _print_flag(annotation)
        elif subtype == "/Popup" or not flags & PRINT or flags & (HIDDEN | INVISIBLE):
            continue
        if "/Popup" in annotation:
            del annotation[NameObject("/Popup")]
        appearances = annotation.get("/AP")
        appearances = appearances.get_object() if appearances is not None else None
        if isinstance(appearances, DictionaryObject) and "/N" in appearances:
            for key in list(appearances):
                if key != "/N":
                    del appearances[key]
        kept.append(reference)
    if "/Annots" in page:
        page[NameObject("/Annots")] = kept
    if "/Metadata" in page:  # metadata about the page prints nothing, and may not be XMP
        del page[NameObject("/Metadata")]
    _repair_resources(page.get("/Resources"), set(), 0)


def _repair_resources(value: object, seen: set[int], depth: int) -> None:
    resources = value.get_object() if isinstance(value, IndirectObject) else value
    if depth > 24 or not isinstance(resources, DictionaryObject) or id(resources) in seen:
        return
    seen.add(id(resources))
    states = resources.get("/ExtGState")
    states = states.get_object() if states is not None else None
    for state in states.values() if isinstance(states, DictionaryObject) else ():
        state = state.get_object()
        if isinstance(state, DictionaryObject):
            for key in ("/TR", "/HTP"):
                if key in state:
                    del state[NameObject(key)]
            if "/TR2" in state:
                state[NameObject("/TR2")] = NameObject("/Default")
    xobjects = resources.get("/XObject")
    xobjects = xobjects.get_object() if xobjects is not None else None
    for xobject in xobjects.values() if isinstance(xobjects, DictionaryObject) else ():
        xobject = xobject.get_object()
        if not isinstance(xobject, StreamObject) or id(xobject) in seen:
            continue
        seen.add(id(xobject))
        if xobject.get("/Subtype") == "/Image":
            if "/Interpolate" in xobject:
                xobject[NameObject("/Interpolate")] = BooleanObject(False)
            if "/Alternates" in xobject:
                del xobject[NameObject("/Alternates")]
        elif xobject.get("/Subtype") == "/Form":
            _repair_resources(xobject.get("/Resources"), seen, depth + 1)


@dataclasses.dataclass(frozen=True, slots=True)
class Raster:
    """The pages of a PDF exhibit printed as images for PDF/A, and why."""

    # 0-based indices in the exhibit's own file.
    pages: tuple[int, ...]
    # FONTS, COLOURS or FEATURES: the first reason found, which the note gives.
    reason: str


def plan_rasters(exhibits: Iterable[Exhibit]) -> dict[str, Raster]:
    """Which pages of which PDF exhibits cannot conform as they are, by relative path.

    Each exhibit is imported into a scratch document as the dossier imports
    it (actions removed, forms flattened, pages repaired; not yet fitted
    into the page, which changes no colour, font or feature), and each
    page is then checked (``pdfa_check.page_problems``) against the sRGB
    output intent the dossier gets.
    """
    from dossier.layout.style import page_style
    from dossier.pdf.assemble import import_pdf_pages
    from dossier.readers.pdf import open_pdf

    found: dict[str, Raster] = {}
    for exhibit in exhibits:
        content = exhibit.content
        if exhibit.kind is not Kind.PDF or not isinstance(content, PdfContent):
            continue
        source = exhibit.source
        if source.relpath in found:
            continue
        reader = open_pdf(source.path, source.relpath, exhibit.settings.password)
        scratch = PdfWriter()
        import_pdf_pages(
            scratch,
            reader,
            page_style(),
            content.left_out,
            flatten_forms=True,
            repair=repair_page,
            fit=False,
        )
        kept = [index for index in range(len(reader.pages)) if index not in content.left_out]
        pages: list[int] = []
        problems: list[Problem] = []
        for index, page in zip(kept, scratch.pages, strict=True):
            here = [p for p in page_problems(page) if p.kind in (FONTS, COLOURS, FEATURES)]
            if here:
                pages.append(index)
                problems += [p for p in here if p not in problems]
        if pages:
            reason = next(kind for kind in (FONTS, COLOURS, FEATURES) if _has(problems, kind))
            found[source.relpath] = Raster(tuple(pages), reason)
    return found


def _has(problems: Sequence[Problem], kind: str) -> bool:
    return any(problem.kind == kind for problem in problems)


def raster_note(raster: Raster, words: Strings) -> str:
    """The note above a page printed as an image, in the dossier's language."""
    return words[f"pdfa.{raster.reason}"]


def draw_rasters(
    source: Path, password: str | None, raster: Raster, note: str, out: Path
) -> PdfReader:
    """Print the pages of ``raster`` as images into ``out``, in order; the file read back.

    Each page is rendered with PDFium (with its form fields and annotations
    as they print), at ``RASTER_DPI``, as a JPEG; its text is written
    invisibly at the place of each word, so that it can still be searched
    and copied, and ``note`` is printed in a band above it.
    """
    import pypdfium2 as pdfium
    from reportlab.lib.utils import ImageReader, simpleSplit
    from reportlab.pdfgen.canvas import Canvas

    from dossier.layout.fonts import REGULAR, register_fonts
    from dossier.pdf.textlayer import draw_text_layer

    register_fonts()
    initial: dict[str, object] = {"initialFontName": REGULAR}
    canvas = Canvas(str(out), invariant=True, **initial)  # type: ignore[arg-type]
    document = pdfium.PdfDocument(source, password=password)
    try:
        document.init_forms()
        for index in raster.pages:
            page = document[index]
            scale = RASTER_DPI / 72
            image = page.render(scale=scale, may_draw_forms=True).to_pil().convert("RGB")
            width, height = image.width / scale, image.height / scale
            picture = io.BytesIO()
            image.save(picture, "JPEG", quality=RASTER_QUALITY, optimize=True)
            # The note in lines as wide as the page, in a band of its own above it.
            lines = simpleSplit(note, REGULAR, NOTE_SIZE, width - 2 * NOTE_MARGIN)
            band = len(lines) * NOTE_SIZE * 1.25 + 2 * NOTE_MARGIN
            canvas.setPageSize((width, height + band))
            canvas.drawImage(ImageReader(picture), 0, 0, width, height)
            canvas.setFillColorRGB(0.25, 0.25, 0.25)
            canvas.setFont(REGULAR, NOTE_SIZE)
            for number, line in enumerate(lines, 1):
                baseline = height + band - NOTE_MARGIN - number * NOTE_SIZE * 1.25 + 1.5
                canvas.drawString(NOTE_MARGIN, baseline, line)
            # Last, in a state of its own: invisible text leaves its render mode behind.
            canvas.saveState()
            words = _page_words(page, image.width, image.height)
            draw_text_layer(canvas, words, (0, 0, width, height))
            canvas.restoreState()
            canvas.showPage()
            page.close()
    finally:
        document.close()
    canvas.save()
    return PdfReader(out)


def _page_words(page: object, width: int, height: int) -> OcrText:
    """The words of a page as PDFium reads them, in the pixels of its rendering (top left)."""
    import pypdfium2 as pdfium
    import pypdfium2.raw as raw

    assert isinstance(page, pdfium.PdfPage)
    text = page.get_textpage()
    words: list[OcrWord] = []
    current: list[str] = []
    box: list[float] = []
    line = 0

    def to_pixels(x: float, y: float) -> tuple[int, int]:
        device_x, device_y = ctypes.c_int(), ctypes.c_int()
        raw.FPDF_PageToDevice(page.raw, 0, 0, width, height, 0, x, y, device_x, device_y)
        return device_x.value, device_y.value

    def flush() -> None:
        if current and box:
            corners = [to_pixels(box[0], box[1]), to_pixels(box[2], box[3])]
            left, right = sorted(x for x, _ in corners)
            top, bottom = sorted(y for _, y in corners)
            words.append(
                OcrWord(
                    "".join(current),
                    left,
                    top,
                    max(1, right - left),
                    max(1, bottom - top),
                    100.0,
                    (0, line, 0),
                )
            )
        current.clear()
        box.clear()

    try:
        for index in range(text.count_chars()):
            character = text.get_text_range(index, 1)
            if not character or character.isspace():
                flush()
                line += character in "\r\n"
                continue
            left, bottom, right, top = text.get_charbox(index)
            if box:
                box[:] = [
                    min(box[0], left),
                    min(box[1], bottom),
                    max(box[2], right),
                    max(box[3], top),
                ]
            else:
                box[:] = [left, bottom, right, top]
            current.append(character)
        flush()
    finally:
        text.close()
    return OcrText(width, height, tuple(words), "")


def _array(value: object) -> ArrayObject:
    value = value.get_object() if isinstance(value, IndirectObject) else value
    return value if isinstance(value, ArrayObject) else ArrayObject()

"""Check a written PDF against the PDF/A-2b clauses a dossier or an imported exhibit can break.

veraPDF, the reference validator, is not installable from the package
registries this project uses; this is the strongest check available here.
It walks the file with pypdf and checks, clause by clause (ISO 19005-2):

- 6.1.2 the header and its binary comment; 6.1.3 the trailer's /ID, no
  /Encrypt, nothing after the last %%EOF;
- 6.1.7 streams: no LZW or Crypt filter, no external stream (/F, /FFilter);
- 6.2.3 a GTS_PDFA1 output intent with one embedded ICC profile of a
  monitor or printer in RGB, CMYK or grey, version below 5;
- 6.2.4.3 DeviceRGB, DeviceCMYK and DeviceGray used only where the output
  intent allows them (images, colour spaces, shadings, content operators);
- 6.2.5 no transfer function or halftone in a graphics state; 6.2.10 blend modes;
- 6.2.8 and 6.2.9 no image alternates, OPI, interpolation, PostScript or
  reference XObjects;
- 6.2.11.4 every font program embedded (Type 3 fonts draw themselves);
- 6.3 annotations of allowed types, printed, never hidden, with a normal
  appearance only; 6.4 no form actions, no NeedAppearances, no XFA;
- 6.5 no JavaScript, Launch and other forbidden actions, no additional
  actions on the catalogue or a page;
- 6.6 the XMP metadata: PDF/A identification part 2, level B, and the
  document information dictionary saying the same;
- 6.8 no embedded files (PDF/A-2 allows PDF/A ones only: none are written);
- 6.9 optional content configurations named.

What it does not check (veraPDF would): the inside of font programs (every
glyph present, widths matching, TrueType cmap tables), ToUnicode maps, the
.notdef glyph, ICC profiles beyond their header, JPEG 2000 internals,
implementation limits other than q/Q nesting, and digital signatures.
"""

from __future__ import annotations

import dataclasses
import re
import xml.etree.ElementTree as ET
from collections.abc import Iterator, Mapping
from pathlib import Path

from pypdf import PageObject, PdfReader
from pypdf.generic import (
    ArrayObject,
    ContentStream,
    DictionaryObject,
    IndirectObject,
    NameObject,
    PdfObject,
    StreamObject,
)

# What a problem is about: a page can be printed as an image for the first three.
FONTS = "fonts"
COLOURS = "colours"
FEATURES = "features"
DOCUMENT = "document"


@dataclasses.dataclass(frozen=True, slots=True)
class Problem:
    """One clause the file breaks, and where."""

    kind: str  # FONTS, COLOURS, FEATURES or DOCUMENT
    text: str
    # The page (1-based) it is on, when it is on one.
    page: int = 0

    def __str__(self) -> str:
        return self.text


def check_pdfa(path: Path) -> list[Problem]:
    """Every PDF/A-2b problem found in the file at ``path``; empty when none is found.

    Raises:
        OSError: the file cannot be read.
    """
    data = path.read_bytes()
    problems = _check_bytes(data)
    reader = PdfReader(path)
    if reader.is_encrypted or "/Encrypt" in reader.trailer:
        return [*problems, Problem(DOCUMENT, "the file is encrypted (6.1.3)")]
    identity = reader.trailer.get("/ID")
    if not isinstance(identity, ArrayObject) or not identity:
        problems.append(Problem(DOCUMENT, "the trailer has no /ID (6.1.3)"))
    root = _resolved(reader.trailer["/Root"])
    assert isinstance(root, DictionaryObject)
    output = _output_intent(root, problems)
    problems += _metadata_problems(root, reader)
    problems += _catalogue_problems(root)
    problems += _stream_problems(reader)
    for number, page in enumerate(reader.pages, 1):
        problems += [
            dataclasses.replace(p, text=f"page {number}: {p.text}", page=number)
            for p in page_problems(page, output)
        ]
    return problems


def page_problems(page: PageObject, output: str | None = "RGB ") -> list[Problem]:
    """What breaks PDF/A-2b on one page: fonts, colours, forbidden features, annotations.

    Args:
        page: the page, of any document.
        output: the colour space of the output intent's profile ("RGB ",
            "CMYK", "GRAY"), or None without an output intent.
    """
    walk = _Walk(output)
    if "/AA" in page:
        walk.add(FEATURES, "additional actions (/AA) on the page (6.5.2)")
    for key in ("/MediaBox", "/CropBox"):
        box = page.get(key)
        if isinstance(box, ArrayObject) and len(box) == 4:
            width, height = abs(float(box[2]) - float(box[0])), abs(float(box[3]) - float(box[1]))
            if not (3 <= width <= 14400 and 3 <= height <= 14400):
                walk.add(FEATURES, f"{key} outside 3-14400 units (6.1.13)")
    walk.group(page.get("/Group"))
    metadata = _resolved(page.get("/Metadata"))
    if isinstance(metadata, StreamObject) and not _well_formed(metadata):
        walk.add(FEATURES, "page metadata that is not well-formed XML (6.6.2.1)")
    contents = page.get_contents()
    walk.content(contents, _resolved(page.get("/Resources")), page.pdf)
    walk.resources(page.get("/Resources"), page.pdf)
    for annotation in _array(page.get("/Annots")):
        walk.annotation(_resolved(annotation))
    return walk.problems


_ALLOWED_ANNOTATIONS = frozenset(
    [
        "/Text",
        "/Link",
        "/FreeText",
        "/Line",
        "/Square",
        "/Circle",
        "/Polygon",
        "/PolyLine",
        "/Highlight",
        "/Underline",
        "/Squiggly",
        "/StrikeOut",
        "/Stamp",
        "/Caret",
        "/Ink",
        "/Popup",
        "/FileAttachment",
        "/Widget",
        "/PrinterMark",
        "/TrapNet",
        "/Watermark",
        "/Redact",
    ]
)
_ALLOWED_ACTIONS = frozenset(["/GoTo", "/GoToR", "/GoToE", "/Thread", "/URI", "/SubmitForm"])
_ALLOWED_NAMED = frozenset(["/NextPage", "/PrevPage", "/FirstPage", "/LastPage"])
_BLEND_MODES = frozenset(
    [
        "/Normal",
        "/Compatible",
        "/Multiply",
        "/Screen",
        "/Overlay",
        "/Darken",
        "/Lighten",
        "/ColorDodge",
        "/ColorBurn",
        "/HardLight",
        "/SoftLight",
        "/Difference",
        "/Exclusion",
        "/Hue",
        "/Saturation",
        "/Color",
        "/Luminosity",
    ]
)
_FORBIDDEN_FILTERS = frozenset(["/LZWDecode", "/LZW"])
# Annotation flags (ISO 32000-1, 12.5.3).
INVISIBLE, HIDDEN, PRINT, NO_VIEW, TOGGLE_NO_VIEW = 1, 2, 4, 32, 256
# Deeper than this, resources and forms are not followed (a cycle must not hang the check).
_MAX_DEPTH = 24
# Graphics states saved at once (6.1.13).
_MAX_NESTING = 28
# Operators that may use a colour space the output intent does not allow, as
# tokens of a content stream: a stream with none of them is passed on its bytes
# alone (parsing is slow); a match, even one inside a string, is parsed.
_TOKEN = rb"(?<![^\s\]\)>/])(?:{})(?![^\s\[\(</%])"
_CMYK_OPERATORS = re.compile(
    _TOKEN.replace(b"{}", b"k|K|BI") + rb"|/(?:DeviceCMYK|CMYK)\s*(?:cs|CS)\b"
)
_COLOUR_OPERATORS = re.compile(
    _TOKEN.replace(b"{}", b"k|K|BI|rg|RG") + rb"|/(?:Device\w+|RGB|CMYK|G)\s*(?:cs|CS)\b"
)
_SAVE_RESTORE = re.compile(_TOKEN.replace(b"{}", b"q|Q"))
_DEVICE_SPACES = {
    "/DeviceRGB": "RGB ",
    "/RGB": "RGB ",
    "/DeviceCMYK": "CMYK",
    "/CMYK": "CMYK",
    "/DeviceGray": "GRAY",
    "/G": "GRAY",
}


class _Walk:
    """One page's resources, forms, annotations and content, each object visited once."""

    def __init__(self, output: str | None) -> None:
        self.output = output
        self.problems: list[Problem] = []
        self.seen: set[int] = set()
        self.defaults: set[str] = set()  # DefaultRGB, DefaultCMYK, DefaultGray in scope

    def add(self, kind: str, text: str) -> None:
        problem = Problem(kind, text)
        if problem not in self.problems:
            self.problems.append(problem)

    def first_visit(self, value: PdfObject | None) -> bool:
        if isinstance(value, IndirectObject):
            key = value.idnum
        elif value is not None:
            key = id(value)
        else:
            return False
        if key in self.seen:
            return False
        self.seen.add(key)
        return True

    def device(self, space: str, where: str) -> None:
        """A device colour space used: allowed only as the output intent (or a default) says."""
        family = _DEVICE_SPACES.get(space)
        if family is None:
            return
        default = {"RGB ": "/DefaultRGB", "CMYK": "/DefaultCMYK", "GRAY": "/DefaultGray"}[family]
        if default in self.defaults:
            return
        if self.output is None:
            self.add(COLOURS, f"{space[1:]} {where} without a PDF/A output intent (6.2.4.3)")
        elif family != "GRAY" and family != self.output:
            self.add(
                COLOURS,
                f"{space[1:]} {where} with an {self.output.strip()} output intent (6.2.4.3)",
            )

    def colour_space(self, value: PdfObject | None, where: str, depth: int = 0) -> None:
        space = _resolved(value)
        if depth > 4 or space is None:
            return
        if isinstance(space, NameObject):
            self.device(str(space), where)
            return
        if not isinstance(space, ArrayObject) or not space:
            return
        family = str(_resolved(space[0]))
        if family == "/Indexed" and len(space) > 1:
            self.colour_space(space[1], where, depth + 1)
        elif family in ("/Separation", "/DeviceN") and len(space) > 2:
            self.colour_space(space[2], where, depth + 1)
            if family == "/DeviceN" and len(_array(space[1])) > 32:
                self.add(FEATURES, "a DeviceN colour space of more than 32 colourants (6.1.13)")
        elif family == "/Pattern" and len(space) > 1:
            self.colour_space(space[1], where, depth + 1)

    def group(self, value: PdfObject | None) -> None:
        """A transparency group's blending colour space is a colour space like any other."""
        group = _resolved(value)
        if isinstance(group, DictionaryObject) and group.get("/S") == "/Transparency":
            self.colour_space(group.get("/CS"), "transparency group")

    def resources(self, value: PdfObject | None, pdf: object, depth: int = 0) -> None:
        resources = _resolved(value)
        if depth > _MAX_DEPTH or not isinstance(resources, DictionaryObject):
            return
        if not self.first_visit(value if isinstance(value, IndirectObject) else resources):
            return
        spaces = _resolved(resources.get("/ColorSpace"))
        if isinstance(spaces, DictionaryObject):
            self.defaults |= {
                str(k) for k in spaces if k in ("/DefaultRGB", "/DefaultCMYK", "/DefaultGray")
            }
            for name, space in spaces.items():
                if name not in ("/DefaultRGB", "/DefaultCMYK", "/DefaultGray"):
                    self.colour_space(space, "colour space")
        for font in _values(resources.get("/Font")):
            self.font(font, pdf, depth)
        for state in _values(resources.get("/ExtGState")):
            self.graphics_state(state, pdf, depth)
        for value in _values(resources.get("/Shading")):
            shading = _resolved(value)
            if isinstance(shading, DictionaryObject):
                self.colour_space(shading.get("/ColorSpace"), "shading")
        for pattern in _values(resources.get("/Pattern")):
            resolved = _resolved(pattern)
            if not isinstance(resolved, DictionaryObject) or not self.first_visit(pattern):
                continue
            painted = _resolved(resolved.get("/Shading"))
            if isinstance(painted, DictionaryObject):
                self.colour_space(painted.get("/ColorSpace"), "shading")
            if isinstance(resolved, StreamObject):
                self.content(resolved, _resolved(resolved.get("/Resources")), pdf, depth + 1)
                self.resources(resolved.get("/Resources"), pdf, depth + 1)
        for xobject in _values(resources.get("/XObject")):
            self.xobject(xobject, pdf, depth)

    def font(self, value: PdfObject, pdf: object, depth: int) -> None:
        font = _resolved(value)
        if not isinstance(font, DictionaryObject) or not self.first_visit(value):
            return
        subtype = font.get("/Subtype")
        name = str(font.get("/BaseFont", "(no name)")).lstrip("/")
        if subtype == "/Type3":
            resources = font.get("/Resources")
            self.resources(resources, pdf, depth + 1)
            # Each glyph is drawn by a content stream of its own: its colours count too.
            procedures = _resolved(font.get("/CharProcs"))
            for glyph in _values(procedures) if isinstance(procedures, DictionaryObject) else []:
                drawn = _resolved(glyph)
                if isinstance(drawn, StreamObject):
                    self.content(drawn, _resolved(resources), pdf, depth + 1)
            return
        if subtype == "/Type0":
            descendants = _array(font.get("/DescendantFonts"))
            font = _resolved(descendants[0]) if descendants else None
            if not isinstance(font, DictionaryObject):
                self.add(FONTS, f"font {name} has no descendant font (6.2.11.2)")
                return
        descriptor = _resolved(font.get("/FontDescriptor"))
        if not isinstance(descriptor, DictionaryObject) or not any(
            key in descriptor for key in ("/FontFile", "/FontFile2", "/FontFile3")
        ):
            self.add(FONTS, f"font {name} is not embedded (6.2.11.4)")

    def graphics_state(self, value: PdfObject, pdf: object, depth: int) -> None:
        state = _resolved(value)
        if not isinstance(state, DictionaryObject) or not self.first_visit(value):
            return
        if "/TR" in state:
            self.add(FEATURES, "a transfer function (/TR) in a graphics state (6.2.5)")
        if "/TR2" in state and str(state["/TR2"]) != "/Default":
            self.add(FEATURES, "a transfer function (/TR2) in a graphics state (6.2.5)")
        if "/HTP" in state:
            self.add(FEATURES, "a halftone phase (/HTP) in a graphics state (6.2.5)")
        halftone = _resolved(state.get("/HT"))
        if isinstance(halftone, DictionaryObject) and (
            halftone.get("/HalftoneType") not in (1, 5) or "/HalftoneName" in halftone
        ):
            self.add(FEATURES, "a halftone of a type PDF/A does not allow (6.2.5)")
        blend = state.get("/BM")
        modes = list(blend) if isinstance(blend, ArrayObject) else [blend]
        if blend is not None and any(str(mode) not in _BLEND_MODES for mode in modes):
            self.add(FEATURES, f"a blend mode not in ISO 32000-1 ({blend}) (6.2.10)")
        mask = _resolved(state.get("/SMask"))
        if isinstance(mask, DictionaryObject):
            self.xobject(mask.get("/G"), pdf, depth + 1)

    def xobject(self, value: PdfObject | None, pdf: object, depth: int) -> None:
        xobject = _resolved(value)
        if depth > _MAX_DEPTH or not isinstance(xobject, StreamObject):
            return
        if not self.first_visit(value):
            return
        pdf = value.pdf if isinstance(value, IndirectObject) else pdf
        subtype = xobject.get("/Subtype")
        if subtype == "/PS" or "/PS" in xobject or xobject.get("/Subtype2") == "/PS":
            self.add(FEATURES, "a PostScript XObject (6.2.9)")
        if "/OPI" in xobject:
            self.add(FEATURES, "OPI information in an XObject (6.2.8, 6.2.9)")
        if subtype == "/Image":
            if "/Alternates" in xobject:
                self.add(FEATURES, "an image with alternates (6.2.8)")
            if _is_true(xobject.get("/Interpolate")):
                self.add(FEATURES, "an image to be interpolated (6.2.8)")
            if not _is_true(xobject.get("/ImageMask")):
                self.colour_space(xobject.get("/ColorSpace"), "image")
            self.xobject(xobject.get("/SMask"), pdf, depth + 1)
        elif subtype == "/Form":
            if "/Ref" in xobject:
                self.add(FEATURES, "a reference XObject (6.2.9)")
            self.group(xobject.get("/Group"))
            resources = _resolved(xobject.get("/Resources"))
            self.content(xobject, resources, pdf, depth + 1)
            self.resources(xobject.get("/Resources"), pdf, depth + 1)

    def content(
        self, stream: StreamObject | None, resources: object, pdf: object, depth: int = 0
    ) -> None:
        """The operators of a content stream: device colours, inline images, q/Q nesting."""
        if stream is None or depth > _MAX_DEPTH:
            return
        try:
            data = stream.get_data()
        except Exception:
            self.add(FEATURES, "a content stream that cannot be decoded")
            return
        # Parsing is slow: a stream without any operator that matters (and not
        # enough q to nest too deep) is passed on the bytes alone.
        operators = _CMYK_OPERATORS if self.output == "RGB " else _COLOUR_OPERATORS
        if operators.search(data) is None and _deepest(data) <= _MAX_NESTING:
            return
        try:
            operations = ContentStream(stream, pdf).operations
        except Exception:
            self.add(FEATURES, "a content stream that cannot be parsed")
            return
        nesting = 0
        for operands, operator in operations:
            if operator == b"q":
                nesting += 1
                if nesting > _MAX_NESTING:
                    self.add(
                        FEATURES, f"graphics states nested deeper than {_MAX_NESTING} (6.1.13)"
                    )
            elif operator == b"Q":
                nesting = max(0, nesting - 1)
            elif operator in (b"k", b"K"):
                self.device("/DeviceCMYK", "colour")
            elif operator in (b"rg", b"RG"):
                self.device("/DeviceRGB", "colour")
            elif operator in (b"cs", b"CS") and operands:
                self.device(str(operands[0]), "colour")
            elif operator == b"INLINE IMAGE":
                self.inline_image(operands)

    def inline_image(self, operands: object) -> None:
        settings = operands.get("settings") if isinstance(operands, dict) else None
        if not isinstance(settings, DictionaryObject):
            return
        filters = settings.get("/F", settings.get("/Filter"))
        names = list(filters) if isinstance(filters, ArrayObject) else [filters]
        if any(str(name) in _FORBIDDEN_FILTERS for name in names if name is not None):
            self.add(FEATURES, "an inline image compressed with LZW (6.1.10)")
        if _is_true(settings.get("/I", settings.get("/Interpolate"))):
            self.add(FEATURES, "an inline image to be interpolated (6.2.8)")
        space = settings.get("/CS", settings.get("/ColorSpace"))
        if isinstance(space, NameObject):
            self.device(str(space), "inline image")

    def annotation(self, annotation: object) -> None:
        if not isinstance(annotation, DictionaryObject):
            return
        subtype = annotation.get("/Subtype")
        if subtype not in _ALLOWED_ANNOTATIONS:
            self.add(FEATURES, f"a {str(subtype).lstrip('/')} annotation (6.3.1)")
            return
        if subtype == "/FileAttachment":
            self.add(FEATURES, "a file attachment annotation (6.8: an embedded file)")
        flags = annotation.get("/F")
        if subtype != "/Popup" and flags is None:
            self.add(FEATURES, f"a {subtype[1:]} annotation without flags (6.3.2)")
        if flags is not None:
            value = int(flags)
            if not value & PRINT or value & (INVISIBLE | HIDDEN | NO_VIEW | TOGGLE_NO_VIEW):
                self.add(FEATURES, f"a {subtype[1:]} annotation not printed or hidden (6.3.2)")
        self.appearance(annotation, str(subtype))
        if subtype == "/Widget" and ("/A" in annotation or "/AA" in annotation):
            self.add(FEATURES, "a form field with actions (6.4.1)")
        elif "/AA" in annotation:
            self.add(FEATURES, "an annotation with additional actions (6.5.2)")
        self.action(annotation.get("/A"))

    def appearance(self, annotation: DictionaryObject, subtype: str) -> None:
        rect = _array(annotation.get("/Rect"))
        empty = len(rect) == 4 and rect[0] == rect[2] and rect[1] == rect[3]
        appearances = _resolved(annotation.get("/AP"))
        if appearances is None:
            if not empty and subtype not in ("/Popup", "/Link"):
                self.add(FEATURES, f"a {subtype[1:]} annotation without appearance (6.3.3)")
            return
        if not isinstance(appearances, DictionaryObject) or set(appearances) != {"/N"}:
            self.add(
                FEATURES,
                f"a {subtype[1:]} annotation with appearances other than the normal one (6.3.3)",
            )
            return
        normal = _resolved(appearances["/N"])
        field_type = _inherited(annotation, "/FT")
        if subtype == "/Widget" and field_type == "/Btn":
            if isinstance(normal, StreamObject) or not isinstance(normal, DictionaryObject):
                self.add(FEATURES, "a button whose appearance is not one per state (6.3.3)")
                return
            for state in normal.values():
                self.xobject(state, None, 1)
        elif not isinstance(normal, StreamObject):
            self.add(
                FEATURES, f"a {subtype[1:]} annotation whose appearance is not a stream (6.3.3)"
            )
        else:
            self.xobject(appearances["/N"], None, 1)

    def action(self, value: PdfObject | None, depth: int = 0) -> None:
        for action in _actions(value, depth):
            kind = action.get("/S")
            if kind not in _ALLOWED_ACTIONS and kind != "/Named":
                self.add(FEATURES, f"a {str(kind).lstrip('/')} action (6.5.1)")
            elif kind == "/Named" and action.get("/N") not in _ALLOWED_NAMED:
                self.add(FEATURES, f"a named action {action.get('/N')} (6.5.1)")


def _deepest(data: bytes) -> int:
    """How deep q and Q tokens nest in a content stream, from its bytes alone."""
    depth = deepest = 0
    for token in _SAVE_RESTORE.finditer(data):
        depth = depth + 1 if token.group(0) == b"q" else max(0, depth - 1)
        deepest = max(deepest, depth)
    return deepest


def _actions(value: PdfObject | None, depth: int = 0) -> Iterator[DictionaryObject]:
    """An action and those that follow it (/Next)."""
    action = _resolved(value)
    if depth > 32:
        return
    if isinstance(action, ArrayObject):
        for item in action:
            yield from _actions(item, depth + 1)
    elif isinstance(action, DictionaryObject) and "/S" in action:
        yield action
        yield from _actions(action.get("/Next"), depth + 1)


def _check_bytes(data: bytes) -> list[Problem]:
    problems = []
    header = re.match(rb"%PDF-1\.[0-7](\r\n|\r|\n)%(.{4})", data[:32], re.DOTALL)
    if header is None:
        problems.append(Problem(DOCUMENT, "the header is not %PDF-1.n and a line end (6.1.2)"))
    elif any(byte <= 127 for byte in header.group(2)):
        problems.append(Problem(DOCUMENT, "the header has no binary comment (6.1.2)"))
    end = data.rstrip(b"\r\n")
    if not end.endswith(b"%%EOF") or len(data) - len(end) > 2:
        problems.append(Problem(DOCUMENT, "data after the last %%EOF (6.1.3)"))
    return problems


def _output_intent(root: DictionaryObject, problems: list[Problem]) -> str | None:
    """The colour space of the PDF/A output intent's profile, None (a problem) without one."""
    profiles: set[int] = set()
    space = None
    for intent in _array(root.get("/OutputIntents")):
        intent = _resolved(intent)
        if not isinstance(intent, DictionaryObject) or intent.get("/S") != "/GTS_PDFA1":
            continue
        if "/DestOutputProfileRef" in intent:
            problems.append(Problem(DOCUMENT, "an output intent with DestOutputProfileRef (6.2.3)"))
        reference = intent.raw_get("/DestOutputProfile") if "/DestOutputProfile" in intent else None
        profile = _resolved(reference)
        if not isinstance(profile, StreamObject):
            problems.append(Problem(DOCUMENT, "the PDF/A output intent has no ICC profile (6.2.3)"))
            continue
        profiles.add(reference.idnum if isinstance(reference, IndirectObject) else id(profile))
        icc = profile.get_data()
        device_class, colour = icc[12:16], icc[16:20].decode("latin-1")
        version = icc[8] + icc[9] / 256 if len(icc) >= 128 else 99
        components = {"RGB ": 3, "CMYK": 4, "GRAY": 1}.get(colour)
        if device_class not in (b"mntr", b"prtr") or components is None or version >= 5:
            problems.append(
                Problem(
                    DOCUMENT,
                    "the output intent's ICC profile is not a monitor "
                    "or printer profile in RGB, CMYK or grey, version < 5 (6.2.3)",
                )
            )
            continue
        if profile.get("/N") != components:
            problems.append(Problem(DOCUMENT, "the output profile's /N does not match it (6.2.3)"))
        space = colour
    if len(profiles) > 1:
        problems.append(Problem(DOCUMENT, "output intents with different profiles (6.2.3)"))
    if space is None and not profiles:
        problems.append(Problem(DOCUMENT, "no PDF/A output intent (GTS_PDFA1) (6.2.3)"))
    return space


_NAMESPACES = {
    "x": "adobe:ns:meta/",
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "dc": "http://purl.org/dc/elements/1.1/",
    "xmp": "http://ns.adobe.com/xap/1.0/",
    "pdf": "http://ns.adobe.com/pdf/1.3/",
    "pdfaid": "http://www.aiim.org/pdfa/ns/id/",
}


def _metadata_problems(root: DictionaryObject, reader: PdfReader) -> list[Problem]:
    """6.6: an XMP packet that says PDF/A-2B and agrees with the document information."""
    stream = _resolved(root.get("/Metadata"))
    if not isinstance(stream, StreamObject):
        return [Problem(DOCUMENT, "the catalogue has no XMP metadata stream (6.6.2.1)")]
    data = stream.get_data()
    problems = []
    packet = re.search(rb"<\?xpacket begin=[^>]*\?>", data)
    if packet is None:
        problems.append(Problem(DOCUMENT, "the XMP metadata has no packet header (6.6.2.1)"))
    elif b"bytes=" in packet.group(0) or b"encoding=" in packet.group(0):
        problems.append(Problem(DOCUMENT, "the XMP packet header has bytes or encoding (6.6.2.1)"))
    try:
        tree = ET.fromstring(re.sub(rb"<\?xpacket[^>]*\?>", b"", data))
    except ET.ParseError as error:
        return [*problems, Problem(DOCUMENT, f"the XMP metadata is not well-formed ({error})")]
    values = _xmp_values(tree)
    if values.get("pdfaid:part") != "2":
        problems.append(Problem(DOCUMENT, "the XMP metadata does not say pdfaid:part 2 (6.6.4)"))
    if values.get("pdfaid:conformance") not in ("A", "B", "U"):
        problems.append(Problem(DOCUMENT, "the XMP metadata has no pdfaid:conformance (6.6.4)"))
    info: Mapping[str, object] = reader.metadata or {}
    pairs = {
        "/Title": "dc:title",
        "/Author": "dc:creator",
        "/Subject": "dc:description",
        "/Keywords": "pdf:Keywords",
        "/Creator": "xmp:CreatorTool",
        "/Producer": "pdf:Producer",
        "/CreationDate": "xmp:CreateDate",
        "/ModDate": "xmp:ModifyDate",
    }
    for key, name in pairs.items():
        if key not in info:
            continue
        expected = str(info[key])
        if key.endswith("Date"):
            expected = xmp_date(expected)
            found = values.get(name)
            if found is not None and _same_instant(found, expected):
                continue
        elif values.get(name) == expected:
            continue
        problems.append(
            Problem(
                DOCUMENT, f"the document information's {key[1:]} and the XMP {name} differ (6.6.3)"
            )
        )
    return problems


def _xmp_values(tree: ET.Element) -> dict[str, str]:
    """The simple values of an XMP packet by prefixed name (the default item of lists)."""
    found: dict[str, str] = {}
    prefixes = {uri: prefix for prefix, uri in _NAMESPACES.items()}
    description = f"{{{_NAMESPACES['rdf']}}}Description"
    for node in tree.iter(description):
        for attribute, value in node.attrib.items():
            uri, _, local = attribute[1:].partition("}")
            if uri in prefixes:
                found[f"{prefixes[uri]}:{local}"] = value
        for child in node:
            uri, _, local = child.tag[1:].partition("}")
            if uri not in prefixes:
                continue
            items = [item.text or "" for item in child.iter(f"{{{_NAMESPACES['rdf']}}}li")]
            text = items[0] if len(items) == 1 else ", ".join(items) if items else child.text
            found[f"{prefixes[uri]}:{local}"] = (text or "").strip() if not items else text or ""
    return found


def xmp_date(pdf_date: str) -> str:
    """A PDF date (D:YYYYMMDDHHmmSS+HH'mm') as an XMP date (YYYY-MM-DDTHH:mm:SS+HH:mm)."""
    match = re.match(
        r"D:(\d{4})(\d{2})?(\d{2})?(\d{2})?(\d{2})?(\d{2})?(Z|[+-]\d{2}'?\d{2}'?)?", pdf_date
    )
    if match is None:
        return pdf_date
    year, month, day, hour, minute, second, zone = match.groups()
    text = f"{year}-{month or '01'}-{day or '01'}T{hour or '00'}:{minute or '00'}:{second or '00'}"
    if zone is None or zone == "Z":
        return text + "Z" if zone else text
    digits = zone.replace("'", "")
    return f"{text}{digits[:3]}:{digits[3:5]}"


def _same_instant(found: str, expected: str) -> bool:
    normal = {found, expected}
    return len({value.replace("Z", "+00:00") for value in normal}) == 1


def _catalogue_problems(root: DictionaryObject) -> list[Problem]:
    problems = []
    if "/AA" in root:
        problems.append(Problem(DOCUMENT, "additional actions (/AA) on the catalogue (6.5.2)"))
    if "/NeedsRendering" in root:
        problems.append(Problem(DOCUMENT, "NeedsRendering in the catalogue (6.4.2)"))
    names = _resolved(root.get("/Names"))
    if isinstance(names, DictionaryObject):
        if "/EmbeddedFiles" in names:
            problems.append(
                Problem(
                    DOCUMENT,
                    "embedded files (PDF/A-2 allows PDF/A ones only; none may be written) (6.8)",
                )
            )
        if "/JavaScript" in names:
            problems.append(Problem(DOCUMENT, "document JavaScript (6.5.1)"))
    walk = _Walk(None)
    walk.action(root.get("/OpenAction"))
    problems += [dataclasses.replace(p, kind=DOCUMENT) for p in walk.problems]
    form = _resolved(root.get("/AcroForm"))
    if isinstance(form, DictionaryObject):
        if _is_true(form.get("/NeedAppearances")):
            problems.append(
                Problem(
                    DOCUMENT, "the form asks viewers to draw its fields (NeedAppearances) (6.4.1)"
                )
            )
        if "/XFA" in form:
            problems.append(Problem(DOCUMENT, "an XFA form (6.4.2)"))
    permissions = _resolved(root.get("/Perms"))
    if isinstance(permissions, DictionaryObject) and set(permissions) - {"/UR3", "/DocMDP"}:
        problems.append(Problem(DOCUMENT, "permissions other than UR3 and DocMDP (6.1.12)"))
    optional = _resolved(root.get("/OCProperties"))
    if isinstance(optional, DictionaryObject):
        configs = [optional.get("/D"), *_array(optional.get("/Configs"))]
        for config in (_resolved(c) for c in configs):
            if not isinstance(config, DictionaryObject) or "/Name" not in config or "/AS" in config:
                problems.append(
                    Problem(
                        DOCUMENT,
                        "an optional content configuration without a name, or with /AS (6.9)",
                    )
                )
                break
    outline = _resolved(root.get("/Outlines"))
    for item in _outline_items(outline):
        walk = _Walk(None)
        walk.action(item.get("/A"))
        problems += [dataclasses.replace(p, kind=DOCUMENT) for p in walk.problems]
    return problems


def _outline_items(node: object, depth: int = 0) -> Iterator[DictionaryObject]:
    if not isinstance(node, DictionaryObject) or depth > 32:
        return
    child = _resolved(node.get("/First"))
    count = 0
    while isinstance(child, DictionaryObject) and count < 100_000:
        yield child
        yield from _outline_items(child, depth + 1)
        child = _resolved(child.get("/Next"))
        count += 1


def _stream_problems(reader: PdfReader) -> list[Problem]:
    """6.1.7: every stream of the file, referenced or not."""
    problems: list[Problem] = []
    for generation, numbers in reader.xref.items():
        for number in numbers:
            _stream_problem(reader, number, generation, problems)
    for number in reader.xref_objStm:
        _stream_problem(reader, number, 0, problems)
    return problems


def _stream_problem(reader: PdfReader, number: int, generation: int, found: list[Problem]) -> None:
    try:
        value = reader.get_object(IndirectObject(number, generation, reader))
    except Exception:
        return
    if not isinstance(value, StreamObject):
        return
    filters = value.get("/Filter")
    names = list(filters) if isinstance(filters, ArrayObject) else [filters]
    problem = None
    if any(str(name) in _FORBIDDEN_FILTERS for name in names if name is not None):
        problem = "a stream compressed with LZW (6.1.7)"
    elif any(str(name) == "/Crypt" for name in names if name is not None):
        problem = "an encrypted stream (Crypt filter) (6.1.7)"
    elif any(key in value for key in ("/F", "/FFilter", "/FDecodeParms")):
        problem = "a stream whose data is in another file (6.1.7)"
    if problem is not None and Problem(FEATURES, problem) not in found:
        found.append(Problem(FEATURES, problem))


def _resolved(value: object) -> object:
    return value.get_object() if isinstance(value, IndirectObject) else value


def _array(value: object) -> ArrayObject:
    value = _resolved(value)
    return value if isinstance(value, ArrayObject) else ArrayObject()


def _values(value: object) -> list[PdfObject]:
    value = _resolved(value)
    if not isinstance(value, DictionaryObject):
        return []
    return [value.raw_get(key) for key in value]


def _is_true(value: object) -> bool:
    return getattr(_resolved(value), "value", None) is True


def _inherited(field: DictionaryObject, key: str) -> object:
    node: object = field
    for _ in range(32):
        if not isinstance(node, DictionaryObject):
            return None
        if key in node:
            return node[key]
        node = _resolved(node.get("/Parent"))
    return None


def _well_formed(stream: StreamObject) -> bool:
    """Whether a metadata stream's bytes parse as XML."""
    try:
        ET.fromstring(stream.get_data())
    except Exception:  # any parser or decoding failure: not well-formed
        return False
    return True

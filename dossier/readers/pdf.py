"""PDF documents: invoices, delivery notes, exported statements."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from pypdf import PdfReader
from pypdf.errors import FileNotDecryptedError, PdfReadError
from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject, PdfObject

from dossier.errors import FileUnreadable
from dossier.i18n import M_, MN_, Message
from dossier.model import ExhibitSettings, Kind, PdfContent, Reading, SourceFile, Timestamp
from dossier.model import TimestampSource as Src
from dossier.readers.disarm import disarm_page, document_actions, removed_warnings
from dossier.readers.library_warnings import library_warnings
from dossier.readers.recursion import draws_itself

# Resources nest (forms inside forms, appearances of form fields): deeper
# than this is not looked into for fonts.
_MAX_RESOURCE_DEPTH = 8
# A warning names at most this many fonts that are not embedded.
_FONTS_NAMED = 5

# What pypdf raises on damaged files, besides its own PdfReadError: a broken
# object tree surfaces as the Python error of whatever access failed.
_PARSE_ERRORS = (
    PdfReadError,
    OSError,
    ValueError,
    KeyError,
    TypeError,
    AttributeError,
    IndexError,
    RecursionError,
)


def password_advice(relpath: str) -> str:
    """How to give the password of a protected PDF."""
    return f'add password = "..." under [exhibits."{relpath}"] in case.toml'


def open_pdf(path: Path, relpath: str, password: str | None) -> PdfReader:
    """Open a PDF leniently and decrypt it when needed.

    Raises:
        FileUnreadable: the PDF is damaged, or needs a password we do not have.
    """
    try:
        reader = PdfReader(path, strict=False)
        # Many PDFs are "encrypted" with an empty user password only to
        # restrict printing; those open without asking the user.
        if reader.is_encrypted and not reader.decrypt(password or ""):
            if password:
                raise FileUnreadable(
                    "the password in case.toml does not open this PDF",
                    f'check password under [exhibits."{relpath}"]',
                )
            raise FileUnreadable("the PDF is protected by a password", password_advice(relpath))
        return reader
    except FileUnreadable:
        raise
    except FileNotDecryptedError:
        raise FileUnreadable(
            "the PDF is protected by a password", password_advice(relpath)
        ) from None
    except NotImplementedError as error:
        # pypdf's answer to an encryption scheme it does not implement (or a
        # damaged /Encrypt dictionary that names one).
        raise FileUnreadable(
            f"the PDF is encrypted in a way that cannot be read ({error})",
            "open it with the password and print it to a new PDF",
        ) from None
    except _PARSE_ERRORS as error:
        raise _damaged(error) from None


def read_pdf(source: SourceFile, kind: Kind, settings: ExhibitSettings) -> Reading:
    """Check that every page of a PDF can be read, and read its dates.

    Raises:
        FileUnreadable: the PDF is empty, damaged, has no pages or needs a password.
    """
    if source.size == 0:
        raise FileUnreadable("the file is empty (0 bytes)", "download the document again")
    notes: list[str] = []
    with library_warnings(notes, "pypdf"):
        reader = open_pdf(source.path, source.relpath, settings.password)
        try:
            pages = reader.pages
            count = len(pages)
            for page in pages:
                _ = page.mediabox.width, page.get_contents()
        # A stream filter pypdf does not know, e.g. a damaged name.
        except (*_PARSE_ERRORS, NotImplementedError) as error:
            raise _damaged(error) from None
        if count == 0:
            raise FileUnreadable("the PDF has no pages", "download or export the document again")
        left_out = _self_drawing_pages(reader)
        if len(left_out) == count:
            raise FileUnreadable(
                "every page draws itself without end (a form that contains itself): "
                "a viewer would run out of memory",
                "open it and print it to a new PDF, or leave it out",
            )
        stamps, title = _metadata(reader)
        active = _active_content(reader)
        loose_fonts = fonts_not_embedded(reader)
    warnings: tuple[str, ...] = (
        (f"the PDF has defects that were worked around ({notes[0][:80]})",) if notes else ()
    )
    if left_out:
        warnings += (_left_out_text(left_out),)
    if loose_fonts:
        warnings += (_loose_fonts_text(loose_fonts),)
    content = PdfContent(
        page_count=count - len(left_out),
        title=title,
        encrypted=reader.is_encrypted,
        left_out=left_out,
        fonts_not_embedded=loose_fonts,
    )
    return Reading(
        content=content,
        timestamps=tuple(stamps),
        warnings=warnings + removed_warnings(active),
    )


def _self_drawing_pages(reader: PdfReader) -> tuple[int, ...]:
    """The pages (0-based) that draw themselves without end (see ``draws_itself``)."""
    try:
        return tuple(i for i, page in enumerate(reader.pages) if draws_itself(page))
    except (*_PARSE_ERRORS, NotImplementedError) as error:
        raise _damaged(error) from None


def _left_out_text(left_out: tuple[int, ...]) -> str:
    return MN_(
        "page {pages} left out: it draws itself without end (a form that contains itself), "
        "which makes viewers run out of memory",
        "pages {pages} left out: they draw themselves without end (a form that contains "
        "itself), which makes viewers run out of memory",
        len(left_out),
        pages=", ".join(str(index + 1) for index in left_out),
    )


def fonts_not_embedded(reader: PdfReader) -> tuple[str, ...]:
    """The names of the fonts the pages (and their form fields) use without carrying them.

    A viewer or a printer draws such text with a font of its own, whatever it
    has: a print shop may refuse the file. Type 3 fonts are drawn by the PDF
    itself and always count as embedded. A damaged font dictionary is skipped.
    """
    found: dict[str, None] = {}
    seen: set[int] = set()
    try:
        for page in reader.pages:
            _scan_resources(page.get("/Resources"), found, seen, 0)
            for annotation in _resolved(page.get("/Annots")) or ():
                appearances = _resolved(_resolved(annotation).get("/AP"))
                if isinstance(appearances, DictionaryObject):
                    _scan_appearances(appearances, found, seen, 0)
    except (*_PARSE_ERRORS, NotImplementedError):
        pass  # the pages are checked for damage elsewhere; fonts are a courtesy
    return tuple(found)


def _resolved(value: PdfObject | None) -> Any:
    return value.get_object() if isinstance(value, IndirectObject) else value


def _scan_appearances(
    appearances: DictionaryObject, found: dict[str, None], seen: set[int], depth: int
) -> None:
    for key in ("/N", "/R", "/D"):
        entry = _resolved(appearances.get(key))
        if not isinstance(entry, DictionaryObject):
            continue
        if "/Resources" in entry or "/BBox" in entry:
            _scan_resources(entry.get("/Resources"), found, seen, depth + 1)
        else:  # one appearance stream per state of a check box or radio button
            for state in entry.values():
                stream = _resolved(state)
                if isinstance(stream, DictionaryObject):
                    _scan_resources(stream.get("/Resources"), found, seen, depth + 1)


def _scan_resources(
    resources: PdfObject | None, found: dict[str, None], seen: set[int], depth: int
) -> None:
    if isinstance(resources, IndirectObject):
        if resources.idnum in seen:
            return
        seen.add(resources.idnum)
    resources = _resolved(resources)
    if depth > _MAX_RESOURCE_DEPTH or not isinstance(resources, DictionaryObject):
        return
    fonts = _resolved(resources.get("/Font"))
    if isinstance(fonts, DictionaryObject):
        for reference in fonts.values():
            font = _resolved(reference)
            if isinstance(font, DictionaryObject) and not _embedded(font):
                found.setdefault(_font_name(font), None)
    objects = _resolved(resources.get("/XObject"))
    if isinstance(objects, DictionaryObject):
        for reference in objects.values():
            if isinstance(reference, IndirectObject) and reference.idnum in seen:
                continue
            if isinstance(reference, IndirectObject):
                seen.add(reference.idnum)
            form = _resolved(reference)
            if isinstance(form, DictionaryObject) and form.get("/Subtype") == "/Form":
                _scan_resources(form.get("/Resources"), found, seen, depth + 1)


def _embedded(font: DictionaryObject) -> bool:
    if font.get("/Subtype") == "/Type3":
        return True
    if font.get("/Subtype") == "/Type0":
        descendants = _resolved(font.get("/DescendantFonts"))
        if not isinstance(descendants, ArrayObject) or not descendants:
            return False
        font = _resolved(descendants[0])
        if not isinstance(font, DictionaryObject):
            return False
    descriptor = _resolved(font.get("/FontDescriptor"))
    return isinstance(descriptor, DictionaryObject) and any(
        key in descriptor for key in ("/FontFile", "/FontFile2", "/FontFile3")
    )


def _font_name(font: DictionaryObject) -> str:
    name = str(font.get("/BaseFont") or "").lstrip("/")
    # A subset's name starts with six capitals and a plus sign: ABCDEF+Arial.
    if len(name) > 7 and name[6] == "+" and name[:6].isupper():
        name = name[7:]
    return name or "(unnamed)"


def is_loose_fonts_warning(warning: str) -> bool:
    """Whether ``warning`` is the one that says a PDF does not carry its fonts."""
    return isinstance(warning, Message) and warning.template in _LOOSE_FONTS_TEMPLATES


def _loose_fonts_text(fonts: tuple[str, ...]) -> Message:
    named: str = ", ".join(fonts[:_FONTS_NAMED])
    if len(fonts) > _FONTS_NAMED:
        named = M_("{fonts} and {count} more", fonts=named, count=len(fonts) - _FONTS_NAMED)
    return MN_(
        "the PDF uses font it does not carry ({fonts}): it is kept as it is, but a printer "
        "substitutes a font of its own and a print shop may refuse the dossier; if it must be "
        "printed, ask the sender for a PDF with its fonts embedded",
        "the PDF uses fonts it does not carry ({fonts}): it is kept as it is, but a printer "
        "substitutes a font of its own and a print shop may refuse the dossier; if it must be "
        "printed, ask the sender for a PDF with its fonts embedded",
        len(fonts),
        fonts=named,
    )


# Both forms of the warning above, as its messages keep them.
_LOOSE_FONTS_TEMPLATES = frozenset(
    {_loose_fonts_text(("A",)).template, _loose_fonts_text(("A", "B")).template}
)


def _active_content(reader: PdfReader) -> set[str]:
    """What the build removes from the pages (``disarm_page``, here on a copy) and the document."""
    found = document_actions(reader)
    try:
        for page in reader.pages:
            found |= disarm_page(page)
    except (*_PARSE_ERRORS, NotImplementedError):
        pass  # the build meets the same damage and reports it
    return found


def _metadata(reader: PdfReader) -> tuple[list[Timestamp], str | None]:
    stamps: list[Timestamp] = []
    title = None
    # Metadata is optional and often malformed: a bad date is skipped, never fatal.
    try:
        info = reader.metadata
        if info is not None:
            title = str(info.title) if isinstance(info.title, str) and info.title.strip() else None
            created = info.creation_date
            if isinstance(created, dt.datetime):
                stamps.append(Timestamp(created, Src.PDF_METADATA, "CreationDate"))
    except Exception:  # any metadata failure means "no date here"
        pass
    try:
        xmp = reader.xmp_metadata
        created = xmp.xmp_create_date if xmp is not None else None
        if isinstance(created, dt.datetime):
            stamps.append(Timestamp(created, Src.PDF_METADATA, "XMP CreateDate"))
    except Exception:
        pass
    return stamps, title


def _damaged(error: BaseException) -> FileUnreadable:
    detail = str(error).split("\n", 1)[0][:100] or type(error).__name__
    return FileUnreadable(
        f"the PDF is damaged and cannot be read ({detail})",
        "download it again, or open it and print it to a new PDF",
    )

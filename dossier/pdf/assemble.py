"""Put the pages together with pypdf.

Import PDF exhibits, overlay stamps and footers, add index links, the
outline and the document metadata, then write the file atomically.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import io
import itertools
import os
import tempfile
from collections.abc import Callable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from pypdf import PageObject, PdfReader, PdfWriter, Transformation
from pypdf.annotations import Link
from pypdf.generic import (
    ArrayObject,
    BooleanObject,
    ByteStringObject,
    DecodedStreamObject,
    DictionaryObject,
    FloatObject,
    IndirectObject,
    NameObject,
    NumberObject,
    RectangleObject,
    StreamObject,
    TextStringObject,
)

from dossier.errors import OutputError, os_problem
from dossier.i18n import M_
from dossier.layout.front import RowLink
from dossier.layout.style import PageStyle
from dossier.readers.disarm import disarm_page

if TYPE_CHECKING:
    from _typeshed import ReadableBuffer


def import_pdf_pages(
    writer: PdfWriter,
    reader: PdfReader,
    style: PageStyle,
    left_out: Sequence[int] = (),
    *,
    flatten_forms: bool = False,
    replaced: Mapping[int, PageObject] | None = None,
    repair: Callable[[PageObject], None] | None = None,
    fit: bool = True,
) -> int:
    """Append every page of ``reader`` but ``left_out``, upright and scaled into the content box.

    Form fields stay fields, or with ``flatten_forms`` are drawn into the
    page as they print. A page of ``replaced`` (by 0-based index) goes in
    instead of the original one: its picture, for PDF/A. ``repair`` then
    changes each page in place (``dossier.pdf.pdfa.repair_page``).
    Without ``fit``, pages keep their own size and rotation (to be inspected only).

    Returns:
        The number of pages appended.
    """
    x, y, width, height = style.content_box(stamped=True)
    appended = 0
    for index, source in enumerate(reader.pages):
        if index in left_out:
            continue
        appended += 1
        disarm_page(source)
        if replaced and index in replaced:
            source = replaced[index]
        page = writer.add_page(source)
        tops = _keep_fields(writer, reader, source, page)
        if flatten_forms and tops:
            _draw_values(writer, reader, page)
            _flatten_fields(page)
            _drop_from_form(writer, tops)
        if repair is not None:
            repair(page)
        if not fit:
            continue
        _own_contents(page)
        page.transfer_rotation_to_content()
        _fit_into(page, x, y, width, height, style)
    return appended


# Form fields nest (a radio group, "address.street"): deeper than this is not followed.
_MAX_FIELD_DEPTH = 32


def _keep_fields(
    writer: PdfWriter, reader: PdfReader, source: PageObject, page: PageObject
) -> list[IndirectObject]:
    """Keep the form fields of a copied page whole: parent fields, values, the form's resources.

    pypdf copies a page without the /Parent of its annotations, so a field's
    widgets (the buttons of a radio group, say) lose the field that holds
    their name and value, and the file has no form at all. Each widget gets
    its parent chain back, and each top field is listed in the dossier's
    form. A top field named like one already there (two exhibits of the
    same form) is renamed "name (2)": two fields of one name would share
    one value in a viewer.

    Returns:
        The top fields of the page's widgets.
    """
    copied = _array(page.get("/Annots"))
    originals = _array(source.get("/Annots"))
    if not copied or len(copied) != len(originals):
        return []
    tops: list[IndirectObject] = []
    for original, reference in zip(originals, copied, strict=True):
        widget = reference.get_object() if isinstance(reference, IndirectObject) else None
        raw = original.get_object() if isinstance(original, IndirectObject) else None
        if not isinstance(widget, DictionaryObject) or not isinstance(raw, DictionaryObject):
            continue
        if widget.get("/Subtype") != "/Widget":
            continue
        if page.indirect_reference is not None:
            # Its page, even when a field on an earlier page brought it in first.
            widget[NameObject("/P")] = page.indirect_reference
        parent = raw.raw_get("/Parent") if "/Parent" in raw else None
        if isinstance(parent, IndirectObject):
            linked = parent.clone(writer)
            assert isinstance(linked, IndirectObject)
            widget[NameObject("/Parent")] = linked
            top = _top_field(linked)
        elif "/T" in widget and isinstance(reference, IndirectObject):
            top = reference  # a field and its only widget in one dictionary
        else:
            continue
        if top is not None and all(top.idnum != known.idnum for known in tops):
            tops.append(top)
    if tops:
        _add_to_form(writer, reader, tops)
    return tops


def _draw_values(writer: PdfWriter, reader: PdfReader, page: PageObject) -> None:
    """Draw the value of each text field into its appearance, when the form leaves that to viewers.

    A form saved with /NeedAppearances may carry appearances that do not show
    the values (LibreOffice's, filled in by another program): flattened as
    they are, the values would be lost. pypdf draws them anew, in the
    field's own font and size.
    """
    form = reader.root_object.get("/AcroForm")
    form = form.get_object() if form is not None else None
    if not isinstance(form, DictionaryObject) or not _is_true(form.get("/NeedAppearances")):
        return
    values: dict[str, str | list[str] | tuple[str, str, float]] = {}
    for reference in _array(page.get("/Annots")):
        widget = reference.get_object()
        if not isinstance(widget, DictionaryObject) or widget.get("/Subtype") != "/Widget":
            continue
        names: list[str] = []
        field_type, value = None, None
        node: DictionaryObject | None = widget
        for _ in range(_MAX_FIELD_DEPTH):
            if node is None:
                break
            if "/T" in node:
                names.append(str(node["/T"]))
            field_type = field_type or node.get("/FT")
            value = value if value is not None else node.get("/V")
            parent = node.get("/Parent")
            parent = parent.get_object() if parent is not None else None
            node = parent if isinstance(parent, DictionaryObject) else None
        if field_type == "/Tx" and isinstance(value, str) and value:
            values[".".join(reversed(names))] = value
    if values:
        writer.update_page_form_field_values(page, values, auto_regenerate=None)


def _is_true(value: object) -> bool:
    # pypdf's BooleanObject is not a bool, and every instance of it is truthy.
    return isinstance(value, BooleanObject) and value.value is True


def _drop_from_form(writer: PdfWriter, tops: Sequence[IndirectObject]) -> None:
    """Take flattened fields out of the dossier's form; no form is left when it is empty."""
    form = writer.root_object.get("/AcroForm")
    form = form.get_object() if form is not None else None
    if not isinstance(form, DictionaryObject):
        return
    fields = _array(form.get("/Fields"))
    gone = {top.idnum for top in tops}
    kept = ArrayObject(f for f in fields if not (isinstance(f, IndirectObject) and f.idnum in gone))
    if kept:
        form[NameObject("/Fields")] = kept
    else:
        del writer.root_object[NameObject("/AcroForm")]


# Annotation flags (PDF 32000-1, 12.5.3): hidden, and printed.
_HIDDEN, _PRINT = 2, 4


def _flatten_fields(page: PageObject) -> None:
    """Draw each form field's appearance into the page, as a printer would, and drop the field.

    A field marked not to print (or hidden) is dropped without being drawn:
    the page shows what a print of the form shows.
    """
    annotations = _array(page.get("/Annots"))
    if not annotations:
        return
    kept = ArrayObject()
    drawing: list[bytes] = []
    objects = DictionaryObject()
    for reference in annotations:
        widget = reference.get_object() if isinstance(reference, IndirectObject) else reference
        if not isinstance(widget, DictionaryObject) or widget.get("/Subtype") != "/Widget":
            kept.append(reference)
            continue
        flags = int(widget.get("/F", 0))
        appearance = _appearance(widget)
        if appearance is None or flags & _HIDDEN or not flags & _PRINT or "/Rect" not in widget:
            continue
        rect = widget["/Rect"]
        if not isinstance(rect, ArrayObject):
            continue
        name = f"/DossierField{len(objects)}"
        objects[NameObject(name)] = appearance[0]
        matrix = _appearance_matrix(appearance[1], rect)
        drawing.append(f"q {' '.join(f'{v:.5f}' for v in matrix)} cm {name} Do Q\n".encode())
    page[NameObject("/Annots")] = kept
    if not drawing:
        return
    resources = page.get("/Resources")
    resources = resources.get_object() if resources is not None else None
    # A copy: resources may be shared with other pages, which keep theirs.
    own = (
        DictionaryObject(resources)
        if isinstance(resources, DictionaryObject)
        else DictionaryObject()
    )
    known = own.get("/XObject")
    known = known.get_object() if known is not None else None
    merged = DictionaryObject(known) if isinstance(known, DictionaryObject) else DictionaryObject()
    merged.update(objects)
    own[NameObject("/XObject")] = merged
    page[NameObject("/Resources")] = own
    contents = page.get_contents()
    data = contents.get_data() if contents is not None else b""
    stream = DecodedStreamObject()
    stream.set_data(b"q\n" + data + b"\nQ\n" + b"".join(drawing))
    page.replace_contents(stream.flate_encode())


def _appearance(widget: DictionaryObject) -> tuple[IndirectObject, StreamObject] | None:
    """The normal appearance stream of a widget; for a button, the one of its current state."""
    appearances = widget.get("/AP")
    appearances = appearances.get_object() if appearances is not None else None
    if not isinstance(appearances, DictionaryObject) or "/N" not in appearances:
        return None
    normal = appearances.raw_get("/N")
    resolved = normal.get_object() if isinstance(normal, IndirectObject) else normal
    if not isinstance(resolved, StreamObject) and isinstance(resolved, DictionaryObject):
        state = widget.get("/AS")
        if state is None or state not in resolved:
            return None
        normal = resolved.raw_get(state)
        resolved = normal.get_object() if isinstance(normal, IndirectObject) else normal
    if not isinstance(resolved, StreamObject) or not isinstance(normal, IndirectObject):
        return None
    resolved[NameObject("/Type")] = NameObject("/XObject")
    resolved[NameObject("/Subtype")] = NameObject("/Form")
    return normal, resolved


def _appearance_matrix(appearance: StreamObject, rect: ArrayObject) -> tuple[float, ...]:
    """The matrix that maps an appearance's box onto the widget's rectangle (PDF 12.5.5)."""
    x1, y1, x2, y2 = (float(v) for v in rect)
    left, bottom, right, top = min(x1, x2), min(y1, y2), max(x1, x2), max(y1, y2)
    box = [float(v) for v in appearance.get("/BBox", [left, bottom, right, top])]
    a, b, c, d, e, f = (float(v) for v in appearance.get("/Matrix", [1, 0, 0, 1, 0, 0]))
    corners = [(box[0], box[1]), (box[0], box[3]), (box[2], box[1]), (box[2], box[3])]
    moved = [(a * x + c * y + e, b * x + d * y + f) for x, y in corners]
    low_x, high_x = min(x for x, _ in moved), max(x for x, _ in moved)
    low_y, high_y = min(y for _, y in moved), max(y for _, y in moved)
    scale_x = (right - left) / (high_x - low_x) if high_x > low_x else 1.0
    scale_y = (top - bottom) / (high_y - low_y) if high_y > low_y else 1.0
    return (scale_x, 0.0, 0.0, scale_y, left - low_x * scale_x, bottom - low_y * scale_y)


def _array(value: object) -> ArrayObject:
    value = value.get_object() if isinstance(value, IndirectObject) else value
    return value if isinstance(value, ArrayObject) else ArrayObject()


def _top_field(reference: IndirectObject) -> IndirectObject | None:
    for _ in range(_MAX_FIELD_DEPTH):
        node = reference.get_object()
        if not isinstance(node, DictionaryObject):
            return None
        parent = node.raw_get("/Parent") if "/Parent" in node else None
        if not isinstance(parent, IndirectObject):
            return reference
        reference = parent
    return None


def _add_to_form(writer: PdfWriter, reader: PdfReader, tops: Sequence[IndirectObject]) -> None:
    root = writer.root_object
    form = root.get("/AcroForm")
    form = form.get_object() if form is not None else None
    if not isinstance(form, DictionaryObject):
        form = DictionaryObject({NameObject("/Fields"): ArrayObject()})
        root[NameObject("/AcroForm")] = writer._add_object(form)
    fields = form.get("/Fields")
    fields = fields.get_object() if fields is not None else None
    if not isinstance(fields, ArrayObject):
        fields = ArrayObject()
        form[NameObject("/Fields")] = fields
    source = reader.root_object.get("/AcroForm")
    source = source.get_object() if source is not None else None
    if isinstance(source, DictionaryObject):
        _merge_form_settings(writer, form, source)
    names = {_field_name(f) for f in fields}
    listed = {f.idnum for f in fields if isinstance(f, IndirectObject)}
    for top in tops:
        if top.idnum in listed:
            continue
        field = top.get_object()
        name = str(field.get("/T", "")) if isinstance(field, DictionaryObject) else ""
        if name and name in names and isinstance(field, DictionaryObject):
            number = 2
            while f"{name} ({number})" in names:
                number += 1
            name = f"{name} ({number})"
            field[NameObject("/T")] = TextStringObject(name)
        names.add(name)
        listed.add(top.idnum)
        fields.append(top)


def _field_name(reference: object) -> str:
    field = reference.get_object() if isinstance(reference, IndirectObject) else None
    return str(field.get("/T", "")) if isinstance(field, DictionaryObject) else ""


def _merge_form_settings(
    writer: PdfWriter, form: DictionaryObject, source: DictionaryObject
) -> None:
    """The source form's default appearance and fonts, for viewers that redraw a field."""
    if "/DA" in source and "/DA" not in form:
        form[NameObject("/DA")] = source["/DA"].clone(writer)
    if _is_true(source.get("/NeedAppearances")):
        form[NameObject("/NeedAppearances")] = BooleanObject(True)
    resources = source.get("/DR")
    resources = resources.get_object() if resources is not None else None
    fonts = resources.get("/Font") if isinstance(resources, DictionaryObject) else None
    fonts = fonts.get_object() if fonts is not None else None
    if not isinstance(fonts, DictionaryObject):
        return
    own = form.get("/DR")
    own = own.get_object() if own is not None else None
    if not isinstance(own, DictionaryObject):
        own = DictionaryObject()
        form[NameObject("/DR")] = own
    own_fonts = own.get("/Font")
    own_fonts = own_fonts.get_object() if own_fonts is not None else None
    if not isinstance(own_fonts, DictionaryObject):
        own_fonts = DictionaryObject()
        own[NameObject("/Font")] = own_fonts
    for name, font in fonts.items():
        if name not in own_fonts:  # the first form's font of a name wins
            own_fonts[NameObject(name)] = font.clone(writer)


def _own_contents(page: PageObject) -> None:
    """Give the page a content stream of its own.

    Pages of one PDF may share a content stream, and pypdf rewrites a shared
    stream in place: each page's rotation, scaling and overlay would then
    land on every page that shares it.
    """
    contents = page.get_contents()
    if contents is None:
        return
    del page[NameObject("/Contents")]
    page.replace_contents(contents)


def _fit_into(
    page: PageObject, x: float, y: float, width: float, height: float, style: PageStyle
) -> None:
    box = page.cropbox
    left, bottom = float(box.left), float(box.bottom)
    page_w, page_h = float(box.width), float(box.height)
    if page_w <= 0 or page_h <= 0:
        page_w, page_h = float(page.mediabox.width), float(page.mediabox.height)
    # Never enlarge: a small receipt stays at its real size.
    scale = min(width / page_w, height / page_h, 1.0)
    dx = x + (width - page_w * scale) / 2 - left * scale
    dy = y + (height - page_h * scale) - bottom * scale
    # Clip to the visible box first, so nothing outside it spills into the margins.
    clip = f"q {left:.3f} {bottom:.3f} {page_w:.3f} {page_h:.3f} re W n\n".encode()
    contents = page.get_contents()
    data = contents.get_data() if contents is not None else b""
    matrix = Transformation().scale(scale).translate(dx, dy)
    stream = DecodedStreamObject()
    stream.set_data(
        f"q {' '.join(f'{v:.5f}' for v in matrix.ctm)} cm\n".encode() + clip + data + b"\nQ\nQ\n"
    )
    page.replace_contents(stream.flate_encode())
    for reference in page.get("/Annots", []):
        annotation = reference.get_object()
        if "/Rect" in annotation:
            x1, y1, x2, y2 = (float(v) for v in annotation["/Rect"])
            (a1, b1), (a2, b2) = matrix.apply_on((x1, y1)), matrix.apply_on((x2, y2))
            annotation[NameObject("/Rect")] = RectangleObject(
                [min(a1, a2), min(b1, b2), max(a1, a2), max(b1, b2)]
            )
    page.mediabox = RectangleObject([0, 0, style.width, style.height])
    page.cropbox = RectangleObject([0, 0, style.width, style.height])
    for name in ("/TrimBox", "/BleedBox", "/ArtBox"):
        if name in page:
            del page[NameObject(name)]


def draw_over(
    writer: PdfWriter, pages: Sequence[PageObject], overlays: Sequence[PageObject]
) -> None:
    """Draw each overlay page (stamp band, footer) over the page at the same position.

    The overlay goes in as a form XObject, drawn by one more content stream
    after the page's own, which are wrapped in q/Q so that nothing they leave
    in the graphics state moves it. Unlike pypdf's ``merge_page``, nothing
    is parsed or rewritten: an exhibit's content stays byte for byte as it
    was, and a long PDF exhibit costs no more than a short one per page.
    """
    save = writer._add_object(_content_stream(b"q\n"))
    draws: dict[str, IndirectObject] = {}
    for page, overlay in zip(pages, overlays, strict=True):
        resources = page.get("/Resources")
        resources = DictionaryObject(resources.get_object() if resources is not None else {})
        xobjects = resources.get("/XObject")
        xobjects = DictionaryObject(xobjects.get_object() if xobjects is not None else {})
        name = next(f"/Stamp{n}" for n in itertools.count() if f"/Stamp{n}" not in xobjects)
        if name not in draws:
            draws[name] = writer._add_object(_content_stream(f"\nQ\nq {name} Do Q\n".encode()))
        xobjects[NameObject(name)] = writer._add_object(_form_of(writer, overlay))
        # Copies, not edits: pages of one PDF may share their resources.
        resources[NameObject("/XObject")] = xobjects
        page[NameObject("/Resources")] = resources
        contents = page.get("/Contents")
        own = contents.get_object() if contents is not None else ArrayObject()
        streams = list(own) if isinstance(own, ArrayObject) else [contents]
        page[NameObject("/Contents")] = ArrayObject([save, *streams, draws[name]])


def _content_stream(data: bytes) -> DecodedStreamObject:
    stream = DecodedStreamObject()
    stream.set_data(data)
    return stream


def _form_of(writer: PdfWriter, page: PageObject) -> StreamObject:
    """A page of another PDF as a form XObject of ``writer``."""
    contents = page.get_contents()
    form = _content_stream(contents.get_data() if contents is not None else b"")
    form.update(
        {
            NameObject("/Type"): NameObject("/XObject"),
            NameObject("/Subtype"): NameObject("/Form"),
            NameObject("/BBox"): RectangleObject(page.mediabox),
            NameObject("/Resources"): page.get("/Resources", DictionaryObject())
            .get_object()
            .clone(writer),
        }
    )
    return form.flate_encode()


def add_index_links(
    writer: PdfWriter, links: Sequence[RowLink], first_pages: Mapping[int | str, int]
) -> None:
    """Make each index row a link to the first page of its exhibit."""
    for link in links:
        target = first_pages[link.exhibit_number] - 1
        writer.add_annotation(
            page_number=link.page_index,
            annotation=Link(rect=link.rect, target_page_index=target),
        )


def add_outline(writer: PdfWriter, entries: Sequence[tuple[str, int]]) -> None:
    """One bookmark per entry: (title, 0-based page index)."""
    for title, page_index in entries:
        writer.add_outline_item(title=title, page_number=page_index)
    writer.page_mode = "/UseOutlines"


def set_metadata(
    writer: PdfWriter, title: str, subject: str, author: str | None, creator: str
) -> None:
    """Title, subject, author and creator of the document."""
    info = {"/Title": title, "/Subject": subject, "/Creator": creator, "/Producer": creator}
    if author:
        info["/Author"] = author
    writer.add_metadata(info)
    # Viewers then show the title instead of the file name.
    writer.create_viewer_preferences()[NameObject("/DisplayDocTitle")] = BooleanObject(True)


def set_reproducible_identity(writer: PdfWriter, document_id: bytes, date: str) -> None:
    """Give the document a fixed /ID and creation date, so equal inputs give equal bytes.

    Args:
        writer: the document.
        document_id: 16 bytes derived from everything the build depends on.
        date: a PDF date string (``D:YYYYMMDDHHmmSS+00'00'``).
    """
    # Both halves equal: the document was created, never updated.
    writer._ID = ArrayObject([ByteStringObject(document_id), ByteStringObject(document_id)])
    writer.add_metadata({"/CreationDate": date, "/ModDate": date})


def embed_file(writer: PdfWriter, name: str, data: bytes, description: str) -> IndirectObject:
    """Attach ``data`` to the document as an embedded file; returns its file specification.

    The /Params carry the size and MD5 checksum that ISO 32000 defines, so a
    viewer can tell a damaged attachment.
    """
    attachment = writer.add_attachment(name, data)
    filespec = attachment.pdf_object
    filespec[NameObject("/UF")] = TextStringObject(name)
    filespec[NameObject("/Desc")] = TextStringObject(description)
    files = filespec["/EF"].get_object()
    assert isinstance(files, DictionaryObject)
    stream = files["/F"].get_object()
    assert isinstance(stream, DictionaryObject)
    stream[NameObject("/Params")] = DictionaryObject(
        {
            NameObject("/Size"): NumberObject(len(data)),
            # MD5: the checksum ISO 32000 defines for embedded files.
            NameObject("/CheckSum"): ByteStringObject(hashlib.md5(data).digest()),
        }
    )
    reference = filespec.indirect_reference
    assert reference is not None  # add_attachment registers the filespec as an object
    return reference


def add_file_link(
    writer: PdfWriter,
    page_index: int,
    rect: tuple[float, float, float, float],
    filespec: IndirectObject,
    tooltip: str,
    colour: tuple[float, float, float],
) -> None:
    """Make ``rect`` on a page open an embedded file (a FileAttachment annotation).

    Its appearance is a thin underline, so it reads as a link in the stamp
    without covering the text; it is not printed.
    """
    x1, y1, x2, y2 = rect
    width, height = x2 - x1, y2 - y1
    appearance = DecodedStreamObject()
    red, green, blue = colour
    appearance.set_data(
        f"{red:.3f} {green:.3f} {blue:.3f} RG 0.6 w 0 0.6 m {width:.2f} 0.6 l S".encode()
    )
    appearance.update(
        {
            NameObject("/Type"): NameObject("/XObject"),
            NameObject("/Subtype"): NameObject("/Form"),
            NameObject("/BBox"): RectangleObject([0, 0, width, height]),
        }
    )
    annotation = DictionaryObject(
        {
            NameObject("/Type"): NameObject("/Annot"),
            NameObject("/Subtype"): NameObject("/FileAttachment"),
            NameObject("/Rect"): ArrayObject([FloatObject(round(v, 2)) for v in rect]),
            NameObject("/FS"): filespec,
            NameObject("/Contents"): TextStringObject(tooltip),
            NameObject("/Name"): NameObject("/Paperclip"),
            NameObject("/F"): NumberObject(0),
            NameObject("/AP"): DictionaryObject({NameObject("/N"): writer._add_object(appearance)}),
        }
    )
    writer.add_annotation(page_number=page_index, annotation=annotation)


def _current_umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


class Publication:
    """Files written beside their targets that replace them together, or not at all.

    A dossier and its manifest must never disagree: both (and every volume)
    are written and synced under temporary names first; only then does each
    replace its target. A target that cannot be replaced (a folder in its
    place) stops the publication before any file is renamed.
    """

    def __init__(self) -> None:
        self._staged: list[tuple[Path, Path]] = []  # (temporary, target)

    def stage(self, target: Path) -> Path:
        """A new temporary file beside ``target``, to be written and then published.

        Raises:
            OutputError: the folder does not exist or cannot be written.
        """
        folder = target.parent
        if not folder.is_dir():
            raise OutputError(_no_output_folder(folder))
        try:
            handle, name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".part", dir=folder)
        except OSError as error:
            raise OutputError(
                M_(
                    "{folder}: cannot write here ({error}); choose another place with -o",
                    folder=str(folder),
                    error=os_problem(error),
                )
            ) from None
        os.close(handle)
        temporary = Path(name)
        self._staged.append((temporary, target))
        return temporary

    def write(self, target: Path, fill: Callable[[Path], object]) -> Path:
        """Stage a file for ``target`` and let ``fill`` write it; the temporary file's path.

        Raises:
            OutputError: the folder cannot be written, or ``fill`` failed to write.
        """
        temporary = self.stage(target)
        try:
            fill(temporary)
        except OSError as error:
            raise OutputError(
                M_(
                    "{file}: could not be written ({error}); nothing was changed; "
                    "free some space or choose another place with -o",
                    file=str(target),
                    error=os_problem(error),
                )
            ) from None
        return temporary

    def commit(self) -> None:
        """Sync every staged file, then let each replace its target.

        Raises:
            OutputError: a file cannot be synced or a target cannot be replaced;
                every target is then as it was.
        """
        replaced: list[Path] = []
        current = None
        try:
            for temporary, current in self._staged:
                if current.is_dir() and not current.is_symlink():
                    raise OutputError(
                        M_(
                            "{file}: is a folder, where the file should go; nothing was "
                            "changed; move the folder away or choose another place with -o",
                            file=str(current),
                        )
                    )
                with temporary.open("rb+") as written:
                    os.fsync(written.fileno())
                # mkstemp makes the file private (0600); a dossier gets the
                # permissions any new file of the user gets.
                temporary.chmod(0o666 & ~_current_umask())
            for temporary, current in self._staged:
                temporary.replace(current)
                replaced.append(current)
        except OSError as error:
            changed = (
                M_("only {files} replaced", files=", ".join(str(p) for p in replaced))
                if replaced
                else M_("nothing was changed")
            )
            raise OutputError(
                M_(
                    "{file}: could not be written ({error}); {changed}; "
                    "free some space or choose another place with -o",
                    file=str(current),
                    error=os_problem(error),
                    changed=changed,
                )
            ) from None
        finally:
            self.discard()

    def discard(self) -> None:
        """Remove every temporary file not yet published."""
        for temporary, _ in self._staged:
            with contextlib.suppress(FileNotFoundError):
                temporary.unlink()
        self._staged = []


def _no_output_folder(folder: Path) -> str:
    return M_(
        "{folder}: the output folder does not exist; create it or choose another with -o",
        folder=str(folder),
    )


@contextlib.contextmanager
def publishing(target: Path) -> Iterator[Publication]:
    """A publication of files beside ``target``, committed when the block ends without error.

    One build at a time writes into a folder: a second one waits for the
    first to publish, so the PDF and the manifest beside it always come from
    the same build.

    Raises:
        OutputError: the output folder does not exist, or a file cannot be published.
    """
    publication = Publication()
    with _folder_lock(target.parent):
        try:
            yield publication
            publication.commit()
        finally:
            publication.discard()


@contextlib.contextmanager
def _folder_lock(folder: Path) -> Iterator[None]:
    """An exclusive lock on ``folder`` (flock on the folder itself: no lock file to leave)."""
    try:
        import fcntl
    except ImportError:  # Windows: no flock; builds are not serialised there
        yield
        return
    try:
        descriptor = os.open(folder, os.O_RDONLY)
    except OSError:
        raise OutputError(_no_output_folder(folder)) from None
    try:
        fcntl.flock(descriptor, fcntl.LOCK_EX)
        yield
    finally:
        os.close(descriptor)  # closing the folder releases the lock


# Each time this much more is written, the kernel is asked to start putting it on disk.
_WRITE_AHEAD_STEP = 16 << 20


class _WritingAhead(io.BufferedWriter):
    """A file whose data starts going to disk while the rest is still being written.

    The fsync before the new PDF replaces the old one then waits for the
    last megabytes, not for all of them: the disk works while the pictures
    are still being copied in.
    """

    def __init__(self, raw: io.RawIOBase) -> None:
        super().__init__(raw)
        self._written = 0
        self._sent = 0

    def write(self, data: ReadableBuffer, /) -> int:
        count = super().write(data)
        self._written += count
        if self._written - self._sent >= _WRITE_AHEAD_STEP:
            self.flush()
            _start_writeback(self.fileno(), self._sent, self._written - self._sent)
            self._sent = self._written
        return count


def _start_writeback(descriptor: int, offset: int, length: int) -> None:
    """Ask the kernel to start writing a range of a file to disk, without waiting (Linux).

    Elsewhere, or if the call fails, nothing happens: fsync still does it all.
    """
    sync_file_range = _sync_file_range()
    if sync_file_range is not None:
        sync_file_range(descriptor, offset, length, _SYNC_FILE_RANGE_WRITE)


_SYNC_FILE_RANGE_WRITE = 2


@functools.cache
def _sync_file_range() -> Callable[[int, int, int, int], int] | None:
    """sync_file_range(2) from the C library, where there is one (not in Python's os)."""
    import ctypes

    try:
        function = ctypes.CDLL(None, use_errno=True).sync_file_range
    except (AttributeError, OSError):
        return None
    function.argtypes = [ctypes.c_int, ctypes.c_int64, ctypes.c_int64, ctypes.c_uint]
    function.restype = ctypes.c_int
    return function


def write_pdf(writer: PdfWriter, path: Path) -> int:
    """Write the document to ``path`` (staged in a publication, or scratch); its size in bytes."""
    _write_to(writer, path)
    return path.stat().st_size


def _write_to(writer: PdfWriter, path: Path) -> None:
    with _WritingAhead(path.open("wb", buffering=0)) as handle:
        writer.write(handle)

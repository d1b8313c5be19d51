"""The last stage of a build: embed the originals, re-check the inputs, write PDF and manifest.

Everything here is about being able to trust the result: the originals
travel inside the PDF, every input is checked again at the very end (a file
changed during the build stops it), and the PDF and its manifest replace
the previous ones only once both are complete.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping
from pathlib import Path

from pypdf import PdfWriter
from pypdf.generic import IndirectObject
from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics

from dossier.discover import is_unchanged
from dossier.errors import InputChangedError, os_problem
from dossier.i18n import M_
from dossier.layout.fonts import REGULAR, register_fonts
from dossier.layout.style import PageStyle, Strings, page_style
from dossier.model import BuildOptions, Exhibit, Plan, SourceFile
from dossier.pdf.assemble import (
    Publication,
    add_file_link,
    embed_file,
    set_reproducible_identity,
)
from dossier.pdf.compose import Layout
from dossier.pdf.manifest import ATTACHMENT_NAME, make_manifest, manifest_bytes, manifest_path
from dossier.pdf.reproducible import BuildDate, build_inputs, document_id, pdf_date
from dossier.version import __version__


def attach_originals(
    writer: PdfWriter,
    exhibits: Iterable[Exhibit],
    first_index: Mapping[int | str, int],
    page_counts: Mapping[int | str, int],
    style: PageStyle,
    strings: Strings,
) -> dict[str, str]:
    """Embed each exhibit's original file, linked from the hash in its stamp on every page.

    Args:
        writer: the document (or volume) being written.
        exhibits: the exhibits whose pages are in it.
        first_index: the 0-based index of each exhibit's first page in ``writer``, by page key.
        page_counts: pages of each exhibit with a stamp band of its own, by page key;
            exhibits on a shared contact sheet are embedded without a link.
        style: the page style (where the stamp is).
        strings: the words of the case's language.

    Returns:
        The attachment name of each embedded file, by relative path.

    Raises:
        InputChangedError: a file no longer has the hash it had when it was read.
    """
    names = {}
    embedded: dict[str, IndirectObject] = {}
    colour = colors.HexColor(style.stamp_colour)
    rgb = (colour.red, colour.green, colour.blue)
    for exhibit in exhibits:
        if exhibit.parent is not None:
            continue  # an email's attachment travels inside the email's original
        source = exhibit.source
        # The relative path is unique in the folder, and what the manifest names.
        name = source.relpath
        tooltip = strings.format("integrity.attached", name=name)
        if name not in embedded:
            # Once per file: the messages of a mailbox share it, and its one copy.
            data = _read_unchanged(source)
            embedded[name] = embed_file(writer, name, data, f"{exhibit.label}: {exhibit.caption}")
        filespec = embedded[name]
        names[source.relpath] = name
        first = first_index.get(exhibit.page_key)
        if first is None:
            continue
        rect = stamp_hash_rect(exhibit, style, strings)
        for page_index in range(first, first + page_counts.get(exhibit.page_key, 0)):
            add_file_link(writer, page_index, rect, filespec, tooltip, rgb)
    return names


def stamp_hash_rect(
    exhibit: Exhibit, style: PageStyle, strings: Strings
) -> tuple[float, float, float, float]:
    """Where the stamp prints "SHA-256 …": the place that links to the original.

    Mirrors the geometry of ``layout.overlay._stamp`` (first line, right-aligned).
    """
    register_fonts()
    text = strings.format("hash", hash=exhibit.source.short_hash)
    size = style.stamp_font_size
    right = style.margin_left + style.content_width - 3 * mm
    baseline = style.height - style.margin_top - 3.2 * mm - style.stamp_label_size * 0.7
    width = pdfmetrics.stringWidth(text, REGULAR, size)
    return (right - width, baseline - 0.3 * size, right, baseline + 0.9 * size)


def embed_manifest(writer: PdfWriter, manifest: bytes) -> None:
    """Attach the manifest to the PDF, where ``dossier verify`` looks for it."""
    embed_file(writer, ATTACHMENT_NAME, manifest, "dossier manifest (JSON)")


def recheck_inputs(sources: Iterable[SourceFile]) -> None:
    """Check every input again: the dossier must show the files as they are now.

    Raises:
        InputChangedError: a file changed, disappeared or cannot be read any more.
    """
    changed = []
    for source in sources:
        try:
            unchanged = is_unchanged(source)
        except OSError as error:
            changed.append(f"  {source.relpath}: cannot be read any more ({error.strerror})")
            continue
        if not unchanged:
            changed.append(f"  {source.relpath}: changed while the dossier was being built")
    if changed:
        raise InputChangedError(
            "\n".join(
                [
                    f"{len(changed)} input file{'s' if len(changed) > 1 else ''} changed "
                    "during the build; nothing was written:",
                    *changed,
                    "Wait until nothing is writing to the folder (a sync, a download), "
                    "then build again.",
                ]
            )
        )


class Sealer:
    """What a build adds to make its output checkable: originals, manifest, identity.

    ``seal`` runs on each volume just before it is written; the manifest of
    the last volume sealed is kept for ``write_manifest``.
    """

    def __init__(
        self, timeline: Plan, options: BuildOptions, build_date: BuildDate, words: Strings
    ) -> None:
        self.timeline = timeline
        self.options = options
        self.build_date = build_date
        self.words = words
        self.sources = tuple(exhibit.source for exhibit in timeline.exhibits)
        # Each file once: the messages of a mailbox share their file.
        self.files = tuple({source.relpath: source for source in self.sources}.values())
        self.manifest = b""

    def seal(
        self,
        writer: PdfWriter,
        layout: Layout,
        volume: int,
        local_first: Mapping[int | str, int],
    ) -> None:
        """Embed the originals of this volume's exhibits and the manifest; fix the identity.

        Raises:
            InputChangedError: an original changed since it was read.
        """
        if self.options.attach_originals:
            page_counts = {
                body.exhibit.page_key: body.pages for body in layout.bodies if not body.sheet
            }
            exhibits = [e for e in self.timeline.exhibits if e.page_key in local_first]
            attach_originals(writer, exhibits, local_first, page_counts, page_style(), self.words)
        identity = self.document_id(volume)
        manifest = make_manifest(
            self.timeline,
            self.options.folder,
            page_ranges(layout),
            layout.total,
            self.options,
            self.build_date,
            identity,
            __version__,
        )
        if self.options.pdfa and layout.volume_count > 1:
            # One manifest beside all the volumes: it names each one's /ID.
            manifest["build"]["volume_document_ids"] = [
                self.document_id(number).hex() for number in range(1, layout.volume_count + 1)
            ]
        self.manifest = manifest_bytes(manifest)
        date = pdf_date(self.build_date.value)
        if self.options.pdfa:
            # PDF/A-2 allows only PDF/A files inside: the manifest goes beside the PDF only.
            from dossier.pdf.pdfa import make_pdfa

            set_reproducible_identity(writer, identity, date)
            make_pdfa(writer)
            return
        embed_manifest(writer, self.manifest)
        set_reproducible_identity(writer, identity, date)

    def document_id(self, volume: int) -> bytes:
        """The /ID of a volume: a hash of everything the build depends on."""
        options = {
            "skip_unreadable": self.options.skip_unreadable,
            "attach_originals": self.options.attach_originals,
            "keep_metadata": self.options.keep_metadata,
            "photos_per_page": self.options.photos_per_page,
            "max_size": self.options.max_size,
            "split": self.options.split,
            "duplex": self.options.duplex,
            "ocr": self.options.ocr,
        }
        if self.options.pdfa:  # named only when set: other builds keep their identity
            options["pdfa"] = True
        inputs = build_inputs(__version__, self.timeline.case, self.sources, options)
        return document_id([*inputs, self.build_date.value.isoformat(), str(volume)])

    def recheck(self) -> None:
        """Check every input again (see ``recheck_inputs``)."""
        recheck_inputs(self.files)

    def write_manifest(self, target: Path, publication: Publication) -> Path:
        """Stage the manifest beside the PDF ``target`` in ``publication``; returns its path.

        Raises:
            OutputError: it cannot be written.
        """
        beside = manifest_path(target)
        publication.write(beside, lambda path: path.write_bytes(self.manifest))
        return beside


def page_ranges(layout: Layout) -> dict[int | str, tuple[int, int]]:
    """First and last page (1-based, whole dossier) of each exhibit, by page key."""
    ranges = {}
    for body in layout.bodies:
        for exhibit in body.exhibits:
            first = layout.first_pages[exhibit.page_key]
            ranges[exhibit.page_key] = (first, first + body.pages - 1)
    return ranges


def _read_unchanged(source: SourceFile) -> bytes:
    try:
        data = source.path.read_bytes()
    except OSError as error:
        raise InputChangedError(
            M_(
                "{file}: cannot be read any more ({error}); nothing was written; build again",
                file=source.relpath,
                error=os_problem(error),
            )
        ) from None
    if hashlib.sha256(data).hexdigest() != source.sha256:
        raise InputChangedError(
            M_(
                "{file}: changed while the dossier was being built; nothing was written; "
                "build again once nothing is writing to the folder",
                file=source.relpath,
            )
        )
    return data

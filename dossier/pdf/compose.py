"""Lay out every page of a dossier, then write it as one PDF or as several volumes.

``lay_out`` draws the bodies, the front matter and the overlay (stamps and
footers) into a scratch folder; ``assemble`` puts the pages of one volume
together, to be sealed (``dossier.pdf.seal``) and written. Pictures are attached
by reference (``dossier.pdf.xobjects``), so writing holds the page structure in
memory, not the pixels.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING

from pypdf import PageObject, PdfReader, PdfWriter

from dossier.annotate import image_kind
from dossier.cache import Cache
from dossier.errors import LayoutRejected
from dossier.layout.billing import render_findings
from dossier.layout.bodies import render_text_body
from dossier.layout.fonts import page_canvas
from dossier.layout.front import CellCache, FrontMatter, render_front
from dossier.layout.image import (
    TALL_RATIO,
    ImagePlacement,
    picture_scales,
    render_contact_sheet,
    render_image_body,
)
from dossier.layout.integrity import render_integrity
from dossier.layout.letter import LeadPages
from dossier.layout.overlay import PageRole, render_overlay
from dossier.layout.style import Strings, page_style
from dossier.letters.letter import lay_out_lead, lead_outline
from dossier.model import Exhibit, ImageContent, Kind, PdfContent, Plan, Rejection
from dossier.pdf.assemble import (
    add_index_links,
    add_outline,
    draw_over,
    import_pdf_pages,
    set_metadata,
)
from dossier.pdf.fontshare import SharedFonts
from dossier.pdf.imagedata import ImageQuality, PreparedImages
from dossier.pdf.xobjects import ImageObjects
from dossier.readers.pdf import open_pdf
from dossier.version import __version__

if TYPE_CHECKING:
    from dossier.pdf.pdfa import Raster


@dataclasses.dataclass(frozen=True, slots=True)
class Body:
    """The pages of one exhibit, drawn or imported."""

    exhibit: Exhibit
    path: Path
    pages: int
    placements: tuple[ImagePlacement, ...] = ()
    # A blank page goes before it, so that it starts on a right-hand page.
    blank_before: bool = False
    # The photos of a contact sheet, when the page shows more than one exhibit.
    sheet: tuple[Exhibit, ...] = ()
    # Where its pages start in ``path`` (0-based), and how many pages ``path``
    # holds: the pages of picture exhibits follow one another in one file.
    first_page: int = 0
    file_pages: int = 0

    @property
    def exhibits(self) -> tuple[Exhibit, ...]:
        """The exhibits on these pages."""
        return self.sheet or (self.exhibit,)

    @property
    def weight(self) -> int:
        """Roughly the bytes it adds to the PDF."""
        images = {id(p.image): p.image.size for p in self.placements}
        share = self.pages / max(self.file_pages, self.pages, 1)
        return round(self.path.stat().st_size * share) + sum(images.values())


@dataclasses.dataclass(frozen=True, slots=True)
class Layout:
    """Every page drawn, ready to be written."""

    # The letter and case summary before the index (volume 1), when asked for.
    lead: LeadPages
    front: FrontMatter
    # Pages of billing findings after the index, when there is no order summary to hold them.
    findings_pages: int
    bodies: tuple[Body, ...]
    first_pages: Mapping[int | str, int]
    total: int
    # Volume (1-based) of each exhibit by ``page_key``; empty for a single volume.
    volume_of: Mapping[int | str, int]
    work: Path
    # Pages of the integrity appendix, at the end of the last volume.
    appendix: int = 0

    @property
    def volume_count(self) -> int:
        """How many volumes the layout is for."""
        return max(self.volume_of.values(), default=1)


@dataclasses.dataclass(frozen=True, slots=True)
class Assembled:
    """One volume's pages, ready to be sealed and written."""

    writer: PdfWriter
    # The first page (0-based, in this volume) of each exhibit it holds, by ``page_key``.
    first_pages: Mapping[int | str, int]


def _front_pages(layout: Layout) -> int:
    """How many pages come before the first exhibit: letter, summary, index, findings."""
    return layout.lead.page_count + layout.front.page_count + layout.findings_pages


@dataclasses.dataclass(frozen=True, slots=True)
class Composer:
    """What every layout of one build shares."""

    timeline: Plan
    words: Strings
    now: dt.datetime
    work: Path
    duplex: bool = False
    photos_per_page: int = 1
    # Draw PDF exhibits' form fields into their pages (``BuildOptions.flatten_forms``).
    flatten_forms: bool = False
    # PDF/A-2b (``BuildOptions.pdfa``): the exhibit pages printed as images, by
    # relative path (``dossier.pdf.pdfa.plan_rasters``); the others repaired.
    pdfa: bool = False
    rasters: Mapping[str, Raster] = dataclasses.field(default_factory=dict)
    # Told about each exhibit as it is laid out (see ``api.Progress``).
    progress: Callable[[str, int, int], None] | None = None
    # Where the JPEG layouts found are kept for the next build, if anywhere.
    cache: Cache | None = None

    def lay_out_bodies(self, quality: ImageQuality) -> list[Body]:
        """Draw each exhibit's body pages; a PDF exhibit keeps its own pages.

        With ``photos_per_page`` above 1, runs of photos share contact-sheet pages.

        Raises:
            LayoutRejected: exhibits that cannot be laid out, all of them.
        """
        bodies: list[Body] = []
        run: list[Exhibit] = []
        rejected: tuple[Rejection, ...] = ()
        count = len(self.timeline.exhibits)
        pictures = _PictureCanvas(self.work / "pictures.pdf")
        with PreparedImages(quality, self.work, self.cache) as images:
            self._start_pictures(images)
            for done, exhibit in enumerate(self.timeline.exhibits):
                if self.progress is not None:
                    self.progress(f"Laying out {exhibit.source.relpath}", done, count)
                if self._on_sheet(exhibit):
                    run.append(exhibit)
                    if len(run) == self.photos_per_page:
                        bodies.append(self._lay_out_sheet(run, images))
                        run = []
                    continue
                bodies += self._flush(run, images, pictures)
                run = []
                try:
                    bodies.append(self._lay_out(exhibit, images, pictures))
                except LayoutRejected as failure:
                    # The others are laid out still, so that one run names every such file.
                    rejected += failure.rejections
            bodies += self._flush(run, images, pictures)
        if rejected:
            raise LayoutRejected(*rejected)
        pictures.save()
        if self.progress is not None:
            self.progress("Writing the PDF", count, count)
        in_file: dict[Path, int] = {}
        for body in bodies:
            in_file[body.path] = in_file.get(body.path, 0) + body.pages
        return [dataclasses.replace(body, file_pages=in_file[body.path]) for body in bodies]

    def _start_pictures(self, images: PreparedImages) -> None:
        """Start preparing the pictures of picture pages, in the order they are drawn."""
        style = page_style()
        for exhibit in self.timeline.exhibits:
            if not exhibit.kind.is_image or self._on_sheet(exhibit):
                continue
            try:
                scales = picture_scales(exhibit, style)
            except Exception:  # damage is reported when its page is drawn
                continue
            for frame, points_per_pixel in scales:
                images.ahead(exhibit, frame, points_per_pixel)

    def _on_sheet(self, exhibit: Exhibit) -> bool:
        """Whether the exhibit shares a contact sheet (``photos_per_page`` above 1)."""
        return self.photos_per_page > 1 and _fits_sheet(exhibit)

    def _flush(
        self, run: list[Exhibit], images: PreparedImages, pictures: _PictureCanvas
    ) -> list[Body]:
        if len(run) == 1:
            return [self._lay_out(run[0], images, pictures)]
        return [self._lay_out_sheet(run, images)] if run else []

    def _lay_out_sheet(self, run: list[Exhibit], images: PreparedImages) -> Body:
        out = self.work / f"sheet-{run[0].number:04d}{run[0].sub_label}.pdf"
        zone = self.timeline.case.zone
        body = render_contact_sheet(run, page_style(), self.words, zone, images, out)
        return Body(run[0], out, body.pages, body.placements, sheet=tuple(run))

    def lay_out(
        self, bodies: list[Body], volume_of: Mapping[int | str, int] | None = None
    ) -> Layout:
        """Number the pages, draw the front matter and the overlay."""
        volume_of = volume_of or {}
        today = self.now.astimezone(self.timeline.case.zone).date()
        lead = lay_out_lead(self.timeline, today, page_style(), self.work / "lead.pdf")
        # The billing findings are on the order summary; without one, on pages of their own.
        shown = self.timeline.findings if lead.summary_page is None else ()
        findings = render_findings(shown, page_style(), self.words, self.work / "findings.pdf")
        appendix = render_integrity(
            self.timeline.exhibits, page_style(), self.words, self.work / "integrity.pdf"
        )
        front, bodies, first_pages, total = self._lay_out_front(
            bodies, volume_of, lead.page_count, findings, appendix
        )
        roles = [PageRole()] * (lead.page_count + front.page_count + findings)
        for body in bodies:
            roles += [PageRole()] * body.blank_before
            if body.sheet:
                roles += [PageRole()] * body.pages  # each photo has its own band
                continue
            roles += [PageRole(body.exhibit, k, body.pages) for k in range(1, body.pages + 1)]
        roles += [PageRole()] * appendix
        case = self.timeline.case
        render_overlay(
            roles, case.reference, page_style(), self.words, case.zone, self.work / "overlay.pdf"
        )
        return Layout(
            lead,
            front,
            findings,
            tuple(bodies),
            first_pages,
            total,
            volume_of,
            self.work,
            appendix,
        )

    def assemble(self, layout: Layout, volume: int) -> Assembled:
        """The pages of volume ``volume`` (1 when there is only one), stamped, linked, outlined."""
        writer = PdfWriter()
        placed = self._add_front(writer, layout, volume)
        first_pages, appendix_index = self._add_bodies(writer, layout, volume, placed)
        overlay = PdfReader(self.work / "overlay.pdf")
        draw_over(writer, list(writer.pages), [overlay.pages[index] for index in placed])
        entries = self._link_front(writer, layout, first_pages) if volume == 1 else []
        entries += [
            (f"{exhibit.label} — {exhibit.caption}", first_pages[exhibit.page_key])
            for body in layout.bodies
            for exhibit in body.exhibits
            if exhibit.page_key in first_pages
        ]
        if appendix_index is not None:
            entries.append((self.words["integrity.title"], appendix_index))
        add_outline(writer, entries)
        self._set_metadata(writer, layout, volume)
        return Assembled(writer, first_pages)

    def _add_front(self, writer: PdfWriter, layout: Layout, volume: int) -> list[int]:
        """Letter, summary, index and findings (volume 1 only); the dossier pages they are."""
        if volume != 1:
            return []
        parts = ["lead.pdf"] if layout.lead.page_count else []
        parts.append("front.pdf")
        parts += ["findings.pdf"] if layout.findings_pages else []
        for part in parts:
            for page in PdfReader(self.work / part).pages:
                writer.add_page(page)
        return list(range(_front_pages(layout)))

    def _add_bodies(
        self, writer: PdfWriter, layout: Layout, volume: int, placed: list[int]
    ) -> tuple[dict[int | str, int], int | None]:
        """The volume's exhibits, then the appendix in the last volume.

        Appends to ``placed`` the dossier page (0-based) of each page written.
        Returns the first page (0-based, in this volume) of each exhibit, by
        page key, and where the appendix starts, if here.
        """
        style = page_style()
        images = ImageObjects(writer)
        fonts = SharedFonts(writer)
        here = [
            body
            for body in layout.bodies
            if layout.volume_of.get(body.exhibit.page_key, 1) == volume
        ]
        readers = _Readers(writer, fonts, here)
        number = _front_pages(layout)
        first_pages: dict[int | str, int] = {}
        for body in layout.bodies:
            number += body.blank_before
            if layout.volume_of.get(body.exhibit.page_key, 1) == volume:
                if body.blank_before:
                    writer.add_blank_page(style.width, style.height)
                    placed.append(number - 1)
                first_pages.update({e.page_key: len(writer.pages) for e in body.exhibits})
                _append_body(writer, body, images, readers, fonts, self._imports(body))
                placed += range(number, number + body.pages)
            number += body.pages
        if volume != layout.volume_count or not layout.appendix:
            return first_pages, None
        appendix_index = len(writer.pages)
        for page in PdfReader(self.work / "integrity.pdf").pages:
            writer.add_page(page)
        placed += range(number, number + layout.appendix)
        return first_pages, appendix_index

    def _imports(self, body: Body) -> _Import:
        """How a PDF exhibit's pages go in: forms flattened, pages replaced, repaired."""
        if not self.pdfa:
            return _Import(self.flatten_forms)
        from dossier.pdf.pdfa import draw_rasters, raster_note, repair_page

        raster = self.rasters.get(body.exhibit.source.relpath)
        replaced: dict[int, PageObject] = {}
        if raster is not None and body.exhibit.kind is Kind.PDF:
            exhibit = body.exhibit
            out = self.work / f"pdfa-{exhibit.number:04d}{exhibit.sub_label}.pdf"
            # Drawn once: every volume and size tried uses the same pictures.
            drawn = (
                PdfReader(out)
                if out.exists()
                else draw_rasters(
                    body.path,
                    exhibit.settings.password,
                    raster,
                    raster_note(raster, self.words),
                    out,
                )
            )
            replaced = dict(zip(raster.pages, drawn.pages, strict=True))
        return _Import(True, replaced, repair_page)

    def _link_front(
        self, writer: PdfWriter, layout: Layout, first_pages: Mapping[int | str, int]
    ) -> list[tuple[str, int]]:
        """Link the index to the exhibits of volume 1; the outline entries of the front pages."""
        lead_pages = layout.lead.page_count
        front = layout.front
        here = {n: p for n, p in layout.first_pages.items() if n in first_pages}
        links = [
            dataclasses.replace(link, page_index=link.page_index + lead_pages)
            for link in front.links
            if link.exhibit_number in here
        ]
        add_index_links(writer, links, here)
        entries = lead_outline(self.timeline, layout.lead)
        entries.append((self.words["index_title"], lead_pages + front.index_page))
        if front.not_included_page is not None:
            entries.append((self.words["not_included_title"], lead_pages + front.not_included_page))
        if layout.findings_pages:
            entries.append((self.words["findings.title"], lead_pages + front.page_count))
        return entries

    def _set_metadata(self, writer: PdfWriter, layout: Layout, volume: int) -> None:
        case = self.timeline.case
        title = self.words["dossier_title"] + (f" — {case.reference}" if case.reference else "")
        if layout.volume_count > 1:
            title += f" ({volume}/{layout.volume_count})"
        set_metadata(
            writer,
            title=title,
            subject=self.words.format(
                "exhibit_count", count=len(self.timeline.exhibits), pages=layout.total
            ),
            author=case.claimant_name,
            creator=f"dossier {__version__}",
        )

    def _lay_out(self, exhibit: Exhibit, images: PreparedImages, pictures: _PictureCanvas) -> Body:
        if isinstance(exhibit.content, PdfContent):
            return Body(exhibit, exhibit.source.path, exhibit.content.page_count)
        try:
            if exhibit.kind.is_image:
                return pictures.draw(exhibit, self.words, images)
            out = self.work / f"exhibit-{exhibit.number:04d}{exhibit.sub_label}.pdf"
            zone = self.timeline.case.zone
            text_pages = render_text_body(exhibit, page_style(), self.words, zone, out)
            return Body(exhibit, out, text_pages)
        except Exception as error:  # damage the reader did not see costs this file, not the build
            raise layout_rejection(exhibit, error) from None

    def _lay_out_front(
        self,
        bodies: list[Body],
        volume_of: Mapping[int | str, int],
        lead_pages: int,
        extra_pages: int = 0,
        appendix_pages: int = 0,
    ) -> tuple[FrontMatter, list[Body], dict[int | str, int], int]:
        # The index prints each exhibit's first page, which depends on how many
        # pages the index itself takes: count its pages until the count is
        # stable, then draw it. The drafts share their wrapped cells.
        cell_cache: CellCache = {}
        front_count = 1
        for _ in range(5):
            first_pages: dict[int | str, int] = {}
            # ``extra_pages`` (billing findings) come between the index and the exhibits.
            page, placed = lead_pages + front_count + extra_pages + 1, []
            for body in bodies:
                blank = self.duplex and page % 2 == 0
                page += blank
                placed.append(dataclasses.replace(body, blank_before=blank))
                first_pages.update({exhibit.page_key: page for exhibit in body.exhibits})
                page += body.pages
            total = page - 1 + appendix_pages
            front = functools.partial(
                render_front,
                self.timeline,
                first_pages,
                total,
                page_style(),
                self.words,
                self.now,
                volumes=volume_of,
                cell_cache=cell_cache,
            )
            counted = front(None).page_count
            if counted == front_count:
                return front(self.work / "front.pdf"), placed, first_pages, total
            front_count = counted
        raise RuntimeError("the index did not settle on a page count")


class _PictureCanvas:
    """The pages of every picture exhibit, one after another: one canvas, saved once.

    A file per exhibit cost a save and a parse each: a tenth of a second per
    hundred photos.
    """

    def __init__(self, path: Path) -> None:
        style = page_style()
        self.path = path
        self.canvas = page_canvas(path, style)
        self.pages = 0

    def draw(self, exhibit: Exhibit, words: Strings, images: PreparedImages) -> Body:
        """Draw the exhibit's pages after those already drawn; its body says where they are."""
        first = self.pages
        drawn = render_image_body(exhibit, page_style(), words, images, self.canvas)
        self.pages += drawn.pages
        return Body(exhibit, self.path, drawn.pages, drawn.placements, first_page=first)

    def save(self) -> None:
        if self.pages:
            self.canvas.save()


def layout_rejection(exhibit: Exhibit, error: Exception) -> LayoutRejected:
    """The rejection of an exhibit whose pages could not be drawn or imported."""
    detail = str(error).split("\n", 1)[0][:100] or type(error).__name__
    pdf = exhibit.kind is Kind.PDF
    what = "the PDF page content is damaged" if pdf else "could not be laid out"
    return LayoutRejected(
        Rejection(
            exhibit.source.relpath,
            f"{what} ({detail})",
            "open it and save or print it to a new file, or move it out of the folder",
            exhibit.kind,
            exhibit.source.sha256,
        )
    )


class _Readers:
    """The typeset files of a volume's bodies, each open only while a body still needs it.

    pypdf's writer keeps every reader it copied from alive (with the file's
    bytes, its parsed objects and its decoded fonts) so that a later copy
    can reuse what was copied: a mailbox of thousands of messages, each
    typeset as a file of its own, held them all, about 200 KB each. A file
    is let go once the last body drawn in it is in the PDF; what was copied
    stays, and nothing is copied from the file again.
    """

    def __init__(self, writer: PdfWriter, fonts: SharedFonts, bodies: list[Body]) -> None:
        self.writer = writer
        self.fonts = fonts
        self._open: dict[Path, PdfReader] = {}
        # How many links the writer had to resolve when each file was opened.
        self._links: dict[Path, int] = {}
        # How many bodies still to be added are drawn in each file.
        self._left: dict[Path, int] = {}
        for body in bodies:
            if body.exhibit.kind is not Kind.PDF:
                self._left[body.path] = self._left.get(body.path, 0) + 1

    def pages_of(self, body: Body) -> list[PageObject]:
        """The pages of ``body``, from its file opened once for all the bodies it holds."""
        if body.path not in self._open:
            self._open[body.path] = PdfReader(body.path)
            self._links[body.path] = len(self.writer._unresolved_links)
        pages = self._open[body.path].pages
        return [pages[index] for index in range(body.first_page, body.first_page + body.pages)]

    def done(self, body: Body) -> None:
        """``body`` is in the PDF: let its file go if no later body is drawn in it."""
        self._left[body.path] = self._left.get(body.path, 1) - 1
        if self._left[body.path] > 0:
            return
        reader = self._open.pop(body.path, None)
        if reader is not None:
            self.release(reader, self._links.pop(body.path))

    def release(self, reader: PdfReader, links: int) -> None:
        """Let ``reader`` go: the writer and the shared fonts forget it.

        ``links`` is how many links the writer had to resolve before the
        first page of ``reader`` went in: when its pages added none, the
        writer no longer needs to know where they went.
        """
        self.fonts.forget(reader)
        self.writer.reset_translation(reader)
        if len(self.writer._unresolved_links) == links:
            merged = self.writer._merged_in_pages
            for page in reader.pages:
                merged.pop(page.indirect_reference, None)


@dataclasses.dataclass(frozen=True, slots=True)
class _Import:
    """How the pages of a PDF exhibit go in (see ``import_pdf_pages``)."""

    flatten_forms: bool = False
    replaced: Mapping[int, PageObject] = dataclasses.field(default_factory=dict)
    repair: Callable[[PageObject], None] | None = None


def _append_body(
    writer: PdfWriter,
    body: Body,
    images: ImageObjects,
    readers: _Readers,
    fonts: SharedFonts,
    how: _Import,
) -> None:
    """Add the body's pages; ``readers`` keeps each file open for the bodies that share it.

    Typeset pages go in through ``fonts``: a font identical to one already
    in the PDF is written once.
    """
    if body.exhibit.kind is Kind.PDF:
        links = len(writer._unresolved_links)
        try:
            reader = open_pdf(
                body.path, body.exhibit.source.relpath, body.exhibit.settings.password
            )
            content = body.exhibit.content
            left_out = content.left_out if isinstance(content, PdfContent) else ()
            import_pdf_pages(
                writer,
                reader,
                page_style(),
                left_out,
                flatten_forms=how.flatten_forms,
                replaced=how.replaced,
                repair=how.repair,
            )
        except Exception as error:  # e.g. a page content stream that cannot be parsed
            raise layout_rejection(body.exhibit, error) from None
        readers.release(reader, links)
        return
    first = len(writer.pages)
    for page in readers.pages_of(body):
        fonts.add_page(page)
    images.attach(first, body.placements)
    readers.done(body)


def _fits_sheet(exhibit: Exhibit) -> bool:
    """A one-page photo (not a screenshot, not a tall capture) can share a page."""
    content = exhibit.content
    return (
        isinstance(content, ImageContent)
        and content.frames == 1
        and content.height <= content.width * TALL_RATIO
        and image_kind(exhibit) == "photo"
    )

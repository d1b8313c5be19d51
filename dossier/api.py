"""The library entry points: ``plan`` (what ``dossier list`` shows) and ``build``.

Both read top to bottom as the stages of the pipeline: discover, read per
kind, resolve timestamps, order, annotate; then ``build`` lays out the pages,
assembles them and writes the PDF.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import tempfile
from pathlib import Path

from pypdf import PdfReader, PdfWriter

from dossier import __version__
from dossier.annotate import label_all
from dossier.assemble import (
    add_index_links,
    add_outline,
    import_pdf_pages,
    overlay_pages,
    set_metadata,
    write_pdf,
)
from dossier.casefile import load_case_file
from dossier.discover import CASE_FILE_NAME, find_files, fingerprint
from dossier.errors import (
    CaseFileError,
    DossierError,
    InputFolderError,
    NothingToBuildError,
    UnreadableFilesError,
)
from dossier.findings import find_billing_issues, order_total
from dossier.layout.billing import render_findings
from dossier.layout.bodies import render_image_body, render_text_body
from dossier.layout.front import FrontMatter, render_front
from dossier.layout.overlay import PageRole, render_overlay
from dossier.layouts import Strings, page_style, strings
from dossier.letters import lay_out_lead, lead_notices, lead_outline, signature_paths
from dossier.model import (
    BuildOptions,
    BuildResult,
    CaseFile,
    Exhibit,
    ExhibitSettings,
    Kind,
    PdfContent,
    Plan,
    Rejection,
    SourceFile,
)
from dossier.ocr import read_all
from dossier.orderdata import complete_case
from dossier.ordering import order_exhibits
from dossier.readers import read_source
from dossier.readers.pdf import open_pdf
from dossier.timestamps import resolve_all


def plan(options: BuildOptions) -> Plan:
    """Discover, read, date, order and label the exhibits, without building.

    Raises:
        InputFolderError: the folder does not exist.
        CaseFileError: the case file is invalid or names a file that is not there.
        OcrUnavailableError: ``options.ocr`` but Tesseract is not installed.
    """
    folder = _check_folder(options.folder)
    case = load_case_file(folder / CASE_FILE_NAME)
    now = options.now or dt.datetime.now(dt.UTC)
    paths = find_files(folder, exclude=[options.output_path, *signature_paths(case)])
    sources, unreadable = _fingerprint_all(paths, folder)
    _check_case_keys(case, sources)
    readings = [
        read_source(source, case.exhibits.get(source.relpath, _NO_SETTINGS)) for source in sources
    ]
    exhibits = [r for r in readings if isinstance(r, Exhibit)]
    rejections = unreadable + [r for r in readings if isinstance(r, Rejection)]
    dated = resolve_all(exhibits, now, case.zone)
    ordered = order_exhibits(dated, case.zone)
    labelled = label_all(ordered, strings(case.language))
    read = read_all(labelled, case.language, options.ocr)
    case, inferred, warnings = complete_case(case, read)
    notices: tuple[str, ...] = () if case.path else (strings(case.language)["no_case_file"],)
    notices += warnings + lead_notices(case)
    return Plan(
        case=case,
        exhibits=read,
        rejections=tuple(rejections),
        notices=notices,
        inferred=inferred,
        findings=find_billing_issues(read, order_total(case)),
    )


def build(options: BuildOptions) -> BuildResult:
    """Build the dossier PDF.

    Raises:
        UnreadableFilesError: some files cannot be included and ``skip_unreadable`` is off.
        NothingToBuildError: no file of the folder can become an exhibit.
        CaseFileError: the case file is invalid.
        OutputError: the PDF cannot be written.
    """
    timeline = plan(options)
    if timeline.rejections and not options.skip_unreadable:
        raise UnreadableFilesError(timeline.rejections)
    if not timeline.exhibits:
        raise NothingToBuildError(
            f"{options.folder}: no photo, screenshot, email, PDF or note to put in a dossier; "
            "add your evidence files to this folder"
        )
    now = options.now or dt.datetime.now(dt.UTC)
    words = strings(timeline.case.language)
    style = page_style()
    with tempfile.TemporaryDirectory(prefix="dossier-") as scratch:
        work = Path(scratch)
        bodies = [_lay_out(exhibit, timeline.case, words, work) for exhibit in timeline.exhibits]
        today = now.astimezone(timeline.case.zone).date()
        lead = lay_out_lead(timeline, today, style, work / "lead.pdf")
        # The billing findings are on the order summary; without one, on a page of their own.
        shown = timeline.findings if lead.summary_page is None else ()
        findings = render_findings(shown, style, words, work / "findings.pdf")
        front, first_pages, total = _lay_out_front(
            timeline, bodies, words, now, work, lead.page_count, findings
        )
        roles = [PageRole()] * (lead.page_count + front.page_count + findings) + [
            PageRole(exhibit, k, pages)
            for exhibit, (_, pages) in zip(timeline.exhibits, bodies, strict=True)
            for k in range(1, pages + 1)
        ]
        render_overlay(
            roles, timeline.case.reference, style, words, timeline.case.zone, work / "overlay.pdf"
        )

        writer = PdfWriter()
        if lead.page_count:
            for page in PdfReader(work / "lead.pdf").pages:
                writer.add_page(page)
        for page in PdfReader(work / "front.pdf").pages:
            writer.add_page(page)
        for page in PdfReader(work / "findings.pdf").pages if findings else []:
            writer.add_page(page)
        for exhibit, (body, _) in zip(timeline.exhibits, bodies, strict=True):
            _append_body(writer, exhibit, body)
        overlay_pages(writer, PdfReader(work / "overlay.pdf"))
        links = [
            dataclasses.replace(link, page_index=link.page_index + lead.page_count)
            for link in front.links
        ]
        add_index_links(writer, links, first_pages)
        add_outline(
            writer,
            lead_outline(timeline, lead)
            + _outline_entries(timeline, front, first_pages, words, lead.page_count, findings),
        )
        title = words["dossier_title"] + (
            f" — {timeline.case.reference}" if timeline.case.reference else ""
        )
        set_metadata(
            writer,
            title=title,
            subject=words.format("exhibit_count", count=len(timeline.exhibits), pages=total),
            author=timeline.case.claimant_name,
            creator=f"dossier {__version__}",
        )
        size = write_pdf(writer, options.output_path)
    return BuildResult(
        output=options.output_path,
        page_count=total,
        size=size,
        plan=timeline,
        first_pages=first_pages,
    )


_NO_SETTINGS = ExhibitSettings()


def _check_folder(folder: Path) -> Path:
    if not folder.exists():
        raise InputFolderError(
            f"{folder}: no such folder; give the folder that holds your evidence files"
        )
    if not folder.is_dir():
        raise InputFolderError(
            f"{folder}: not a folder; give the folder that holds your evidence files"
        )
    return folder.resolve()


def _fingerprint_all(paths: list[Path], folder: Path) -> tuple[list[SourceFile], list[Rejection]]:
    sources, unreadable = [], []
    for path in paths:
        try:
            sources.append(fingerprint(path, folder))
        except OSError as error:
            relpath = path.relative_to(folder).as_posix()
            unreadable.append(
                Rejection(
                    relpath, f"cannot be read ({error.strerror})", "check the file's permissions"
                )
            )
    return sources, unreadable


def _check_case_keys(case: CaseFile, sources: list[SourceFile]) -> None:
    present = {source.relpath for source in sources}
    for relpath in case.exhibits:
        if relpath not in present:
            raise CaseFileError(
                f'{CASE_FILE_NAME}: exhibits."{relpath}": no such file in the folder; '
                "correct the name (relative to the folder, with /) or remove the section"
            )


def _lay_out(exhibit: Exhibit, case: CaseFile, words: Strings, work: Path) -> tuple[Path, int]:
    """Draw an exhibit's body pages; a PDF exhibit keeps its own pages."""
    style = page_style()
    if isinstance(exhibit.content, PdfContent):
        return exhibit.source.path, exhibit.content.page_count
    out = work / f"exhibit-{exhibit.number:04d}.pdf"
    try:
        if exhibit.kind.is_image:
            return out, render_image_body(exhibit, style, out)
        return out, render_text_body(exhibit, style, words, case.zone, out)
    except (OSError, ValueError) as error:
        raise DossierError(
            f"{exhibit.source.relpath}: could not be laid out ({error}); "
            "leave it out of the folder and build again"
        ) from None


def _lay_out_front(
    timeline: Plan,
    bodies: list[tuple[Path, int]],
    words: Strings,
    now: dt.datetime,
    work: Path,
    lead_pages: int = 0,
    extra_pages: int = 0,
) -> tuple[FrontMatter, dict[int, int], int]:
    # The index prints each exhibit's first page, which depends on how many
    # pages the index itself takes: draw it until the count is stable.
    front_count = 1
    for _ in range(5):
        # ``extra_pages`` (the billing findings) come between the index and the exhibits.
        first_pages, page = {}, lead_pages + front_count + extra_pages + 1
        for exhibit, (_, pages) in zip(timeline.exhibits, bodies, strict=True):
            first_pages[exhibit.number] = page
            page += pages
        total = page - 1
        front = render_front(
            timeline, first_pages, total, page_style(), words, now, work / "front.pdf"
        )
        if front.page_count == front_count:
            return front, first_pages, total
        front_count = front.page_count
    raise RuntimeError("the index did not settle on a page count")


def _append_body(writer: PdfWriter, exhibit: Exhibit, body: Path) -> None:
    if exhibit.kind is Kind.PDF:
        reader = open_pdf(body, exhibit.source.relpath, exhibit.settings.password)
        import_pdf_pages(writer, reader, page_style())
    else:
        for page in PdfReader(body).pages:
            writer.add_page(page)


def _outline_entries(
    timeline: Plan,
    front: FrontMatter,
    first_pages: dict[int, int],
    words: Strings,
    lead_pages: int = 0,
    findings_pages: int = 0,
) -> list[tuple[str, int]]:
    entries = [(words["index_title"], lead_pages + front.index_page)]
    if front.not_included_page is not None:
        entries.append((words["not_included_title"], lead_pages + front.not_included_page))
    if findings_pages:
        entries.append((words["findings.title"], lead_pages + front.page_count))
    entries += [
        (f"{exhibit.label} — {exhibit.caption}", first_pages[exhibit.number] - 1)
        for exhibit in timeline.exhibits
    ]
    return entries

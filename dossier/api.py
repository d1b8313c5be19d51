"""The library entry points: ``plan`` (what ``dossier list`` shows) and ``build``.

Both read top to bottom as the stages of the pipeline. ``plan``: discover,
fingerprint, read per kind, date, order, expand attachments, label, OCR,
check, complete the case facts. ``build_plan``: lay out the pages, choose
the size (picture resolution, volumes), assemble and seal each volume,
write it, publish it with the manifest.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import shutil
import tempfile
import threading
import warnings
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import TYPE_CHECKING

from dossier.annotate import label_all
from dossier.attachments import expand_attachments
from dossier.billing.findings import find_billing_issues, order_total
from dossier.billing.ocr import read_all
from dossier.cache import Cache, fingerprint, open_cache
from dossier.case.load import load_case_file
from dossier.case.marks import check_attachable, check_marks, privacy_notes
from dossier.case.order_facts import complete_case
from dossier.discover import CASE_FILE_NAME, discover, left_out_lines
from dossier.errors import (
    CaseFileError,
    FilesNotIncludedError,
    InputFolderError,
    NothingToBuildError,
    OutputError,
)
from dossier.i18n import M_, MN_, TechnicalDetail
from dossier.layout.style import strings
from dossier.letters.letter import check_fact_files, lead_notices, signature_paths
from dossier.model import (
    BuildOptions,
    BuildResult,
    CaseFile,
    Exhibit,
    ExhibitSettings,
    Plan,
    Rejection,
    SourceFile,
)
from dossier.ordering import order_exhibits
from dossier.outputs import check_outputs
from dossier.parallel import map_in_threads
from dossier.pdf.reproducible import resolve_build_date
from dossier.readers import read_file
from dossier.timestamps import resolve_all
from dossier.uptodate import fresh_outputs, outputs_of, record_build, take_inputs
from dossier.warnings_check import add_near_duplicates, check_exhibits, photo_hashes

if TYPE_CHECKING:
    from dossier.pdf.compose import Layout
    from dossier.pdf.pdfa import Raster
    from dossier.pdf.sizing import Measure, Sized

# Laying out and writing the PDF (reportlab, pypdf) are imported by the
# functions that build: ``plan`` (dossier list, the web page) runs without them.

# Called as progress(what is being done, steps done, steps in this stage): a
# command line draws a progress bar with it. Not part of BuildOptions, which
# holds values only.
Progress = Callable[[str, int, int], None]


def plan(options: BuildOptions, progress: Progress | None = None) -> Plan:
    """Discover, read, date, order and label the exhibits, without building.

    Args:
        options: the folder and settings.
        progress: told about each file as it is read.

    Raises:
        InputFolderError: the folder does not exist.
        CaseFileError: the case file is invalid or names a file that is not there.
        OcrUnavailableError: ``options.ocr`` but Tesseract is not installed.
        OutputError: the PDF, its manifest or a volume would replace an input.
    """
    return _plan(options, progress)


def _plan(options: BuildOptions, progress: Progress | None, near_duplicates: bool = True) -> Plan:
    """``plan``; without ``near_duplicates``, the photos are left to compare (``build``)."""
    folder = _check_folder(options.folder)
    case = load_case_file(folder / CASE_FILE_NAME)
    now = options.now or dt.datetime.now(dt.UTC)
    signatures = signature_paths(case)
    found = discover(folder, exclude=signatures)
    paths = list(found.paths)
    check_outputs(options, [*paths, *signatures, *([case.path] if case.path else [])])
    cache = open_cache(options.cache)
    sources, unreadable = _fingerprint_all(paths, folder, cache)
    _check_case_keys(case, sources)
    report = progress or _no_progress
    readings: list[Exhibit | Rejection] = []
    for done, source in enumerate(sources):
        report(f"Reading {source.relpath}", done, len(sources))
        readings += read_file(source, case.exhibits.get(source.relpath, _NO_SETTINGS), cache)
    exhibits = [r for r in readings if isinstance(r, Exhibit)]
    check_marks(exhibits, CASE_FILE_NAME)
    if options.attach_originals:
        check_attachable(exhibits, CASE_FILE_NAME)
    rejections = unreadable + [r for r in readings if isinstance(r, Rejection)]
    dated = resolve_all(exhibits, now, case.zone)
    ordered = order_exhibits(dated, case.zone)
    with_attachments = expand_attachments(ordered, now, case.zone)
    labelled = label_all(with_attachments, strings(case.language))
    read = read_all(labelled, case.language, options.ocr, cache)
    checked = check_exhibits(
        read, options.max_size, options.attach_originals, cache, near_duplicates
    )
    if cache is not None and cache.stored:
        cache.trim()
    case, inferred, warnings = complete_case(case, checked)
    # Said in the user's language, which may not be the dossier's (French by default).
    no_case = M_("No case.toml: only the exhibits and the index are produced.")
    notices: tuple[str, ...] = () if case.path else (no_case,)
    notices += warnings + lead_notices(case, checked)
    return Plan(
        case=case,
        exhibits=checked,
        rejections=tuple(rejections),
        notices=notices,
        inferred=inferred,
        findings=find_billing_issues(read, order_total(case)),
        skipped=found.skipped,
    )


def build(options: BuildOptions, progress: Progress | None = None) -> BuildResult:
    """Build the dossier PDF.

    A file that its reader accepted but that fails when its pages are laid
    out (damage deep in a PDF's page content) is treated like any unreadable
    file: listed as not included with ``skip_unreadable``, an error otherwise.

    Args:
        options: the folder, output and settings.
        progress: told about each file as it is read and laid out.

    Raises:
        FilesNotIncludedError: some files cannot be included and ``skip_unreadable`` is off.
        NothingToBuildError: no file of the folder can become an exhibit.
        CaseFileError: the case file is invalid.
        OutputError: the PDF cannot be written.
        InputChangedError: an input file changed during the build.
    """
    from dossier.errors import LayoutRejected

    started = dt.datetime.now(dt.UTC)
    cache = open_cache(options.cache)
    # What the build reads, hashed before it reads it: recorded for ``up_to_date``.
    inputs = take_inputs(options, cache, outputs_of(options)) if cache is not None else None
    timeline = _plan(options, progress, near_duplicates=False)
    stop = threading.Event()
    # Comparing the photos decodes each one without a usable thumbnail, and
    # nothing in the PDF depends on it: it runs beside laying out and writing,
    # whose waits on the disk leave the cores idle. Pillow's warnings are
    # silenced for both at once: the filters are the process's, not a thread's.
    with warnings.catch_warnings(), ThreadPoolExecutor(max_workers=1) as beside:
        warnings.simplefilter("ignore")
        hashing = beside.submit(
            photo_hashes, timeline.exhibits, open_cache(options.cache), stop, silence=False
        )
        try:
            while True:
                try:
                    result = build_plan(options, timeline, progress)
                    break
                except LayoutRejected as failure:
                    if not options.skip_unreadable:
                        raise FilesNotIncludedError(failure.rejections) from None
                    for rejection in failure.rejections:
                        timeline = _without(timeline, rejection)
        except BaseException:
            stop.set()  # a failed build does not wait for the photos to be compared
            raise
        hashes = hashing.result()
    exhibits = add_near_duplicates(
        result.plan.exhibits, hashes, options.max_size, options.attach_originals
    )
    if cache is not None:
        record_build(options, cache, inputs, result, started)
    return dataclasses.replace(result, plan=dataclasses.replace(result.plan, exhibits=exhibits))


def up_to_date(options: BuildOptions) -> tuple[Path, ...] | None:
    """The dossier's files (PDF or volumes, manifest) when ``build`` would write them unchanged.

    That is when the last build of this output recorded in the cache was
    made by this code, from inputs with the same SHA-256 and times, the same
    case file and options, and its files are untouched since. None whenever
    anything differs, and always without the cache (``--no-cache``).
    """
    cache = open_cache(options.cache)
    return None if cache is None else fresh_outputs(options, cache)


def _without(timeline: Plan, rejection: Rejection) -> Plan:
    """The plan without one exhibit, renumbered, with the file listed as not included."""
    remaining = [
        e for e in timeline.exhibits if e.source.relpath != rejection.relpath and e.parent is None
    ]
    ordered = order_exhibits(remaining, timeline.case.zone)
    return dataclasses.replace(
        timeline,
        exhibits=label_all(ordered, strings(timeline.case.language)),
        rejections=(*timeline.rejections, rejection),
    )


def build_plan(
    options: BuildOptions, timeline: Plan, progress: Progress | None = None
) -> BuildResult:
    """Build the dossier PDF of a timeline made by ``plan``.

    Raises:
        FilesNotIncludedError: some files cannot be included and ``skip_unreadable`` is off.
        NothingToBuildError: the timeline has no exhibit.
        LayoutRejected: an exhibit cannot be laid out.
        OutputError: the PDF cannot be written.
        InputChangedError: an input file changed during the build.
    """
    from dossier.pdf.assemble import publishing, write_pdf
    from dossier.pdf.compose import Composer
    from dossier.pdf.seal import Sealer
    from dossier.pdf.sizing import choose_size, volume_paths

    check_buildable(timeline, options)
    words = strings(timeline.case.language)
    # PDF/A: the exhibit pages that cannot conform as they are, printed as images.
    rasters = plan_pdfa_pages(timeline, options)
    timeline = _without_font_warnings(timeline, rasters)
    # The date printed and recorded comes from the inputs, never the clock (reproducible).
    build_date = resolve_build_date(timeline.case, [e.source for e in timeline.exhibits])
    sealer = Sealer(timeline, options, build_date, words)
    # The PDF (or its volumes) and the manifest replace the previous ones together.
    with (
        publishing(options.output_path) as publication,
        tempfile.TemporaryDirectory(prefix="dossier-") as scratch,
    ):
        composer = Composer(
            timeline,
            words,
            build_date.value,
            Path(scratch),
            duplex=options.duplex,
            photos_per_page=options.photos_per_page,
            # PDF/A allows form fields only with the values drawn: they are printed in.
            flatten_forms=options.flatten_forms or options.pdfa,
            pdfa=options.pdfa,
            rasters=rasters,
            progress=progress,
            cache=open_cache(options.cache),
        )

        # Where each exhibit starts in each volume as last written: a PDF/A problem names its file.
        starts: dict[int, Mapping[int | str, int]] = {}

        def write_volume(layout: Layout, volume: int, path: Path) -> int:
            assembled = composer.assemble(layout, volume)
            starts[volume] = assembled.first_pages
            sealer.seal(assembled.writer, layout, volume, assembled.first_pages)
            return write_pdf(assembled.writer, path)

        # Lay out, at the finest picture resolution that fits (measured by writing).
        sized = choose_size(composer, options, write_volume)
        targets = volume_paths(options.output_path, sized.layout.volume_count)
        written = [
            publication.write(target, _fill_volume(sized, volume, write_volume))
            for volume, target in enumerate(targets, 1)
        ]
        size = sum(path.stat().st_size for path in written)
        if options.pdfa:
            # Never a file that says PDF/A and is not: checked before it is published.
            check_pdfa_volumes(written, targets, _page_owner(timeline, starts))
        # Every input once more, now that the PDF is complete: a change stops the build.
        sealer.recheck()
        manifest = sealer.write_manifest(options.output_path, publication)
    return BuildResult(
        output=targets[0],
        page_count=sized.layout.total,
        size=size,
        plan=timeline,
        first_pages=sized.layout.first_pages,
        notes=privacy_notes(timeline.exhibits, options.keep_metadata, options.attach_originals)
        + sized.notes
        + pdfa_notes(rasters)
        + _pdfa_checked(options, targets),
        volumes=targets if len(targets) > 1 else (),
        manifest=manifest,
    )


def plan_pdfa_pages(timeline: Plan, options: BuildOptions) -> Mapping[str, Raster]:
    """With ``options.pdfa``, the pages of PDF exhibits to print as images, by relative path.

    Raises:
        OutputError: ``attach_originals`` is set too (PDF/A-2 allows only PDF/A files inside).
    """
    if not options.pdfa:
        return {}
    if options.attach_originals:
        raise OutputError(
            M_(
                "--pdfa and --attach-originals cannot go together: PDF/A-2 allows no other "
                "files inside the PDF; build without one of them (the manifest beside the PDF "
                "keeps every file's SHA-256)"
            )
        )
    from dossier.pdf.pdfa import plan_rasters

    return plan_rasters(timeline.exhibits)


def _without_font_warnings(timeline: Plan, rasters: Mapping[str, Raster]) -> Plan:
    """The plan without "fonts not carried" warnings for exhibits printed as images for PDF/A.

    Every page that uses a font the PDF does not carry fails PDF/A and is
    printed as an image, so that warning ("it is kept as it is") would
    contradict the note above the page.
    """
    if not rasters:
        return timeline
    from dossier.readers.pdf import is_loose_fonts_warning

    exhibits = tuple(
        dataclasses.replace(
            exhibit,
            warnings=tuple(w for w in exhibit.warnings if not is_loose_fonts_warning(w)),
        )
        if exhibit.source.relpath in rasters
        else exhibit
        for exhibit in timeline.exhibits
    )
    return dataclasses.replace(timeline, exhibits=exhibits)


def _pdfa_checked(options: BuildOptions, targets: Sequence[Path]) -> tuple[str, ...]:
    """The summary's word that the PDF/A the user asked for was checked."""
    if not options.pdfa:
        return ()
    return (
        M_(
            "{files}: PDF/A-2b, checked before it was written (the README says what the "
            "check covers)",
            files=", ".join(target.name for target in targets),
        ),
    )


def pdfa_notes(rasters: Mapping[str, Raster]) -> tuple[str, ...]:
    """What the summary says of each PDF exhibit printed (in part) as images for PDF/A."""
    reasons = {
        "fonts": M_("its fonts are not embedded"),
        "colours": M_("its colours are CMYK, which PDF/A allows only with a CMYK profile"),
        "features": M_("it uses features PDF/A does not allow"),
    }
    return tuple(
        M_(
            "{file}: pages printed as images for PDF/A: {pages} ({reason}); "
            "their text stays searchable",
            file=relpath,
            pages=", ".join(str(index + 1) for index in raster.pages),
            reason=reasons[raster.reason],
        )
        for relpath, raster in sorted(rasters.items())
    )


def check_pdfa_volumes(
    written: Sequence[Path],
    targets: Sequence[Path],
    owner: Callable[[int, int], Exhibit | None] = lambda volume, page: None,
) -> None:
    """Check each volume written for PDF/A (``dossier.pdf.pdfa_check``).

    ``owner(volume, page)`` is the exhibit a page (1-based) of a volume shows,
    if any: the message names the file to leave out.

    Raises:
        OutputError: a volume does not conform; nothing is published.
    """
    from dossier.pdf.pdfa_check import check_pdfa

    for volume, (path, target) in enumerate(zip(written, targets, strict=True), 1):
        problems = check_pdfa(path)
        if not problems:
            continue
        said = "; ".join(str(p) for p in problems[:3])
        exhibit = next(
            (found for p in problems if p.page and (found := owner(volume, p.page))), None
        )
        if exhibit is not None:
            raise OutputError(
                M_(
                    "{file}: could not be made PDF/A-2b because of exhibit {ref} ({source}); "
                    "nothing was written; leave that file out of the folder, or build "
                    "without --pdfa{detail}",
                    file=target,
                    ref=exhibit.ref,
                    source=exhibit.source.relpath,
                    # The clauses of ISO 19005-2, in the check's English words only.
                    detail=TechnicalDetail(f" ({said})"),
                )
            )
        raise OutputError(
            M_(
                "{file}: could not be made PDF/A-2b; nothing was written; build without "
                "--pdfa{detail}",
                file=target,
                detail=TechnicalDetail(f" ({said})"),
            )
        )


def _page_owner(
    timeline: Plan, starts: Mapping[int, Mapping[int | str, int]]
) -> Callable[[int, int], Exhibit | None]:
    """The exhibit whose pages include a page (1-based) of a volume, from where each starts."""
    by_key = {exhibit.page_key: exhibit for exhibit in timeline.exhibits}

    def owner(volume: int, page: int) -> Exhibit | None:
        before = [
            (first, key) for key, first in starts.get(volume, {}).items() if first <= page - 1
        ]
        return by_key.get(max(before, key=lambda pair: pair[0])[1]) if before else None

    return owner


def _fill_volume(sized: Sized, volume: int, write_volume: Measure) -> Callable[[Path], object]:
    """What writes a volume in place: a copy of the candidate measured, or the write itself."""
    if sized.candidates:
        candidate = sized.candidates[volume - 1]
        return lambda path: shutil.copyfile(candidate, path)
    return lambda path: write_volume(sized.layout, volume, path)


def check_buildable(timeline: Plan, options: BuildOptions) -> None:
    """Raise the error a build of this timeline would stop with, if any.

    Raises:
        FilesNotIncludedError: some files cannot be included and ``skip_unreadable`` is off.
        NothingToBuildError: no file of the folder can become an exhibit.
    """
    if timeline.rejections and not options.skip_unreadable:
        raise FilesNotIncludedError(timeline.rejections)
    if not timeline.exhibits:
        raise NothingToBuildError(
            M_(
                "{folder}: no photo, screenshot, email, PDF or note to put in a dossier; "
                "add your evidence files to this folder{hint}",
                folder=options.folder,
                hint=_skipped_hint(timeline),
            )
        )


def _skipped_hint(timeline: Plan) -> str:
    """What the folder does hold that was left out, when that explains an empty dossier."""
    if not timeline.skipped:
        return ""
    return MN_(
        " ({count} file or link left out, with the reason:\n{files})",
        " ({count} files or links left out, each with the reason:\n{files})",
        len(timeline.skipped),
        files=left_out_lines(timeline.skipped),
    )


_NO_SETTINGS = ExhibitSettings()


def _no_progress(what: str, done: int, total: int) -> None:
    """Progress goes nowhere unless someone asks for it."""


def _check_folder(folder: Path) -> Path:
    if not folder.exists():
        raise InputFolderError(
            M_(
                "{folder}: no such folder; give the folder that holds your evidence files",
                folder=folder,
            )
        )
    if not folder.is_dir():
        raise InputFolderError(
            M_(
                "{folder}: not a folder; give the folder that holds your evidence files",
                folder=folder,
            )
        )
    return folder.resolve()


def _fingerprint_all(
    paths: list[Path], folder: Path, cache: Cache | None
) -> tuple[list[SourceFile], list[Rejection]]:
    def attempt(path: Path) -> SourceFile | Rejection:
        try:
            return fingerprint(path, folder, cache)
        except OSError as error:
            return Rejection(
                path.relative_to(folder).as_posix(),
                f"cannot be read ({error.strerror})",
                "check the file's permissions",
            )

    found = map_in_threads(attempt, paths)
    sources = [result for result in found if isinstance(result, SourceFile)]
    return sources, [result for result in found if isinstance(result, Rejection)]


def _check_case_keys(case: CaseFile, sources: list[SourceFile]) -> None:
    present = {source.relpath for source in sources}
    check_fact_files(case, present)
    for relpath in case.exhibits:
        if relpath not in present:
            raise CaseFileError(
                f'{CASE_FILE_NAME}: exhibits."{relpath}": no such file in the folder; '
                "correct the name (relative to the folder, with /) or remove the section"
            )

"""Look at a dossier without a PDF viewer: pages as PNG pictures, or the system viewer.

Pages are rendered with PDFium (pypdfium2), the engine of the Chrome PDF
viewer, so the pictures show what most readers will see.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

from dossier.discover import PREVIEW_MARKER, preview_pictures
from dossier.errors import InputFileError, OutputError, PreviewUnreadableError, os_problem
from dossier.i18n import M_

DEFAULT_DPI = 60


def default_preview_folder(pdf: Path) -> Path:
    """Where the pictures go unless told: ``dossier-preview/`` beside ``dossier.pdf``.

    Whatever the folder, the build skips the pictures listed in its
    ``PREVIEW_MARKER``, so a preview inside the case folder never becomes
    evidence itself.
    """
    return pdf.with_name(f"{pdf.stem}-preview")


def parse_pages(spec: str, count: int) -> list[int]:
    """Page numbers (1-based) from a list such as ``1,3-5``.

    Raises:
        ValueError: the list is malformed or names a page the document does not have.
    """
    pages: list[int] = []
    for part in spec.split(","):
        match = re.fullmatch(r"\s*(\d+)\s*(?:-\s*(\d+)\s*)?", part)
        if not match:
            raise ValueError(
                M_("{part!r} is not a page number or range such as 3-5", part=part.strip())
            )
        first = int(match.group(1))
        last = int(match.group(2) or first)
        if not 1 <= first <= last <= count:
            raise ValueError(
                M_("{part!r}: the dossier has pages 1 to {count}", part=part.strip(), count=count)
            )
        pages += [page for page in range(first, last + 1) if page not in pages]
    return pages


def render_pages(
    pdf: Path, folder: Path, dpi: float = DEFAULT_DPI, pages: str | None = None
) -> list[Path]:
    """Render pages of ``pdf`` to ``folder/page-001.png``, ``page-002.png``, ...

    Pictures go only into a folder preview made (or a new or empty one, which
    it then marks), never through a link. The pictures an earlier preview
    wrote there are removed first, so the folder always shows one dossier;
    nothing else in it is touched.

    Args:
        pdf: the dossier (or any PDF).
        folder: where the pictures go; created if needed.
        dpi: resolution; 60 gives a readable thumbnail of an A4 page.
        pages: which pages, e.g. ``1,3-5`` (default: all).

    Raises:
        InputFileError: ``pdf`` does not exist, or ``pages`` is wrong.
        PreviewUnreadableError: ``pdf`` is not a PDF or cannot be opened.
        OutputError: the folder cannot be created or written, is a link, or holds
            files that preview did not write.
    """
    if not pdf.is_file():
        raise InputFileError(
            M_(
                "{file}: no such file; give the dossier PDF to preview (build it first with "
                "dossier build)",
                file=str(pdf),
            )
        )
    import pypdfium2 as pdfium  # here: every other command starts without it

    try:
        document = pdfium.PdfDocument(pdf)
    except pdfium.PdfiumError as error:
        problem = (
            M_("is protected by a password")
            if "password" in str(error).lower()
            else M_("is not a PDF, or is damaged")
        )
        raise PreviewUnreadableError(
            M_(
                "{file}: {problem}; give the dossier PDF that dossier build wrote",
                file=str(pdf),
                problem=problem,
            )
        ) from None
    try:
        count = len(document)
        try:
            wanted = parse_pages(pages, count) if pages else list(range(1, count + 1))
        except ValueError as error:
            raise InputFileError(M_("--pages {problem}", problem=error.args[0])) from None
        width = max(3, len(str(count)))
        names = [f"page-{number:0{width}d}.png" for number in wanted]
        _prepare_folder(folder, names)
        written = []
        for number, name in zip(wanted, names, strict=True):
            target = folder / name
            page = document[number - 1]
            try:
                image = page.render(scale=dpi / 72).to_pil()
            finally:
                page.close()
            try:
                image.save(target, optimize=True)
            except OSError as error:
                raise OutputError(
                    M_(
                        "{file}: could not be written ({error}); choose another folder with -o",
                        file=str(target),
                        error=os_problem(error),
                    )
                ) from None
            written.append(target)
        return written
    finally:
        document.close()


def _prepare_folder(folder: Path, names: list[str]) -> None:
    """Make ``folder`` ready for the pictures ``names``: only what preview wrote is removed.

    Raises:
        OutputError: the folder is a link, holds files preview did not write,
            or cannot be written.
    """
    if folder.is_symlink():
        raise OutputError(
            M_(
                "{folder}: is a link; preview writes only into a folder of its own, "
                "never through a link; choose another folder with -o",
                folder=str(folder),
            )
        )
    try:
        folder.mkdir(parents=True, exist_ok=True)
        ours = preview_pictures(folder)
        if ours is None and any(folder.iterdir()):
            raise OutputError(
                M_(
                    "{folder}: holds files that dossier preview did not write; preview writes "
                    "into a new or empty folder only; choose another folder with -o",
                    folder=str(folder),
                )
            )
        ours = ours or frozenset()
        theirs = [
            name
            for name in names
            if name not in ours and ((folder / name).exists() or (folder / name).is_symlink())
        ]
        if theirs:
            raise OutputError(
                M_(
                    "{file}: was not written by dossier preview and would be "
                    "replaced; move it away or choose another folder with -o",
                    file=str(folder / theirs[0]),
                )
            )
        for name in sorted(ours):
            (folder / name).unlink(missing_ok=True)
        (folder / PREVIEW_MARKER).write_text(
            "".join(f"{name}\n" for name in names), encoding="utf-8"
        )
    except OSError as error:
        raise OutputError(
            M_(
                "{folder}: cannot write the page pictures here ({error}); "
                "choose another folder with -o",
                folder=str(folder),
                error=os_problem(error),
            )
        ) from None


def open_in_viewer(path: Path) -> str | None:
    """Open a file with the system's viewer, without waiting for it.

    Returns:
        The program asked to open it, or None when this system has none.
    """
    if sys.platform == "win32":
        os.startfile(path)  # the documented way on Windows
        return "the default viewer"
    command = "open" if sys.platform == "darwin" else "xdg-open"
    program = shutil.which(command)
    if program is None:
        return None
    subprocess.Popen(
        [program, str(path)],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    return command

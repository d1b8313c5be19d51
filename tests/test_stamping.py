"""Stamp bands and footers drawn over every page, whatever the page's own content is."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

from pypdf import PdfReader, PdfWriter
from pypdf.generic import NameObject
from reportlab.pdfgen import canvas

from dossier.model import BuildResult
from tests.conftest import footer_numbers, read_pdf
from tests.conftest_trust import pdftoppm_warnings, qpdf_check


def statement_with_shared_resources(path: Path, pages: int) -> Path:
    """A PDF whose pages all point to one resources dictionary, as many generators write."""
    drawing = canvas.Canvas(str(path), pagesize=(595, 842))
    for number in range(1, pages + 1):
        drawing.setFont("Helvetica", 14)
        drawing.drawString(72, 760, f"Releve de compte, feuillet {number}")
        drawing.showPage()
    drawing.save()
    writer = PdfWriter(clone_from=PdfReader(path))
    shared = writer._add_object(writer.pages[0]["/Resources"].get_object())
    for page in writer.pages:
        page[NameObject("/Resources")] = shared
    writer.write(path)
    return path


def test_pages_sharing_their_resources_keep_their_own_stamp(
    tmp_path: Path, build_case: Callable[..., BuildResult]
) -> None:
    """This test ensures that pages sharing one resources dictionary each get their own footer."""
    folder = tmp_path / "case"
    folder.mkdir()
    statement_with_shared_resources(folder / "releve.pdf", 3)
    result = build_case(folder)
    facts = read_pdf(result.output)
    first = result.first_pages[1] - 1
    for k in range(3):
        text = facts.texts[first + k]
        assert f"Releve de compte, feuillet {k + 1}" in text
        assert f"page {k + 1}/3 de la pièce" in text
        assert footer_numbers(text) == (first + k + 1, facts.page_count)
        # Each page names its own overlay only, not those of the pages it shared with.
        forms = facts.reader.pages[first + k]["/Resources"]["/XObject"]
        assert len([name for name in forms if name.startswith("/Stamp")]) == 1
    assert qpdf_check(result.output) == ""


def test_a_dossier_inside_a_dossier_keeps_both_stamps(
    samples_dir: Path, tmp_path: Path, build_case: Callable[..., BuildResult]
) -> None:
    """This test ensures that a page already stamped (an earlier dossier) keeps its stamp under the new one.

    Its pages already use the overlay's resource name; the new overlay must
    take another name, not replace the old stamp.
    """
    earlier = build_case(shutil.copytree(samples_dir / "double-charge", tmp_path / "earlier"))
    earlier_pages = PdfReader(earlier.output).get_num_pages()
    folder = tmp_path / "case"
    folder.mkdir()
    shutil.copy(earlier.output, folder / "envoi-du-5-novembre.pdf")
    result = build_case(folder, output=tmp_path / "new" / "dossier.pdf")
    facts = read_pdf(result.output)
    first = result.first_pages[1] - 1
    for k in range(earlier_pages):
        text = facts.texts[first + k]
        assert f"pagina {k + 1} / {earlier_pages}" in text, "the earlier (Dutch) footer is gone"
        assert f"page {first + k + 1} / {facts.page_count}" in text, "no new footer"
    assert qpdf_check(result.output) == ""
    renders = tmp_path / "pages"
    renders.mkdir()
    assert pdftoppm_warnings(result.output, renders) == ""

"""An imported PDF that uses fonts it does not carry is kept as it is, and the build says so."""

from __future__ import annotations

import json
import shutil
import subprocess
from email.message import EmailMessage
from pathlib import Path

import pytest
from click.testing import CliRunner
from pypdf import PdfReader
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas

from dossier import api
from dossier.cli import main
from dossier.layout.style import layouts_dir
from dossier.model import BuildOptions, PdfContent
from dossier.pdf.manifest import manifest_path
from dossier.readers.pdf import fonts_not_embedded
from tests.conftest import CORPUS, NOW


def _standard_fonts_pdf(path: Path, fonts: tuple[str, ...]) -> None:
    """An invoice set in standard-14 fonts, which reportlab names but never embeds."""
    options = {"initialFontName": fonts[0]}
    canvas = Canvas(str(path), pagesize=(595, 842), **options)
    for line, font in enumerate(fonts):
        canvas.setFont(font, 12)
        canvas.drawString(72, 770 - 20 * line, f"Facture 402-{line}: 23,99 EUR ({font})")
    canvas.showPage()
    canvas.save()


def _embedded_font_pdf(path: Path) -> None:
    """A delivery note set in DejaVu Sans only, embedded by reportlab (no initial Helvetica)."""
    pdfmetrics.registerFont(TTFont("ExhibitDejaVu", str(layouts_dir() / "fonts/DejaVuSans.ttf")))
    options = {"initialFontName": "ExhibitDejaVu"}
    canvas = Canvas(str(path), pagesize=(420, 595), **options)
    canvas.setFont("ExhibitDejaVu", 11)
    canvas.drawString(40, 540, "Bon de livraison — Łukasz Dvořák, Gent")
    canvas.showPage()
    canvas.save()


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, api.BuildResult]:
    folder = tmp_path_factory.mktemp("fonts") / "case"
    folder.mkdir()
    _standard_fonts_pdf(folder / "facture.pdf", ("Helvetica", "Times-Bold"))
    _embedded_font_pdf(folder / "bon-de-livraison.pdf")
    # The same kind of PDF, attached to an email: an exhibit of its own, warned about too.
    attached = folder.parent / "attached.pdf"
    _standard_fonts_pdf(attached, ("Courier",))
    message = EmailMessage()
    message["From"] = "Boutique <shop@example.be>"
    message["To"] = "Noor Peeters <noor@example.be>"
    message["Subject"] = "Uw factuur"
    message["Date"] = "Tue, 03 Nov 2026 10:00:00 +0100"
    message.set_content("In bijlage de factuur.")
    message.add_attachment(
        attached.read_bytes(), maintype="application", subtype="pdf", filename="factuur.pdf"
    )
    (folder / "mail.eml").write_bytes(bytes(message))
    result = api.build(BuildOptions(folder=folder, output=folder.parent / "d.pdf", now=NOW))
    return folder, result


def test_warning_names_the_fonts_in_plain_words(built):
    """This test ensures that a PDF with standard fonts gets a warning naming them."""
    _, result = built
    by_path = {e.source.relpath: e for e in result.plan.exhibits}
    facture = by_path["facture.pdf"]
    assert isinstance(facture.content, PdfContent)
    assert facture.content.fonts_not_embedded == ("Helvetica", "Times-Bold")
    (warning,) = [w for w in facture.warnings if "does not carry" in w]
    assert warning.startswith("the PDF uses fonts it does not carry (Helvetica, Times-Bold)")
    assert "print shop may refuse" in warning
    note = by_path["bon-de-livraison.pdf"]
    assert note.content.fonts_not_embedded == ()
    assert not [w for w in note.warnings if "does not carry" in w]
    attachment = next(e for path, e in by_path.items() if path.endswith("factuur.pdf"))
    assert attachment.content.fonts_not_embedded == ("Courier",)
    assert any("uses font it does not carry (Courier)" in w for w in attachment.warnings)


def test_manifest_lists_the_fonts_and_the_warning(built):
    """This test ensures that the manifest says which fonts each PDF exhibit lacks."""
    _, result = built
    manifest = json.loads(manifest_path(result.output).read_text(encoding="utf-8"))
    files = {entry["path"]: entry for entry in manifest["files"]}
    assert files["facture.pdf"]["fonts_not_embedded"] == ["Helvetica", "Times-Bold"]
    assert any("does not carry" in w for w in files["facture.pdf"]["warnings"])
    assert files["bon-de-livraison.pdf"]["fonts_not_embedded"] == []
    assert files["mail.eml"]["fonts_not_embedded"] is None


def test_exhibit_pages_keep_their_own_fonts(built):
    """This test ensures that the evidence is not changed: its page still names Helvetica."""
    _, result = built
    reader = PdfReader(result.output)
    names = set()
    for page in reader.pages:
        fonts = page["/Resources"].get_object().get("/Font", {})
        names |= {str(font.get_object()["/BaseFont"]) for font in fonts.values()}
    assert {"/Helvetica", "/Times-Bold", "/Courier"} <= names


def test_command_line_prints_the_warning(built, tmp_path):
    """This test ensures that the user reads the warning at the end of the build."""
    folder, _ = built
    output = tmp_path / "again.pdf"
    result = CliRunner().invoke(main, ["build", str(folder), "-o", str(output)])
    assert result.exit_code == 0, result.output
    assert "facture.pdf: the PDF uses fonts it does not carry (Helvetica, Times-Bold)" in (
        result.output
    )
    assert "bon-de-livraison.pdf: the PDF uses" not in result.output


@pytest.mark.corpus
def test_a_form_field_appearance_without_its_font_is_found():
    """This test ensures that fonts used by form fields' appearances are looked at too.

    LibreOffice's form names Ubuntu, not embedded, in a field's appearance,
    next to embedded subsets of the same and other fonts.
    """
    source = CORPUS / "pdfs" / "sample-files__libreoffice-form.pdf"
    assert fonts_not_embedded(PdfReader(source)) == ("Ubuntu",)


@pytest.mark.corpus
@pytest.mark.skipif(shutil.which("pdffonts") is None, reason="poppler-utils is not installed")
@pytest.mark.parametrize(
    "name", sorted(p.name for p in (CORPUS / "pdfs").glob("*.pdf")) if CORPUS.is_dir() else []
)
def test_poppler_agrees_on_every_corpus_pdf(name):
    """This test ensures that the fonts found are the ones poppler's pdffonts lists as not embedded."""
    source = CORPUS / "pdfs" / name
    listing = subprocess.run(["pdffonts", str(source)], capture_output=True, text=True)
    if listing.returncode != 0:
        pytest.skip("poppler cannot read it either (damaged or protected)")
    # The last columns are: emb sub uni object-number generation.
    expected = {
        line.split()[0].split("+", 1)[-1]
        for line in listing.stdout.splitlines()[2:]
        if line.split()[-5] == "no"
    }
    try:
        reader = PdfReader(source)
        if reader.is_encrypted and not reader.decrypt(""):
            pytest.skip("protected by a password")
    except Exception:
        pytest.skip("pypdf cannot open it")
    assert set(fonts_not_embedded(reader)) == expected

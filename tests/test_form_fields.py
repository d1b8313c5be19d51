"""Imported PDFs with form fields keep their field tree: parents, kids and values."""

from __future__ import annotations

import logging
import shutil
import subprocess
from pathlib import Path

import pypdfium2
import pytest
from PIL import Image, ImageChops
from pypdf import PdfReader, PdfWriter
from pypdf.generic import ArrayObject, DictionaryObject, NameObject, TextStringObject
from reportlab.pdfgen.canvas import Canvas

from dossier import api
from dossier.model import BuildOptions
from tests.conftest import CORPUS, NOW

pytestmark = pytest.mark.skipif(shutil.which("qpdf") is None, reason="qpdf is not installed")


def _return_form(path: Path, name: str, solution: str) -> None:
    """A filled-in return form: text, a check box, a radio group, and an address field of two parts.

    reportlab writes the radio group as a parent field with one widget per
    button; pypdf then puts the street and the city under an "adres" field,
    as form designers do ("adres.straat").
    """
    drawn = path.with_suffix(".flat.pdf")
    canvas = Canvas(str(drawn), pagesize=(595, 842))
    canvas.setFont("Helvetica", 12)
    canvas.drawString(72, 780, "Retourformulier / Formulaire de retour")
    form = canvas.acroForm
    form.textfield(name="naam", value=name, x=72, y=700, width=250, height=20)
    form.textfield(name="straat", value="Veldstraat 12", x=72, y=660, width=250, height=20)
    form.textfield(name="stad", value="9000 Gent", x=72, y=630, width=250, height=20)
    form.checkbox(name="beschadigd", checked=True, x=72, y=590, size=14)
    # A note for the shop's staff, hidden: it neither shows nor prints.
    form.textfield(
        name="intern",
        value="INTERNE NOTA",
        x=300,
        y=590,
        width=200,
        height=20,
        annotationFlags="hidden",
    )
    for i, value in enumerate(("terugbetaling", "vervanging")):
        form.radio(name="oplossing", value=value, selected=value == solution, x=72 + 120 * i, y=550)
    canvas.showPage()
    canvas.save()
    writer = PdfWriter(clone_from=drawn)
    acroform = writer.root_object["/AcroForm"]
    fields = acroform["/Fields"]
    address = DictionaryObject(
        {NameObject("/T"): TextStringObject("adres"), NameObject("/Kids"): ArrayObject()}
    )
    address_ref = writer._add_object(address)
    for reference in list(fields):
        field = reference.get_object()
        if field.get("/T") in ("straat", "stad"):
            fields.remove(reference)
            field[NameObject("/Parent")] = address_ref
            address["/Kids"].append(reference)
    fields.append(address_ref)
    writer.write(path)
    drawn.unlink()


def _qpdf_check(path: Path) -> str:
    run = subprocess.run(["qpdf", "--check", str(path)], capture_output=True, text=True)
    assert run.returncode == 0, run.stdout + run.stderr
    return run.stdout + run.stderr


def _tree(reader: PdfReader) -> dict[str, tuple[str | None, object]]:
    """Each widget's full field name, its parent's name and its value (or state)."""
    tree = {}
    for page in reader.pages:
        for reference in page.get("/Annots", []) or []:
            widget = reference.get_object()
            if widget.get("/Subtype") != "/Widget":
                continue
            names, node = [], widget
            while node is not None:
                if "/T" in node:
                    names.append(str(node["/T"]))
                parent = node.get("/Parent")
                node = parent.get_object() if parent is not None else None
            parent = widget.get("/Parent")
            parent_name = str(parent.get_object().get("/T")) if parent is not None else None
            value = widget.get("/V", widget.get("/AS"))
            key = ".".join(reversed(names))
            while key in tree:  # the buttons of a radio group share their name
                key += "'"
            tree[key] = (parent_name, str(value))
    return tree


def _kids_are_widgets_on_pages(reader: PdfReader) -> bool:
    on_pages = {
        reference.idnum for page in reader.pages for reference in page.get("/Annots", []) or []
    }
    kids: set[int] = set()

    def walk(reference) -> None:
        for kid in reference.get_object().get("/Kids", []):
            kids.add(kid.idnum)
            walk(kid)

    for field in reader.root_object["/AcroForm"]["/Fields"]:
        walk(field)
    return kids <= on_pages


@pytest.fixture(scope="module")
def forms(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    folder = tmp_path_factory.mktemp("forms") / "case"
    folder.mkdir()
    _return_form(folder / "retour-noor.pdf", "Noor Peeters", "vervanging")
    _return_form(folder / "retour-tweede.pdf", "Jonas Claes", "terugbetaling")
    output = folder.parent / "d.pdf"
    api.build(BuildOptions(folder=folder, output=output, now=NOW))
    return folder, output


def test_field_tree_and_values_survive(forms, caplog):
    """This test ensures that parents, kids and values of a form are those of the original.

    pypdf reads the fields without a warning (such as "SubType on non-terminal field").
    """
    folder, output = forms
    original = PdfReader(folder / "retour-noor.pdf")
    assert "oplossing" in original.get_fields()
    built = PdfReader(output)
    with caplog.at_level(logging.WARNING, logger="pypdf"):
        fields = built.get_fields()
    assert caplog.records == []
    assert fields["naam"]["/V"] == "Noor Peeters"
    assert fields["adres.straat"]["/V"] == "Veldstraat 12"
    assert fields["adres.stad"]["/V"] == "9000 Gent"
    assert fields["beschadigd"]["/V"] == "/Yes"
    assert fields["oplossing"]["/V"] == "/vervanging"
    built_tree = _tree(built)
    for key, (parent, value) in _tree(original).items():
        assert built_tree[key] == (parent, value), key
    assert _kids_are_widgets_on_pages(built)


def test_second_copy_of_a_form_keeps_its_own_values(forms):
    """This test ensures that two exhibits of one form do not share their fields' values."""
    _, output = forms
    fields = PdfReader(output).get_fields()
    assert fields["naam (2)"]["/V"] == "Jonas Claes"
    assert fields["oplossing (2)"]["/V"] == "/terugbetaling"
    assert fields["adres (2).straat"]["/V"] == "Veldstraat 12"


def test_qpdf_finds_the_result_as_clean_as_the_original(forms):
    """This test ensures that qpdf checks the dossier without warnings, as it does the form."""
    folder, output = forms
    assert "WARNING" not in _qpdf_check(folder / "retour-noor.pdf")
    assert "WARNING" not in _qpdf_check(output)


@pytest.mark.corpus
def test_libreoffice_form_keeps_its_fields(tmp_path):
    """This test ensures that a real LibreOffice form keeps its filled-in values and names."""
    source = CORPUS / "pdfs" / "sample-files__libreoffice-form.pdf"
    folder = tmp_path / "case"
    folder.mkdir()
    shutil.copy(source, folder / "form.pdf")
    output = tmp_path / "d.pdf"
    api.build(BuildOptions(folder=folder, output=output, now=NOW))
    original = PdfReader(source).get_fields()
    built = PdfReader(output).get_fields()
    assert {name: field.get("/V") for name, field in built.items()} == {
        name: field.get("/V") for name, field in original.items()
    }
    assert built["First Name"]["/V"] == "Alice"
    assert "WARNING" not in _qpdf_check(output)


@pytest.fixture(scope="module")
def flattened(forms) -> Path:
    folder, _ = forms
    output = folder.parent / "flat.pdf"
    api.build(BuildOptions(folder=folder, output=output, now=NOW, flatten_forms=True))
    return output


def test_flattened_form_prints_its_values_as_page_content(flattened):
    """This test ensures that flattening draws each printed field into its page and drops the form."""
    reader = PdfReader(flattened)
    assert "/AcroForm" not in reader.root_object
    widgets = [
        reference
        for page in reader.pages
        for reference in page.get("/Annots", []) or []
        if reference.get_object().get("/Subtype") == "/Widget"
    ]
    assert widgets == []
    text = "".join(page.extract_text() for page in reader.pages)
    assert "Noor Peeters" in text and "Jonas Claes" in text
    assert "Veldstraat 12" in text and "9000 Gent" in text
    assert "INTERNE NOTA" not in text  # hidden: a print of the form does not show it
    assert "WARNING" not in _qpdf_check(flattened)


def test_flattened_form_keeps_the_check_marks(flattened, forms):
    """This test ensures that the ticked box and the chosen radio button are drawn where they were.

    Where the kept form has its check box and chosen button, the flattened
    page differs from the same page with its fields simply removed.
    """
    folder, kept = forms
    reader = PdfReader(kept)
    index = next(
        i
        for i, page in enumerate(reader.pages)
        if any(a.get_object().get("/V") == "Noor Peeters" for a in page.get("/Annots", []) or [])
    )
    rects = []
    for reference in reader.pages[index]["/Annots"]:
        widget = reference.get_object()
        parent = widget.get("/Parent")
        name = widget.get("/T") or parent.get_object().get("/T")
        if name == "beschadigd" or (name == "oplossing" and widget.get("/AS") == "/vervanging"):
            rects.append([float(v) for v in widget["/Rect"]])
    assert len(rects) == 2
    bare = PdfWriter(clone_from=kept)
    for page in bare.pages:
        if "/Annots" in page:
            del page["/Annots"]
    bare_path = folder.parent / "bare.pdf"
    bare.write(bare_path)
    height = float(reader.pages[index].mediabox.height)
    flat_picture, bare_picture = _render(flattened, index), _render(bare_path, index)
    for left, bottom, right, top in rects:
        box = (int(left * 2), int((height - top) * 2), int(right * 2), int((height - bottom) * 2))
        difference = ImageChops.difference(flat_picture.crop(box), bare_picture.crop(box))
        assert sum(1 for value in difference.tobytes() if value > 96) > 10


def _render(pdf: Path, index: int) -> Image.Image:
    document = pypdfium2.PdfDocument(str(pdf))
    picture = document[index].render(scale=2, may_draw_forms=False).to_pil().convert("L")
    document.close()
    return picture


@pytest.mark.corpus
def test_flattened_libreoffice_form_shows_the_values_its_appearances_lacked(tmp_path):
    """This test ensures that values a form left viewers to draw (NeedAppearances) are drawn.

    The LibreOffice form holds "Alice" and "Bob" in its fields but empty
    appearances: flattened as they are, the names would silently vanish.
    """
    source = CORPUS / "pdfs" / "sample-files__libreoffice-form.pdf"
    folder = tmp_path / "case"
    folder.mkdir()
    shutil.copy(source, folder / "form.pdf")
    output = tmp_path / "d.pdf"
    api.build(BuildOptions(folder=folder, output=output, now=NOW, flatten_forms=True))
    text = "".join(page.extract_text() for page in PdfReader(output).pages)
    assert "Alice" in text and "Bob" in text
    assert "WARNING" not in _qpdf_check(output)


@pytest.mark.corpus
def test_the_command_line_flattens_forms_only_when_asked(tmp_path):
    """This test ensures that --flatten-forms prints the values and leaves no field; without it, fields stay."""
    from click.testing import CliRunner

    from dossier.cli import main

    folder = tmp_path / "case"
    folder.mkdir()
    shutil.copy(CORPUS / "pdfs" / "sample-files__libreoffice-form.pdf", folder / "form.pdf")
    kept, flat = tmp_path / "kept.pdf", tmp_path / "flat.pdf"
    runner = CliRunner()
    result = runner.invoke(main, ["build", str(folder), "-o", str(kept)])
    assert result.exit_code == 0, result.output
    result = runner.invoke(main, ["build", str(folder), "-o", str(flat), "--flatten-forms"])
    assert result.exit_code == 0, result.output
    assert (PdfReader(kept).get_fields() or {}).get("First Name", {}).get("/V") == "Alice"
    assert not PdfReader(flat).get_fields()
    assert "Alice" in "".join(page.extract_text() for page in PdfReader(flat).pages)


def test_a_field_with_widgets_on_two_pages_stays_one_field(tmp_path):
    """This test ensures that a radio group spread over two pages keeps both buttons and its value.

    Each button points to the dossier page it is on, not to a stray copy.
    """
    folder = tmp_path / "case"
    folder.mkdir()
    canvas = Canvas(str(folder / "keuze.pdf"), pagesize=(595, 842))
    for number, (value, selected) in enumerate((("ja", True), ("nee", False)), start=1):
        canvas.drawString(72, 780, f"Vraag {number}")
        canvas.acroForm.radio(name="keuze", value=value, selected=selected, x=72, y=700)
        canvas.showPage()
    canvas.save()
    output = tmp_path / "d.pdf"
    api.build(BuildOptions(folder=folder, output=output, now=NOW))
    reader = PdfReader(output)
    assert reader.get_fields()["keuze"]["/V"] == "/ja"
    pages = {page.indirect_reference.idnum: index for index, page in enumerate(reader.pages)}
    placed = []
    for index, page in enumerate(reader.pages):
        for reference in page.get("/Annots", []) or []:
            widget = reference.get_object()
            if widget.get("/Subtype") == "/Widget":
                assert widget["/Parent"].get_object()["/T"] == "keuze"
                assert pages[widget.raw_get("/P").idnum] == index
                placed.append(index)
    assert len(placed) == 2 and placed[0] != placed[1]
    assert _kids_are_widgets_on_pages(reader)
    assert "WARNING" not in _qpdf_check(output)

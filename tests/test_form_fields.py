"""Imported PDFs with form fields keep their field tree: parents, kids and values."""

from __future__ import annotations

import logging
import shutil
import subprocess
from pathlib import Path

import pytest
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

"""A PDF page whose form draws itself is left out with a reason; the rest of the file is kept."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner
from pypdf import PdfReader, PdfWriter
from pypdf.generic import (
    ArrayObject,
    DecodedStreamObject,
    DictionaryObject,
    NameObject,
    NumberObject,
)

from dossier.cli import main
from dossier.readers.recursion import draws_itself


def _self_drawing_form(writer: PdfWriter) -> object:
    """A form XObject whose content draws the form itself."""
    form = DecodedStreamObject()
    form.set_data(b"0 0 m 10 10 l S /Me Do")
    form.update(
        {
            NameObject("/Type"): NameObject("/XObject"),
            NameObject("/Subtype"): NameObject("/Form"),
            NameObject("/BBox"): ArrayObject([NumberObject(v) for v in (0, 0, 100, 100)]),
        }
    )
    reference = writer._add_object(form)
    form[NameObject("/Resources")] = DictionaryObject(
        {NameObject("/XObject"): DictionaryObject({NameObject("/Me"): reference})}
    )
    return reference


def bomb_pdf(path: Path) -> None:
    """Three pages; the second draws a form that contains itself."""
    writer = PdfWriter()
    for number in range(3):
        page = writer.add_blank_page(300, 300)
        content = DecodedStreamObject()
        content.set_data(
            b"BT /F1 12 Tf 20 20 Td (page) Tj ET" + (b" /B Do" if number == 1 else b"")
        )
        page[NameObject("/Contents")] = writer._add_object(content)
        if number == 1:
            page[NameObject("/Resources")] = DictionaryObject(
                {
                    NameObject("/XObject"): DictionaryObject(
                        {NameObject("/B"): _self_drawing_form(writer)}
                    )
                }
            )
    writer.write(path)


def test_self_drawing_page_is_left_out_with_a_reason(tmp_path: Path) -> None:
    """This test ensures that the page that draws itself is not in the dossier, and why."""
    folder = tmp_path / "case"
    folder.mkdir()
    bomb_pdf(folder / "statement.pdf")
    output = tmp_path / "d.pdf"
    result = CliRunner().invoke(main, ["build", str(folder), "-o", str(output)])
    assert result.exit_code == 0, result.output
    assert (
        "statement.pdf: page 2 left out: it draws itself without end (a form that contains "
        "itself), which makes viewers run out of memory" in result.output
    )
    reader = PdfReader(output)
    assert not any(draws_itself(page) for page in reader.pages)
    # The index, the two pages kept and the integrity appendix.
    assert len(reader.pages) == 4


def test_a_file_whose_every_page_draws_itself_is_not_included(tmp_path: Path) -> None:
    """This test ensures that a PDF with nothing safe to show is listed as not included."""
    writer = PdfWriter()
    page = writer.add_blank_page(300, 300)
    page[NameObject("/Resources")] = DictionaryObject(
        {NameObject("/XObject"): DictionaryObject({NameObject("/B"): _self_drawing_form(writer)})}
    )
    folder = tmp_path / "case"
    folder.mkdir()
    writer.write(folder / "loop.pdf")
    (folder / "note.txt").write_text("A note.\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["list", str(folder)])
    assert result.exit_code == 3
    assert "loop.pdf: every page draws itself without end" in result.stderr

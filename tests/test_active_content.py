"""Nothing in a PDF exhibit runs or opens in the dossier: actions out, web links kept."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner
from pypdf import PdfReader, PdfWriter
from pypdf.generic import (
    ArrayObject,
    DictionaryObject,
    FloatObject,
    NameObject,
    NumberObject,
    TextStringObject,
)

from dossier.cli import main


def _action(kind: str, **entries: str) -> DictionaryObject:
    action = DictionaryObject({NameObject("/S"): NameObject(f"/{kind}")})
    for key, value in entries.items():
        action[NameObject(f"/{key}")] = TextStringObject(value)
    return action


def _annotation(writer: PdfWriter, subtype: str, **entries: object) -> object:
    annotation = DictionaryObject(
        {
            NameObject("/Type"): NameObject("/Annot"),
            NameObject("/Subtype"): NameObject(f"/{subtype}"),
            NameObject("/Rect"): ArrayObject([FloatObject(v) for v in (10, 10, 90, 30)]),
        }
    )
    for key, value in entries.items():
        annotation[NameObject(f"/{key}")] = value  # type: ignore[assignment]
    return writer._add_object(annotation)


def armed_pdf(path: Path) -> None:
    """One page with a page action, a scripted form field, scripted and plain links."""
    writer = PdfWriter()
    page = writer.add_blank_page(300, 300)
    script = _action("JavaScript", JS="app.alert('stolen')")
    page[NameObject("/AA")] = DictionaryObject({NameObject("/O"): script})
    web = _action("URI", URI="https://example.org/order")
    web[NameObject("/Next")] = _action("JavaScript", JS="app.launchURL('x')")
    page[NameObject("/Annots")] = ArrayObject(
        [
            _annotation(writer, "Link", A=web),
            _annotation(writer, "Link", A=_action("Launch", F="calc.exe")),
            _annotation(writer, "Link", A=_action("URI", URI="javascript:alert(1)")),
            _annotation(writer, "Link", A=_action("GoToR", F="other.pdf")),
            _annotation(
                writer,
                "Widget",
                FT=NameObject("/Tx"),
                T=TextStringObject("card"),
                A=_action("SubmitForm", F="https://evil.example/"),
                AA=DictionaryObject({NameObject("/K"): _action("JavaScript", JS="x()")}),
            ),
            _annotation(writer, "RichMedia"),
        ]
    )
    page[NameObject("/Rotate")] = NumberObject(0)
    writer.write(path)


def test_active_content_is_removed_and_reported(tmp_path: Path) -> None:
    """This test ensures that no action but a web link survives, and the build says so."""
    folder = tmp_path / "case"
    folder.mkdir()
    armed_pdf(folder / "invoice.pdf")
    output = tmp_path / "dossier.pdf"
    result = CliRunner().invoke(main, ["build", str(folder), "-o", str(output)])
    assert result.exit_code == 0, result.output
    assert (
        "active content removed (GoToR, JavaScript, Launch, RichMedia, SubmitForm, URI)"
        in result.output
    )
    flat = subprocess.run(
        ["qpdf", "--qdf", "--object-streams=disable", str(output), "-"],
        capture_output=True,
        check=True,
    ).stdout
    for name in (b"/JavaScript", b"/JS", b"/Launch", b"/SubmitForm", b"/GoToR", b"/RichMedia"):
        assert name not in flat, name
    assert b"javascript:" not in flat and b"calc.exe" not in flat
    links = [
        annotation.get_object()["/A"]
        for page in PdfReader(output).pages
        for annotation in page.get("/Annots", [])
        if annotation.get_object().get("/Subtype") == "/Link" and "/A" in annotation.get_object()
    ]
    assert {"/S": "/URI", "/URI": "https://example.org/order"} in [dict(a) for a in links]
    assert all("/AA" not in page for page in PdfReader(output).pages)


@pytest.mark.corpus
def test_links_inside_a_document_are_dropped_without_a_warning(corpus_dir: Path, tmp_path: Path):
    """This test ensures that a lecture script's table of contents (GoTo links) raises no alarm.

    Its links to its own pages would point to the wrong pages of the dossier:
    they are removed, but they run or open nothing, so the build does not
    call them active content. The LibreOffice form's field actions still are.
    """
    folder = tmp_path / "case"
    folder.mkdir()
    for name in ("sample-files__GeoTopo-komprimiert.pdf", "sample-files__libreoffice-form.pdf"):
        shutil.copy(corpus_dir / "pdfs" / name, folder / name)
    source = PdfReader(folder / "sample-files__GeoTopo-komprimiert.pdf")
    internal = [
        annotation.get_object()
        for page in source.pages
        for annotation in page.get("/Annots", [])
        if annotation.get_object().get("/Subtype") == "/Link"
        and "/URI" not in (annotation.get_object().get("/A") or {})
    ]
    assert internal  # the script does have links to its own pages
    output = tmp_path / "dossier.pdf"
    result = CliRunner().invoke(main, ["build", str(folder), "-o", str(output)])
    assert result.exit_code == 0, result.output
    warned = [line for line in result.output.splitlines() if "active content removed" in line]
    assert [line.split(":")[0].strip() for line in warned] == ["sample-files__libreoffice-form.pdf"]
    # On GeoTopo's pages in the dossier, its web links are left and none of the others.
    reader = PdfReader(output)
    pages = [
        page
        for page in reader.pages
        if "Geometrie und Topologie" in (text := page.extract_text() or "")
        and f"/{len(source.pages)} " in text  # the stamp: "p. 12/117 of the exhibit"
    ]
    links = [
        annotation.get_object()
        for page in pages
        for annotation in page.get("/Annots", [])
        if annotation.get_object().get("/Subtype") == "/Link"
    ]
    assert len(pages) == len(source.pages)
    assert links and all(link["/A"]["/S"] == "/URI" for link in links)
    assert not any("/Dest" in link for link in links)

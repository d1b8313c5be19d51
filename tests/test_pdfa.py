"""PDF/A-2b output (--pdfa): every dossier passes the check, and the check fails what does not conform."""

from __future__ import annotations

import hashlib
import shutil
import subprocess
from pathlib import Path

import pypdfium2 as pdfium
import pytest
from click.testing import CliRunner
from PIL import Image, ImageChops, ImageDraw
from pypdf import PdfReader, PdfWriter
from pypdf.annotations import Text
from pypdf.generic import (
    ArrayObject,
    DictionaryObject,
    FloatObject,
    NameObject,
    NumberObject,
    StreamObject,
    TextStringObject,
)
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas

from dossier import api
from dossier.cli import main
from dossier.errors import OutputError
from dossier.layout.style import layouts_dir
from dossier.model import BuildOptions
from dossier.pdf import sizing
from dossier.pdf.manifest import manifest_path
from dossier.pdf.pdfa import Raster, draw_rasters
from dossier.pdf.pdfa_check import check_pdfa, page_problems
from dossier.pdf.verify import verify
from tests.conftest import CORPUS, NOW
from tests.conftest_samples import SAMPLES
from tests.test_signature_image import signature_case

pytestmark = pytest.mark.skipif(shutil.which("qpdf") is None, reason="qpdf is not installed")


def _qpdf_ok(path: Path) -> None:
    checked = subprocess.run(["qpdf", "--check", str(path)], capture_output=True, text=True)
    assert checked.returncode == 0, checked.stdout + checked.stderr


def _conforms(path: Path) -> None:
    assert [str(p) for p in check_pdfa(path)] == []
    _qpdf_ok(path)
    reader = PdfReader(path)
    assert reader.attachments == {}
    xmp = reader.trailer["/Root"]["/Metadata"].get_object().get_data().decode("utf-8")
    assert "<pdfaid:part>2</pdfaid:part>" in xmp
    assert "<pdfaid:conformance>B</pdfaid:conformance>" in xmp


def _loose_font_invoice(path: Path, lines: list[str]) -> None:
    """An invoice set in Helvetica, which reportlab names but never embeds."""
    canvas = Canvas(str(path), pagesize=(595, 842))
    canvas.setFont("Helvetica", 12)
    for number, line in enumerate(lines):
        canvas.drawString(72, 770 - 20 * number, line)
    canvas.showPage()
    canvas.save()


@pytest.mark.parametrize("sample", ["damaged-parcel", "double-charge"])
def test_samples_build_as_pdfa(sample, copy_case, build_case):
    """This test ensures that each sample, built with --pdfa, passes the check and qpdf."""
    folder = copy_case(SAMPLES / sample)
    plain = build_case(folder, output=folder.parent / "plain" / "dossier.pdf")
    result = build_case(folder, pdfa=True)
    _conforms(result.output)
    # The manifest is beside the PDF only, and says the build was PDF/A.
    assert manifest_path(result.output).is_file()
    assert '"pdfa": true' in manifest_path(result.output).read_text(encoding="utf-8")
    # The pages say what they say without --pdfa.
    before = [page.extract_text() for page in PdfReader(plain.output).pages]
    after = [page.extract_text() for page in PdfReader(result.output).pages]
    assert after == before


def test_a_normal_build_fails_the_check(copy_case, build_case):
    """This test ensures that the check is not a formality: a build without --pdfa fails it."""
    result = build_case(copy_case(SAMPLES / "double-charge"))
    found = [str(p) for p in check_pdfa(result.output)]
    assert "no PDF/A output intent (GTS_PDFA1) (6.2.3)" in found
    assert "the catalogue has no XMP metadata stream (6.6.2.1)" in found
    assert any(p.startswith("embedded files") for p in found)
    assert any("Link annotation without flags" in p for p in found)


def test_the_check_finds_an_embedded_file_and_a_loose_font(copy_case, build_case, tmp_path):
    """This test ensures that an attachment or a page in a font not embedded fails the check."""
    result = build_case(copy_case(SAMPLES / "double-charge"), pdfa=True)
    writer = PdfWriter(clone_from=result.output)
    writer.add_attachment("notes.txt", b"not PDF/A")
    attached = tmp_path / "attached.pdf"
    writer.write(attached)
    assert any(str(p).startswith("embedded files") for p in check_pdfa(attached))

    loose = tmp_path / "loose.pdf"
    _loose_font_invoice(loose, ["Facture 402-7654321: 23,99 EUR"])
    writer = PdfWriter(clone_from=result.output)
    writer.insert_page(PdfReader(loose).pages[0], 1)
    mixed = tmp_path / "mixed.pdf"
    writer.write(mixed)
    found = [str(p) for p in check_pdfa(mixed)]
    assert "page 2: font Helvetica is not embedded (6.2.11.4)" in found


@pytest.fixture(scope="module")
def loose_case(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A Dutch case with an invoice whose font is not embedded and a PDF with active content."""
    folder = tmp_path_factory.mktemp("pdfa") / "zaak"
    folder.mkdir()
    (folder / "case.toml").write_text('language = "nl"\n', encoding="utf-8")
    _loose_font_invoice(
        folder / "factuur.pdf", ["Factuur 402-7654321-1234567", "Totaal: 23,99 EUR"]
    )
    # An exhibit with embedded fonts, JavaScript, a note that does not print and a link.
    typeset = folder.parent / "typeset.pdf"
    pdfmetrics.registerFont(TTFont("PdfaDejaVu", str(layouts_dir() / "fonts/DejaVuSans.ttf")))
    canvas = Canvas(str(typeset), pagesize=(420, 595), initialFontName="PdfaDejaVu")
    canvas.setFont("PdfaDejaVu", 11)
    canvas.drawString(40, 540, "Leveringsbon — Łukasz Dvořák, Gent")
    canvas.showPage()
    canvas.save()
    source = PdfReader(typeset)
    writer = PdfWriter()
    writer.append(source)
    script = DictionaryObject(
        {
            NameObject("/S"): NameObject("/JavaScript"),
            NameObject("/JS"): TextStringObject("app.alert('Hallo');"),
        }
    )
    writer.root_object[NameObject("/OpenAction")] = script
    writer.pages[0][NameObject("/AA")] = DictionaryObject({NameObject("/O"): script})
    writer.add_annotation(0, Text(rect=(50, 50, 80, 80), text="intern", open=False))
    writer.write(folder / "leveringsbon.pdf")
    return folder


def test_exhibit_without_embedded_fonts_is_printed_as_an_image(loose_case, tmp_path):
    """This test ensures that a page whose fonts are not embedded becomes a picture with a note.

    Its text is still there (invisible), the note is in the dossier's
    language, the summary names the file, and the result conforms.
    """
    result = api.build(
        BuildOptions(folder=loose_case, output=tmp_path / "d.pdf", now=NOW, pdfa=True)
    )
    _conforms(result.output)
    reader = PdfReader(result.output)
    texts = [page.extract_text() for page in reader.pages]
    (page,) = [t for t in texts if "Factuur 402-7654321-1234567" in t]
    assert "Als afbeelding afgedrukt voor PDF/A" in page
    assert "niet in het originele bestand ingesloten" in page
    assert [note.split(":")[0] for note in result.notes if "for PDF/A" in note] == ["factuur.pdf"]
    assert result.notes[-2].startswith("factuur.pdf: pages printed as images for PDF/A: 1 (")
    assert result.notes[-1].startswith("d.pdf: PDF/A-2b, checked before it was written")
    # The typeset exhibit with JavaScript and a note that does not print is repaired, kept as text.
    (kept,) = [t for t in texts if "Leveringsbon — Łukasz Dvořák, Gent" in t]
    assert "PDF/A" not in kept
    # Only the dossier's embedded fonts remain.
    fonts = subprocess.run(
        ["pdffonts", str(result.output)], capture_output=True, text=True, check=True
    ).stdout.splitlines()[2:]
    assert fonts and all(" yes " in line for line in fonts)
    # The original's SHA-256 stays in the manifest.
    digest = hashlib.sha256((loose_case / "factuur.pdf").read_bytes()).hexdigest()
    assert digest in manifest_path(result.output).read_text(encoding="utf-8")


def test_no_font_warning_beside_a_page_printed_as_an_image(loose_case, tmp_path):
    """This test ensures that PDF/A drops the "kept as it is, a printer substitutes" warning.

    Without --pdfa the exhibit keeps its fonts and the build warns of it; with
    it, the pages are images and the warning would contradict the note that
    says so.
    """

    def said(*options: str) -> str:
        output = tmp_path / "d.pdf"
        done = CliRunner().invoke(main, ["build", str(loose_case), "-o", str(output), *options])
        assert done.exit_code == 0, done.output
        return " ".join(done.output.split())

    warning = "factuur.pdf: the PDF uses font it does not carry (Helvetica)"
    assert warning in said()
    printed = said("--pdfa")
    assert "factuur.pdf: pages printed as images for PDF/A: 1" in printed
    assert warning not in printed


def _colour_spaces(path: Path) -> list[str]:
    """The colour space of every picture the PDF's pages draw, by name or array head."""
    found = []
    for page in PdfReader(path).pages:
        for image in page.images:
            space = image.indirect_reference.get_object().get("/ColorSpace")
            space = space.get_object() if space is not None else None
            found.append(str(space[0] if isinstance(space, list) else space))
    return found


def test_cmyk_photo_and_signature_without_a_profile_print_in_rgb(tmp_path: Path):
    """This test ensures that CMYK JPEGs without a profile of their own do not stop --pdfa.

    A CMYK photo (as a print workflow or some scanners write it) and a CMYK
    signature are drawn in RGB for PDF/A, still red where they were red;
    without --pdfa the photo is copied as it is, in device CMYK.
    """
    folder = signature_case(tmp_path, "handtekening.jpg")
    picture = Image.new("RGB", (1200, 900), "white")
    ImageDraw.Draw(picture).rectangle((200, 150, 1000, 750), fill=(200, 30, 30))
    picture.convert("CMYK").save(folder / "doos-beschadigd.jpg", quality=90)
    ink = Image.new("RGB", (600, 200), "white")
    ImageDraw.Draw(ink).line((40, 150, 560, 50), fill=(20, 20, 120), width=12)
    ink.convert("CMYK").save(folder / "handtekening.jpg", quality=90)

    plain = api.build(BuildOptions(folder=folder, output=tmp_path / "plain.pdf", now=NOW))
    assert "/DeviceCMYK" in _colour_spaces(plain.output)
    archived = api.build(
        BuildOptions(folder=folder, output=tmp_path / "pdfa.pdf", now=NOW, pdfa=True)
    )
    _conforms(archived.output)
    assert "/DeviceCMYK" not in _colour_spaces(archived.output)
    # The photo's page still shows the red box, where it was.
    reader = PdfReader(archived.output)
    (index,) = [
        i
        for i, page in enumerate(reader.pages)
        if any(image.image is not None and image.image.size == (1200, 900) for image in page.images)
    ]
    document = pdfium.PdfDocument(archived.output)
    try:
        shown = document[index].render(scale=0.5).to_pil().convert("RGB")
    finally:
        document.close()
    red, green, blue = shown.split()
    high_red = red.point(lambda v: 255 if v > 150 else 0)
    low_green, low_blue = (band.point(lambda v: 255 if v < 90 else 0) for band in (green, blue))
    reds = ImageChops.multiply(ImageChops.multiply(high_red, low_green), low_blue)
    assert reds.histogram()[255] > shown.width * shown.height // 10


def test_a_page_that_cannot_conform_names_its_file(monkeypatch: pytest.MonkeyPatch, tmp_path: Path):
    """This test ensures that when a page still breaks PDF/A, the error names the exhibit's file.

    Pictures are made to keep device CMYK, as if their conversion were
    missed: the check stops the build, says which exhibit and file, and
    nothing is written.
    """
    folder = tmp_path / "zaak"
    folder.mkdir()
    (folder / "case.toml").write_text('language = "nl"\n', encoding="utf-8")
    Image.new("RGB", (800, 600), "white").save(folder / "a-voorkant.jpg")
    picture = Image.new("RGB", (800, 600), (200, 30, 30))
    picture.convert("CMYK").save(folder / "b-doos.jpg", quality=90)
    Image.new("RGB", (800, 600), "grey").save(folder / "c-label.jpg")
    real = sizing.ImageQuality
    monkeypatch.setattr(
        sizing, "ImageQuality", lambda **kept: real(**{**kept, "device_cmyk": True})
    )
    output = tmp_path / "d.pdf"
    with pytest.raises(OutputError) as refused:
        api.build(BuildOptions(folder=folder, output=output, now=NOW, pdfa=True))
    said = str(refused.value)
    assert "because of exhibit 2 (b-doos.jpg)" in said, said
    assert "DeviceCMYK image" in said
    assert not output.exists()


def test_pdfa_builds_are_reproducible(loose_case, tmp_path):
    """This test ensures that two --pdfa builds of the same folder are byte-identical."""
    outputs = []
    for name in ("one", "two"):
        options = BuildOptions(
            folder=loose_case, output=tmp_path / name / "d.pdf", now=NOW, pdfa=True
        )
        (tmp_path / name).mkdir()
        outputs.append(api.build(options).output.read_bytes())
    assert outputs[0] == outputs[1]


def test_split_volumes_each_conform(copy_case, build_case):
    """This test ensures that each volume of a split --pdfa dossier is PDF/A on its own."""
    folder = copy_case(SAMPLES / "damaged-parcel")
    result = build_case(folder, pdfa=True, max_size=400_000, split=True)
    assert len(result.volumes) > 1
    for volume in result.volumes:
        _conforms(volume)
        # One manifest beside them all names each volume's document ID.
        checked = verify(volume, folder)
        assert checked.ok, checked.problems


def test_a_pdfa_dossier_in_its_folder_is_not_evidence(copy_case):
    """This test ensures that a PDF/A dossier written into its folder is left out when rebuilt.

    It holds no manifest: the one beside it, naming its document ID, tells it apart.
    """
    folder = copy_case(SAMPLES / "double-charge")
    first = api.build(BuildOptions(folder=folder, now=NOW, pdfa=True))
    written = first.output.read_bytes()
    again = api.build(BuildOptions(folder=folder, now=NOW, pdfa=True))
    skipped = {s.relpath: s.reason for s in again.plan.skipped}
    assert skipped["dossier.pdf"] == (
        "a PDF/A dossier made from this folder by dossier build (its manifest is beside it)"
    )
    assert "dossier.manifest.json" in skipped
    assert again.output.read_bytes() == written


def test_command_line(loose_case, tmp_path):
    """This test ensures that --pdfa names the file printed as images, and refuses originals."""
    output = tmp_path / "d.pdf"
    runner = CliRunner()
    done = runner.invoke(main, ["build", str(loose_case), "-o", str(output), "--pdfa"])
    assert done.exit_code == 0, done.output
    assert "factuur.pdf: pages printed as images for PDF/A: 1 (its fonts are not embedded)" in (
        done.output
    )
    assert "d.pdf: PDF/A-2b, checked before it was written" in done.output
    refused = runner.invoke(
        main, ["build", str(loose_case), "-o", str(output), "--pdfa", "--attach-originals"]
    )
    assert refused.exit_code == 2
    assert "cannot go with --pdfa" in refused.output


@pytest.mark.corpus
@pytest.mark.slow
def test_the_whole_corpus_as_pdfa(tmp_path):
    """This test ensures that a dossier of the whole corpus conforms with --pdfa.

    Forms, CMYK pages, rotated pages, PDFs attached to emails, CMYK and HEIF
    photos, Outlook messages. LibreOffice's form and a PDF attached to a
    signed Outlook message use fonts they do not embed, and five pages of a
    lecture script draw in CMYK: those pages are printed as images, with their
    words kept.
    """
    folder = tmp_path / "corpus"
    folder.mkdir()
    for kind in ("pdfs", "emails", "photos", "screenshots"):
        for path in (CORPUS / kind).iterdir():
            shutil.copy(path, folder / path.name)
    result = api.build(
        BuildOptions(
            folder=folder, output=tmp_path / "d.pdf", now=NOW, pdfa=True, skip_unreadable=True
        )
    )
    _conforms(result.output)
    texts = [page.extract_text() for page in PdfReader(result.output).pages]
    (form,) = [t for t in texts if "First Name" in t]
    assert "Imprimée en image pour le PDF/A" in form
    assert sum("Imprimée en image pour le PDF/A" in t for t in texts) == 7
    notes = [n.split(":")[0] for n in result.notes if "printed as images for PDF/A" in n]
    assert notes == [
        "bbottema__S_MIME_test_message_signed.msg › 03-07-2005 errata SharnErrata.pdf",
        "sample-files__GeoTopo-komprimiert.pdf",
        "sample-files__libreoffice-form.pdf",
    ]
    geotopo = next(n for n in result.notes if n.startswith("sample-files__GeoTopo"))
    assert "pages printed as images for PDF/A: 2, 12, 40, 95, 109 (its colours are CMYK" in geotopo


def test_watch_builds_pdfa(monkeypatch: pytest.MonkeyPatch, loose_case, tmp_path):
    """This test ensures that dossier watch --pdfa hands PDF/A to every rebuild."""
    seen: list[BuildOptions] = []

    def watch_folder(options, report, stop, delay, progress=None, catch_all=True):
        seen.append(options)
        raise KeyboardInterrupt

    monkeypatch.setattr("dossier.watch.watch_folder", watch_folder)
    result = CliRunner().invoke(main, ["watch", str(loose_case), "--pdfa"])
    assert result.exit_code == 0, result.output
    assert [options.pdfa for options in seen] == [True]


def test_verify_reads_the_manifest_beside_a_pdfa_dossier(copy_case, build_case):
    """This test ensures that dossier verify checks a PDF/A dossier with the manifest beside it.

    A manifest that belongs to another PDF (another document ID) is a problem.
    """
    folder = copy_case(SAMPLES / "double-charge")
    result = build_case(folder, pdfa=True)
    checked = verify(result.output, folder)
    assert checked.ok, checked.problems
    assert (
        "dossier.manifest.json: the manifest beside the PDF is this PDF's (same document ID)"
        in (checked.passed)
    )
    beside = manifest_path(result.output)
    beside.write_text(
        beside.read_text(encoding="utf-8").replace('"document_id": "', '"document_id": "00'),
        encoding="utf-8",
    )
    done = CliRunner().invoke(main, ["verify", str(result.output)])
    assert done.exit_code == 8, done.output
    assert "the manifest beside the PDF is not this PDF's (their document IDs differ)" in (
        done.output
    )


def test_a_page_printed_as_an_image_shows_its_note(tmp_path):
    """This test ensures that the note above a page printed as an image is visible ink.

    The page's words are written invisibly: the note, drawn before them, must not be.
    """
    import pypdfium2 as pdfium

    source = tmp_path / "loose.pdf"
    _loose_font_invoice(source, ["Rechnung 402-1111111-2222222", "Summe: 23,99 EUR"])
    raster = Raster((0,), "fonts")
    note = "Für PDF/A als Bild gedruckt."
    reader = draw_rasters(source, None, raster, note, tmp_path / "raster.pdf")
    page = reader.pages[0]
    assert "Rechnung 402-1111111-2222222" in page.extract_text()
    assert note in page.extract_text()
    # The band above the picture (the original page is 842 points high) has ink.
    height = float(page.mediabox.height)
    assert height > 842
    document = pdfium.PdfDocument(tmp_path / "raster.pdf")
    image = document[0].render(scale=1).to_pil().convert("L")
    band = image.crop((0, 0, image.width, round(height - 842)))
    assert band.getextrema()[0] < 128, "the note is not drawn"
    document.close()


def test_page_problems_on_drawn_pages(tmp_path):
    """This test ensures that CMYK colours and graphics states nested too deep are found.

    Their bytes pass a quick scan first: what the scan lets through must still be caught.
    """
    path = tmp_path / "drawn.pdf"
    canvas = Canvas(str(path), pagesize=(300, 300))
    canvas.setFillColorCMYK(0, 0.5, 1, 0)  # an orange "k", as a print shop's file has
    canvas.rect(10, 10, 100, 100, fill=1)
    canvas.showPage()
    for _ in range(30):
        canvas.saveState()
    canvas.setFillColorRGB(0.2, 0.4, 0.6)
    canvas.rect(10, 10, 50, 50, fill=1)
    for _ in range(30):
        canvas.restoreState()
    canvas.showPage()
    for _ in range(30):  # as deep in total, never nested: allowed
        canvas.saveState()
        canvas.restoreState()
    canvas.showPage()
    canvas.save()
    cmyk, deep, flat = PdfReader(path).pages
    assert "DeviceCMYK colour with an RGB output intent (6.2.4.3)" in map(str, page_problems(cmyk))
    assert "graphics states nested deeper than 28 (6.1.13)" in map(str, page_problems(deep))
    # reportlab names Helvetica on every page, a font it does not embed: nothing else is wrong.
    assert [str(p) for p in page_problems(flat)] == ["font Helvetica is not embedded (6.2.11.4)"]


def _page_with(content: bytes, **entries: object) -> PdfWriter:
    """One page drawing ``content``, with ``entries`` set on it; indirect objects made by callers."""
    writer = PdfWriter()
    page = writer.add_blank_page(595, 842)
    stream = StreamObject()
    stream.set_data(content)
    page[NameObject("/Contents")] = writer._add_object(stream)
    page[NameObject("/Resources")] = DictionaryObject()
    for key, value in entries.items():
        page[NameObject(f"/{key}")] = value  # type: ignore[assignment]
    return writer


def _cmyk_group() -> DictionaryObject:
    return DictionaryObject(
        {
            NameObject("/S"): NameObject("/Transparency"),
            NameObject("/CS"): NameObject("/DeviceCMYK"),
        }
    )


def _print_workflow_pdfs(folder: Path) -> dict[str, str]:
    """PDFs as print workflows write them, each with one thing PDF/A forbids, and that thing."""
    made = {}
    _page_with(b"0 0 1 rg 100 100 200 200 re f", Group=_cmyk_group()).write(folder / "group.pdf")
    made["group.pdf"] = "transparency group"
    writer = _page_with(b"/F1 Do")
    form = StreamObject()
    form.set_data(b"0 0 1 rg 0 0 100 100 re f")
    form.update(
        {
            NameObject("/Type"): NameObject("/XObject"),
            NameObject("/Subtype"): NameObject("/Form"),
            NameObject("/BBox"): ArrayObject([NumberObject(n) for n in (0, 0, 100, 100)]),
            NameObject("/Group"): _cmyk_group(),
        }
    )
    writer.pages[0][NameObject("/Resources")] = DictionaryObject(
        {NameObject("/XObject"): DictionaryObject({NameObject("/F1"): writer._add_object(form)})}
    )
    writer.write(folder / "form-group.pdf")
    made["form-group.pdf"] = "transparency group"
    writer = _page_with(b"BT /T3 12 Tf 100 100 Td (a) Tj ET")
    glyph = StreamObject()
    glyph.set_data(b"1000 0 d0 0 0 0 1 k 0 0 750 750 re f")
    type3 = DictionaryObject(
        {
            NameObject("/Type"): NameObject("/Font"),
            NameObject("/Subtype"): NameObject("/Type3"),
            NameObject("/FontBBox"): ArrayObject([NumberObject(n) for n in (0, 0, 750, 750)]),
            NameObject("/FontMatrix"): ArrayObject(
                [FloatObject(0.001), NumberObject(0), NumberObject(0), FloatObject(0.001)]
                + [NumberObject(0), NumberObject(0)]
            ),
            NameObject("/CharProcs"): DictionaryObject(
                {NameObject("/a"): writer._add_object(glyph)}
            ),
            NameObject("/Encoding"): DictionaryObject(
                {NameObject("/Differences"): ArrayObject([NumberObject(97), NameObject("/a")])}
            ),
            NameObject("/FirstChar"): NumberObject(97),
            NameObject("/LastChar"): NumberObject(97),
            NameObject("/Widths"): ArrayObject([NumberObject(1000)]),
            NameObject("/Resources"): DictionaryObject(),
        }
    )
    writer.pages[0][NameObject("/Resources")] = DictionaryObject(
        {NameObject("/Font"): DictionaryObject({NameObject("/T3"): writer._add_object(type3)})}
    )
    writer.write(folder / "type3.pdf")
    made["type3.pdf"] = "DeviceCMYK"
    writer = _page_with(b"0 0 1 rg 100 100 200 200 re f")
    metadata = StreamObject()
    metadata.set_data(b"<x:xmpmeta xmlns:x='adobe:ns:meta/'><not closed")
    writer.pages[0][NameObject("/Metadata")] = writer._add_object(metadata)
    writer.write(folder / "page-metadata.pdf")
    made["page-metadata.pdf"] = "page metadata"
    return made


def test_print_workflow_pdfs_are_caught_and_made_to_conform(tmp_path: Path):
    """This test ensures that CMYK transparency groups, Type 3 glyphs and page metadata are checked.

    The check finds each in the original page; the --pdfa build repairs or
    prints it as an image, and the dossier conforms.
    """
    folder = tmp_path / "drukwerk"
    folder.mkdir()
    made = _print_workflow_pdfs(folder)
    for name, problem in made.items():
        (page,) = PdfReader(folder / name).pages
        assert any(problem in str(found) for found in page_problems(page)), name
    result = api.build(BuildOptions(folder=folder, output=tmp_path / "d.pdf", now=NOW, pdfa=True))
    _conforms(result.output)
    assert len(result.plan.exhibits) == len(made)


def test_a_control_character_in_the_case_file_does_not_stop_pdfa(tmp_path: Path):
    """This test ensures that a name pasted with a control character still gives PDF/A.

    XML (the XMP metadata) cannot hold one: it becomes a space there and in
    the document information, which must say the same.
    """
    folder = tmp_path / "zaak"
    shutil.copytree(SAMPLES / "double-charge", folder)
    for built in folder.glob("dossier*"):
        built.unlink()
    text = (folder / "case.toml").read_text(encoding="utf-8")
    assert 'name = "Sofie Van den Broeck"' in text
    (folder / "case.toml").write_text(
        text.replace('name = "Sofie Van den Broeck"', 'name = "Sofie\\u000bVan den Broeck"', 1),
        encoding="utf-8",
    )
    result = api.build(BuildOptions(folder=folder, output=tmp_path / "d.pdf", now=NOW, pdfa=True))
    _conforms(result.output)
    assert PdfReader(result.output).metadata["/Author"] == "Sofie Van den Broeck"

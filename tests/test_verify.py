"""`dossier verify`: embedded originals, folder changes, exit codes and messages."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from PIL import Image
from pypdf import PdfReader, PdfWriter

from dossier import api
from dossier.cli import main
from dossier.errors import ExitCode
from dossier.model import BuildOptions
from tests.conftest_trust import copy_case


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A case folder built with its originals embedded (never modified by the tests)."""
    folder = copy_case("double-charge", tmp_path_factory.mktemp("verify"))
    api.build(BuildOptions(folder=folder, attach_originals=True))
    return folder


@pytest.fixture
def case(built: Path, tmp_path: Path) -> Path:
    """A private copy of the built folder, for tests that change it."""
    return Path(shutil.copytree(built, tmp_path / "case"))


def run(*args: str):
    return CliRunner().invoke(main, ["verify", *args])


def test_a_fresh_dossier_verifies(built):
    """This test ensures that verify passes on an untouched dossier and folder, with exit 0."""
    result = run(str(built / "dossier.pdf"), str(built))
    assert result.exit_code == ExitCode.OK, result.output
    assert "manifest of 4 files" in result.stdout
    assert "  ok: notities.txt: embedded original matches its SHA-256" in result.stdout
    assert "  ok: notities.txt: unchanged in the folder" in result.stdout
    assert "  ok: case.toml: unchanged in the folder" in result.stdout
    assert result.stdout.rstrip().endswith("All checks passed.")


def test_folder_changes_are_listed_as_a_mismatch(case):
    """This test ensures that added, missing and changed files are each named, with exit 8."""
    (case / "notities.txt").write_text("Andere tekst.", encoding="utf-8")
    (case / "Screenshot_20261105-081500.png").unlink()
    (case / "extra.txt").write_text("Nieuw bestand.", encoding="utf-8")
    result = run(str(case / "dossier.pdf"), str(case))
    assert result.exit_code == ExitCode.VERIFY_MISMATCH == 8
    assert "  MISMATCH: extra.txt: added to the folder since the build" in result.stdout
    assert (
        "  MISMATCH: Screenshot_20261105-081500.png: missing from the folder "
        "(it was there at the build)" in result.stdout
    )
    assert "  MISMATCH: notities.txt: changed since the build (SHA-256 differs)" in result.stdout
    assert "  ok: bestelbevestiging.eml: unchanged in the folder" in result.stdout
    assert result.stderr == f"error: 3 mismatches with the manifest of {case / 'dossier.pdf'}\n"


def test_a_tampered_embedded_original_is_detected(case):
    """This test ensures that an attachment swapped inside the PDF fails verification."""
    pdf = case / "dossier.pdf"
    writer = PdfWriter(clone_from=PdfReader(pdf))
    for attachment in writer.attachment_list:
        if attachment.name == "notities.txt":
            stream = attachment.pdf_object["/EF"]["/F"].get_object()
            stream.set_data(b"Een andere notitie.")
    with pdf.open("wb") as handle:
        writer.write(handle)
    result = run(str(pdf))
    assert result.exit_code == ExitCode.VERIFY_MISMATCH
    assert (
        "  MISMATCH: notities.txt: the embedded original does not match its SHA-256 "
        "in the manifest" in result.stdout
    )


@pytest.mark.parametrize(
    ("damage", "message"),
    [
        pytest.param(
            lambda pdf: pdf.write_bytes(pdf.read_bytes()[:2000]),
            "not a readable PDF",
            id="truncated",
        ),
        pytest.param(
            lambda pdf: pdf.write_bytes(b"not a pdf at all"), "not a readable PDF", id="garbage"
        ),
        pytest.param(lambda pdf: pdf.unlink(), "no such file", id="missing"),
    ],
)
def test_an_unreadable_dossier_is_reported(case, damage, message):
    """This test ensures that a damaged or missing PDF gives exit 9 and says why."""
    pdf = case / "dossier.pdf"
    damage(pdf)
    result = run(str(pdf))
    assert result.exit_code == ExitCode.UNREADABLE_DOSSIER == 9
    assert result.stderr.startswith(f"error: {pdf}: {message}")


def test_a_pdf_without_manifest_is_unreadable(case, tmp_path):
    """This test ensures that a PDF not made by dossier is reported as such."""
    plain = tmp_path / "plain.pdf"
    writer = PdfWriter()
    writer.add_blank_page(100, 100)
    with plain.open("wb") as handle:
        writer.write(handle)
    result = run(str(plain))
    assert result.exit_code == ExitCode.UNREADABLE_DOSSIER
    assert "no dossier.manifest.json inside" in result.stderr


def test_a_manifest_of_an_unknown_schema_version_is_unreadable(case):
    """This test ensures that a future manifest format is refused, not misread."""
    pdf = case / "dossier.pdf"
    writer = PdfWriter(clone_from=PdfReader(pdf))
    for attachment in writer.attachment_list:
        if attachment.name == "dossier.manifest.json":
            stream = attachment.pdf_object["/EF"]["/F"].get_object()
            data = stream.get_data().replace(b'"schema_version": 1', b'"schema_version": 99')
            stream.set_data(data)
    with pdf.open("wb") as handle:
        writer.write(handle)
    result = run(str(pdf))
    assert result.exit_code == ExitCode.UNREADABLE_DOSSIER
    assert "manifest schema version 99 is not known" in result.stderr


def test_the_letter_signature_is_recorded_and_checked(tmp_path):
    """This test ensures that the signature image is checked, never reported as an added file."""
    folder = copy_case("damaged-parcel", tmp_path)
    Image.new("RGB", (60, 20), "white").save(folder / "signature.png")
    text = (folder / "case.toml").read_text(encoding="utf-8")
    text = text.replace("[letter]\n", '[letter]\nsignature = "signature.png"\n', 1)
    (folder / "case.toml").write_text(text, encoding="utf-8")
    api.build(BuildOptions(folder=folder))
    result = run(str(folder / "dossier.pdf"), str(folder))
    assert result.exit_code == ExitCode.OK, result.output
    assert "  ok: signature.png: unchanged in the folder" in result.stdout
    Image.new("RGB", (60, 20), "black").save(folder / "signature.png")
    result = run(str(folder / "dossier.pdf"), str(folder))
    assert result.exit_code == ExitCode.VERIFY_MISMATCH
    assert "  MISMATCH: signature.png: changed since the build (SHA-256 differs)" in result.stdout

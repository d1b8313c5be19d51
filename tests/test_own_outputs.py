"""The tool's own outputs are told apart from evidence by what they hold, never by name."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from PIL import Image
from pypdf import PdfWriter

from dossier.cli import main


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """A photo, and a PDF of evidence whose name starts like a dossier's."""
    case = tmp_path / "case"
    (case / "bank").mkdir(parents=True)
    Image.new("RGB", (64, 48), "olive").save(case / "photo.jpg")
    writer = PdfWriter()
    writer.add_blank_page(200, 200)
    writer.write(case / "bank" / "Dossier-remboursement-Amazon.pdf")
    return case


def listed(folder: Path) -> list[dict]:
    result = CliRunner().invoke(main, ["list", str(folder), "--json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_evidence_named_like_a_dossier_is_evidence(folder: Path) -> None:
    """This test ensures that a PDF called Dossier-*.pdf is listed and built as an exhibit."""
    rows = listed(folder)
    assert sorted((r["path"], r["included"]) for r in rows) == [
        ("bank/Dossier-remboursement-Amazon.pdf", True),
        ("photo.jpg", True),
    ]
    result = CliRunner().invoke(main, ["build", str(folder)])
    assert result.exit_code == 0, result.output
    assert "2 exhibits" in result.output


def test_a_dossier_under_any_name_is_skipped_with_the_reason(folder: Path) -> None:
    """This test ensures that a dossier written as case/claim.pdf is not taken as evidence."""
    claim = folder / "claim.pdf"
    first = CliRunner().invoke(main, ["build", str(folder), "-o", str(claim)])
    assert first.exit_code == 0, first.output
    rows = {r["path"]: r for r in listed(folder)}
    assert rows["claim.pdf"]["included"] is False
    assert "a dossier made from this folder by dossier build" in rows["claim.pdf"]["reason"]
    assert (
        rows["claim.manifest.json"]["reason"] == "the manifest of a dossier made from this folder"
    )
    assert [p for p, r in rows.items() if r["included"]] == [
        "bank/Dossier-remboursement-Amazon.pdf",
        "photo.jpg",
    ]
    again = CliRunner().invoke(main, ["build", str(folder), "-o", str(claim)])
    assert again.exit_code == 0, again.output
    assert "2 exhibits" in again.output
    assert "Skipped (2):" in again.output
    assert (
        "  claim.pdf: a dossier made from this folder by dossier build (it holds its manifest)"
        in again.output
    )


def test_links_out_of_the_folder_are_named_with_the_reason(tmp_path: Path) -> None:
    """This test ensures that skipped links are listed, and explain an empty folder."""
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    Image.new("RGB", (64, 48), "teal").save(elsewhere / "photo.jpg")
    (elsewhere / "album").mkdir()
    case = tmp_path / "case"
    case.mkdir()
    (case / "photo.jpg").symlink_to(elsewhere / "photo.jpg")
    (case / "album").symlink_to(elsewhere / "album")
    (case / "gone.jpg").symlink_to(elsewhere / "deleted.jpg")
    result = CliRunner().invoke(main, ["build", str(case)])
    assert result.exit_code == 6, result.output
    assert "no photo, screenshot, email, PDF or note to put in a dossier" in result.stderr
    assert "(3 files or links left out, each with the reason:" in result.stderr
    assert (
        f"  photo.jpg: a link to {elsewhere / 'photo.jpg'}, outside the folder; not followed: "
        "copy the file itself into the folder to include it" in result.stderr
    )
    assert f"  album: a link to {elsewhere / 'album'}, outside the folder" in result.stderr
    assert "  gone.jpg: a link to nothing" in result.stderr
    # Beside evidence, list names them too.
    Image.new("RGB", (64, 48), "olive").save(case / "real.jpg")
    listed = CliRunner().invoke(main, ["list", str(case)])
    assert listed.exit_code == 0, listed.output
    assert "Skipped (3):" in listed.stderr
    assert "  gone.jpg: a link to nothing" in listed.stderr


def test_a_dossier_saved_again_with_compressed_objects_is_still_skipped(folder: Path) -> None:
    """This test ensures that a dossier whose catalog is hidden in object streams is still told.

    The quick scan for embedded files finds no ``/EmbeddedFiles`` in such a
    PDF; it must then open it rather than take it for evidence.
    """
    import subprocess

    built = folder.parent / "built.pdf"
    first = CliRunner().invoke(main, ["build", str(folder), "-o", str(built)])
    assert first.exit_code == 0, first.output
    resaved = folder / "sent.pdf"
    subprocess.run(["qpdf", "--object-streams=generate", str(built), str(resaved)], check=True)
    assert b"/EmbeddedFiles" not in resaved.read_bytes()
    rows = {r["path"]: r for r in listed(folder)}
    assert rows["sent.pdf"]["included"] is False
    assert "a dossier made from this folder by dossier build" in rows["sent.pdf"]["reason"]

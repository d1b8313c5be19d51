"""Builds of the real-world corpus: every file ends up in the dossier or in the not-included list."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner

from dossier import BuildResult
from dossier.cli import main
from dossier.errors import ExitCode
from tests.conftest import footer_numbers, read_pdf

pytestmark = pytest.mark.corpus

EXPECTED_BAD = {
    "derived_truncated-4096B__bbottema__simple_sent.msg": "Outlook",
    "derived_truncated-50pct__sample-files__pdflatex-4-pages.pdf": "PDF is damaged",
    "derived_zero-bytes.pdf": "empty",
    "ocrmypdf__invalid.pdf": "PDF is damaged",
    "paperless-ngx__broken.eml": "no email headers",
    "pillow__decompression_bomb.gif": "megapixels",
    "pillow__truncated_image.png": "truncated",
    "pillow__truncated_jpeg.jpg": "truncated",
    "pillow_heif__corrupted.heic": "not a readable HEIF",
    "pillow_heif__empty.heic": "empty",
}


def _files(folder: Path) -> set[str]:
    return {p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file()}


@pytest.mark.parametrize("name", ["photos", "screenshots", "pdfs", "emails", "bad"])
def test_every_corpus_file_is_included_or_listed(
    corpus_dir: Path, build_case: Callable[..., BuildResult], name: str
) -> None:
    """This test ensures no corpus file is lost: each is an exhibit or a not-included line."""
    folder = corpus_dir / name
    result = build_case(folder, skip_unreadable=True)
    # An email's attachments are exhibits too ("3a"), but not files of the folder.
    included = {e.source.relpath for e in result.plan.exhibits if e.parent is None}
    left_out = {r.relpath for r in result.plan.rejections}
    assert included | left_out == _files(folder)
    assert not included & left_out
    facts = read_pdf(result.output)
    assert facts.page_count == result.page_count
    if left_out:
        listing = "\n".join(facts.texts[:3])
        assert "Fichiers non inclus" in listing
        for relpath in left_out:
            assert relpath[:25] in listing.replace("\n", "")


def test_bad_files_are_each_named_with_a_reason(
    corpus_dir: Path, build_case: Callable[..., BuildResult]
) -> None:
    """This test ensures each broken file gets its own specific reason."""
    result = build_case(corpus_dir / "bad", skip_unreadable=True)
    reasons = {r.relpath: r.reason for r in result.plan.rejections}
    assert set(reasons) == set(EXPECTED_BAD)
    for relpath, words in EXPECTED_BAD.items():
        assert words in reasons[relpath], (relpath, reasons[relpath])
    assert [e.source.relpath for e in result.plan.exhibits] == [
        "derived_wrong-ext__ocrmypdf__trivial-pdf.jpg"
    ]


def test_photos_without_flag_fail_cleanly_with_the_list(corpus_dir: Path, tmp_path: Path) -> None:
    """This test ensures a build with unreadable files stops with exit 3, one line per file, no output."""
    out = tmp_path / "d.pdf"
    result = CliRunner().invoke(main, ["build", str(corpus_dir / "bad"), "-o", str(out)])
    assert result.exit_code == ExitCode.UNREADABLE_INPUT
    assert "Traceback" not in result.output
    assert result.stderr.startswith("error: 10 files cannot be included:")
    for relpath in EXPECTED_BAD:
        assert f"  {relpath}: " in result.stderr
    assert "--skip-unreadable" in result.stderr
    assert not out.exists()


def test_photos_build_with_skip_unreadable(corpus_dir: Path, tmp_path: Path) -> None:
    """This test ensures the photo corpus builds from the command line, upright and dated."""
    out = tmp_path / "photos.pdf"
    result = CliRunner().invoke(
        main, ["build", str(corpus_dir / "photos"), "-o", str(out), "--skip-unreadable"]
    )
    assert result.exit_code == 0, result.output
    assert "16 exhibits" in result.stdout
    facts = read_pdf(out)
    assert facts.page_count == 1 + 16 + 1  # index, photos, integrity appendix
    # The future DateTimeOriginal (2099) is refused and said so.
    assert (
        "pillow__exif_gps.jpg: DateTimeOriginal 2099-09-29 10:10 is not plausible" in result.stdout
    )


def test_exif_dates_are_read_from_every_container(corpus_dir: Path) -> None:
    """This test ensures EXIF dates are found in JPEG, HEIC (with offsets) and PNG text chunks."""
    result = CliRunner().invoke(main, ["list", str(corpus_dir / "photos"), "--json"])

    rows = {row["path"]: row for row in json.loads(result.stdout)}
    assert rows["pillow_heif__xiaomi.heic"]["timestamp_source"] == "exif"
    assert rows["pillow_heif__spatial_photo.heic"]["timestamp"] == "2024-04-22T14:38:09+02:00"
    assert rows["pillow__invalid-exif-without-x-resolution.jpg"]["timestamp_source"] == "exif"
    assert rows["pillow__exif_gps.jpg"]["timestamp_source"] == "file_mtime"
    shots = CliRunner().invoke(main, ["list", str(corpus_dir / "screenshots"), "--json"])
    shot_rows = {row["path"]: row for row in json.loads(shots.stdout)}
    assert shot_rows["babydots__weblate_credits.png"]["timestamp"].startswith("2020-10-31")


def test_password_from_the_case_file_opens_encrypted_pdfs(
    corpus_dir: Path, tmp_path: Path, build_case: Callable[..., BuildResult]
) -> None:
    """This test ensures encrypted PDFs are reported, then included once the case file gives the password."""
    folder = tmp_path / "locked"
    folder.mkdir()
    for name in ("pypdf__r6-both-passwords.pdf", "sample-files__libreoffice-writer-password.pdf"):
        (folder / name).write_bytes((corpus_dir / "pdfs" / name).read_bytes())
    runner = CliRunner()
    refused = runner.invoke(main, ["list", str(folder)])
    assert refused.exit_code == ExitCode.UNREADABLE_INPUT
    # Piped, the timeline is on stdout and the files left out on stderr.
    assert 'the PDF is protected by a password (add password = "..." under' in refused.stderr
    (folder / "case.toml").write_text(
        '[exhibits."pypdf__r6-both-passwords.pdf"]\npassword = "foo"\n'
        '[exhibits."sample-files__libreoffice-writer-password.pdf"]\npassword = "openpassword"\n',
        encoding="utf-8",
    )
    result = build_case(folder)
    assert not result.plan.rejections
    assert len(result.plan.exhibits) == 2
    assert read_pdf(result.output).page_count == result.page_count


def test_wrong_password_is_reported(corpus_dir: Path, tmp_path: Path) -> None:
    """This test ensures a wrong password in the case file is named as such."""
    folder = tmp_path / "locked"
    folder.mkdir()
    name = "pypdf__r6-both-passwords.pdf"
    (folder / name).write_bytes((corpus_dir / "pdfs" / name).read_bytes())
    (folder / "case.toml").write_text(f'[exhibits."{name}"]\npassword = "nope"\n', encoding="utf-8")
    result = CliRunner().invoke(main, ["build", str(folder)])
    assert result.exit_code == ExitCode.UNREADABLE_INPUT
    assert "the password in case.toml does not open this PDF" in result.stderr


def test_rotated_and_huge_pdf_pages_come_out_upright_on_a4(
    corpus_dir: Path, tmp_path: Path, build_case: Callable[..., BuildResult]
) -> None:
    """This test ensures /Rotate pages and a 1800x3600 pt poster end up as unrotated A4 pages."""
    folder = tmp_path / "pdfs"
    folder.mkdir()
    for name in ("sample-files__habibi-rotated.pdf", "ocrmypdf__poster.pdf"):
        (folder / name).write_bytes((corpus_dir / "pdfs" / name).read_bytes())
    result = build_case(folder)
    facts = read_pdf(result.output)
    assert facts.page_count == 1 + 4 + 1 + 1  # index, pages, poster, integrity appendix
    for page in facts.reader.pages:
        assert page.rotation == 0
        assert (round(float(page.mediabox.width)), round(float(page.mediabox.height))) == (595, 842)


def test_pages_sharing_one_content_stream_keep_their_own_stamp(
    corpus_dir: Path, tmp_path: Path, build_case: Callable[..., BuildResult]
) -> None:
    """This test ensures pages of a PDF that share one content stream each keep their own stamp and footer."""
    folder = tmp_path / "shared"
    folder.mkdir()
    name = "sample-files__habibi-rotated.pdf"  # its 4 pages use the same content stream
    (folder / name).write_bytes((corpus_dir / "pdfs" / name).read_bytes())
    result = build_case(folder)
    facts = read_pdf(result.output)
    first = result.first_pages[1] - 1
    for k in range(4):
        text = facts.texts[first + k]
        assert f"page {k + 1}/4 de la pièce" in text
        assert [f"page {n}/4" in text for n in range(1, 5)].count(True) == 1
        assert footer_numbers(text) == (first + k + 1, facts.page_count)


def test_real_captions_name_neither_a_placeholder_title_nor_the_make_twice(
    corpus_dir: Path,
) -> None:
    """This test ensures captions of real files: "Enscript Output" and "Apple Apple" are not printed."""
    from dossier.api import plan
    from dossier.model import BuildOptions

    pdfs = plan(BuildOptions(folder=corpus_dir / "pdfs", skip_unreadable=True))
    captions = {e.source.relpath: e.caption for e in pdfs.exhibits}
    assert captions["paperless-ngx__test_with_bom.pdf"].endswith("paperless-ngx__test_with_bom.pdf")
    assert captions["sample-files__GeoTopo-komprimiert.pdf"].endswith("Geometrie und Topologie")
    photos = plan(BuildOptions(folder=corpus_dir / "photos", skip_unreadable=True))
    captions = {e.source.relpath: e.caption for e in photos.exhibits}
    assert captions["exiftool__GoPro.jpg"].endswith("(GoPro HERO6 Black)")
    assert captions["exiftool__Google.jpg"].endswith("(Google Pixel 8 Pro)")
    # Make "Apple", model "Apple Vision Pro".
    assert captions["pillow_heif__spatial_photo.heic"].endswith(" (Apple Vision Pro)")


def test_an_outlook_msg_says_dkim_cannot_be_checked(
    corpus_dir: Path, build_case: Callable[..., BuildResult], tmp_path: Path
) -> None:
    """This test ensures a .msg (no message as it travelled) says "not checkable", never "no DKIM"."""
    result = build_case(corpus_dir / "emails", skip_unreadable=True)
    facts = read_pdf(result.output)
    msgs = [e for e in result.plan.exhibits if e.source.relpath.endswith(".msg") and not e.parent]
    emls = [e for e in result.plan.exhibits if e.source.relpath.endswith(".eml") and not e.parent]
    assert msgs and emls

    def pages_of(exhibit) -> str:  # the exhibit's pages, up to the next exhibit
        first = result.first_pages[exhibit.page_key]
        later = [p for p in result.first_pages.values() if p > first]
        last = min(later) - 1 if later else result.page_count
        return " ".join(facts.texts[first - 1 : last])

    unsigned = [e for e in msgs if not e.content.authenticity.signatures]
    assert unsigned
    for exhibit in msgs:
        text = " ".join(pages_of(exhibit).split())
        assert "Aucune signature DKIM" not in text, exhibit.source.relpath
        if exhibit in unsigned:
            assert "DKIM : vérification impossible sur un fichier Outlook .msg" in text
    assert any("Aucune signature DKIM" in pages_of(e) for e in emls)

"""Every PDF the tool writes passes `qpdf --check` and renders with poppler without a warning."""

from __future__ import annotations

import shutil

import pytest
from click.testing import CliRunner

from dossier import api
from dossier.cli import main
from dossier.model import BuildOptions
from tests.conftest_trust import (
    CORPUS,
    CORPUS_FOLDERS,
    copy_case,
    needs_corpus,
    pdftoppm_warnings,
    qpdf_check,
)

needs_tools = pytest.mark.skipif(
    not (shutil.which("qpdf") and shutil.which("pdftoppm")),
    reason="qpdf and poppler-utils are needed (.ci/apt-packages.txt)",
)


@needs_tools
@pytest.mark.parametrize("attach", [False, True], ids=["plain", "attach-originals"])
@pytest.mark.parametrize("name", ["damaged-parcel", "double-charge"])
def test_sample_dossiers_are_sound(tmp_path, name, attach):
    """This test ensures that the sample dossiers are structurally valid and render cleanly."""
    folder = copy_case(name, tmp_path)
    result = api.build(BuildOptions(folder=folder, attach_originals=attach))
    assert qpdf_check(result.output) == ""
    renders = tmp_path / "pages"
    renders.mkdir()
    assert pdftoppm_warnings(result.output, renders) == ""
    assert len(list(renders.glob("page-*.png"))) == result.page_count


@needs_tools
@needs_corpus
@pytest.mark.corpus
@pytest.mark.slow
def test_corpus_dossier_is_sound_and_verifies(tmp_path):
    """This test ensures that a dossier of every real-world file is sound, and verifies."""
    folder = tmp_path / "corpus"
    for name in CORPUS_FOLDERS:
        shutil.copytree(CORPUS / name, folder / name)
    output = tmp_path / "corpus.pdf"
    result = api.build(
        BuildOptions(folder=folder, output=output, skip_unreadable=True, attach_originals=True)
    )
    assert len(result.plan.exhibits) > 30
    assert {r.relpath for r in result.plan.rejections} >= {
        "bad/derived_zero-bytes.pdf",
        "pdfs/qpdf__empty.pdf",
        "pdfs/pypdf__r6-both-passwords.pdf",
    }
    assert qpdf_check(output) == ""
    renders = tmp_path / "pages"
    renders.mkdir()
    warnings = pdftoppm_warnings(output, renders).splitlines()
    # Known, not from this module: the JPEG of photos/pillow__hopper_bad_exif.jpg goes into
    # the PDF untouched (no re-encoding) and keeps the stray bytes of its scan data.
    known = "Corrupt JPEG data: 1214 extraneous bytes before marker 0xd0"
    assert [line for line in warnings if line != known] == []
    checked = CliRunner().invoke(main, ["verify", str(output), str(folder)])
    assert checked.exit_code == 0, checked.output
    assert "MISMATCH" not in checked.stdout

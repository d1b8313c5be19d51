"""Every font the tool draws with is in the file: no page names a font it does not carry."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from dossier import BuildOptions, build
from tests.conftest import NOW, SAMPLES


def not_embedded(pdf: Path) -> list[str]:
    """The fonts that ``pdffonts`` (poppler) lists as not embedded, with their page."""
    pages = int(
        next(
            line.split()[-1]
            for line in subprocess.run(
                ["pdfinfo", str(pdf)], capture_output=True, text=True, check=True
            ).stdout.splitlines()
            if line.startswith("Pages:")
        )
    )
    missing = []
    for page in range(1, pages + 1):
        listing = subprocess.run(
            ["pdffonts", "-f", str(page), "-l", str(page), str(pdf)],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.splitlines()[2:]
        # The last columns are: emb sub uni object-number generation.
        missing += [
            f"page {page}: {line.split()[0]}" for line in listing if line.split()[-5] == "no"
        ]
    return missing


@pytest.mark.skipif(shutil.which("pdffonts") is None, reason="poppler-utils is not installed")
@pytest.mark.parametrize("sample", ["damaged-parcel", "double-charge"])
def test_every_page_of_a_sample_embeds_its_fonts(sample, tmp_path):
    """This test ensures that letter, summary, index, stamps and picture pages embed every font.

    reportlab's initial font (Helvetica, never embedded) and the default font
    of table cells and list bullets used to be named on the tool's pages.
    """
    result = build(BuildOptions(folder=SAMPLES / sample, output=tmp_path / "d.pdf", now=NOW))
    assert not_embedded(result.output) == []

"""Helpers shared by the tests of manifests, verification, reproducibility and robustness.

Imported by the test modules that need them (not a pytest conftest, so it
cannot clash with the suite's own fixtures).
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.conftest_samples import SAMPLES

REPOSITORY = Path(__file__).resolve().parents[1]
# The shared real-world corpus, read in place, never copied into the repository.
CORPUS = Path(os.environ.get("DOSSIER_CORPUS", REPOSITORY.parent / "shared" / "corpus"))
CORPUS_FOLDERS = ("photos", "screenshots", "emails", "pdfs", "bad")

needs_corpus = pytest.mark.skipif(not CORPUS.is_dir(), reason=f"no corpus at {CORPUS}")


def copy_case(name: str, target: Path) -> Path:
    """A copy of a sample case folder, file times included (as `cp -p` would)."""
    folder = target / name
    shutil.copytree(SAMPLES / name, folder)
    return folder


def corpus_files() -> list[Path]:
    """Every test input of the corpus, in a stable order."""
    if not CORPUS.is_dir():
        return []
    return sorted(
        path for folder in CORPUS_FOLDERS for path in (CORPUS / folder).rglob("*") if path.is_file()
    )


def qpdf_check(pdf: Path) -> str:
    """Run `qpdf --check`; returns its complaints ("" when the file is sound)."""
    run = subprocess.run(["qpdf", "--check", str(pdf)], capture_output=True, text=True, check=False)
    # Exit 0: no problem; 3: warnings; 2: errors.
    if run.returncode == 0 and "WARNING" not in run.stdout:
        return ""
    return f"exit {run.returncode}: {run.stdout[-2000:]}{run.stderr[-2000:]}"


def pdftoppm_warnings(pdf: Path, out: Path) -> str:
    """Render every page at low resolution; returns what poppler printed on stderr."""
    run = subprocess.run(
        ["pdftoppm", "-r", "8", "-png", str(pdf), str(out / "page")],
        capture_output=True,
        text=True,
        check=False,
    )
    return run.stderr + (f"\nexit {run.returncode}" if run.returncode else "")

"""Shared fixtures: the project's samples, the public corpus, and PDF inspection helpers."""

from __future__ import annotations

import dataclasses
import datetime as dt
import os
import re
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader

from dossier import BuildOptions, BuildResult, build
from dossier.i18n import use_language
from tests.conftest_samples import SAMPLES

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT.parent / "shared" / "corpus"
# The fixtures of the page's tests (dossier serve).
pytest_plugins = ["tests.conftest_web", "tests.conftest_browser"]

# A fixed "now" after every sample date, so date checks do not drift.
NOW = dt.datetime(2026, 11, 25, 12, 0, tzinfo=dt.UTC)


def pytest_configure(config: pytest.Config) -> None:
    """Builds in tests keep their analyses in a folder of the run, never in the user's cache.

    Set before any fixture, so that session fixtures building the samples use it too.
    """
    folder = Path(tempfile.mkdtemp(prefix="dossier-test-cache-"))
    config.add_cleanup(lambda: shutil.rmtree(folder, ignore_errors=True))
    os.environ["DOSSIER_CACHE_DIR"] = str(folder)


@pytest.fixture(autouse=True)
def own_cache(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Each test starts from an empty cache: what another test read is not reused."""
    folder = tmp_path_factory.mktemp("cache")
    monkeypatch.setenv("DOSSIER_CACHE_DIR", str(folder))
    return folder


@pytest.fixture(autouse=True)
def english_command_line(monkeypatch: pytest.MonkeyPatch) -> None:
    """The command line speaks English in tests, whatever the case file or the machine says.

    A test of the command line's languages removes ``DOSSIER_LANGUAGE``.
    """
    monkeypatch.setenv("DOSSIER_LANGUAGE", "en")
    use_language("en")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Corpus tests skip on a machine without ../shared/corpus, but never in CI."""
    if CORPUS.is_dir():
        return
    if os.environ.get("CI"):
        raise pytest.UsageError(f"the test corpus is missing at {CORPUS}")
    skip = pytest.mark.skip(reason=f"no corpus at {CORPUS}")
    for item in items:
        if "corpus" in item.keywords:
            item.add_marker(skip)


@pytest.fixture
def samples_dir() -> Path:
    return SAMPLES


@pytest.fixture
def corpus_dir() -> Path:
    return CORPUS


@pytest.fixture
def copy_case(tmp_path: Path) -> Callable[[Path], Path]:
    """Copy a case folder into a temporary folder, so a build never writes into the repository."""

    def copy(folder: Path) -> Path:
        target = tmp_path / folder.name
        shutil.copytree(folder, target)
        return target

    return copy


@pytest.fixture
def build_case(tmp_path: Path) -> Callable[..., BuildResult]:
    """Build a folder into a temporary PDF with a fixed "now"."""

    def run(folder: Path, **options: Any) -> BuildResult:
        options.setdefault("output", tmp_path / "out" / "dossier.pdf")
        options.setdefault("now", NOW)
        options["output"].parent.mkdir(parents=True, exist_ok=True)
        return build(BuildOptions(folder=folder, **options))

    return run


@dataclasses.dataclass
class PdfFacts:
    """What a reader of the PDF can see: text per page, outline, links."""

    reader: PdfReader
    texts: list[str]
    outline: list[tuple[str, int]]
    links: list[tuple[int, int]]  # (page index of the link, target page index)

    @property
    def page_count(self) -> int:
        return len(self.texts)


def read_pdf(path: Path) -> PdfFacts:
    """Extract text, outline and internal links from a built dossier."""
    reader = PdfReader(path)
    texts = [page.extract_text() or "" for page in reader.pages]
    outline = [
        (item.title, reader.get_destination_page_number(item))
        for item in reader.outline
        if not isinstance(item, list)
    ]
    page_numbers = {page.indirect_reference.idnum: i for i, page in enumerate(reader.pages)}
    links = []
    for index, page in enumerate(reader.pages):
        for annotation in page.get("/Annots", []) or []:
            annotation = annotation.get_object()
            if annotation.get("/Subtype") != "/Link" or "/Dest" not in annotation:
                continue
            target = annotation["/Dest"][0]
            links.append((index, page_numbers[target.idnum]))
    return PdfFacts(reader, texts, outline, links)


FOOTER = re.compile(r"page (\d+) / (\d+)|pagina (\d+) / (\d+)|Seite (\d+) / (\d+)")


def footer_numbers(text: str) -> tuple[int, int]:
    """The "X / Y" of a page's footer."""
    match = FOOTER.search(text)
    assert match, f"no footer in page text: {text[-200:]!r}"
    numbers = [int(g) for g in match.groups() if g is not None]
    return numbers[0], numbers[1]

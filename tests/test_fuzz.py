"""Mutated copies of corpus files never crash a reader or a build.

Each example takes a real file, truncates it, flips bits in it or gives it
the wrong extension, and checks that the outcome is an exhibit or a clear
per-file rejection: never an exception, a hang, or a reader failure caught
only by the last-resort handler.

The default run is small and derandomised so CI is stable and fast. For a
longer search: DOSSIER_FUZZ_EXAMPLES=2000 pytest tests/test_fuzz.py
"""

from __future__ import annotations

import contextlib
import logging
import os
import resource
import signal
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pypdf import PdfReader, PdfWriter
from pypdf.generic import DecodedStreamObject, NameObject

from dossier import api
from dossier.discover import fingerprint
from dossier.errors import FilesNotIncludedError, NothingToBuildError
from dossier.layout.bodies import text_paragraphs
from dossier.layout.fonts import register_fonts
from dossier.layout.style import page_style
from dossier.model import BuildOptions, Exhibit, ExhibitSettings, Rejection
from dossier.readers import read_source
from tests.conftest_trust import corpus_files, needs_corpus, qpdf_check

LONG_RUN = int(os.environ.get("DOSSIER_FUZZ_EXAMPLES", "0"))
# The default run skips the biggest files (slow to parse when damaged); a long run takes all.
SIZE_LIMIT = 10_000_000 if LONG_RUN else 400_000
FILES = [path for path in corpus_files() if path.stat().st_size <= SIZE_LIMIT]
SUFFIXES = (".jpg", ".png", ".pdf", ".eml", ".txt", ".heic", ".gif", ".tif", ".webp", ".bin")
# One example must never take longer than this: a hang is a failure, not a slow test.
TIME_LIMIT_S = 30
# Nor may it use more than this much memory on top of what the process holds: the
# largest image we accept (120 megapixels) decodes in well under that.
MEMORY_HEADROOM = 2 * 1024**3

fuzz_settings = settings(
    max_examples=LONG_RUN or 200,
    deadline=None,  # a time limit of our own (below) reports hangs clearly
    derandomize=not LONG_RUN,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


@st.composite
def mutated(draw: st.DrawFn) -> tuple[str, bytes]:
    """A corpus file's name and bytes after one or more mutations."""
    source = draw(st.sampled_from(FILES))
    data = bytearray(source.read_bytes())
    name = source.name
    for mutation in draw(
        st.lists(st.sampled_from(["truncate", "flip", "extension", "zero"]), min_size=1, max_size=3)
    ):
        if mutation == "truncate" and data:
            data = data[: draw(st.integers(0, len(data) - 1))]
        elif mutation == "flip" and data:
            # Most damage that matters is in headers: favour the first kilobytes.
            limit = draw(st.sampled_from([64, 1024, 16384, len(data)]))
            for _ in range(draw(st.integers(1, 8))):
                position = draw(st.integers(0, min(limit, len(data)) - 1))
                data[position] ^= 1 << draw(st.integers(0, 7))
        elif mutation == "zero" and data:
            start = draw(st.integers(0, len(data) - 1))
            length = draw(st.integers(1, 4096))
            data[start : start + length] = bytes(len(data[start : start + length]))
        elif mutation == "extension":
            name = Path(name).stem + draw(st.sampled_from(SUFFIXES))
    return name, bytes(data)


class Hang(BaseException):
    """Raised by the alarm; a BaseException so no `except Exception` in the code can swallow it."""


@contextlib.contextmanager
def time_limit(seconds: int) -> Iterator[None]:
    """Fail instead of hanging: SIGALRM interrupts whatever parser is stuck."""

    def expire(signum: int, frame: object) -> None:
        raise Hang(f"took longer than {seconds} s: a hang")

    previous = signal.signal(signal.SIGALRM, expire)
    signal.alarm(seconds)
    try:
        with memory_limit(MEMORY_HEADROOM):
            yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


@contextlib.contextmanager
def memory_limit(headroom: int) -> Iterator[None]:
    """A memory blow-up becomes a MemoryError (a reported crash) instead of swapping the machine.

    Caps the address space at its current size plus ``headroom`` bytes.
    """
    soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    with Path("/proc/self/statm").open() as statm:
        used = int(statm.read().split()[0]) * resource.getpagesize()
    cap = used + headroom
    if hard != resource.RLIM_INFINITY:
        cap = min(cap, hard)
    resource.setrlimit(resource.RLIMIT_AS, (cap, hard))
    try:
        yield
    finally:
        resource.setrlimit(resource.RLIMIT_AS, (soft, hard))


class _LastResort(logging.Handler):
    """Records the reader failures that only the catch-all in read_source stopped."""

    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.failures: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        if record.getMessage().startswith("reader failed"):
            detail = record.exc_info[1] if record.exc_info else None
            self.failures.append(f"{record.getMessage()}: {detail!r}")


@contextlib.contextmanager
def last_resort_failures() -> Iterator[list[str]]:
    """Collect reader crashes that reached the last-resort handler of read_source."""
    handler = _LastResort()
    log = logging.getLogger("dossier.readers")
    level = log.level
    log.addHandler(handler)
    log.setLevel(logging.DEBUG)
    try:
        yield handler.failures
    finally:
        log.removeHandler(handler)
        log.setLevel(level)


def read_mutated(folder: Path, name: str, data: bytes) -> Exhibit | Rejection:
    path = folder / name
    path.write_bytes(data)
    return read_source(fingerprint(path, folder), ExhibitSettings())


@pytest.mark.corpus
@needs_corpus
@fuzz_settings
@given(sample=mutated())
def test_readers_survive_mutated_files(sample: tuple[str, bytes]) -> None:
    """This test ensures that every reader answers a damaged file with an exhibit or a rejection.

    A reader bug that only the last-resort handler catches counts as a crash.
    """
    name, data = sample
    with (
        tempfile.TemporaryDirectory(prefix="dossier-fuzz-") as scratch,
        time_limit(TIME_LIMIT_S),
        last_resort_failures() as crashes,
    ):
        outcome = read_mutated(Path(scratch), name, data)
    assert not crashes, crashes
    assert isinstance(outcome, Exhibit | Rejection)
    if isinstance(outcome, Rejection):
        assert outcome.reason.strip()
        assert outcome.relpath == name


@pytest.mark.corpus
@pytest.mark.slow
@needs_corpus
@settings(
    max_examples=max(LONG_RUN // 20, 15),
    deadline=None,
    derandomize=not LONG_RUN,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(samples=st.lists(mutated(), min_size=1, max_size=3, unique_by=lambda s: s[0]))
def test_build_survives_mutated_files(samples: list[tuple[str, bytes]]) -> None:
    """This test ensures that a build of damaged files gives a sound dossier or a clear error."""
    with tempfile.TemporaryDirectory(prefix="dossier-fuzz-") as scratch:
        folder = Path(scratch) / "case"
        folder.mkdir()
        for name, data in samples:
            (folder / name).write_bytes(data)
        output = Path(scratch) / "out.pdf"
        options = BuildOptions(folder=folder, output=output, skip_unreadable=True)
        with time_limit(TIME_LIMIT_S * 2), last_resort_failures() as crashes:
            try:
                result = api.build(options)
            except NothingToBuildError as error:
                assert "no photo, screenshot, email, PDF or note" in str(error)
                assert not output.exists()
                return
        assert not crashes, crashes
        assert result.output == output
        assert len(result.plan.exhibits) + len(result.plan.rejections) == len(samples)
        assert qpdf_check(output) == ""


def test_damage_seen_only_at_layout_leaves_the_file_out(tmp_path):
    """This test ensures that a PDF whose page content fails only on import is a rejection.

    The reader checks that each page's content can be fetched, not parsed
    (parsing every page twice would double the time of large PDFs).
    """
    folder = tmp_path / "case"
    folder.mkdir()
    writer = PdfWriter()
    page = writer.add_blank_page(300, 300)
    content = DecodedStreamObject()
    content.set_data(b"q 1 0 0 1 0 0 cm >> Q")
    page[NameObject("/Contents")] = writer._add_object(content)
    writer.write(folder / "broken-content.pdf")
    (folder / "note.txt").write_text("Colis reçu ouvert.", encoding="utf-8")

    with pytest.raises(FilesNotIncludedError, match="broken-content.pdf: the PDF page content"):
        api.build(BuildOptions(folder=folder))
    result = api.build(BuildOptions(folder=folder, skip_unreadable=True))
    assert [e.source.relpath for e in result.plan.exhibits] == ["note.txt"]
    assert result.plan.exhibits[0].number == 1
    assert [r.relpath for r in result.plan.rejections] == ["broken-content.pdf"]
    text = PdfReader(result.output).pages[1].extract_text()
    assert "broken-content.pdf" in text


def test_huge_text_is_cut_into_small_paragraphs():
    """This test ensures that a huge note or mail body cannot make the layout take minutes.

    Splitting one paragraph across pages re-wraps all its remaining text; a
    400 KB single line took two minutes before blocks were cut.
    """
    register_fonts()
    style = page_style()
    one_line = "QUJD" * 100_000
    many_lines = "\n".join(f"line {n}" for n in range(5000))
    for text in (one_line, many_lines, f"Short first paragraph.\n\n{one_line}"):
        paragraphs = text_paragraphs(text, style)
        pieces = [p.text for p in paragraphs]
        assert all(len(piece) <= 3000 + 40 * len("<br/>") for piece in pieces)
        assert all(piece.count("<br/>") < 40 for piece in pieces)
        assert "".join(pieces).replace("<br/>", "") == text.replace("\n", "")

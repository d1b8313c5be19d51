"""Watch mode: a rebuild after each change, a report for a bad file, and still watching."""

from __future__ import annotations

import queue
import shutil
import threading
from pathlib import Path

import pytest
from pypdf import PdfReader

from dossier.model import BuildOptions
from dossier.watch import Rebuild, _Changes, watch_folder
from tests.conftest_samples import SAMPLES

# Every wait is bounded: a watch that never reports fails the test instead of hanging.
TIMEOUT = 10.0


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """A case folder with one note in it."""
    case = tmp_path / "case"
    case.mkdir()
    shutil.copy(SAMPLES / "double-charge" / "notities.txt", case / "notities.txt")
    return case


def next_rebuild(reports: queue.Queue[Rebuild]) -> Rebuild:
    return reports.get(timeout=TIMEOUT)


def test_watch_rebuilds_after_each_change_and_survives_a_bad_file(folder: Path):
    """This test ensures that adding, breaking and removing files each give one report."""
    reports: queue.Queue[Rebuild] = queue.Queue()
    stop = threading.Event()
    options = BuildOptions(folder=folder)
    watcher = threading.Thread(
        target=watch_folder, args=(options, reports.put, stop), kwargs={"delay": 0.2}, daemon=True
    )
    watcher.start()
    try:
        first = next_rebuild(reports)
        assert first.changed == ()
        assert first.result is not None
        assert len(first.result.plan.exhibits) == 1

        shutil.copy(SAMPLES / "double-charge" / "bestelbevestiging.eml", folder / "order.eml")
        added = next_rebuild(reports)
        assert added.changed == ("order.eml",)
        assert added.result is not None
        assert len(added.result.plan.exhibits) == 2
        assert len(PdfReader(folder / "dossier.pdf").pages) == 4  # with the appendix

        (folder / "bad.jpg").write_bytes(b"junk")
        bad = next_rebuild(reports)
        assert bad.changed == ("bad.jpg",)
        assert bad.result is None
        assert bad.error is not None
        assert bad.error.lines()[1].startswith("  bad.jpg: not a kind of file")
        # The last good dossier stays in place.
        assert len(PdfReader(folder / "dossier.pdf").pages) == 4  # with the appendix

        (folder / "bad.jpg").unlink()
        fixed = next_rebuild(reports)
        assert fixed.changed == ("bad.jpg",)
        assert fixed.result is not None
        assert watcher.is_alive()
    finally:
        stop.set()
        watcher.join(TIMEOUT)
    assert not watcher.is_alive()
    # Writing the dossier itself never caused a rebuild.
    assert reports.empty()


def test_a_burst_of_changes_gives_one_rebuild(folder: Path):
    """This test ensures that files dropped in together are built once, after the folder is quiet."""
    reports: queue.Queue[Rebuild] = queue.Queue()
    stop = threading.Event()
    watcher = threading.Thread(
        target=watch_folder,
        args=(BuildOptions(folder=folder), reports.put, stop),
        kwargs={"delay": 0.5},
        daemon=True,
    )
    watcher.start()
    try:
        assert next_rebuild(reports).changed == ()
        for name in ("a.txt", "b.txt", "c.txt"):
            (folder / name).write_text(f"Note {name}\n", encoding="utf-8")
        burst = next_rebuild(reports)
        assert burst.changed == ("a.txt", "b.txt", "c.txt")
        assert burst.result is not None
        assert len(burst.result.plan.exhibits) == 4
        with pytest.raises(queue.Empty):
            reports.get(timeout=1.0)
    finally:
        stop.set()
        watcher.join(TIMEOUT)


def test_changes_seen_by_the_build_only(folder: Path):
    """This test ensures that the dossier, hidden files and previews do not trigger a rebuild."""
    (folder / "pages").mkdir()
    (folder / "pages" / ".dossier-preview").touch()
    changes = _Changes(folder, folder / "dossier.pdf")
    assert changes.relevant(str(folder / "photo.jpg")) == "photo.jpg"
    assert changes.relevant(str(folder / "sub" / "mail.eml")) == "sub/mail.eml"
    assert changes.relevant(str(folder / "case.toml")) == "case.toml"
    assert changes.relevant(str(folder / "dossier.pdf")) is None
    assert changes.relevant(str(folder / ".dossier.pdf.x1y2.part")) is None
    assert changes.relevant(str(folder / ".hidden" / "a.jpg")) is None
    assert changes.relevant(str(folder / "pages" / "page-001.png")) is None
    assert changes.relevant(str(folder / "pages")) == "pages"
    assert changes.relevant(str(folder.parent / "elsewhere.jpg")) is None
    assert changes.relevant("") is None


def test_missing_folder_is_reported_before_watching(tmp_path: Path):
    """This test ensures that watching a folder that does not exist fails at once."""
    from dossier.errors import InputFolderError

    with pytest.raises(InputFolderError, match="no such folder"):
        watch_folder(BuildOptions(folder=tmp_path / "nope"), print, threading.Event())

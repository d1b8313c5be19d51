"""Pictures prepared side by side on the cores: the same PDF, bounded memory, clear failures."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

from dossier import pixelbudget
from dossier.pdf import imagedata
from dossier.pixelbudget import PixelBudget
from tests.conftest_images import build_folder, noise

SIZE = (300, 225)  # 67,500 pixels


def screenshots(folder: Path, count: int) -> Path:
    """PNG screenshots: re-encoded, never passed through, so each is decoded."""
    folder.mkdir()
    for k in range(count):
        noise(*SIZE, seed=k).save(folder / f"Screenshot_20261105-0815{k:02d}.png")
    return folder


class Watch:
    """Records where and how many pixels at once pictures are prepared."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.lock = threading.Lock()
        self.in_flight = 0
        self.most = 0
        self.threads: set[str] = set()
        real = imagedata.prepare_image

        def watched(exhibit, *args):
            with self.lock:
                self.in_flight += exhibit.content.width * exhibit.content.height
                self.most = max(self.most, self.in_flight)
                self.threads.add(threading.current_thread().name)
            try:
                return real(exhibit, *args)
            finally:
                with self.lock:
                    self.in_flight -= exhibit.content.width * exhibit.content.height

        monkeypatch.setattr(imagedata, "prepare_image", watched)


def test_threads_give_the_same_pdf(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """This test ensures that preparing pictures in threads changes no byte of the PDF."""
    folder = screenshots(tmp_path / "case", 6)
    monkeypatch.setattr("os.cpu_count", lambda: 1)
    build_folder(folder, tmp_path / "one.pdf")
    monkeypatch.setattr("os.cpu_count", lambda: 4)
    watch = Watch(monkeypatch)
    build_folder(folder, tmp_path / "four.pdf")
    assert (tmp_path / "one.pdf").read_bytes() == (tmp_path / "four.pdf").read_bytes()
    assert watch.threads and "MainThread" not in watch.threads


def test_pixels_at_once_are_bounded(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """This test ensures that the pictures decoded at the same time stay within the budget."""
    folder = screenshots(tmp_path / "case", 8)
    monkeypatch.setattr("os.cpu_count", lambda: 8)
    monkeypatch.setattr(pixelbudget, "BUDGET", PixelBudget(2 * 67_500 + 1000))  # two at a time
    watch = Watch(monkeypatch)
    build_folder(folder, tmp_path / "dossier.pdf")
    assert 0 < watch.most <= 2 * 67_500


def test_big_pictures_are_prepared_when_drawn(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """This test ensures that a picture of more than half the budget is prepared alone, in order."""
    folder = screenshots(tmp_path / "case", 3)
    monkeypatch.setattr("os.cpu_count", lambda: 4)
    monkeypatch.setattr(pixelbudget, "BUDGET", PixelBudget(100_000))  # half: 50,000 < 67,500
    watch = Watch(monkeypatch)
    build_folder(folder, tmp_path / "dossier.pdf")
    assert watch.threads == {"MainThread"}
    assert watch.most == 67_500


def test_picture_failing_in_a_thread_is_left_out(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """This test ensures that damage found while preparing ahead costs that file, not the build."""
    folder = screenshots(tmp_path / "case", 4)
    monkeypatch.setattr("os.cpu_count", lambda: 2)
    real = imagedata.prepare_image
    broken = "Screenshot_20261105-081502.png"

    def failing(exhibit, *args):
        if exhibit.source.relpath == broken:
            raise OSError("broken data stream when reading image file")
        return real(exhibit, *args)

    monkeypatch.setattr(imagedata, "prepare_image", failing)
    result = build_folder(folder, tmp_path / "dossier.pdf", skip_unreadable=True)
    assert [r.relpath for r in result.plan.rejections] == [broken]
    assert "could not be laid out (broken data stream" in result.plan.rejections[0].reason
    assert len(result.plan.exhibits) == 3

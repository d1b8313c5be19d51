"""Pictures decoded in threads, by any stage, hold the process's pixel budget between them."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import pytest
from PIL import Image

from dossier import api, pixelbudget, warnings_check
from dossier.model import BuildOptions
from dossier.pixelbudget import PixelBudget


class InFlight:
    """Counts the pixels being decoded at the same time by a wrapped function."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.now = 0
        self.most = 0

    def wrap(self, function, pixels_of):
        def counted(exhibit):
            pixels = pixels_of(exhibit)
            with self.lock:
                self.now += pixels
                self.most = max(self.most, self.now)
            try:
                time.sleep(0.05)  # long enough for the other threads to start theirs
                return function(exhibit)
            finally:
                with self.lock:
                    self.now -= pixels

        return counted


def test_near_duplicate_check_stays_within_the_budget(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """This test ensures that six big photos are not decoded side by side beyond the budget.

    Tiny files of big pictures (a WebP of one colour) cost next to nothing
    on disk and a lot once decoded.
    """
    folder = tmp_path / "case"
    folder.mkdir()
    for number in range(6):
        Image.new("RGB", (1500, 1000), (number * 40, 90, 90)).save(
            folder / f"IMG_2026110{number}_101500.webp", lossless=True
        )
    assert all(p.stat().st_size < 10_000 for p in folder.iterdir())
    monkeypatch.setattr("os.cpu_count", lambda: 8)
    monkeypatch.setattr(pixelbudget, "BUDGET", PixelBudget(3_200_000))  # two at a time
    watch = InFlight()
    monkeypatch.setattr(
        warnings_check,
        "small_gray_picture",
        watch.wrap(warnings_check.small_gray_picture, warnings_check.decoded_pixels),
    )
    timeline = api.plan(BuildOptions(folder=folder))
    assert len(timeline.exhibits) == 6
    assert 0 < watch.most <= 3_200_000
    assert pixelbudget.BUDGET.peak <= 3_200_000


def test_a_picture_larger_than_the_budget_runs_alone() -> None:
    """This test ensures that a picture bigger than the whole budget waits to be alone."""
    budget = PixelBudget(1000)
    order: list[str] = []
    with budget.holding(400):
        started = threading.Event()

        def big() -> None:
            started.set()
            with budget.holding(5000):
                order.append("big")

        thread = threading.Thread(target=big)
        thread.start()
        started.wait()
        time.sleep(0.05)
        order.append("small done")
    thread.join(timeout=5)
    assert order == ["small done", "big"]
    assert budget.peak == 1000

"""A real ``dossier serve`` and a real headless Chromium, for the browser tests.

Chromium is Debian's (``.ci/apt-packages.txt``), driven by Playwright; its own
browser download is never used. Without Chromium the browser tests are
skipped on a developer's machine, and fail in CI.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    # A name that resolves to this computer, as a DNS rebinding attack would make it.
    "--host-resolver-rules=MAP rebound.test 127.0.0.1",
]
AXE = Path(__file__).resolve().parent / "vendor" / "axe-core" / "axe.min.js"


def chromium_or_skip() -> None:
    """Skip when Chromium or Playwright is missing, except in CI, where both must be there."""
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        missing = "playwright is not installed (pip install -e '.[test]')"
    else:
        missing = (
            "" if CHROMIUM.is_file() else f"{CHROMIUM} is not installed (apt-get install chromium)"
        )
    if not missing:
        return
    if os.environ.get("CI"):
        pytest.fail(f"{missing}, but CI is set: install .ci/apt-packages.txt and the test extra")
    pytest.skip(missing)


class DossierProcess:
    """``python -m dossier ARGUMENTS`` in a process of its own, at the address it printed."""

    def __init__(self, arguments: list[str], environment: dict[str, str]) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-m", "dossier", *arguments],
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            env={**environment, "PYTHONUNBUFFERED": "1"},
        )
        assert self.process.stdout is not None
        self.output: list[str] = []
        for line in self.process.stdout:
            self.output.append(line)
            match = re.search(r"http://(127\.0\.0\.1:(\d+))/\?token=(\S+)", line)
            if match:
                self.host, self.port, self.token = match[1], int(match[2]), match[3]
                break
        else:
            raise RuntimeError(f"dossier {arguments[0]} did not start:\n" + "".join(self.output))
        self.origin = f"http://{self.host}"
        self.address = f"{self.origin}/?token={self.token}"
        # Keep reading what it prints, so that a full pipe never blocks the server.
        self._reader = threading.Thread(target=self._drain, daemon=True)
        self._reader.start()

    def _drain(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self.output.append(line)

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self._reader.join(5)
        if self.process.stdout is not None:
            self.process.stdout.close()


class Server(DossierProcess):
    """``dossier serve FOLDER`` in a process of its own, at the address it printed."""

    def __init__(self, folder: Path, cache: Path) -> None:
        self.folder = folder
        environment = {**os.environ, "XDG_CACHE_HOME": str(cache)}
        super().__init__(["serve", str(folder), "--no-browser"], environment)


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    """One headless Chromium for a whole test module."""
    chromium_or_skip()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True
        )
        yield launched
        launched.close()


@pytest.fixture
def serve(tmp_path: Path) -> Iterator[callable]:
    """Start ``dossier serve`` on a folder; every server started is stopped after the test."""
    started: list[Server] = []

    def start(folder: Path) -> Server:
        server = Server(folder, tmp_path / "cache")
        started.append(server)
        return server

    yield start
    for server in started:
        server.stop()


def copy_file(source: Path, folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    return Path(shutil.copy2(source, folder))

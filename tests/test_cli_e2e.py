"""Each command run as a user runs it: ``python -m dossier ...`` in a separate process."""

from __future__ import annotations

import json
import os
import queue
import shutil
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import IO

import pytest
from PIL import Image
from pypdf import PdfReader

from tests.conftest_samples import SAMPLES

REPO = Path(__file__).resolve().parent.parent
TIMEOUT = 60


def environment() -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = str(REPO) + os.pathsep + env.get("PYTHONPATH", "")
    env["PYTHONIOENCODING"] = "utf-8"
    return env


def dossier(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "dossier", *args],
        capture_output=True,
        text=True,
        encoding="utf-8",
        env=environment(),
        cwd=cwd,
        timeout=TIMEOUT,
        check=False,
    )


def test_help_and_version():
    """This test ensures that the installed entry point answers --help and --version."""
    help_ = dossier("--help")
    assert help_.returncode == 0
    assert help_.stdout.startswith("Usage: dossier [OPTIONS] COMMAND [ARGS]...")
    version = dossier("--version")
    assert version.returncode == 0
    assert version.stdout.startswith("dossier, version ")


def test_list(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """This test ensures that list prints the double-charge timeline, piped, with its warning, in the case's Dutch."""
    monkeypatch.delenv("DOSSIER_LANGUAGE")
    result = dossier("list", str(SAMPLES / "double-charge"))
    assert result.returncode == 0, result.stderr
    rows = [line.split("\t") for line in result.stdout.splitlines()]
    assert [row[4] for row in rows] == [
        "bestelbevestiging.eml",
        "Screenshot_20261105-081500.png",
        "Screenshot_20261106-093012.png",
        "notities.txt",
    ]
    assert all(len(row) == 7 for row in rows)
    assert rows[1][:4] == ["2", "05/11/2026 08:15", "bestandsnaam", "png"]
    json_rows = json.loads(dossier("list", str(SAMPLES / "double-charge"), "--json").stdout)
    assert [row["warnings"] for row in json_rows] == [[], [], [], json_rows[3]["warnings"]]


def test_list_fails_like_the_build_would(tmp_path: Path):
    """This test ensures that list exits 3 on a folder with a file that cannot be read."""
    (tmp_path / "broken.pdf").write_bytes(b"%PDF-1.4\n")
    result = dossier("list", str(tmp_path))
    assert result.returncode == 3
    assert result.stderr.splitlines()[-1].startswith("error: 1 file cannot be included")
    assert "Traceback" not in result.stderr


def test_build(tmp_path: Path):
    """This test ensures that build writes the dossier and prints only the summary when piped."""
    out = tmp_path / "claim.pdf"
    result = dossier("build", str(SAMPLES / "damaged-parcel"), "-o", str(out))
    assert result.returncode == 0, result.stderr
    # The facts read from the evidence, then what was written.
    *inferred, wrote = result.stdout.splitlines()
    assert all(line.startswith("inferred: order.") for line in inferred)
    assert wrote.startswith(f"Wrote {out}: 11 pages, ")  # with the integrity appendix
    assert result.stderr == ""
    reader = PdfReader(out)
    assert len(reader.pages) == 11  # with the integrity appendix
    assert "Pièce n° 3" in reader.pages[6].extract_text()


def test_preview(tmp_path: Path):
    """This test ensures that preview writes one PNG per page beside the dossier."""
    shutil.copytree(SAMPLES / "double-charge", tmp_path / "case")
    case = tmp_path / "case"
    assert dossier("build", str(case), "-q").returncode == 0
    result = dossier("preview", cwd=case)
    assert result.returncode == 0, result.stderr
    pictures = sorted((case / "dossier-preview").glob("page-*.png"))
    assert len(pictures) == len(PdfReader(case / "dossier.pdf").pages)
    with Image.open(pictures[0]) as image:
        assert image.format == "PNG"
    # The pictures are not evidence: a second build has the same exhibits.
    again = dossier("list", str(case))
    assert len(again.stdout.splitlines()) == 4


def test_watch(tmp_path: Path):
    """This test ensures that watch rebuilds on a new file, reports a bad one, and keeps going.

    Bounded: every wait has a deadline, and the process is stopped with Ctrl-C (SIGINT).
    """
    case = tmp_path / "case"
    case.mkdir()
    shutil.copy(SAMPLES / "double-charge" / "notities.txt", case / "notities.txt")
    with subprocess.Popen(
        [sys.executable, "-m", "dossier", "watch", str(case), "--delay", "0.2"],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        encoding="utf-8",
        env=environment(),
    ) as process:
        lines: queue.Queue[str] = queue.Queue()
        reader = threading.Thread(target=copy_lines, args=(process.stdout, lines), daemon=True)
        reader.start()
        try:
            assert any(line.startswith("Wrote ") for line in wait_for(lines, "Watching "))
            shutil.copy(SAMPLES / "double-charge" / "bestelbevestiging.eml", case / "order.eml")
            rebuilt = wait_for(lines, "Wrote ")
            assert rebuilt[0] == "Changed: order.eml"
            assert ", 2 exhibits." in rebuilt[-1]
            (case / "bad.jpg").write_bytes(b"junk")
            reported = wait_for(lines, "Still watching")
            assert "Changed: bad.jpg" in reported
            assert "error: 1 file cannot be included:" in reported
            (case / "bad.jpg").unlink()
            assert ", 2 exhibits." in wait_for(lines, "Wrote ")[-1]
        finally:
            process.send_signal(signal.SIGINT)
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()
                raise
            reader.join(5)
    assert process.returncode == 0
    assert "Stopped watching." in wait_for(lines, "Stopped watching.", seconds=2)


def copy_lines(stream: IO[str], lines: queue.Queue[str]) -> None:
    for line in stream:
        lines.put(line)


def wait_for(lines: queue.Queue[str], start: str, seconds: float = 15) -> list[str]:
    """The lines printed until one starts with ``start``; fails after ``seconds``."""
    seen, deadline = [], time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            line = lines.get(timeout=0.2).rstrip("\n")
        except queue.Empty:
            continue
        seen.append(line)
        if line.startswith(start):
            return seen
    pytest.fail(f"no line starting with {start!r} after {seconds}s; saw {seen}")

"""A failed build never leaves a partial file and never clobbers the previous dossier.

Read-only folder, full disk, Ctrl-C and an input changed mid-build all end
with one clear message, the right exit code, the previous PDF and manifest
byte for byte as they were, and no temporary file left behind.
"""

from __future__ import annotations

import errno
import itertools
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner
from pypdf import PdfReader, PdfWriter

from dossier import api
from dossier.cli import main
from dossier.discover import file_sha256, fingerprint, is_unchanged
from dossier.errors import ExitCode
from dossier.model import BuildOptions
from dossier.pdf import assemble, compose
from tests.conftest_trust import copy_case


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = copy_case("double-charge", tmp_path_factory.mktemp("safety"))
    api.build(BuildOptions(folder=folder))
    return folder


@pytest.fixture
def case(built: Path, tmp_path: Path) -> Path:
    """A copy of a built case: dossier.pdf and dossier.manifest.json already there."""
    return Path(shutil.copytree(built, tmp_path / "case"))


def snapshot(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


def build(folder: Path, *options: str):
    return CliRunner().invoke(main, ["build", str(folder), *options])


def assert_untouched(folder: Path, before: dict[str, bytes]) -> None:
    after = snapshot(folder)
    assert sorted(after) == sorted(before), "a file appeared or disappeared"
    assert after == before, "a file changed"


def test_read_only_output_folder(case, monkeypatch):
    """This test ensures that an unwritable folder gives exit 5 and a message naming it."""
    before = snapshot(case)

    def refuse(*args, **kwargs):
        raise PermissionError(errno.EACCES, "Permission denied")

    monkeypatch.setattr("dossier.pdf.assemble.tempfile.mkstemp", refuse)
    result = build(case)
    assert result.exit_code == ExitCode.OUTPUT_ERROR
    assert result.stderr == (
        f"error: {case}: cannot write here (Permission denied); choose another place with -o\n"
    )
    assert_untouched(case, before)


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes into read-only folders")
def test_read_only_output_folder_for_real(case):
    """This test ensures the same with real permissions (run as a normal user)."""
    before = snapshot(case)
    case.chmod(0o555)
    try:
        result = build(case)
    finally:
        case.chmod(0o755)
    assert result.exit_code == ExitCode.OUTPUT_ERROR
    assert "cannot write here (Permission denied)" in result.stderr
    assert_untouched(case, before)


def half_then(error: BaseException):
    """A PdfWriter.write that writes part of the file, then fails like a full disk or Ctrl-C."""
    real_write = PdfWriter.write

    def write(self, stream):
        real_write(self, stream)
        stream.truncate(1000)
        raise error

    return write


def test_disk_full_mid_write(case, monkeypatch):
    """This test ensures that ENOSPC while writing gives exit 5 and leaves nothing behind."""
    before = snapshot(case)
    monkeypatch.setattr(
        PdfWriter, "write", half_then(OSError(errno.ENOSPC, os.strerror(errno.ENOSPC)))
    )
    result = build(case)
    assert result.exit_code == ExitCode.OUTPUT_ERROR
    assert result.stderr == (
        f"error: {case / 'dossier.pdf'}: could not be written (No space left on device); "
        "nothing was changed; free some space or choose another place with -o\n"
    )
    assert_untouched(case, before)


def test_disk_full_on_a_real_small_file_system(tmp_path):
    """This test ensures the same on a real full disk: a 200 KB tmpfs (needs mount rights)."""
    mount = tmp_path / "small"
    mount.mkdir()
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=200k", "tmpfs", str(mount)],
        capture_output=True,
        check=False,
    )
    if mounted.returncode != 0:
        pytest.skip("cannot mount a tmpfs here")
    try:
        (mount / "dossier.pdf").write_bytes(b"%PDF-1.4 the previous dossier")
        before = snapshot(mount)
        folder = copy_case("double-charge", tmp_path)
        result = build(folder, "-o", str(mount / "dossier.pdf"))
        assert result.exit_code == ExitCode.OUTPUT_ERROR
        assert "could not be written (No space left on device); nothing was changed" in (
            result.stderr
        )
        assert_untouched(mount, before)
    finally:
        subprocess.run(["umount", str(mount)], check=False)


def test_ctrl_c_mid_build(case, monkeypatch):
    """This test ensures that Ctrl-C during layout gives exit 130 and changes nothing."""
    before = snapshot(case)

    def interrupt(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr("dossier.pdf.compose.render_overlay", interrupt)
    result = build(case)
    assert result.exit_code == ExitCode.INTERRUPTED == 130
    assert result.stderr == "interrupted: nothing was written\n"
    assert_untouched(case, before)


def test_ctrl_c_mid_write(case, monkeypatch):
    """This test ensures that Ctrl-C while the PDF is being written leaves no partial file."""
    before = snapshot(case)
    monkeypatch.setattr(PdfWriter, "write", half_then(KeyboardInterrupt()))
    result = build(case)
    assert result.exit_code == ExitCode.INTERRUPTED
    assert_untouched(case, before)


@pytest.mark.parametrize("attach", [False, True], ids=["re-hash-at-end", "attach-originals"])
def test_input_changed_during_the_build(case, monkeypatch, attach):
    """This test ensures that a file modified mid-build stops it before anything is written."""
    before = snapshot(case)
    real_overlay = compose.render_overlay

    def overlay_then_modify(*args, **kwargs):
        real_overlay(*args, **kwargs)
        with (case / "notities.txt").open("a", encoding="utf-8") as note:
            note.write("\nLater toegevoegd.")

    monkeypatch.setattr("dossier.pdf.compose.render_overlay", overlay_then_modify)
    result = build(case, *(["--attach-originals"] if attach else []))
    assert result.exit_code == ExitCode.INPUT_CHANGED == 10
    assert "notities.txt: changed while the dossier was being built" in result.stderr
    assert "nothing was written" in result.stderr
    before["notities.txt"] = (case / "notities.txt").read_bytes()
    assert_untouched(case, before)


def change_during_the_build(monkeypatch, change) -> None:
    """Run ``change()`` once the pages are laid out, before the final check."""
    real_overlay = compose.render_overlay

    def overlay_then_change(*args, **kwargs):
        real_overlay(*args, **kwargs)
        change()

    monkeypatch.setattr("dossier.pdf.compose.render_overlay", overlay_then_change)


@pytest.fixture
def settled(monkeypatch):
    """Files count as written long before the build (no re-hash for being recent)."""
    monkeypatch.setattr("dossier.model._RACY_NS", 0)


def test_file_only_touched_during_the_build_is_not_a_change(case, monkeypatch, settled):
    """This test ensures that a new modification time with the same content does not stop a build."""
    note = case / "notities.txt"
    later = note.stat().st_mtime_ns + 60 * 10**9
    change_during_the_build(monkeypatch, lambda: os.utime(note, ns=(later, later)))
    result = build(case)
    assert result.exit_code == ExitCode.OK, result.stderr
    assert "Wrote" in result.stdout


def test_change_with_its_old_times_put_back_is_caught(case, monkeypatch, settled):
    """This test ensures that same-size content with the old modification time still stops a build.

    The change time (ctime) moves on every write and cannot be set back.
    """
    note = case / "notities.txt"
    status = note.stat()
    text = note.read_bytes()

    def rewrite_and_backdate():
        note.write_bytes(text.replace(b"a", b"o", 1))
        os.utime(note, ns=(status.st_atime_ns, status.st_mtime_ns))

    change_during_the_build(monkeypatch, rewrite_and_backdate)
    result = build(case)
    assert result.exit_code == ExitCode.INPUT_CHANGED
    assert "notities.txt: changed while the dossier was being built" in result.stderr


def test_unchanged_file_is_not_read_again(case, monkeypatch, settled):
    """This test ensures that the final check reads no file whose state is unchanged."""
    source = fingerprint(case / "notities.txt", case)

    def no_hashing(path):
        raise AssertionError(f"{path} was hashed again")

    monkeypatch.setattr("dossier.discover.file_sha256", no_hashing)
    assert is_unchanged(source)


def test_recently_written_file_is_hashed_again(case, monkeypatch):
    """This test ensures that a file written just before hashing is compared by content.

    A second write within the same timestamp tick would leave its times as
    they were; only the content can tell.
    """
    source = fingerprint(case / "notities.txt", case)  # copied into place just now
    hashed = []
    real = file_sha256

    def counting(path):
        hashed.append(path)
        return real(path)

    monkeypatch.setattr("dossier.discover.file_sha256", counting)
    assert is_unchanged(source)
    assert hashed == [case / "notities.txt"]


def test_missing_output_folder(case, tmp_path):
    """This test ensures that -o into a folder that does not exist says so, with exit 5."""
    target = tmp_path / "no-such-folder" / "claim.pdf"
    result = build(case, "-o", str(target))
    assert result.exit_code == ExitCode.OUTPUT_ERROR
    assert result.stderr == (
        f"error: {target.parent}: the output folder does not exist; "
        "create it or choose another with -o\n"
    )
    assert not target.parent.exists()


def test_output_path_that_is_a_folder(case, tmp_path):
    """This test ensures that -o naming an existing folder fails cleanly and leaves it alone."""
    target = tmp_path / "claim.pdf"
    target.mkdir()
    (target / "keep.txt").write_text("mine", encoding="utf-8")
    result = build(case, "-o", str(target))
    assert result.exit_code in (ExitCode.OUTPUT_ERROR, ExitCode.USAGE)
    assert (target / "keep.txt").read_text(encoding="utf-8") == "mine"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["case", "claim.pdf"]


def test_dossier_gets_the_usual_file_permissions(tmp_path: Path) -> None:
    """This test ensures the PDF and its manifest get the permissions of any new file of the user."""
    from dossier import BuildOptions, build
    from tests.conftest import NOW, SAMPLES

    folder = tmp_path / "case"
    shutil.copytree(SAMPLES / "double-charge", folder)
    old = os.umask(0o022)
    try:
        result = build(BuildOptions(folder=folder, output=tmp_path / "d.pdf", now=NOW))
    finally:
        os.umask(old)
    assert result.output.stat().st_mode & 0o777 == 0o644
    assert (tmp_path / "d.manifest.json").stat().st_mode & 0o777 == 0o644


def test_written_data_goes_to_disk_as_it_is_written(case, tmp_path, monkeypatch):
    """This test ensures that each stretch of the PDF is sent to disk while the rest is written.

    The final fsync then waits less. It changes no byte of the PDF, also where
    the C library has no sync_file_range.
    """
    asked: list[tuple[int, int]] = []
    start_writeback = assemble._start_writeback

    def recording(descriptor: int, offset: int, length: int) -> None:
        asked.append((offset, length))
        start_writeback(descriptor, offset, length)

    monkeypatch.setattr(assemble, "_WRITE_AHEAD_STEP", 64 << 10)
    monkeypatch.setattr(assemble, "_start_writeback", recording)
    written = build(case, "-o", str(tmp_path / "ahead.pdf"))
    assert written.exit_code == 0, written.output
    size = (tmp_path / "ahead.pdf").stat().st_size
    assert len(asked) >= 2
    assert asked[0][0] == 0
    for (offset, length), (next_offset, _) in itertools.pairwise(asked):
        assert length >= 64 << 10
        assert offset + length == next_offset
    assert asked[-1][0] + asked[-1][1] <= size

    monkeypatch.setattr(assemble, "_start_writeback", start_writeback)
    monkeypatch.setattr(assemble, "_sync_file_range", lambda: None)
    plain = build(case, "-o", str(tmp_path / "plain.pdf"))
    assert plain.exit_code == 0, plain.output
    assert (tmp_path / "ahead.pdf").read_bytes() == (tmp_path / "plain.pdf").read_bytes()


@pytest.fixture
def evidence(tmp_path: Path) -> Path:
    """A small case folder: a photo, a PDF and a case file."""
    from PIL import Image

    folder = tmp_path / "evidence"
    folder.mkdir()
    Image.new("RGB", (64, 48), "teal").save(folder / "photo.jpg")
    writer = PdfWriter()
    writer.add_blank_page(200, 200)
    writer.write(folder / "scan-1.pdf")
    (folder / "case.toml").write_text('language = "en"\n', encoding="utf-8")
    return folder


@pytest.mark.parametrize(
    ("target", "extra", "named"),
    [
        pytest.param("photo.jpg", [], "photo.jpg", id="a-photo"),
        pytest.param("case.toml", [], "case.toml", id="the-case-file"),
        pytest.param("scan.pdf", ["--max-size", "1KB", "--split"], "scan-1.pdf", id="a-volume"),
        pytest.param("photo.pdf", [], "photo.manifest.json", id="a-manifest"),
    ],
)
def test_output_never_replaces_an_input(evidence, target, extra, named):
    """This test ensures that no output (PDF, volume, manifest) may land on an input."""
    if named.endswith(".json"):
        (evidence / named).write_text('{"schema": "not ours"}\n', encoding="utf-8")
    before = snapshot(evidence)
    result = build(evidence, "-o", str(evidence / target), "--skip-unreadable", *extra)
    assert result.exit_code == ExitCode.OUTPUT_ERROR, result.output
    assert f"is {named}, an input of this dossier" in result.output
    assert "choose another path with -o" in result.output
    assert_untouched(evidence, before)


def test_output_through_a_link_onto_an_input(evidence, tmp_path):
    """This test ensures that an output path that is a link to an input is refused too."""
    link = tmp_path / "claim.pdf"
    link.symlink_to(evidence / "photo.jpg")
    before = snapshot(evidence)
    result = build(evidence, "-o", str(link))
    assert result.exit_code == ExitCode.OUTPUT_ERROR, result.output
    assert "is photo.jpg, an input of this dossier" in result.output
    assert_untouched(evidence, before)
    assert link.is_symlink()


def test_manifest_that_cannot_be_written_leaves_the_pdf_untouched(case):
    """This test ensures that a folder where the manifest goes leaves the old PDF in place.

    PDF and manifest are published together: the build stops before either is renamed.
    """
    (case / "notes.txt").write_text("a new piece of evidence\n", encoding="utf-8")
    (case / "dossier.manifest.json").unlink()
    (case / "dossier.manifest.json").mkdir()
    old_pdf = (case / "dossier.pdf").read_bytes()
    result = build(case)
    assert result.exit_code == ExitCode.OUTPUT_ERROR, result.output
    assert result.stderr == (
        f"error: {case / 'dossier.manifest.json'}: is a folder, where the file should go; "
        "nothing was changed; move the folder away or choose another place with -o\n"
    )
    assert (case / "dossier.pdf").read_bytes() == old_pdf
    assert not [p for p in case.iterdir() if p.name.endswith(".part")]


def test_a_second_build_waits_for_the_first_to_publish(case, tmp_path):
    """This test ensures that a build into a folder another build is publishing to waits."""
    import threading

    output = tmp_path / "out" / "dossier.pdf"
    output.parent.mkdir()
    finished = threading.Event()

    def second_build() -> None:
        api.build(BuildOptions(folder=case, output=output, duplex=True))
        finished.set()

    with assemble.publishing(output) as publication:
        temporary = publication.stage(output)
        temporary.write_bytes(b"%PDF-1.4 the first build's dossier")
        thread = threading.Thread(target=second_build)
        thread.start()
        # The second build has all the time it needs to lay out, but may not publish.
        thread.join(timeout=20)
        assert not finished.is_set()
        assert not manifest_of(output).exists()
    thread.join(timeout=60)
    assert finished.is_set()
    embedded = PdfReader(output).attachments["dossier.manifest.json"][0]
    assert manifest_of(output).read_bytes() == embedded


def manifest_of(pdf: Path) -> Path:
    return pdf.with_name(f"{pdf.stem}.manifest.json")


# Run in a child process: the PDF writer writes a little, says so, then hangs.
_HANGING_BUILD = """
import sys, time
from pathlib import Path
from pypdf import PdfWriter

def hang(self, stream):
    stream.write(b"%PDF-1.7 half of it")
    stream.flush()
    Path(sys.argv[1]).touch()
    time.sleep(120)

PdfWriter.write = hang
from dossier.cli import main
main(sys.argv[2:], prog_name="dossier")
"""


@pytest.mark.parametrize(("name", "code"), [("SIGTERM", 143), ("SIGHUP", 129)])
def test_sigterm_and_sighup_clean_up_like_ctrl_c(tmp_path, name, code):
    """This test ensures that SIGTERM and SIGHUP leave no partial PDF and no scratch folder."""
    import signal
    import sys
    import time

    folder = copy_case("double-charge", tmp_path)
    scratch = tmp_path / "tmp"
    scratch.mkdir()
    writing = tmp_path / "writing"
    output = tmp_path / "out"
    output.mkdir()
    child = subprocess.Popen(
        [
            sys.executable,
            "-c",
            _HANGING_BUILD,
            str(writing),
            "build",
            str(folder),
            "-o",
            str(output / "dossier.pdf"),
        ],
        env={**os.environ, "TMPDIR": str(scratch)},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    try:
        deadline = time.monotonic() + 120
        while not writing.exists():
            assert child.poll() is None, child.communicate()
            assert time.monotonic() < deadline, "the build never started writing"
            time.sleep(0.05)
        assert [p.name for p in output.iterdir() if p.name.endswith(".part")]
        child.send_signal(getattr(signal, name))
        _, stderr = child.communicate(timeout=60)
    finally:
        if child.poll() is None:
            child.kill()
    assert child.returncode == code
    assert stderr.decode() == f"interrupted ({name}): nothing was written\n"
    assert list(output.iterdir()) == []
    assert list(scratch.iterdir()) == []

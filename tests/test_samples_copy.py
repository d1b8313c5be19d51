"""The tests read the samples as the repository holds them, not as a command left them."""

from __future__ import annotations

import shutil
from pathlib import Path

from click.testing import CliRunner

from dossier.cli import main
from tests.conftest_samples import SAMPLES, clean_copy


def test_sample_copy_leaves_out_what_commands_wrote(tmp_path: Path) -> None:
    """This test ensures that a dossier, manifest and preview built into a sample are not copied."""
    checkout = tmp_path / "checkout"
    checkout.mkdir()
    # From the run's clean copy: the checkout itself may hold an earlier build.
    shutil.copytree(SAMPLES / "damaged-parcel", checkout / "damaged-parcel")
    own = sorted(p.name for p in (checkout / "damaged-parcel").iterdir())
    # The README's first command, then a look at the pages.
    folder = checkout / "damaged-parcel"
    assert CliRunner().invoke(main, ["build", str(folder), "-q"]).exit_code == 0
    preview = CliRunner().invoke(main, ["preview", str(folder / "dossier.pdf"), "--pages", "1"])
    assert preview.exit_code == 0, preview.output
    (folder / "dossier-preview" / "my-note.txt").write_text("kept", encoding="utf-8")
    copied = clean_copy(checkout, tmp_path / "copy") / "damaged-parcel"
    assert sorted(p.name for p in copied.iterdir()) == sorted([*own, "dossier-preview"])
    assert sorted(p.name for p in (copied / "dossier-preview").iterdir()) == ["my-note.txt"]

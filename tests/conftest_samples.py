"""The sample cases as the repository holds them, whatever a command left beside them.

The README's first command, ``dossier build samples/damaged-parcel``, writes a
dossier and its manifest into the sample folder; ``dossier preview`` may add
page pictures there. Tests read the samples from one copy per test run that
holds the samples' own files only, so what a previous command left in the
checkout never changes a result.
"""

from __future__ import annotations

import atexit
import shutil
import tempfile
from pathlib import Path

from dossier.discover import PREVIEW_MARKER, is_preview_picture, own_output_reason

REPOSITORY_SAMPLES = Path(__file__).resolve().parent.parent / "samples"


def _left_by_commands(folder: str, names: list[str]) -> set[str]:
    """The names in ``folder`` that the tool wrote: dossiers, manifests, previews, partial files."""
    left = set()
    for name in names:
        path = Path(folder) / name
        if (
            name == PREVIEW_MARKER
            or name.endswith(".part")
            or path.is_file()
            and (is_preview_picture(path) or own_output_reason(path, Path(folder)))
        ):
            left.add(name)
    return left


def clean_copy(samples: Path, target: Path) -> Path:
    """Copy each case folder of ``samples`` into ``target``, without what commands left there."""
    for case in sorted(p for p in samples.iterdir() if p.is_dir()):
        # copytree keeps the file times: build dates come from them.
        shutil.copytree(case, target / case.name, ignore=_left_by_commands)
    return target


def _session_copy() -> Path:
    target = Path(tempfile.mkdtemp(prefix="dossier-samples-"))
    atexit.register(shutil.rmtree, target, True)
    return clean_copy(REPOSITORY_SAMPLES, target)


SAMPLES = _session_copy()

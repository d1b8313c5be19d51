"""The files a build writes, kept off the files it reads.

A dossier, its manifest and its volumes replace whatever is at their path.
When that path is an input (a piece of evidence, the case file, the
signature), directly or through a link, the build would destroy what it is
meant to prove: it stops before anything is written.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path

from dossier.errors import OutputError
from dossier.i18n import M_
from dossier.model import BuildOptions
from dossier.pdf.manifest import manifest_path


def check_outputs(options: BuildOptions, inputs: Iterable[Path]) -> None:
    """Refuse a build whose PDF, manifest or volumes would replace one of ``inputs``.

    Raises:
        OutputError: an output is an input, or resolves to one through a link.
    """
    folder = options.folder.resolve()
    by_identity = {_identity(path): path for path in inputs}
    for output in _outputs(options, by_identity.values()):
        hit = by_identity.get(_identity(output))
        if hit is None:
            continue
        shown = hit.resolve().relative_to(folder).as_posix() if _inside(hit, folder) else str(hit)
        raise OutputError(
            M_(
                "{output}: is {input}, an input of this dossier; writing there would destroy it; "
                "choose another path with -o",
                output=str(output),
                input=shown,
            )
        )


def _outputs(options: BuildOptions, inputs: Iterable[Path]) -> Iterator[Path]:
    """The PDF, its manifest and, with ``--split``, every input named like a volume."""
    target = options.output_path
    yield target
    yield manifest_path(target)
    if options.split:
        for path in inputs:
            stem, _, number = path.stem.rpartition("-")
            same_place = _identity(path.parent) == _identity(target.parent)
            if same_place and stem == target.stem and number.isdigit():
                yield target.with_name(path.name)


def _identity(path: Path) -> tuple[int, int] | str:
    """What a path is on the disk: its device and inode, or its resolved path if it is not there.

    Links (symbolic or hard) to one file share its identity.
    """
    try:
        stat = path.stat()
    except OSError:
        return str(path.resolve())
    return (stat.st_dev, stat.st_ino)


def _inside(path: Path, folder: Path) -> bool:
    return path.resolve().is_relative_to(folder)

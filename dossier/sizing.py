"""Keep the dossier under a size limit: downsample pictures, or split into volumes.

Online claim forms and mail servers refuse attachments over a limit. Without
a limit, pictures keep their quality (JPEGs go in untouched). With one, the
build tries finer to coarser picture resolutions at print size and keeps the
first that fits, never going below 150 dpi; when even that is too big and
``--split`` is given, it writes volumes ``NAME-1.pdf``, ``NAME-2.pdf``, ...
each under the limit, with continuous page and exhibit numbers.
"""

from __future__ import annotations

import dataclasses
import shutil
from collections.abc import Callable, Sequence
from pathlib import Path

from dossier.assemble import atomic_output
from dossier.compose import Body, Composer, Layout
from dossier.imagedata import ImageQuality
from dossier.model import BuildOptions
from dossier.sizes import size_text

# Resolutions at print size tried in turn under a size limit; 150 dpi is the
# least at which a photo of a receipt or a screenshot stays readable on paper.
LADDER = (300.0, 200.0, 150.0)
MIN_DPI = LADDER[-1]
# How full each volume is planned, fullest first: the estimate of a volume's
# size is rough, so a volume over the limit is planned again, less full.
_SHARES = (1.0, 0.9, 0.75, 0.6, 0.45)


@dataclasses.dataclass(frozen=True, slots=True)
class Written:
    """The files a build wrote, and what the user should know about them."""

    paths: tuple[Path, ...]
    sizes: tuple[int, ...]
    layout: Layout
    notes: tuple[str, ...] = ()


def write_dossier(composer: Composer, options: BuildOptions) -> Written:
    """Lay out and write the dossier, within ``options.max_size`` when one is given.

    Raises:
        OutputError: the PDF cannot be written.
    """
    quality = ImageQuality(keep_metadata=options.keep_metadata)
    target = options.output_path
    if options.max_size is None:
        layout = composer.lay_out(composer.lay_out_bodies(quality))
        return Written((target,), (composer.write_volume(layout, 1, target),), layout)
    limit = options.max_size
    candidate = composer.work / "candidate.pdf"
    bodies: list[Body] = []
    size = 0
    for dpi in (None, *LADDER):
        tried = dataclasses.replace(quality, max_dpi=dpi, jpeg_quality=85 if dpi else 88)
        bodies = composer.lay_out_bodies(tried)
        layout = composer.lay_out(bodies)
        size = composer.write_volume(layout, 1, candidate)
        if size <= limit:
            _publish(candidate, target, composer.before_commit)
            how = f", pictures at {dpi:g} dpi" if dpi else ""
            note = f"{target.name}: {size_text(size)}, under the {size_text(limit)} limit{how}"
            return Written((target,), (size,), layout, (note,))
    if not options.split:
        _publish(candidate, target, composer.before_commit)
        note = (
            f"{target.name}: {size_text(size)} is over the {size_text(limit)} limit even with "
            f"pictures at {MIN_DPI:g} dpi; run again with --split to write volumes under the limit"
        )
        return Written((target,), (size,), layout, (note,))
    return _write_volumes(composer, bodies, size, limit, target)


def _write_volumes(
    composer: Composer, bodies: Sequence[Body], size: int, limit: int, target: Path
) -> Written:
    tried: list[dict[int | str, int]] = []
    for share in _SHARES:
        volume_of = assign_volumes(bodies, size, limit, share)
        if volume_of in tried:
            continue
        tried.append(volume_of)
        layout = composer.lay_out(list(bodies), volume_of)
        count = layout.volume_count
        candidates = [composer.work / f"candidate-{v}.pdf" for v in range(1, count + 1)]
        sizes = [composer.write_volume(layout, v, c) for v, c in enumerate(candidates, 1)]
        crowded = [
            v
            for v, written in enumerate(sizes, 1)
            if written > limit and list(volume_of.values()).count(v) > 1
        ]
        if not crowded:
            break
    paths = [target.with_name(f"{target.stem}-{v}{target.suffix}") for v in range(1, count + 1)]
    notes = [
        f"split into {count} volumes under {size_text(limit)} each "
        f"(pictures at {MIN_DPI:g} dpi): " + ", ".join(p.name for p in paths)
    ]
    for candidate, path, written in zip(candidates, paths, sizes, strict=True):
        _publish(candidate, path, composer.before_commit)
        if written > limit:
            notes.append(
                f"{path.name}: {size_text(written)} is over the {size_text(limit)} limit: "
                "an exhibit alone is larger; export it at a smaller size"
            )
    return Written(tuple(paths), tuple(sizes), layout, tuple(notes))


def assign_volumes(
    bodies: Sequence[Body], size: int, limit: int, share: float = 1.0
) -> dict[int | str, int]:
    """Exhibit ``page_key`` -> volume, filling each volume in order up to the limit.

    ``size`` is the size of the whole dossier in one file: what it has beyond
    the exhibits' own weight (fonts, index, stamps) is counted in every volume.
    """
    weights = [body.weight for body in bodies]
    overhead = max(0, size - sum(weights))
    budget = limit * share - overhead
    volume_of: dict[int | str, int] = {}
    volume, used = 1, 0
    for body, weight in zip(bodies, weights, strict=True):
        if used and used + weight > budget:
            volume, used = volume + 1, 0
        volume_of.update({exhibit.page_key: volume for exhibit in body.exhibits})
        used += weight
    return volume_of


def _publish(candidate: Path, target: Path, before_commit: Callable[[], None] | None) -> None:
    with atomic_output(target) as temporary:
        shutil.copyfile(candidate, temporary)
        if before_commit is not None:
            before_commit()

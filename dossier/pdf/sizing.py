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
from collections.abc import Callable, Sequence
from pathlib import Path

from dossier.filesize import size_text
from dossier.i18n import M_
from dossier.model import BuildOptions
from dossier.pdf.compose import Body, Composer, Layout
from dossier.pdf.imagedata import ImageQuality

# Resolutions at print size tried in turn under a size limit; 150 dpi is the
# least at which a photo of a receipt or a screenshot stays readable on paper.
LADDER = (300.0, 200.0, 150.0)
MIN_DPI = LADDER[-1]
# How full each volume is planned, fullest first: the estimate of a volume's
# size is rough, so a volume over the limit is planned again, less full.
_SHARES = (1.0, 0.9, 0.75, 0.6, 0.45)


# Assembles, seals and writes one volume of a layout to a path; returns its size.
Measure = Callable[[Layout, int, Path], int]


@dataclasses.dataclass(frozen=True, slots=True)
class Sized:
    """The layout that fits, and what was learnt measuring it.

    ``candidates`` are the volumes already written while measuring, in
    order, ready to be published as they are; empty when nothing had to be
    measured (no size limit): the layout is then written once, in place.
    """

    layout: Layout
    candidates: tuple[Path, ...] = ()
    sizes: tuple[int, ...] = ()
    notes: tuple[str, ...] = ()


def volume_paths(target: Path, count: int) -> tuple[Path, ...]:
    """``NAME.pdf`` for one volume; ``NAME-1.pdf``, ``NAME-2.pdf``, ... for more."""
    if count == 1:
        return (target,)
    return tuple(target.with_name(f"{target.stem}-{v}{target.suffix}") for v in range(1, count + 1))


def choose_size(composer: Composer, options: BuildOptions, measure: Measure) -> Sized:
    """Lay out the dossier within ``options.max_size``, when one is given.

    ``measure`` writes a candidate volume into the scratch folder: the size
    of a PDF is known only once it is written.
    """
    quality = ImageQuality(keep_metadata=options.keep_metadata, device_cmyk=not options.pdfa)
    target = options.output_path
    if options.max_size is None:
        return Sized(composer.lay_out(composer.lay_out_bodies(quality)))
    limit = options.max_size
    candidate = composer.work / "candidate.pdf"
    bodies: list[Body] = []
    size = 0
    for dpi in (None, *LADDER):
        tried = dataclasses.replace(quality, max_dpi=dpi, jpeg_quality=85 if dpi else 88)
        bodies = composer.lay_out_bodies(tried)
        layout = composer.lay_out(bodies)
        size = measure(layout, 1, candidate)
        if size <= limit:
            note = (
                M_(
                    "{file}: {size}, under the {limit} limit, pictures at {dpi} dpi",
                    file=target.name,
                    size=size_text(size),
                    limit=size_text(limit),
                    dpi=f"{dpi:g}",
                )
                if dpi
                else M_(
                    "{file}: {size}, under the {limit} limit",
                    file=target.name,
                    size=size_text(size),
                    limit=size_text(limit),
                )
            )
            return Sized(layout, (candidate,), (size,), (note,))
    if not options.split:
        note = M_(
            "{file}: {size} is over the {limit} limit even with pictures at {dpi} dpi; "
            "run again with --split to write volumes under the limit",
            file=target.name,
            size=size_text(size),
            limit=size_text(limit),
            dpi=f"{MIN_DPI:g}",
        )
        return Sized(layout, (candidate,), (size,), (note,))
    return _split(composer, bodies, size, limit, target, measure)


def _split(
    composer: Composer,
    bodies: Sequence[Body],
    size: int,
    limit: int,
    target: Path,
    measure: Measure,
) -> Sized:
    written: _Volumes | None = None
    for share in _SHARES:
        volume_of = assign_volumes(bodies, size, limit, share)
        if written is not None and volume_of == written.volume_of:
            continue
        written = _write_candidates(composer, bodies, volume_of, "candidate", measure)
        crowded = [
            v
            for v, volume_size in enumerate(written.sizes, 1)
            if volume_size > limit and list(volume_of.values()).count(v) > 1
        ]
        if not crowded:
            break
    assert written is not None
    if all(volume_size <= limit for volume_size in written.sizes):
        written = _fewer_volumes(composer, bodies, written, limit, measure) or written
    count = len(written.sizes)
    paths = volume_paths(target, count)
    notes = [
        M_(
            "split into {count} volumes under {limit} each (pictures at {dpi} dpi): {files}",
            count=count,
            limit=size_text(limit),
            dpi=f"{MIN_DPI:g}",
            files=", ".join(p.name for p in paths),
        )
    ]
    notes += [
        M_(
            "{file}: {size} is over the {limit} limit: an exhibit alone is larger; "
            "export it at a smaller size",
            file=path.name,
            size=size_text(volume_size),
            limit=size_text(limit),
        )
        for path, volume_size in zip(paths, written.sizes, strict=True)
        if volume_size > limit
    ]
    return Sized(written.layout, written.candidates, written.sizes, tuple(notes))


@dataclasses.dataclass(frozen=True, slots=True)
class _Volumes:
    """Volumes written as candidates, not yet published."""

    volume_of: dict[int | str, int]
    layout: Layout
    candidates: tuple[Path, ...]
    sizes: tuple[int, ...]


def _write_candidates(
    composer: Composer,
    bodies: Sequence[Body],
    volume_of: dict[int | str, int],
    stem: str,
    measure: Measure,
) -> _Volumes:
    layout = composer.lay_out(list(bodies), volume_of)
    candidates = tuple(composer.work / f"{stem}-{v}.pdf" for v in range(1, layout.volume_count + 1))
    sizes = tuple(measure(layout, v, c) for v, c in enumerate(candidates, 1))
    return _Volumes(volume_of, layout, candidates, sizes)


def _fewer_volumes(
    composer: Composer, bodies: Sequence[Body], written: _Volumes, limit: int, measure: Measure
) -> _Volumes | None:
    """The same exhibits in fewer volumes under the limit, if the written ones allow it.

    The first plan counts the whole dossier's pages beyond the exhibits (index,
    appendix, fonts) in every volume, so its volumes come out well under the
    limit. What each written volume weighs beyond its exhibits is now known:
    the exhibits are planned again with that, and the new volumes are kept
    only if they are fewer and each is under the limit once written.
    """
    count = len(written.sizes)
    if count < 2:
        return None
    content = [0] * count
    for body in bodies:
        content[written.volume_of[body.exhibit.page_key] - 1] += body.weight
    beyond = [
        volume_size - weight for volume_size, weight in zip(written.sizes, content, strict=True)
    ]
    # Volume 1 holds the index; any other, at most what the heaviest of them needed.
    first, others = beyond[0], max(beyond[1:])
    for share in _SHARES[:3]:
        volume_of = _fill(bodies, (limit * share - first, limit * share - others))
        if max(volume_of.values()) >= count:
            return None
        tighter = _write_candidates(composer, bodies, volume_of, f"tighter-{share}", measure)
        if all(volume_size <= limit for volume_size in tighter.sizes):
            return tighter
    return None


def assign_volumes(
    bodies: Sequence[Body], size: int, limit: int, share: float = 1.0
) -> dict[int | str, int]:
    """Exhibit ``page_key`` -> volume, filling each volume in order up to the limit.

    ``size`` is the size of the whole dossier in one file: what it has beyond
    the exhibits' own weight (fonts, index, stamps) is counted in every volume.
    """
    overhead = max(0, size - sum(body.weight for body in bodies))
    budget = limit * share - overhead
    return _fill(bodies, (budget, budget))


def _fill(bodies: Sequence[Body], budgets: tuple[float, float]) -> dict[int | str, int]:
    """Exhibits into volumes in order, each volume up to its budget (volume 1's, the others')."""
    volume_of: dict[int | str, int] = {}
    volume, used = 1, 0
    for body in bodies:
        weight = body.weight
        if used and used + weight > budgets[0 if volume == 1 else 1]:
            volume, used = volume + 1, 0
        volume_of.update({exhibit.page_key: volume for exhibit in body.exhibits})
        used += weight
    return volume_of

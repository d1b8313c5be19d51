"""Whether the dossier beside is what a build would write again, as ``make`` asks.

A build of an unchanged folder (``build`` run again, ``watch`` after an
editor saved a file unchanged) writes the same bytes: the build is
reproducible. After each build the cache keeps a record of what it was made
from: the SHA-256 and modification time of every input, the case file and
the signature, the options, dossier's own code and page layouts, and the
libraries that read and draw. Then the PDF (or its volumes) and the manifest
are recorded by their file identity (size, modification and change times,
inode): the change time cannot be set back, so any write to them, a copy
put in their place or a removal is seen.

The next build compares before reading anything: the same record, outputs
untouched, and the clock not past the moment the result could differ (the
end of the day, since a letter without a date is dated today; the moment a
date of the evidence that was refused as in the future would be accepted).
Then nothing needs writing. Anything else builds, and ``--no-cache`` always
builds (it keeps no record).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import os
from collections.abc import Iterable, Sequence
from pathlib import Path

from dossier.cache import Cache, code_fingerprint, fingerprint, libraries_identity
from dossier.case.load import load_case_file
from dossier.discover import CASE_FILE_NAME, discover, file_state
from dossier.errors import DossierError
from dossier.layout.style import layouts_dir
from dossier.letters.letter import signature_paths
from dossier.model import BuildOptions, BuildResult, FileState, Plan
from dossier.model import TimestampSource as Src
from dossier.parallel import map_in_threads
from dossier.timestamps import candidates

# The libraries whose output a PDF is, beyond dossier's own code.
_LIBRARIES = (
    "PIL",
    "pillow_heif",
    "pypdf",
    "reportlab",
    "exifread",
    "babel",
    "jinja2",
    "bs4",
    "extract_msg",
    "dkim",
    "holidays",
    "arabic_reshaper",
    "bidi",
    "pypdfium2",
    "cryptography",
)

_KIND = "built"


@dataclasses.dataclass(frozen=True, slots=True)
class Inputs:
    """What a build of the folder reads, taken before it reads it."""

    # The SHA-256 of everything the PDF depends on (see ``take_inputs``).
    digest: str
    # Each file read, as it was when hashed: a build that saw another state is not recorded.
    states: tuple[tuple[Path, FileState], ...]


def take_inputs(options: BuildOptions, cache: Cache, outputs: Iterable[Path]) -> Inputs | None:
    """The inputs of a build of ``options``, hashed (from the cache while unchanged).

    ``outputs`` are the files the build writes, left out without reading them.
    None when the folder cannot be read this way (the build then says why).
    """
    folder = options.folder.resolve()
    try:
        case_path = folder / CASE_FILE_NAME
        case = load_case_file(case_path)
        signatures = signature_paths(case)
        found = discover(folder, exclude=[*signatures, *outputs])
        files = [*([case_path] if case.path else []), *signatures, *found.paths]
        sources = map_in_threads(lambda path: fingerprint(path, folder, cache), files)
    except (DossierError, OSError):
        return None
    digest = hashlib.sha256()
    for part in (
        code_fingerprint(),
        _layouts_identity(),
        libraries_identity(*_LIBRARIES),
        _options_text(options),
        _ocr_identity(options, case.language),
        # A letter without a date is dated today, on this machine's clock and zone.
        f"today {dt.date.today().isoformat()}",
        # The date printed and recorded, when the environment fixes it (reproducible.py).
        f"SOURCE_DATE_EPOCH {os.environ.get('SOURCE_DATE_EPOCH', '').strip()}",
    ):
        digest.update(part.encode() + b"\0")
    for source in sources:
        assert source.state is not None  # fingerprint always records it
        digest.update(f"{source.relpath}\0{source.sha256}\0{source.state.mtime_ns}\0".encode())
    states = tuple((s.path, s.state) for s in sources if s.state is not None)
    return Inputs(digest.hexdigest(), states)


def fresh_outputs(options: BuildOptions, cache: Cache) -> tuple[Path, ...] | None:
    """The PDF (or volumes) and manifest when they are what a build would write; else None."""
    found = cache.lookup(_KIND, _output_key(options), "", _record_from_data)
    if found is None:
        return None
    outputs, digest, valid_until = found[0]
    # The same clock as the build's (``options.now`` stands for it in tests).
    if (options.now or dt.datetime.now(dt.UTC)) >= valid_until:
        return None
    for path, identity in outputs:
        try:
            if _identity(file_state(path)) != identity:
                return None
        except OSError:
            return None
    inputs = take_inputs(options, cache, [path for path, _ in outputs])
    if inputs is None or inputs.digest != digest:
        return None
    return tuple(path for path, _ in outputs)


def record_build(
    options: BuildOptions,
    cache: Cache,
    inputs: Inputs | None,
    result: BuildResult,
    started: dt.datetime,
) -> None:
    """Remember what ``result`` was built from, if every input is still as it was hashed.

    A file written since its hash was taken may have been read in either
    state: that build is not recorded, and the next one builds again.
    """
    if inputs is None:
        return
    for path, state in inputs.states:
        try:
            if not state.unchanged_in(file_state(path)):
                return
        except OSError:
            return
    outputs = [
        *(result.volumes or (result.output,)),
        *([result.manifest] if result.manifest else []),
    ]
    try:
        identities = [[str(path), _identity(file_state(path))] for path in outputs if path]
    except OSError:
        return
    until = _valid_until(result.plan, options.now or started, _next_midnight())
    data = {"outputs": identities, "digest": inputs.digest, "until": until.isoformat()}
    cache.store(_KIND, _output_key(options), "", data)


def _next_midnight() -> dt.datetime:
    """When today ends on this machine (a letter without a date is dated today)."""
    local = dt.datetime.now().astimezone()
    midnight = dt.datetime.combine(local.date() + dt.timedelta(days=1), dt.time(), local.tzinfo)
    return midnight.astimezone(dt.UTC)


def _valid_until(plan: Plan, now: dt.datetime, midnight: dt.datetime) -> dt.datetime:
    """Until when a build of the same inputs writes the same bytes.

    Until ``midnight``, when the date of a letter without one changes; and
    until a date found in a file, refused as more than a day ahead of
    ``now``, would be accepted.
    """
    until = midnight
    zone = plan.case.zone
    for exhibit in plan.exhibits:
        # Every date the timestamps stage weighs: found inside, in the name, the file's time.
        for stamp in candidates(exhibit, zone):
            if stamp.source is Src.CASE_FILE:
                continue  # never refused
            value = stamp.value if stamp.value.tzinfo else stamp.value.replace(tzinfo=zone)
            accepted_from = value - dt.timedelta(days=1)
            if accepted_from > now:
                until = min(until, accepted_from.astimezone(dt.UTC))
    return until


def _record_from_data(
    data: dict[str, object],
) -> tuple[list[tuple[Path, list[int]]], str, dt.datetime]:
    outputs = data["outputs"]
    digest, until = data["digest"], data["until"]
    if not isinstance(outputs, list) or not isinstance(digest, str) or not isinstance(until, str):
        raise TypeError("not a record of a build")
    found = [(Path(str(path)), [int(n) for n in identity]) for path, identity in outputs]
    if not found:
        raise ValueError("no output")
    return found, digest, dt.datetime.fromisoformat(until)


def _output_key(options: BuildOptions) -> str:
    return hashlib.sha256(str(options.output_path.resolve()).encode()).hexdigest()


def _identity(state: FileState) -> list[int]:
    return [state.size, state.mtime_ns, state.ctime_ns, state.inode, state.device]


def _options_text(options: BuildOptions) -> str:
    """Every option but the cache's own switch, with the folder and output resolved."""
    values = {
        field.name: getattr(options, field.name)
        for field in dataclasses.fields(options)
        if field.name != "cache"
    }
    values["folder"] = options.folder.resolve()
    values["output"] = options.output_path.resolve()
    return repr(sorted(values.items()))


def _layouts_identity() -> str:
    """The page layouts, strings, templates and fonts, by their files' sizes and times."""
    parts = []
    for folder, folders, names in sorted(os.walk(layouts_dir())):
        folders.sort()
        for name in sorted(names):
            try:
                status = Path(folder, name).stat()
            except OSError:
                continue
            parts.append(f"{folder}/{name}:{status.st_size}:{status.st_mtime_ns}")
    return "\0".join(parts)


def _ocr_identity(options: BuildOptions, language: str) -> str:
    if not options.ocr:
        return "no OCR"
    from dossier.billing.ocr import engine_identity

    return engine_identity(language)


def outputs_of(options: BuildOptions) -> Sequence[Path]:
    """The files a build of ``options`` writes or replaces, for ``take_inputs``."""
    from dossier.pdf.manifest import manifest_path

    target = options.output_path
    return [target, manifest_path(target)]

"""What makes two builds of the same folder byte-identical: the build date and the document ID.

A dossier must not change because it was built on another day or in another
folder. Its date is therefore taken from the inputs, never from the clock:

1. ``SOURCE_DATE_EPOCH`` (the reproducible-builds.org convention), when set;
2. the ``date`` of the ``[letter]`` table of the case file: the dossier goes
   with that letter;
3. otherwise the newest modification time among the input files and the
   case file, i.e. when the folder's content was last changed.

The document ID is a hash of everything the build depends on.
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import enum
import hashlib
import os
from collections.abc import Iterable, Mapping
from pathlib import Path

from dossier.errors import DossierError, ExitCode
from dossier.model import CaseFile, SourceFile


class DateSource(enum.StrEnum):
    """Where the build date came from (recorded in the manifest)."""

    SOURCE_DATE_EPOCH = "SOURCE_DATE_EPOCH"
    LETTER_DATE = "letter_date"
    NEWEST_INPUT = "newest_input"


class BuildDateError(DossierError):
    """``SOURCE_DATE_EPOCH`` is set to something that is not a number of seconds."""

    exit_code = ExitCode.USAGE


@dataclasses.dataclass(frozen=True, slots=True)
class BuildDate:
    """The date printed as "prepared on" and written as the PDF's creation date."""

    value: dt.datetime  # timezone-aware
    source: DateSource


def resolve_build_date(
    case: CaseFile,
    sources: Iterable[SourceFile],
    environ: Mapping[str, str] | None = None,
) -> BuildDate:
    """The build date, from the environment, the case file or the inputs (never the clock).

    Raises:
        BuildDateError: ``SOURCE_DATE_EPOCH`` is set but is not a whole number.
    """
    env = os.environ if environ is None else environ
    epoch = env.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch:
        try:
            value = dt.datetime.fromtimestamp(int(epoch), dt.UTC)
        except (ValueError, OverflowError, OSError):
            raise BuildDateError(
                f"SOURCE_DATE_EPOCH={epoch!r} is not a number of seconds since 1970; "
                "unset it or give e.g. SOURCE_DATE_EPOCH=1767225600"
            ) from None
        return BuildDate(value, DateSource.SOURCE_DATE_EPOCH)
    letter = letter_date(case)
    if letter is not None:
        return BuildDate(letter, DateSource.LETTER_DATE)
    mtimes = [source.mtime for source in sources]
    if case.path is not None:
        with contextlib.suppress(OSError):
            mtimes.append(case.path.stat().st_mtime)
    # Whole seconds: file systems differ in how finely they keep mtimes.
    newest = int(max(mtimes, default=0.0))
    return BuildDate(dt.datetime.fromtimestamp(newest, dt.UTC), DateSource.NEWEST_INPUT)


def letter_date(case: CaseFile) -> dt.datetime | None:
    """The ``[letter] date`` of the case file, at midnight in the case's zone; None if absent."""
    facts = case.facts
    if facts is None or facts.letter.date is None:
        return None
    return dt.datetime.combine(facts.letter.date, dt.time(), tzinfo=case.zone)


def document_id(parts: Iterable[str | bytes]) -> bytes:
    """A 16-byte PDF /ID from everything the build depends on, in order."""
    digest = hashlib.sha256()
    for part in parts:
        data = part.encode("utf-8") if isinstance(part, str) else part
        # Length-prefixed, so ("ab", "c") and ("a", "bc") differ.
        digest.update(len(data).to_bytes(8, "big") + data)
    return digest.digest()[:16]


def build_inputs(
    version: str, case: CaseFile, sources: Iterable[SourceFile], options: Mapping[str, object]
) -> list[str | bytes]:
    """The values that decide a build's output, for ``document_id``."""
    parts: list[str | bytes] = [f"dossier {version}"]
    parts += [f"{key}={value}" for key, value in sorted(options.items())]
    parts.append(_read_or_empty(case.path))
    for source in sources:
        parts += [source.relpath, source.sha256]
    return parts


def pdf_date(value: dt.datetime) -> str:
    """A date in the PDF format (ISO 32000-1, 7.9.4), in UTC."""
    return value.astimezone(dt.UTC).strftime("D:%Y%m%d%H%M%S+00'00'")


def _read_or_empty(path: Path | None) -> bytes:
    if path is None:
        return b""
    try:
        return path.read_bytes()
    except OSError:
        return b""

"""The home page's cases: folders under one parent (``~/Dossiers``), listed and created.

A case is nothing but a folder: the home page lists the folders of the parent,
makes a new one with the name the user typed, and opens it. The name becomes a
folder name on Linux, macOS and Windows alike, so it is checked against all
three before anything is created.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import os
import unicodedata
from pathlib import Path

from dossier.discover import CASE_FILE_NAME, find_files

# The longest name accepted: a folder name, not a description.
MAX_NAME = 80
# Names Windows keeps for devices, with or without an extension ("CON", "nul.txt").
_RESERVED = frozenset(
    {"CON", "PRN", "AUX", "NUL"}
    | {f"COM{n}" for n in range(10)}
    | {f"LPT{n}" for n in range(10)}
    | {"COM¹", "COM²", "COM³", "LPT¹", "LPT²", "LPT³"}
)
# Characters no Windows folder name may hold (a separator has its own message).
_FORBIDDEN = frozenset('<>:"|?*')


class CaseNameError(ValueError):
    """A name the user typed cannot be a case folder.

    Attributes:
        reason: the key of the page's words that explain it (``home.name_errors.REASON``).
        values: what those words show (the name, the character).
    """

    def __init__(self, reason: str, **values: str) -> None:
        super().__init__(reason)
        self.reason = reason
        self.values = values


@dataclasses.dataclass(frozen=True, slots=True)
class CaseEntry:
    """One case on the home page.

    Attributes:
        name: the folder's name, as shown.
        folder: the folder itself.
        files: how many evidence files a build would read.
        has_case_file: whether its ``case.toml`` exists.
        changed: when something in it last changed (the newest file or the folder).
    """

    name: str
    folder: Path
    files: int
    has_case_file: bool
    changed: dt.datetime


def default_parent() -> Path:
    """Where new cases go: ``$DOSSIER_HOME`` or ``~/Dossiers``."""
    return Path(os.environ.get("DOSSIER_HOME") or Path.home() / "Dossiers")


def check_case_name(name: str) -> str:
    """The name as it will be written (trimmed, NFC), or why it cannot be a folder name.

    Raises:
        CaseNameError: the name is empty, too long, climbs out (``..``), holds a
            separator or a character Windows refuses, or is a device name.
    """
    name = unicodedata.normalize("NFC", name.strip())
    if not name:
        raise CaseNameError("empty")
    if len(name) > MAX_NAME:
        raise CaseNameError("too_long", name=name[:20] + "…", limit=str(MAX_NAME))
    if "/" in name or "\\" in name:
        raise CaseNameError("separator", name=name)
    if ".." in name or name.startswith("."):
        raise CaseNameError("dots", name=name)
    for char in name:
        if char in _FORBIDDEN or unicodedata.category(char).startswith("C"):
            shown = char if char.isprintable() else f"U+{ord(char):04X}"
            raise CaseNameError("character", name=name, char=shown)
    if name.endswith((".", " ")):
        raise CaseNameError("trailing", name=name)
    if name.split(".")[0].strip().upper() in _RESERVED:
        raise CaseNameError("reserved", name=name)
    return name


def create_case(parent: Path, name: str, language: str | None = None) -> Path:
    """Make the folder of a new case under ``parent`` (made too when missing).

    With a ``language``, the case starts with a case file that holds it, so that
    the dossier speaks the language the user chose on the page even before the
    facts of the case are filled in.

    Raises:
        CaseNameError: the name is not a possible folder name, or a case of that name
            (in any letter case) is already there.
        OSError: the folder could not be made (no space, no permission).
    """
    name = check_case_name(name)
    parent.mkdir(parents=True, exist_ok=True)
    taken = {entry.name.casefold(): entry.name for entry in _folders(parent)}
    if name.casefold() in taken:
        raise CaseNameError("exists", name=taken[name.casefold()])
    folder = parent / name
    try:
        folder.mkdir()
    except FileExistsError:
        raise CaseNameError("exists", name=name) from None
    if language is not None:
        (folder / CASE_FILE_NAME).write_text(
            "# The facts of this case, for dossier: written by its page, or by hand.\n"
            f'language = "{language}"\n',
            encoding="utf-8",
        )
    return folder


def list_cases(parent: Path, also: tuple[Path, ...] = ()) -> list[CaseEntry]:
    """The cases under ``parent`` and the folders in ``also``, the most recently changed first."""
    folders = {folder.resolve(): None for folder in [*_folders(parent), *also] if folder.is_dir()}
    entries = [_entry(folder) for folder in folders]
    return sorted(entries, key=lambda entry: (-entry.changed.timestamp(), entry.name.casefold()))


def _folders(parent: Path) -> list[Path]:
    try:
        return [
            path
            for path in parent.iterdir()
            if path.is_dir() and not path.is_symlink() and not path.name.startswith(".")
        ]
    except OSError:
        return []  # no parent yet: no case yet


def _entry(folder: Path) -> CaseEntry:
    try:
        evidence = find_files(folder)
    except OSError:
        evidence = []
    newest = folder.stat().st_mtime
    for path in [*evidence, folder / CASE_FILE_NAME]:
        try:
            newest = max(newest, path.stat().st_mtime)
        except OSError:
            continue
    return CaseEntry(
        name=folder.name,
        folder=folder,
        files=len(evidence),
        has_case_file=(folder / CASE_FILE_NAME).is_file(),
        changed=dt.datetime.fromtimestamp(newest, dt.UTC),
    )

"""The case file as the page edits it: ``case.toml`` with the user's comments and layout kept.

The page changes only the keys it was asked to change, through tomlkit, so
what the user wrote by hand (comments, order, spacing) survives every save.
Before a save the new text is checked by the same code as ``dossier build``
(``parse_case_data``): a wrong value is refused with the command line's words,
and the file on disk stays as it was.
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import hashlib
import os
import re
import tomllib
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import tomlkit
from tomlkit.items import AoT, Table
from tomlkit.toml_document import TOMLDocument

from dossier.case.load import parse_case_data, syntax_error
from dossier.discover import CASE_FILE_NAME
from dossier.errors import CaseFileError
from dossier.model import Box, Highlight
from dossier.web.files import LEFT_OUT


class CaseChangedError(Exception):
    """The case file changed on disk since the page read it."""


def case_path(folder: Path) -> Path:
    """Where the case file of ``folder`` is."""
    return folder / CASE_FILE_NAME


def read_text(folder: Path) -> str:
    """The case file's text; empty when there is none yet."""
    try:
        return case_path(folder).read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        return ""


def version(text: str) -> str:
    """A short fingerprint of the case file's text, to notice a change made elsewhere."""
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def parse(text: str) -> TOMLDocument:
    """The document of ``text``.

    Raises:
        CaseFileError: the text is not valid TOML.
    """
    try:
        return tomlkit.parse(text)
    except tomlkit.exceptions.ParseError as error:
        message = syntax_error(CASE_FILE_NAME, text, error.line, error.col)
        raise CaseFileError(message, None, message) from error


def save(folder: Path, document: TOMLDocument, expected: str | None = None) -> str:
    """Check the document as a build would, then write it in place of the case file.

    Args:
        folder: the case folder.
        document: the edited document.
        expected: the version (``version``) the edit started from; when the file
            on disk is no longer that version, nothing is written.

    Returns:
        The version of the file written.

    Raises:
        CaseFileError: a value is wrong (the message of the command line).
        CaseChangedError: the file changed since ``expected``.
    """
    text = document.as_string()
    parse_case_data(tomllib.loads(text), case_path(folder))
    if expected is not None and version(read_text(folder)) != expected:
        raise CaseChangedError(CASE_FILE_NAME)
    target = case_path(folder)
    temporary = target.with_name(f".{CASE_FILE_NAME}.{os.getpid()}.tmp")
    try:
        temporary.write_text(text, encoding="utf-8")
        temporary.replace(target)
    finally:
        with contextlib.suppress(FileNotFoundError):
            temporary.unlink()
    return version(text)


def error_key(error: CaseFileError) -> str | None:
    """The key a case-file message names: ``order.date`` in ``case.toml: order.date: …``."""
    parts = str(error).split(": ", 2)
    return parts[1] if len(parts) == 3 else None


def error_problem(error: CaseFileError) -> str:
    """The message without the file name: ``order.date: '31/02' is not a date; …``."""
    return str(error).split(": ", 1)[-1]


def _exhibit_table(document: TOMLDocument, relpath: str) -> Table:
    exhibits = document.get("exhibits")
    if exhibits is None:
        exhibits = tomlkit.table(is_super_table=True)
        document["exhibits"] = exhibits
    table = exhibits.get(relpath)
    if table is None:
        table = tomlkit.table()
        exhibits[relpath] = table
    return table


def _drop_empty_exhibit(document: TOMLDocument, relpath: str) -> None:
    exhibits = document.get("exhibits")
    if exhibits is not None and relpath in exhibits and not exhibits[relpath]:
        del exhibits[relpath]
        if not exhibits:
            del document["exhibits"]


def set_exhibit(
    document: TOMLDocument, relpath: str, values: Mapping[str, str | int | None]
) -> None:
    """Set (or with None, remove) ``caption``, ``date`` and ``order`` of one exhibit.

    A date is written as a TOML date when it is one, else as the text given,
    which the check then refuses with the command line's message.
    """
    table = _exhibit_table(document, relpath)
    for key, value in values.items():
        if value is None or value == "":
            if key in table:
                del table[key]
        elif key == "date" and isinstance(value, str):
            table[key] = _date_value(value)
        else:
            table[key] = value
    _drop_empty_exhibit(document, relpath)


def set_marks(
    document: TOMLDocument,
    relpath: str,
    redact: Sequence[Box],
    highlight: Sequence[Highlight],
    crop: Box | None,
) -> None:
    """Replace the redaction, highlight and crop boxes of one picture (pixels, upright)."""
    table = _exhibit_table(document, relpath)
    for key in ("redact", "highlight", "crop"):
        if key in table:
            del table[key]
    if redact:
        table["redact"] = [_box(box) for box in redact]
    if highlight:
        items = []
        for mark in highlight:
            item = tomlkit.inline_table()
            item["box"] = _box(mark.box)
            if mark.shape != "rectangle":
                item["shape"] = mark.shape
            if mark.label:
                item["label"] = mark.label
            items.append(item)
        array = tomlkit.array()
        array.extend(items)
        array.multiline(True)
        table["highlight"] = array
    if crop is not None:
        table["crop"] = _box(crop)
    _drop_empty_exhibit(document, relpath)


def _box(box: Box) -> list[int]:
    return [round(box.x), round(box.y), round(box.width), round(box.height)]


def _date_value(text: str) -> Any:
    """A TOML date or date-time for an ISO text; any other text as it is."""
    text = text.strip()
    try:
        return dt.date.fromisoformat(text) if len(text) == 10 else dt.datetime.fromisoformat(text)
    except ValueError:
        return text


# --- the facts form -------------------------------------------------------------


@dataclasses.dataclass(frozen=True, slots=True)
class Field:
    """One input of the facts form.

    ``name`` is the key as the case-file checks name it: ``order.date``,
    ``order.items[2].title``, ``contacts[1].channel``; ``kind`` is text, lines,
    date, amount, number, choice or choices.
    """

    name: str
    kind: str
    choices: tuple[str, ...] = ()


def apply_form(
    document: TOMLDocument, fields: Sequence[Field], form: Mapping[str, str | list[str]]
) -> None:
    """Write the submitted values of ``fields`` into the document, in place.

    An empty value removes its key; a table left empty is removed; a list of
    tables (items, charges, contacts) keeps one entry per row with a value.
    """
    rows: dict[str, dict[int, dict[str, Any]]] = {}
    for field in fields:
        raw = form.get(field.name, [] if field.kind == "choices" else "")
        value = _form_value(field, raw)
        inferred = form.get(f"inferred:{field.name}")
        match = re.fullmatch(r"(.+)\[(\d+)\]\.(\w+)", field.name)
        if match:
            array, index, key = match.group(1), int(match.group(2)), match.group(3)
            rows.setdefault(array, {}).setdefault(index, {})[key] = value
            continue
        *tables, key = field.name.split(".")
        if inferred is not None and value == _form_value(field, inferred):
            continue  # found in the evidence and left as it is: the build finds it again
        _set_key(document, tables, key, value)
    for array, entries in rows.items():
        _set_rows(document, array.split("."), [entries[i] for i in sorted(entries)])


def _form_value(field: Field, raw: str | list[str]) -> Any:
    if field.kind == "choices":
        return [v for v in raw if v] if isinstance(raw, list) else ([raw] if raw else [])
    text = (raw[-1] if raw else "") if isinstance(raw, list) else raw
    text = text.strip()
    if not text:
        return None
    if field.kind == "lines":
        return [line.strip() for line in text.splitlines() if line.strip()]
    if field.kind == "date":
        return _date_value(text)
    if field.kind == "number":
        try:
            return int(text)
        except ValueError:
            return text  # the check refuses it with the command line's words
    return text


def _parent(document: TOMLDocument, tables: Sequence[str], create: bool) -> Any:
    node: Any = document
    for name in tables:
        if name not in node:
            if not create:
                return None
            node[name] = tomlkit.table()
        node = node[name]
    return node


def _set_key(document: TOMLDocument, tables: Sequence[str], key: str, value: Any) -> None:
    empty = value is None or value == []
    parent = _parent(document, tables, create=not empty)
    if parent is None:
        return
    if empty:
        if key in parent:
            del parent[key]
        if tables and not parent and len(tables) == 1:
            del document[tables[0]]
        return
    if parent.get(key) != value:
        parent[key] = value


def _set_rows(document: TOMLDocument, path: Sequence[str], entries: list[dict[str, Any]]) -> None:
    kept = [
        {k: v for k, v in entry.items() if v is not None and v != []}
        for entry in entries
        if any(v is not None and v != [] for v in entry.values())
    ]
    *tables, key = path
    parent = _parent(document, tables, create=bool(kept))
    if parent is None:
        return
    existing = parent.get(key)
    if not kept:
        if existing is not None:
            del parent[key]
        if tables and not parent:
            del document[tables[0]]
        return
    if isinstance(existing, AoT | list) and len(existing) == len(kept):
        # Same number of rows: change the values in place, keeping comments between rows.
        for old, new in zip(existing, kept, strict=True):
            for name in [n for n in old if n not in new]:
                del old[name]
            for name, value in new.items():
                if old.get(name) != value:
                    old[name] = value
        return
    if tables:
        array: Any = tomlkit.array()
        for entry in kept:
            item = tomlkit.inline_table()
            item.update(entry)
            array.append(item)
        if len(kept) > 1:
            array.multiline(True)
    else:
        array = tomlkit.aot()
        for entry in kept:
            array.append(tomlkit.item(entry))
    parent[key] = array


def _stash_path(folder: Path) -> Path:
    return folder / LEFT_OUT / ".settings.toml"


def stash_exhibit(folder: Path, document: TOMLDocument, relpath: str) -> None:
    """Take one exhibit's table out of the document and keep it beside the left-out file."""
    exhibits = document.get("exhibits")
    if exhibits is None or relpath not in exhibits:
        return
    stash_file = _stash_path(folder)
    stash = (
        parse(stash_file.read_text(encoding="utf-8"))
        if stash_file.is_file()
        else tomlkit.document()
    )
    stash[relpath] = exhibits[relpath]
    del exhibits[relpath]
    if not exhibits:
        del document["exhibits"]
    stash_file.parent.mkdir(parents=True, exist_ok=True)
    stash_file.write_text(stash.as_string(), encoding="utf-8")


def restore_exhibit(folder: Path, document: TOMLDocument, relpath: str, now_at: str) -> None:
    """Put a left-out exhibit's table back into the document, under its path ``now_at``."""
    stash_file = _stash_path(folder)
    if not stash_file.is_file():
        return
    stash = parse(stash_file.read_text(encoding="utf-8"))
    if relpath not in stash:
        return
    table = _exhibit_table(document, now_at)
    for key, value in stash[relpath].items():
        table[key] = value
    del stash[relpath]
    stash_file.write_text(stash.as_string(), encoding="utf-8")

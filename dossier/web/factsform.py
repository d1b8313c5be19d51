"""The facts form, made from the case model: a new fact in the model is a new input.

The inputs follow the fields of ``Party``, ``Order``, ``Contact``, ``Demand``
and ``LetterSettings``; the lists of choices are the model's own
(``PROBLEMS``, ``REMEDIES``, ``LETTER_KINDS``, ``CHANNELS``, the recipient
presets), so the form offers what the case file accepts.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
import typing
from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any

from dossier.case import facts as case_model
from dossier.case.facts import LANGUAGES
from dossier.errors import CaseFileError, DossierError
from dossier.i18n import M_, Message, said_in
from dossier.web.casedoc import Field, error_problem

# Keys of the party tables that belong to the other side only.
_NOT_FOR = {
    "claimant": {"preset", "register", "attention"},
    "recipient": {"preset", "phone", "account_email"},
}
_CHOICES: dict[str, tuple[str, ...]] = {
    "demand.remedy": case_model.REMEDIES,
    "demand.reason": case_model.REASONS,
    "letter.language": case_model.LANGUAGES,
    "letter.kind": case_model.LETTER_KINDS,
    "channel": case_model.CHANNELS,
}


@dataclasses.dataclass(frozen=True, slots=True)
class Rows:
    """A list of tables (order items, charges, contacts): one row of inputs each."""

    name: str
    columns: tuple[Field, ...]  # named by the column key alone: "title"
    rows: tuple[tuple[Field, ...], ...]


@dataclasses.dataclass(frozen=True, slots=True)
class Section:
    """One fieldset of the form."""

    name: str
    fields: tuple[Field | Rows, ...]


def _kind(annotation: Any) -> str:
    args = set(typing.get_args(annotation)) - {type(None)}
    types = args or {annotation}
    if dt.date in types:
        return "date"
    if Decimal in types:
        return "amount"
    if int in types and bool not in types:
        return "number"
    if typing.get_origin(annotation) is tuple or tuple in {typing.get_origin(t) for t in types}:
        return "lines"
    return "text"


def _row_type(annotation: Any) -> type | None:
    """The dataclass of a ``tuple[OrderItem, ...]`` field, else None."""
    for candidate in (annotation, *typing.get_args(annotation)):
        if typing.get_origin(candidate) is tuple:
            inner = typing.get_args(candidate)[0]
            if isinstance(inner, type) and dataclasses.is_dataclass(inner):
                return inner
    return None


def _fields_of(
    cls: type, prefix: str, skip: set[str], counts: Mapping[str, int]
) -> list[Field | Rows]:
    hints = typing.get_type_hints(cls)
    found: list[Field | Rows] = []
    for field in dataclasses.fields(cls):
        if field.name in skip:
            continue
        name = f"{prefix}{field.name}"
        row_type = _row_type(hints[field.name])
        if row_type is not None:
            found.append(_rows(row_type, name, counts.get(name, 0)))
            continue
        choices = _CHOICES.get(name, ())
        found.append(Field(name, "choice" if choices else _kind(hints[field.name]), choices))
    return found


def _rows(cls: type, name: str, count: int) -> Rows:
    hints = typing.get_type_hints(cls)
    columns = tuple(
        Field(
            f.name,
            "choice" if f.name in _CHOICES else _kind(hints[f.name]),
            _CHOICES.get(f.name, ()),
        )
        for f in dataclasses.fields(cls)
    )
    rows = tuple(
        tuple(dataclasses.replace(c, name=f"{name}[{index}].{c.name}") for c in columns)
        for index in range(1, count + 2)  # the rows written, and one more to fill in
    )
    return Rows(name, columns, rows)


def form_sections(counts: Mapping[str, int]) -> list[Section]:
    """The form's fieldsets; ``counts`` gives the rows already written per list."""
    presets = ("", *case_model.RECIPIENT_PRESETS)
    return [
        Section(
            "case",
            (
                Field("language", "choice", LANGUAGES),
                Field("problem", "choices", case_model.PROBLEMS),
            ),
        ),
        Section(
            "claimant",
            tuple(_fields_of(case_model.Party, "claimant.", _NOT_FOR["claimant"], counts)),
        ),
        Section(
            "recipient",
            (
                Field("recipient.preset", "choice", presets),
                *_fields_of(case_model.Party, "recipient.", _NOT_FOR["recipient"], counts),
            ),
        ),
        Section("order", tuple(_fields_of(case_model.Order, "order.", set(), counts))),
        Section("contacts", (_rows(case_model.Contact, "contacts", counts.get("contacts", 0)),)),
        Section("demand", tuple(_fields_of(case_model.Demand, "demand.", set(), counts))),
        Section("letter", tuple(_fields_of(case_model.LetterSettings, "letter.", set(), counts))),
    ]


def all_fields(sections: Sequence[Section]) -> list[Field]:
    """Every input of the form, rows included."""
    found: list[Field] = []
    for section in sections:
        for item in section.fields:
            if isinstance(item, Rows):
                found += [field for row in item.rows for field in row]
            else:
                found.append(item)
    return found


def row_counts(data: Mapping[str, Any]) -> dict[str, int]:
    """How many rows each list of the case file has."""
    order = data.get("order", {})
    counts = {"contacts": len(data.get("contacts", []) or [])}
    if isinstance(order, Mapping):
        for name, value in order.items():
            if isinstance(value, list) and all(isinstance(v, Mapping) for v in value):
                counts[f"order.{name}"] = len(value)
    return counts


def value_of(data: Mapping[str, Any], name: str) -> Any:
    """The value the case file holds for an input name, or None."""
    node: Any = data
    for part in re.findall(r"[^.\[\]]+|\[\d+\]", name):
        if part.startswith("["):
            index = int(part[1:-1]) - 1
            if not isinstance(node, list) or index >= len(node):
                return None
            node = node[index]
        elif isinstance(node, Mapping) and part in node:
            node = node[part]
        else:
            return None
    return node


def shown(value: Any) -> str:
    """A value of the case file as an input shows it."""
    if value is None:
        return ""
    if isinstance(value, list):
        return "\n".join(str(v) for v in value)
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


_INFERRED = re.compile(r"^(?P<key>[\w.\[\]]+) = (?P<value>.*) \(from (?P<source>.+)\)$")


def inferred_values(lines: Sequence[str]) -> dict[str, tuple[str, str]]:
    """``{"order.number": ("123-…", "invoice.pdf")}`` from the plan's inferred lines."""
    found = {}
    for line in lines:
        match = _INFERRED.match(line)
        if match:
            value = match.group("value").strip().strip("'\"")
            found[match.group("key")] = (value, match.group("source"))
    return found


def field_error(error: CaseFileError, language: str) -> str:
    """What is wrong with a field, as the command line says it, in the page's language.

    ``order.date: '31/02' is not a date; …`` (the key, then the problem),
    without the file's name: the page shows it beside the field.
    """
    if error.key is not None and error.problem is not None:
        return said_in(M_("{key}: {problem}", key=error.key, problem=error.problem), language)
    if error.problem is not None and str(error) == error.problem:
        return said_in(error.problem, language)  # a syntax error: the file, line and column
    return error_problem(error)


def problem_text(error: DossierError, language: str) -> str:
    """A whole error message for the page, a case file's problem in the page's language."""
    said = error.args[0] if error.args else None
    if isinstance(said, Message) and str(error) == said:
        return said.in_language(language)
    if isinstance(error, CaseFileError) and error.problem is not None:
        text = str(error)
        if text.endswith(error.problem):
            return text[: len(text) - len(error.problem)] + said_in(error.problem, language)
    return str(error)

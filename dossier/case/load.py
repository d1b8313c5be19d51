"""Read and check the case file, ``case.toml``.

Every message names the key and says what is wrong, e.g.
``case.toml: exhibits."IMG_1.jpg".date: '31/02/2025' is not a date``.
"""

from __future__ import annotations

import datetime as dt
import re
import tomllib
from collections.abc import Mapping
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from dossier.billing.amounts import parse_given_amount
from dossier.case.check_facts import has_facts, parse_case_facts
from dossier.case.facts import LANGUAGES
from dossier.case.limits import (
    MAX_CAPTION,
    MAX_POSITION,
    amount_problem,
    count_problem,
    day_problem,
)
from dossier.case.marks import parse_marks
from dossier.errors import CaseFileError, os_problem
from dossier.i18n import M_, Message
from dossier.model import CaseFile, ExhibitSettings, Provenance, ReadAmount, Role

_EXHIBIT_KEYS = (
    "caption",
    "date",
    "order",
    "password",
    "redact",
    "highlight",
    "crop",
    "ocr",
    "amounts",
    "attach_original",
)


def load_case_file(path: Path) -> CaseFile:
    """Read ``path``; a missing file gives the defaults.

    Raises:
        CaseFileError: the file is not valid TOML or a value is wrong.
    """
    if not path.exists():
        return CaseFile()
    try:
        text = path.read_text(encoding="utf-8-sig")
        data = tomllib.loads(text)
    except UnicodeDecodeError:
        raise CaseFileError(
            M_("{file}: not UTF-8 text; save it as UTF-8 and try again", file=path.name)
        ) from None
    except tomllib.TOMLDecodeError as error:
        # The parser's own words stay behind the message, for --debug only.
        message = toml_error(path.name, error, text)
        raise CaseFileError(message, None, message) from error
    except OSError as error:
        raise CaseFileError(
            M_("{file}: cannot be read ({error})", file=path.name, error=os_problem(error))
        ) from None
    return parse_case_data(data, path)


# The parser's messages (tomllib's, in English), by the mistake a person makes.
# Each pattern is matched at the start of the parser's message.
_TOML_MISTAKES: tuple[tuple[str, str], ...] = (
    (r"Illegal character '\\[nr]'|Unterminated string|Expected \"['\"]\"", "quote"),
    (r"Expected '=' after a key", "equals"),
    (
        r"Cannot overwrite a value|Cannot declare .* twice|Cannot redefine namespace"
        r"|Cannot mutate immutable namespace|Duplicate inline table key",
        "twice",
    ),
    (r"Invalid date or datetime", "date"),
    (
        r"Unescaped '\\' in a string|Invalid hex value|Escaped character is not a Unicode",
        "backslash",
    ),
    (r"Expected '\]' at the end of a table|Expected '\]\]' at the end of an array", "table"),
    (r"Unclosed array|Unclosed inline table", "list"),
    (r"Invalid statement|Invalid initial character for a key part", "statement"),
    (r"Illegal character|Found invalid character", "character"),
    (r"Invalid value", "value"),
    (r"Expected newline or end of document after a statement", "after"),
)
# A date written the way people write it, not the way TOML wants it (2026-11-03).
_DATE_LIKE = re.compile(r"=\s*\d{1,4}[-/.]\d{1,2}[-/.]\d{1,4}")
_PLACE = re.compile(
    r"^(?P<said>.*) \((?:at line (?P<line>\d+), column (?P<column>\d+)|at end of document)\)$", re.S
)


def toml_error(name: str, error: tomllib.TOMLDecodeError, text: str = "") -> Message:
    """A TOML syntax error in the user's language: where it is, what is wrong, what to do.

    The parser's English words are classified into the common mistakes (a
    quote not closed, a missing ``=``, a key given twice, a wrong date, text
    without quotes); anything else gets a general sentence with the place.
    The parser's message is read from its text, and from the ``msg``,
    ``lineno`` and ``colno`` attributes where Python gives them (3.14).
    """
    raw = str(error)
    place = _PLACE.match(raw)
    said = getattr(error, "msg", None)
    if not isinstance(said, str):
        said = place["said"] if place else raw
    line = getattr(error, "lineno", None)
    column = getattr(error, "colno", None)
    at_end = place is not None and place["line"] is None
    if not isinstance(line, int) or not isinstance(column, int) or at_end:
        line, column = (
            (int(place["line"]), int(place["column"])) if place and place["line"] else (None, None)
        )
    if line is None and text:
        # "at end of document": the mistake is where the part left open begins.
        line = _open_from(text)
    lines = text.splitlines()
    source = lines[line - 1] if line is not None and 0 < line <= len(lines) else ""
    problem = _mistake(said, source)
    if line is None:
        return M_("{file}: {problem}", file=name, problem=problem)
    if column is None:
        return M_("{file}, line {line}: {problem}", file=name, line=line, problem=problem)
    return M_(
        "{file}, line {line}, column {column}: {problem}",
        file=name,
        line=line,
        column=column,
        problem=problem,
    )


def syntax_error(name: str, text: str, line: int, column: int) -> Message:
    """A syntax error another TOML parser found at ``line``, ``column``, in our words.

    The case page edits the file with tomlkit, whose words differ: the text is
    read again with tomllib for the same words as the command line.
    """
    try:
        tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        return toml_error(name, error, text)
    return M_(
        "{file}, line {line}, column {column}: {problem}",
        file=name,
        line=line,
        column=column,
        problem=_MISTAKE_WORDS[""],
    )


def _mistake(said: str, source: str) -> Message:
    """The mistake the parser's message ``said`` means, on the line ``source``."""
    kind = next((kind for pattern, kind in _TOML_MISTAKES if re.match(pattern, said)), "")
    if kind in {"after", "value"} and _DATE_LIKE.search(source):
        kind = "date"
    return _MISTAKE_WORDS.get(kind, _MISTAKE_WORDS[""])


_MISTAKE_WORDS: dict[str, Message] = {
    "quote": M_(
        "a text in quotes is not closed; end it with the same quote on the same line, "
        'e.g. caption = "Photo of the parcel"'
    ),
    "equals": M_(
        'a "=" is missing after a key; write key = value, e.g. caption = "Photo of the parcel"'
    ),
    "twice": M_("this key or table is already given above; keep only one of them"),
    "date": M_("not a valid date; write it as 2026-11-03, or 2026-11-03T15:30:00 with the time"),
    "backslash": M_(
        "a backslash \\ in text between double quotes; write it twice (\\\\) "
        "or put the text between single quotes"
    ),
    "table": M_('a table name is not closed; end it with "]", e.g. [order]'),
    "list": M_('a list or table of values is not closed; end it with "]" or "}}"'),
    "statement": M_("each line must be key = value, a [table] or a comment starting with #"),
    "character": M_(
        "a character that is not allowed here (perhaps an invisible one); "
        "delete it and type the text again"
    ),
    "value": M_(
        'this value is not understood; write text in quotes (e.g. name = "Jan Peeters"), '
        "numbers and true or false without quotes"
    ),
    "after": M_(
        "something follows the value on this line; write one key = value a line, and a "
        'text holding a quote between the other kind of quotes ("l\'été")'
    ),
    "": M_(
        "not valid TOML (the format of the case file); compare this line with the "
        "examples in the file's comments, fix it and try again"
    ),
}


def _open_from(text: str, most: int = 2000) -> int | None:
    """The line where the part of ``text`` left open to its end begins (a quote, a list).

    Every beginning of the text up to that line reads as TOML; every longer one does not.
    """
    lines = text.splitlines()
    if len(lines) > most:
        return len(lines)
    for count in range(len(lines) - 1, -1, -1):
        try:
            tomllib.loads("\n".join(lines[:count]))
        except tomllib.TOMLDecodeError:
            continue
        return count + 1
    return 1


def parse_case_data(data: Mapping[str, Any], path: Path | None = None) -> CaseFile:
    """Check the parsed TOML and turn it into a ``CaseFile``.

    Raises:
        CaseFileError: a value is missing or wrong; the message names the key.
    """
    where = path.name if path else "case file"

    def fail(key: str, problem: str) -> CaseFileError:
        return CaseFileError(
            M_("{file}: {key}: {problem}", file=where, key=key, problem=problem), key, problem
        )

    language = data.get("language", "fr")
    if language not in LANGUAGES:
        raise fail("language", _one_of(language, LANGUAGES))

    timezone = data.get("timezone", "Europe/Brussels")
    if not isinstance(timezone, str):
        raise fail(
            "timezone",
            M_("{value!r} is not a time zone name such as 'Europe/Brussels'", value=timezone),
        )
    try:
        ZoneInfo(timezone)
    except (ZoneInfoNotFoundError, ValueError):
        raise fail(
            "timezone",
            M_("{value!r} is not a known time zone (e.g. 'Europe/Brussels')", value=timezone),
        ) from None

    order = _table(data, "order", fail)
    claimant = _table(data, "claimant", fail)
    reference = order.get("number") if order else None
    if reference is None:
        reference = data.get("reference")
    if reference is not None and not isinstance(reference, str):
        raise fail("order.number", M_("{value!r} is not text; write it in quotes", value=reference))

    name = claimant.get("name") if claimant else None
    if name is not None and not isinstance(name, str):
        raise fail("claimant.name", M_("{value!r} is not text", value=name))

    exhibits_table = _table(data, "exhibits", fail)
    exhibits = {
        relpath: _exhibit_settings(relpath, value, fail)
        for relpath, value in exhibits_table.items()
    }
    return CaseFile(
        path=path,
        language=language,
        timezone=timezone,
        reference=reference,
        claimant_name=name,
        exhibits=exhibits,
        facts=parse_case_facts(data, fail) if has_facts(data) else None,
    )


def _table(data: Mapping[str, Any], key: str, fail: Any) -> Mapping[str, Any]:
    value = data.get(key, {})
    if not isinstance(value, Mapping):
        raise fail(key, M_("must be a table, e.g. [{key}]", key=key))
    return value


def _exhibit_settings(relpath: str, value: Any, fail: Any) -> ExhibitSettings:
    prefix = f'exhibits."{relpath}"'
    if not isinstance(value, Mapping):
        raise fail(prefix, M_('must be a table, e.g. [{key}] with caption = "..."', key=prefix))
    for key in value:
        if key not in _EXHIBIT_KEYS:
            raise fail(
                f"{prefix}.{key}",
                M_("unknown key; expected one of {keys}", keys=", ".join(_EXHIBIT_KEYS)),
            )

    caption = value.get("caption")
    if caption is not None and not isinstance(caption, str):
        raise fail(f"{prefix}.caption", M_("{value!r} is not text", value=caption))
    if caption is not None and len(caption) > MAX_CAPTION:
        raise fail(
            f"{prefix}.caption",
            M_(
                "{count} characters, more than {largest}: shorten it, and put a "
                "longer text in a note (.txt) in the folder",
                count=len(caption),
                largest=MAX_CAPTION,
            ),
        )

    date, date_only = (None, False)
    if "date" in value:
        date, date_only = parse_user_date(value["date"], lambda p: fail(f"{prefix}.date", p))

    order = value.get("order")
    if order is not None and (isinstance(order, bool) or not isinstance(order, int) or order < 1):
        raise fail(
            f"{prefix}.order", M_("{value!r} is not a whole number of 1 or more", value=order)
        )
    if order is not None and (problem := count_problem(order, MAX_POSITION)) is not None:
        raise fail(f"{prefix}.order", problem)

    password = value.get("password")
    if password is not None and not isinstance(password, str):
        raise fail(f"{prefix}.password", M_("must be text in quotes"))

    ocr = value.get("ocr", True)
    if not isinstance(ocr, bool):
        raise fail(f"{prefix}.ocr", M_("{value!r} is not true or false", value=ocr))

    attach_original = value.get("attach_original", False)
    if not isinstance(attach_original, bool):
        raise fail(
            f"{prefix}.attach_original", M_("{value!r} is not true or false", value=attach_original)
        )

    amounts = None
    if "amounts" in value:
        amounts = _given_amounts(value["amounts"], f"{prefix}.amounts", fail)

    return ExhibitSettings(
        caption=caption,
        date=date,
        date_only=date_only,
        order=order,
        password=password,
        **parse_marks(prefix, value, fail),
        ocr=ocr,
        amounts=amounts,
        attach_original=attach_original,
    )


def _given_amounts(value: Any, key: str, fail: Any) -> tuple[ReadAmount, ...]:
    """``amounts = [{ date = 2026-11-03, amount = "-23.99", label = "AMAZON EU SARL" }]``."""
    example = '[{ date = 2026-11-03, amount = "-23.99", label = "AMAZON EU SARL" }]'
    if not isinstance(value, list):
        raise fail(key, M_("must be a list, e.g. amounts = {example}", example=example))
    amounts = []
    for index, item in enumerate(value, start=1):
        where = f"{key}[{index}]"
        if not isinstance(item, Mapping) or "amount" not in item:
            raise fail(
                where, M_("must be a table with an amount, e.g. {example}", example=example[1:-1])
            )
        unknown = sorted(set(item) - {"date", "amount", "label", "role"})
        if unknown:
            raise fail(
                f"{where}.{unknown[0]}",
                M_("unknown key; expected one of {keys}", keys="date, amount, label, role"),
            )
        raw = item["amount"]
        parsed = parse_given_amount(str(raw)) if isinstance(raw, str | int) else None
        if parsed is None or isinstance(raw, bool):
            raise fail(
                f"{where}.amount",
                M_(
                    '{value!r} is not an amount; write it in quotes, e.g. "-23.99" for a charge',
                    value=raw,
                ),
            )
        if (problem := amount_problem(raw, parsed[0])) is not None:
            raise fail(f"{where}.amount", problem)
        day = None
        if "date" in item:
            day = parse_user_date(item["date"], lambda p, w=where: fail(f"{w}.date", p))[0].date()
        label = item.get("label", "")
        if not isinstance(label, str):
            raise fail(f"{where}.label", M_("{value!r} is not text", value=label))
        role = item.get("role", "entry")
        if role not in {r.value for r in Role}:
            raise fail(f"{where}.role", _one_of(role, ("entry", "total", "refund")))
        amounts.append(
            ReadAmount(parsed[0], parsed[1], day, label, Role(role), Provenance.CASE_FILE)
        )
    return tuple(amounts)


def parse_user_date(value: Any, fail: Any) -> tuple[dt.datetime, bool]:
    """Accept a TOML date or datetime, or an ISO 8601 string, within the range of dates.

    Returns the value and whether only the day was given.
    """
    found = _user_date(value)
    if found is None:
        raise fail(
            M_(
                "{value!r} is not a date; write it as 2026-11-03 or 2026-11-03T15:30:00",
                value=value,
            )
        )
    problem = day_problem(value, found[0].date())
    if problem is not None:
        raise fail(problem)
    return found


def _one_of(value: Any, choices: tuple[str, ...]) -> Message:
    return M_("{value!r} is not one of {choices}", value=value, choices=", ".join(choices))


def _user_date(value: Any) -> tuple[dt.datetime, bool] | None:
    if isinstance(value, dt.datetime):
        return value, False
    if isinstance(value, dt.date):
        return dt.datetime.combine(value, dt.time()), True
    if isinstance(value, str):
        text = value.strip()
        try:
            if len(text) == 10:
                return dt.datetime.combine(dt.date.fromisoformat(text), dt.time()), True
            return dt.datetime.fromisoformat(text), False
        except ValueError:
            pass
    return None

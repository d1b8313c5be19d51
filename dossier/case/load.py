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
from dossier.errors import CaseFileError
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
        data = tomllib.loads(path.read_text(encoding="utf-8-sig"))
    except UnicodeDecodeError:
        raise CaseFileError(
            M_("{file}: not UTF-8 text; save it as UTF-8 and try again", file=path.name)
        ) from None
    except tomllib.TOMLDecodeError as error:
        raise CaseFileError(toml_error(path.name, error)) from None
    except OSError as error:
        raise CaseFileError(
            M_("{file}: cannot be read ({error})", file=path.name, error=error.strerror)
        ) from None
    return parse_case_data(data, path)


def toml_error(name: str, error: tomllib.TOMLDecodeError) -> str:
    """A TOML syntax error, its place said in the user's language (the parser's words kept)."""
    found = re.search(r"^(.*) \(at line (\d+), column (\d+)\)$", str(error))
    if found is None:
        return M_(
            "{file}: not valid TOML ({error}); fix that line and try again",
            file=name,
            error=str(error),
        )
    return M_(
        "{file}: line {line}, column {column} is not valid TOML ({error}); "
        "fix that line and try again",
        file=name,
        line=int(found[2]),
        column=int(found[3]),
        error=found[1],
    )


def parse_case_data(data: Mapping[str, Any], path: Path | None = None) -> CaseFile:
    """Check the parsed TOML and turn it into a ``CaseFile``.

    Raises:
        CaseFileError: a value is missing or wrong; the message names the key.
    """
    where = path.name if path else "case file"

    def fail(key: str, problem: str) -> CaseFileError:
        return CaseFileError(f"{where}: {key}: {problem}", key, problem)

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

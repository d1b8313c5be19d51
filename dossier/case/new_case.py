"""Write a commented case file (``case.toml``) to start a case: ``dossier init``."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import tomllib
from pathlib import Path

from dossier.case.load import parse_case_data, toml_error
from dossier.discover import CASE_FILE_NAME
from dossier.errors import CaseFileError, InputFolderError, OutputError, os_problem
from dossier.i18n import M_
from dossier.layout.style import layouts_dir


@dataclasses.dataclass(frozen=True, slots=True)
class CaseAnswers:
    """What the user told ``dossier init``; empty values become commented examples."""

    language: str = "fr"
    problems: tuple[str, ...] = ()
    name: str | None = None
    address: tuple[str, ...] = ()
    email: str | None = None
    order_number: str | None = None
    order_date: str | None = None
    seller_name: str | None = None
    remedy: str = "refund"
    reason: str | None = None
    letter_kind: str = "formal_notice"
    place: str | None = None


def _toml(value: object) -> str:
    # A JSON string is a valid TOML basic string (same escapes).
    return json.dumps(value, ensure_ascii=False)


def render_case_file(answers: CaseAnswers) -> str:
    """The text of a commented case file holding ``answers``.

    Raises:
        CaseFileError: an answer is not a valid value; the message names the key.
    """
    if answers.order_date is not None:
        try:
            dt.date.fromisoformat(answers.order_date)
        except ValueError:
            problem = M_(
                "{value!r} is not a date; write it as 2026-11-03", value=answers.order_date
            )
            raise CaseFileError(
                M_(
                    "{file}: {key}: {problem}",
                    file=CASE_FILE_NAME,
                    key="order.date",
                    problem=problem,
                ),
                "order.date",
                problem,
            ) from None
    import jinja2  # only `dossier init` needs it

    environment = jinja2.Environment(
        loader=jinja2.FileSystemLoader(layouts_dir() / "init"),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        autoescape=False,
    )
    environment.filters["toml"] = _toml

    def line(key: str, value: object, example: str, raw: bool = False) -> str:
        if value in (None, (), ""):
            return f"# {key} = {example}"
        if isinstance(value, tuple):
            value = list(value)
        return f"{key} = {value if raw else _toml(value)}"

    text = environment.get_template("case.toml.j2").render(line=line, **dataclasses.asdict(answers))
    try:
        parse_case_data(tomllib.loads(text), Path(CASE_FILE_NAME))
    except tomllib.TOMLDecodeError as error:
        message = toml_error(CASE_FILE_NAME, error, text)
        raise CaseFileError(message, None, message) from error
    return text


def init_advice(problems: tuple[str, ...]) -> tuple[str, ...]:
    """What the user should know about the letter for ``problems``, and what evidence to add."""
    advice: list[str] = []
    if set(problems) & {"damaged", "missing_part", "not_as_described"}:
        advice.append(
            M_(
                "for a damaged, incomplete or wrong item the letter first asks for repair or "
                "replacement; to end the contract (or cut the price) at once, set [demand] reason: "
                "a minor defect never justifies ending the contract"
            )
        )
    if set(problems) & {"not_delivered", "late_delivery"}:
        advice.append(
            M_(
                "for a parcel that did not come, the formal notice first gives the seller a last "
                "date to deliver; the refund follows if it passes (or at once with [demand] reason "
                '= "seller_refused" or "essential_date")'
            )
        )
    if "promotion_not_applied" in problems:
        advice.append(
            M_(
                "add screenshots of the product page and of the checkout showing the announced "
                "price or promotion, and set [demand] amount to the price difference"
            )
        )
    if "billing_error" in problems:
        advice.append(
            M_(
                "add your bank statement (or a screenshot of it) and list each debit in [order] "
                "charges; your bank can also correct a wrong debit if you tell it within 13 months"
            )
        )
    return tuple(advice)


def write_case_file(folder: Path, answers: CaseAnswers, force: bool = False) -> Path:
    """Write ``FOLDER/case.toml``; never replaces an existing one unless ``force``.

    Raises:
        InputFolderError: the folder does not exist.
        OutputError: the case file exists (without ``force``) or cannot be written.
        CaseFileError: an answer is not a valid value.
    """
    if not folder.is_dir():
        raise InputFolderError(
            M_("{folder}: no such folder; create it first, or give another", folder=str(folder))
        )
    text = render_case_file(answers)
    target = folder / CASE_FILE_NAME
    try:
        with target.open("w" if force else "x", encoding="utf-8") as handle:
            handle.write(text)
    except FileExistsError:
        raise OutputError(
            M_(
                "{file}: already exists; edit it, or run again with --force to replace it",
                file=str(target),
            )
        ) from None
    except OSError as error:
        raise OutputError(
            M_("{file}: cannot be written ({error})", file=str(target), error=os_problem(error))
        ) from None
    return target

"""``dossier init``: start a case folder with a commented ``case.toml``."""

from __future__ import annotations

import dataclasses
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click

from dossier.case.facts import LANGUAGES, LETTER_KINDS, PROBLEMS, REASONS, REMEDIES
from dossier.cli.common import with_errors
from dossier.i18n import _, current_language, said_in

if TYPE_CHECKING:
    from dossier.case.new_case import CaseAnswers


def on_terminal() -> bool:
    """Whether someone can answer questions (standard input is a terminal)."""
    return sys.stdin.isatty()


@click.command(name="init")
@click.argument(
    "folder", type=click.Path(path_type=Path, file_okay=False), default=".", required=False
)
@click.option("--language", type=click.Choice(LANGUAGES), help="Language of the letter.")
@click.option(
    "--problem", "problems", multiple=True, type=click.Choice(PROBLEMS), help="Repeatable."
)
@click.option("--name", help="Your name, as the letter's sender.")
@click.option("--address", multiple=True, help="One line of your postal address; repeatable.")
@click.option("--email", help="Your email address.")
@click.option("--order", "order_number", help="The order number, e.g. 402-1234567-1234567.")
@click.option("--order-date", help="The order date, e.g. 2026-10-28.")
@click.option("--seller", help="The seller, when it is not Amazon EU S.à r.l.")
@click.option("--remedy", type=click.Choice(REMEDIES), help="What you ask for.")
@click.option(
    "--reason",
    type=click.Choice(REASONS),
    help="Why you may end the contract (or cut the price) at once; a minor defect never does.",
)
@click.option("--letter", "letter_kind", type=click.Choice(LETTER_KINDS), help="Which letter.")
@click.option("--place", help="Where you sign the letter, e.g. Bruxelles.")
@click.option("--force", is_flag=True, help="Replace an existing case.toml.")
@click.option("--no-input", is_flag=True, help="Never ask; use the options and defaults.")
@with_errors
def init(
    folder: Path,
    language: str | None,
    problems: tuple[str, ...],
    name: str | None,
    address: tuple[str, ...],
    email: str | None,
    order_number: str | None,
    order_date: str | None,
    seller: str | None,
    remedy: str | None,
    reason: str | None,
    letter_kind: str | None,
    place: str | None,
    force: bool,
    no_input: bool,
) -> None:
    """Write a commented case.toml in FOLDER (default: the current folder).

    On a terminal it asks for what the options do not give; in a script,
    give options (and --no-input). An existing case.toml is never replaced
    without --force.

    \b
    Examples:
        dossier init my-case
        dossier init my-case --no-input --language nl --problem damaged \\
            --name "Sofie Van den Broeck" --address "Kerkstraat 5" --address "9000 Gent"
    """
    from dossier.case.new_case import CaseAnswers, init_advice, write_case_file

    answers = CaseAnswers(
        language=language or "fr",
        problems=problems,
        name=name,
        address=address,
        email=email,
        order_number=order_number or None,
        order_date=order_date,
        seller_name=seller,
        remedy=remedy or "refund",
        reason=reason,
        letter_kind=letter_kind or "formal_notice",
        place=place or None,
    )
    if not no_input and on_terminal():
        answers = _ask_for_the_rest(answers, ask_language=language is None)
    target = write_case_file(folder, answers, force=force)
    click.echo(
        _("Wrote {file}: fill in what is missing, then run: dossier build {folder}").format(
            file=target, folder=folder
        )
    )
    for line in init_advice(answers.problems):
        click.echo(_("note: {message}").format(message=said_in(line, current_language())))


def _ask_for_the_rest(answers: CaseAnswers, ask_language: bool) -> CaseAnswers:
    """Ask on the terminal for what the options left empty; Enter keeps it empty."""

    def ask(question: str, default: str = "") -> str:
        return str(
            click.prompt(
                question, default=default, show_default=bool(default), prompt_suffix=_(": ")
            )
        )

    language = answers.language
    if ask_language:
        language = click.prompt(
            _("Language"), type=click.Choice(LANGUAGES), default="fr", prompt_suffix=_(": ")
        )
    problems = answers.problems
    if not problems:
        question = _("Problem(s), separated by commas ({choices})")
        answer = ask(question.format(choices=", ".join(PROBLEMS)), "damaged")
        problems = tuple(p.strip() for p in answer.split(",") if p.strip())
    name = answers.name or ask(_("Your name")) or None
    address = answers.address
    if not address:
        lines = ask(_("Your address, lines separated by ';'"))
        address = tuple(line.strip() for line in lines.split(";") if line.strip())
    email = answers.email or ask(_("Your email")) or None
    order_number = answers.order_number or ask(
        _("Order number (empty: read from the confirmation email)")
    )
    place = answers.place or ask(_("Place of the letter"))
    return dataclasses.replace(
        answers,
        language=language,
        problems=problems,
        name=name,
        address=address,
        email=email,
        order_number=order_number or None,
        place=place or None,
    )

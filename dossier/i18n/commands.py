"""The command line's help and click's own words in the user's language.

click writes its words ("Usage:", "Show this message and exit.", "Missing
argument") through the standard ``gettext`` of its own modules; they are
pointed at our catalogs here. The help of our commands and options is written
in English in the code and translated when a command is looked up, so that
``--help`` speaks the chosen language.
"""

from __future__ import annotations

import inspect
import os
import sys
import weakref
from pathlib import Path
from typing import Any

import click

from dossier.i18n import (
    LANGUAGES,
    N_,
    N_plural,
    _,
    case_language,
    ngettext,
    system_language,
    use_language,
)

# The environment variable that sets the command line's language whatever the case says.
LANGUAGE_VARIABLE = "DOSSIER_LANGUAGE"

# The words of click a user of dossier meets, marked for the catalogs; the
# rest of click's messages stay in English.
HELP_OPTION = N_("Show this message and exit.")
# The names of arguments and placeholders in the usage line.
USAGE_WORDS = (N_("FOLDER"), N_("DOSSIER"), N_("[OPTIONS]"), N_("COMMAND [ARGS]..."))
CLICK_WORDS = (
    N_("Usage:"),
    N_("Options"),
    N_("Commands"),
    N_("Show the version and exit."),
    N_("Error: {message}"),
    N_("Try '{command} {option}' for help."),
    N_("Missing argument"),
    N_("Missing option"),
    N_("Missing parameter"),
    N_("Missing command."),
    N_("No such command {name!r}."),
    N_("No such option {name!r}."),
    N_("Option {name!r} does not take a value."),
    N_("Invalid value for {param_hint}: {message}"),
    N_("Invalid value: {message}"),
    N_("{value!r} is not a valid {number_type}."),
    N_("{value} is not in the range {range}."),
    N_("default: {default}"),
    N_("Aborted!"),
    N_("{name} {filename!r} does not exist."),
    N_("{name} {filename!r} is a directory."),
    N_("{name} {filename!r} is a file."),
    N_("directory"),
    N_("file"),
    N_("path"),
)
CLICK_PLURALS = (
    N_plural("Got unexpected extra argument ({args})", "Got unexpected extra arguments ({args})"),
    N_plural("{value!r} is not {choice}.", "{value!r} is not one of {choices}."),
    N_plural(
        "Option {name!r} requires an argument.", "Option {name!r} requires {nargs} arguments."
    ),
    N_plural("Did you mean {possibility}?", "(Did you mean one of: {possibilities}?)"),
)
_CLICK_MODULES = ("core", "decorators", "exceptions", "formatting", "parser", "termui", "types")


def speak_for(args: list[str]) -> str:
    """Choose the language of this run from its arguments, and speak it.

    ``DOSSIER_LANGUAGE`` (fr, nl, de or en) wins, for a script that reads the
    output; then the case file of the folder the command works on (its first
    argument that is a folder holding a ``case.toml``, else the current
    folder); then the system's language; then English.
    """
    chosen = os.environ.get(LANGUAGE_VARIABLE, "").strip().lower()
    if chosen in LANGUAGES:
        use_language(chosen)
        _translate_click()
        return chosen
    folders = [Path(arg) for arg in args if not arg.startswith("-")]
    language = None
    for folder in [*folders, Path()]:
        try:
            if (folder / "case.toml").is_file():
                language = case_language(folder)
                break
        except OSError:
            continue
    chosen = use_language(language or system_language())
    _translate_click()
    return chosen


def _translate_click() -> None:
    for name in _CLICK_MODULES:
        module = sys.modules.get(f"click.{name}")
        if module is None:
            continue
        if hasattr(module, "_"):
            vars(module)["_"] = _
        if hasattr(module, "ngettext"):
            vars(module)["ngettext"] = ngettext


def translate_help(command: click.Command) -> click.Command:
    """Give ``command`` and its options their help in the current language."""
    _retell(command, "help", cleaned=True)
    _retell(command, "short_help")
    _retell(command, "options_metavar")
    if isinstance(command, click.Group):
        _retell(command, "subcommand_metavar")
    for param in command.params:
        if isinstance(param.type, click.Path):
            # click names the type (directory, file) when the command is made, in English.
            _retell(param.type, "name")
        if isinstance(param, click.Option):
            _retell(param, "help")
        elif isinstance(param, click.Argument) and param.name:
            _name_argument(param)
    # click makes the --help option once, in the language of that moment.
    made = getattr(command, "_help_option", None)
    if made is not None:
        if getattr(made, "_english_help", None) is None:
            made._english_help = HELP_OPTION
        _retell(made, "help")
    return command


# Each argument's name as the code gave it, before any translation (None: from its name).
_ENGLISH_METAVARS: weakref.WeakKeyDictionary[click.Argument, str | None] = (
    weakref.WeakKeyDictionary()
)


def _name_argument(argument: click.Argument) -> None:
    """An argument's name in the usage line (``[FOLDER]``) in the current language."""
    english = _ENGLISH_METAVARS.setdefault(argument, argument.metavar)
    if english is not None:
        return  # a name given in the code (``[DOSSIER.pdf]``) is a file name: it stays
    word = str(argument.name).upper()
    translated = _(word)
    if translated == word:
        argument.metavar = None
    else:
        argument.metavar = translated if argument.required else f"[{translated}]"


def _retell(item: Any, attribute: str, cleaned: bool = False) -> None:
    english_key = f"_english_{attribute}"
    english = getattr(item, english_key, None)
    if english is None:
        english = getattr(item, attribute)
        if not english:
            return
        english = inspect.cleandoc(english) if cleaned else english
        setattr(item, english_key, english)
    setattr(item, attribute, _(english))


class TranslatedGroup(click.Group):
    """A group whose run, help and click words speak the user's language."""

    def main(self, args: Any = None, *rest: Any, **kwargs: Any) -> Any:
        """Choose the language from the arguments, then run as click does."""
        speak_for(list(sys.argv[1:] if args is None else args))
        translate_help(self)
        return super().main(args, *rest, **kwargs)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        """The subcommand, with its help in the current language."""
        command = super().get_command(ctx, cmd_name)
        return None if command is None else translate_help(command)

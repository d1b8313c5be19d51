"""What ``pybabel extract`` takes from our code: marked messages and the commands' help.

Babel's Python extractor finds ``_()``, ``N_()`` and ``ngettext()``. The
commands' help is plain English where click expects it (the command's
docstring, ``help=`` of an option), so this extractor adds those; the
command line translates them when a command is looked up
(``dossier.i18n.commands``). Only ``pybabel`` imports this module.
"""

from __future__ import annotations

import ast
from collections.abc import Collection, Iterator, Mapping
from typing import IO, TYPE_CHECKING, Any

if TYPE_CHECKING:
    # The options Babel passes to a Python extractor (a TypedDict of its own).
    from babel.messages.extract import _PyOptions

# Decorators that make a click command of a function: its docstring is the help.
_COMMAND_DECORATORS = {"command", "group"}


def extract_commands(
    fileobj: IO[bytes],
    keywords: Mapping[str, Any],
    comment_tags: Collection[str],
    options: _PyOptions,
) -> Iterator[tuple[int, str | None, str | tuple[str, ...], list[str]]]:
    """Babel's Python messages of one file, then its commands' docstrings and ``help=`` texts."""
    from babel.messages.extract import extract_python

    source = fileobj.read()
    if b"dossier.i18n" not in source:
        return  # a module that does not speak through the catalogs
    fileobj.seek(0)
    # Babel's annotations describe extract()'s tuples; its extractors yield these.
    marked: Iterator[Any] = extract_python(fileobj, keywords, comment_tags, options)
    yield from marked
    tree = ast.parse(source)
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef) and any(_is_command(d) for d in node.decorator_list):
            doc = ast.get_docstring(node, clean=True)
            if doc:
                yield node.body[0].lineno, None, doc, []
        elif isinstance(node, ast.Call):
            for keyword in node.keywords:
                value = keyword.value
                if (
                    keyword.arg == "help"
                    and isinstance(value, ast.Constant)
                    and isinstance(value.value, str)
                ):
                    yield value.lineno, None, value.value, []


def _is_command(decorator: ast.expr) -> bool:
    target = decorator.func if isinstance(decorator, ast.Call) else decorator
    name = target.attr if isinstance(target, ast.Attribute) else getattr(target, "id", "")
    return name in _COMMAND_DECORATORS

"""Text from the evidence, made safe to print on a terminal.

File names, email subjects and captions come from whoever made the files. A
terminal obeys the control characters in them: an ANSI or OSC sequence can
recolour or retitle it, hide a line, write a link or a file name that is not
there; a newline can fake a line of the report; a bidi override can show a
name backwards. Every line the command line prints goes through
``printable``: each such character is shown as an escape (ESC as the four
characters backslash, x, 1, b), so it is visible and inert.
"""

from __future__ import annotations

import unicodedata

import click

# Format characters that reorder what follows them (bidi embeddings, overrides,
# isolates and marks); other format characters (joiners in emoji) are harmless.
_BIDI = frozenset("\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
# Line and paragraph separators break a line as a newline does.
_SEPARATORS = frozenset("\u2028\u2029\u0085")


def printable(text: str) -> str:
    """``text`` with every control, separator and bidi character shown as an escape."""
    if text.isprintable():
        return text
    return "".join(_escaped(character) for character in text)


def _escaped(character: str) -> str:
    if character in _BIDI or character in _SEPARATORS or unicodedata.category(character) == "Cc":
        code = ord(character)
        return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"
    return character


def say(line: str, err: bool = False) -> None:
    """Print one line, made printable (see ``printable``)."""
    click.echo(printable(line), err=err)

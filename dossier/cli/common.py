"""What every command shares: the error boundary and the common options.

An option used by more than one command is a decorator here, so that it reads
and behaves the same everywhere.
"""

from __future__ import annotations

import contextlib
import functools
import os
import signal
import sys
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, ParamSpec, TypeVar

import click

from dossier.cli.progress import NORMAL, QUIET, VERBOSE
from dossier.errors import ExitCode, Stopped, error_message, exit_code
from dossier.filesize import parse_size
from dossier.i18n import _, current_language, said_in
from dossier.printable import say

# A command's parameters and result, kept by the decorators that wrap it.
P = ParamSpec("P")
R = TypeVar("R")


folder_argument = click.argument(
    "folder", type=click.Path(path_type=Path, file_okay=False), default=".", required=False
)

output_option = click.option(
    "-o",
    "--output",
    type=click.Path(path_type=Path, dir_okay=False),
    help="Where to write the PDF (default: FOLDER/dossier.pdf).",
)

skip_unreadable_option = click.option(
    "--skip-unreadable",
    is_flag=True,
    help="Leave out files that cannot be read, and list them on a 'Not included' page.",
)


def _size_option(ctx: click.Context, param: click.Parameter, value: str | None) -> int | None:
    try:
        return None if value is None else parse_size(value)
    except ValueError as error:
        problem = error.args[0] if error.args and isinstance(error.args[0], str) else str(error)
        said = said_in(problem, current_language())
        raise click.BadParameter(said, ctx, param) from None


ocr_option = click.option(
    "--ocr",
    is_flag=True,
    help="Read the text of screenshots and photos with Tesseract: searchable exhibits, "
    "amounts and billing findings.",
)

no_cache_option = click.option(
    "--no-cache",
    is_flag=True,
    help="Read every file anew instead of reusing what earlier builds read "
    "(dates, photo hashes, OCR words); the PDF is the same either way.",
)

max_size_option = click.option(
    "--max-size",
    metavar="SIZE",
    callback=_size_option,
    help="The size the dossier must fit in, e.g. 10MB (an online form's or mail server's "
    "attachment limit; 1 MB = 1,000,000 bytes): build downsamples pictures (not below "
    "150 dpi) to meet it; list flags files larger than it on their own.",
)


def verbosity_options(command: Callable[..., R]) -> Callable[..., R]:
    """Add ``-q/--quiet`` and ``-v/--verbose``, passed on as ``verbosity``."""

    @click.option("-q", "--quiet", is_flag=True, help="Print nothing but errors.")
    @click.option("-v", "--verbose", is_flag=True, help="Print each step as it happens.")
    @functools.wraps(command)
    def wrapper(*args: Any, quiet: bool, verbose: bool, **kwargs: Any) -> R:
        if quiet and verbose:
            raise click.UsageError(_("-q/--quiet and -v/--verbose cannot be used together"))
        verbosity = QUIET if quiet else VERBOSE if verbose else NORMAL
        return command(*args, verbosity=verbosity, **kwargs)

    return wrapper


@contextlib.contextmanager
def reported_errors(ctx: click.Context) -> Iterator[None]:
    """The boundary where exceptions become messages (``error_message``) and exit codes."""
    debug = bool(ctx.obj and ctx.obj.get("debug"))
    try:
        with stopped_by_signals():
            yield
    except (click.exceptions.Exit, click.ClickException, click.Abort):
        raise  # click's own exits and usage errors keep their codes and messages
    except BrokenPipeError:
        # The program reading our output (e.g. head) stopped early: nothing is wrong.
        _silence_stdout()
        ctx.exit(int(ExitCode.OK))
    except (Exception, KeyboardInterrupt) as error:
        if debug and not isinstance(error, KeyboardInterrupt):
            raise
        # -v also gives the technical reason why a file cannot be included.
        for line in error_message(error, detail=bool(ctx.params.get("verbose"))):
            say(line, err=True)
        ctx.exit(int(exit_code(error)))


# The signals that end a run like Ctrl-C does: kill's default, and a closed terminal.
_STOP_SIGNALS = {"SIGTERM": ExitCode.TERMINATED, "SIGHUP": ExitCode.HUNG_UP}


@contextlib.contextmanager
def stopped_by_signals() -> Iterator[None]:
    """Turn SIGTERM and SIGHUP into ``Stopped`` (a KeyboardInterrupt) while the block runs.

    Python dies on them without unwinding: temporary files, the scratch folder
    of decoded pages and a half-written PDF would stay. As an exception, they
    run every ``finally`` and clean-up that Ctrl-C runs.
    """
    if threading.current_thread() is not threading.main_thread():
        yield  # signal handlers can only be set from the main thread
        return
    previous = {}
    for name, code in _STOP_SIGNALS.items():
        number = getattr(signal, name, None)
        if number is None:
            continue  # Windows has no SIGHUP

        def stop(signum: int, frame: object, name: str = name, code: ExitCode = code) -> None:
            raise Stopped(name, code)

        previous[number] = signal.signal(number, stop)
    try:
        yield
    finally:
        for number, handler in previous.items():
            signal.signal(number, handler)


def _silence_stdout() -> None:
    """Point standard output at nothing, so Python's exit does not flush into a closed pipe."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):
        pass  # not a real file (a test runner's buffer): nothing will be flushed into a pipe


def with_errors(command: Callable[P, R]) -> Callable[P, R]:
    """Run a command inside ``reported_errors``."""

    @functools.wraps(command)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        ctx = click.get_current_context()
        with reported_errors(ctx):
            return command(*args, **kwargs)

    return wrapper

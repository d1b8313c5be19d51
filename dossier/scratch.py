"""The private temporary folder of a process, for the attachments decoded from emails.

An attachment is kept on disk, never in memory, from the moment it is
decoded: the stages that read it (the readers of the attached picture or
PDF, the PDF writer) open the file. The folder lives as long as the
process, as ``dossier list`` and ``dossier build`` both read attachments,
and is deleted when it ends, also on Ctrl-C, SIGTERM and SIGHUP (the
command line turns those into an exception that unwinds normally).
"""

from __future__ import annotations

import atexit
import functools
import hashlib
import os
import re
import shutil
import tempfile
from pathlib import Path, PurePosixPath

_SAFE_SUFFIX = re.compile(r"\.[a-z0-9]{1,8}")


@functools.cache
def scratch_folder() -> Path:
    """The process's private folder, made when first needed."""
    folder = Path(tempfile.mkdtemp(prefix="dossier-attachments-"))
    atexit.register(shutil.rmtree, folder, ignore_errors=True)
    return folder


def name_suffix(name: str) -> str:
    """The lower-case extension of an attachment's name as the email gives it ("" if none)."""
    return PurePosixPath(name.replace("\\", "/")).suffix.lower()[:12]


def stored_path(sha256: str, name: str) -> Path:
    """Where the content with this hash is kept: named by the hash, never by the email's name."""
    suffix = name_suffix(name)
    safe = suffix if _SAFE_SUFFIX.fullmatch(suffix) else ""
    return scratch_folder() / f"{sha256}{safe}"


def new_file() -> Path:
    """A new empty file in the folder, to be renamed with ``keep`` once its hash is known."""
    handle, name = tempfile.mkstemp(dir=scratch_folder(), suffix=".part")
    os.close(handle)
    return Path(name)


def keep(written: Path, sha256: str, name: str) -> Path:
    """Give a file written with ``new_file`` its final name."""
    target = stored_path(sha256, name)
    written.replace(target)
    return target


def store_bytes(data: bytes, name: str) -> tuple[Path, str]:
    """Keep bytes (a small attachment, as Outlook gives them) in the folder: path and SHA-256."""
    digest = hashlib.sha256(data).hexdigest()
    path = stored_path(digest, name)
    if not path.exists():
        written = new_file()
        written.write_bytes(data)
        written.replace(path)
    return path, digest

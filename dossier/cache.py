"""What was learnt from a file's content, kept between builds.

Reading a photo's dates and layout, hashing it for the near-duplicate check
and above all running Tesseract on a screenshot cost the same at every
build, though the file has not changed. Each result is stored here under the
file's SHA-256, the tool's version and the settings that change it (the OCR
language, the hidden boxes, ...): a changed file has another SHA-256, a new
version of dossier another key, so a stale entry is never found.

The cache lives outside the case folder, in the user's cache directory
(``platformdirs``: ``~/.cache/dossier`` on Linux), or in the folder that
``DOSSIER_CACHE_DIR`` names. Entries are small JSON files written to a
temporary name and renamed into place, so builds running at the same time
never read half an entry; an entry that cannot be read or decoded is taken
as missing and written again. The whole cache is kept under a size limit
by removing the entries used least recently.

Nothing a build writes depends on whether the cache was used: an entry holds
exactly what the analysis returns, and a miss recomputes it.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import json
import logging
import os
import re
import shutil
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

from dossier import discover
from dossier.model import SourceFile
from dossier.version import __version__

# Where the cache is, when set: tests and scripts point it at a folder of their own.
ENV_DIR = "DOSSIER_CACHE_DIR"
# Entries beyond this many bytes in all are removed, least recently used first.
DEFAULT_MAX_BYTES = 200 * 1024 * 1024
# After a trim the cache holds at most this fraction of the limit, so that
# the next builds do not trim again at once.
_TRIM_TO = 0.8
# Bumped when the layout of the entries changes: older entries are then ignored.
_FORMAT = 1

# The name of an entry: the hex SHA-256 of its key; or of a file kept whole
# (an email's attachment), the SHA-256 of its content.
_ENTRY_NAME = re.compile(r"[0-9a-f]{64}\.(json|bin)")
# An entry being written (``tempfile.mkstemp(prefix=".", suffix=".tmp")``).
_TEMPORARY_NAME = re.compile(r"\.[A-Za-z0-9_]+\.tmp")

_log = logging.getLogger(__name__)

Value = TypeVar("Value")


class Cache:
    """A folder of JSON entries, each the result of one analysis of one file's content."""

    def __init__(self, root: Path, max_bytes: int = DEFAULT_MAX_BYTES) -> None:
        self.root = root
        self.max_bytes = max_bytes
        self._lock = threading.Lock()
        # (kind, sha256) of every analysis done here rather than read from the cache.
        self.computed: list[tuple[str, str]] = []
        self.stored = 0

    def remember(
        self,
        kind: str,
        sha256: str,
        variant: str,
        compute: Callable[[], Value],
        encode: Callable[[Value], Any],
        decode: Callable[[Any], Value],
    ) -> Value:
        """The stored result of ``compute`` for this file and settings, or ``compute()`` stored.

        Args:
            kind: which analysis, e.g. ``"ocr"``.
            sha256: the content's SHA-256.
            variant: every setting the result depends on, as text.
            compute: the analysis itself.
            encode: the result as JSON-ready data.
            decode: the result again from that data; it raises KeyError,
                TypeError or ValueError on data it does not recognise.
        """
        found = self.lookup(kind, sha256, variant, decode)
        if found is not None:
            return found[0]
        value = compute()
        self.store(kind, sha256, variant, encode(value))
        return value

    def lookup(
        self, kind: str, sha256: str, variant: str, decode: Callable[[Any], Value]
    ) -> tuple[Value] | None:
        """``(result,)`` as stored for this file and settings, or None if there is none."""
        key = _key(kind, sha256, variant)
        path = self._path(kind, key)
        found = self._load(path, key)
        if found is not None:
            try:
                return (decode(found),)
            except Exception:  # whatever is wrong with an entry, the file is read again
                _log.debug("cache entry %s cannot be decoded: computed again", path)
        return None

    def store(self, kind: str, sha256: str, variant: str, data: Any) -> None:
        """Keep ``data`` (JSON-ready) as the result for this file and settings."""
        key = _key(kind, sha256, variant)
        with self._lock:
            self.computed.append((kind, sha256))
        self._store(self._path(kind, key), key, data)

    def keep_file(self, kind: str, sha256: str, path: Path) -> bool:
        """Keep a copy of ``path``, whose content has this SHA-256; False if it cannot be kept."""
        target = self._file(kind, sha256)
        if target.is_file():
            with contextlib.suppress(OSError):
                os.utime(target)
            return True
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=".", suffix=".tmp")
            try:
                with os.fdopen(handle, "wb") as out, path.open("rb") as source:
                    shutil.copyfileobj(source, out, 1 << 20)
                Path(temporary).replace(target)
            except BaseException:
                with contextlib.suppress(OSError):
                    Path(temporary).unlink()
                raise
        except OSError as error:
            _log.debug("cache file %s not written: %s", target, error)
            return False
        with self._lock:
            self.stored += 1
        return True

    def kept_file(self, kind: str, sha256: str) -> Path | None:
        """The copy ``keep_file`` made of the content with this SHA-256, if it is still there.

        The copy may have been damaged since: whoever reads it checks its SHA-256.
        """
        target = self._file(kind, sha256)
        if not target.is_file():
            return None
        with contextlib.suppress(OSError):
            os.utime(target)  # used now: the last to be removed when the cache is trimmed
        return target

    def _file(self, kind: str, sha256: str) -> Path:
        if len(sha256) != 64 or sha256.strip("0123456789abcdef"):
            raise ValueError("not a SHA-256")
        return self.root / kind / sha256[:2] / f"{sha256}.bin"

    def _path(self, kind: str, key: str) -> Path:
        return self.root / kind / key[:2] / f"{key}.json"

    def _load(self, path: Path, key: str) -> Any:
        try:
            entry = json.loads(path.read_bytes())
        except FileNotFoundError:
            return None
        except (OSError, ValueError):
            _log.debug("cache entry %s cannot be read: computed again", path)
            return None
        if not isinstance(entry, dict) or entry.get("key") != key or "value" not in entry:
            return None
        with contextlib.suppress(OSError):
            os.utime(path)  # used now: the last to be removed when the cache is trimmed
        return entry["value"]

    def _store(self, path: Path, key: str, value: Any) -> None:
        data = json.dumps({"key": key, "value": value}, separators=(",", ":")).encode()
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            # A temporary name beside the entry, then a rename: another build
            # reading the entry sees the old one or the new one, never a part.
            handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".", suffix=".tmp")
            try:
                with os.fdopen(handle, "wb") as out:
                    out.write(data)
                Path(temporary).replace(path)
            except BaseException:
                with contextlib.suppress(OSError):
                    Path(temporary).unlink()
                raise
        except OSError as error:
            # A cache that cannot be written costs time, never a result.
            _log.debug("cache entry %s not written: %s", path, error)
            return
        with self._lock:
            self.stored += 1

    def trim(self) -> None:
        """Remove the least recently used entries while the cache is over its size limit.

        Temporary files left by a build that was killed while writing are
        removed once they are an hour old.
        """
        entries: list[tuple[float, int, Path]] = []
        # Only the cache's own files, KIND/XX/NAME: the folder may be one the
        # user named (DOSSIER_CACHE_DIR), holding other files.
        for path in self.root.glob("*/[0-9a-f][0-9a-f]/*"):
            with contextlib.suppress(OSError):
                status = path.stat()
                if _ENTRY_NAME.fullmatch(path.name):
                    entries.append((status.st_mtime, status.st_size, path))
                elif _TEMPORARY_NAME.fullmatch(path.name) and status.st_mtime < time.time() - 3600:
                    path.unlink()
        total = sum(size for _, size, _ in entries)
        if total <= self.max_bytes:
            return
        entries.sort()
        for _, size, path in entries:
            if total <= self.max_bytes * _TRIM_TO:
                break
            with contextlib.suppress(OSError):
                path.unlink()
            total -= size


def _key(kind: str, sha256: str, variant: str) -> str:
    text = "\0".join((str(_FORMAT), __version__, code_fingerprint(), kind, variant, sha256))
    return hashlib.sha256(text.encode()).hexdigest()


@functools.cache
def code_fingerprint() -> str:
    """The installed code of dossier, by the names, sizes and times of its files.

    The version number alone changes at releases; the analyses change with
    the code in between (a development copy, a patched install). A stat of
    each module costs about a millisecond in all.
    """
    package = Path(__file__).parent
    digest = hashlib.sha256()
    for folder, folders, names in sorted(os.walk(package)):
        folders.sort()
        for name in sorted(names):
            if not name.endswith((".py", ".toml")):
                continue
            try:
                status = Path(folder, name).stat()
            except OSError:  # gone since it was listed (an editor's file): not part of the code
                continue
            digest.update(f"{folder}/{name}:{status.st_size}:{status.st_mtime_ns}\0".encode())
    return digest.hexdigest()


@functools.cache
def libraries_identity(*names: str) -> str:
    """Python's version and the installed libraries ``names``, by their files' sizes and times.

    A library's result can change with an upgrade: its entries are then not
    found. Found without importing it (a cached reading spares the import).
    """
    import importlib.util
    import sys

    parts = [sys.version]
    for name in names:
        spec = importlib.util.find_spec(name)
        origin = spec.origin if spec is not None else None
        try:
            status = Path(origin).stat() if origin else None
        except OSError:
            status = None
        parts.append(f"{name}:{origin}:{status.st_size}:{status.st_mtime_ns}" if status else name)
    return "\0".join(parts)


def default_folder() -> Path:
    """Where the cache is: ``DOSSIER_CACHE_DIR``, else the user's cache directory."""
    chosen = os.environ.get(ENV_DIR)
    if chosen:
        return Path(chosen)
    import platformdirs  # only asked when there is no folder given

    return Path(platformdirs.user_cache_dir("dossier", appauthor=False)) / "analyses"


def open_cache(enabled: bool) -> Cache | None:
    """The cache of this user, or None when it is turned off (``--no-cache``)."""
    return Cache(default_folder()) if enabled else None


def remember(
    cache: Cache | None,
    kind: str,
    sha256: str,
    variant: str,
    compute: Callable[[], Value],
    encode: Callable[[Value], Any],
    decode: Callable[[Any], Value],
) -> Value:
    """``cache.remember(...)``, or ``compute()`` when there is no cache."""
    if cache is None:
        return compute()
    return cache.remember(kind, sha256, variant, compute, encode, decode)


def fingerprint(path: Path, root: Path, cache: Cache | None) -> SourceFile:
    """``discover.fingerprint``, with the SHA-256 taken from the cache when the file is unchanged.

    Hashing is the one reading of every byte a rebuild cannot avoid, unless
    it trusts the file system: a file with the same path, identity, size,
    modification and change times (the change time cannot be set back) was
    not written since it was hashed. That is the test the final re-check of
    a build already makes (``FileState.unchanged_in``), and a file written
    just before it was hashed is never remembered.

    Raises:
        OSError: the file cannot be read.
    """
    if cache is None:
        return discover.fingerprint(path, root)
    state = discover.file_state(path)
    where = hashlib.sha256(f"{state.device}:{state.inode}:{path}".encode()).hexdigest()
    when = f"{state.size}:{state.mtime_ns}:{state.ctime_ns}"
    found = cache.lookup("sha256", where, when, _digest_from_data)
    if found is not None:
        digest = found[0]
    else:
        digest = discover.file_sha256(path)
        if state.unchanged_in(state):  # not written just before it was seen
            cache.store("sha256", where, when, {"sha256": digest})
    return SourceFile(
        path=path,
        relpath=discover.relative_key(path, root),
        size=state.size,
        sha256=digest,
        mtime=state.mtime_ns / 1e9,
        state=state,
    )


def _digest_from_data(data: dict[str, str]) -> str:
    digest = data["sha256"]
    if not isinstance(digest, str) or len(digest) != 64 or digest.strip("0123456789abcdef"):
        raise ValueError("not a SHA-256")
    return digest

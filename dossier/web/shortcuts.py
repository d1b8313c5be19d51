"""``dossier shortcut``: a dossier icon on the desktop and in the applications menu.

Each icon runs ``dossier-app`` (the app entry point installed with dossier),
which opens the home page in the browser. What an icon is depends on the system:

- Linux: a ``.desktop`` file (freedesktop Desktop Entry 1.4) in the applications
  folder and on the desktop;
- macOS: ``dossier.app`` in ``~/Applications`` (Launchpad, Spotlight, Finder) and a
  double-clickable ``dossier.command`` on the desktop (it opens a Terminal window);
- Windows: ``dossier.cmd`` on the desktop and in the Start menu's Programs folder.
"""

from __future__ import annotations

import dataclasses
import os
import plistlib
import shlex
import subprocess
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path

from dossier.version import __version__

SYSTEMS = ("linux", "macos", "windows")
_COMMENTS = {
    "": "Turn a folder of evidence into one dossier (PDF) for a consumer dispute",
    "fr": "Transformer un dossier de preuves en un seul dossier PDF pour un litige de consommation",
    "nl": "Een map met bewijsstukken omzetten in één PDF-dossier voor een consumentengeschil",
    "de": "Einen Ordner mit Belegen in ein einziges PDF-Dossier für einen Verbraucherstreit "
    "umwandeln",
}
_ICON = Path(__file__).resolve().parent / "static" / "favicon.svg"


@dataclasses.dataclass(frozen=True, slots=True)
class Shortcut:
    """One file to write.

    Attributes:
        path: where it goes.
        content: its bytes.
        executable: whether it must be marked runnable (a script, a Linux desktop icon).
    """

    path: Path
    content: bytes
    executable: bool = False


def current_system() -> str:
    """``linux``, ``macos`` or ``windows``: the system this runs on."""
    if sys.platform == "darwin":
        return "macos"
    return "windows" if sys.platform.startswith(("win", "cygwin")) else "linux"


def launch_command(system: str | None = None) -> list[str]:
    """The command an icon runs: the ``dossier-app`` beside this Python, or Python itself."""
    system = system or current_system()
    here = Path(sys.executable).parent
    name = "dossier-app.exe" if system == "windows" else "dossier-app"
    for folder in (here, here / "Scripts"):
        if (folder / name).is_file():
            return [str(folder / name)]
    python = Path(sys.executable)
    if system == "windows" and python.with_name("pythonw.exe").is_file():
        python = python.with_name("pythonw.exe")  # no console window
    return [str(python), "-m", "dossier", "app"]


def plan_shortcuts(
    system: str | None = None,
    command: Sequence[str] | None = None,
    environ: Mapping[str, str] | None = None,
    home: Path | None = None,
) -> list[Shortcut]:
    """The files that make the icons of ``system`` (default: this one), nothing written yet."""
    system = system or current_system()
    command = list(command or launch_command(system))
    environ = os.environ if environ is None else environ
    home = home or Path.home()
    desktop = desktop_folder(system, environ, home)
    if system == "linux":
        data = Path(environ.get("XDG_DATA_HOME") or home / ".local" / "share")
        entry = desktop_entry(command)
        found = [Shortcut(data / "applications" / "dossier.desktop", entry, executable=True)]
        if desktop is not None:
            found.append(Shortcut(desktop / "dossier.desktop", entry, executable=True))
        return found
    if system == "macos":
        bundle = home / "Applications" / "dossier.app" / "Contents"
        script = _shell_script(command)
        found = [
            Shortcut(bundle / "Info.plist", info_plist()),
            Shortcut(bundle / "MacOS" / "dossier", script, executable=True),
        ]
        if desktop is not None:
            found.append(Shortcut(desktop / "dossier.command", script, executable=True))
        return found
    if system == "windows":
        appdata = Path(environ.get("APPDATA") or home / "AppData" / "Roaming")
        programs = appdata / "Microsoft" / "Windows" / "Start Menu" / "Programs"
        script = windows_script(command)
        found = [Shortcut(programs / "dossier.cmd", script)]
        if desktop is not None:
            found.append(Shortcut(desktop / "dossier.cmd", script))
        return found
    raise ValueError(f"unknown system {system!r}; expected one of {', '.join(SYSTEMS)}")


def install(shortcuts: Sequence[Shortcut]) -> list[Path]:
    """Write the files (replacing an earlier dossier icon), each whole or not at all.

    Raises:
        OSError: a folder could not be made or a file written.
    """
    written = []
    for shortcut in shortcuts:
        shortcut.path.parent.mkdir(parents=True, exist_ok=True)
        temporary = shortcut.path.with_name(f".{shortcut.path.name}.part")
        temporary.write_bytes(shortcut.content)
        temporary.chmod(0o755 if shortcut.executable else 0o644)
        temporary.replace(shortcut.path)
        written.append(shortcut.path)
    return written


def desktop_folder(system: str, environ: Mapping[str, str], home: Path) -> Path | None:
    """The user's desktop folder, or None when there is none (a server, a new account)."""
    found: Path | None = None
    if system == "linux":
        found = _xdg_desktop(environ, home)
    elif system == "windows":
        found = Path(environ.get("USERPROFILE") or home) / "Desktop"
    else:
        found = home / "Desktop"
    return found if found is not None and found.is_dir() else None


def desktop_entry(command: Sequence[str]) -> bytes:
    """A freedesktop ``.desktop`` file that runs ``command`` (Desktop Entry 1.4)."""
    lines = [
        "[Desktop Entry]",
        "Type=Application",
        "Version=1.4",
        "Name=dossier",
        "GenericName=Evidence dossier",
        "GenericName[fr]=Dossier de preuves",
        "GenericName[nl]=Bewijsdossier",
        "GenericName[de]=Beweisdossier",
        *(f"Comment{f'[{lang}]' if lang else ''}={text}" for lang, text in _COMMENTS.items()),
        f"Exec={' '.join(_exec_argument(part) for part in command)}",
        f"Icon={_escape_string(str(_ICON))}",
        "Terminal=false",
        "StartupNotify=true",
        "Categories=Office;",
        "Keywords=dispute;evidence;PDF;litige;preuves;geschil;Streit;",
        "",
    ]
    return "\n".join(lines).encode("utf-8")


def info_plist() -> bytes:
    """The ``Info.plist`` of ``dossier.app``: a bundle whose program is the script beside it."""
    return plistlib.dumps(
        {
            "CFBundleName": "dossier",
            "CFBundleDisplayName": "dossier",
            "CFBundleIdentifier": "org.dossier.app",
            "CFBundleExecutable": "dossier",
            "CFBundlePackageType": "APPL",
            "CFBundleShortVersionString": __version__,
            "CFBundleInfoDictionaryVersion": "6.0",
            "LSMinimumSystemVersion": "10.13",
        }
    )


def windows_script(command: Sequence[str]) -> bytes:
    """``dossier.cmd``: starts the command and closes its own window at once."""
    quoted = " ".join(f'"{part}"' for part in command)
    lines = [
        "@echo off",
        # cmd.exe reads the file in the console's code page: switch it to UTF-8 first,
        # so that a path with accents in a user name stays whole.
        "chcp 65001 >nul",
        'rem Opens dossier in the browser (made by "dossier shortcut").',
        f'start "dossier" {quoted}',
        "",
    ]
    return "\r\n".join(lines).encode("utf-8")


def _shell_script(command: Sequence[str]) -> bytes:
    return (
        "#!/bin/sh\n"
        '# Opens dossier in the browser (made by "dossier shortcut").\n'
        f'exec {shlex.join(command)} "$@"\n'
    ).encode()


def _exec_argument(argument: str) -> str:
    """One argument of a desktop entry's Exec key, quoted as the specification says.

    Inside double quotes, ``"``, backquote, ``$`` and backslash take a backslash;
    then the value is a string, in which a backslash is written twice, and a
    literal ``%`` is ``%%`` (a field code otherwise).
    """
    inner = "".join(f"\\{char}" if char in '"`$\\' else char for char in argument)
    return _escape_string(f'"{inner}"').replace("%", "%%")


def _escape_string(value: str) -> str:
    return (
        value.replace("\\", "\\\\").replace("\n", "\\n").replace("\t", "\\t").replace("\r", "\\r")
    )


def _xdg_desktop(environ: Mapping[str, str], home: Path) -> Path:
    """The desktop folder as ``xdg-user-dir`` gives it (it follows the user's language)."""
    config = Path(environ.get("XDG_CONFIG_HOME") or home / ".config") / "user-dirs.dirs"
    try:
        for line in config.read_text(encoding="utf-8").splitlines():
            if line.startswith("XDG_DESKTOP_DIR="):
                value = line.split("=", 1)[1].strip().strip('"')
                return Path(value.replace("$HOME", str(home)))
    except OSError:
        pass
    try:
        answer = subprocess.run(
            ["xdg-user-dir", "DESKTOP"],
            capture_output=True,
            text=True,
            timeout=5,
            env={**environ, "HOME": str(home)},
            check=False,
        ).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        answer = ""
    return Path(answer) if answer and Path(answer) != home else home / "Desktop"

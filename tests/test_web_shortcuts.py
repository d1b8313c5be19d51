"""dossier shortcut: the icon on the desktop and in the applications menu, for each system.

The Linux entry is checked by Debian's desktop-file-validate; the macOS
script is run by /bin/sh (it is a shell script on every system); the Windows
script is checked by its content.
"""

from __future__ import annotations

import os
import plistlib
import shlex
import shutil
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from dossier.cli import commands as cli
from dossier.web import shortcuts

VALIDATE = shutil.which("desktop-file-validate")


def validate_or_skip() -> str:
    if VALIDATE:
        return VALIDATE
    if os.environ.get("CI"):
        pytest.fail("desktop-file-validate is missing, but CI is set: install desktop-file-utils")
    pytest.skip("desktop-file-validate is not installed (apt-get install desktop-file-utils)")


def exec_arguments(entry: str) -> list[str]:
    """The arguments of the Exec key, unquoted as the Desktop Entry specification says."""
    line = next(line for line in entry.splitlines() if line.startswith("Exec="))
    value = line[len("Exec=") :]
    # The string level first (\\ is one backslash), then the Exec level (%% is %).
    value = value.replace("\\\\", "\0").replace("\0", "\\").replace("%%", "%")
    arguments, current, quoted, escape = [], "", False, False
    for char in value:
        if escape:
            current, escape = current + char, False
        elif quoted and char == "\\":
            escape = True
        elif char == '"':
            quoted = not quoted
        elif char == " " and not quoted:
            arguments.append(current)
            current = ""
        else:
            current += char
    return [*arguments, current]


@pytest.mark.parametrize(
    "command",
    [
        pytest.param(["/home/alice/.venv/bin/dossier-app"], id="plain"),
        pytest.param(
            ["/home/Élodie Vandamme/mes outils/bin/python3", "-m", "dossier", "app"],
            id="spaces-accents",
        ),
        pytest.param(['/opt/a "quoted" $dir/100%/back\\slash/dossier-app'], id="reserved-chars"),
    ],
)
def test_the_linux_entry_is_valid_and_runs_the_command(tmp_path, command):
    """This test ensures that the .desktop file passes desktop-file-validate and its Exec gives back the command."""
    validate = validate_or_skip()
    entry = shortcuts.desktop_entry(command)
    path = tmp_path / "dossier.desktop"
    path.write_bytes(entry)
    checked = subprocess.run([validate, str(path)], capture_output=True, text=True)
    assert checked.returncode == 0 and checked.stdout.strip() == "", checked.stdout
    text = entry.decode()
    assert exec_arguments(text) == command
    assert "Terminal=false" in text.splitlines()
    assert "Comment[nl]=Een map met bewijsstukken omzetten" in text


def _home(tmp_path: Path) -> tuple[Path, dict[str, str]]:
    home = tmp_path / "home"
    (home / "Bureau").mkdir(parents=True)
    (home / ".config").mkdir()
    # A French desktop: the folder is called Bureau, as xdg-user-dirs names it.
    (home / ".config" / "user-dirs.dirs").write_text('XDG_DESKTOP_DIR="$HOME/Bureau"\n')
    environment = {
        "HOME": str(home),
        "XDG_CONFIG_HOME": str(home / ".config"),
        "XDG_DATA_HOME": str(home / ".local" / "share"),
    }
    return home, environment


def test_dossier_shortcut_puts_the_icon_in_the_menu_and_on_the_desktop(tmp_path, monkeypatch):
    """This test ensures that the command writes a valid, runnable entry in both places, and says where."""
    validate = validate_or_skip()
    if shortcuts.current_system() != "linux":
        pytest.skip("the Linux icon is written on Linux")
    home, environment = _home(tmp_path)
    for name, value in environment.items():
        monkeypatch.setenv(name, value)
    result = CliRunner().invoke(cli.main, ["shortcut"])
    assert result.exit_code == 0, result.output
    menu = home / ".local" / "share" / "applications" / "dossier.desktop"
    desktop = home / "Bureau" / "dossier.desktop"
    assert result.stdout.splitlines()[:2] == [f"wrote {menu}", f"wrote {desktop}"]
    for path in (menu, desktop):
        assert path.stat().st_mode & stat.S_IXUSR
        assert subprocess.run([validate, str(path)], capture_output=True).returncode == 0
        assert exec_arguments(path.read_text())[0] in (
            str(Path(sys.executable).parent / "dossier-app"),
            sys.executable,
        )
    # Again (after a reinstall): the icons are replaced, not duplicated.
    assert CliRunner().invoke(cli.main, ["shortcut"]).exit_code == 0
    assert sorted(p.name for p in menu.parent.iterdir()) == ["dossier.desktop"]


def test_without_a_desktop_folder_the_menu_alone_is_written_and_said(tmp_path, monkeypatch):
    """This test ensures that an account with no desktop folder gets the menu entry and a sentence saying so."""
    if shortcuts.current_system() != "linux":
        pytest.skip("the Linux icon is written on Linux")
    home, environment = _home(tmp_path)
    (home / "Bureau").rmdir()
    for name, value in environment.items():
        monkeypatch.setenv(name, value)
    result = CliRunner().invoke(cli.main, ["shortcut"])
    assert result.exit_code == 0
    assert (
        "No desktop folder was found: the icon is in the applications menu only." in result.stdout
    )
    assert not (home / "Bureau").exists()


def test_an_unwritable_menu_folder_is_a_clear_error(tmp_path, monkeypatch):
    """This test ensures that a folder that cannot be made gives one line naming it, no traceback."""
    if shortcuts.current_system() != "linux":
        pytest.skip("the Linux icon is written on Linux")
    home, environment = _home(tmp_path)
    for name, value in environment.items():
        monkeypatch.setenv(name, value)
    # A file where the data folder should be: no folder can be made inside it.
    (home / ".local").write_text("not a folder")
    result = CliRunner().invoke(cli.main, ["shortcut"])
    assert result.exit_code == 5, result.output
    assert result.stderr == (
        f"error: {home / '.local' / 'share' / 'applications'}: could not be written (Not a directory); "
        "check that you may write in that folder\n"
    )


def test_the_macos_app_and_command_run_the_command(tmp_path):
    """This test ensures that dossier.app is a well-formed bundle and both scripts run the command, even from a path with spaces and quotes."""
    home = tmp_path / "home"
    (home / "Desktop").mkdir(parents=True)
    odd = tmp_path / "l'outil de Zoë" / "bin"
    odd.mkdir(parents=True)
    program = odd / "dossier-app"
    program.write_text('#!/bin/sh\necho "started with: $*"\n')
    program.chmod(0o755)
    planned = shortcuts.plan_shortcuts("macos", [str(program), "--flag"], {}, home)
    written = shortcuts.install(planned)
    contents = home / "Applications" / "dossier.app" / "Contents"
    assert written == [
        contents / "Info.plist",
        contents / "MacOS" / "dossier",
        home / "Desktop" / "dossier.command",
    ]
    info = plistlib.loads((contents / "Info.plist").read_bytes())
    assert info["CFBundleExecutable"] == "dossier"
    assert info["CFBundlePackageType"] == "APPL"
    for script in written[1:]:
        assert script.stat().st_mode & stat.S_IXUSR
        ran = subprocess.run([str(script)], capture_output=True, text=True, timeout=10)
        assert ran.stdout == "started with: --flag\n"
    assert shlex.split(written[2].read_text().splitlines()[-1]) == [
        "exec",
        str(program),
        "--flag",
        "$@",
    ]


def test_the_windows_script_starts_the_app_without_waiting(tmp_path):
    """This test ensures that dossier.cmd goes on the desktop and in the Start menu and starts the quoted program."""
    home = tmp_path / "home"
    profile = tmp_path / "Users" / "Élodie"
    (profile / "Desktop").mkdir(parents=True)
    appdata = profile / "AppData" / "Roaming"
    program = r"C:\Users\Élodie\AppData\Roaming\Python\Python312\Scripts\dossier-app.exe"
    environment = {"USERPROFILE": str(profile), "APPDATA": str(appdata)}
    planned = shortcuts.plan_shortcuts("windows", [program], environment, home)
    assert [shortcut.path for shortcut in planned] == [
        appdata / "Microsoft" / "Windows" / "Start Menu" / "Programs" / "dossier.cmd",
        profile / "Desktop" / "dossier.cmd",
    ]
    script = planned[0].content.decode("utf-8")
    lines = script.split("\r\n")
    assert "\n" not in script.replace("\r\n", "")
    assert lines[:2] == ["@echo off", "chcp 65001 >nul"]
    assert f'start "dossier" "{program}"' in lines


def test_the_launch_command_is_the_installed_app(tmp_path):
    """This test ensures that the icon runs the dossier-app installed beside this Python, or Python itself."""
    command = shortcuts.launch_command("linux")
    beside = Path(sys.executable).parent / "dossier-app"
    if beside.is_file():
        assert command == [str(beside)]
    else:
        assert command == [sys.executable, "-m", "dossier", "app"]

"""Reading loads only the parsers the files need: start-up counts on every run."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

CHECK = """
import sys
from pathlib import Path

import pytest
from dossier import api
from dossier.model import BuildOptions
plan = api.plan(BuildOptions(folder=Path(sys.argv[1])))
assert plan.exhibits, "nothing was read"
print(" ".join(sorted(name for name in sys.modules if name.startswith(("dossier.readers.", "dkim")))))
"""


def loaded_modules(folder: Path) -> set[str]:
    run = subprocess.run(
        [sys.executable, "-c", CHECK, str(folder)], capture_output=True, text=True, check=True
    )
    return set(run.stdout.split())


def test_a_folder_of_photos_loads_no_email_parser(tmp_path: Path, samples_dir: Path):
    """This test ensures that photos alone load the image reader, not the email or Outlook ones."""
    for photo in (samples_dir / "damaged-parcel").glob("*.jpg"):
        (tmp_path / photo.name).write_bytes(photo.read_bytes())
    loaded = loaded_modules(tmp_path)
    assert "dossier.readers.image" in loaded
    unneeded = {"dossier.readers.email", "dossier.readers.mbox", "dossier.readers.msg", "dkim"}
    assert not loaded & unneeded


def test_an_email_loads_its_parser(tmp_path: Path, samples_dir: Path):
    """This test ensures that the readers a folder needs are still found and loaded.

    dkimpy (and dnspython with it) loads only for a message with a DKIM signature.
    """
    for name in ("confirmation-commande.eml", "facture-402-1234567-1234567.pdf"):
        (tmp_path / name).write_bytes((samples_dir / "damaged-parcel" / name).read_bytes())
    loaded = loaded_modules(tmp_path)
    assert {"dossier.readers.email", "dossier.readers.pdf"} <= loaded
    assert "dkim" not in loaded
    unsigned = (samples_dir / "double-charge" / "bestelbevestiging.eml").read_bytes()
    signature = (
        b"DKIM-Signature: v=1; a=rsa-sha256; c=relaxed/relaxed; d=example.be; s=sel1;\r\n"
        b" h=from:to:subject; bh=47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=; b=AAAA\r\n"
    )
    (tmp_path / "signed.eml").write_bytes(signature + unsigned)
    assert "dkim" in loaded_modules(tmp_path)


BUILD = """
import sys
from dossier.cli import main
sys.argv = ["dossier", "build", sys.argv[1], "-o", sys.argv[2]]
try:
    main()
except SystemExit as done:
    assert done.code == 0, done.code
print("modules:", " ".join(sorted(sys.modules)))
"""


def test_a_build_of_photos_loads_no_terminal_letter_or_metadata_library(
    tmp_path: Path, samples_dir: Path
):
    """This test ensures that a build of photos loads no library only other work needs.

    Output not a terminal: no rich (terminal display), no jinja2 (letters), no
    importlib.metadata (the version is written in the package), no urllib.request.
    """
    folder = tmp_path / "photos"
    folder.mkdir()
    for photo in (samples_dir / "damaged-parcel").glob("*.jpg"):
        (folder / photo.name).write_bytes(photo.read_bytes())
    out = tmp_path / "dossier.pdf"
    run = subprocess.run(
        [sys.executable, "-c", BUILD, str(folder), str(out)],
        capture_output=True,
        text=True,
        check=True,
    )
    listing = next(line for line in run.stdout.splitlines() if line.startswith("modules:"))
    loaded = set(listing.split()[1:])
    assert out.stat().st_size > 0
    assert {"dossier.pdf.compose", "reportlab", "pypdf"} <= loaded
    unneeded = {"rich", "jinja2", "importlib.metadata", "urllib.request", "email.utils"}
    assert not loaded & unneeded


STARTUP = """
import sys
from dossier.cli import main
sys.argv = ["dossier", *sys.argv[1:]]
try:
    main()
except SystemExit as done:
    assert not done.code, done.code
print("modules:", " ".join(sorted(sys.modules)))
"""

# What the pipeline needs and a start-up does not: PDF, pictures, web, letters, dates.
HEAVY = (
    "reportlab",
    "pypdf",
    "PIL",
    "pillow_heif",
    "starlette",
    "uvicorn",
    "jinja2",
    "babel",
    "bs4",
    "dkim",
    "holidays",
    "watchdog",
    "rich",
    "dossier.api",
    "dossier.model",
)


@pytest.mark.parametrize(
    "args",
    [
        pytest.param(["--version"], id="version"),
        pytest.param(["--help"], id="help"),
        pytest.param(["build", "--help"], id="build-help"),
        pytest.param(["watch", "--help"], id="watch-help"),
        pytest.param(["preview", "--help"], id="preview-help"),
    ],
)
def test_start_up_loads_no_pipeline_library(args: list[str]):
    """This test ensures that --version and --help start without the pipeline's libraries."""
    run = subprocess.run(
        [sys.executable, "-c", STARTUP, *args], capture_output=True, text=True, check=True
    )
    listing = next(line for line in run.stdout.splitlines() if line.startswith("modules:"))
    loaded = set(listing.split()[1:])
    assert "click" in loaded
    heavy = {name for name in loaded if name.split(".")[0] in HEAVY or name in HEAVY}
    assert not heavy


def test_the_package_still_offers_its_public_names():
    """This test ensures that the names of ``dossier`` load on first use and are the real ones."""
    import dossier
    from dossier import api, errors, model

    assert dossier.build is api.build
    assert dossier.plan is api.plan
    assert dossier.BuildOptions is model.BuildOptions
    assert dossier.ExitCode is errors.ExitCode
    assert set(dossier.__all__) <= set(dir(dossier))
    with pytest.raises(AttributeError):
        _ = dossier.no_such_name


def test_the_defaults_shown_by_help_are_the_library_s():
    """This test ensures that the defaults written in the commands match the library's."""
    from dossier import watch
    from dossier.cli import preview as preview_command
    from dossier.cli import watch as watch_command
    from dossier.pdf import preview

    assert watch_command.DEFAULT_DELAY == watch.DEFAULT_DELAY
    assert preview_command.DEFAULT_DPI == preview.DEFAULT_DPI


LIST = """
import sys
from dossier.cli import main
sys.argv = ["dossier", "list", sys.argv[1]]
try:
    main()
except SystemExit as done:
    assert not done.code, done.code
print("modules:", " ".join(sorted(sys.modules)))
"""


def test_a_second_list_of_a_sample_loads_no_parser_calendar_or_drawing(
    copy_case, samples_dir: Path, own_cache: Path
):
    """This test ensures that ``dossier list`` with a warm cache loads none of the heavy parsers.

    The emails, the PDF and the photos come from the cache; the fonts'
    characters from their character maps; the letter's notices need no
    calendar of holidays. The first run, with an empty cache, loads them.
    """
    folder = copy_case(samples_dir / "damaged-parcel")
    heavy = ("pypdf", "bs4", "holidays", "reportlab.pdfbase", "reportlab.platypus")

    def loaded() -> set[str]:
        run = subprocess.run(
            [sys.executable, "-c", LIST, str(folder)], capture_output=True, text=True, check=True
        )
        assert "confirmation-commande.eml" in run.stdout
        listing = next(line for line in run.stdout.splitlines() if line.startswith("modules:"))
        return {name for name in listing.split()[1:] if name.startswith(heavy)}

    assert {"pypdf", "bs4"} <= loaded()
    assert loaded() == set()

"""A build of an unchanged folder writes nothing: the dossier beside is up to date.

Every change a build depends on (an input's bytes or time, a file added or
removed, the case file, an option, dossier's code, the output touched)
builds again; ``--no-cache`` always builds.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import os
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from PIL import Image, ImageDraw

from dossier import api, cache, model, uptodate
from dossier.cli import main
from dossier.model import BuildOptions, Exhibit, Plan, Timestamp, TimestampSource
from tests.conftest import read_pdf
from tests.conftest_images import NOW, camera_exif, save_jpeg

CASE = """language = "nl"

[exhibits."notitie.txt"]
caption = "Telefoongesprek met de klantendienst"
"""


@pytest.fixture(autouse=True)
def settled(monkeypatch: pytest.MonkeyPatch) -> None:
    """Files written by the test count as settled at once (no two-second wait)."""
    monkeypatch.setattr(model, "_RACY_NS", 0)


@pytest.fixture
def folder(tmp_path: Path, samples_dir: Path) -> Path:
    """Two photos of their own, an email and a note."""
    case = tmp_path / "case"
    case.mkdir()
    for k, (size, colour) in enumerate([((320, 240), "teal"), ((200, 300), "salmon")]):
        picture = Image.new("RGB", size, colour)
        ImageDraw.Draw(picture).ellipse((20, 20, 120 + 30 * k, 90), fill=(20 * k, 90, 200))
        save_jpeg(picture, case / f"IMG_2026102{k}_0930{k}0.jpg", camera_exif(1 + 5 * k))
    shutil.copy(samples_dir / "double-charge" / "bestelbevestiging.eml", case)
    (case / "notitie.txt").write_text("Pakket niet ontvangen, gebeld op 3 november.\n")
    return case


def options(folder: Path, **values: Any) -> BuildOptions:
    return BuildOptions(**{"folder": folder, "now": NOW, **values})


def built_twice(folder: Path, **values: Any) -> tuple[Path, ...] | None:
    api.build(options(folder, **values))
    return api.up_to_date(options(folder, **values))


def test_an_unchanged_folder_is_up_to_date_and_nothing_is_written(folder: Path):
    """This test ensures that build again says the PDF is up to date and leaves it as it is."""
    runner = CliRunner()
    first = runner.invoke(main, ["build", str(folder), "-q"])
    assert first.exit_code == 0, first.output
    pdf = folder / "dossier.pdf"
    before = pdf.stat()
    again = runner.invoke(main, ["build", str(folder)])
    assert again.exit_code == 0, again.output
    assert again.stdout.strip() == (
        f"{pdf} is up to date: built by this version of dossier from the same files, "
        "case.toml and options; nothing was written (--no-cache builds it again)"
    )
    after = pdf.stat()
    assert (after.st_ino, after.st_mtime_ns, after.st_ctime_ns) == (
        before.st_ino,
        before.st_mtime_ns,
        before.st_ctime_ns,
    )
    assert read_pdf(pdf).page_count >= 4
    forced = runner.invoke(main, ["build", str(folder), "--no-cache"])
    assert forced.exit_code == 0, forced.output
    assert "up to date" not in forced.stdout
    assert pdf.stat().st_ctime_ns != before.st_ctime_ns
    assert pdf.read_bytes() == (folder / "dossier.pdf").read_bytes()


def test_the_up_to_date_message_is_said_in_the_user_s_language(
    folder: Path, monkeypatch: pytest.MonkeyPatch
):
    """This test ensures that the message is translated, with French punctuation."""
    runner = CliRunner()
    assert runner.invoke(main, ["build", str(folder), "-q"]).exit_code == 0
    said = {}
    for language in ("fr", "nl", "de"):
        monkeypatch.setenv("DOSSIER_LANGUAGE", language)
        result = runner.invoke(main, ["build", str(folder)])
        assert result.exit_code == 0, result.output
        said[language] = result.stdout
    assert "à jour\u00a0:" in said["fr"]
    assert "bijgewerkt" in said["nl"] or "actueel" in said["nl"]
    assert "aktuell" in said["de"]
    assert len(set(said.values())) == 3


def touch_earlier(path: Path) -> None:
    """Set the modification time a minute back (a copy keeping its original's time)."""
    status = path.stat()
    os.utime(path, ns=(status.st_atime_ns, status.st_mtime_ns - 60_000_000_000))


CHANGES: dict[str, Callable[[Path], object]] = {
    "input-bytes": lambda f: (f / "notitie.txt").write_text("Pakket beschadigd ontvangen.\n"),
    "input-time": lambda f: touch_earlier(f / "notitie.txt"),
    "file-added": lambda f: (f / "extra.txt").write_text("Tweede telefoontje, 5 november.\n"),
    "file-removed": lambda f: (f / "notitie.txt").unlink(),
    "file-renamed": lambda f: (f / "notitie.txt").rename(f / "aantekening.txt"),
    "case-file": lambda f: (f / "case.toml").write_text(CASE),
    "pdf-touched": lambda f: touch_earlier(f / "dossier.pdf"),
    "pdf-replaced-by-a-copy": lambda f: (
        shutil.copy(f / "dossier.pdf", f / "copy.pdf")
        and (f / "copy.pdf").replace(f / "dossier.pdf")
    ),
    "pdf-removed": lambda f: (f / "dossier.pdf").unlink(),
    "manifest-removed": lambda f: (f / "dossier.manifest.json").unlink(),
    "manifest-edited": lambda f: (f / "dossier.manifest.json").write_text(
        (f / "dossier.manifest.json").read_text() + "\n"
    ),
}


@pytest.mark.parametrize("change", [pytest.param(c, id=name) for name, c in CHANGES.items()])
def test_any_change_builds_again(folder: Path, change: Callable[[Path], object]):
    """This test ensures that each change of what a build depends on makes the next one build."""
    assert built_twice(folder) == (folder / "dossier.pdf", folder / "dossier.manifest.json")
    change(folder)
    assert api.up_to_date(options(folder)) is None
    api.build(options(folder))
    assert api.up_to_date(options(folder)) is not None


def test_another_option_or_output_builds_again(folder: Path, tmp_path: Path):
    """This test ensures that the options and the output path are part of what is compared."""
    assert built_twice(folder) is not None
    assert api.up_to_date(options(folder, duplex=True)) is None
    assert api.up_to_date(options(folder, photos_per_page=2)) is None
    assert api.up_to_date(options(folder, now=NOW + dt.timedelta(days=1))) is None
    assert api.up_to_date(options(folder, output=tmp_path / "elsewhere.pdf")) is None
    assert api.up_to_date(options(folder, cache=False)) is None
    assert api.up_to_date(options(folder)) is not None


def test_a_fixed_build_date_builds_again(folder: Path, monkeypatch: pytest.MonkeyPatch):
    """This test ensures that SOURCE_DATE_EPOCH, which sets the PDF's dates, is compared too."""
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    assert built_twice(folder) is not None
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    assert api.up_to_date(options(folder)) is None
    assert built_twice(folder) is not None


def test_a_split_dossier_is_up_to_date_by_its_volumes(folder: Path, tmp_path: Path):
    """This test ensures that volumes are recorded and checked one by one."""
    for k in range(3):
        picture = Image.effect_noise((700, 500), 60 + 20 * k).convert("RGB")
        save_jpeg(picture, folder / f"PXL_2026110{k}_120000000.jpg", camera_exif())
    values = {"output": tmp_path / "out" / "claim.pdf", "max_size": 400_000, "split": True}
    (tmp_path / "out").mkdir()
    fresh = built_twice(folder, **values)
    assert fresh is not None and len(fresh) >= 3
    assert fresh[0].name == "claim-1.pdf" and fresh[-1].name == "claim.manifest.json"
    touch_earlier(fresh[1])
    assert api.up_to_date(options(folder, **values)) is None


def test_other_code_builds_again(folder: Path, monkeypatch: pytest.MonkeyPatch):
    """This test ensures that another version of dossier's code never takes the PDF as current."""
    assert built_twice(folder) is not None
    monkeypatch.setattr(uptodate, "code_fingerprint", lambda: "another version")
    assert api.up_to_date(options(folder)) is None


def test_a_file_written_during_the_build_is_not_recorded(
    folder: Path, monkeypatch: pytest.MonkeyPatch
):
    """This test ensures that a build that may have read another state of a file records nothing.

    The note is written after its hash was taken for the record and before
    the build reads it, then put back as it was, time included: the PDF
    shows the other text, so it must not be taken as up to date.
    """
    note = folder / "notitie.txt"
    before = note.stat()
    real_take = api.take_inputs

    def take_then_write(*args: Any, **kwargs: Any) -> uptodate.Inputs | None:
        taken = real_take(*args, **kwargs)
        note.write_text("Gewijzigd tijdens het bouwen.\n")
        return taken

    monkeypatch.setattr(api, "take_inputs", take_then_write)
    result = api.build(options(folder))
    monkeypatch.setattr(api, "take_inputs", real_take)
    assert "Gewijzigd" in "".join(read_pdf(result.output).texts)
    note.write_text("Pakket niet ontvangen, gebeld op 3 november.\n")
    os.utime(note, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert api.up_to_date(options(folder)) is None
    api.build(options(folder))
    assert api.up_to_date(options(folder)) is not None


def test_a_date_refused_as_in_the_future_limits_how_long_the_pdf_is_current(folder: Path):
    """This test ensures that the record ends when a refused future date would be accepted."""
    plan = api.plan(options(folder))
    future = NOW + dt.timedelta(days=5)
    photo = plan.exhibits[0]
    assert isinstance(photo, Exhibit)
    # Written before NOW, as the tests' clock has it (the file's time is weighed too).
    earlier = (NOW - dt.timedelta(hours=1)).timestamp()
    photo = dataclasses.replace(photo, source=dataclasses.replace(photo.source, mtime=earlier))
    plan = dataclasses.replace(plan, exhibits=(photo,))
    dated = photo.__class__(
        source=photo.source,
        kind=photo.kind,
        content=photo.content,
        found_timestamps=(Timestamp(future, TimestampSource.EXIF),),
    )
    changed = Plan(case=plan.case, exhibits=(dated,), rejections=())
    midnight = NOW + dt.timedelta(days=10)
    accepted_from = future - dt.timedelta(days=1)
    assert uptodate._valid_until(changed, NOW, midnight) == accepted_from
    assert uptodate._valid_until(changed, NOW, NOW) == NOW
    # Already accepted (less than a day ahead): no limit but the day's end.
    assert uptodate._valid_until(changed, accepted_from, midnight) == midnight
    assert uptodate._valid_until(plan, NOW, midnight) == midnight
    # A date in the file's name weighs the same (a screenshot named a day ahead).
    named = dataclasses.replace(
        photo,
        source=dataclasses.replace(photo.source, relpath=f"Screenshot_{future:%Y%m%d-%H%M%S}.png"),
    )
    by_name = Plan(case=plan.case, exhibits=(named,), rejections=())
    expected = future.replace(tzinfo=plan.case.zone) - dt.timedelta(days=1)
    assert uptodate._valid_until(by_name, NOW, midnight) == expected.astimezone(dt.UTC)


def test_an_expired_or_damaged_record_builds_again(folder: Path, own_cache: Path):
    """This test ensures that a record past its time, or unreadable, is not trusted."""
    assert built_twice(folder) is not None
    records = list((own_cache / "built").rglob("*.json"))
    assert len(records) == 1
    data = records[0].read_text()
    entry = json.loads(data)
    entry["value"]["until"] = "2020-01-01T00:00:00+00:00"
    records[0].write_text(json.dumps(entry))
    assert api.up_to_date(options(folder)) is None
    records[0].write_text(data[: len(data) // 2])
    assert api.up_to_date(options(folder)) is None
    records[0].write_text(data)
    assert api.up_to_date(options(folder)) is not None
    assert cache.Cache(own_cache).lookup("built", "0" * 64, "", dict) is None

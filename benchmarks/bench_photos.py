"""Wall time and peak memory of dossier on camera photos, against img2pdf and Pillow.

Without ``--tools``: each speed goal measured in one interleaved run and
printed as a ratio (``measure_goals``): first builds with and without EXIF
thumbnails against img2pdf + fsync (wall, CPU, peak memory), an unchanged
rebuild without the writing of the PDF against the first build (the PDF up
to date, and the PDF removed so that it is built again from the cache), a second
``build --ocr`` of samples/double-charge (Tesseract runs counted), the
analyses done after one photo is added, and the start-up times.

With ``--tools`` (or ``--heic``), the comparison of tools below.

Makes COUNT camera-sized JPEGs (4000 x 3000, about 12 megapixels, with EXIF:
date, camera, serial number, GPS and a thumbnail, as a phone writes them) in a
temporary folder, then turns them into one PDF three ways, each in its own
process:

* ``dossier build`` (JPEGs passed through without their metadata, plus index,
  stamps, footers, bookmarks and links);
* img2pdf, the lossless image-to-PDF reference (JPEGs passed through as they are);
* Pillow's multi-page PDF save (every photo decoded and re-encoded).

Each tool runs ``--repeat`` times (3 by default), interleaved, each run
after an ``os.sync()`` and into a new file. It prints the median wall time
(and the spread) and the highest peak resident memory of each, and the
ratios to img2pdf. dossier is also run on a quarter of the photos, to show that
its memory does not grow with the number of photos.

dossier makes its PDF durable (fsync) before it replaces the previous one;
img2pdf does not, so the "img2pdf + fsync" row is the like-for-like one. With
``--output-folder /dev/shm`` (a tmpfs) fsync costs nothing and the comparison
is of the work alone, without the disk.

Usage (img2pdf and piexif come with the ``bench`` extra)::

    pip install -e '.[bench]'
    python benchmarks/bench_photos.py [--count 100] [--repeat 3]    # the goals
    python benchmarks/bench_photos.py --tools [--count 100] [--no-thumbnails] [--heic]
        [--repeat 3] [--output-folder /dev/shm]
"""

from __future__ import annotations

import argparse
import collections
import compileall
import contextlib
import dataclasses
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SIZE = (4000, 3000)


def make_photos(
    folder: Path, count: int, thumbnails: bool = True, heic: bool = False, start: int = 0
) -> int:
    """COUNT JPEGs that compress like photos (smooth areas and sensor noise); returns bytes.

    Their EXIF is a phone's: make, model, orientation, date, serial number,
    GPS position and, unless ``thumbnails`` is false, a 320 x 240 thumbnail
    (phones and cameras store one; some editors drop it). With ``heic``, HEIC
    files as an iPhone writes them, the thumbnail as an item of the file.
    """
    import io

    import piexif
    import pillow_heif
    from PIL import Image, ImageDraw

    pillow_heif.register_heif_opener()

    red = Image.linear_gradient("L").resize(SIZE)
    green = Image.effect_noise(SIZE, 24)
    blue = Image.radial_gradient("L").resize(SIZE)
    base = Image.merge("RGB", (red, green, blue))
    total = 0
    for k in range(start, start + count):
        photo = base.copy()
        draw = ImageDraw.Draw(photo)
        draw.rectangle((200 + 30 * k, 300, 1400 + 30 * k, 1500), fill=(200, 150, 90))
        draw.text((400, 600), f"photo {k + 1}", fill=(0, 0, 0), font_size=200)
        taken = f"2026:10:30 {10 + k // 60:02d}:{k % 60:02d}:00".encode()
        exif: dict[str, object] = {
            "0th": {
                piexif.ImageIFD.Make: b"Fictive",
                piexif.ImageIFD.Model: b"Phone 12",
                piexif.ImageIFD.Orientation: 1 + (k % 2) * 5,
            },
            "Exif": {
                piexif.ExifIFD.DateTimeOriginal: taken,
                piexif.ExifIFD.BodySerialNumber: b"SN-4815162342",
            },
            "GPS": {
                piexif.GPSIFD.GPSLatitudeRef: b"N",
                piexif.GPSIFD.GPSLatitude: ((50, 1), (50, 1), (30, 1)),
                piexif.GPSIFD.GPSLongitudeRef: b"E",
                piexif.GPSIFD.GPSLongitude: ((4, 1), (21, 1), (7, 1)),
            },
        }
        if heic:
            path = folder / f"IMG_20261030_{10 + k // 60:02d}{k % 60:02d}00.heic"
            sizes = [320] if thumbnails else []
            photo.save(path, "HEIF", quality=80, exif=piexif.dump(exif), thumbnails=sizes)
            total += path.stat().st_size
            continue
        if thumbnails:
            small = io.BytesIO()
            photo.resize((320, 240), Image.Resampling.BOX).save(small, "JPEG", quality=75)
            exif["1st"] = {piexif.ImageIFD.Compression: 6}
            exif["thumbnail"] = small.getvalue()
        path = folder / f"IMG_20261030_{10 + k // 60:02d}{k % 60:02d}00.jpg"
        photo.save(path, "JPEG", quality=90, exif=piexif.dump(exif))
        total += path.stat().st_size
    return total


def measure(command: list[str]) -> tuple[float, float]:
    """Run ``command``; its wall time in seconds and peak RSS in MB (the child alone)."""
    start = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL)
    _, status, usage = os.wait4(process.pid, 0)
    elapsed = time.perf_counter() - start
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode != 0:
        raise SystemExit(f"failed ({process.returncode}): {' '.join(command)}")
    # ru_maxrss is in kilobytes on Linux.
    return elapsed, usage.ru_maxrss / 1024


IMG2PDF = """
import sys, img2pdf
from pathlib import Path
photos = sorted(str(p) for p in Path(sys.argv[1]).glob("IMG_*"))
Path(sys.argv[2]).write_bytes(img2pdf.convert(photos, rotation=img2pdf.Rotation.ifvalid))
"""

# img2pdf with its output made durable, as dossier makes its own (fsync
# before the new PDF replaces the old one): the like-for-like comparison.
IMG2PDF_FSYNC = """
import os, sys, img2pdf
from pathlib import Path
photos = sorted(str(p) for p in Path(sys.argv[1]).glob("IMG_*"))
with open(sys.argv[2], "wb") as out:
    out.write(img2pdf.convert(photos, rotation=img2pdf.Rotation.ifvalid))
    out.flush()
    os.fsync(out.fileno())
"""

PILLOW = """
import sys
from pathlib import Path
import pillow_heif
from PIL import Image
pillow_heif.register_heif_opener()
photos = [Image.open(p) for p in sorted(Path(sys.argv[1]).glob("IMG_*"))]
photos[0].save(sys.argv[2], save_all=True, append_images=photos[1:], resolution=200)
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--tools",
        action="store_true",
        help="the comparison of tools alone (dossier, img2pdf, Pillow) on one set of photos, "
        "instead of the goals",
    )
    parser.add_argument("--count", type=int, default=100, help="number of photos (default 100)")
    parser.add_argument(
        "--no-thumbnails",
        action="store_true",
        help="photos without an EXIF thumbnail: the near-duplicate check decodes each photo",
    )
    parser.add_argument(
        "--heic",
        action="store_true",
        help="HEIC photos, as iPhones take them; img2pdf cannot read them: Pillow is the reference",
    )
    parser.add_argument(
        "--repeat", type=int, default=3, help="runs of each tool, interleaved (default 3)"
    )
    parser.add_argument(
        "--output-folder",
        type=Path,
        help="where the PDFs are written (default: beside the photos); a tmpfs such as "
        "/dev/shm takes the disk out of the comparison: fsync costs nothing there",
    )
    parser.add_argument("--make", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--start", type=int, default=0, help=argparse.SUPPRESS)
    arguments = parser.parse_args()
    if arguments.make:
        # In a child process: memory a process had is counted in the peak of
        # every process it starts, so the measuring process stays small.
        print(
            make_photos(
                arguments.make,
                arguments.count,
                not arguments.no_thumbnails,
                arguments.heic,
                arguments.start,
            )
        )
        return
    environment = {**os.environ, "PYTHONPATH": str(ROOT)}
    os.environ.update(environment)
    # dossier runs from this source tree: compile it as `pip install` would,
    # or every run would compile it again where PYTHONDONTWRITEBYTECODE is set.
    compileall.compile_dir(ROOT / "dossier", quiet=1)
    if arguments.tools or arguments.heic:
        compare_tools(arguments)
    else:
        measure_goals(arguments.count, arguments.repeat, arguments.output_folder)


def compare_tools(arguments: argparse.Namespace) -> None:
    """dossier, img2pdf (with and without fsync) and Pillow on one set of photos."""
    python = sys.executable
    with contextlib.ExitStack() as stack:
        scratch = stack.enter_context(tempfile.TemporaryDirectory(prefix="bench-photos-"))
        work = Path(scratch)
        photos, quarter = work / "photos", work / "quarter"
        out = Path(stack.enter_context(tempfile.TemporaryDirectory(dir=arguments.output_folder)))
        for folder in (photos, quarter):
            folder.mkdir()
        started = time.perf_counter()
        made = subprocess.run(
            [
                python,
                __file__,
                "--count",
                str(arguments.count),
                *(["--no-thumbnails"] if arguments.no_thumbnails else []),
                *(["--heic"] if arguments.heic else []),
                "--make",
                str(photos),
            ],
            check=True,
            capture_output=True,
            text=True,
        )
        size = int(made.stdout)
        for path in sorted(photos.glob("IMG_*"))[: max(1, arguments.count // 4)]:
            os.link(path, quarter / path.name)
        print(
            f"{arguments.count} {'HEIC' if arguments.heic else 'JPEG'} photos of "
            f"{SIZE[0]}x{SIZE[1]} px, {size / 1e6:.0f} MB, "
            f"{'without' if arguments.no_thumbnails else 'with'} thumbnails, "
            f"made in {time.perf_counter() - started:.0f} s; PDFs written in {out.parent}"
        )
        quarter_label = f"dossier ({len(list(quarter.iterdir()))} photos)"
        outputs = {
            name: out / f"{name.split()[0]}-{index}.pdf"
            for index, name in enumerate(
                ("dossier", "img2pdf", "img2pdf + fsync", "pillow", quarter_label)
            )
        }
        dossier = [python, "-m", "dossier", "build"]
        runs = {
            "dossier": [*dossier, str(photos), "-o", str(outputs["dossier"])],
            "img2pdf": [python, "-c", IMG2PDF, str(photos), str(outputs["img2pdf"])],
            "img2pdf + fsync": [
                python,
                "-c",
                IMG2PDF_FSYNC,
                str(photos),
                str(outputs["img2pdf + fsync"]),
            ],  # fmt: skip
            "pillow": [python, "-c", PILLOW, str(photos), str(outputs["pillow"])],
            quarter_label: [*dossier, str(quarter), "-o", str(outputs[quarter_label])],
        }
        reference = "pillow" if arguments.heic else "img2pdf"
        if arguments.heic:
            for name in ("img2pdf", "img2pdf + fsync"):
                del runs[name], outputs[name]
        measured: dict[str, list[tuple[float, float]]] = {name: [] for name in runs}
        # Interleaved, so that a slower minute of the machine hits every tool.
        for _ in range(arguments.repeat):
            for name, command in runs.items():
                outputs[name].unlink(missing_ok=True)
                os.sync()  # the previous run's writes must not land on this one's time
                measured[name].append(measure(command))
        reference_time = statistics.median(t for t, _ in measured[reference])
        reference_memory = max(m for _, m in measured[reference])
        print(
            f"{'run':<24}{'wall s':>8}{'(min-max)':>13}{'peak MB':>9}"
            f"{'time/' + reference:>14}{'mem/' + reference:>13}"
        )
        for name, results in measured.items():
            elapsed = statistics.median(t for t, _ in results)
            spread = f"({min(t for t, _ in results):.1f}-{max(t for t, _ in results):.1f})"
            memory = max(m for _, m in results)
            print(
                f"{name:<24}{elapsed:>8.1f}{spread:>13}{memory:>9.0f}"
                f"{elapsed / reference_time:>14.2f}{memory / reference_memory:>13.2f}"
            )
        print(f"wall time: median of {arguments.repeat} runs; peak memory: the highest")
        print(
            "output MB: "
            + ", ".join(f"{name} {path.stat().st_size / 1e6:.0f}" for name, path in outputs.items())
        )


# A dossier build in a child process that also reports how long it spent
# writing the PDF's bytes (serialising them, the write calls, the fsync and
# rename of the publication): a rebuild's goal leaves that out.
TIMED_BUILD = """
import json, sys, time
from dossier.pdf import assemble
spent = [0.0]
def timed(function):
    def wrapper(*args, **kwargs):
        start = time.perf_counter()
        try:
            return function(*args, **kwargs)
        finally:
            spent[0] += time.perf_counter() - start
    return wrapper
assemble._write_to = timed(assemble._write_to)
assemble.Publication.commit = timed(assemble.Publication.commit)
from dossier.cli import main
report = sys.argv[1]
sys.argv = ["dossier", *sys.argv[2:]]
code = 0
try:
    main()
except SystemExit as done:
    code = done.code or 0
with open(report, "w") as out:
    json.dump({"writing": spent[0]}, out)
sys.exit(code)
"""

# Stands for tesseract on PATH: counts each run, then runs the real one.
COUNTING_TESSERACT = """#!/bin/sh
echo run >> "{log}"
exec "{real}" "$@"
"""


@dataclasses.dataclass
class Run:
    """One process: wall and CPU seconds, peak memory, and the time spent writing the PDF."""

    wall: float
    cpu: float
    memory: float
    writing: float = 0.0


def run_process(command: list[str], env: dict[str, str] | None = None) -> Run:
    """Run ``command`` to its end; its wall time, CPU time (user + system) and peak RSS in MB."""
    start = time.perf_counter()
    process = subprocess.Popen(
        command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env
    )
    _, status, usage = os.wait4(process.pid, 0)
    elapsed = time.perf_counter() - start
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"failed ({os.waitstatus_to_exitcode(status)}): {' '.join(command)}")
    return Run(elapsed, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024)


def timed_build(arguments: list[str], cache: Path, report: Path) -> Run:
    """``dossier ARGUMENTS`` with its cache in ``cache``, the writing time included."""
    env = {**os.environ, "DOSSIER_CACHE_DIR": str(cache)}
    run = run_process([sys.executable, "-c", TIMED_BUILD, str(report), *arguments], env)
    run.writing = json.loads(report.read_text())["writing"]
    return run


def manifest_of(pdf: Path) -> Path:
    """The manifest a build writes beside ``pdf``."""
    return pdf.with_name(f"{pdf.stem}.manifest.json")


def median(runs: list[Run], field: str) -> float:
    return statistics.median(getattr(run, field) for run in runs)


def cache_entries(cache: Path) -> collections.Counter[str]:
    """The cache's entries by kind of analysis (its first-level folders)."""
    return collections.Counter(
        path.relative_to(cache).parts[0] for path in cache.rglob("*.json") if path.is_file()
    )


def measure_goals(count: int, repeat: int, output_folder: Path | None) -> None:
    """Measure each goal of the issue in one interleaved run and print it as a ratio."""
    python = sys.executable
    with contextlib.ExitStack() as stack:
        work = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="bench-goals-")))
        out = Path(stack.enter_context(tempfile.TemporaryDirectory(dir=output_folder)))
        sets = {"with thumbnails": work / "thumbs", "without thumbnails": work / "plain"}
        quarters = {}
        started = time.perf_counter()
        for name, folder in sets.items():
            folder.mkdir()
            make = [python, __file__, "--count", str(count), "--make", str(folder)]
            if name == "without thumbnails":
                make.insert(2, "--no-thumbnails")
            subprocess.run(make, check=True, capture_output=True)
            quarters[name] = work / f"quarter-{folder.name}"
            quarters[name].mkdir()
            for path in sorted(folder.glob("IMG_*"))[: max(1, count // 4)]:
                os.link(path, quarters[name] / path.name)
        print(
            f"{count} JPEG photos of {SIZE[0]}x{SIZE[1]} px per set, with and without EXIF "
            f"thumbnails, made in {time.perf_counter() - started:.0f} s; "
            f"{repeat} interleaved runs of each; PDFs written in {out.parent}"
        )
        runs: dict[str, list[Run]] = collections.defaultdict(list)
        for turn in range(repeat):
            for name, folder in sets.items():
                reference = out / f"img2pdf-{turn}.pdf"
                os.sync()
                runs[f"img2pdf + fsync, {name}"].append(
                    run_process([python, "-c", IMG2PDF_FSYNC, str(folder), str(reference)])
                )
                reference.unlink()
                cache = work / f"cache-{folder.name}-{turn}"
                # The same output each time: the second build finds it up to date;
                # the third, the PDF removed, builds it again from the cache.
                pdf = out / f"dossier-{turn}.pdf"
                for kind in ("first build", "rebuild", "rebuild, PDF removed"):
                    if kind == "rebuild, PDF removed":
                        pdf.unlink()
                        manifest_of(pdf).unlink()
                    os.sync()
                    runs[f"dossier {kind}, {name}"].append(
                        timed_build(
                            ["build", str(folder), "-q", "-o", str(pdf)], cache, work / "report"
                        )
                    )
                pdf.unlink()
                manifest_of(pdf).unlink()
                os.sync()
                pdf = out / f"quarter-{turn}.pdf"
                runs[f"dossier first build, {count // 4} photos, {name}"].append(
                    timed_build(
                        ["build", str(quarters[name]), "-q", "-o", str(pdf)],
                        work / f"cache-quarter-{folder.name}-{turn}",
                        work / "report",
                    )
                )
                pdf.unlink()
        print(f"\n{'run':<52}{'wall s':>8}{'CPU s':>8}{'peak MB':>9}{'writing s':>11}")
        for name, results in runs.items():
            print(
                f"{name:<52}{median(results, 'wall'):>8.2f}{median(results, 'cpu'):>8.2f}"
                f"{max(r.memory for r in results):>9.0f}{median(results, 'writing'):>11.2f}"
            )
        print("(medians; peak memory: the highest of the runs)")

        print("\nGoal 1, first build against img2pdf + fsync of its output (same run):")
        for name in sets:
            reference = runs[f"img2pdf + fsync, {name}"]
            first = runs[f"dossier first build, {name}"]
            quarter = runs[f"dossier first build, {count // 4} photos, {name}"]
            limit = "1.2" if name == "with thumbnails" else "2"
            print(
                f"  {name}: wall {median(first, 'wall') / median(reference, 'wall'):.2f} x "
                f"(goal <= {limit}), CPU {median(first, 'cpu') / median(reference, 'cpu'):.2f} x"
                f"{' (goal <= 2)' if name == 'with thumbnails' else ''}, peak memory "
                f"{max(r.memory for r in first):.0f} MB = "
                f"{max(r.memory for r in first) / max(r.memory for r in reference):.2f} x "
                f"(goal < 100 MB), {max(r.memory for r in quarter):.0f} MB "
                f"with {count // 4} photos (flat)"
            )

        print("\nGoal 2, rebuild of an unchanged folder, PDF writing left out (goal <= 0.3):")
        for name in sets:
            first = runs[f"dossier first build, {name}"]
            work_first = statistics.median(r.wall - r.writing for r in first)
            for kind, what in (
                ("rebuild", "the PDF up to date"),
                ("rebuild, PDF removed", "the PDF removed, built again from the cache"),
            ):
                again = runs[f"dossier {kind}, {name}"]
                work_again = statistics.median(r.wall - r.writing for r in again)
                print(
                    f"  {name}, {what}: {work_again:.2f} s against {work_first:.2f} s = "
                    f"{work_again / work_first:.2f} x (with the writing: "
                    f"{median(again, 'wall') / median(first, 'wall'):.2f} x)"
                )
        measure_ocr_rebuild(work)

        print("\nGoal 3, rebuild after adding one photo to", count, "(without thumbnails):")
        folder, cache = sets["without thumbnails"], work / "cache-added"
        timed_build(["build", str(folder), "-q", "-o", str(out / "a.pdf")], cache, work / "r")
        before = cache_entries(cache)
        extra = work / "extra"
        extra.mkdir()
        make = [python, __file__, "--count", "1", "--no-thumbnails", "--make", str(extra)]
        subprocess.run([*make, "--start", str(count)], check=True, capture_output=True)
        for added in extra.glob("IMG_*"):
            added.rename(folder / added.name)
        again = timed_build(
            ["build", str(folder), "-q", "-o", str(out / "b.pdf")], cache, work / "r"
        )
        new = cache_entries(cache) - before
        analysed = ", ".join(f"{kind} {number}" for kind, number in sorted(new.items()))
        print(
            f"  analyses done in the rebuild (new cache entries): {analysed}; "
            f"{again.wall - again.writing:.2f} s without the writing, {again.wall:.2f} s in all"
        )
        measure_start_up(repeat)


def measure_ocr_rebuild(work: Path) -> None:
    """Goal 2 with --ocr: a second build of samples/double-charge runs Tesseract how often."""
    import shutil

    real = shutil.which("tesseract")
    if real is None:
        print("  --ocr: skipped, Tesseract is not installed")
        return
    tools, log = work / "tools", work / "tesseract.log"
    tools.mkdir()
    wrapper = tools / "tesseract"
    wrapper.write_text(COUNTING_TESSERACT.format(log=log, real=real))
    wrapper.chmod(0o755)
    case = work / "double-charge"
    shutil.copytree(ROOT / "samples" / "double-charge", case)
    cache = work / "cache-ocr"
    path = {"PATH": f"{tools}{os.pathsep}{os.environ.get('PATH', '')}"}
    os.environ.update(path)
    walls = []
    for turn in ("first", "second"):
        log.unlink(missing_ok=True)
        run = timed_build(
            ["build", str(case), "--ocr", "-q", "-o", str(work / f"ocr-{turn}.pdf")],
            cache,
            work / "report",
        )
        runs = len(log.read_text().splitlines()) if log.exists() else 0
        walls.append(run.wall)
        print(
            f"  build --ocr of samples/double-charge, {turn}: {run.wall:.2f} s, "
            f"{runs} Tesseract runs"
        )
    same = (work / "ocr-first.pdf").read_bytes() == (work / "ocr-second.pdf").read_bytes()
    print(f"  second / first: {walls[1] / walls[0]:.2f} x; the same PDF bytes: {same}")


def measure_start_up(repeat: int) -> None:
    """Goal 4: the median wall time of --version, --help and list of a sample."""
    python = sys.executable
    commands = {
        "dossier --version": ["--version"],
        "dossier --help": ["--help"],
        "dossier list samples/damaged-parcel": ["list", str(ROOT / "samples" / "damaged-parcel")],
    }
    limits = {"dossier --version": 0.15, "dossier --help": 0.15}
    times: dict[str, list[float]] = collections.defaultdict(list)
    with tempfile.TemporaryDirectory(prefix="bench-cache-") as cache:
        # list reads the sample's files with the cache a user has after one run.
        env = {**os.environ, "DOSSIER_CACHE_DIR": cache}
        listing = commands["dossier list samples/damaged-parcel"]
        run_process([python, "-m", "dossier", *listing], env)
        for _ in range(max(5, repeat)):
            for name, arguments in commands.items():
                times[name].append(run_process([python, "-m", "dossier", *arguments], env).wall)
    print("\nGoal 4, start-up (median of", max(5, repeat), "interleaved runs):")
    for name, found in times.items():
        limit = limits.get(name, 0.4)
        taken = statistics.median(found)
        print(
            f"  {name}: {taken * 1000:.0f} ms = {taken / limit:.2f} x "
            f"the goal of {limit * 1000:.0f} ms"
        )


if __name__ == "__main__":
    main()

"""Wall time and peak memory of dossier on camera photos, against img2pdf and Pillow.

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
    python benchmarks/bench_photos.py [--count 100] [--no-thumbnails] [--heic]
        [--repeat 3] [--output-folder /dev/shm]
"""

from __future__ import annotations

import argparse
import compileall
import contextlib
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SIZE = (4000, 3000)


def make_photos(folder: Path, count: int, thumbnails: bool = True, heic: bool = False) -> int:
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
    for k in range(count):
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
    arguments = parser.parse_args()
    if arguments.make:
        # In a child process: memory a process had is counted in the peak of
        # every process it starts, so the measuring process stays small.
        print(
            make_photos(
                arguments.make, arguments.count, not arguments.no_thumbnails, arguments.heic
            )
        )
        return
    python = sys.executable
    environment = {**os.environ, "PYTHONPATH": str(ROOT)}
    os.environ.update(environment)
    # dossier runs from this source tree: compile it as `pip install` would,
    # or every run would compile it again where PYTHONDONTWRITEBYTECODE is set.
    compileall.compile_dir(ROOT / "dossier", quiet=1)
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


if __name__ == "__main__":
    main()

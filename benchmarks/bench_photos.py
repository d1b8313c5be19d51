"""Wall time and peak memory of dossier on camera photos, against img2pdf and Pillow.

Makes COUNT camera-sized JPEGs (4000 x 3000, about 12 megapixels, with EXIF:
date, camera, serial number, GPS) in a temporary folder, then turns them into
one PDF three ways, each in its own process:

* ``dossier build`` (JPEGs passed through without their metadata, plus index,
  stamps, footers, bookmarks and links);
* img2pdf, the lossless image-to-PDF reference (JPEGs passed through as they are);
* Pillow's multi-page PDF save (every photo decoded and re-encoded).

It prints the wall time and the peak resident memory of each process, and the
ratios to img2pdf. dossier is also run on a quarter of the photos, to show that
its memory does not grow with the number of photos.

Usage (img2pdf comes with the ``bench`` extra)::

    pip install -e '.[bench]'
    python benchmarks/bench_photos.py [--count 100]
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SIZE = (4000, 3000)


def make_photos(folder: Path, count: int) -> int:
    """COUNT JPEGs that compress like photos (smooth areas and sensor noise); returns bytes."""
    from PIL import Image, ImageDraw

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
        exif = Image.Exif()
        exif[0x010F], exif[0x0110], exif[0x0112] = "Fictive", "Phone 12", 1 + (k % 2) * 5
        sub = exif.get_ifd(0x8769)
        sub[0x9003] = f"2026:10:30 {10 + k // 60:02d}:{k % 60:02d}:00"
        sub[0xA431] = "SN-4815162342"
        gps = exif.get_ifd(0x8825)
        gps[1], gps[2], gps[3], gps[4] = "N", (50.0, 50.0, 30.0), "E", (4.0, 21.0, 7.0)
        path = folder / f"IMG_20261030_{10 + k // 60:02d}{k % 60:02d}00.jpg"
        photo.save(path, "JPEG", quality=90, exif=exif)
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
photos = sorted(str(p) for p in Path(sys.argv[1]).glob("*.jpg"))
Path(sys.argv[2]).write_bytes(img2pdf.convert(photos, rotation=img2pdf.Rotation.ifvalid))
"""

PILLOW = """
import sys
from pathlib import Path
from PIL import Image
photos = [Image.open(p) for p in sorted(Path(sys.argv[1]).glob("*.jpg"))]
photos[0].save(sys.argv[2], save_all=True, append_images=photos[1:], resolution=200)
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--count", type=int, default=100, help="number of photos (default 100)")
    parser.add_argument("--make", type=Path, help=argparse.SUPPRESS)
    arguments = parser.parse_args()
    if arguments.make:
        # In a child process: memory a process had is counted in the peak of
        # every process it starts, so the measuring process stays small.
        print(make_photos(arguments.make, arguments.count))
        return
    python = sys.executable
    environment = {**os.environ, "PYTHONPATH": str(ROOT)}
    os.environ.update(environment)
    with tempfile.TemporaryDirectory(prefix="bench-photos-") as scratch:
        work = Path(scratch)
        photos, quarter, out = work / "photos", work / "quarter", work / "out"
        for folder in (photos, quarter, out):
            folder.mkdir()
        started = time.perf_counter()
        made = subprocess.run(
            [python, __file__, "--count", str(arguments.count), "--make", str(photos)],
            check=True,
            capture_output=True,
            text=True,
        )
        size = int(made.stdout)
        for path in sorted(photos.glob("*.jpg"))[: max(1, arguments.count // 4)]:
            os.link(path, quarter / path.name)
        print(
            f"{arguments.count} photos of {SIZE[0]}x{SIZE[1]} px, {size / 1e6:.0f} MB, "
            f"made in {time.perf_counter() - started:.0f} s"
        )
        runs = {
            "dossier": [python, "-m", "dossier", "build", str(photos), "-o", str(out / "d.pdf")],
            "img2pdf": [python, "-c", IMG2PDF, str(photos), str(out / "i.pdf")],
            "pillow": [python, "-c", PILLOW, str(photos), str(out / "p.pdf")],
            f"dossier ({max(1, arguments.count // 4)} photos)": [
                python,
                "-m",
                "dossier",
                "build",
                str(quarter),
                "-o",
                str(out / "q.pdf"),
            ],  # fmt: skip
        }
        results = {}
        for name, command in runs.items():
            results[name] = measure(command)
        reference_time, reference_memory = results["img2pdf"]
        print(f"{'run':<22}{'wall s':>9}{'peak MB':>10}{'time/img2pdf':>14}{'mem/img2pdf':>13}")
        for name, (elapsed, memory) in results.items():
            print(
                f"{name:<22}{elapsed:>9.1f}{memory:>10.0f}"
                f"{elapsed / reference_time:>14.2f}{memory / reference_memory:>13.2f}"
            )
        sizes = {p.name: p.stat().st_size / 1e6 for p in sorted(out.glob("*.pdf"))}
        print("output MB: " + ", ".join(f"{name} {mb:.0f}" for name, mb in sizes.items()))


if __name__ == "__main__":
    main()

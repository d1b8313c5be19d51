"""Share of amounts read exactly by OCR on project-made bank-statement screenshots.

Draws statements with known lines in the Dutch and French layouts of
``tests/conftest_ocr.py``, reads them with ``dossier.ocr`` and
``dossier.amounts``, and counts the lines whose amount (with its sign) and
date were read exactly.

    PYTHONPATH=. python benchmarks/ocr_accuracy.py [--images 20] [--lines 8] [--shrink 0.5]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "tests"))

from conftest_ocr import random_lines, render_statement  # noqa: E402
from PIL import Image  # noqa: E402

from dossier import ocr  # noqa: E402
from dossier.amounts import read_amounts  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--images", type=int, default=20, help="statements per layout")
    parser.add_argument("--lines", type=int, default=8, help="lines per statement")
    parser.add_argument("--psm", type=int, default=None, help="Tesseract page segmentation mode")
    parser.add_argument(
        "--shrink",
        type=float,
        default=1.0,
        help="scale each screenshot by this factor and save it as JPEG quality 60 "
        "(a low-resolution, recompressed copy, as sent through a messenger)",
    )
    args = parser.parse_args()
    if args.psm is not None:
        ocr.PAGE_SEGMENTATION = args.psm
    print("layout  lines  amount exact  amount+date exact  seconds/image")
    with tempfile.TemporaryDirectory() as scratch:
        for layout, language in (("nl", "nl"), ("fr", "fr")):
            known_total = amount_hits = dated_hits = 0
            started = time.perf_counter()
            for seed in range(args.images):
                lines = random_lines(seed, args.lines)
                path = render_statement(Path(scratch) / f"{layout}-{seed}.png", lines, layout)
                if args.shrink != 1.0:
                    path = _degrade(path, args.shrink)
                read = read_amounts(ocr.read_words(path, language).lines())
                amounts = Counter(r.signed for r in read)
                dated = Counter((r.date, r.signed) for r in read)
                known_total += len(lines)
                amount_hits += sum((amounts & Counter(line.amount for line in lines)).values())
                dated_hits += sum(
                    (dated & Counter((line.day, line.amount) for line in lines)).values()
                )
            seconds = (time.perf_counter() - started) / args.images
            print(
                f"{layout:6}  {known_total:5}  {amount_hits / known_total:12.1%}  "
                f"{dated_hits / known_total:17.1%}  {seconds:13.2f}"
            )


def _degrade(path: Path, factor: float) -> Path:
    with Image.open(path) as image:
        small = image.resize((round(image.width * factor), round(image.height * factor)))
    out = path.with_suffix(".jpg")
    small.save(out, "JPEG", quality=60)
    return out


if __name__ == "__main__":
    main()

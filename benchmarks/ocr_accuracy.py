"""Share of statement rows read exactly by OCR on project-made bank-app screenshots.

Draws statements with known rows in the eight layouts of ``tests/conftest_ocr.py``
(label above or below the date, amount on the label's or the date's line or
in a right column, group-header dates, a dark theme, a card-statement page),
at each scale asked for, reads them with ``dossier.billing.ocr`` and
``dossier.billing.statement`` (rows by the words' boxes), and counts per layout the
rows whose amount (with its sign), amount and date, amount and label, and all
three were read exactly, the rows read as unsure, and the double-charge
findings: right, missed, and false.

    PYTHONPATH=. python benchmarks/ocr_accuracy.py [--images 10] [--lines 8]
        [--scales 1.0 0.6] [--layouts nl fr ...] [--reader lines]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Sequence
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "tests"))

from conftest_ocr import LAYOUTS, StatementLine, render_layout, statement_with_doubles  # noqa: E402
from PIL import Image  # noqa: E402

from dossier.billing import ocr  # noqa: E402
from dossier.billing.amounts import read_amounts  # noqa: E402
from dossier.billing.findings import find_billing_issues  # noqa: E402
from dossier.billing.ocr import text_lines  # noqa: E402
from dossier.billing.statement import read_statement  # noqa: E402
from dossier.model import Exhibit, FindingKind, ImageContent, Kind, ReadAmount, SourceFile  # noqa: E402  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--images", type=int, default=10, help="statements per layout and scale")
    parser.add_argument("--lines", type=int, default=8, help="rows per statement")
    parser.add_argument("--scales", type=float, nargs="+", default=[1.0, 0.6])
    parser.add_argument("--psm", type=int, default=None, help="Tesseract page segmentation mode")
    parser.add_argument("--layouts", nargs="+", default=list(LAYOUTS), choices=list(LAYOUTS))
    parser.add_argument(
        "--reader",
        choices=["geometry", "lines"],
        default="geometry",
        help="rows by the words' boxes (the build's), or by line order (the former reader)",
    )
    args = parser.parse_args()
    if args.psm is not None:
        ocr.PAGE_SEGMENTATION = args.psm
    print(
        "scale  layout  rows  amount  amt+date  amt+label  all three  unsure  "
        "doubles right/missed/false  s/image"
    )
    with tempfile.TemporaryDirectory() as scratch:
        for scale in args.scales:
            for layout in args.layouts:
                _run(Path(scratch), layout, scale, args)


def _run(scratch: Path, layout: str, scale: float, args: argparse.Namespace) -> None:
    counts: Counter[str] = Counter()
    started = time.perf_counter()
    for seed in range(args.images):
        lines = statement_with_doubles(seed, args.lines)
        path = render_layout(scratch / f"{layout}-{seed}.png", lines, layout)
        if scale != 1.0:
            path = _degrade(path, scale)
        words = ocr.read_words(path, LAYOUTS[layout])
        if args.reader == "geometry":
            read = read_statement(words.words, year=lines[0].day.year)
        else:
            read = read_amounts(text_lines(words))
        counts += _score(lines, read)
    seconds = (time.perf_counter() - started) / args.images
    rows = counts["rows"]
    shares = [counts[k] / rows for k in ("amount", "dated", "labelled", "all")]
    print(
        f"{scale:5.2f}  {layout:6}  {rows:4}  "
        + "  ".join(f"{share:{w}.1%}" for share, w in zip(shares, (6, 8, 9, 9), strict=True))
        + f"  {counts['unsure']:6}  {counts['right']:>10}/{counts['missed']}/{counts['false']:<13}"
        + f"  {seconds:7.2f}"
    )


def _score(lines: Sequence[StatementLine], read: Sequence[ReadAmount]) -> Counter[str]:
    def key(label: str) -> str:
        return " ".join(label.split()).casefold()

    got = {
        "amount": Counter(r.signed for r in read),
        "dated": Counter((r.signed, r.date) for r in read),
        "labelled": Counter((r.signed, key(r.label)) for r in read),
        "all": Counter((r.signed, r.date, key(r.label)) for r in read),
    }
    want = {
        "amount": Counter(line.amount for line in lines),
        "dated": Counter((line.amount, line.day) for line in lines),
        "labelled": Counter((line.amount, key(line.label)) for line in lines),
        "all": Counter((line.amount, line.day, key(line.label)) for line in lines),
    }
    score: Counter[str] = Counter(rows=len(lines), unsure=sum(r.unsure for r in read))
    for name in got:
        score[name] = sum((got[name] & want[name]).values())  # type: ignore[operator]
    found = _doubles(read)
    expected = _doubles(_as_read(lines))
    score["right"] = len(found & expected)
    score["missed"] = len(expected - found)
    score["false"] = len(found - expected)
    return score


def _as_read(lines: Sequence[StatementLine]) -> list[ReadAmount]:
    from dossier.model import Direction

    return [
        ReadAmount(
            abs(line.amount),
            Direction.DEBIT if line.amount < 0 else Direction.CREDIT,
            line.day,
            line.label,
        )
        for line in lines
    ]


def _doubles(read: Sequence[ReadAmount]) -> set[tuple[object, ...]]:
    source = SourceFile(Path("s.png"), "s.png", 0, "0" * 64, 0.0)
    exhibit = Exhibit(
        source, Kind.PNG, ImageContent(1, 1, 1, 1, None), number=1, amounts=tuple(read)
    )
    return {
        (f.amount, f.dates)
        for f in find_billing_issues([exhibit], None)
        if f.kind is FindingKind.DOUBLE_CHARGE
    }


def _degrade(path: Path, factor: float) -> Path:
    with Image.open(path) as image:
        small = image.resize((round(image.width * factor), round(image.height * factor)))
    out = path.with_suffix(".jpg")
    small.save(out, "JPEG", quality=60)
    return out


if __name__ == "__main__":
    main()

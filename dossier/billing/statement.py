"""Statement rows by geometry: which label and date go with each amount on a screenshot.

Bank apps lay their rows out in many ways: the label above or below the
date, the amount on the label's line or on the date's, dates as headers
above several rows ("Lundi 3 novembre"), amounts in a right-hand column.
Reading the lines in order and taking "the line above" gives an amount the
label of the previous row. Here the words' boxes decide instead:

* every line holding an amount anchors one row;
* the lines between two anchors belong to the upper or the lower row,
  split at the widest vertical gap between them (rows are separated by more
  space than the lines inside a row); when two gaps are about as wide, the
  split is not sure, and neither are the two rows;
* a line holding only a date, in a layout whose rows carry no date of their
  own, is a group header: it dates every row below it up to the next header;
* a row's label is the text beside the amount, else the row's first line
  (top down) with words other than dates, times, weekdays and separators.

An amount whose row is not sure is kept, marked ``unsure``: it is listed,
and no finding is built on it.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
import statistics
from collections.abc import Sequence
from decimal import Decimal
from typing import Protocol, TypeVar

from dossier.billing.amounts import (
    amount_role,
    find_amounts,
    find_dates,
    label_text,
    month_number,
)
from dossier.model import Direction, ReadAmount

_MAX_HEIGHT_RATIO = 3.0
# How much a colour channel must stand above the others for red or green.
_HUE_MARGIN = 60
# Two gaps closer than this ratio cannot tell which row a line belongs to.
_AMBIGUOUS_RATIO = 0.8
_WEEKDAYS = (
    r"lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche|lun|mar|mer|jeu|ven|sam|dim"
    r"|maandag|dinsdag|woensdag|donderdag|vrijdag|zaterdag|zondag|ma|di|wo|do|vr|za|zo"
    r"|montag|dienstag|mittwoch|donnerstag|freitag|samstag|sonntag|mo|mi|fr|sa|so"
    r"|monday|tuesday|wednesday|thursday|friday|saturday|sunday|mon|tue|wed|thu|fri|sat|sun"
    r"|aujourd'hui|hier|vandaag|gisteren|heute|gestern|today|yesterday"
)
_WEEKDAY = re.compile(rf"(?i)(?<!\w)(?:{_WEEKDAYS})\.?,?(?!\w)")
_TIME = re.compile(r"(?<!\d)\d{1,2}[:h]\d{2}(?!\d)")
# "3 novembre", "3. November", "November 3": a day without its year (a group header).
_DAY_MONTH = re.compile(r"(?<!\d)(\d{1,2})\.?\s+([^\W\d_]{3,10})\.?(?!\s*\d)")
_MONTH_DAY = re.compile(r"(?<![\w])([^\W\d_]{3,10})\.?\s+(\d{1,2})(?![\d.,])")


class WordBox(Protocol):
    """A recognised word and its box, as OCR gives it (``dossier.billing.ocr.OcrWord``)."""

    @property
    def text(self) -> str: ...  # noqa: D102

    @property
    def left(self) -> int: ...  # noqa: D102

    @property
    def top(self) -> int: ...  # noqa: D102

    @property
    def width(self) -> int: ...  # noqa: D102

    @property
    def height(self) -> int: ...  # noqa: D102


_Word = TypeVar("_Word", bound=WordBox)


@dataclasses.dataclass(frozen=True, slots=True)
class _Line:
    text: str
    top: float
    bottom: float
    amounts: tuple[tuple[Decimal, Direction, tuple[int, int]], ...]
    date: dt.date | None
    # The line's words other than amounts, dates, times and weekdays ("" if none).
    label: str
    # True when the line says nothing but a date (and maybe a weekday).
    date_only: bool


def read_statement(words: Sequence[WordBox], year: int | None = None) -> list[ReadAmount]:
    """Every amount on a screenshot, with the date and label of its row, top to bottom.

    Args:
        words: the recognised words with their boxes, in any order.
        year: the year of a date written without one ("lundi 3 novembre"),
            e.g. the year the screenshot was taken; without it such dates are not read.
    """
    if not words:
        return []
    # A "word" several times taller than the text is a logo or a coloured bar read as letters.
    typical = statistics.median(w.height for w in words)
    kept = [w for w in words if w.height <= typical * _MAX_HEIGHT_RATIO]
    records = [_line(line, year) for line in visual_lines(kept)]
    anchors = [i for i, line in enumerate(records) if line.amounts]
    if not anchors:
        return []
    headers = _group_headers(records)
    rows, unsure = _rows(records, anchors, headers)
    results = []
    for anchor, members in zip(anchors, rows, strict=True):
        results += _row_amounts(records, anchor, members, headers, anchor in unsure)
    return results


def visual_lines(words: Sequence[_Word]) -> list[list[_Word]]:
    """The words in lines as the eye groups them, top to bottom, each left to right.

    A word joins a line when at least half of its height (or of the line's)
    overlaps the line's band: an amount drawn between a row's two lines, in
    a right column, stays a line of its own rather than joining the label
    or the date, while a word whose box OCR drew too tall still joins its line.
    """
    lines: list[tuple[float, float, list[_Word]]] = []
    for word in sorted(words, key=lambda w: w.top + w.height / 2):
        top, bottom = word.top, word.top + word.height
        for index, (line_top, line_bottom, members) in enumerate(lines):
            overlap = min(bottom, line_bottom) - max(top, line_top)
            if overlap >= 0.5 * min(word.height, line_bottom - line_top):
                members.append(word)
                lines[index] = (min(top, line_top), max(bottom, line_bottom), members)
                break
        else:
            lines.append((top, bottom, [word]))
    ordered = sorted(lines, key=lambda line: line[0])
    return [sorted(members, key=lambda w: w.left) for _, _, members in ordered]


def _line(words: Sequence[WordBox], year: int | None) -> _Line:
    ordered = sorted(words, key=lambda w: w.left)
    text = " ".join(w.text for w in ordered)
    amounts = tuple(_coloured(amount, ordered) for amount in find_amounts(text))
    dates = find_dates(text)
    spans = [span for *_, span in amounts] + [span for _, span in dates]
    date = dates[0][0] if dates else None
    if date is None and year is not None:
        date, span = _yearless_date(text, year)
        spans += [span] if span else []
    spans += [m.span() for m in _TIME.finditer(text)]
    spans += [m.span() for m in _WEEKDAY.finditer(text)]
    label = label_text(text, spans)
    if sum(char.isalpha() for char in label) < 2:
        label = ""  # a stray mark OCR read beside a number
    return _Line(
        text=text,
        top=min(w.top for w in words),
        bottom=max(w.top + w.height for w in words),
        amounts=amounts,
        date=date,
        label=label,
        date_only=date is not None and not amounts and not label,
    )


def _coloured(
    amount: tuple[Decimal, Direction, tuple[int, int]], words: Sequence[WordBox]
) -> tuple[Decimal, Direction, tuple[int, int]]:
    """An amount printed without a sign, in red (a debit) or green (a credit)."""
    value, direction, span = amount
    if direction is not Direction.UNSIGNED:
        return amount
    start = 0
    inks = []
    for word in words:
        end = start + len(word.text)
        ink = getattr(word, "ink", None)
        if start < span[1] and span[0] < end and ink is not None:
            inks.append(_hue(ink))
        start = end + 1
    if inks and all(hue == inks[0] for hue in inks) and inks[0] is not None:
        return value, inks[0], span
    return amount


def _hue(ink: tuple[int, int, int]) -> Direction | None:
    red, green, blue = ink
    if red - max(green, blue) > _HUE_MARGIN:
        return Direction.DEBIT
    if green - max(red, blue) > _HUE_MARGIN / 2:
        return Direction.CREDIT
    return None


def _yearless_date(text: str, year: int) -> tuple[dt.date | None, tuple[int, int] | None]:
    for pattern, day_group, month_group in ((_DAY_MONTH, 1, 2), (_MONTH_DAY, 2, 1)):
        for match in pattern.finditer(text):
            month = month_number(match[month_group])
            if month is None:
                continue
            try:
                return dt.date(year, month, int(match[day_group])), match.span()
            except ValueError:
                continue
    return None, None


def _group_headers(records: Sequence[_Line]) -> set[int]:
    """The date-only lines that head groups of rows.

    They do when no row carries a date of its own and the first of them
    stands above the first amount (dates written under their rows date
    those rows instead).
    """
    date_only = {i for i, line in enumerate(records) if line.date_only}
    rows_dated = any(line.date is not None and not line.date_only for line in records)
    first_anchor = next(i for i, line in enumerate(records) if line.amounts)
    if date_only and not rows_dated and min(date_only) < first_anchor:
        return date_only
    return set()


def _rows(
    records: Sequence[_Line], anchors: Sequence[int], headers: set[int]
) -> tuple[list[list[int]], set[int]]:
    """The lines of each anchor's row, and the anchors whose row is not sure."""
    rows: list[list[int]] = [[a] for a in anchors]
    unsure: set[int] = set()
    inside: list[float] = []  # gaps between lines of one row, as the splits show them
    for k in range(len(anchors) - 1):
        upper, lower = anchors[k], anchors[k + 1]
        between = [i for i in range(upper + 1, lower) if i not in headers]
        if not between:
            continue
        chain = [upper, *between, lower]
        gaps = [_gap(records[a], records[b]) for a, b in zip(chain, chain[1:], strict=False)]
        cut = max(range(len(gaps)), key=lambda g: gaps[g])
        rows[k] += chain[1 : cut + 1]
        rows[k + 1] = chain[cut + 1 : -1] + rows[k + 1]
        others = sorted(gaps[:cut] + gaps[cut + 1 :], reverse=True)
        inside += others
        moved = [records[i] for i in between]
        if (
            others
            and others[0] >= gaps[cut] * _AMBIGUOUS_RATIO
            and any(line.label or line.date for line in moved)
        ):
            unsure.update((upper, lower))
    # Lines above the first row and below the last join them when they are
    # as close as the lines inside rows are: a title bar is further away.
    height = statistics.median(line.bottom - line.top for line in records)
    reach = max(statistics.median(inside), 0.0) * 1.5 + 2 if inside else height * 0.5
    rows[0] = _extend(records, rows[0], headers, reach, step=-1)
    rows[-1] = _extend(records, rows[-1], headers, reach, step=1)
    return rows, unsure


def _extend(
    records: Sequence[_Line], row: list[int], headers: set[int], reach: float, step: int
) -> list[int]:
    """The row with the line just above (step -1) or below (+1), when it is close enough."""
    edge = row[0] if step < 0 else row[-1]
    members = list(row)
    index = edge + step
    # One line at most: a row's label or date, not the account details above it.
    if 0 <= index < len(records) and index not in headers and not records[index].amounts:
        pair = (records[index], records[edge]) if step < 0 else (records[edge], records[index])
        if _gap(*pair) <= reach:
            members = [index, *members] if step < 0 else [*members, index]
    return members


def _gap(upper: _Line, lower: _Line) -> float:
    return lower.top - upper.bottom


def _row_amounts(
    records: Sequence[_Line], anchor: int, members: list[int], headers: set[int], unsure: bool
) -> list[ReadAmount]:
    lines = [records[i] for i in sorted(members)]
    own = [records[anchor]] + [line for line in lines if line is not records[anchor]]
    date = next((line.date for line in own if line.date is not None), None)
    if date is None and headers:
        above = [i for i in headers if i < anchor]
        date = records[max(above)].date if above else None
    if date is None:
        date = _only_date(records)
    # The label on the amount's own line first: it is the surest; then the
    # row's first line with words, top down.
    label = next((line.label for line in own if line.label), "")
    if not label and sum(1 for line in records if line.amounts) == 1:
        label = _label_above(records, anchor)
    context = " ".join(line.text for line in lines)
    return [
        ReadAmount(amount, direction, date, label, amount_role(context, direction), unsure=unsure)
        for amount, direction, _ in records[anchor].amounts
    ]


def _only_date(records: Sequence[_Line]) -> dt.date | None:
    """The page's date, when it shows exactly one (a detail page of one payment)."""
    dates = {line.date for line in records if line.date is not None}
    return next(iter(dates)) if len(dates) == 1 else None


def _label_above(records: Sequence[_Line], anchor: int) -> str:
    """On a detail page (one amount), the merchant written above the amount."""
    above = records[anchor - 1] if anchor > 0 else None
    if above is None or above.date is not None or not above.label:
        return ""
    return above.label

"""Dated amounts and merchant labels in the text of a bank statement or order page.

Pure text in, values out: the lines may come from OCR or from anywhere else.
Amounts are ``Decimal``, never ``float``: 0.1 + 0.2 must stay 0.3 when two
charges are compared. Formats are the Belgian and European ones a bank app
or Amazon page shows: "-23,99 €", "€ -23,99", "EUR 23,99", "23,99-",
"1.284,37 €", "1 284,37 €", and "€23.99" on English pages; dates 03/11/2026,
03-11-2026, 03.11.2026, "3 nov. 2026", "3 november 2026", "Nov 3, 2026".
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Sequence
from decimal import Decimal, InvalidOperation

from dossier.model import Direction, ReadAmount, Role

# Minus as "-", "−" (U+2212), or the dash OCR reads it as ("–", "—").
_SIGN = r"[-+\u2212\u2013\u2014]"
_NUMBER = (
    r"\d{1,3}(?:[.\u202f\u00a0 ]\d{3})+,\d{2}"  # 1.284,37 / 1 284,37
    r"|\d+,\d{2}"  # 23,99
    r"|\d{1,3}(?:,\d{3})+\.\d{2}"  # 1,284.37 (English pages)
    r"|\d+\.\d{2}"  # 23.99
)
_AMOUNT = re.compile(
    rf"(?<![\w,.])(?P<sign1>{_SIGN})?\s?(?P<cur1>€|\bEUR\b)?\s?(?P<sign2>{_SIGN})?\s?"
    rf"(?P<number>{_NUMBER})(?![\d])(?![.,]\d)"
    rf"(?:\s?(?P<cur2>€|EUR\b))?(?P<trail>-(?!\d))?",
    re.IGNORECASE,
)
_NUMERIC_DATE = re.compile(r"(?<![\d,.])(\d{1,2})([/.\-])(\d{1,2})\2(\d{4}|\d{2})(?![\d,])")
_DAY_MONTH_YEAR = re.compile(r"(?<!\d)(\d{1,2})\.?\s*([^\W\d_]{3,10})\.?,?\s+(\d{4})(?!\d)")
_MONTH_DAY_YEAR = re.compile(r"\b([^\W\d_]{3,10})\.?\s+(\d{1,2}),?\s+(\d{4})(?!\d)")

_MONTHS = {
    # French
    "janvier": 1, "fevrier": 2, "mars": 3, "avril": 4, "mai": 5, "juin": 6, "juillet": 7,
    "aout": 8, "septembre": 9, "octobre": 10, "novembre": 11, "decembre": 12,
    "janv": 1, "fevr": 2, "fev": 2, "avr": 4, "juil": 7, "sept": 9, "oct": 10, "nov": 11,
    "dec": 12,
    # Dutch
    "januari": 1, "februari": 2, "maart": 3, "april": 4, "mei": 5, "juni": 6, "juli": 7,
    "augustus": 8, "oktober": 10, "mrt": 3, "okt": 10,
    # German
    "januar": 1, "februar": 2, "marz": 3, "mrz": 3, "mar": 3, "dezember": 12, "dez": 12,
    # English
    "january": 1, "february": 2, "march": 3, "may": 5, "june": 6, "july": 7,
    "august": 8, "september": 9, "october": 10, "november": 11, "december": 12,
    "jan": 1, "feb": 2, "apr": 4, "jun": 6, "jul": 7, "aug": 8, "sep": 9,
}  # fmt: skip

_REFUND_WORDS = re.compile(
    r"rembours|terugbeta|terugstort|erstattung|erstattet|gutschrift|refund", re.IGNORECASE
)
_TOTAL_WORDS = re.compile(
    r"\btota(?:l|al)\b|montant total|gesamt|summe|\bto pay\b|à payer|te betalen", re.IGNORECASE
)
# Labels banks print for Amazon: "AMAZON EU SARL", "AMZN Mktp BE", "Amzn.com/bill",
# "AMAZON PAYMENTS", "Amazon.com.be".
_AMAZON = re.compile(r"\bam(?:azon|zn)\b", re.IGNORECASE)
# What is left of a line once the amount and date are taken out, and is not a label.
_FILLER = re.compile(r"^[\s·•|:;,.\-–—€]*$")


def merchant_key(label: str) -> str:
    """The same key for every way a bank writes one merchant.

    Every Amazon label becomes ``amazon``; other labels keep their letters, lower-cased.
    """
    if _AMAZON.search(label):
        return "amazon"
    return re.sub(r"[^a-z]", "", _plain(label))


def parse_amount(text: str) -> tuple[Decimal, Direction] | None:
    """The first amount in ``text`` and its direction, or None.

    A number counts as an amount only with a currency sign or a + / - sign:
    "23,99" alone may be anything (a weight, a reference).
    """
    found = _find_amounts(text)
    return (found[0][0], found[0][1]) if found else None


def parse_given_amount(text: str) -> tuple[Decimal, Direction] | None:
    """An amount typed in the case file: "-23.99", "23,99", "-23,99 €", "+5", "23,99-".

    Here a bare number is accepted: the user says it is an amount.
    """
    found = parse_amount(text)
    if found is not None:
        return found
    match = re.fullmatch(rf"\s*(?P<sign>{_SIGN})?\s*(?P<number>\d+(?:[.,]\d{{1,2}})?)\s*", text)
    if match is None:
        return None
    value = _decimal(match["number"])
    if value is None:
        return None
    sign = match["sign"]
    direction = (
        Direction.UNSIGNED if not sign else Direction.CREDIT if sign == "+" else Direction.DEBIT
    )
    return value, direction


def parse_date(text: str) -> dt.date | None:
    """The first date in ``text`` (day first, as in Belgium), or None."""
    found = _find_dates(text)
    return found[0][0] if found else None


def read_amounts(lines: Sequence[str]) -> list[ReadAmount]:
    """Every dated amount in the text, top to bottom.

    A statement app prints the label and amount on one line and the date on
    the next; a detail page prints the amount big, the label above it and
    the date further down. So the date is looked for on the amount's line,
    then the next, then the previous one; failing that, the page's only date
    (if it has exactly one) is used. The label is the rest of the amount's
    line, or else the line above.
    """
    dates_by_line = [_find_dates(line) for line in lines]
    distinct = {date for found in dates_by_line for date, _ in found}
    only_date = next(iter(distinct)) if len(distinct) == 1 else None
    results = []
    for index, line in enumerate(lines):
        for amount, direction, span in _find_amounts(line):
            date = _nearby_date(dates_by_line, index) or only_date
            label = _label(lines, dates_by_line, index, span)
            context = f"{line} {label}"
            role = Role.ENTRY
            if _REFUND_WORDS.search(context):
                role = Role.REFUND
            elif _TOTAL_WORDS.search(context) and direction is Direction.UNSIGNED:
                role = Role.TOTAL
            results.append(ReadAmount(amount, direction, date, label, role))
    return results


def find_amounts(text: str) -> list[tuple[Decimal, Direction, tuple[int, int]]]:
    """Every amount in ``text`` with its direction and its span (see ``parse_amount``)."""
    return _find_amounts(text)


def find_dates(text: str) -> list[tuple[dt.date, tuple[int, int]]]:
    """Every dated day in ``text`` with its span, left to right."""
    return _find_dates(text)


def month_number(word: str) -> int | None:
    """The month a French, Dutch, German or English month name (or abbreviation) names."""
    return _month(word)


def amount_role(context: str, direction: Direction) -> Role:
    """What an amount is, from the words of its row."""
    if _REFUND_WORDS.search(context):
        return Role.REFUND
    if _TOTAL_WORDS.search(context) and direction is Direction.UNSIGNED:
        return Role.TOTAL
    return Role.ENTRY


def label_text(text: str, spans: Sequence[tuple[int, int]]) -> str:
    """What is left of a line without the given spans, tidied; "" when nothing but filler."""
    rest = _without(text, spans)
    return "" if _FILLER.match(rest) else _tidy(rest)


def _find_amounts(text: str) -> list[tuple[Decimal, Direction, tuple[int, int]]]:
    found = []
    date_spans = [span for _, span in _find_dates(text)]
    for match in _AMOUNT.finditer(text):
        if any(start <= match.start("number") < end for start, end in date_spans):
            continue
        currency = match["cur1"] or match["cur2"]
        sign = match["sign1"] or match["sign2"] or ("-" if match["trail"] else None)
        if not currency and not sign:
            continue
        value = _decimal(match["number"])
        if value is None:
            continue
        if sign is None:
            direction = Direction.UNSIGNED
        elif sign == "+":
            direction = Direction.CREDIT
        else:
            direction = Direction.DEBIT
        found.append((value, direction, match.span()))
    return found


def _decimal(number: str) -> Decimal | None:
    digits = re.sub(r"[\s\u202f\u00a0]", "", number)
    if "," in digits and (digits.rfind(",") > digits.rfind(".")):
        digits = digits.replace(".", "").replace(",", ".")
    else:
        digits = digits.replace(",", "")
    try:
        return Decimal(digits)
    except InvalidOperation:
        return None


def _find_dates(text: str) -> list[tuple[dt.date, tuple[int, int]]]:
    found = []
    for match in _NUMERIC_DATE.finditer(text):
        year = int(match[4]) + (2000 if len(match[4]) == 2 else 0)
        day = _date(year, int(match[3]), int(match[1]))
        if day:
            found.append((day, match.span()))
    for match in _DAY_MONTH_YEAR.finditer(text):
        month = _month(match[2])
        day = _date(int(match[3]), month, int(match[1])) if month else None
        if day:
            found.append((day, match.span()))
    for match in _MONTH_DAY_YEAR.finditer(text):
        month = _month(match[1])
        day = _date(int(match[3]), month, int(match[2])) if month else None
        if day:
            found.append((day, match.span()))
    return sorted(found, key=lambda item: item[1])


def _date(year: int, month: int, day: int) -> dt.date | None:
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def _month(word: str) -> int | None:
    return _MONTHS.get(_plain(word).rstrip("."))


def _plain(text: str) -> str:
    """Lower case without accents: "Févr." -> "fevr."."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def _nearby_date(
    dates_by_line: Sequence[list[tuple[dt.date, tuple[int, int]]]], index: int
) -> dt.date | None:
    for other in (index, index + 1, index - 1):
        if 0 <= other < len(dates_by_line) and dates_by_line[other]:
            return dates_by_line[other][0][0]
    return None


def _label(
    lines: Sequence[str],
    dates_by_line: Sequence[list[tuple[dt.date, tuple[int, int]]]],
    index: int,
    span: tuple[int, int],
) -> str:
    line = lines[index]
    rest = _without(line, [span, *(s for _, s in dates_by_line[index])])
    if not _FILLER.match(rest):
        return _tidy(rest)
    if index > 0 and not dates_by_line[index - 1] and not _find_amounts(lines[index - 1]):
        return _tidy(lines[index - 1])
    return ""


def _without(line: str, spans: Sequence[tuple[int, int]]) -> str:
    kept, position = [], 0
    for start, end in sorted(spans):
        kept.append(line[position:start])
        position = max(position, end)
    kept.append(line[position:])
    return " ".join(kept)


def _tidy(text: str) -> str:
    return " ".join(text.strip(" \t·•|:;,-–—").split())

"""The range every value of the case file must lie in.

A value outside it is a case-file error naming the key, before any stage
computes with it: year 1 overflows a time-zone conversion, a quantity of
2**63 times a huge price overflows a decimal, NaN compares with nothing.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from dossier.i18n import M_

# Dates of a consumer dispute, with room on both sides.
FIRST_DAY = dt.date(1900, 1, 1)
LAST_DAY = dt.date(2199, 12, 31)
# An amount of money: a billion, far beyond any consumer purchase.
MAX_AMOUNT = Decimal(1_000_000_000)
# Items of one order line.
MAX_QUANTITY = 1_000_000
# A fixed position among the exhibits.
MAX_POSITION = 100_000
# A caption: it is printed on one line of every page's stamp band (shortened
# there to fit) and in the index; a longer text belongs in a note.
MAX_CAPTION = 1000
# A box on a picture, in pixels: more than any picture the readers accept is wide.
MAX_BOX_PIXELS = 1_000_000


def shown(value: Any) -> str:
    """A value as the user wrote it: text in quotes, dates and numbers as they are."""
    return repr(value) if isinstance(value, str) else str(value)


def day_problem(value: Any, day: dt.date) -> str | None:
    """Why ``day`` is out of range, or None."""
    if FIRST_DAY <= day <= LAST_DAY:
        return None
    return M_(
        "{value} is out of range: a date goes from {first} to {last}",
        value=shown(value),
        first=FIRST_DAY,
        last=LAST_DAY,
    )


def amount_problem(value: Any, amount: Decimal) -> str | None:
    """Why ``amount`` is out of range (its size, whatever its sign), or None."""
    if amount.is_finite() and abs(amount) <= MAX_AMOUNT:
        return None
    return M_(
        "{value} is out of range: an amount is at most {largest}",
        value=shown(value),
        largest=f"{MAX_AMOUNT:,}".replace(",", " "),
    )


def count_problem(value: int, largest: int) -> str | None:
    """Why the whole number ``value`` is out of 1..``largest``, or None."""
    if 1 <= value <= largest:
        return None
    return M_(
        "{value} is out of range: give a whole number from 1 to {largest}",
        value=value,
        largest=f"{largest:,}".replace(",", " "),
    )

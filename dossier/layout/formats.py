"""Dates written the way each language writes them (CLDR data, through Babel)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from zoneinfo import ZoneInfo

from babel.dates import format_date
from babel.numbers import format_currency

from dossier.layout.style import Strings
from dossier.model import Timestamp


def long_date(day: dt.date, strings: Strings) -> str:
    """E.g. "3 novembre 2026", "3 november 2026", "3. November 2026"."""
    return format_date(day, format="long", locale=strings.locale)


def money(amount: Decimal, strings: Strings, currency: str = "EUR") -> str:
    """An amount as the locale writes it: "23,99 €", "€ 23,99", "€23.99"."""
    return format_currency(amount, currency, locale=strings.locale)


def numeric_date(day: dt.date, strings: Strings) -> str:
    """A compact date for tables: 03/11/2026, or 03.11.2026 in German."""
    separator = "." if strings.language == "de" else "/"
    return f"{day:%d}{separator}{day:%m}{separator}{day:%Y}"


def _clock(stamp: Timestamp, zone: ZoneInfo) -> str:
    shown = stamp.shown(zone)
    text = f"{shown:%H:%M}"
    offset = shown.utcoffset()
    if offset is not None and shown.tzinfo != zone:
        # A camera offset that was recorded is printed, never applied.
        minutes = int(offset.total_seconds() // 60)
        sign = "+" if minutes >= 0 else "-"
        text += f" (UTC{sign}{abs(minutes) // 60:02d}:{abs(minutes) % 60:02d})"
    return text


def timestamp_text(
    stamp: Timestamp | None, strings: Strings, zone: ZoneInfo, *, long: bool = False
) -> str:
    """The exhibit's date and time as printed in the index (or, ``long``, the stamp)."""
    if stamp is None:
        return strings["no_date"]
    day = stamp.shown(zone).date()
    text = long_date(day, strings) if long else numeric_date(day, strings)
    if stamp.date_only:
        return text
    return f"{text}{',' if long else ''} {_clock(stamp, zone)}"


def source_text(stamp: Timestamp | None, strings: Strings) -> str:
    """Where the date came from, in words."""
    return strings[f"sources.{stamp.source.value}"] if stamp else strings["sources.none"]

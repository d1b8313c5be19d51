"""Put the exhibits in order and number them.

Chronological by resolved date. Ties, and exhibits without any date, are
ordered by their path (case-insensitive, then exact), so the same folder
always gives the same numbering. An ``order`` set in the case file places an
exhibit at that position; the others fill the remaining places in date order.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections import deque
from collections.abc import Iterable
from zoneinfo import ZoneInfo

from dossier.model import Exhibit

_END_OF_TIME = dt.datetime.max.replace(tzinfo=dt.UTC)


def chronological_key(exhibit: Exhibit, zone: ZoneInfo) -> tuple[dt.datetime, str, str]:
    """Sort key: the moment (undated last), then the path."""
    stamp = exhibit.timestamp
    moment = stamp.instant(zone).astimezone(dt.UTC) if stamp else _END_OF_TIME
    return (moment, exhibit.source.relpath.casefold(), exhibit.source.relpath)


def order_exhibits(exhibits: Iterable[Exhibit], zone: ZoneInfo) -> tuple[Exhibit, ...]:
    """Order and number the exhibits (1, 2, 3…)."""
    chronological = sorted(exhibits, key=lambda e: chronological_key(e, zone))
    placed = sorted(
        (e for e in chronological if e.settings.order is not None),
        key=lambda e: (e.settings.order or 0, chronological_key(e, zone)),
    )
    free = deque(e for e in chronological if e.settings.order is None)
    ordered: list[Exhibit] = []
    for exhibit in placed:
        wanted = exhibit.settings.order or 1
        while len(ordered) < wanted - 1 and free:
            ordered.append(free.popleft())
        ordered.append(exhibit)
    ordered.extend(free)
    return tuple(dataclasses.replace(e, number=n) for n, e in enumerate(ordered, start=1))

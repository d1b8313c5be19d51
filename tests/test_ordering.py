"""Chronological order, deterministic ties, and positions set by the user."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from zoneinfo import ZoneInfo

from hypothesis import given
from hypothesis import strategies as st

from dossier.model import Exhibit, ExhibitSettings, Kind, NoteContent, SourceFile, Timestamp
from dossier.model import TimestampSource as Src
from dossier.ordering import order_exhibits

ZONE = ZoneInfo("Europe/Brussels")


def _exhibit(name: str, when: dt.datetime | None, order: int | None = None) -> Exhibit:
    return Exhibit(
        source=SourceFile(Path(name), name, 1, "0" * 64, 0.0),
        kind=Kind.NOTE,
        content=NoteContent("x"),
        settings=ExhibitSettings(order=order),
        timestamp=Timestamp(when, Src.EXIF) if when else None,
    )


def _names(exhibits: tuple[Exhibit, ...]) -> list[str]:
    return [e.source.relpath for e in exhibits]


def test_chronological_with_ties_by_path_and_undated_last() -> None:
    """This test ensures the order is by date, then path, with undated files last."""
    day = dt.datetime(2026, 10, 30, 10, 0)
    ordered = order_exhibits(
        [
            _exhibit("b.jpg", day),
            _exhibit("undated.txt", None),
            _exhibit("A.jpg", day),
            _exhibit("early.jpg", day - dt.timedelta(days=1)),
        ],
        ZONE,
    )
    assert _names(ordered) == ["early.jpg", "A.jpg", "b.jpg", "undated.txt"]
    assert [e.number for e in ordered] == [1, 2, 3, 4]


def test_aware_and_naive_times_compare_in_the_case_zone() -> None:
    """This test ensures an email at 09:30 UTC sorts after a photo taken at 10:00 Brussels time."""
    photo = _exhibit("photo.jpg", dt.datetime(2026, 10, 30, 10, 0))
    email = _exhibit("mail.eml", dt.datetime(2026, 10, 30, 9, 30, tzinfo=dt.UTC))
    assert _names(order_exhibits([email, photo], ZONE)) == ["photo.jpg", "mail.eml"]


def test_user_order_wins() -> None:
    """This test ensures an exhibit with order = 1 comes first and the rest keep date order."""
    base = dt.datetime(2026, 10, 1)
    ordered = order_exhibits(
        [
            _exhibit("first.jpg", base),
            _exhibit("second.jpg", base + dt.timedelta(days=1)),
            _exhibit("letter.pdf", base + dt.timedelta(days=5), order=1),
            _exhibit("pinned-last.txt", base - dt.timedelta(days=5), order=99),
        ],
        ZONE,
    )
    assert _names(ordered) == ["letter.pdf", "first.jpg", "second.jpg", "pinned-last.txt"]


@given(
    st.lists(
        st.tuples(
            st.text("abcXYZ_.", min_size=1, max_size=6),
            st.none() | st.datetimes(dt.datetime(1990, 1, 1), dt.datetime(2030, 1, 1)),
            st.none() | st.integers(1, 6),
        ),
        max_size=8,
        unique_by=lambda item: item[0],
    )
)
def test_ordering_is_a_deterministic_permutation(
    items: list[tuple[str, dt.datetime | None, int | None]],
) -> None:
    """This test ensures ordering keeps every exhibit once, numbers them 1..n, and ignores input order."""
    exhibits = [_exhibit(name, when, order) for name, when, order in items]
    forward = order_exhibits(exhibits, ZONE)
    backward = order_exhibits(list(reversed(exhibits)), ZONE)
    assert sorted(_names(forward)) == sorted(name for name, _, _ in items)
    assert [e.number for e in forward] == list(range(1, len(items) + 1))
    assert _names(forward) == _names(backward)

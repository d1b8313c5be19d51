"""Billing problems spotted in the amounts read from the exhibits.

Three findings, each citing the exhibits it rests on:

* the same merchant charged the same amount twice within a few days (a
  double charge); the same line seen on two screenshots (a statement list
  and the detail of one line) counts once;
* a charge by the retailer that differs from the order total;
* a refund announced on a screenshot with no credit of that amount on any
  statement.

Only charges by the retailer (every Amazon label) are compared: two
bakery receipts of 6,50 € in one week are not a billing problem.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections import Counter
from collections.abc import Iterable, Sequence
from decimal import Decimal

from dossier.billing.amounts import merchant_key
from dossier.model import (
    CaseFile,
    Direction,
    Exhibit,
    Finding,
    FindingKind,
    Provenance,
    ReadAmount,
    Role,
)

# Two equal charges further apart than this are two purchases, or a subscription.
DOUBLE_CHARGE_DAYS = 7
RETAILERS = frozenset({"amazon"})


def find_billing_issues(
    exhibits: Sequence[Exhibit], order_total: Decimal | None
) -> tuple[Finding, ...]:
    """Every finding in the amounts of ``exhibits``, in a stable order."""
    charges = _retailer_charges(exhibits)
    return (
        *_double_charges(charges),
        *_differing_charges(charges, order_total or _total_read(exhibits)),
        *_missing_refunds(exhibits),
    )


def order_total(case: CaseFile) -> Decimal | None:
    """The order total: ``[order] total`` of the case file, or read from the confirmation email."""
    return case.facts.order.total if case.facts is not None else None


@dataclasses.dataclass(frozen=True, slots=True)
class _Charge:
    amount: Decimal
    date: dt.date
    merchant: str
    label: str
    exhibits: tuple[int, ...]
    by_ocr: bool


def _retailer_charges(exhibits: Sequence[Exhibit]) -> list[_Charge]:
    """Dated retailer debits, each real charge once, with every exhibit that shows it."""
    # A line (merchant, amount, day) seen twice on one exhibit is two charges;
    # seen on two exhibits it is one charge shown twice.
    counts: dict[tuple[str, Decimal, dt.date], int] = {}
    shown_on: dict[tuple[str, Decimal, dt.date], list[int]] = {}
    first: dict[tuple[str, Decimal, dt.date], ReadAmount] = {}
    by_ocr: dict[tuple[str, Decimal, dt.date], bool] = {}
    for exhibit in exhibits:
        here = Counter(
            _key(read)
            for read in exhibit.amounts
            if read.direction is Direction.DEBIT
            and not read.unsure
            and read.role is not Role.REFUND
            and read.date is not None
            and merchant_key(read.label) in RETAILERS
        )
        for key, count in here.items():
            date = key[2]
            assert date is not None
            dated = (key[0], key[1], date)
            counts[dated] = max(counts.get(dated, 0), count)
            shown_on.setdefault(dated, []).append(exhibit.number)
            first.setdefault(dated, _first(exhibit.amounts, key))
            by_ocr[dated] = by_ocr.get(dated, False) or any(
                read.provenance is Provenance.OCR for read in exhibit.amounts if _key(read) == key
            )
    charges = []
    for key, count in sorted(counts.items(), key=lambda item: (item[0][2], item[0][1])):
        merchant, amount, date = key
        for _ in range(count):
            charges.append(
                _Charge(amount, date, merchant, first[key].label, tuple(shown_on[key]), by_ocr[key])
            )
    return charges


def _first(amounts: Iterable[ReadAmount], key: tuple[str, Decimal, dt.date | None]) -> ReadAmount:
    return next(read for read in amounts if _key(read) == key)


def _key(read: ReadAmount) -> tuple[str, Decimal, dt.date | None]:
    """What makes two lines the same charge: merchant, amount and day."""
    return merchant_key(read.label), read.amount, read.date


def _double_charges(charges: Sequence[_Charge]) -> list[Finding]:
    findings = []
    groups: dict[tuple[str, Decimal], list[_Charge]] = {}
    for charge in charges:
        groups.setdefault((charge.merchant, charge.amount), []).append(charge)
    for (_, amount), group in groups.items():
        # Charges close together in time form one suspected double charge.
        cluster: list[_Charge] = []
        for item in [*group, None]:
            if item is not None and (
                not cluster or (item.date - cluster[-1].date).days <= DOUBLE_CHARGE_DAYS
            ):
                cluster.append(item)
                continue
            if len(cluster) > 1:
                findings.append(
                    Finding(
                        FindingKind.DOUBLE_CHARGE,
                        amount,
                        " / ".join(dict.fromkeys(c.label for c in cluster if c.label)),
                        tuple(c.date for c in cluster),
                        _numbers(c.exhibits for c in cluster),
                        by_ocr=any(c.by_ocr for c in cluster),
                    )
                )
            cluster = [item] if item is not None else []
    return findings


def _differing_charges(charges: Sequence[_Charge], total: Decimal | None) -> list[Finding]:
    if total is None:
        return []
    return [
        Finding(
            FindingKind.AMOUNT_DIFFERS,
            charge.amount,
            charge.label,
            (charge.date,),
            charge.exhibits,
            expected=total,
            by_ocr=charge.by_ocr,
        )
        for charge in dict.fromkeys(charges)
        if charge.amount != total
    ]


def _total_read(exhibits: Sequence[Exhibit]) -> Decimal | None:
    """The order total read on an order page, when all the pages agree on one."""
    totals = {
        read.amount
        for exhibit in exhibits
        for read in exhibit.amounts
        if read.role is Role.TOTAL and not read.unsure
    }
    return next(iter(totals)) if len(totals) == 1 else None


def _missing_refunds(exhibits: Sequence[Exhibit]) -> list[Finding]:
    credits = {
        read.amount
        for exhibit in exhibits
        for read in exhibit.amounts
        if read.direction is Direction.CREDIT
    }
    # Without a single statement line there is nothing to look for the credit on.
    statements = any(
        read.direction is not Direction.UNSIGNED and read.date is not None
        for exhibit in exhibits
        for read in exhibit.amounts
    )
    if not statements:
        return []
    promised: dict[Decimal, list[tuple[Exhibit, ReadAmount]]] = {}
    for exhibit in exhibits:
        for read in exhibit.amounts:
            if (
                read.role is Role.REFUND
                and read.direction is not Direction.CREDIT
                and not read.unsure
            ):
                promised.setdefault(read.amount, []).append((exhibit, read))
    return [
        Finding(
            FindingKind.REFUND_MISSING,
            amount,
            seen[0][1].label,
            tuple(sorted({read.date for _, read in seen if read.date is not None})),
            _numbers((exhibit.number,) for exhibit, _ in seen),
            by_ocr=any(read.provenance is Provenance.OCR for _, read in seen),
        )
        for amount, seen in sorted(promised.items())
        if amount not in credits
    ]


def _numbers(groups: Iterable[Iterable[int]]) -> tuple[int, ...]:
    return tuple(sorted({number for group in groups for number in group}))

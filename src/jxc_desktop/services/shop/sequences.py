"""Document numbers: a prefix, the local day and a per-day counter, e.g. CG20261125-0001."""

from __future__ import annotations

from datetime import date

from sqlalchemy import insert, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from jxc_desktop.db.models import Sequence

PURCHASE = "CG"
PURCHASE_RETURN = "CT"
SALE = "XS"
SALE_RETURN = "TH"
COUNT = "PD"
PAYMENT = "FK"  # 付款单 to a supplier
COLLECTION = "SK"  # 收款单 from a customer
REFUND = "TK"  # money paid back against a credit on an account (退款单)
TOPUP = "CZ"  # a member's stored-value top-up (储值充值单)


def next_number(session: Session, prefix: str, day: date) -> str:
    """Take the next number of the day inside the caller's transaction (rolls back with it, so a
    document that is not saved leaves no gap).

    One atomic ``UPDATE … SET last = last + 1 … RETURNING``: on a server the counter row stays
    locked by this transaction until it ends, so a second till taking a number of the same kind and
    day waits, then counts on from what this one committed (or from where it was, if this one rolled
    back). The day's first number inserts the row; when another till inserted it at the same moment
    the insert fails inside a savepoint and the update runs again (SQLite's one writer never meets that).
    """
    return next_numbers(session, prefix, day, 1)[0]


def next_numbers(session: Session, prefix: str, day: date, count: int) -> list[str]:
    """The day's next ``count`` numbers in one step (a bulk loader numbering many documents of a
    day): the numbers ``count`` calls of :func:`next_number` would give, in the same order."""
    key = day.strftime("%Y%m%d")
    table = Sequence.__table__
    c = table.c
    bump = (update(table).where(c.kind == prefix, c.day == key).values(last=c.last + count).returning(c.last))
    last = session.execute(bump).scalar_one_or_none()
    if last is None:
        try:
            with session.begin_nested():
                session.execute(insert(table).values(kind=prefix, day=key, last=count))
            last = count
        except IntegrityError:  # another till took the day's first number: count on from it
            last = session.execute(bump).scalar_one()
    return [f"{prefix}{key}-{n:04d}" for n in range(last - count + 1, last + 1)]

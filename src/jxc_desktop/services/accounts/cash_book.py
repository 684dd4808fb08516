"""The cash book (资金流水) per payment method for a period: till sales and refunds (as the day
slips count them: posted sales created in the local days), collections in, supplier payments out,
members' stored-value top-ups in (a liability: the stored value outstanding at the end is shown
beside the book). The part of a sale put on account (``credit``) or paid with stored value or
points is no money and is left out. SQL text either driver runs: the accounts service in its
session, ``jxc accounts cashbook`` on sqlite3 alone (issue 15)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import date
from typing import Any

from jxc_desktop.db.dialect_text import day_bind, utc_bind
from jxc_desktop.db.text_reads import Rows
from jxc_desktop.domain.clock import day_bounds_utc
from jxc_desktop.domain.errors import ValidationError
from jxc_desktop.domain.tender import NOT_MONEY
from jxc_desktop.services.accounts.dto import CashBook, CashBookRow
from jxc_desktop.services.members import api as members

ORDER = ("cash", "wechat", "alipay", "card", "bank")
TILL = ("SELECT s.kind, p.method, sum(p.amount) FROM payment p JOIN sale s ON s.id = p.sale_id "
        "WHERE s.created_at >= :lo AND s.created_at < :hi AND s.status = 'posted' GROUP BY s.kind, p.method")
MONEY = ("SELECT kind, method, sum(amount) FROM money_doc "
         "WHERE doc_date >= :start AND doc_date <= :end AND status = 'posted' GROUP BY kind, method")


def cash_book(rows: Rows, start: date, end: date) -> CashBook:
    if end < start:
        raise ValidationError("The period ends before it starts")
    lo, hi = day_bounds_utc(start, end)
    d = rows.dialect
    till = rows.all(TILL, lo=utc_bind(lo, d), hi=utc_bind(hi, d))
    money = rows.all(MONEY, start=day_bind(start, d), end=day_bind(end, d))
    return cash_book_of(start, end, till, money, members.topups_in(rows, start, end),
                        members.stored_value_in(rows, end))


def cash_book_of(start: date, end: date, till_rows: Iterable[Sequence[Any]], money_rows: Iterable[Sequence[Any]],
                 topups: Mapping[str, int], owed: int) -> CashBook:
    """The cash book from the till's (kind, method, sum) rows, the money documents' (kind, method,
    sum) rows, the members' top-ups by method and the stored value owed at the end; the reference
    (tests/integration/accounts_reference.py) runs it on its ORM rows."""
    till = {(str(kind), str(method)): int(amount or 0) for kind, method, amount in till_rows}
    money = {(str(kind), str(method)): int(amount or 0) for kind, method, amount in money_rows}
    methods = ({m for _k, m in till} | {m for _k, m in money} | set(topups)) - set(NOT_MONEY)
    found = []
    for m in sorted(methods, key=lambda x: (ORDER.index(x) if x in ORDER else len(ORDER), x)):
        sales, refunds = till.get(("sale", m), 0), till.get(("return", m), 0)
        # a supplier's refund comes in with the collections, one to a customer goes out with the payments
        coll = money.get(("collect", m), 0) + money.get(("refund_in", m), 0)
        pays = money.get(("pay", m), 0) + money.get(("refund_out", m), 0)
        top = topups.get(m, 0)
        found.append(CashBookRow(m, sales, refunds, coll, pays, sales - refunds + coll - pays + top, top))
    return CashBook(start, end, tuple(found), sum(r.net for r in found), owed)

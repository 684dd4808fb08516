"""The cash book (资金流水) per payment method for a period: till sales and refunds (as the day
slips count them: posted sales created in the local days), collections in, supplier payments out,
members' stored-value top-ups in (a liability: the stored value outstanding at the end is shown
beside the book). The part of a sale put on account (``credit``) or paid with stored value or
points is no money and is left out."""

from __future__ import annotations

from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from jxc_desktop.db.models import MoneyDoc, Payment, Sale
from jxc_desktop.domain.clock import day_bounds_utc
from jxc_desktop.domain.errors import ValidationError
from jxc_desktop.domain.tender import NOT_MONEY
from jxc_desktop.services.accounts.dto import CashBook, CashBookRow
from jxc_desktop.services.members import api as members

ORDER = ("cash", "wechat", "alipay", "card", "bank")


def cash_book(s: Session, start: date, end: date) -> CashBook:
    if end < start:
        raise ValidationError("The period ends before it starts")
    lo, hi = day_bounds_utc(start, end)
    till: dict[tuple[str, str], int] = {}
    for kind, method, amount in s.execute(
            select(Sale.kind, Payment.method, func.sum(Payment.amount)).join(Sale, Sale.id == Payment.sale_id)
            .where(Sale.created_at >= lo, Sale.created_at < hi, Sale.status == "posted")
            .group_by(Sale.kind, Payment.method)):
        till[(kind, method)] = int(amount or 0)
    money: dict[tuple[str, str], int] = {}
    for kind, method, amount in s.execute(
            select(MoneyDoc.kind, MoneyDoc.method, func.sum(MoneyDoc.amount))
            .where(MoneyDoc.doc_date >= start, MoneyDoc.doc_date <= end, MoneyDoc.status == "posted")
            .group_by(MoneyDoc.kind, MoneyDoc.method)):
        money[(kind, method)] = int(amount or 0)
    topups = members.topups_by_method(s, start, end)
    methods = ({m for _k, m in till} | {m for _k, m in money} | set(topups)) - set(NOT_MONEY)
    rows = []
    for m in sorted(methods, key=lambda x: (ORDER.index(x) if x in ORDER else len(ORDER), x)):
        sales, refunds = till.get(("sale", m), 0), till.get(("return", m), 0)
        # a supplier's refund comes in with the collections, one to a customer goes out with the payments
        coll = money.get(("collect", m), 0) + money.get(("refund_in", m), 0)
        pays = money.get(("pay", m), 0) + money.get(("refund_out", m), 0)
        top = topups.get(m, 0)
        rows.append(CashBookRow(m, sales, refunds, coll, pays, sales - refunds + coll - pays + top, top))
    return CashBook(start, end, tuple(rows), sum(r.net for r in rows), members.stored_value_at(s, end))

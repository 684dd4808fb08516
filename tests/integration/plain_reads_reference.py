"""The reads that became SQL text in session 14 (issue 15), as main bf00350 built them with
SQLAlchemy: a day's sales list, the audit search, the purchase notes' history, the staff list and
the sales splits by payment method, hour and cashier. Kept here only as the reference that
test_plain_reads_reference.py compares the text against, on SQLite and PostgreSQL. The DTOs and
row makers are the program's own, imported."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import date, datetime
from typing import Any

from sqlalchemy import case, func, or_, select
from sqlalchemy.orm import Session

from jxc_desktop.db.models import AuditLog, Payment, Person, Purchase, PurchaseLine, Sale, SaleLine, Supplier
from jxc_desktop.db.text_reads import like_pattern
from jxc_desktop.domain.clock import day_bounds_utc
from jxc_desktop.domain.periods import Period
from jxc_desktop.domain.product_rules import clean_text
from jxc_desktop.i18n import _
from jxc_desktop.services.purchasing.dto import NoteSummary
from jxc_desktop.services.reporting.sales import METHOD_LABELS, SalesSplitReport, SalesSplitRow, _row
from jxc_desktop.services.reporting.sql import local_hour
from jxc_desktop.services.safety.audit_list import AuditEntry
from jxc_desktop.services.sales.dto import SaleRow
from jxc_desktop.services.staff.dto import OWNER, PersonDTO


def list_day(s: Session, day: date) -> list[SaleRow]:
    start, end = day_bounds_utc(day, day)
    sales = list(s.execute(select(Sale.id, Sale.number, Sale.kind, Sale.created_at, Sale.total)
                           .where(Sale.created_at >= start, Sale.created_at < end).order_by(Sale.id.desc())))
    ids = [r.id for r in sales]
    counts = {sid: (int(n), int(q or 0)) for sid, n, q in s.execute(
        select(SaleLine.sale_id, func.count(), func.sum(SaleLine.qty)).where(SaleLine.sale_id.in_(ids))
        .group_by(SaleLine.sale_id))}
    methods: dict[int, list[str]] = defaultdict(list)
    for sid, m in s.execute(select(Payment.sale_id, Payment.method)
                            .where(Payment.sale_id.in_(ids), Payment.amount > 0).order_by(Payment.id)):
        methods[sid].append(m)
    return [SaleRow(r.number, r.kind, r.created_at, *counts.get(r.id, (0, 0)), r.total, tuple(methods[r.id]))
            for r in sales]


def audit_query(s: Session, *, action: str = "", text: str = "", since: datetime | None = None,
                until: datetime | None = None, limit: int = 1000) -> list[AuditEntry]:
    q = select(AuditLog)
    if action:
        q = q.where(AuditLog.action == action)
    if since is not None:
        q = q.where(AuditLog.at >= since)
    if until is not None:
        q = q.where(AuditLog.at < until)
    text = (text or "").strip()[:200]
    if text:
        pattern = like_pattern(text)
        q = q.where(or_(*(col.like(pattern, escape="\\") for col in
                          (AuditLog.document, AuditLog.before, AuditLog.after, AuditLog.detail, AuditLog.actor))))
    rows = s.scalars(q.order_by(AuditLog.id.desc()).limit(max(1, min(int(limit), 100_000))))
    return [AuditEntry(r.id, r.at, r.action, r.document, r.before, r.after, r.detail, r.actor or "") for r in rows]


def history(s: Session, *, supplier_id: int | None = None, first: date | None = None, last: date | None = None,
            kinds: Sequence[str] = ("purchase", "return"), statuses: Sequence[str] = ("posted", "reversed"),
            text: str = "", limit: int = 2000) -> list[NoteSummary]:
    """As it was, but for the number search: the text's own % and _ are plain characters now."""
    counts = (select(PurchaseLine.purchase_id, func.count(PurchaseLine.id).label("n"))
              .group_by(PurchaseLine.purchase_id).subquery())
    q = (select(Purchase, Supplier.name, func.coalesce(counts.c.n, 0))
         .outerjoin(Supplier, Supplier.id == Purchase.supplier_id)
         .outerjoin(counts, counts.c.purchase_id == Purchase.id)
         .where(Purchase.kind.in_(list(kinds)), Purchase.status.in_(list(statuses)))
         .order_by(Purchase.doc_date.desc(), Purchase.id.desc()).limit(limit))
    if supplier_id is not None:
        q = q.where(Purchase.supplier_id == supplier_id)
    if first is not None:
        q = q.where(Purchase.doc_date >= first)
    if last is not None:
        q = q.where(Purchase.doc_date <= last)
    text = clean_text(text, "Search", 40).upper()
    if text:
        q = q.where(Purchase.number.like(like_pattern(text), escape="\\"))
    return [NoteSummary(p.id, p.number, p.kind, p.status, p.supplier_id, name or "", p.doc_date, p.total, int(n),
                        p.posted_at) for p, name, n in s.execute(q)]


def staff(s: Session, now: datetime, *, include_inactive: bool = False) -> list[PersonDTO]:
    q = select(Person)
    if not include_inactive:
        q = q.where(Person.active.is_(True))
    people = [PersonDTO(p.id, p.name, p.number, p.role, bool(p.active), bool(p.pin_hash),
                        p.locked_until if p.locked_until is not None and p.locked_until > now else None)
              for p in s.scalars(q)]
    people.sort(key=lambda p: (p.role != OWNER, p.number.zfill(8), p.id))
    return people


def _in_period(period: Period) -> tuple[Any, ...]:
    return (Sale.business_day >= period.first, Sale.business_day <= period.last, Sale.status == "posted")


def _total(s: Session, period: Period, rows: list[SalesSplitRow]) -> SalesSplitRow:
    n, r = s.execute(select(func.sum(case((Sale.kind == "sale", 1), else_=0)),
                            func.sum(case((Sale.kind == "return", 1), else_=0))).where(*_in_period(period))).one()
    return _row("total", _("Total"), sum(x.sales for x in rows), sum(x.returns for x in rows), int(n or 0),
                int(r or 0))


def by_payment(s: Session, period: Period) -> SalesSplitReport:
    is_sale, is_ret = Sale.kind == "sale", Sale.kind == "return"
    stmt = select(
        Payment.method,
        func.sum(case((is_sale, Payment.amount), else_=0)), func.sum(case((is_ret, Payment.amount), else_=0)),
        func.count(func.distinct(case((is_sale, Sale.id)))), func.count(func.distinct(case((is_ret, Sale.id)))),
    ).join(Sale, Sale.id == Payment.sale_id).where(*_in_period(period)).group_by(Payment.method)
    rows = [_row(m, _(METHOD_LABELS.get(m, m)), int(a or 0), int(b or 0), int(n or 0), int(r or 0))
            for m, a, b, n, r in s.execute(stmt)]
    rows.sort(key=lambda x: (-x.net, x.key))
    return SalesSplitReport(period, "payment", tuple(rows), _total(s, period, rows))


def _split(s: Session, group: Any, period: Period) -> list[Any]:
    is_sale, is_ret = Sale.kind == "sale", Sale.kind == "return"
    return list(s.execute(select(
        group, func.sum(case((is_sale, Sale.total), else_=0)), func.sum(case((is_ret, Sale.total), else_=0)),
        func.sum(case((is_sale, 1), else_=0)), func.sum(case((is_ret, 1), else_=0)),
    ).where(*_in_period(period)).group_by(group)))


def by_hour(s: Session, period: Period) -> SalesSplitReport:
    found = {int(h): (int(a or 0), int(b or 0), int(n or 0), int(r or 0))
             for h, a, b, n, r in _split(s, local_hour(Sale.created_at, period), period)}
    rows = [_row(f"{h:02d}", f"{h:02d}:00", *found.get(h, (0, 0, 0, 0))) for h in range(24)]
    return SalesSplitReport(period, "hour", tuple(rows), _total(s, period, rows))


def by_cashier(s: Session, period: Period) -> SalesSplitReport:
    found = _split(s, Sale.cashier_id, period)
    names = dict(s.execute(select(Person.id, Person.name).where(
        Person.id.in_([c for c, *_rest in found if c is not None]))).all())
    rows = [_row(str(cid) if cid is not None else "", names.get(cid, "") if cid is not None else _("(nobody signed in)"),
                 int(a or 0), int(b or 0), int(n or 0), int(r or 0)) for cid, a, b, n, r in found]
    rows.sort(key=lambda x: (-x.net, x.label))
    return SalesSplitReport(period, "cashier", tuple(rows), _total(s, period, rows))

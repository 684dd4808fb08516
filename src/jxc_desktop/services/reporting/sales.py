"""Sales by payment method and by hour of the day (when the shop is busy).

Both read posted documents only (a voided sale counts nowhere) and net customer returns against
sales, so each report's total net equals the profit summary's net sales for the same period.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session

from jxc_desktop.db.models import Payment, Sale
from jxc_desktop.domain.money import div_round
from jxc_desktop.domain.periods import Period
from jxc_desktop.i18n import _
from jxc_desktop.services.reporting.sql import local_hour

METHOD_LABELS = {
    "cash": "Cash",
    "wechat": "WeChat Pay",
    "alipay": "Alipay",
    "card": "Bank card",
    "stored_value": "Stored value",  # a member's 储值 (issue 17)
    "points": "Points",
}


@dataclass(frozen=True, slots=True)
class SalesSplitRow:
    key: str  # payment method, or the hour "00".."23"; "total"
    label: str
    sales: int  # received for sales, fen
    returns: int  # refunded for customer returns, fen
    net: int
    sale_count: int  # sales paid (partly) this way / started in this hour
    return_count: int
    avg_ticket: int  # sales ÷ sale_count


@dataclass(frozen=True)
class SalesSplitReport:
    period: Period
    by: str  # payment | hour
    rows: tuple[SalesSplitRow, ...]
    total: SalesSplitRow


def _row(key: str, label: str, sales: int, returns: int, n: int, r: int) -> SalesSplitRow:
    return SalesSplitRow(key, label, sales, returns, sales - returns, n, r, div_round(sales, n) if n else 0)


def _in_period(period: Period) -> tuple[object, ...]:
    return (Sale.business_day >= period.first, Sale.business_day <= period.last, Sale.status == "posted")


def _total(s: Session, period: Period, rows: list[SalesSplitRow]) -> SalesSplitRow:
    n, r = s.execute(select(func.sum(case((Sale.kind == "sale", 1), else_=0)),
                            func.sum(case((Sale.kind == "return", 1), else_=0))).where(*_in_period(period))).one()
    return _row("total", _("Total"), sum(x.sales for x in rows), sum(x.returns for x in rows), int(n or 0),
                int(r or 0))


def by_payment(s: Session, period: Period) -> SalesSplitReport:
    is_sale = Sale.kind == "sale"
    is_ret = Sale.kind == "return"
    stmt = select(
        Payment.method,
        func.sum(case((is_sale, Payment.amount), else_=0)), func.sum(case((is_ret, Payment.amount), else_=0)),
        func.count(func.distinct(case((is_sale, Sale.id)))), func.count(func.distinct(case((is_ret, Sale.id)))),
    ).join(Sale, Sale.id == Payment.sale_id).where(*_in_period(period)).group_by(Payment.method)
    rows = [_row(m, _(METHOD_LABELS.get(m, m)), int(a or 0), int(b or 0), int(n or 0), int(r or 0))
            for m, a, b, n, r in s.execute(stmt)]
    rows.sort(key=lambda x: (-x.net, x.key))
    return SalesSplitReport(period, "payment", tuple(rows), _total(s, period, rows))


def by_hour(s: Session, period: Period) -> SalesSplitReport:
    """Every hour 0..23 appears, so the chart shows the quiet hours too."""
    hour = local_hour(Sale.created_at, period)
    is_sale = Sale.kind == "sale"
    is_ret = Sale.kind == "return"
    stmt = select(
        hour, func.sum(case((is_sale, Sale.total), else_=0)), func.sum(case((is_ret, Sale.total), else_=0)),
        func.sum(case((is_sale, 1), else_=0)), func.sum(case((is_ret, 1), else_=0)),
    ).where(*_in_period(period)).group_by(hour)
    found = {int(h): (int(a or 0), int(b or 0), int(n or 0), int(r or 0)) for h, a, b, n, r in s.execute(stmt)}
    rows = [_row(f"{h:02d}", f"{h:02d}:00", *found.get(h, (0, 0, 0, 0))) for h in range(24)]
    return SalesSplitReport(period, "hour", tuple(rows), _total(s, period, rows))

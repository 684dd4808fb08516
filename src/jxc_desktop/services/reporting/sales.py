"""Sales by payment method and by hour of the day (when the shop is busy).

Both read posted documents only (a voided sale counts nowhere) and net customer returns against
sales, so each report's total net equals the profit summary's net sales for the same period.
"""

from __future__ import annotations

from dataclasses import dataclass

from jxc_desktop.db.text_reads import Rows
from jxc_desktop.domain.money import div_round
from jxc_desktop.domain.periods import Period
from jxc_desktop.i18n import _
from jxc_desktop.services.reporting.local_text import local_time, period_binds

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


# Written as SQL text both drivers run (db/text_reads.py): the window and PostgreSQL through the
# reports service, ``jxc report payments|hours|cashiers`` on sqlite3 alone (issue 15).
_IN_PERIOD = "s.business_day >= :first AND s.business_day <= :last AND s.status = 'posted'"
_SALE, _RETURN = "s.kind = 'sale'", "s.kind = 'return'"
_COUNTS = (f"SELECT sum(CASE WHEN {_SALE} THEN 1 ELSE 0 END), sum(CASE WHEN {_RETURN} THEN 1 ELSE 0 END) "
           f"FROM sale s WHERE {_IN_PERIOD}")
_BY_PAYMENT = (f"SELECT p.method, sum(CASE WHEN {_SALE} THEN p.amount ELSE 0 END), "
               f"sum(CASE WHEN {_RETURN} THEN p.amount ELSE 0 END), "
               f"count(DISTINCT CASE WHEN {_SALE} THEN s.id END), count(DISTINCT CASE WHEN {_RETURN} THEN s.id END) "
               f"FROM payment p JOIN sale s ON s.id = p.sale_id WHERE {_IN_PERIOD} GROUP BY p.method")
# Per group: sales and returns (the documents' totals) and how many of each.
_SPLIT = (f"SELECT {{group}}, sum(CASE WHEN {_SALE} THEN s.total ELSE 0 END), "
          f"sum(CASE WHEN {_RETURN} THEN s.total ELSE 0 END), sum(CASE WHEN {_SALE} THEN 1 ELSE 0 END), "
          f"sum(CASE WHEN {_RETURN} THEN 1 ELSE 0 END) FROM sale s WHERE {_IN_PERIOD} GROUP BY {{group}}")
_BY_CASHIER = _SPLIT.format(group="s.cashier_id")
_NAMES = "SELECT id, name FROM person"


def _total(rows: Rows, period: Period, found: list[SalesSplitRow]) -> SalesSplitRow:
    ((n, r),) = rows.all(_COUNTS, **period_binds(period, rows.dialect))
    return _row("total", _("Total"), sum(x.sales for x in found), sum(x.returns for x in found), int(n or 0),
                int(r or 0))


def by_payment(rows: Rows, period: Period) -> SalesSplitReport:
    found = [_row(m, _(METHOD_LABELS.get(m, m)), int(a or 0), int(b or 0), int(n or 0), int(r or 0))
             for m, a, b, n, r in rows.all(_BY_PAYMENT, **period_binds(period, rows.dialect))]
    found.sort(key=lambda x: (-x.net, x.key))
    return SalesSplitReport(period, "payment", tuple(found), _total(rows, period, found))


def by_hour(rows: Rows, period: Period) -> SalesSplitReport:
    """Every hour 0..23 appears, so the chart shows the quiet hours too."""
    hour = f"CAST(substr({local_time('s.created_at', period, rows.dialect)}, 12, 2) AS INTEGER)"
    sums = {int(h): (int(a or 0), int(b or 0), int(n or 0), int(r or 0))
            for h, a, b, n, r in rows.all(_SPLIT.format(group=hour), **period_binds(period, rows.dialect))}
    found = [_row(f"{h:02d}", f"{h:02d}:00", *sums.get(h, (0, 0, 0, 0))) for h in range(24)]
    return SalesSplitReport(period, "hour", tuple(found), _total(rows, period, found))


def by_cashier(rows: Rows, period: Period) -> SalesSplitReport:
    """Sales rung up with nobody signed in (a shop without cashiers, history before migration 0010)
    are one row of their own."""
    sums = rows.all(_BY_CASHIER, **period_binds(period, rows.dialect))
    names = dict(rows.all(_NAMES)) if any(cid is not None for cid, *_rest in sums) else {}
    found = [_row(str(cid) if cid is not None else "", names.get(cid, "") if cid is not None else _("(nobody signed in)"),
                  int(a or 0), int(b or 0), int(n or 0), int(r or 0)) for cid, a, b, n, r in sums]
    found.sort(key=lambda x: (-x.net, x.label))
    return SalesSplitReport(period, "cashier", tuple(found), _total(rows, period, found))

"""The sell-through and broken-sizes reports' SQLAlchemy reads before they became SQL text (session
16, catalog/style_figures.py), kept word for word as the reference the new text must equal
(test_style_sales_reference.py). The styles' colours, sizes and variants are read by
catalog/styles.style_dtos, the window's reading, unchanged."""

from __future__ import annotations

from datetime import date

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session, selectinload

from jxc_desktop.db.models import Product, SaleLine, StockMove, Style
from jxc_desktop.domain.clock import day_start_utc
from jxc_desktop.domain.errors import ValidationError
from jxc_desktop.domain.periods import Period
from jxc_desktop.domain.variants import sell_through_bp
from jxc_desktop.services.catalog.dto import BrokenSizeRow, SellThroughRow
from jxc_desktop.services.catalog.style_figures import broken_sizes_of, sell_through_of
from jxc_desktop.services.catalog.styles import style_by_code, style_dtos

# the reports' shapes did not change: only the reads are kept as they were
from jxc_desktop.services.reporting.style_sales import (
    BrokenLine,
    BrokenSizesReport,
    SellThroughLine,
    SellThroughReport,
)

LEVELS = ("style", "colour", "size", "cell")
POSTED = "posted"


def _sold(session: Session, first: date, last: date, style_id: int | None) -> dict[int, tuple[int, int]]:
    """Net (qty, amount) sold per variant product over the period."""
    sign = case((SaleLine.kind == "return", -1), else_=1)
    q = (select(SaleLine.product_id, func.sum(sign * SaleLine.qty), func.sum(sign * SaleLine.amount))
         .join(Product, Product.id == SaleLine.product_id)
         .where(Product.style_id.is_not(None), SaleLine.status == POSTED,
                SaleLine.business_day >= first, SaleLine.business_day <= last)
         .group_by(SaleLine.product_id))
    if style_id is not None:
        q = q.where(Product.style_id == style_id)
    return {pid: (int(qty or 0), int(amount or 0)) for pid, qty, amount in session.execute(q)}


def _on_hand(session: Session, last: date | None, style_id: int | None) -> dict[int, int]:
    """Stock per variant product at the end of local day ``last`` (now when None)."""
    q = select(Product.id, Product.stock_qty).where(Product.style_id.is_not(None))
    if style_id is not None:
        q = q.where(Product.style_id == style_id)
    stock = {pid: qty for pid, qty in session.execute(q)}
    if last is not None:
        after = day_start_utc(date.fromordinal(last.toordinal() + 1))
        mq = (select(StockMove.product_id, func.sum(StockMove.qty)).join(Product, Product.id == StockMove.product_id)
              .where(Product.style_id.is_not(None), StockMove.created_at >= after)
              .group_by(StockMove.product_id))
        if style_id is not None:
            mq = mq.where(Product.style_id == style_id)
        for pid, qty in session.execute(mq):
            stock[pid] = stock.get(pid, 0) - int(qty or 0)
    return stock


def sell_through_in(session: Session, first: date, last: date, *, level: str = "style",
                    style_code: str | None = None) -> list[SellThroughRow]:
    if level not in LEVELS:
        raise ValidationError("Group by one of {levels}", levels=", ".join(LEVELS))
    if last < first:
        raise ValidationError("The period ends before it begins")
    if style_code:
        styles = [style_by_code(session, style_code)]
    else:
        styles = list(session.scalars(select(Style).options(selectinload(Style.category)).order_by(Style.code)))
    if not styles:  # a shop without styles: no year of sales and moves summed for nothing (1.3 s at 1 M lines)
        return []
    style_id = styles[0].id if style_code else None
    sold = _sold(session, first, last, style_id)
    on_hand = _on_hand(session, last, style_id)
    return sell_through_of(style_dtos(session, styles, barcodes=False), level, sold, on_hand)


def broken_sizes_in(session: Session, style_code: str | None = None) -> list[BrokenSizeRow]:
    """Every active style's colours with some sizes at zero while others remain (stock now)."""
    if style_code:
        styles = [style_by_code(session, style_code)]
    else:
        styles = list(session.scalars(select(Style).options(selectinload(Style.category))
                                      .where(Style.active.is_(True)).order_by(Style.code)))
    return broken_sizes_of(style_dtos(session, styles, barcodes=False))


def sell_through_report(s: Session, period: Period, by: str) -> SellThroughReport:
    if by not in LEVELS:
        raise ValidationError("Group by one of {levels}", levels=", ".join(LEVELS))
    rows = tuple(SellThroughLine(r.style_code, r.style_name, r.colour, r.size, r.sold, r.amount, r.on_hand,
                                 r.rate_bp)
                 for r in sell_through_in(s, period.first, period.last, level=by))
    qty, amount, on_hand = (sum(r.qty for r in rows), sum(r.amount for r in rows), sum(r.on_hand for r in rows))
    total = SellThroughLine("", "", "", "", qty, amount, on_hand, sell_through_bp(qty, on_hand))
    return SellThroughReport(period, by, rows, total)


def broken_sizes_report(s: Session, today: date) -> BrokenSizesReport:
    rows = tuple(BrokenLine(r.style_code, r.style_name, r.season, r.colour, " ".join(r.missing),
                            " ".join(r.remaining), r.on_hand) for r in broken_sizes_in(s))
    return BrokenSizesReport(today, rows, BrokenLine("", "", "", "", "", "", sum(r.on_hand for r in rows)))

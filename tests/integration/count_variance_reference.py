"""The SQLAlchemy queries of a count's totals and scope names that session 16 replaced by SQL text
(services/stock/count_variance.py), kept word for word as the reference the text is compared with
(test_count_list_plain.py)."""

from __future__ import annotations

import json

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from jxc_desktop.db.models import Category, Product, StockCount, StockCountLine
from jxc_desktop.domain import costing
from jxc_desktop.services.stock.dto import POSTED, CountSummary


def count_summary(session: Session, count: StockCount) -> CountSummary:
    """Totals: lines, counted, uncounted, 盘盈 and 盘亏 in quantity and value."""
    s, count_id = session, count.id
    posted = count.status == POSTED
    c = StockCountLine
    total, counted = s.execute(select(func.count(c.id), func.count(c.counted_qty))
                               .where(c.count_id == count_id)).one()
    if posted:
        diffs = s.execute(select(c.diff_qty, c.diff_value).where(c.count_id == count_id, c.diff_qty != 0))
        pairs = [(int(q), int(v)) for q, v in diffs]
    else:
        diffs = s.execute(
            select(c.counted_qty - func.coalesce(c.expected_qty, 0), Product.avg_cost)
            .join(Product, Product.id == c.product_id)
            .where(c.count_id == count_id, c.counted_qty.is_not(None),
                   c.counted_qty != func.coalesce(c.expected_qty, 0)))
        pairs = [(int(q), costing.value_of(int(q), int(a))) for q, a in diffs]
    gains = [(q, v) for q, v in pairs if q > 0]
    losses = [(q, v) for q, v in pairs if q < 0]
    return CountSummary(
        count_id=count_id, number=count.number, status=count.status, lines=int(total),
        counted=int(counted), uncounted=int(total) - int(counted), gain_lines=len(gains),
        gain_qty=sum(q for q, _ in gains), gain_value=sum(v for _, v in gains),
        loss_lines=len(losses), loss_qty=-sum(q for q, _ in losses),
        loss_value=-sum(v for _, v in losses))


def scope_names(session: Session, scope: str) -> str:
    if not scope:
        return ""
    ids = json.loads(scope)
    names = session.scalars(select(Category.name).where(Category.id.in_(ids)).order_by(Category.name))
    return "、".join(names)


def line_totals(session: Session, count: StockCount) -> tuple[int, int]:
    c = StockCountLine.__table__.c
    total, counted = session.execute(
        select(func.count(c.id), func.count(c.counted_qty)).where(c.count_id == count.id)).one()
    return int(total), int(counted)

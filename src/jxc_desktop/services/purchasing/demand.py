"""Sales history in the shape the forecast reads (domain/forecast.py): weekly sums counted back
from ``today`` per product and per category, weekday totals, the age of each product.

Block 0 is the 7 local business days before ``today``, block 1 the 7 before those, … up to
``forecast.TREND_HISTORY`` blocks (60 weeks). Net sales: customer returns count against their day.
The weekly sums come out of SQLite grouped (one row per product and week it sold in), read from the
covering report index ``ix_sale_line_report``: a year of a 100 000-product shop is one pass.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta

from sqlalchemy import Integer, case, cast, func, literal, select
from sqlalchemy.orm import Session

from jxc_desktop.db.models import Product, SaleLine
from jxc_desktop.domain import forecast
from jxc_desktop.domain.quantity import MILLI

_CHUNK = 900
HISTORY_WEEKS = forecast.TREND_HISTORY


@dataclass
class Demand:
    """What the forecasts of a set of products need, read in one go."""

    today: date
    history: int = 0  # whole weeks of sales history the shop has (at most HISTORY_WEEKS)
    blocks: dict[int, list[float]] = field(default_factory=dict)  # product → units per week, block 0 first
    category_blocks: dict[int | None, list[float]] = field(default_factory=dict)
    category_of: dict[int, int | None] = field(default_factory=dict)
    weeks_known: dict[int, int] = field(default_factory=dict)  # product → weeks since it was created
    weekday: dict[int, list[float]] = field(default_factory=dict)  # frequent sellers' own weekday totals
    category_weekday: dict[int | None, list[float]] = field(default_factory=dict)

    def forecast(self, product_id: int, weeks: int) -> forecast.Forecast:
        cat = self.category_of.get(product_id)
        blocks = self.blocks.get(product_id) or [0.0] * self.history
        shape = self.weekday.get(product_id) or self.category_weekday.get(cat)
        return forecast.forecast(blocks, weeks=weeks, first_weekday=self.today.weekday(),
                                 own_weeks_known=self.weeks_known.get(product_id, 0),
                                 category_blocks=self.category_blocks.get(cat), weekday_totals=shape)


def net_qty():  # type: ignore[no-untyped-def]
    return func.sum(case((SaleLine.kind == "return", -SaleLine.qty), else_=SaleLine.qty))


def posted_between(first: date, today: date):  # type: ignore[no-untyped-def]
    return (SaleLine.kind.in_(("sale", "return")), SaleLine.status == "posted",
            SaleLine.business_day >= first, SaleLine.business_day < today)


def load(session: Session, today: date, product_ids: Iterable[int] | None = None, *,
         weeks: int = HISTORY_WEEKS) -> Demand:
    """The demand of ``product_ids`` (None: every product that sold in the last 60 weeks), and of
    their categories (all products of the category, so a new product gets the category's shape).
    ``weeks``: more than 60 for a screen that shows last year's twins of more weeks."""
    out = Demand(today)
    # Only whole weeks since the shop's first sale count: before it there was no shop, not no demand.
    start = session.scalar(select(func.min(SaleLine.business_day)).where(SaleLine.kind == "sale"))
    n = out.history = min(weeks, (today - start).days // 7) if start is not None and start < today else 0
    first = today - timedelta(days=7 * n)
    wanted = None if product_ids is None else set(product_ids)
    days_back = func.julianday(literal(today.isoformat())) - func.julianday(SaleLine.business_day)
    blk = cast((days_back - 1) / 7, Integer).label("blk")
    rows = session.execute(select(SaleLine.product_id, blk, net_qty())
                           .where(*posted_between(first, today)).group_by(SaleLine.product_id, blk))
    cat_of = dict(session.execute(select(Product.id, Product.category_id)).all())
    per_cat: dict[int | None, list[float]] = defaultdict(lambda: [0.0] * n)
    for pid, b, q in rows:
        if not 0 <= b < n:
            continue
        units = q / MILLI
        per_cat[cat_of.get(pid)][b] += units
        if wanted is None or pid in wanted:
            mine = out.blocks.get(pid)
            if mine is None:
                mine = out.blocks[pid] = [0.0] * n
            mine[b] += units
    out.category_blocks = dict(per_cat)
    ids = list(out.blocks) if wanted is None else list(wanted)
    out.category_of = {pid: cat_of.get(pid) for pid in ids}
    out.weeks_known = {pid: min(n, w) for pid, w in _weeks_known(session, today, ids).items()}
    _weekdays(session, out, today)
    return out


def _weeks_known(session: Session, today: date, ids: list[int]) -> dict[int, int]:
    out: dict[int, int] = {}
    created = select(Product.id, Product.created_at)
    rows = (session.execute(created).all() if len(ids) > _CHUNK * 20 else
            [r for i in range(0, len(ids), _CHUNK)
             for r in session.execute(created.where(Product.id.in_(ids[i:i + _CHUNK]))).all()])
    for pid, at in rows:
        out[pid] = max(0, (today - at.date()).days // 7) if at is not None else 0
    return out


def _weekdays(session: Session, out: Demand, today: date) -> None:
    """Weekday totals of the last 12 weeks: per category, and per product selling one a day or more."""
    first = today - timedelta(days=7 * forecast.WEEKDAY_WEEKS)
    wd = cast(func.strftime("%w", SaleLine.business_day), Integer).label("wd")  # 0 = Sunday
    cat: dict[int | None, list[float]] = defaultdict(lambda: [0.0] * 7)
    rows = session.execute(select(Product.category_id, wd, net_qty())
                           .join(Product, Product.id == SaleLine.product_id)
                           .where(*posted_between(first, today)).group_by(Product.category_id, wd))
    for c, w, q in rows:
        cat[c][(w + 6) % 7] += q / MILLI
    out.category_weekday = dict(cat)
    busy = [pid for pid, bl in out.blocks.items() if sum(bl[:forecast.WEEKDAY_WEEKS]) >= 7 * forecast.WEEKDAY_WEEKS]
    for i in range(0, len(busy), _CHUNK):
        for pid, w, q in session.execute(select(SaleLine.product_id, wd, net_qty())
                                         .where(*posted_between(first, today),
                                                SaleLine.product_id.in_(busy[i:i + _CHUNK]))
                                         .group_by(SaleLine.product_id, wd)):
            out.weekday.setdefault(pid, [0.0] * 7)[(w + 6) % 7] += q / MILLI

"""Sales history in the shape the forecast reads (domain/forecast.py): weekly sums counted back
from ``today`` per product and per category, weekday totals, the age of each product.

Block 0 is the 7 local business days before ``today``, block 1 the 7 before those, … up to
``forecast.TREND_HISTORY`` blocks (60 weeks). Net sales: customer returns count against their day.
The weekly sums come out of SQLite grouped (one row per product and week it sold in), read from the
covering report index ``ix_sale_line_report``: a year of a 100 000-product shop is one pass. The
weekday shape is the whole shop's, or a product's own when it sells one a day or more.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta

from sqlalchemy import Integer, case, cast, false, func, literal, or_, select
from sqlalchemy.orm import Session

from jxc_desktop.db.dialect import days_before, weekday_of
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
    shop_weekday: list[float] | None = None  # the whole shop's weekday totals
    # a category's season index and trend, made once for all its products: (category, weeks) → them
    _indexes: dict[tuple[int | None, int], tuple[forecast.SeasonIndex | None, float]] = field(default_factory=dict)

    def forecast(self, product_id: int, weeks: int) -> forecast.Forecast:
        cat = self.category_of.get(product_id)
        blocks = self.blocks.get(product_id) or [0.0] * self.history
        shape = self.weekday.get(product_id) or self.shop_weekday
        key = (cat, weeks)
        if key not in self._indexes:
            cat_blocks = self.category_blocks.get(cat)
            index = forecast.season_index(cat_blocks, weeks) if cat_blocks is not None else None
            trend = forecast.weekly_trend(cat_blocks, index) if cat_blocks is not None and index is not None else 0.0
            self._indexes[key] = (index, trend)
        index, trend = self._indexes[key]
        return forecast.forecast(blocks, weeks=weeks, first_weekday=self.today.weekday(),
                                 own_weeks_known=self.weeks_known.get(product_id, 0),
                                 category_index=index, category_trend=trend, weekday_totals=shape)


def net_qty():  # type: ignore[no-untyped-def]
    return func.sum(case((SaleLine.kind == "return", -SaleLine.qty), else_=SaleLine.qty))


def posted_between(first: date, today: date):  # type: ignore[no-untyped-def]
    return (SaleLine.kind.in_(("sale", "return")), SaleLine.status == "posted",
            SaleLine.business_day >= first, SaleLine.business_day < today)


def load(session: Session, today: date, product_ids: Iterable[int] | None = None, *,
         weeks: int = HISTORY_WEEKS) -> Demand:
    """The demand of ``product_ids`` (None: every product that sold in the history), and of their
    categories (all products of the category, so a new product gets the category's shape).
    ``weeks``: more than 60 for a screen that shows last year's twins of more weeks.

    One pass over the sale lines grouped by product and week (SQLite sorts them once); the category
    sums are added up here from those rows (a join to the product table per line costs twice the
    pass)."""
    out = Demand(today)
    # Only whole weeks since the shop's first sale count: before it there was no shop, not no demand.
    start = session.scalar(select(func.min(SaleLine.business_day)).where(SaleLine.kind == "sale"))
    n = out.history = min(weeks, (today - start).days // 7) if start is not None and start < today else 0
    if n == 0:
        return out
    first = today - timedelta(days=7 * n)
    wanted = None if product_ids is None else set(product_ids)
    conn = session.connection()
    days_back = days_before(literal(today.isoformat()), SaleLine.business_day)
    blk = cast((days_back - 1) / 7, Integer).label("blk")
    stmt = select(SaleLine.product_id, blk, net_qty()).where(*posted_between(first, today))
    if wanted is not None:  # one product's screen: only its categories' sales are needed
        cats = set(conn.execute(select(Product.category_id).where(Product.id.in_(sorted(wanted)[:_CHUNK]))).scalars())
        if len(wanted) <= _CHUNK:
            in_cats = or_(Product.category_id.in_([c for c in cats if c is not None]),
                          Product.category_id.is_(None) if None in cats else false())
            stmt = stmt.where(SaleLine.product_id.in_(select(Product.id).where(in_cats)))
    stmt = stmt.group_by(SaleLine.product_id, blk)
    rows = _raw_rows(conn, stmt)
    cat_of = dict(conn.execute(select(Product.id, Product.category_id)).all())
    per_cat: dict[int | None, list[float]] = defaultdict(lambda: [0.0] * n)
    blocks = out.blocks
    for pid, b, q in rows:
        if not 0 <= b < n:
            continue
        units = q / MILLI
        per_cat[cat_of.get(pid)][b] += units
        if wanted is None or pid in wanted:
            mine = blocks.get(pid)
            if mine is None:
                mine = blocks[pid] = [0.0] * n
            mine[b] += units
    out.category_blocks = dict(per_cat)
    ids = list(blocks) if wanted is None else list(wanted)
    out.category_of = {pid: cat_of.get(pid) for pid in ids}
    # how long a product has existed matters only where its own index could be used
    own = [pid for pid in ids if sum((blocks.get(pid) or ())[:forecast.YEAR_WEEKS]) >= forecast.MIN_YEAR_UNITS]
    out.weeks_known = {pid: min(n, w) for pid, w in _weeks_known(session, today, own).items()}
    _weekdays(session, out, today)
    return out


def _raw_rows(conn, stmt) -> list[tuple]:  # type: ignore[no-untyped-def, type-arg]
    """The rows as the driver gives them: a million SQLAlchemy Row objects cost seconds more than
    tuples. The statement is compiled by SQLAlchemy for the connection's dialect (the SQLite
    seam: db/dialect.py). On the server the rows come through SQLAlchemy (psycopg's own
    placeholders are named)."""
    if conn.dialect.name != "sqlite":
        return [tuple(r) for r in conn.execute(stmt)]
    compiled = stmt.compile(dialect=conn.dialect, compile_kwargs={"render_postcompile": True})
    params = compiled.construct_params()
    # a Date column holds ISO text in SQLite (SQLAlchemy's own storage format for it)
    args = [params[k].isoformat() if isinstance(params[k], date) else params[k] for k in compiled.positiontup or ()]
    cursor = conn.connection.driver_connection.cursor()
    try:
        return cursor.execute(str(compiled), args).fetchall()
    finally:
        cursor.close()


def _weeks_known(session: Session, today: date, ids: list[int]) -> dict[int, int]:
    out: dict[int, int] = {}
    created = select(Product.id, Product.created_at)
    rows = [r for i in range(0, len(ids), _CHUNK)
            for r in session.execute(created.where(Product.id.in_(ids[i:i + _CHUNK]))).all()]
    for pid, at in rows:
        out[pid] = max(0, (today - at.date()).days // 7) if at is not None else 0
    return out


def _weekdays(session: Session, out: Demand, today: date) -> None:
    """Weekday totals of the last 12 weeks: the whole shop's (one pass, no join: in a corner shop
    every category is busier at the weekend alike), and each product's own that sells one a day."""
    first = today - timedelta(days=7 * forecast.WEEKDAY_WEEKS)
    wd = weekday_of(SaleLine.business_day).label("wd")  # 0 = Sunday
    conn = session.connection()
    shop = [0.0] * 7
    for w, q in conn.execute(select(wd, net_qty()).where(*posted_between(first, today)).group_by(wd)).all():
        shop[(w + 6) % 7] += q / MILLI
    out.shop_weekday = shop
    busy = [pid for pid, bl in out.blocks.items()  # a unit a day or more over the weeks known (up to 12)
            if bl and sum(bl[:forecast.WEEKDAY_WEEKS]) >= 7 * len(bl[:forecast.WEEKDAY_WEEKS])]
    for i in range(0, len(busy), _CHUNK):
        for pid, w, q in conn.execute(select(SaleLine.product_id, wd, net_qty())
                                      .where(*posted_between(first, today),
                                             SaleLine.product_id.in_(busy[i:i + _CHUNK]))
                                      .group_by(SaleLine.product_id, wd)).all():
            out.weekday.setdefault(pid, [0.0] * 7)[(w + 6) % 7] += q / MILLI

"""The SQLAlchemy queries of the reorder suggestions (both rules), the demand history and one
product's forecast as they were before they became SQL text (services/purchasing/reorder.py,
reorder_season.py, demand.py, forecasts.py), kept word for word for test_reorder_reference.py. The
row arithmetic that did not change is imported (demand.fill_blocks, reorder.flat_lines_of,
reorder_season.season_lines_of, forecasts.forecast_of, the Demand record);
the groups are sorted by pinyin_initials of the names, computed, as they were. One change: the week
block divides with ``//`` (an integer division on PostgreSQL), where ``/`` made a NUMERIC division
that the CAST rounded there (a bug fixed with the SQL text). On SQLite the two give the same weeks
(the days apart are REAL there: ``/ 7.0`` then, ``/ 7`` now, truncated alike by the CAST)."""

from __future__ import annotations

import sys
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import BigInteger, Integer, and_, case, cast, false, func, literal, or_, select
from sqlalchemy.orm import Session

from jxc_desktop.db.dialect import days_before, month_of, weekday_of
from jxc_desktop.db.models import Barcode, Product, Sale, SaleLine, Supplier
from jxc_desktop.db.uow import Database
from jxc_desktop.domain import forecast
from jxc_desktop.domain.clock import local_today
from jxc_desktop.domain.errors import NotFoundError, ValidationError
from jxc_desktop.domain.quantity import MILLI
from jxc_desktop.domain.reorder_rule import z_for
from jxc_desktop.services.catalog.api import pinyin_initials
from jxc_desktop.services.purchasing.demand import HISTORY_WEEKS, Demand, fill_blocks
from jxc_desktop.services.purchasing.dto import (
    WINDOW_DAYS,
    ProductForecast,
    ReorderGroup,
    ReorderLine,
)
from jxc_desktop.services.purchasing.forecasts import (
    DEFAULT_WEEKS,
    RECENT_WEEKS,
    _month_start,
    forecast_of,
)
from jxc_desktop.services.purchasing.reorder import FLAT, RULES, flat_lines_of
from jxc_desktop.services.purchasing.reorder_season import SEASON, season_lines_of
from jxc_desktop.services.shop import api as shop

_CHUNK = 900
demand = sys.modules[__name__]  # the old modules called each other's functions through the name


# ---------------------------------------------------------------- demand.py
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
    # (was ``/``: PostgreSQL rounded the NUMERIC quotient; see demand._block)
    blk = cast((days_back - 1) // 7, Integer).label("blk")
    stmt = select(SaleLine.product_id, blk, net_qty()).where(*posted_between(first, today))
    if wanted is not None:  # one product's screen: only its categories' sales are needed
        cats = set(conn.execute(select(Product.category_id).where(Product.id.in_(sorted(wanted)[:_CHUNK]))).scalars())
        if len(wanted) <= _CHUNK:
            in_cats = or_(Product.category_id.in_([c for c in cats if c is not None]),
                          Product.category_id.is_(None) if None in cats else false())
            stmt = stmt.where(SaleLine.product_id.in_(select(Product.id).where(in_cats)))
    stmt = stmt.group_by(SaleLine.product_id, blk)
    rows = _raw_rows(conn, stmt)
    own = fill_blocks(out, rows, dict(conn.execute(select(Product.id, Product.category_id)).all()), wanted, n)
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


# ---------------------------------------------------------------- reorder_season.py
def lead_times(s: Session) -> dict[int, int]:
    return {sid: d for sid, d in s.execute(select(Supplier.id, Supplier.lead_time_days)) if d}


def season_lines(s: Session, today: date, cover_days: int, packs_of, supplier_id: int | None = None  # type: ignore[no-untyped-def]
                 ) -> Iterator[tuple[int | None, ReorderLine]]:
    """(supplier id, line) of every product the seasonal rule orders; ``packs_of(ids)`` gives packs."""
    default_lead = shop.get_int(s, "reorder_lead_days")
    z = z_for(shop.get_int(s, "reorder_service_level"))
    leads = lead_times(s)
    dem = demand.load(s, today)
    q = (select(Product.id, Product.code, Product.name, Product.unit, Product.stock_qty, Product.min_stock,
                Product.max_stock, Product.last_supplier_id, Product.last_cost, Product.ref_cost)
         .where(Product.active.is_(True)))
    if supplier_id is not None:
        q = q.where(Product.last_supplier_id == supplier_id)
    rows = [r for r in s.connection().execute(q) if r[0] in dem.blocks or (r[5] > 0 and r[4] < r[5])]
    yield from season_lines_of(rows, leads, default_lead, z, cover_days, dem, packs_of)


# ---------------------------------------------------------------- reorder.py
def _grouped(found: list[tuple[int | None, ReorderLine]], names: dict[int, str]) -> list[ReorderGroup]:
    groups: dict[int | None, list[ReorderLine]] = defaultdict(list)
    for sup, line in found:
        groups[sup].append(line)
    out = [ReorderGroup(sid, names.get(sid, "") if sid else "", tuple(sorted(lines, key=lambda ln: ln.code)))
           for sid, lines in groups.items()]
    out.sort(key=lambda g: (g.supplier_id is None, pinyin_initials(g.supplier_name), g.supplier_name))
    return out



@dataclass(frozen=True)
class ReorderService:
    db: Database

    def suggest(self, *, today: date | None = None, cover_days: int | None = None,
                supplier_id: int | None = None, rule: str = FLAT) -> list[ReorderGroup]:
        """Groups by supplier (named ones in pinyin order, then the group without a supplier).
        ``rule``: "flat" (the module doc) or "season" (reorder_season.py)."""
        if rule not in RULES:
            raise ValidationError("Unknown reorder rule {rule}", rule=str(rule)[:20])
        today = today or local_today()
        first = today - timedelta(days=WINDOW_DAYS)
        with self.db.read() as uow:
            s = uow.session
            n = cover_days if cover_days is not None else shop.get_int(s, "reorder_cover_days")
            if not 1 <= n <= 365:
                raise ValidationError("Cover days must be between 1 and 365")
            if rule == SEASON:
                found = list(season_lines(s, today, n, lambda ids: self._packs(s, ids), supplier_id))
                return _grouped(found, dict(s.execute(select(Supplier.id, Supplier.name)).all()))
            sold = (select(SaleLine.product_id.label("pid"),
                           func.sum(case((Sale.kind == "return", -SaleLine.qty), else_=SaleLine.qty)).label("q"))
                    .join(Sale, Sale.id == SaleLine.sale_id)
                    .where(Sale.business_day >= first, Sale.business_day < today, Sale.status == "posted")
                    .group_by(SaleLine.product_id).subquery())
            q_sold = func.coalesce(sold.c.q, 0)
            q = (select(Product.id, Product.code, Product.name, Product.unit, Product.stock_qty, Product.min_stock,
                        Product.max_stock, Product.last_supplier_id, Product.last_cost, Product.ref_cost, q_sold)
                 .outerjoin(sold, sold.c.pid == Product.id)
                 .where(Product.active.is_(True),
                        or_(and_(Product.min_stock > 0, Product.stock_qty < Product.min_stock),
                            and_(q_sold > 0, cast(Product.stock_qty, BigInteger) * WINDOW_DAYS < q_sold * n))))
            if supplier_id is not None:
                q = q.where(Product.last_supplier_id == supplier_id)
            rows = s.execute(q).all()
            packs = self._packs(s, [r[0] for r in rows])
            names = dict(s.execute(select(Supplier.id, Supplier.name)).all())
        return _grouped(flat_lines_of(rows, packs, n), names)

    @staticmethod
    def _packs(s, ids: list[int]) -> dict[int, int]:  # type: ignore[no-untyped-def]
        """The largest barcode multiplier of each product (a case), where above 1."""
        out: dict[int, int] = {}
        for i in range(0, len(ids), _CHUNK):
            chunk = ids[i:i + _CHUNK]
            out.update(s.execute(select(Barcode.product_id, func.max(Barcode.multiplier))
                                 .where(Barcode.product_id.in_(chunk), Barcode.multiplier > 1)
                                 .group_by(Barcode.product_id)).all())
        return out


# ---------------------------------------------------------------- forecasts.py
@dataclass(frozen=True)
class ForecastService:
    db: Database

    def product(self, code: str, *, today: date | None = None, weeks: int = DEFAULT_WEEKS) -> ProductForecast:
        """The forecast of the product with this code for ``weeks`` weeks from ``today``."""
        if not 1 <= weeks <= forecast.MAX_WEEKS_AHEAD:
            raise ValidationError("Forecast weeks must be 1 to {limit}", limit=forecast.MAX_WEEKS_AHEAD)
        today = today or local_today()
        with self.db.read() as uow:
            s = uow.session
            row = s.execute(select(Product.id, Product.code, Product.name, Product.unit)
                            .where(Product.code == code.strip())).first()
            if row is None:
                raise NotFoundError("Product {code} does not exist", code=code.strip()[:40])
            pid = row[0]
            dem = demand.load(s, today, [pid], weeks=forecast.YEAR_WEEKS + RECENT_WEEKS)
            months = self._months(s, pid, today)
        return forecast_of(row, today, weeks, dem, months)

    @staticmethod
    def _months(s, pid: int, today: date) -> tuple[tuple[str, int], ...]:  # type: ignore[no-untyped-def]
        """Net sales of each of the 12 months up to today's (this month so far)."""
        first = _month_start(today, 11)
        month = month_of(SaleLine.business_day)
        got = dict(s.execute(select(month, demand.net_qty())
                             .where(SaleLine.product_id == pid, *demand.posted_between(first, today))
                             .group_by(month)).all())
        keys = [_month_start(today, back).strftime("%Y-%m") for back in reversed(range(12))]
        return tuple((k, int(got.get(k) or 0)) for k in keys)

"""Sales history in the shape the forecast reads (domain/forecast.py): weekly sums counted back
from ``today`` per product and per category, weekday totals, the age of each product.

Block 0 is the 7 local business days before ``today``, block 1 the 7 before those, … up to
``forecast.TREND_HISTORY`` blocks (60 weeks). Net sales: customer returns count against their day.
The weekly sums come out of SQLite grouped (one row per product and week it sold in), read from the
covering report index ``ix_sale_line_report``: a year of a 100 000-product shop is one pass. The
weekday shape is the whole shop's, or a product's own when it sells one a day or more.

SQL text over :class:`~jxc_desktop.db.text_reads.Rows` (standard library only): the reorder and
forecast services run it on their sessions, ``jxc reorder`` and ``jxc report forecast`` on sqlite3
alone (issue 15); the rows come as the driver's tuples either way (a million Row objects would
cost seconds).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from jxc_desktop.db.dialect_text import POSTGRESQL, day_bind, days_before, weekday_of
from jxc_desktop.db.text_reads import Rows, Where, as_date, as_utc
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


# Net sales (a return counts against its day) of the posted sale lines of days [:first, :today).
NET_QTY = "sum(CASE WHEN (sale_line.kind = 'return') THEN -sale_line.qty ELSE sale_line.qty END)"
POSTED_BETWEEN = ("sale_line.kind IN ('sale', 'return') AND sale_line.status = 'posted'"
                  " AND sale_line.business_day >= :first AND sale_line.business_day < :today")
FIRST_SALE_DAY = "SELECT min(sale_line.business_day) FROM sale_line WHERE sale_line.kind = 'sale'"
CATEGORY_OF = "SELECT product.id, product.category_id FROM product"


def between_binds(first: date, today: date, dialect: str) -> dict[str, object]:
    """``:first`` and ``:today`` of :data:`POSTED_BETWEEN` as the dialect's driver takes them."""
    return {"first": day_bind(first, dialect), "today": day_bind(today, dialect)}


def _block(dialect: str) -> str:
    """The week block of a sale line's day counted back from ``:today`` (0 = the 7 days before):
    whole days − 1, divided by 7 and truncated. SQLite's julianday difference is a REAL (the CAST
    truncates); PostgreSQL's date difference is an integer, divided as one (a NUMERIC division
    would be rounded by the CAST, putting days 5–7 back into the next block)."""
    seven = "7" if dialect == POSTGRESQL else "7.0"
    return f"CAST(({days_before(':today', 'sale_line.business_day', dialect)} - 1) / {seven} AS INTEGER)"


def load(rows: Rows, today: date, product_ids: Iterable[int] | None = None, *,
         weeks: int = HISTORY_WEEKS) -> Demand:
    """The demand of ``product_ids`` (None: every product that sold in the history), and of their
    categories (all products of the category, so a new product gets the category's shape).
    ``weeks``: more than 60 for a screen that shows last year's twins of more weeks.

    One pass over the sale lines grouped by product and week (SQLite sorts them once); the category
    sums are added up here from those rows (a join to the product table per line costs twice the
    pass)."""
    out = Demand(today)
    d = rows.dialect
    # Only whole weeks since the shop's first sale count: before it there was no shop, not no demand.
    start = as_date(rows.all(FIRST_SALE_DAY)[0][0])
    n = out.history = min(weeks, (today - start).days // 7) if start is not None and start < today else 0
    if n == 0:
        return out
    first = today - timedelta(days=7 * n)
    wanted = None if product_ids is None else set(product_ids)
    where = Where(**between_binds(first, today, d))
    where.add(POSTED_BETWEEN)
    if wanted is not None:  # one product's screen: only its categories' sales are needed
        of = Where()
        of.one_of("product.id", "p", sorted(wanted)[:_CHUNK])
        cats = {r[0] for r in rows.all("SELECT product.category_id FROM product" + of.sql(), **of.binds)}
        if len(wanted) <= _CHUNK:
            in_cats = Where()
            in_cats.one_of("product.category_id", "c", [c for c in cats if c is not None])
            either = in_cats.conditions[0] + (" OR product.category_id IS NULL" if None in cats else "")
            where.add(f"sale_line.product_id IN (SELECT product.id FROM product WHERE {either})", **in_cats.binds)
    blk = _block(d)
    found = rows.all(f"SELECT sale_line.product_id, {blk} AS blk, {NET_QTY} FROM sale_line{where.sql()}"
                      f" GROUP BY sale_line.product_id, {blk}", **where.binds)
    own = fill_blocks(out, found, dict(rows.all(CATEGORY_OF)), wanted, n)
    out.weeks_known = {pid: min(n, w) for pid, w in _weeks_known(rows, today, own).items()}
    _weekdays(rows, out, today)
    return out


def fill_blocks(out: Demand, found: Iterable[Sequence[Any]], cat_of: Mapping[int, Any], wanted: set[int] | None,
                n: int) -> list[int]:
    """Each product's and category's weekly units from the (product, week block, net qty) rows into
    ``out`` (only the ``wanted`` products' own, when given); the products whose own season index
    could be used, whose age is then read."""
    per_cat: dict[int | None, list[float]] = defaultdict(lambda: [0.0] * n)
    blocks = out.blocks
    for pid, b, q in found:
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
    return [pid for pid in ids if sum((blocks.get(pid) or ())[:forecast.YEAR_WEEKS]) >= forecast.MIN_YEAR_UNITS]


def _weeks_known(rows: Rows, today: date, ids: list[int]) -> dict[int, int]:
    out: dict[int, int] = {}
    for i in range(0, len(ids), _CHUNK):
        where = Where()
        where.one_of("product.id", "p", ids[i:i + _CHUNK])
        for pid, raw in rows.all("SELECT product.id, product.created_at FROM product" + where.sql(), **where.binds):
            at = as_utc(raw)  # the day of the UTC instant, as the ORM's UTC DateTime gave it
            out[pid] = max(0, (today - at.date()).days // 7) if at is not None else 0
    return out


def _weekdays(rows: Rows, out: Demand, today: date) -> None:
    """Weekday totals of the last 12 weeks: the whole shop's (one pass, no join: in a corner shop
    every category is busier at the weekend alike), and each product's own that sells one a day."""
    first = today - timedelta(days=7 * forecast.WEEKDAY_WEEKS)
    wd = weekday_of("sale_line.business_day", rows.dialect)  # 0 = Sunday
    binds = between_binds(first, today, rows.dialect)
    shop = [0.0] * 7
    for w, q in rows.all(f"SELECT {wd} AS wd, {NET_QTY} FROM sale_line WHERE {POSTED_BETWEEN} GROUP BY {wd}",
                         **binds):
        shop[(w + 6) % 7] += q / MILLI
    out.shop_weekday = shop
    busy = [pid for pid, bl in out.blocks.items()  # a unit a day or more over the weeks known (up to 12)
            if bl and sum(bl[:forecast.WEEKDAY_WEEKS]) >= 7 * len(bl[:forecast.WEEKDAY_WEEKS])]
    for i in range(0, len(busy), _CHUNK):
        where = Where(**binds)
        where.add(POSTED_BETWEEN)
        where.one_of("sale_line.product_id", "p", busy[i:i + _CHUNK])
        for pid, w, q in rows.all(f"SELECT sale_line.product_id, {wd} AS wd, {NET_QTY} FROM sale_line{where.sql()}"
                                  f" GROUP BY sale_line.product_id, {wd}", **where.binds):
            out.weekday.setdefault(pid, [0.0] * 7)[(w + 6) % 7] += q / MILLI

"""Stock reports read from the ledger (stock_move), never from today's cached stock:

- stock value at the end of a local day: Σ of every move's qty/value up to then — by the ledger's
  conservation rule that is each product's balance after its last move (DESIGN §4);
- stock flow and turnover for a period: opening value + purchases + sales (COGS out) + count
  differences + other moves (opening stock, adjustments, revaluations) + cost corrections (cost_fix
  moves of refills of stock issued below zero) = closing value, per
  category; turnover = COGS ÷ average stock value ((opening + closing) ÷ 2), days of inventory =
  period days × average stock ÷ COGS;
- slow movers: products with stock on hand now and no sale for N days, with the value tied up;
- expiry: batches with stock that expired or expire within the warning days, at average cost.

Written as SQL text either driver runs (db/text_reads.py): the reports service in its session,
``jxc report stock-value|turnover|slow|expiry|cover`` on sqlite3 alone (issue 15).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import StrEnum
from typing import Any

from jxc_desktop.db.dialect_text import day_bind, utc_bind
from jxc_desktop.db.text_reads import Rows, as_date, as_utc
from jxc_desktop.domain.clock import day_bounds_utc, day_start_utc
from jxc_desktop.domain.costing import value_of
from jxc_desktop.domain.errors import ValidationError
from jxc_desktop.domain.money import div_round
from jxc_desktop.domain.moves import MoveKind
from jxc_desktop.domain.periods import Period
from jxc_desktop.i18n import _
from jxc_desktop.services.reporting import catalogue
from jxc_desktop.services.reporting.dto import ReportKind

PURCHASE_KINDS = (str(MoveKind.PURCHASE), str(MoveKind.PURCHASE_RETURN))
SALE_KINDS = (str(MoveKind.SALE), str(MoveKind.SALE_RETURN))
COUNT_KINDS = (str(MoveKind.COUNT_GAIN), str(MoveKind.COUNT_LOSS))
FIX_KINDS = (str(MoveKind.COST_FIX),)  # refills correcting what was issued below zero


class StockGrouping(StrEnum):
    CATEGORY = "category"
    PRODUCT = "product"


# ---------------------------------------------------------------- stock value at a day


@dataclass(frozen=True, slots=True)
class StockValueRow:
    key: str  # product code or category id ("" = none); "total"
    label: str
    category: str
    qty: int  # thousandths (products only; 0 for categories, whose units differ)
    value: int  # fen
    products: int  # products with stock or value in the group


@dataclass(frozen=True)
class StockValueReport:
    at: date  # end of this local day
    by: StockGrouping
    rows: tuple[StockValueRow, ...]
    total: StockValueRow


def end_of_day(day: date) -> datetime:
    """The UTC instant at which local ``day`` ends (sql.end_of_day_utc, without SQLAlchemy)."""
    return day_start_utc(day + timedelta(days=1))


# The product of a move as a GROUP BY key that no product-ordered index can serve (``+ 0``): left
# the bare column, the planner walks (product_id, id) to skip a sort and looks every move up in the
# table; this way it reads the time range of the covering time index (created_at, product_id, kind,
# qty, value) alone, in time order, and groups afterwards.
MOVED_PRODUCT = "product_id + 0"
FIRST_MOVE = "SELECT min(created_at) FROM stock_move"
LAST_MOVE = "SELECT max(created_at) FROM stock_move"
CACHED_POSITIONS = "SELECT id AS pid, stock_qty AS q, stock_value AS v FROM product"
POSITIONS_BEFORE = (f"SELECT {MOVED_PRODUCT} AS pid, sum(qty) AS q, sum(value) AS v FROM stock_move "
                    f"WHERE created_at < :until GROUP BY {MOVED_PRODUCT}")
# One grouping over the cached positions and the later moves negated (a join of the products to a
# grouped subquery has no index to meet on: SQLite would scan it once per product).
POSITIONS_SINCE = (f"SELECT parts.pid, sum(parts.q) AS q, sum(parts.v) AS v FROM ({CACHED_POSITIONS} "
                   "UNION ALL SELECT product_id, -qty, -value FROM stock_move WHERE created_at >= :until) AS parts "
                   "GROUP BY parts.pid")


def positions_at(rows: Rows, until: datetime) -> tuple[str, dict[str, object]]:
    """Each product's (pid, q, v) just before ``until`` as SQL text of a subquery and its binds,
    reading the fewer moves: those before it (their sums), or those since it (today's cached
    position minus them: the ledger's rule that the cache is the sum of the moves, which `jxc check`
    verifies). Either way one range of the time index, so the cost follows the moves read, not a
    lookup per move."""
    # Two queries: SQLite answers a lone min() or max() from the index's end, both at once by a scan.
    last = as_utc(rows.all(LAST_MOVE)[0][0])
    first = as_utc(rows.all(FIRST_MOVE)[0][0])
    if last is None or last < until:
        # Nothing moved since: the cached positions are the answer, no pass over a year of moves.
        return CACHED_POSITIONS, {}
    assert first is not None
    sql = POSITIONS_BEFORE if until - first <= last - until else POSITIONS_SINCE
    return sql, {"until": utc_bind(until, rows.dialect)}


_HELD = ("FROM ({pos}) AS agg JOIN product p ON p.id = agg.pid LEFT OUTER JOIN category c ON c.id = p.category_id "
         "WHERE agg.q != 0 OR agg.v != 0")
HELD_BY_PRODUCT = f"SELECT p.code, p.name, c.name, agg.q, agg.v {_HELD}"
HELD_BY_CATEGORY = f"SELECT p.category_id, c.name, sum(agg.v), count(*) {_HELD} GROUP BY p.category_id, c.name"


def stock_value_report(rows: Rows, at: date, by: StockGrouping | str = StockGrouping.CATEGORY) -> StockValueReport:
    """Stock held at the end of local day ``at``, valued at the ledger's moving average."""
    by = StockGrouping(by)
    pos, binds = positions_at(rows, end_of_day(at))
    found: list[StockValueRow] = []
    if by is StockGrouping.PRODUCT:
        uncategorized = _("Uncategorized")
        found = [StockValueRow(code, name, cat or uncategorized, int(q), int(v), 1)
                 for code, name, cat, q, v in rows.each(HELD_BY_PRODUCT.format(pos=pos), **binds)]
    else:
        found = [StockValueRow("" if cid is None else str(cid), name or _("Uncategorized"), "", 0, int(v), int(n))
                 for cid, name, v, n in rows.all(HELD_BY_CATEGORY.format(pos=pos), **binds)]
    found.sort(key=lambda r: (-r.value, r.key))
    total = StockValueRow("total", _("Total"), "", sum(r.qty for r in found) if by is StockGrouping.PRODUCT else 0,
                          sum(r.value for r in found), sum(r.products for r in found))
    return StockValueReport(at, by, tuple(found), total)


# ---------------------------------------------------------------- flow and turnover


@dataclass(frozen=True, slots=True)
class TurnoverRow:
    key: str  # category id ("" = none); "total"
    label: str
    opening: int  # stock value at the start of the period, fen
    purchases: int  # purchases − returns to suppliers (signed value moved)
    sales: int  # sales and customer returns (negative: cost of goods out)
    counts: int  # count gains − losses
    other: int  # opening stock, adjustments, revaluations
    corrections: int  # cost_fix moves: a refill correcting goods issued below zero (negative = extra cost)
    closing: int  # opening + the five above
    cogs: int  # −sales
    avg_stock: int  # (opening + closing) ÷ 2, half-up
    turnover_x100: int | None  # COGS ÷ average stock × 100; None without stock
    days_of_inventory: int | None  # period days × average stock ÷ COGS; None without COGS


@dataclass(frozen=True)
class TurnoverReport:
    period: Period
    rows: tuple[TurnoverRow, ...]
    total: TurnoverRow
    by: str = "category"  # category | month | category_month (turnover_months.py)


def turnover_row(key: str, label: str, vals: list[int], days: int) -> TurnoverRow:
    opening, purchases, sales, counts, other, fixes = vals
    closing = opening + purchases + sales + counts + other + fixes
    cogs = -sales
    both = opening + closing
    return TurnoverRow(
        key, label, opening, purchases, sales, counts, other, fixes, closing, cogs, div_round(both, 2),
        div_round(cogs * 200, both) if both > 0 else None,
        div_round(both * days, 2 * cogs) if cogs > 0 else None,
    )


def kinds_in(kinds: tuple[str, ...]) -> str:
    """The move kinds as an SQL list of literals (constants of the program, not user input)."""
    return "(" + ", ".join(f"'{k}'" for k in kinds) + ")"


def value_when(cond: str) -> str:
    return f"sum(CASE WHEN {cond} THEN value ELSE 0 END)"


OTHER_KINDS = PURCHASE_KINDS + SALE_KINDS + COUNT_KINDS + FIX_KINDS  # "other": every kind but these
# Per product from the time index alone (a range read in time order), then per category: one
# product lookup per product, not one per move.
_FLOW_PER_PRODUCT = (
    f"SELECT {MOVED_PRODUCT} AS pid, {value_when('created_at < :start')} AS opening, "
    f"{value_when(f'created_at >= :start AND kind IN {kinds_in(PURCHASE_KINDS)}')} AS purchases, "
    f"{value_when(f'created_at >= :start AND kind IN {kinds_in(SALE_KINDS)}')} AS sales, "
    f"{value_when(f'created_at >= :start AND kind IN {kinds_in(COUNT_KINDS)}')} AS counts, "
    f"{value_when(f'created_at >= :start AND kind NOT IN {kinds_in(OTHER_KINDS)}')} AS other, "
    f"{value_when(f'created_at >= :start AND kind IN {kinds_in(FIX_KINDS)}')} AS fixes "
    f"FROM stock_move WHERE created_at < :end GROUP BY {MOVED_PRODUCT}")
FLOW_BY_CATEGORY = ("SELECT p.category_id, sum(f.opening), sum(f.purchases), sum(f.sales), sum(f.counts), "
                    f"sum(f.other), sum(f.fixes) FROM ({_FLOW_PER_PRODUCT}) AS f JOIN product p ON p.id = f.pid "
                    "GROUP BY p.category_id")
CATEGORY_NAMES = "SELECT id, name FROM category"


def turnover_report(rows: Rows, period: Period) -> TurnoverReport:
    start, end = day_bounds_utc(period.first, period.last)
    names = dict(rows.all(CATEGORY_NAMES))
    return turnover_of(period, names, rows.all(FLOW_BY_CATEGORY, start=utc_bind(start, rows.dialect),
                                               end=utc_bind(end, rows.dialect)))


def turnover_of(period: Period, names: Mapping[Any, Any], by_category: Iterable[Sequence[Any]]) -> TurnoverReport:
    """The turnover per category from the category names and each category's (id, opening and five
    flows) row; the reference (tests/integration/stock_reports_reference.py) runs it on its ORM rows."""
    found: list[TurnoverRow] = []
    tot = [0] * 6
    for cid, *raw in by_category:
        vals = [int(v or 0) for v in raw]
        if not any(vals):
            continue
        tot = [a + b for a, b in zip(tot, vals, strict=True)]
        found.append(turnover_row("" if cid is None else str(cid), names.get(cid) or _("Uncategorized"),
                                  vals, period.days))
    found.sort(key=lambda r: (-r.cogs, r.key))
    return TurnoverReport(period, tuple(found), turnover_row("total", _("Total"), tot, period.days))


# ---------------------------------------------------------------- slow movers


@dataclass(frozen=True, slots=True)
class SlowRow:
    key: str  # product code
    label: str
    category: str
    qty: int
    value: int  # tied up now, fen
    last_sale: date | None
    days_idle: int | None  # days since the last sale; None = never sold


@dataclass(frozen=True)
class SlowReport:
    today: date
    days: int
    rows: tuple[SlowRow, ...]
    total: SlowRow


def check_days(kind: ReportKind, days: int) -> None:
    """The days option within the catalogue's range for the report (slow movers, expiry)."""
    option = catalogue.report(kind).days
    assert option is not None
    if not option.lo <= days <= option.hi:
        raise ValidationError("Days must be a whole number from {lo} to {hi}", lo=option.lo, hi=option.hi)


# The line carries its sale's kind, status and day: one seek on (product_id, kind, status,
# business_day) gives the last day, whatever the number of lines the product has.
SLOW_CANDIDATES = (
    "SELECT p.code, p.name, c.name, p.stock_qty, p.stock_value, "
    "(SELECT max(l.business_day) FROM sale_line l WHERE l.product_id = p.id AND l.kind = :sale "
    "AND l.status = :posted AND l.business_day <= :today) "
    "FROM product p LEFT OUTER JOIN category c ON c.id = p.category_id "
    "WHERE p.stock_qty > 0 AND (p.last_sale_at IS NULL OR p.last_sale_at < :since "
    "OR p.last_sale_at >= :after)")  # (sold after a past "today")


def slow_movers(rows: Rows, days: int, today: date) -> SlowReport:
    """Products with stock on hand and no sale on the last ``days`` days (today included).

    Candidates come from the product's ``last_sale_at`` (set by the till on every sale, so it is
    never later than the true last sale); each candidate's last sale day is then one seek in the
    lines' (product, kind, status, day) index, so the answer is exact without aggregating a year of
    lines and the cost grows with the products, not with their lines.
    Stock is today's: a past ``today`` only moves the window of sales looked at."""
    check_days(ReportKind.SLOW, days)
    cutoff = today - timedelta(days=days - 1)
    d = rows.dialect
    uncategorized = _("Uncategorized")
    found = []
    for code, name, cat, qty, value, last in rows.each(
            SLOW_CANDIDATES, sale="sale", posted="posted", today=day_bind(today, d),
            since=utc_bind(day_start_utc(cutoff), d), after=utc_bind(end_of_day(today), d)):
        day = as_date(last)
        if day is not None and day >= cutoff:
            continue
        found.append(SlowRow(code, name, cat or uncategorized, int(qty), int(value), day,
                             (today - day).days if day else None))
    found.sort(key=lambda r: (-r.value, r.key))
    total = SlowRow("total", _("Total"), "", sum(r.qty for r in found), sum(r.value for r in found), None, None)
    return SlowReport(today, days, tuple(found), total)


# ---------------------------------------------------------------- expiry


@dataclass(frozen=True, slots=True)
class ExpiryRow:
    key: str  # product code
    label: str
    batch_no: str
    expiry: date | None
    days_left: int | None  # negative: expired that many days ago
    qty: int
    value: int  # qty at the product's average cost, fen
    expired: bool


@dataclass(frozen=True)
class ExpiryReport:
    today: date
    warning_days: int
    rows: tuple[ExpiryRow, ...]
    total: ExpiryRow


EXPIRY_SETTING = "expiry_warning_days"  # a shop-wide setting: no till keeps its own (till_config.LOCAL_KEYS)
EXPIRING = ("SELECT p.code, p.name, b.batch_no, b.expiry_date, b.qty, p.avg_cost FROM batch b "
            "JOIN product p ON p.id = b.product_id "
            "WHERE b.qty > 0 AND b.expiry_date IS NOT NULL AND b.expiry_date <= :limit "
            "ORDER BY b.expiry_date, p.code, b.batch_no")


def expiry_report(rows: Rows, today: date, warning_days: int | None,
                  setting: Callable[[str], int] | None = None) -> ExpiryReport:
    """Batches with stock that expired or expire within ``warning_days`` of ``today`` (None: the
    shop's setting, which ``setting`` reads as a whole number)."""
    if warning_days is None:
        assert setting is not None, "no reader of the warning days setting"
        warning_days = setting(EXPIRY_SETTING)
    days = warning_days
    check_days(ReportKind.EXPIRY, days)
    limit = today + timedelta(days=days)
    found = []
    for code, name, bno, expiry, qty, avg in rows.all(EXPIRING, limit=day_bind(limit, rows.dialect)):
        exp = as_date(expiry)
        assert exp is not None
        found.append(ExpiryRow(code, name, bno, exp, (exp - today).days, int(qty), value_of(int(qty), int(avg)),
                               exp < today))
    total = ExpiryRow("total", _("Total"), "", None, None, sum(r.qty for r in found), sum(r.value for r in found),
                      False)
    return ExpiryReport(today, days, tuple(found), total)

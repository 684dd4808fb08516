"""Every report as one plain table (columns with a kind, rows of raw values, a total row, an
optional chart), so the screen, the PDF and the xlsx show the same numbers from one place.

Values stay raw — fen, thousandths, basis points, dates — and each output formats them by the
column's kind; nothing is rounded or re-added on the way out.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum
from operator import attrgetter
from typing import Any

from jxc_desktop.domain.money import format_fen
from jxc_desktop.domain.periods import TIME_GROUPINGS, Grouping, Period, format_bp
from jxc_desktop.domain.quantity import format_qty
from jxc_desktop.i18n import _
from jxc_desktop.services.reporting.profit import SORT_FIELDS, ProfitReport
from jxc_desktop.services.reporting.purchases import PurchaseGrouping, PurchaseReport
from jxc_desktop.services.reporting.sales import SalesSplitReport
from jxc_desktop.services.reporting.stock_value import (
    ExpiryReport,
    SlowReport,
    StockGrouping,
    StockValueReport,
    TurnoverReport,
)


class ColKind(StrEnum):
    TEXT = "text"
    MONEY = "money"  # fen
    QTY = "qty"  # thousandths
    INT = "int"
    PCT = "pct"  # basis points (1/100 %)
    TIMES = "times"  # hundredths (turnover 1.36 = 136)
    DATE = "date"


ADDABLE = (ColKind.MONEY, ColKind.QTY, ColKind.INT)


@dataclass(frozen=True)
class Column:
    key: str
    header: str  # already in the current language
    kind: ColKind


MIN_LINE_POINTS = 2  # fewer periods than this + 1 draw bars, not an (empty) line


@dataclass(frozen=True)
class Chart:
    kind: str  # line | bar
    label_col: int
    series: tuple[int, ...]  # money columns drawn
    max_points: int = 20  # bar charts: the first rows only (the table's order)


@dataclass(frozen=True)
class ReportTable:
    report: str  # profit | payments | hours | purchases | stock_value | turnover | slow | best | expiry
    title: str
    subtitle: str  # the period or the day
    columns: tuple[Column, ...]
    rows: tuple[tuple[Any, ...], ...]
    total: tuple[Any, ...] | None
    chart: Chart | None = None
    notes: tuple[str, ...] = ()

    def col(self, key: str) -> int:
        return next(i for i, c in enumerate(self.columns) if c.key == key)


class ReportKind(StrEnum):
    PROFIT = "profit"
    BEST = "best"
    PAYMENTS = "payments"
    HOURS = "hours"
    PURCHASES = "purchases"
    STOCK_VALUE = "stock_value"
    TURNOVER = "turnover"
    SLOW = "slow"
    EXPIRY = "expiry"


class Rank(StrEnum):
    ALL = "all"
    TOP = "top"
    BOTTOM = "bottom"


@dataclass(frozen=True)
class ReportRequest:
    """What the tab, the command line or an export asks for."""

    kind: ReportKind
    period: Period
    by: str = ""  # grouping; "" = the report's default
    rank: Rank = Rank.ALL  # product/category groupings: top or bottom n
    n: int = 20
    sort: str = "net_sales"
    days: int = 30  # slow movers: no sale for this many days
    warning_days: int | None = None  # expiry; None = the setting
    today: date | None = None


def format_value(kind: ColKind, value: Any) -> str:
    """How a raw value reads on screen and in the PDF."""
    if value is None:
        return "—" if kind in (ColKind.PCT, ColKind.TIMES, ColKind.INT, ColKind.DATE) else ""
    if kind is ColKind.MONEY:
        return format_fen(int(value))
    if kind is ColKind.QTY:
        return format_qty(int(value))
    if kind is ColKind.PCT:
        return format_bp(int(value))
    if kind is ColKind.TIMES:
        whole, frac = divmod(abs(int(value)), 100)
        return f"{'-' if value < 0 else ''}{whole}.{frac:02d}"
    if kind is ColKind.DATE:
        return value.isoformat() if isinstance(value, date | datetime) else str(value)
    if kind is ColKind.INT:
        return f"{int(value):,}"
    return str(value)


def _cols(spec: Sequence[tuple[str, str, ColKind]]) -> tuple[Column, ...]:
    return tuple(Column(k, _(h), kind) for k, h, kind in spec)


def _pick(obj: Any, keys: Sequence[str]) -> tuple[Any, ...]:
    return tuple(getattr(obj, k) for k in keys)


# ---------------------------------------------------------------- profit

PROFIT_FIGURES: tuple[tuple[str, str, ColKind], ...] = (
    ("qty", "Qty", ColKind.QTY),
    ("sales", "Sales", ColKind.MONEY),
    ("returns", "Returns", ColKind.MONEY),
    ("net_sales", "Net sales", ColKind.MONEY),
    ("discounts", "Discounts", ColKind.MONEY),
    ("cogs", "Cost of goods sold", ColKind.MONEY),
    ("gross_profit", "Gross profit", ColKind.MONEY),
    ("margin_bp", "Margin", ColKind.PCT),
    ("sale_count", "Sales count", ColKind.INT),
    ("avg_ticket", "Average ticket", ColKind.MONEY),
    ("count_gain", "Count gains", ColKind.MONEY),
    ("count_loss", "Count losses", ColKind.MONEY),
    ("profit_after_count", "Profit after count", ColKind.MONEY),
)
GROUP_HEADERS = {"day": "Day", "week": "Week of", "month": "Month", "product": "Product", "category": "Category"}


def profit_table(rep: ProfitReport, *, rank: Rank = Rank.ALL, n: int = 20, sort: str = "net_sales",
                 title: str = "Profit summary") -> ReportTable:
    by = rep.by
    keys = [k for k, _h, _k in PROFIT_FIGURES]
    lead: list[tuple[str, str, ColKind]] = []
    if by is Grouping.PRODUCT:
        lead = [("key", "Code", ColKind.TEXT), ("label", "Product", ColKind.TEXT), ("category", "Category", ColKind.TEXT)]
    else:
        lead = [("label", GROUP_HEADERS[str(by)], ColKind.TEXT)]
    figures = list(PROFIT_FIGURES)
    if by is not Grouping.PRODUCT:
        figures = [f for f in figures if f[0] != "qty"]  # units of different goods do not add up
        keys.remove("qty")
    lead_keys = [k for k, _h, _k in lead]
    if by in TIME_GROUPINGS or rank is Rank.ALL:
        source = list(rep.rows)
    else:
        source = rep.ranked(sort if sort in SORT_FIELDS else "net_sales", n, bottom=rank is Rank.BOTTOM)
    getter = attrgetter(*(lead_keys + keys))  # C-level picking: 100 000 product rows
    rows = tuple(map(getter, source))
    total = tuple([_("Total")] + [""] * (len(lead) - 1)) + _pick(rep.total, keys)
    notes = []
    if by not in TIME_GROUPINGS and rank is not Rank.ALL:
        notes.append(_("{which} {n} of {total} rows by {field}; the total covers all rows").format(
            which=_("Top") if rank is Rank.TOP else _("Bottom"), n=len(rows), total=len(rep.rows),
            field=_(dict((k, h) for k, h, _k in PROFIT_FIGURES).get(sort, sort))))
    cols = _cols(lead + figures)
    label_col = lead_keys.index("label")
    net, gp = len(lead) + keys.index("net_sales"), len(lead) + keys.index("gross_profit")
    # A line needs points to join: one or two periods (a one-day report) show as bars, each labelled.
    chart = Chart("line" if by in TIME_GROUPINGS and len(rows) > MIN_LINE_POINTS else "bar", label_col, (net, gp))
    return ReportTable("profit" if title == "Profit summary" else "best", _(title), rep.period.label(), cols,
                       rows, total, chart, tuple(notes))


# ---------------------------------------------------------------- sales split


def sales_split_table(rep: SalesSplitReport) -> ReportTable:
    first = ("label", "Payment method" if rep.by == "payment" else "Hour", ColKind.TEXT)
    spec = [first, ("sales", "Sales", ColKind.MONEY), ("returns", "Refunds", ColKind.MONEY),
            ("net", "Net", ColKind.MONEY), ("sale_count", "Sales count", ColKind.INT),
            ("return_count", "Returns count", ColKind.INT), ("avg_ticket", "Average ticket", ColKind.MONEY)]
    keys = [k for k, _h, _k in spec]
    rows = tuple(_pick(r, keys) for r in rep.rows)
    total = (_("Total"),) + _pick(rep.total, keys[1:])
    title = "Sales by payment method" if rep.by == "payment" else "Sales by hour of day"
    return ReportTable("payments" if rep.by == "payment" else "hours", _(title), rep.period.label(), _cols(spec),
                       rows, total, Chart("bar", 0, (3,), max_points=24))


# ---------------------------------------------------------------- purchases


def purchase_table(rep: PurchaseReport) -> ReportTable:
    if rep.by is PurchaseGrouping.SUPPLIER:
        spec = [("label", "Supplier", ColKind.TEXT)]
    else:
        spec = [("key", "Code", ColKind.TEXT), ("label", "Product", ColKind.TEXT), ("category", "Category", ColKind.TEXT),
                ("qty_in", "Qty bought", ColKind.QTY), ("qty_out", "Qty returned", ColKind.QTY)]
    spec += [("purchases", "Purchases", ColKind.MONEY), ("returns", "Returns to suppliers", ColKind.MONEY),
             ("net", "Net purchases", ColKind.MONEY)]
    if rep.by is PurchaseGrouping.PRODUCT:
        spec.append(("avg_cost", "Average unit cost", ColKind.MONEY))
    spec += [("notes", "Purchase notes", ColKind.INT), ("return_notes", "Return notes", ColKind.INT)]
    keys = [k for k, _h, _k in spec]
    lead = 1 if rep.by is PurchaseGrouping.SUPPLIER else 3
    rows = tuple(_pick(r, keys) for r in rep.rows)
    total = (_("Total"),) + ("",) * (lead - 1) + _pick(rep.total, keys[lead:])
    if rep.by is PurchaseGrouping.PRODUCT:
        total = total[:keys.index("avg_cost")] + (None,) + total[keys.index("avg_cost") + 1:]
    note = _("Posted purchase notes minus returns to suppliers by document date; reversed notes are left out.")
    return ReportTable("purchases", _("Purchase summary"), rep.period.label(), _cols(spec), rows, total,
                       Chart("bar", keys.index("label"), (keys.index("net"),)), (note,))


# ---------------------------------------------------------------- stock


def stock_value_table(rep: StockValueReport) -> ReportTable:
    if rep.by is StockGrouping.PRODUCT:
        spec = [("key", "Code", ColKind.TEXT), ("label", "Product", ColKind.TEXT),
                ("category", "Category", ColKind.TEXT), ("qty", "Qty", ColKind.QTY), ("value", "Stock value", ColKind.MONEY)]
    else:
        spec = [("label", "Category", ColKind.TEXT), ("products", "Products in stock", ColKind.INT),
                ("value", "Stock value", ColKind.MONEY)]
    keys = [k for k, _h, _k in spec]
    lead = keys.index("label") + (2 if rep.by is StockGrouping.PRODUCT else 1)
    rows = tuple(_pick(r, keys) for r in rep.rows)
    total = (_("Total"),) + ("",) * (lead - 1) + _pick(rep.total, keys[lead:])
    return ReportTable("stock_value", _("Stock value"), _("End of {day}").format(day=rep.at.isoformat()),
                       _cols(spec), rows, total, Chart("bar", keys.index("label"), (keys.index("value"),)))


def turnover_table(rep: TurnoverReport) -> ReportTable:
    spec = [("label", "Category", ColKind.TEXT), ("opening", "Opening stock", ColKind.MONEY),
            ("purchases", "Purchases", ColKind.MONEY), ("sales", "Sales (cost)", ColKind.MONEY),
            ("counts", "Count differences", ColKind.MONEY), ("other", "Other", ColKind.MONEY),
            ("closing", "Closing stock", ColKind.MONEY), ("cogs", "Cost of goods sold", ColKind.MONEY),
            ("avg_stock", "Average stock", ColKind.MONEY), ("turnover_x100", "Turnover", ColKind.TIMES),
            ("days_of_inventory", "Days of inventory", ColKind.INT)]
    keys = [k for k, _h, _k in spec]
    rows = tuple(_pick(r, keys) for r in rep.rows)
    total = (_("Total"),) + _pick(rep.total, keys[1:])
    note = _("Opening + purchases + sales + count differences + other = closing. "
             "Turnover = cost of goods sold ÷ average stock.")
    return ReportTable("turnover", _("Stock value and turnover"), rep.period.label(), _cols(spec), rows, total,
                       Chart("bar", 0, (keys.index("closing"), keys.index("cogs"))), (note,))


def slow_table(rep: SlowReport) -> ReportTable:
    spec = [("key", "Code", ColKind.TEXT), ("label", "Product", ColKind.TEXT), ("category", "Category", ColKind.TEXT),
            ("qty", "Qty", ColKind.QTY), ("value", "Value tied up", ColKind.MONEY),
            ("last_sale", "Last sale", ColKind.DATE), ("days_idle", "Days without sale", ColKind.INT)]
    keys = [k for k, _h, _k in spec]
    rows = tuple(_pick(r, keys) for r in rep.rows)
    total = (_("Total"), "", "", rep.total.qty, rep.total.value, None, None)
    sub = _("No sale in the {days} days to {day}").format(days=rep.days, day=rep.today.isoformat())
    return ReportTable("slow", _("Slow movers"), sub, _cols(spec), rows, total,
                       Chart("bar", 1, (keys.index("value"),)))


def expiry_table(rep: ExpiryReport) -> ReportTable:
    spec = [("key", "Code", ColKind.TEXT), ("label", "Product", ColKind.TEXT), ("batch_no", "Batch", ColKind.TEXT),
            ("expiry", "Expiry date", ColKind.DATE), ("days_left", "Days left", ColKind.INT),
            ("qty", "Qty", ColKind.QTY), ("value", "Value", ColKind.MONEY), ("state", "State", ColKind.TEXT)]
    keys = [k for k, _h, _k in spec]
    rows = tuple(_pick(r, keys[:-1]) + (_("Expired") if r.expired else _("Expiring soon"),) for r in rep.rows)
    total = (_("Total"), "", "", None, None, rep.total.qty, rep.total.value, "")
    sub = _("Expired or expiring within {days} days of {day}").format(days=rep.warning_days,
                                                                      day=rep.today.isoformat())
    return ReportTable("expiry", _("Expiry warning"), sub, _cols(spec), rows, total)


def build_table(service: Any, req: ReportRequest) -> ReportTable:
    """Run the report a request names on ``service`` (a ReportsService) and tabulate it."""
    k = ReportKind(req.kind)
    if k is ReportKind.PROFIT:
        return profit_table(service.profit(req.period, req.by or "day"), rank=req.rank, n=req.n, sort=req.sort)
    if k is ReportKind.BEST:
        rep = service.profit(req.period, req.by if req.by in ("product", "category") else "product")
        return profit_table(rep, rank=req.rank if req.rank is not Rank.ALL else Rank.TOP, n=req.n, sort=req.sort,
                            title="Best sellers")
    if k is ReportKind.PAYMENTS:
        return sales_split_table(service.payments(req.period))
    if k is ReportKind.HOURS:
        return sales_split_table(service.hours(req.period))
    if k is ReportKind.PURCHASES:
        return purchase_table(service.purchases(req.period, req.by or "supplier"))
    if k is ReportKind.STOCK_VALUE:
        return stock_value_table(service.stock_value(req.period.last, req.by or "category"))
    if k is ReportKind.TURNOVER:
        return turnover_table(service.turnover(req.period))
    if k is ReportKind.SLOW:
        return slow_table(service.slow_movers(req.days, today=req.today))
    return expiry_table(service.expiry(today=req.today, warning_days=req.warning_days))

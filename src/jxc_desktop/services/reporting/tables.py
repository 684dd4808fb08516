"""Every report as one plain table (columns with a kind, rows of raw values, a total row, an
optional chart), so the screen, the text table, the PDF and the xlsx show the same numbers.

The columns come from the report catalogue (catalogue.py); this module only picks each row's values
in that order and adds the total, the chart and the notes.
"""

from __future__ import annotations

from collections.abc import Sequence
from operator import attrgetter
from typing import Any, NamedTuple

from jxc_desktop.domain.periods import TIME_GROUPINGS
from jxc_desktop.i18n import _
from jxc_desktop.services.reporting import catalogue
from jxc_desktop.services.reporting.dto import Chart, Column, Rank, ReportKind, ReportRequest, ReportTable
from jxc_desktop.services.reporting.profit import ProfitReport
from jxc_desktop.services.reporting.purchases import PurchaseGrouping, PurchaseReport
from jxc_desktop.services.reporting.sales import SalesSplitReport
from jxc_desktop.services.reporting.staff_sales import ShiftReport
from jxc_desktop.services.reporting.stock_value import (
    ExpiryReport,
    SlowReport,
    StockGrouping,
    StockValueReport,
    TurnoverReport,
)

MIN_LINE_POINTS = 2  # fewer periods than this + 1 draw bars, not an (empty) line

Report = (ProfitReport | SalesSplitReport | PurchaseReport | StockValueReport | TurnoverReport | SlowReport
          | ExpiryReport | ShiftReport)


class Built(NamedTuple):
    """A report as the service returned it (the command line's JSON reads its rows) and as a table."""

    report: Report
    table: ReportTable


def _keys(cols: Sequence[Column]) -> list[str]:
    return [c.key for c in cols]


def _pick(obj: Any, keys: Sequence[str]) -> tuple[Any, ...]:
    return tuple(getattr(obj, k) for k in keys)


# ---------------------------------------------------------------- profit


def profit_table(rep: ProfitReport, *, rank: Rank = Rank.ALL, n: int = 20, sort: str = catalogue.DEFAULT_SORT,
                 kind: ReportKind = ReportKind.PROFIT) -> ReportTable:
    spec = catalogue.report(kind)
    by = rep.by
    cols = catalogue.columns(kind, str(by))
    keys = _keys(cols)
    lead = keys.index("label") + 1 + ("category" in keys)  # the text columns before the figures
    figures = keys[lead:]
    if rank is Rank.ALL or not spec.can_rank(str(by)):
        source = list(rep.rows)
    else:
        source = rep.ranked(sort if sort in catalogue.SORT_KEYS else catalogue.DEFAULT_SORT, n,
                            bottom=rank is Rank.BOTTOM)
    getter = attrgetter(*keys)  # C-level picking: 100 000 product rows
    rows = tuple(map(getter, source))
    total = tuple([_("Total")] + [""] * (lead - 1)) + _pick(rep.total, figures)
    notes = []
    if spec.can_rank(str(by)) and rank is not Rank.ALL:
        notes.append(_("{which} {n} of {total} rows by {field}; the total covers all rows").format(
            which=_("Top") if rank is Rank.TOP else _("Bottom"), n=len(rows), total=len(rep.rows),
            field=catalogue.sort_label(sort)))
    net, gp = keys.index("net_sales"), keys.index("gross_profit")
    # A line needs points to join: one or two periods (a one-day report) show as bars, each labelled.
    chart = Chart("line" if by in TIME_GROUPINGS and len(rows) > MIN_LINE_POINTS else "bar", keys.index("label"),
                  (net, gp))
    return ReportTable(str(kind), _(spec.title), rep.period.label(), cols, rows, total, chart, tuple(notes))


# ---------------------------------------------------------------- sales split


_SPLIT_KINDS = {"payment": ReportKind.PAYMENTS, "hour": ReportKind.HOURS, "cashier": ReportKind.CASHIERS}


def sales_split_table(rep: SalesSplitReport) -> ReportTable:
    kind = _SPLIT_KINDS[rep.by]
    cols = catalogue.columns(kind)
    keys = _keys(cols)
    rows = tuple(_pick(r, keys) for r in rep.rows)
    total = (_("Total"),) + _pick(rep.total, keys[1:])
    return ReportTable(str(kind), _(catalogue.report(kind).title), rep.period.label(), cols, rows, total,
                       Chart("bar", 0, (keys.index("net"),), max_points=24))


def shift_table(rep: ShiftReport) -> ReportTable:
    cols = catalogue.columns(ReportKind.SHIFTS)
    keys = _keys(cols)
    rows = tuple(_pick(r, keys) for r in rep.rows)
    total = _pick(rep.total, keys)
    note = _("Cash expected = float + cash takings − cash refunds + cash paid in − cash paid out; "
             "over/short = counted − expected (closed shifts).")
    return ReportTable(str(ReportKind.SHIFTS), _(catalogue.report(ReportKind.SHIFTS).title), rep.period.label(),
                       cols, rows, total, Chart("bar", 0, (keys.index("over_short"),)), (note,))


# ---------------------------------------------------------------- purchases


def purchase_table(rep: PurchaseReport) -> ReportTable:
    cols = catalogue.columns(ReportKind.PURCHASES, str(rep.by))
    keys = _keys(cols)
    lead = 1 if rep.by is PurchaseGrouping.SUPPLIER else 3
    rows = tuple(_pick(r, keys) for r in rep.rows)
    total = (_("Total"),) + ("",) * (lead - 1) + _pick(rep.total, keys[lead:])
    if rep.by is PurchaseGrouping.PRODUCT:  # an average of different goods' costs means nothing
        total = total[:keys.index("avg_cost")] + (None,) + total[keys.index("avg_cost") + 1:]
    note = _("Purchase notes minus returns to suppliers by document date (reversed ones too); reversals and "
             "their corrections on the day they were made. Net purchases = the ledger's purchase flow.")
    return ReportTable(str(ReportKind.PURCHASES), _(catalogue.report(ReportKind.PURCHASES).title),
                       rep.period.label(), cols, rows, total,
                       Chart("bar", keys.index("label"), (keys.index("net"),)), (note,))


# ---------------------------------------------------------------- stock


def stock_value_table(rep: StockValueReport) -> ReportTable:
    cols = catalogue.columns(ReportKind.STOCK_VALUE, str(rep.by))
    keys = _keys(cols)
    lead = keys.index("label") + (2 if rep.by is StockGrouping.PRODUCT else 1)
    rows = tuple(_pick(r, keys) for r in rep.rows)
    total = (_("Total"),) + ("",) * (lead - 1) + _pick(rep.total, keys[lead:])
    return ReportTable(str(ReportKind.STOCK_VALUE), _(catalogue.report(ReportKind.STOCK_VALUE).title),
                       _("End of {day}").format(day=rep.at.isoformat()),
                       cols, rows, total, Chart("bar", keys.index("label"), (keys.index("value"),)))


def turnover_table(rep: TurnoverReport) -> ReportTable:
    cols = catalogue.columns(ReportKind.TURNOVER)
    keys = _keys(cols)
    rows = tuple(_pick(r, keys) for r in rep.rows)
    total = (_("Total"),) + _pick(rep.total, keys[1:])
    note = _("Opening + purchases + sales + count differences + other + cost corrections = closing. "
             "Turnover = cost of goods sold ÷ average stock.")
    return ReportTable(str(ReportKind.TURNOVER), _(catalogue.report(ReportKind.TURNOVER).title), rep.period.label(),
                       cols, rows, total, Chart("bar", 0, (keys.index("closing"), keys.index("cogs"))), (note,))


def slow_table(rep: SlowReport) -> ReportTable:
    cols = catalogue.columns(ReportKind.SLOW)
    keys = _keys(cols)
    rows = tuple(_pick(r, keys) for r in rep.rows)
    total = (_("Total"), "", "", rep.total.qty, rep.total.value, None, None)
    sub = _("No sale in the {days} days to {day}").format(days=rep.days, day=rep.today.isoformat())
    return ReportTable(str(ReportKind.SLOW), _(catalogue.report(ReportKind.SLOW).title), sub, cols, rows, total,
                       Chart("bar", 1, (keys.index("value"),)))


def expiry_table(rep: ExpiryReport) -> ReportTable:
    cols = catalogue.columns(ReportKind.EXPIRY)
    keys = _keys(cols)
    rows = tuple(_pick(r, keys[:-1]) + (_("Expired") if r.expired else _("Expiring soon"),) for r in rep.rows)
    total = (_("Total"), "", "", None, None, rep.total.qty, rep.total.value, "")
    sub = _("Expired or expiring within {days} days of {day}").format(days=rep.warning_days,
                                                                      day=rep.today.isoformat())
    return ReportTable(str(ReportKind.EXPIRY), _(catalogue.report(ReportKind.EXPIRY).title), sub, cols, rows, total)


# ---------------------------------------------------------------- any report


def build(service: Any, req: ReportRequest) -> Built:
    """Run the report a request names on ``service`` (a ReportsService) and tabulate it."""
    k = ReportKind(req.kind)
    spec = catalogue.report(k)
    if k in (ReportKind.PROFIT, ReportKind.BEST):
        by = req.by or spec.default_by
        if spec.always_ranked and spec.grouping(by) is None:  # a grouping the tab kept from another report
            by = spec.default_by
        rank = Rank.TOP if spec.always_ranked and req.rank is Rank.ALL else req.rank
        rep = service.profit(req.period, by)
        return Built(rep, profit_table(rep, rank=rank, n=req.n, sort=req.sort, kind=k))
    if k is ReportKind.PAYMENTS:
        split = service.payments(req.period)
        return Built(split, sales_split_table(split))
    if k is ReportKind.HOURS:
        split = service.hours(req.period)
        return Built(split, sales_split_table(split))
    if k is ReportKind.CASHIERS:
        split = service.cashiers(req.period)
        return Built(split, sales_split_table(split))
    if k is ReportKind.SHIFTS:
        shifts = service.shifts(req.period)
        return Built(shifts, shift_table(shifts))
    if k is ReportKind.PURCHASES:
        bought = service.purchases(req.period, req.by or spec.default_by)
        return Built(bought, purchase_table(bought))
    if k is ReportKind.STOCK_VALUE:
        held = service.stock_value(req.period.last, req.by or spec.default_by)
        return Built(held, stock_value_table(held))
    if k is ReportKind.TURNOVER:
        flow = service.turnover(req.period)
        return Built(flow, turnover_table(flow))
    if k is ReportKind.SLOW:
        slow = service.slow_movers(req.days, today=req.today)
        return Built(slow, slow_table(slow))
    expiring = service.expiry(today=req.today, warning_days=req.warning_days)
    return Built(expiring, expiry_table(expiring))

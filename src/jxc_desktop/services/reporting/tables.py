"""Every report as one plain table (columns with a kind, rows of raw values, a total row, an
optional chart), so the screen, the text table, the PDF and the xlsx show the same numbers.

The columns come from the report catalogue (catalogue.py); this module only picks each row's values
in that order and adds the total, the chart and the notes.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from operator import attrgetter, itemgetter
from typing import TYPE_CHECKING, Any, NamedTuple

from jxc_desktop.domain.money import format_fen
from jxc_desktop.domain.periods import TIME_GROUPINGS
from jxc_desktop.i18n import _
from jxc_desktop.services.reporting import catalogue
from jxc_desktop.services.reporting.compare import Comparison, comparison, with_comparison
from jxc_desktop.services.reporting.compare import periods as compare_periods
from jxc_desktop.services.reporting.dto import (
    Chart,
    ColKind,
    Column,
    Rank,
    ReportKind,
    ReportRequest,
    ReportSpec,
    ReportTable,
)

if TYPE_CHECKING:  # the report modules load with the report run (service.py), not with the tables
    from jxc_desktop.services.reporting.abc import AbcReport
    from jxc_desktop.services.reporting.cover import CoverReport
    from jxc_desktop.services.reporting.member_sales import MemberReport
    from jxc_desktop.services.reporting.profit import ProfitReport
    from jxc_desktop.services.reporting.promotion_results import PromotionResults
    from jxc_desktop.services.reporting.purchases import PurchaseReport
    from jxc_desktop.services.reporting.sales import SalesSplitReport
    from jxc_desktop.services.reporting.season import SeasonReport
    from jxc_desktop.services.reporting.staff_sales import ShiftReport
    from jxc_desktop.services.reporting.stock_value import (
        ExpiryReport,
        SlowReport,
        StockValueReport,
        TurnoverReport,
    )
    from jxc_desktop.services.reporting.style_sales import BrokenSizesReport, SellThroughReport

    Report = (ProfitReport | MemberReport | SalesSplitReport | PurchaseReport | StockValueReport | TurnoverReport
              | SlowReport | ExpiryReport | SellThroughReport | BrokenSizesReport | SeasonReport | AbcReport
              | CoverReport | ShiftReport | PromotionResults)

MIN_LINE_POINTS = 2  # fewer periods than this + 1 draw bars, not an (empty) line



class Built(NamedTuple):
    """A report as the service returned it (the command line's JSON reads its rows) and as a table,
    with the previous period and last year's figures when the request asked to compare."""

    report: Report
    table: ReportTable
    comparison: Comparison | None = None


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
    # C-level picking of 100 000 product rows: by position from the named tuple's fields
    getter = itemgetter(*map(source[0]._fields.index, keys)) if source else attrgetter(*keys)
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


def member_table(rep: MemberReport) -> ReportTable:
    cols = catalogue.columns(ReportKind.MEMBERS)
    keys = _keys(cols)
    rows = tuple(_pick(r, keys) for r in rep.rows)
    total = (_("Total"), "", "", rep.visits, rep.sales, rep.saved, None)
    notes = (_("Members' share of the period's sales: {pct}%").format(pct=rep.share_pct),
             _("Owed to members now: {points} points, stored value {amount}").format(
                 points=rep.owed.points, amount=format_fen(rep.owed.stored_value)))
    return ReportTable(str(ReportKind.MEMBERS), _(catalogue.report(ReportKind.MEMBERS).title), rep.period.label(),
                       cols, rows, total, Chart("bar", 0, (keys.index("sales"),), max_points=20), notes)


def promotion_table(rep: PromotionResults) -> ReportTable:
    kind = ReportKind.PROMOTIONS
    cols = catalogue.columns(kind)
    keys = _keys(cols)
    rows = tuple(_pick(r, keys) for r in rep.rows)
    note = _("Sales of the period's lines that got the promotion, less what came back; without it = the same "
             "lines at their prices before the promotion. A line two promotions touched counts in both rows, "
             "once in the total.")
    return ReportTable(str(kind), _(catalogue.report(kind).title), rep.period.label(), cols, rows,
                       _pick(rep.total, keys), Chart("bar", 0, (keys.index("discount"),)), (note,))


# ---------------------------------------------------------------- purchases


def purchase_table(rep: PurchaseReport) -> ReportTable:
    from jxc_desktop.services.reporting.purchases import PurchaseGrouping  # loaded: the report ran

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
    from jxc_desktop.services.reporting.stock_value import StockGrouping  # loaded: the report ran

    cols = catalogue.columns(ReportKind.STOCK_VALUE, str(rep.by))
    keys = _keys(cols)
    lead = keys.index("label") + (2 if rep.by is StockGrouping.PRODUCT else 1)
    rows = tuple(_pick(r, keys) for r in rep.rows)
    total = (_("Total"),) + ("",) * (lead - 1) + _pick(rep.total, keys[lead:])
    return ReportTable(str(ReportKind.STOCK_VALUE), _(catalogue.report(ReportKind.STOCK_VALUE).title),
                       _("End of {day}").format(day=rep.at.isoformat()),
                       cols, rows, total, Chart("bar", keys.index("label"), (keys.index("value"),)))


def turnover_table(rep: TurnoverReport) -> ReportTable:
    cols = catalogue.columns(ReportKind.TURNOVER, rep.by)
    keys = _keys(cols)
    rows = tuple(_pick(r, keys) for r in rep.rows)
    lead = 2 if rep.by == "category_month" else 1
    total = (_("Total"),) + ("",) * (lead - 1) + _pick(rep.total, keys[lead:])
    note = _("Opening + purchases + sales + count differences + other + cost corrections = closing. "
             "Turnover = cost of goods sold ÷ average stock.")
    return ReportTable(str(ReportKind.TURNOVER), _(catalogue.report(ReportKind.TURNOVER).title), rep.period.label(),
                       cols, rows, total, Chart("line" if rep.by == "month" and len(rows) > MIN_LINE_POINTS else "bar",
                                                0, (keys.index("closing"), keys.index("cogs"))), (note,))


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


def sell_through_table(rep: SellThroughReport) -> ReportTable:
    cols = catalogue.columns(ReportKind.SELL_THROUGH, rep.by)
    keys = _keys(cols)
    rows = tuple(_pick(r, keys) for r in rep.rows)
    total = (_("Total"), *_pick(rep.total, keys[1:]))
    note = _("Sell-through = sold in the period ÷ (sold + on hand at its end)")
    return ReportTable(str(ReportKind.SELL_THROUGH), _(catalogue.report(ReportKind.SELL_THROUGH).title),
                       rep.period.label(), cols, rows, total, Chart("bar", 0, (keys.index("amount"),)), (note,))


def broken_sizes_table(rep: BrokenSizesReport) -> ReportTable:
    cols = catalogue.columns(ReportKind.BROKEN_SIZES)
    keys = _keys(cols)
    rows = tuple(_pick(r, keys) for r in rep.rows)
    total = (_("Total"), *([""] * (len(keys) - 2)), rep.total.on_hand)
    return ReportTable(str(ReportKind.BROKEN_SIZES), _(catalogue.report(ReportKind.BROKEN_SIZES).title),
                       rep.today.isoformat(), cols, rows, total)
# ---------------------------------------------------------------- season and ABC


def season_table(rep: SeasonReport) -> ReportTable:
    """Lead columns, one money column per month (shaded by value on screen and in the PDF), then
    the total, last year's and the change."""
    from jxc_desktop.services.reporting.season import SeasonGrouping  # loaded: the report ran

    base = catalogue.columns(ReportKind.SEASON, str(rep.by))
    keys = _keys(base)
    cut = keys.index("total")
    months = tuple(Column(m, m, ColKind.MONEY) for m in rep.months)
    cols = base[:cut] + months + base[cut:]
    lead = keys[:cut]
    by_product = rep.by is SeasonGrouping.PRODUCT
    rows = tuple(((r.key, r.label, r.category) if by_product else (r.label,)) + r.months
                 + (r.total, r.last_year_total, r.yoy_tenths) for r in rep.rows)
    t = rep.total
    total = (_("Total"),) + ("",) * (len(lead) - 1) + t.months + (t.total, t.last_year_total, t.yoy_tenths)
    note = _("Net sales (sales − customer returns) per calendar month; last year = {first} – {last}.").format(
        first=rep.last_year.first.isoformat(), last=rep.last_year.last.isoformat())
    return ReportTable(str(ReportKind.SEASON), _(catalogue.report(ReportKind.SEASON).title), rep.period.label(),
                       cols, rows, total, None, (note,), heat=tuple(range(cut, cut + len(months))))


def cover_table(rep: CoverReport) -> ReportTable:
    from jxc_desktop.services.reporting.cover import CoverGrouping  # loaded: the report ran

    cols = catalogue.columns(ReportKind.COVER, str(rep.by))
    keys = _keys(cols)
    rows = tuple(_pick(r, keys) for r in rep.rows)
    lead = keys.index("cogs")
    total = (_("Total"),) + ("",) * (lead - 1) + _pick(rep.total, keys[lead:])
    if rep.by is CoverGrouping.PRODUCT:  # units of different goods do not add up
        total = total[:keys.index("sold_qty")] + (None, None) + total[keys.index("sold_qty") + 2:]
    note = _("Sell-through = sold ÷ (sold + in stock at the end); days of cover = in stock ÷ sold per day. "
             "Products in units, categories at cost. Days of cover blank: held but not sold in the period.")
    return ReportTable(str(ReportKind.COVER), _(catalogue.report(ReportKind.COVER).title), rep.period.label(),
                       cols, rows, total, None, (note,))


def abc_table(rep: AbcReport) -> ReportTable:
    cols = catalogue.columns(ReportKind.ABC, str(rep.by))
    keys = _keys(cols)
    rows = tuple(map(attrgetter(*keys), rep.rows))  # C-level picking: 100 000 products
    total = (_("Total"), "", "", rep.total, None, None, "")
    classes = "  ".join(_("{cls}: {n} products, {value}").format(cls=c, n=rep.counts[c],
                                                                  value=format_fen(rep.values[c])) for c in "ABC")
    note = _("A = the products that make the first {a}% of the whole, B = the next {b}%, C = the rest "
             "(a product is A while the share before it is below {a}%).").format(a=rep.a_pct, b=rep.b_pct)
    return ReportTable(str(ReportKind.ABC), _(catalogue.report(ReportKind.ABC).title), rep.period.label(), cols,
                       rows, total, Chart("bar", 1, (keys.index("value"),)), (classes, note))


# ---------------------------------------------------------------- any report


def build(service: Any, req: ReportRequest) -> Built:
    """Run the report a request names on ``service`` (a ReportsService) and tabulate it; with
    ``compare``, run it for the previous period and last year's too and add their columns."""
    built = _build_one(service, req)
    spec = catalogue.report(ReportKind(req.kind))
    if not req.compare or not spec.compare_figure:
        return built
    by = str(getattr(built.report, "by", ""))
    prev_period, last_year_period = compare_periods(req.period, by)
    prev = _build_one(service, replace(req, period=prev_period, compare=False)).report
    last_year = _build_one(service, replace(req, period=last_year_period, compare=False)).report
    cmp = comparison(built.report, prev, last_year, spec.compare_figure, by)
    keys = [r.key for r in _table_order(built.report, req, spec)]
    return Built(built.report, with_comparison(built.table, keys, cmp), cmp)


def _profit_rank(req: ReportRequest, spec: ReportSpec) -> Rank:
    return Rank.TOP if spec.always_ranked and req.rank is Rank.ALL else req.rank


def _table_order(rep: Any, req: ReportRequest, spec: ReportSpec) -> list[Any]:
    """The report's rows in the order its table shows them (the profit summary may be ranked)."""
    from jxc_desktop.services.reporting.profit import ProfitReport

    rank = _profit_rank(req, spec)
    if isinstance(rep, ProfitReport) and rank is not Rank.ALL and spec.can_rank(str(rep.by)):
        return rep.ranked(req.sort if req.sort in catalogue.SORT_KEYS else catalogue.DEFAULT_SORT, req.n,
                          bottom=rank is Rank.BOTTOM)
    return list(rep.rows)


def _build_one(service: Any, req: ReportRequest) -> Built:
    k = ReportKind(req.kind)
    spec = catalogue.report(k)
    if k in (ReportKind.PROFIT, ReportKind.BEST):
        by = req.by or spec.default_by
        if spec.always_ranked and spec.grouping(by) is None:  # a grouping the tab kept from another report
            by = spec.default_by
        rank = _profit_rank(req, spec)
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
    if k is ReportKind.MEMBERS:
        got = service.members(req.period)
        return Built(got, member_table(got))
    if k is ReportKind.PROMOTIONS:
        results = service.promotions(req.period)
        return Built(results, promotion_table(results))
    if k is ReportKind.PURCHASES:
        bought = service.purchases(req.period, req.by or spec.default_by)
        return Built(bought, purchase_table(bought))
    if k is ReportKind.STOCK_VALUE:
        held = service.stock_value(req.period.last, req.by or spec.default_by)
        return Built(held, stock_value_table(held))
    if k is ReportKind.TURNOVER:
        flow = service.turnover(req.period, req.by or spec.default_by)
        return Built(flow, turnover_table(flow))
    if k is ReportKind.SLOW:
        slow = service.slow_movers(req.days, today=req.today)
        return Built(slow, slow_table(slow))
    if k is ReportKind.SELL_THROUGH:
        sold = service.sell_through(req.period, req.by or spec.default_by)
        return Built(sold, sell_through_table(sold))
    if k is ReportKind.BROKEN_SIZES:
        broken = service.broken_sizes(today=req.today)
        return Built(broken, broken_sizes_table(broken))
    if k is ReportKind.SEASON:
        season = service.season(req.period, req.by or spec.default_by)
        return Built(season, season_table(season))
    if k is ReportKind.COVER:
        cover = service.cover(req.period, req.by or spec.default_by)
        return Built(cover, cover_table(cover))
    if k is ReportKind.ABC:
        classed = service.abc(req.period, req.by or spec.default_by)
        return Built(classed, abc_table(classed))
    expiring = service.expiry(today=req.today, warning_days=req.warning_days)
    return Built(expiring, expiry_table(expiring))

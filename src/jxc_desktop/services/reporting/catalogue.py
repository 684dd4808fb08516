"""The report catalogue: every report the shop can run, written down once.

The reports tab builds its choosers from it, ``jxc report`` its sub-commands and choices, and the
table builders (tables.py) their columns — so the screen, the text table, the JSON command, the PDF
and the xlsx offer the same reports, groupings and sorts. Labels are English source strings,
translated through ``jxc_desktop.i18n`` when shown.
"""

from __future__ import annotations

from jxc_desktop.domain.periods import PeriodKind
from jxc_desktop.i18n import _
from jxc_desktop.services.reporting.dto import (
    Choice,
    ColKind,
    Column,
    ColumnSpec,
    DaysOption,
    GroupingSpec,
    ReportKind,
    ReportSpec,
    Span,
)

MAX_DAYS_BACK = 3650  # slow movers and expiry warning: ten years is the most a question needs
RANK_N = 20  # the tab's "Top 20" / "Bottom 20"

# ---------------------------------------------------------------- groupings

BY_DAY = GroupingSpec("day", "By day", "Day")
BY_WEEK = GroupingSpec("week", "By week", "Week of")
BY_MONTH = GroupingSpec("month", "By month", "Month")
BY_PRODUCT = GroupingSpec("product", "By product", "Product", rankable=True)
BY_CATEGORY = GroupingSpec("category", "By category", "Category", rankable=True)
BY_SUPPLIER = GroupingSpec("supplier", "By supplier", "Supplier")
BY_STYLE = GroupingSpec("style", "By style", "Style")
BY_COLOUR = GroupingSpec("colour", "By colour", "Colour")
BY_SIZE = GroupingSpec("size", "By size", "Size")
BY_CELL = GroupingSpec("cell", "By colour and size", "Style")
BY_CATEGORY_MONTH = GroupingSpec("category_month", "By category and month", "Category")
BY_SALES = GroupingSpec("sales", "By net sales", "Product")
BY_PROFIT = GroupingSpec("profit", "By gross profit", "Product")

# ---------------------------------------------------------------- columns

P = ("product",)
CODE = ColumnSpec("key", "Code", ColKind.TEXT, only_by=P)
LABEL = ColumnSpec("label", "", ColKind.TEXT, head_of_grouping=True)
CATEGORY = ColumnSpec("category", "Category", ColKind.TEXT, only_by=P)

# The profit summary's figures; they are also what top/bottom rank by.
PROFIT_FIGURES = (
    ColumnSpec("qty", "Qty", ColKind.QTY, only_by=P),  # units of different goods do not add up
    ColumnSpec("sales", "Sales", ColKind.MONEY),
    ColumnSpec("returns", "Returns", ColKind.MONEY),
    ColumnSpec("net_sales", "Net sales", ColKind.MONEY),
    ColumnSpec("discounts", "Discounts", ColKind.MONEY),
    ColumnSpec("cogs", "Cost of goods sold", ColKind.MONEY),
    ColumnSpec("gross_profit", "Gross profit", ColKind.MONEY),
    ColumnSpec("margin_bp", "Margin", ColKind.PCT),
    ColumnSpec("sale_count", "Sales count", ColKind.INT),
    ColumnSpec("avg_ticket", "Average ticket", ColKind.MONEY),
    ColumnSpec("count_gain", "Count gains", ColKind.MONEY),
    ColumnSpec("count_loss", "Count losses", ColKind.MONEY),
    ColumnSpec("profit_after_count", "Profit after count", ColKind.MONEY),
    ColumnSpec("corrections", "Cost corrections", ColKind.MONEY),  # 成本更正: refills of stock sold below zero
    # 进货价差: returns to suppliers credited above (+) or below the stock value out; added to net profit
    ColumnSpec("price_difference", "Return price difference", ColKind.MONEY),
    ColumnSpec("net_profit", "Net profit", ColKind.MONEY),
)
PROFIT_COLUMNS = (CODE, LABEL, CATEGORY, *PROFIT_FIGURES)


def _split_columns(first: str) -> tuple[ColumnSpec, ...]:
    return (ColumnSpec("label", first, ColKind.TEXT), ColumnSpec("sales", "Sales", ColKind.MONEY),
            ColumnSpec("returns", "Refunds", ColKind.MONEY), ColumnSpec("net", "Net", ColKind.MONEY),
            ColumnSpec("sale_count", "Sales count", ColKind.INT),
            ColumnSpec("return_count", "Returns count", ColKind.INT),
            ColumnSpec("avg_ticket", "Average ticket", ColKind.MONEY))


PURCHASE_COLUMNS = (
    CODE, LABEL, CATEGORY,
    ColumnSpec("qty_in", "Qty bought", ColKind.QTY, only_by=P),
    ColumnSpec("qty_out", "Qty returned", ColKind.QTY, only_by=P),
    ColumnSpec("purchases", "Purchases", ColKind.MONEY),
    ColumnSpec("returns", "Returns to suppliers", ColKind.MONEY),
    ColumnSpec("reversals", "Reversals", ColKind.MONEY),  # 红冲: a reversed note's value out again
    ColumnSpec("corrections", "Reversal corrections", ColKind.MONEY),  # what the shelf could not bear
    ColumnSpec("net", "Net purchases", ColKind.MONEY),
    ColumnSpec("avg_cost", "Average unit cost", ColKind.MONEY, only_by=P),
    ColumnSpec("notes", "Purchase notes", ColKind.INT),
    ColumnSpec("return_notes", "Return notes", ColKind.INT),
    ColumnSpec("reversed_notes", "Reversed notes", ColKind.INT),
    # returns credited at the price paid less the stock value out (issue 16)
    ColumnSpec("price_difference", "Return price difference", ColKind.MONEY),
)
STOCK_VALUE_COLUMNS = (
    CODE, LABEL, CATEGORY,
    ColumnSpec("qty", "Qty", ColKind.QTY, only_by=P),
    ColumnSpec("products", "Products in stock", ColKind.INT, only_by=("category",)),
    ColumnSpec("value", "Stock value", ColKind.MONEY),
)
TURNOVER_COLUMNS = (
    LABEL, ColumnSpec("month", "Month", ColKind.TEXT, only_by=("category_month",)),
    ColumnSpec("opening", "Opening stock", ColKind.MONEY),
    ColumnSpec("purchases", "Purchases", ColKind.MONEY), ColumnSpec("sales", "Sales (cost)", ColKind.MONEY),
    ColumnSpec("counts", "Count differences", ColKind.MONEY), ColumnSpec("other", "Other", ColKind.MONEY),
    ColumnSpec("corrections", "Cost corrections", ColKind.MONEY),
    ColumnSpec("closing", "Closing stock", ColKind.MONEY), ColumnSpec("cogs", "Cost of goods sold", ColKind.MONEY),
    ColumnSpec("avg_stock", "Average stock", ColKind.MONEY), ColumnSpec("turnover_x100", "Turnover", ColKind.TIMES),
    ColumnSpec("days_of_inventory", "Days of inventory", ColKind.INT),
)
SLOW_COLUMNS = (
    ColumnSpec("key", "Code", ColKind.TEXT), ColumnSpec("label", "Product", ColKind.TEXT),
    ColumnSpec("category", "Category", ColKind.TEXT), ColumnSpec("qty", "Qty", ColKind.QTY),
    ColumnSpec("value", "Value tied up", ColKind.MONEY), ColumnSpec("last_sale", "Last sale", ColKind.DATE),
    ColumnSpec("days_idle", "Days without sale", ColKind.INT),
)
EXPIRY_COLUMNS = (
    ColumnSpec("key", "Code", ColKind.TEXT), ColumnSpec("label", "Product", ColKind.TEXT),
    ColumnSpec("batch_no", "Batch", ColKind.TEXT), ColumnSpec("expiry", "Expiry date", ColKind.DATE),
    ColumnSpec("days_left", "Days left", ColKind.INT), ColumnSpec("qty", "Qty", ColKind.QTY),
    ColumnSpec("value", "Value", ColKind.MONEY), ColumnSpec("state", "State", ColKind.TEXT),
)
# Styles by colour × size (services/reporting/style_sales.py): sold ÷ (sold + on hand at the end).
SELL_THROUGH_COLUMNS = (
    ColumnSpec("key", "Style code", ColKind.TEXT), ColumnSpec("label", "Style", ColKind.TEXT),
    ColumnSpec("colour", "Colour", ColKind.TEXT, only_by=("colour", "cell")),
    ColumnSpec("size", "Size", ColKind.TEXT, only_by=("size", "cell")),
    ColumnSpec("qty", "Sold", ColKind.QTY), ColumnSpec("amount", "Net sales", ColKind.MONEY),
    ColumnSpec("on_hand", "On hand", ColKind.QTY), ColumnSpec("rate_bp", "Sell-through", ColKind.PCT),
)
BROKEN_COLUMNS = (
    ColumnSpec("key", "Style code", ColKind.TEXT), ColumnSpec("label", "Style", ColKind.TEXT),
    ColumnSpec("season", "Season", ColKind.TEXT), ColumnSpec("colour", "Colour", ColKind.TEXT),
    ColumnSpec("missing", "Sold out", ColKind.TEXT), ColumnSpec("remaining", "Left", ColKind.TEXT),
    ColumnSpec("on_hand", "On hand", ColKind.QTY),
)

# The season table: these, with one money column per month (the table builder inserts them
# before "total", as many as the period touches).
SEASON_COLUMNS = (
    CODE, LABEL, CATEGORY,
    ColumnSpec("total", "Total", ColKind.MONEY),
    ColumnSpec("last_year_total", "Same period last year", ColKind.MONEY),
    ColumnSpec("yoy_pct", "Change on last year", ColKind.PCT1),
)
COVER_COLUMNS = (
    CODE, LABEL, CATEGORY,
    ColumnSpec("sold_qty", "Qty sold", ColKind.QTY, only_by=P),
    ColumnSpec("held_qty", "Qty in stock at the end", ColKind.QTY, only_by=P),
    ColumnSpec("cogs", "Cost of goods sold", ColKind.MONEY),
    ColumnSpec("held_value", "Stock value at the end", ColKind.MONEY),
    ColumnSpec("sell_through_bp", "Sell-through", ColKind.PCT),
    ColumnSpec("days_of_cover", "Days of cover", ColKind.INT),
)
ABC_COLUMNS = (
    ColumnSpec("code", "Code", ColKind.TEXT), ColumnSpec("name", "Product", ColKind.TEXT),
    ColumnSpec("category", "Category", ColKind.TEXT),
    ColumnSpec("value", "Net sales", ColKind.MONEY, only_by=("sales",)),
    ColumnSpec("value", "Gross profit", ColKind.MONEY, only_by=("profit",)),
    ColumnSpec("share_bp", "Share", ColKind.PCT), ColumnSpec("cum_share_bp", "Cumulative share", ColKind.PCT),
    ColumnSpec("cls", "Class", ColKind.TEXT),
)

SHIFT_COLUMNS = (
    ColumnSpec("label", "Shift", ColKind.TEXT), ColumnSpec("till", "Till", ColKind.TEXT),
    ColumnSpec("opened", "Opened", ColKind.TEXT), ColumnSpec("closed", "Closed", ColKind.TEXT),
    ColumnSpec("sales", "Sales", ColKind.MONEY), ColumnSpec("returns", "Refunds", ColKind.MONEY),
    ColumnSpec("net", "Net", ColKind.MONEY), ColumnSpec("cash_in", "Cash paid in", ColKind.MONEY),
    ColumnSpec("cash_out", "Cash paid out", ColKind.MONEY), ColumnSpec("expected", "Cash expected", ColKind.MONEY),
    ColumnSpec("counted", "Cash counted", ColKind.MONEY), ColumnSpec("over_short", "Over/short", ColKind.MONEY),
)

MEMBER_COLUMNS = (
    ColumnSpec("name", "Member name", ColKind.TEXT), ColumnSpec("phone", "Phone", ColKind.TEXT),
    ColumnSpec("level", "Level", ColKind.TEXT), ColumnSpec("visits", "Visits", ColKind.INT),
    ColumnSpec("sales", "Net sales", ColKind.MONEY), ColumnSpec("saved", "Saved by member prices", ColKind.MONEY),
    ColumnSpec("last_visit", "Last visit", ColKind.DATE),
)

# Promotion results (promotion_results.py): per promotion, with and without the discount it gave.
PROMOTION_COLUMNS = (
    ColumnSpec("label", "Promotion", ColKind.TEXT), ColumnSpec("sale_count", "Sales count", ColKind.INT),
    ColumnSpec("sales", "Net sales", ColKind.MONEY), ColumnSpec("discount", "Discount given", ColKind.MONEY),
    ColumnSpec("cogs", "Cost of goods sold", ColKind.MONEY), ColumnSpec("margin", "Gross profit", ColKind.MONEY),
    ColumnSpec("margin_bp", "Margin", ColKind.PCT),
    ColumnSpec("margin_without", "Gross profit without it", ColKind.MONEY),
    ColumnSpec("margin_without_bp", "Margin without it", ColKind.PCT),
)

# ---------------------------------------------------------------- the reports, in the chooser's order

REPORTS: tuple[ReportSpec, ...] = (
    ReportSpec(ReportKind.PROFIT, "profit", "Profit summary", "Profit summary", "profit summary (利润汇总)",
               Span.PERIOD, PROFIT_COLUMNS, (BY_DAY, BY_WEEK, BY_MONTH, BY_PRODUCT, BY_CATEGORY), ranked=True,
               compare_figure="net_sales"),
    ReportSpec(ReportKind.BEST, "best", "Best sellers", "Best sellers", "best sellers (products ranked by a figure)",
               Span.PERIOD, PROFIT_COLUMNS, (BY_PRODUCT, BY_CATEGORY), cli_by=False, ranked=True,
               always_ranked=True, compare_figure="net_sales"),
    ReportSpec(ReportKind.PAYMENTS, "payments", "Sales by payment method", "Sales by payment method",
               "sales by payment method", Span.PERIOD, _split_columns("Payment method"), compare_figure="net"),
    ReportSpec(ReportKind.HOURS, "hours", "Sales by hour of day", "Sales by hour of day", "sales by hour of day",
               Span.PERIOD, _split_columns("Hour"), compare_figure="net"),
    ReportSpec(ReportKind.PURCHASES, "purchases", "Purchase summary", "Purchase summary",
               "purchase summary by supplier or product", Span.PERIOD, PURCHASE_COLUMNS,
               (BY_SUPPLIER, BY_PRODUCT), compare_figure="net"),
    ReportSpec(ReportKind.STOCK_VALUE, "stock-value", "Stock value at the end of the period", "Stock value",
               "stock value at the end of a day (from the ledger)", Span.END_OF_DAY, STOCK_VALUE_COLUMNS,
               (BY_CATEGORY, BY_PRODUCT)),
    ReportSpec(ReportKind.TURNOVER, "turnover", "Stock value and turnover", "Stock value and turnover",
               "stock flow and turnover per category, month or category and month", Span.PERIOD,
               TURNOVER_COLUMNS, (BY_CATEGORY, BY_MONTH, BY_CATEGORY_MONTH)),
    ReportSpec(ReportKind.SLOW, "slow", "Slow movers", "Slow movers", "slow movers: stock and no sale for N days",
               Span.TODAY, SLOW_COLUMNS, days=DaysOption("Days without sale", 1, MAX_DAYS_BACK, 30)),
    ReportSpec(ReportKind.EXPIRY, "expiry", "Expiry warning", "Expiry warning",
               "batches expired or expiring within the warning days", Span.TODAY, EXPIRY_COLUMNS,
               days=DaysOption("Warning days", 0, MAX_DAYS_BACK, None, setting="expiry_warning_days")),
    ReportSpec(ReportKind.SELL_THROUGH, "sell-through", "Sell-through by style", "Sell-through (售罄率)",
               "styles: sold, on hand and sell-through (sold ÷ (sold + on hand at the end)) by style, colour, size",
               Span.PERIOD, SELL_THROUGH_COLUMNS, (BY_STYLE, BY_COLOUR, BY_SIZE, BY_CELL)),
    ReportSpec(ReportKind.BROKEN_SIZES, "broken-sizes", "Broken sizes", "Broken sizes (断码)",
               "styles with some sizes of a colour sold out while others remain", Span.TODAY, BROKEN_COLUMNS),
    ReportSpec(ReportKind.SEASON, "season", "Sales by month (season)", "Sales by month",
               "net sales by category or product × month, with the same period last year (同比)",
               Span.PERIOD, SEASON_COLUMNS, (BY_CATEGORY, BY_PRODUCT)),
    ReportSpec(ReportKind.COVER, "cover", "Sell-through and days of cover", "Sell-through and days of cover",
               "sell-through and days of cover per product or category (stock at the period's end)",
               Span.PERIOD, COVER_COLUMNS, (BY_PRODUCT, BY_CATEGORY)),
    ReportSpec(ReportKind.ABC, "abc", "ABC classes", "ABC classes",
               "ABC classes of the products by net sales or gross profit (A = top 80 %, B = next 15 %)",
               Span.PERIOD, ABC_COLUMNS, (BY_SALES, BY_PROFIT)),
    ReportSpec(ReportKind.CASHIERS, "cashiers", "Sales by cashier", "Sales by cashier", "sales by cashier",
               Span.PERIOD, _split_columns("Cashier")),
    ReportSpec(ReportKind.SHIFTS, "shifts", "Shifts and over/short", "Shifts and over/short",
               "shifts (交班): sales, cash expected and counted, over/short", Span.PERIOD, SHIFT_COLUMNS),
    ReportSpec(ReportKind.MEMBERS, "members", "Member sales", "Member sales (会员消费)",
               "member sales and visits, top members first; points and stored value outstanding",
               Span.PERIOD, MEMBER_COLUMNS),
    ReportSpec(ReportKind.PROMOTIONS, "promotions", "Promotion results", "Promotion results",
               "promotion results (促销效果): sales, discount given, gross profit with and without, per promotion",
               Span.PERIOD, PROMOTION_COLUMNS),
)
_BY_KIND = {r.kind: r for r in REPORTS}
_BY_COMMAND = {r.command: r for r in REPORTS}

# What top/bottom rank by, in the command line's order; ``brief`` ones are offered on screen.
SORTS: tuple[Choice, ...] = tuple(Choice(k, next(c.label for c in PROFIT_FIGURES if c.key == k)) for k in (
    "net_sales", "gross_profit", "qty", "sales", "cogs", "margin_bp", "sale_count", "count_loss",
    "profit_after_count", "returns", "discounts"))
BRIEF_SORTS = ("net_sales", "gross_profit", "qty", "margin_bp", "sale_count", "count_loss")
SORT_KEYS = tuple(s.key for s in SORTS)
DEFAULT_SORT = "net_sales"

RANKS: tuple[Choice, ...] = (Choice("all", "All rows"), Choice("top", "Top 20"), Choice("bottom", "Bottom 20"))

PERIODS: tuple[Choice, ...] = tuple(Choice(str(k), label) for k, label in (
    (PeriodKind.TODAY, "Today"), (PeriodKind.YESTERDAY, "Yesterday"), (PeriodKind.THIS_WEEK, "This week"),
    (PeriodKind.THIS_MONTH, "This month"), (PeriodKind.LAST_MONTH, "Last month"),
    (PeriodKind.THIS_YEAR, "This year"), (PeriodKind.CUSTOM, "Custom dates")))
NAMED_PERIODS = tuple(p.key for p in PERIODS if p.key != str(PeriodKind.CUSTOM))  # --period's choices


# ---------------------------------------------------------------- looking things up


def report(kind: ReportKind | str) -> ReportSpec:
    return _BY_KIND[ReportKind(kind)]


def by_command(command: str) -> ReportSpec:
    return _BY_COMMAND[command]


def sort_choices(*, brief: bool = False) -> tuple[Choice, ...]:
    return tuple(s for s in SORTS if not brief or s.key in BRIEF_SORTS)


def sort_label(key: str) -> str:
    """The label of the profit figure a sort ranks by, in the current language (its key if unknown)."""
    return next((_(c.label) for c in PROFIT_FIGURES if c.key == key), key)


def columns(kind: ReportKind | str, by: str = "") -> tuple[Column, ...]:
    """The table columns of a report grouped ``by``, headers in the current language."""
    spec = report(kind)
    by = by or spec.default_by
    grouping = spec.grouping(by)
    out = []
    for c in spec.columns_for(by):
        label = grouping.head if c.head_of_grouping and grouping is not None else c.label
        out.append(Column(c.key, _(label), c.kind))
    return tuple(out)


def all_labels() -> set[str]:
    """Every English string the catalogue shows (each needs its translation)."""
    found: set[str] = set()
    for r in REPORTS:
        found |= {r.label, r.title} | {c.label for c in r.columns if c.label}
        found |= {g.label for g in r.groupings} | {g.head for g in r.groupings}
        if r.days is not None:
            found.add(r.days.label)
    return found | {c.label for c in SORTS + RANKS + PERIODS}

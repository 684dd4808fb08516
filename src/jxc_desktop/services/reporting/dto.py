"""What crosses the reporting package's border: the plain report table every output renders
(screen, text, PDF, xlsx), the request that asks for one, and the types of the report catalogue.

Pure Python (domain and i18n only), so ``reports/`` can render a table without loading the
database layer. Values in a table stay raw — fen, thousandths, basis points, dates — and each
output formats them by the column's kind; nothing is rounded or re-added on the way out.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum
from typing import Any

from jxc_desktop.domain.money import format_fen
from jxc_desktop.domain.periods import Period, format_bp
from jxc_desktop.domain.quantity import format_qty

# ---------------------------------------------------------------- the table


class ColKind(StrEnum):
    TEXT = "text"
    MONEY = "money"  # fen
    QTY = "qty"  # thousandths
    INT = "int"
    PCT = "pct"  # basis points (1/100 %)
    TIMES = "times"  # hundredths (turnover 1.36 = 136)
    PCT1 = "pct1"  # tenths of a percent (a change of 12.3 % = 123)
    DATE = "date"


class Align(StrEnum):
    LEFT = "left"
    RIGHT = "right"


ADDABLE = (ColKind.MONEY, ColKind.QTY, ColKind.INT)


def align_for(kind: ColKind) -> Align:
    """Text reads from the left; figures line up on the right (screen, text, PDF alike)."""
    return Align.LEFT if kind is ColKind.TEXT else Align.RIGHT


@dataclass(frozen=True)
class Column:
    key: str
    header: str  # already in the current language
    kind: ColKind

    @property
    def align(self) -> Align:
        return align_for(self.kind)


@dataclass(frozen=True)
class Chart:
    kind: str  # line | bar
    label_col: int
    series: tuple[int, ...]  # money columns drawn
    max_points: int = 20  # bar charts: the first rows only (the table's order)


@dataclass(frozen=True)
class ReportTable:
    report: str  # a ReportKind value
    title: str
    subtitle: str  # the period or the day
    columns: tuple[Column, ...]
    rows: tuple[tuple[Any, ...], ...]
    total: tuple[Any, ...] | None
    chart: Chart | None = None
    notes: tuple[str, ...] = ()
    heat: tuple[int, ...] = ()  # columns whose cells are shaded by value (the season table's months)

    def col(self, key: str) -> int:
        return next(i for i, c in enumerate(self.columns) if c.key == key)


HEAT_LEVELS = 6  # shades from white (nothing sold) to the strongest (the table's largest cell)
HEAT_COLORS = ("#ffffff", "#fdf1e3", "#fbdcb9", "#f8c48b", "#f4a35a", "#ec7f2e")


def heat_top(table: ReportTable) -> int:
    """The largest value of the table's shaded cells (not the total row); 0 when none."""
    return max((int(r[i] or 0) for r in table.rows for i in table.heat), default=0)


def heat_color(value: Any, top: int) -> str:
    """The shade of one cell: its value's share of ``top`` in ``HEAT_LEVELS`` steps (integer
    arithmetic; zero and negative values stay white). Screen, PDF and xlsx use the same shades."""
    v = int(value or 0)
    if v <= 0 or top <= 0:
        return HEAT_COLORS[0]
    return HEAT_COLORS[min(HEAT_LEVELS - 1, 1 + (v * (HEAT_LEVELS - 1) - 1) // top)]


def format_value(kind: ColKind, value: Any) -> str:
    """How a raw value reads on screen, in the text table and in the PDF."""
    if value is None:
        return "—" if kind in (ColKind.PCT, ColKind.PCT1, ColKind.TIMES, ColKind.INT, ColKind.DATE) else ""
    if kind is ColKind.MONEY:
        return format_fen(int(value))
    if kind is ColKind.QTY:
        return format_qty(int(value))
    if kind is ColKind.PCT:
        return format_bp(int(value))
    if kind is ColKind.PCT1:
        whole, frac = divmod(abs(int(value)), 10)
        return f"{'-' if value < 0 else '+' if value > 0 else ''}{whole}.{frac}%"
    if kind is ColKind.TIMES:
        whole, frac = divmod(abs(int(value)), 100)
        return f"{'-' if value < 0 else ''}{whole}.{frac:02d}"
    if kind is ColKind.DATE:
        return value.isoformat() if isinstance(value, date | datetime) else str(value)
    if kind is ColKind.INT:
        return f"{int(value):,}"
    return str(value)


# ---------------------------------------------------------------- asking for a report


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
    SELL_THROUGH = "sell_through"
    BROKEN_SIZES = "broken_sizes"
    SEASON = "season"
    ABC = "abc"
    COVER = "cover"
    CASHIERS = "cashiers"
    SHIFTS = "shifts"
    MEMBERS = "members"
    PROMOTIONS = "promotions"


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
    compare: bool = False  # add the previous period and the same period last year (环比, 同比)


# ---------------------------------------------------------------- the catalogue's types


class Span(StrEnum):
    """What a report covers."""

    PERIOD = "period"  # a run of days (--from/--to/--period; the tab's period picker)
    END_OF_DAY = "end_of_day"  # the end of one day (--at; the tab: the period's last day)
    TODAY = "today"  # counted back from today with a number of days (no period)


@dataclass(frozen=True)
class Choice:
    """One value of a chooser: ``key`` for code and the command line, ``label`` in English
    (translated when shown)."""

    key: str
    label: str


@dataclass(frozen=True)
class GroupingSpec:
    key: str
    label: str  # the chooser's "By product"
    head: str  # the header of the label column: "Product", "Week of"
    rankable: bool = False  # top/bottom n make sense (products, categories — not days)


@dataclass(frozen=True)
class ColumnSpec:
    key: str
    label: str  # English; the table header is its translation
    kind: ColKind
    only_by: tuple[str, ...] = ()  # shown only for these groupings (() = always)
    head_of_grouping: bool = False  # the header is the grouping's ``head`` ("Day", "Supplier")

    def shown_for(self, by: str) -> bool:
        return not self.only_by or by in self.only_by

    @property
    def align(self) -> Align:
        return align_for(self.kind)


@dataclass(frozen=True)
class DaysOption:
    """A number of days the report counts back from today."""

    label: str
    lo: int
    hi: int
    default: int | None  # None: the shop's setting (``setting``)
    setting: str = ""


@dataclass(frozen=True)
class ReportSpec:
    """One report of the catalogue: everything a chooser, a command or a writer needs to know."""

    kind: ReportKind
    command: str  # ``jxc report COMMAND``
    label: str  # the tab's chooser
    title: str  # the table's title
    help: str  # ``jxc report --help``
    span: Span
    columns: tuple[ColumnSpec, ...]
    groupings: tuple[GroupingSpec, ...] = ()  # the first is the default
    cli_by: bool = True  # ``--by`` on the command line (``best`` ranks products there only)
    ranked: bool = False  # rankable groupings may show top/bottom n
    always_ranked: bool = False  # never all rows (top n unless bottom is asked)
    days: DaysOption | None = None
    compare_figure: str = ""  # the figure 环比/同比 compares (--compare); "" = no comparison

    @property
    def default_by(self) -> str:
        return self.groupings[0].key if self.groupings else ""

    def grouping(self, by: str) -> GroupingSpec | None:
        return next((g for g in self.groupings if g.key == by), None)

    def can_rank(self, by: str) -> bool:
        """Top/bottom n apply: a ranked report grouped by products or categories."""
        g = self.grouping(by or self.default_by)
        return self.ranked and g is not None and g.rankable

    def columns_for(self, by: str = "") -> tuple[ColumnSpec, ...]:
        by = by or self.default_by
        return tuple(c for c in self.columns if c.shown_for(by))

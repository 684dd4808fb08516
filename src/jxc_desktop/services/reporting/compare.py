"""环比 and 同比 for the summary reports: the report's compared figure (the catalogue's
``compare_figure``: net sales of the profit summary, net of the payment and hour splits, net
purchases) beside the same figure of the previous period of the same length and of the same days
a year earlier, with the change in % (tenths, rounded once; None when the base is 0).

Why columns added to the existing reports rather than a report of its own: the question "up or down
on last month / last year" is asked of whatever the owner is looking at — a product, a category, a
supplier, a payment method — so the option rides on every grouping the report has, and the
screen, the text table, JSON, PDF and xlsx get it with no writer of their own.

Rows are matched by their key (product code, category, supplier, method, hour); day / week /
month rows by position: the previous period is then the same days one day / week / month earlier
(each month against the month before it), last year's the same days a year earlier (each month
against the same month last year).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from jxc_desktop.domain.periods import TIME_GROUPINGS, Period
from jxc_desktop.domain.trend import bucket_before, change_tenths, previous_period, same_period_last_year
from jxc_desktop.i18n import _
from jxc_desktop.services.reporting.dto import ColKind, Column, ReportTable

COMPARE_COLUMNS = (("prev", "Previous period", ColKind.MONEY), ("prev_pct", "Change on previous", ColKind.PCT1),
                   ("last_year", "Same period last year", ColKind.MONEY),
                   ("yoy_pct", "Change on last year", ColKind.PCT1))


@dataclass(frozen=True)
class Comparison:
    figure: str  # the attribute compared (net_sales, net)
    prev_period: Period
    last_year_period: Period
    prev: dict[str, int]  # row key of THIS report -> the figure in the previous period
    last_year: dict[str, int]
    prev_total: int
    last_year_total: int

    def cells(self, key: str, now: int) -> tuple[int, int | None, int, int | None]:
        """(prev, prev change in tenths of %, last year, yoy change) of a row's figure ``now``."""
        p, y = self.prev.get(key, 0), self.last_year.get(key, 0)
        return p, change_tenths(now, p), y, change_tenths(now, y)

    def total_cells(self, now: int) -> tuple[int, int | None, int, int | None]:
        p, y = self.prev_total, self.last_year_total
        return p, change_tenths(now, p), y, change_tenths(now, y)

    def record(self, key: str, now: int) -> dict[str, Any]:
        """The JSON fields of a row: amounts in fen, changes in % with one decimal."""
        p, pp, y, yp = self.cells(key, now)
        return {"prev": p, "prev_pct": None if pp is None else pp / 10, "last_year": y,
                "yoy_pct": None if yp is None else yp / 10}


def periods(period: Period, by: str) -> tuple[Period, Period]:
    """(the previous period, the same period last year). Grouped by day, week or month, the
    previous period is the same days one bucket earlier, so each row meets the row before it
    (a month its previous month); otherwise the period of the same length just before."""
    before = bucket_before(period, by) if by in TIME_GROUPINGS else previous_period(period)
    return before, same_period_last_year(period)


def comparison(now: Any, prev: Any, last_year: Any, figure: str, by: str) -> Comparison:
    """Compare three runs of one report (this period, the previous one, last year's)."""
    def values(rep: Any) -> dict[str, int]:
        if by in TIME_GROUPINGS:  # by position, under this report's keys
            return {r.key: int(getattr(o, figure) or 0) for r, o in zip(now.rows, rep.rows, strict=False)}
        return {o.key: int(getattr(o, figure) or 0) for o in rep.rows}

    return Comparison(figure, prev.period, last_year.period, values(prev), values(last_year),
                      int(getattr(prev.total, figure) or 0), int(getattr(last_year.total, figure) or 0))


def with_comparison(table: ReportTable, keys: Sequence[str], cmp: Comparison) -> ReportTable:
    """``table`` with the four comparison columns appended; ``keys`` are its rows' keys in order."""
    at = table.col(cmp.figure)
    rows = tuple(row + cmp.cells(key, int(row[at] or 0)) for key, row in zip(keys, table.rows, strict=True))
    total = None if table.total is None else table.total + cmp.total_cells(int(table.total[at] or 0))
    cols = table.columns + tuple(Column(k, _(label), kind) for k, label, kind in COMPARE_COLUMNS)
    note = _("Previous period {p1} – {p2}; same period last year {y1} – {y2}.").format(
        p1=cmp.prev_period.first.isoformat(), p2=cmp.prev_period.last.isoformat(),
        y1=cmp.last_year_period.first.isoformat(), y2=cmp.last_year_period.last.isoformat())
    return ReportTable(table.report, table.title, table.subtitle, cols, rows, total, table.chart,
                       table.notes + (note,), table.heat)

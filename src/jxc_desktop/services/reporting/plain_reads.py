"""What tables.build asks of a reports service, for the reports written as SQL text (profit.py,
sales.py, purchases.py, season.py, abc.py, promotion_results.py, the stock reports stock_value.py,
turnover_months.py and cover.py, and staff_sales.py, member_sales.py, style_sales.py over the other
packages' faces), on rows read with sqlite3 alone: every ``jxc report`` on a file at head
(cli/report.py), with no SQLAlchemy, models or services hub (issue 15). The reports service runs the
same functions on its sessions. A shop setting a report needs (expiry's warning days, the ABC
thresholds) is read by the caller's ``int_setting`` (shop's plain reader: this package reaches shop
only through its api)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import TYPE_CHECKING

from jxc_desktop.db.dialect_text import SQLITE
from jxc_desktop.db.text_reads import Rows
from jxc_desktop.domain.clock import local_today
from jxc_desktop.domain.periods import Period
from jxc_desktop.services.reporting.profit import Grouping, ProfitReport, profit_report
from jxc_desktop.services.reporting.purchases import PurchaseGrouping, PurchaseReport, purchase_report
from jxc_desktop.services.reporting.sales import SalesSplitReport, by_cashier, by_hour, by_payment

if TYPE_CHECKING:  # these reports' modules load when run (``jxc report profit`` needs no members package)
    from jxc_desktop.services.reporting.abc import AbcBasis, AbcReport
    from jxc_desktop.services.reporting.cover import CoverGrouping, CoverReport
    from jxc_desktop.services.reporting.member_sales import MemberReport
    from jxc_desktop.services.reporting.promotion_results import PromotionResults
    from jxc_desktop.services.reporting.season import SeasonGrouping, SeasonReport
    from jxc_desktop.services.reporting.staff_sales import ShiftReport
    from jxc_desktop.services.reporting.stock_value import (
        ExpiryReport,
        SlowReport,
        StockGrouping,
        StockValueReport,
        TurnoverReport,
    )
    from jxc_desktop.services.reporting.style_sales import BrokenSizesReport, SellThroughReport


class PlainReports:
    def __init__(self, rows: Rows, int_setting: Callable[[str], int] | None = None) -> None:
        self._rows = rows
        self._int_setting = int_setting

    def profit(self, period: Period, by: Grouping | str = Grouping.DAY) -> ProfitReport:
        return profit_report(self._rows, SQLITE, period, by)

    def payments(self, period: Period) -> SalesSplitReport:
        return by_payment(self._rows, period)

    def hours(self, period: Period) -> SalesSplitReport:
        return by_hour(self._rows, period)

    def cashiers(self, period: Period) -> SalesSplitReport:
        return by_cashier(self._rows, period)

    def purchases(self, period: Period, by: PurchaseGrouping | str = PurchaseGrouping.SUPPLIER) -> PurchaseReport:
        return purchase_report(self._rows, period, by)

    # The stock reports load with the report run, as the service's methods load them.
    def stock_value(self, at: date | None = None, by: StockGrouping | str = "category") -> StockValueReport:
        from jxc_desktop.services.reporting.stock_value import stock_value_report

        return stock_value_report(self._rows, at or local_today(), by)

    def turnover(self, period: Period, by: str = "category") -> TurnoverReport:
        from jxc_desktop.services.reporting.turnover_months import turnover

        return turnover(self._rows, period, by)

    def cover(self, period: Period, by: CoverGrouping | str = "product") -> CoverReport:
        from jxc_desktop.services.reporting.cover import cover_report

        return cover_report(self._rows, period, by)

    def slow_movers(self, days: int = 30, today: date | None = None) -> SlowReport:
        from jxc_desktop.services.reporting.stock_value import slow_movers

        return slow_movers(self._rows, days, today or local_today())

    def expiry(self, today: date | None = None, warning_days: int | None = None) -> ExpiryReport:
        from jxc_desktop.services.reporting.stock_value import expiry_report

        return expiry_report(self._rows, today or local_today(), warning_days, self._int_setting)

    def shifts(self, period: Period) -> ShiftReport:
        from jxc_desktop.services.reporting.staff_sales import shift_report

        return shift_report(self._rows, period)

    def members(self, period: Period) -> MemberReport:
        from jxc_desktop.services.reporting.member_sales import member_report

        return member_report(self._rows, period)

    def sell_through(self, period: Period, by: str = "style") -> SellThroughReport:
        from jxc_desktop.services.reporting.style_sales import sell_through_report

        return sell_through_report(self._rows, period, by)

    def broken_sizes(self, today: date | None = None) -> BrokenSizesReport:
        from jxc_desktop.services.reporting.style_sales import broken_sizes_report

        return broken_sizes_report(self._rows, today or local_today())

    def promotions(self, period: Period) -> PromotionResults:
        from jxc_desktop.services.reporting.promotion_results import promotion_results

        return promotion_results(self._rows, period)

    def season(self, period: Period, by: SeasonGrouping | str = "category") -> SeasonReport:
        from jxc_desktop.services.reporting.season import season_report

        return season_report(self._rows, period, by)

    def abc(self, period: Period, by: AbcBasis | str = "sales") -> AbcReport:
        from jxc_desktop.services.reporting.abc import abc_report, thresholds

        assert self._int_setting is not None, "the ABC classes need the shop's thresholds"
        return abc_report(self._rows, period, by, *thresholds(self._int_setting))

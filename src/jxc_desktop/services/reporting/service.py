"""Reports (报表): the service the reports tab, the ``jxc report`` command and the exports use.

The queries live in profit / sales / purchases / season / abc / stock_value ...; this class
opens one read transaction per report (a consistent snapshot) and fills in the defaults.
Each method imports its report's module when first run: ``jxc report profit`` loads the profit
queries, not the members, seasons or ABC ones (issue 15: a command's fixed cost).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from jxc_desktop.db.uow import Database
from jxc_desktop.domain.clock import local_today
from jxc_desktop.domain.errors import ValidationError
from jxc_desktop.domain.periods import Grouping, Period
from jxc_desktop.gc_pause import gc_paused
from jxc_desktop.services.reporting import catalogue
from jxc_desktop.services.reporting.dto import ReportKind, ReportRequest, ReportTable
from jxc_desktop.services.reporting.tables import Built, build
from jxc_desktop.services.shop.api import get_int, get_setting

if TYPE_CHECKING:
    from jxc_desktop.services.reporting.abc import AbcBasis, AbcReport
    from jxc_desktop.services.reporting.cover import CoverGrouping, CoverReport
    from jxc_desktop.services.reporting.member_sales import MemberReport
    from jxc_desktop.services.reporting.profit import ProfitReport, ProfitRow
    from jxc_desktop.services.reporting.promotion_results import PromotionResults
    from jxc_desktop.services.reporting.purchases import PurchaseGrouping, PurchaseReport
    from jxc_desktop.services.reporting.sales import SalesSplitReport
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


@dataclass(frozen=True)
class ReportsService:
    db: Database

    def shop_name(self) -> str:
        with self.db.read() as uow:
            return get_setting(uow.session, "shop_name")

    def table(self, req: ReportRequest) -> ReportTable:
        """Any report as a plain table (for the screen, PDF and xlsx)."""
        with gc_paused():  # a year by product: 100 000 rows the cyclic collector would walk again and again
            return build(self, req).table

    def run(self, req: ReportRequest) -> Built:
        """Any report both as the service's rows (the command line's JSON) and as its table."""
        with gc_paused():
            return build(self, req)

    def profit(self, period: Period, by: Grouping | str = Grouping.DAY) -> ProfitReport:
        from jxc_desktop.db.dialect import dialect_of
        from jxc_desktop.db.text_reads import SessionRows
        from jxc_desktop.services.reporting.profit import profit_report

        with self.db.read() as uow:  # the SQL text jxc also runs on sqlite3 alone (profit.py)
            return profit_report(SessionRows(uow.session), dialect_of(uow.session), period, by)

    def best_sellers(self, period: Period, *, n: int = 20, sort: str = "net_sales",
                     bottom: bool = False) -> list[ProfitRow]:
        """Products ranked by a figure of the profit summary (top or bottom ``n``)."""
        if sort not in catalogue.SORT_KEYS:
            raise ValidationError("Cannot sort by {field}", field=sort)
        return self.profit(period, Grouping.PRODUCT).ranked(sort, n, bottom=bottom)

    def payments(self, period: Period) -> SalesSplitReport:
        from jxc_desktop.db.text_reads import SessionRows
        from jxc_desktop.services.reporting.sales import by_payment

        with self.db.read() as uow:  # the SQL text jxc also runs on sqlite3 alone (sales.py)
            return by_payment(SessionRows(uow.session), period)

    def hours(self, period: Period) -> SalesSplitReport:
        from jxc_desktop.db.text_reads import SessionRows
        from jxc_desktop.services.reporting.sales import by_hour

        with self.db.read() as uow:  # the SQL text jxc also runs on sqlite3 alone (sales.py)
            return by_hour(SessionRows(uow.session), period)

    def promotions(self, period: Period) -> PromotionResults:
        from jxc_desktop.db.text_reads import SessionRows
        from jxc_desktop.services.reporting.promotion_results import promotion_results

        with self.db.read() as uow:  # the SQL text jxc also runs on sqlite3 alone (promotion_results.py)
            return promotion_results(SessionRows(uow.session), period)

    def cashiers(self, period: Period) -> SalesSplitReport:
        from jxc_desktop.db.text_reads import SessionRows
        from jxc_desktop.services.reporting.sales import by_cashier

        with self.db.read() as uow:  # the SQL text jxc also runs on sqlite3 alone (sales.py)
            return by_cashier(SessionRows(uow.session), period)

    def shifts(self, period: Period) -> ShiftReport:
        from jxc_desktop.db.text_reads import SessionRows
        from jxc_desktop.services.reporting.staff_sales import shift_report

        with self.db.read() as uow:  # the SQL text jxc also runs on sqlite3 alone (staff_sales.py)
            return shift_report(SessionRows(uow.session), period)

    def members(self, period: Period) -> MemberReport:
        from jxc_desktop.db.text_reads import SessionRows
        from jxc_desktop.services.reporting.member_sales import member_report

        with self.db.read() as uow:  # the SQL text jxc also runs on sqlite3 alone (member_sales.py)
            return member_report(SessionRows(uow.session), period)

    def purchases(self, period: Period, by: PurchaseGrouping | str = "supplier") -> PurchaseReport:
        from jxc_desktop.db.text_reads import SessionRows
        from jxc_desktop.services.reporting.purchases import purchase_report

        with self.db.read() as uow:
            return purchase_report(SessionRows(uow.session), period, by)

    def stock_value(self, at: date | None = None, by: StockGrouping | str = "category"
                    ) -> StockValueReport:
        from jxc_desktop.db.text_reads import SessionRows
        from jxc_desktop.services.reporting.stock_value import stock_value_report

        with self.db.read() as uow:  # the SQL text jxc also runs on sqlite3 alone (stock_value.py)
            return stock_value_report(SessionRows(uow.session), at or local_today(), by)

    def turnover(self, period: Period, by: str = "category") -> TurnoverReport:
        """Per category over the period, or month by month (``month``, ``category_month``)."""
        from jxc_desktop.db.text_reads import SessionRows
        from jxc_desktop.services.reporting.turnover_months import GROUPINGS, turnover

        if by not in GROUPINGS:
            raise ValidationError("Cannot group by {field}", field=by)
        with self.db.read() as uow:
            return turnover(SessionRows(uow.session), period, by)

    def cover(self, period: Period, by: CoverGrouping | str = "product") -> CoverReport:
        from jxc_desktop.db.text_reads import SessionRows
        from jxc_desktop.services.reporting.cover import cover_report

        with self.db.read() as uow:
            return cover_report(SessionRows(uow.session), period, by)

    def slow_movers(self, days: int = 30, today: date | None = None) -> SlowReport:
        from jxc_desktop.db.text_reads import SessionRows
        from jxc_desktop.services.reporting.stock_value import check_days, slow_movers

        check_days(ReportKind.SLOW, days)
        with self.db.read() as uow:
            return slow_movers(SessionRows(uow.session), days, today or local_today())

    def expiry(self, today: date | None = None, warning_days: int | None = None) -> ExpiryReport:
        from jxc_desktop.db.text_reads import SessionRows
        from jxc_desktop.services.reporting.stock_value import expiry_report

        with self.db.read() as uow:
            s = uow.session
            return expiry_report(SessionRows(s), today or local_today(), warning_days, lambda key: get_int(s, key))

    def sell_through(self, period: Period, by: str = "style") -> SellThroughReport:
        """Styles' sales and sell-through by style, colour, size or cell (style_sales.py)."""
        from jxc_desktop.db.text_reads import SessionRows
        from jxc_desktop.services.reporting.style_sales import sell_through_report

        with self.db.read() as uow:  # the SQL text jxc also runs on sqlite3 alone (style_sales.py)
            return sell_through_report(SessionRows(uow.session), period, by)

    def broken_sizes(self, today: date | None = None) -> BrokenSizesReport:
        """Colours of styles with some sizes sold out while others remain (stock now)."""
        from jxc_desktop.db.text_reads import SessionRows
        from jxc_desktop.services.reporting.style_sales import broken_sizes_report

        with self.db.read() as uow:  # the SQL text jxc also runs on sqlite3 alone (style_sales.py)
            return broken_sizes_report(SessionRows(uow.session), today or local_today())

    def season(self, period: Period, by: SeasonGrouping | str = "category") -> SeasonReport:
        from jxc_desktop.db.text_reads import SessionRows
        from jxc_desktop.services.reporting.season import season_report

        with self.db.read() as uow:  # the SQL text jxc also runs on sqlite3 alone (season.py)
            return season_report(SessionRows(uow.session), period, by)

    def abc(self, period: Period, by: AbcBasis | str = "sales") -> AbcReport:
        from jxc_desktop.db.text_reads import SessionRows
        from jxc_desktop.services.reporting.abc import abc_report, thresholds

        with self.db.read() as uow:  # the SQL text jxc also runs on sqlite3 alone (abc.py)
            s = uow.session
            a, b = thresholds(lambda key: get_int(s, key))
            return abc_report(SessionRows(s), period, by, a, b)

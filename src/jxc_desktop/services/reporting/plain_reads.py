"""What tables.build asks of a reports service, for the reports written as SQL text (profit.py,
sales.py, purchases.py, season.py, abc.py, promotion_results.py), on rows read with sqlite3 alone:
``jxc report profit|best|payments|hours|cashiers|purchases|season|abc|promotions`` on a file at head
(cli/report.py), with no SQLAlchemy, models or services hub (issue 15). The reports service runs the
same functions on its sessions. A shop setting a report needs (the ABC thresholds) is read by the
caller's ``int_setting`` (shop's plain reader: this package reaches shop only through its api)."""

from __future__ import annotations

from collections.abc import Callable

from jxc_desktop.db.dialect_text import SQLITE
from jxc_desktop.db.text_reads import Rows
from jxc_desktop.domain.periods import Period
from jxc_desktop.services.reporting.abc import AbcBasis, AbcReport, abc_report, thresholds
from jxc_desktop.services.reporting.profit import Grouping, ProfitReport, profit_report
from jxc_desktop.services.reporting.promotion_results import PromotionResults, promotion_results
from jxc_desktop.services.reporting.purchases import PurchaseGrouping, PurchaseReport, purchase_report
from jxc_desktop.services.reporting.sales import SalesSplitReport, by_cashier, by_hour, by_payment
from jxc_desktop.services.reporting.season import SeasonGrouping, SeasonReport, season_report


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

    def promotions(self, period: Period) -> PromotionResults:
        return promotion_results(self._rows, period)

    def season(self, period: Period, by: SeasonGrouping | str = SeasonGrouping.CATEGORY) -> SeasonReport:
        return season_report(self._rows, period, by)

    def abc(self, period: Period, by: AbcBasis | str = AbcBasis.SALES) -> AbcReport:
        assert self._int_setting is not None, "the ABC classes need the shop's thresholds"
        return abc_report(self._rows, period, by, *thresholds(self._int_setting))

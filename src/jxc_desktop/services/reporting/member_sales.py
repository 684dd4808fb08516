"""Member sales (会员消费): each member's visits, sales less returns and what member prices saved them
in a period, top members first; the members' share of all sales; and what the shop owes its members
(points and stored value outstanding, now). The figures are the members package's SQL text
(members.api, member_sums.py), which the reports service runs on its session and ``jxc report
members`` on sqlite3 alone (issue 15)."""

from __future__ import annotations

from dataclasses import dataclass

from jxc_desktop.db.text_reads import Rows
from jxc_desktop.domain.periods import Period
from jxc_desktop.services.members import api as members
from jxc_desktop.services.members.dto import Liabilities, MemberSalesRow


@dataclass(frozen=True)
class MemberTotal:
    visits: int
    sales: int
    saved: int


@dataclass(frozen=True)
class MemberReport:
    period: Period
    rows: tuple[MemberSalesRow, ...]
    visits: int
    sales: int  # fen, members' sales less returns
    saved: int  # fen
    share_pct: int  # members' sales in percent of all sales of the period
    owed: Liabilities

    @property
    def total(self) -> MemberTotal:
        return MemberTotal(self.visits, self.sales, self.saved)


def member_report(rows: Rows, period: Period) -> MemberReport:
    got = members.member_sales_in(rows, period.first, period.last)
    return MemberReport(period, got.rows, got.visits, got.sales, got.saved, got.member_share_pct,
                        members.liabilities_in(rows))

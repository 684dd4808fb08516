"""Public face of the members package for the other process packages, called inside their own
transaction: checkout checks a sale's member and its price levels; returns and receipts name the
member; the reports read member sales and what the shop owes its members; a member's sale and
return take and give back points and stored value (sales), the cash book reads the top-ups and
the stored value owed, the books check the members' proofs; the promotions preview prices a
member's cart. The DTOs are in dto.py."""

from __future__ import annotations

from jxc_desktop.services.members.directory import check_member_in, get_member
from jxc_desktop.services.members.member_proofs import MemberFinding, member_findings
from jxc_desktop.services.members.member_reports import liabilities as liabilities_in
from jxc_desktop.services.members.member_reports import member_sales as member_sales_in
from jxc_desktop.services.members.money_dto import StoredValueNeedsOwner
from jxc_desktop.services.members.money_service import (
    balances_after_sale,
    money_figures_in,
    stored_value_at,
    topups_by_method,
)
from jxc_desktop.services.members.pricing import (
    cart_for_member_in,
    check_levels_in,
    level_rule_in,
    lines_at_level_in,
    product_prices_in,
)
from jxc_desktop.services.members.sale_money import return_money_in, sale_money_in
from jxc_desktop.services.members.service import MembersService

__all__ = ["MemberFinding", "MembersService", "StoredValueNeedsOwner", "balances_after_sale", "cart_for_member_in",
           "check_levels_in", "check_member_in", "get_member", "level_rule_in", "liabilities_in",
           "lines_at_level_in", "member_findings", "member_sales_in", "money_figures_in", "product_prices_in",
           "return_money_in",
           "sale_money_in", "stored_value_at", "topups_by_method"]

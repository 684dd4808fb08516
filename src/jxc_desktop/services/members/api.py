"""Public face of the members package for the other process packages, called inside their own
transaction: checkout checks a sale's member and its price levels; returns and receipts name the
member; a member's sale and return take and give back points and stored value (sales), the
liabilities (reports) and the members' proofs (the books check). The DTOs are in dto.py."""

from __future__ import annotations

from jxc_desktop.services.members.directory import check_member_in, get_member
from jxc_desktop.services.members.member_proofs import MemberFinding, member_findings
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
)
from jxc_desktop.services.members.sale_money import return_money_in, sale_money_in
from jxc_desktop.services.members.service import MembersService

__all__ = ["MemberFinding", "balances_after_sale", "MembersService", "StoredValueNeedsOwner", "cart_for_member_in", "check_levels_in",
           "check_member_in", "get_member", "level_rule_in", "money_figures_in", "lines_at_level_in",
           "member_findings", "return_money_in", "sale_money_in", "stored_value_at", "topups_by_method"]

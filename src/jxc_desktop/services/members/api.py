"""Public face of the members package for the other process packages, called inside their own
transaction: checkout checks a sale's member and its price levels; returns and receipts name the
member; the reports read member sales and what the shop owes its members. The DTOs are in dto.py."""

from __future__ import annotations

from jxc_desktop.services.members.directory import check_member_in, get_member
from jxc_desktop.services.members.member_reports import liabilities as liabilities_in
from jxc_desktop.services.members.member_reports import member_sales as member_sales_in
from jxc_desktop.services.members.pricing import (
    cart_for_member_in,
    check_levels_in,
    level_rule_in,
    lines_at_level_in,
)
from jxc_desktop.services.members.service import MembersService

__all__ = ["MembersService", "cart_for_member_in", "check_levels_in", "check_member_in", "get_member",
           "level_rule_in", "liabilities_in", "lines_at_level_in", "member_sales_in"]

"""Public face of the members package for the other process packages, called inside their own
transaction: checkout checks a sale's member and its price levels; returns and receipts name the
member; the reports read member sales and what the shop owes its members (SQL text over the
caller's ``Rows``: member_sums.py); a member's sale and return take and give back points and stored
value (sales), the cash book reads the top-ups and the stored value owed (SQL text: topup_sums.py),
the books check the
members' proofs; the promotions preview prices a member's cart. The DTOs are in dto.py.

Every name is imported from its module on first use (then kept here as a plain attribute: lazy_face.py), as
catalog/api.py does: the member sales report reads ``member_sales_in`` and ``liabilities_in``
(member_sums.py) and so loads neither the members' services nor SQLAlchemy, which ``jxc report
members`` runs without on sqlite3 alone (issue 15: a command's fixed cost).
"""

from typing import TYPE_CHECKING

from jxc_desktop.lazy_face import lazy_getattr

if TYPE_CHECKING:
    from jxc_desktop.services.members.directory import check_member_in, get_member
    from jxc_desktop.services.members.ledger_lists import balances_after_sale as balances_after_sale_in
    from jxc_desktop.services.members.member_list import member_by_id as member_in
    from jxc_desktop.services.members.member_proofs import MemberFinding, member_findings
    from jxc_desktop.services.members.member_sums import liabilities as liabilities_in
    from jxc_desktop.services.members.member_sums import member_sales as member_sales_in
    from jxc_desktop.services.members.money_dto import StoredValueNeedsOwner
    from jxc_desktop.services.members.money_service import (
        balances_after_sale,
        money_figures_in,
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
    from jxc_desktop.services.members.topup_sums import stored_value_at as stored_value_in
    from jxc_desktop.services.members.topup_sums import topups_by_method as topups_in

# name here -> (the members module it comes from, its name there)
_LAZY = {
    **{n: ("directory", n) for n in ("check_member_in", "get_member")},
    **{n: ("member_proofs", n) for n in ("MemberFinding", "member_findings")},
    "balances_after_sale_in": ("ledger_lists", "balances_after_sale"),
    "member_in": ("member_list", "member_by_id"),
    "liabilities_in": ("member_sums", "liabilities"),
    "member_sales_in": ("member_sums", "member_sales"),
    "StoredValueNeedsOwner": ("money_dto", "StoredValueNeedsOwner"),
    **{n: ("money_service", n) for n in ("balances_after_sale", "money_figures_in",
                                         "topups_by_method")},
    **{n: ("pricing", n) for n in ("cart_for_member_in", "check_levels_in", "level_rule_in", "lines_at_level_in",
                                   "product_prices_in")},
    **{n: ("sale_money", n) for n in ("return_money_in", "sale_money_in")},
    "MembersService": ("service", "MembersService"),
    "stored_value_in": ("topup_sums", "stored_value_at"),
    "topups_in": ("topup_sums", "topups_by_method"),
}


__getattr__ = lazy_getattr("jxc_desktop.services.members", _LAZY, globals())


__all__ = ["MemberFinding", "MembersService", "StoredValueNeedsOwner", "balances_after_sale",
           "balances_after_sale_in", "cart_for_member_in",
           "check_levels_in", "check_member_in", "get_member", "level_rule_in", "liabilities_in",
           "lines_at_level_in", "member_findings", "member_in", "member_sales_in", "money_figures_in", "product_prices_in",
           "return_money_in",
           "sale_money_in", "stored_value_in", "topups_by_method", "topups_in"]

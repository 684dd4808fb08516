"""Public face of the members package for the other process packages: what a member's sale and
return do to points and stored value (sales), the top-ups in a period (the cash book), the
liabilities (reports) and the members' proofs (the books check)."""

from __future__ import annotations

from jxc_desktop.services.members.member_proofs import MemberFinding, member_findings
from jxc_desktop.services.members.money_dto import StoredValueNeedsOwner
from jxc_desktop.services.members.money_service import liabilities_in
from jxc_desktop.services.members.sale_money import return_money_in, sale_money_in

__all__ = ["MemberFinding", "StoredValueNeedsOwner", "liabilities_in", "member_findings", "return_money_in",
           "sale_money_in"]

"""Posting a sale with a part on a customer's account (the till's 挂账, the wholesale note): the
stock question as everywhere (answered once), and above the customer's credit limit the owner's
PIN, then the same post again with the override (the accounts write it into the audit trail)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

from PySide6.QtWidgets import QWidget

from jxc_desktop.domain.cart import DiscountLimitError
from jxc_desktop.domain.errors import JxcError
from jxc_desktop.services.accounts.dto import CreditLimitExceeded
from jxc_desktop.services.hub import Services
from jxc_desktop.ui import guard
from jxc_desktop.ui.actions import Outcome, run
from jxc_desktop.ui.errors import confirm

T = TypeVar("T")
CREDIT_OVERRIDE = "credit_override"  # the PIN action (pin_dialog.action_label names it)
PRICE_CHANGE = "price_change"


@dataclass
class Approvals:
    """What the user and the owner said yes to so far."""

    confirmed: bool = False  # sell below zero stock
    credit_override: bool = False  # above the customer's credit limit
    discount_approved: bool = False  # discounts above the shop's limits


class _Question(Exception):
    """The service asked something the user answers (internal)."""

    def __init__(self, error: JxcError) -> None:
        super().__init__(error.english)
        self.error = error


def post_on_account(parent: QWidget | None, services: Services, call: Callable[[Approvals], T], *,
                    inline: Callable[[JxcError], None] | None = None) -> Outcome[T]:
    """``call(approvals)``. A refusal (no, or no PIN) is an Outcome that is not ok and has no error;
    other errors are shown the runner's way (``inline``: in the dialog)."""
    said = Approvals()

    def attempt() -> T:
        try:
            return call(said)
        except (CreditLimitExceeded, DiscountLimitError) as exc:
            raise _Question(exc) from exc
        except JxcError as exc:
            if getattr(exc, "needs_confirmation", False):
                raise _Question(exc) from exc
            raise

    for _round in range(4):  # at most: the stock question, the credit limit, the discount, the post
        try:
            return run(parent, attempt, services=services, inline=inline, reraise=(_Question,))
        except _Question as q:
            if not confirm(parent, q.error.message):
                return Outcome(False)
            if isinstance(q.error, CreditLimitExceeded):
                if not guard.ensure_owner(parent, services, CREDIT_OVERRIDE):
                    return Outcome(False)
                said.credit_override = True
            elif isinstance(q.error, DiscountLimitError):
                if not guard.ensure_owner(parent, services, PRICE_CHANGE):
                    return Outcome(False)
                said.discount_approved = True
            else:
                said.confirmed = True
    return Outcome(False)

"""Posting a sale with a part on a customer's account (the till's 挂账, the wholesale note): the
stock question as everywhere (run_confirmed), and above the customer's credit limit the owner's PIN,
then the same post again with the override (the accounts write it into the audit trail)."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from PySide6.QtWidgets import QWidget

from jxc_desktop.domain.errors import JxcError
from jxc_desktop.services.accounts.dto import CreditLimitExceeded
from jxc_desktop.services.hub import Services
from jxc_desktop.ui import guard
from jxc_desktop.ui.actions import Outcome, run_confirmed
from jxc_desktop.ui.errors import confirm

T = TypeVar("T")
CREDIT_OVERRIDE = "credit_override"  # the PIN action (pin_dialog.action_label names it)


def post_on_account(parent: QWidget | None, services: Services, call: Callable[[bool, bool], T], *,
                    inline: Callable[[JxcError], None] | None = None) -> Outcome[T]:
    """``call(confirmed, credit_override)``; None-valued refusal when the user says no."""
    confirmed = [False]

    def attempt(ok: bool, override: bool) -> T:
        confirmed[0] = confirmed[0] or ok
        return call(confirmed[0], override)

    kwargs = {"inline": inline} if inline else {}
    try:
        return run_confirmed(parent, lambda ok: attempt(ok, False), reraise=(CreditLimitExceeded,), **kwargs)
    except CreditLimitExceeded as exc:
        if not confirm(parent, exc.message):
            return Outcome(False)
    if not guard.ensure_owner(parent, services, CREDIT_OVERRIDE):
        return Outcome(False)
    return run_confirmed(parent, lambda ok: attempt(ok, True), services=services, **kwargs)

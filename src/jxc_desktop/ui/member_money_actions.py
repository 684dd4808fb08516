"""The members screen's money actions, one call each from a button (the members tab of
ui/members_tab.py, the till): top up (the open shift's drawer takes the cash), the owner's
correction behind the PIN, and the ledgers. Each goes through the action runner, so the
views subscribed to customers and accounts refresh after it."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QDialog, QHBoxLayout, QPushButton, QWidget

from jxc_desktop.services.hub import Services
from jxc_desktop.services.members.dto import MemberDTO
from jxc_desktop.services.members.money_dto import TopUpResult
from jxc_desktop.ui import guard
from jxc_desktop.ui.dialogs.member_money_dialogs import AdjustDialog, LedgerDialog, TopUpDialog
from jxc_desktop.ui.i18n import tr
from jxc_desktop.ui.till_session import session_for

MEMBER_ADJUST = "member_adjust"  # the PIN action (pin_dialog.action_label names it)


def top_up(parent: QWidget | None, services: Services, member: MemberDTO) -> TopUpResult | None:
    """Ask amount, bonus and method, then top up; the result (with its CZ number) or None."""
    who = session_for(services).attribution()

    def post(amount: int, bonus: int, method: str) -> TopUpResult:
        return services.member_money.topup(member.id, amount, bonus=bonus, method=method,
                                           shift_id=who["shift_id"], person_id=who["cashier_id"],
                                           actor=guard.acting_person(services))

    _points, balance = services.member_money.balances(member.id)
    dialog = TopUpDialog(parent, member.name, balance, post)
    return dialog.result if dialog.exec() == QDialog.DialogCode.Accepted else None


def adjust(parent: QWidget | None, services: Services, member: MemberDTO) -> bool:
    """The owner's correction: the PIN first (when set), then the dialog."""
    if not guard.ensure_owner(parent, services, MEMBER_ADJUST):
        return False
    owner = services.staff.owner_name()

    def post(kind: str, amount: int, reason: str) -> int:
        if kind == "points":
            return services.member_money.adjust_points(member.id, amount, reason, actor=owner)
        return services.member_money.adjust_stored_value(member.id, amount, reason, actor=owner)

    return AdjustDialog(parent, member.name, post).exec() == QDialog.DialogCode.Accepted


def show_ledger(parent: QWidget | None, services: Services, member: MemberDTO) -> None:
    LedgerDialog(parent, member.name, services.member_money.points_ledger(member.id),
                 services.member_money.value_ledger(member.id)).exec()


def money_buttons(parent: QWidget, services: Services, current: Callable[[], MemberDTO | None]) -> QHBoxLayout:
    """Top up, the ledgers and the owner's correction for the member ``current()`` names (none: nothing)."""
    row = QHBoxLayout()
    for text, act in ((tr("Top up…"), top_up), (tr("Points and stored value…"), show_ledger),
                      (tr("Correct (owner)…"), adjust)):
        button = QPushButton(text)
        button.clicked.connect(lambda _c=False, act=act: (m := current()) is not None and act(parent, services, m))
        row.addWidget(button)
    row.addStretch(1)
    return row

"""The pay dialog (F12): amount due, cash received with the change shown live, WeChat, Alipay, card;
for a member's sale also stored value and points (with the balances beside them)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QFormLayout, QLabel, QLineEdit, QVBoxLayout, QWidget

from jxc_desktop.domain.errors import JxcError
from jxc_desktop.domain.member_money import fen_for_points
from jxc_desktop.domain.money import format_fen, parse_yuan
from jxc_desktop.domain.tender import tender_status
from jxc_desktop.services.sales.dto import Tender
from jxc_desktop.ui.actions import run
from jxc_desktop.ui.dialogs.till_dialog import EnterDialog, big, method_name
from jxc_desktop.ui.i18n import tr


@dataclass(frozen=True)
class MemberPurse:
    """What a member holds to pay with: points, stored value (fen) and the points that pay a yuan."""

    points: int
    stored_value: int
    redeem_rate: int


class PayDialog(EnterDialog):
    """Amount due; cash received (change shown live), WeChat, Alipay, card; splits allowed.
    F2/F3/F4 put the whole remaining amount on WeChat/Alipay/card. Enter posts through ``post``."""

    def __init__(self, parent: QWidget | None, due: int, post: Callable[[list[Tender]], bool],
                 purse: MemberPurse | None = None) -> None:
        super().__init__(parent, tr("Pay"))
        self.due = due
        self._post = post
        self.fields: dict[str, QLineEdit] = {}
        lay = QVBoxLayout(self)
        self.due_label = big(QLabel(tr("Amount due: {amount}").format(amount=format_fen(due))), 22)
        lay.addWidget(self.due_label)
        form = QFormLayout()
        for method, key in (("cash", ""), ("wechat", "F2"), ("alipay", "F3"), ("card", "F4")):
            edit = QLineEdit()
            big(edit, 14)  # type: ignore[arg-type]
            edit.textChanged.connect(self._update)
            self.fields[method] = edit
            label = method_name(method) + (f" ({key})" if key else "")
            form.addRow(label if method != "cash" else tr("Cash received"), edit)
            if key:
                sc = QShortcut(QKeySequence(key), self)
                sc.activated.connect(lambda m=method: self.all_by(m))
        if purse is not None:  # a member's sale: stored value and points pay too (typed in yuan)
            for method, held in (("stored_value", tr("balance {amount}").format(amount=format_fen(purse.stored_value))),
                                 ("points", tr("{points} points = {amount}").format(
                                     points=purse.points,
                                     amount=format_fen(fen_for_points(purse.points, purse.redeem_rate))))):
                edit = QLineEdit()
                big(edit, 14)  # type: ignore[arg-type]
                edit.textChanged.connect(self._update)
                self.fields[method] = edit
                form.addRow(f"{method_name(method)} ({held})", edit)
        lay.addLayout(form)
        self.change_label = big(QLabel(), 18)
        self.change_label.setWordWrap(True)  # it may carry a message (non-cash above the amount due)
        lay.addWidget(self.change_label)
        lay.addWidget(self.error)
        hint = QLabel(tr("Enter: pay    F2/F3/F4: all by WeChat/Alipay/card    Esc: back to the cart"))
        hint.setStyleSheet("color: gray;")
        lay.addWidget(hint)
        self.fields["cash"].setText(format_fen(due, symbol=False))
        self.fields["cash"].selectAll()
        self.fields["cash"].setFocus()
        self._update()

    def all_by(self, method: str) -> None:
        for m, edit in self.fields.items():
            edit.setText(format_fen(self.due, symbol=False) if m == method else "")
        self.fields[method].setFocus()
        self.fields[method].selectAll()

    def tenders(self) -> list[Tender]:
        out: list[Tender] = []
        for method, edit in self.fields.items():
            text = edit.text().strip()
            if text:
                out.append(Tender(method, parse_yuan(text, field=method_name(method))))
        return out

    def _update(self) -> None:
        try:  # live while typing, not error -> message: a half-typed amount shows no figure yet
            tenders = self.tenders()
        except JxcError:
            self.change_label.setText("")
            return
        try:  # the figures come from the service's rule (non-cash gives no change), not a copy of it
            status = tender_status(self.due, tenders)
        except JxcError as exc:  # e.g. WeChat ¥15 against ¥10 due: say so instead of a negative figure
            self.change_label.setText(exc.message)
            return
        if status.still_due:
            self.change_label.setText(tr("Still due: {amount}").format(amount=format_fen(status.still_due)))
        else:
            self.change_label.setText(tr("Change: {amount}").format(amount=format_fen(status.change)))

    def submit(self) -> None:
        done = run(self, lambda: self._post(self.tenders()), inline=self.fail)
        if done and done.value:
            self.accept()

"""The till as a workplace: signing in and out, the shift (open with the float, close with the
counted cash and its slip), cash paid in or out of the drawer, and the staff list for the owner.

A shop without cashiers never sees a question here: nothing asks to sign in, and a sale needs a
shift only when the owner turned shifts on. With cashiers, pay and return first ask the cashier
to sign in (and to open a shift when the shop uses them), then the cashier presses the key again.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QHBoxLayout, QPushButton, QWidget

from jxc_desktop.domain.money import format_fen
from jxc_desktop.services.hub import Services
from jxc_desktop.services.staff.dto import OWNER, ShiftSummary
from jxc_desktop.ui import guard  # guard.ensure_owner looked up per call: tests stand in for the owner
from jxc_desktop.ui.changes import Change, subscribe
from jxc_desktop.ui.checkout_receipts import TillReceipts
from jxc_desktop.ui.dialogs.shift_dialogs import (
    CashMoveDialog,
    CloseShiftDialog,
    OpenShiftDialog,
    SignInDialog,
)
from jxc_desktop.ui.dialogs.staff_dialog import StaffDialog
from jxc_desktop.ui.errors import confirm
from jxc_desktop.ui.i18n import tr


class TillStaff(TillReceipts):
    def __init__(self, services: Services, parent: QWidget | None = None) -> None:
        super().__init__(services, parent)
        self.staff_bar = QWidget()
        bar = QHBoxLayout(self.staff_bar)
        bar.setContentsMargins(0, 0, 0, 0)
        self.staff_buttons: dict[str, QPushButton] = {}
        for key, text, slot in (("sign", tr("Sign in"), self.sign_in_or_out), ("shift", tr("Shift…"), self.shift_action),
                                ("cash", tr("Cash in/out…"), self.cash_in_out), ("staff", tr("Staff…"), self.open_staff)):
            btn = QPushButton(text)
            btn.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            btn.clicked.connect(slot)
            bar.addWidget(btn)
            self.staff_buttons[key] = btn
        self.till_session.changed.connect(self._staff_changed)
        # a shift opened or closed elsewhere (another window, jxc, a restore) shows on the button too
        subscribe(self, services, Change.SALES | Change.SETTINGS, self._staff_changed, lazy=True)
        self._staff_changed()

    def _staff_changed(self) -> None:
        signed = self.till_session.person is not None
        self.staff_buttons["sign"].setText(tr("Sign out") if signed else tr("Sign in"))
        shift = self.till_session.shift_id() is not None
        self.staff_buttons["shift"].setText(tr("Close shift…") if shift else tr("Open shift…"))

    # ------------------------------------------------------------------ before a sale
    def ready_to_sell(self) -> bool:
        """Signed in (when the shop has cashiers) and a shift open (when it uses shifts); else the
        dialog that gets there opens and the cashier presses the key again."""
        if self.till_session.needs_sign_in():
            self.say(tr("Sign in first (your number and PIN)."), error=True)
            self.sign_in()
            return False
        if self.services.shifts.in_use() and self.till_session.shift_id() is None:
            self.say(tr("Open a shift first: count the float into the drawer."), error=True)
            self.open_shift()
            return False
        return True

    # ------------------------------------------------------------------ signing in and out
    def sign_in_or_out(self) -> None:
        if self.till_session.person is not None:
            self.sign_out()
        else:
            self.sign_in()

    def sign_in(self) -> None:
        staff = self.services.staff
        dialog = SignInDialog(self, staff.list(), staff.no_pin(), staff.sign_in, staff.sign_in_by_name)

        def done(result: int) -> None:
            if result and dialog.person is not None:
                if dialog.person.role == OWNER and self.services.pin.is_set():
                    guard.unlock(self.services)  # the owner PIN was just typed: protected screens open
                self.till_session.sign_in(dialog.person)
                self.say(tr("{name} signed in").format(name=dialog.person.name))

        dialog.finished.connect(done)
        self._open(dialog)

    def sign_out(self) -> None:
        person = self.till_session.person
        if person is None:
            return
        if person.role == OWNER:
            guard.lock_now(self.services)
        self.till_session.sign_out()
        self.say(tr("{name} signed out").format(name=person.name))

    # ------------------------------------------------------------------ the shift
    def shift_action(self) -> None:
        if self.till_session.shift_id() is None:
            self.open_shift()
        else:
            self.close_shift()

    def open_shift(self) -> None:
        if self.till_session.needs_sign_in():
            self.sign_in()
            return
        person_id = self.till_session.cashier_id() or self._owner_id()
        if person_id is None:
            QApplication.beep()
            self.say(tr("Add the owner or a cashier to the staff list first (Staff…)."), error=True)
            return
        shifts = self.services.shifts
        dialog = OpenShiftDialog(self, self.cashier_name(), shifts.last_float_left(),
                                 lambda fen: shifts.open(person_id, fen))

        def done(result: int) -> None:
            if result and dialog.shift is not None:
                self.till_session.changed.emit()
                self.say(tr("Shift {id} opened with a float of {amount}").format(
                    id=dialog.shift.id, amount=format_fen(dialog.shift.float_amount)))

        dialog.finished.connect(done)
        self._open(dialog)

    def _owner_id(self) -> int | None:
        return next((p.id for p in self.services.staff.list() if p.role == OWNER), None)

    def close_shift(self) -> None:
        shift = self.till_session.shift()
        if shift is None:
            self.say(tr("No shift is open at this till."), error=True)
            return
        if not self.cart.empty:
            QApplication.beep()
            self.say(tr("Finish or hold the sale in the cart first."), error=True)
            return
        held = len(self.services.held_sales.list())
        if held and not confirm(self, tr("{n} held sale(s) are still open. Close the shift anyway? They stay "
                                         "held for the next shift.").format(n=held), tr("Close the shift")):
            return
        shifts = self.services.shifts
        dialog = CloseShiftDialog(self, shift, lambda counted, pieces, left: shifts.close(
            shift.id, counted=counted, pieces=pieces, float_left=left))

        def done(result: int) -> None:
            if result and dialog.closed is not None:
                self._shift_closed(dialog.closed)

        dialog.finished.connect(done)
        self._open(dialog)

    def _shift_closed(self, shift: ShiftSummary) -> None:
        """Print the slip on the till's printer (ESC/POS or system; no printer: the preview / PDF
        offer), then the cashier's day at this till is over: sign out."""
        reason = self.print_shift_slip(shift)
        over_short = shift.over_short or 0
        done = tr("Shift {id} closed: counted {counted}, expected {expected}, over/short {diff}").format(
            id=shift.id, counted=format_fen(shift.counted or 0), expected=format_fen(shift.expected),
            diff=format_fen(over_short))
        if reason:  # on the same line: the summary must not hide that the slip did not print
            QApplication.beep()
            done += "  " + tr("Shift slip not printed: {reason} Print it again with F11 then F6 "
                              "(or: jxc shift slip {id} --pdf FILE)").format(reason=reason, id=shift.id)
        self.say(done, error=bool(reason) or over_short < 0)
        if self.till_session.person is not None:
            self.till_session.sign_out()
        else:
            self.till_session.changed.emit()

    # ------------------------------------------------------------------ cash in and out
    def cash_in_out(self) -> None:
        if self.till_session.needs_sign_in():
            self.sign_in()
            return
        shift_id = self.till_session.shift_id()
        if shift_id is None and self.services.shifts.in_use():
            self.say(tr("Open a shift first: count the float into the drawer."), error=True)
            return
        person_id = self.till_session.cashier_id()

        def record(fen: int, reason: str) -> object:
            move = self.services.shifts.cash_move(shift_id, fen, reason, person_id=person_id)
            self.say(tr("Recorded: {amount} ({reason})").format(amount=format_fen(fen), reason=reason.strip()))
            return move

        self._open(CashMoveDialog(self, record))

    # ------------------------------------------------------------------ the staff list
    def open_staff(self) -> None:
        if not guard.ensure_owner(self, self.services, "staff"):
            return
        self._open(StaffDialog(self.services, self))

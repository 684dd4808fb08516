"""The till's held sales: F8 puts the cart aside (with a note), F9 brings one back; quitting with
goods in the cart holds them."""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtWidgets import QApplication

from jxc_desktop.domain.cart import Cart
from jxc_desktop.domain.errors import JxcError, PermissionDeniedError, ValidationError
from jxc_desktop.ui import guard  # guard.ensure_owner looked up per call: tests stand in for the owner
from jxc_desktop.ui.checkout_till import TillBase
from jxc_desktop.ui.dialogs.held_dialog import HeldDialog
from jxc_desktop.ui.dialogs.till_dialog import ValueDialog
from jxc_desktop.ui.errors import confirm
from jxc_desktop.ui.i18n import tr


class TillHeldSales(TillBase):
    def can_close(self) -> bool:
        """Quitting with goods in the cart holds them (F9 resumes them after the restart), as a
        cashier would before leaving the till: nothing to decide while closing, nothing lost."""
        if self.cart.empty:
            return True
        try:  # not error -> message: the reason goes into the "quit anyway?" question
            self.services.held_sales.hold(self.cart, tr("Held when the program closed"),
                                          cashier_id=self.till_session.cashier_id())
        except JxcError as exc:
            return confirm(self, tr("The cart could not be held: {reason}\n\nQuit anyway and lose it?")
                           .format(reason=exc.message))
        self._set_cart(Cart())
        return True

    def hold(self) -> None:
        """F8: an optional note (the customer's name, "comes back at 5"), Enter alone holds without one."""
        if self._need_line() is None:
            return
        self._open(ValueDialog(self, tr("Hold sale"), tr("Note for this held sale (may stay empty):"), "",
                               self.hold_with_note))

    def hold_with_note(self, note: str) -> None:
        """Raises JxcError (a note too long) so the note dialog stays open with the reason."""
        self.services.held_sales.hold(self.cart, note.strip(), cashier_id=self.till_session.cashier_id())
        self._set_cart(Cart())
        self.say(tr("Sale held. F9 resumes it."))
        self.focus_scan()

    def resume(self) -> None:
        if not self.cart.empty:
            QApplication.beep()
            self.say(tr("Finish, hold (F8) or clear (F7) the current cart first"), error=True)
            return
        held = self.services.held_sales.list()
        if not held:
            self.say(tr("No held sales"), error=True)
            return

        def take(held_id: int) -> None:
            cart = self.services.held_sales.resume(held_id)
            try:  # not error -> message: limits changed since, so keep the goods and drop the discounts
                self._set_cart(cart)
            except ValidationError:
                self._set_cart(Cart(tuple(replace(ln, line_discount=0) for ln in cart.lines)))
            self.say(tr("Held sale resumed"))

        def delete(held_id: int) -> None:
            if not guard.ensure_owner(self, self.services, "delete_held_sale"):
                raise PermissionDeniedError("This needs the owner PIN")
            self.services.held_sales.delete(held_id)

        self._open(HeldDialog(self, held, take, delete))

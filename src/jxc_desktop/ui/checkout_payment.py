"""The till's payment (F12): the stock question before the money is taken, the pay dialog, posting
the sale, the "last sale" line and its receipt."""

from __future__ import annotations

from PySide6.QtWidgets import QApplication

from jxc_desktop.domain.cart import Cart
from jxc_desktop.domain.errors import InsufficientStockError
from jxc_desktop.domain.money import format_fen
from jxc_desktop.domain.quantity import format_qty
from jxc_desktop.services.members.money_dto import StoredValueNeedsOwner
from jxc_desktop.services.sales.dto import Tender
from jxc_desktop.ui import guard
from jxc_desktop.ui.checkout_staff import TillStaff
from jxc_desktop.ui.dialogs.pay_dialog import MemberPurse, PayDialog
from jxc_desktop.ui.errors import confirm
from jxc_desktop.ui.i18n import tr


class TillPayment(TillStaff):
    def pay(self) -> None:
        if self._need_line() is None or not self.ready_to_sell() or not self._stock_ok_to_sell():
            return
        self.reprice()  # a promotion may have started or ended since the last scan: the due is what posts
        self._open(PayDialog(self, self.totals.total, self._post_sale, self._member_purse()))

    def _member_purse(self) -> MemberPurse | None:
        """The cart's member's points and stored value for the pay dialog (issue 17)."""
        if self.cart.member_id is None:
            return None
        points, value = self.services.member_money.balances(self.cart.member_id)
        return MemberPurse(points, value, self.services.member_money.rules().redeem_rate)

    def _stock_ok_to_sell(self) -> bool:
        """Ask once, before the money is taken, about the marked lines. "Yes" is the default: the
        goods are in the customer's hands, so the book stock is what is wrong (a count or the
        purchase note corrects it); the sale is not lost to an Enter pressed out of habit."""
        self.stock = check = self.services.checkout.stock_check(self.cart)
        self._stock_confirmed = False
        if not check.shortages or check.policy == "allow":
            return True
        detail = "; ".join(tr("{name} (in stock {on_hand}, selling {wanted})").format(
            name=s.name, on_hand=format_qty(s.on_hand), wanted=format_qty(s.wanted)) for s in check.shortages)
        if check.policy == "block":
            QApplication.beep()
            self.say(tr("Not enough stock: {detail}").format(detail=detail), error=True)
            return False
        self._stock_confirmed = confirm(
            self, tr("Stock goes below zero for: {detail}.\n\nSell anyway? The stock can be corrected "
                     "later by a count or a purchase note.").format(detail=detail),
            tr("Stock below zero"), default_yes=True)
        return self._stock_confirmed

    def _post_sale(self, tenders: list[Tender]) -> bool:
        """Run by the pay dialog through the runner, which shows any error in the dialog's red line."""
        confirmed, override = self._stock_confirmed, False
        for _round in range(3):  # at most: the stock question, the owner for stored value, the post
            try:  # not error -> message: each question asks again with the answer
                sale = self.services.checkout.post_sale(self.cart, tenders, confirmed=confirmed,
                                                        member_override=override, **self.who())
                break
            except InsufficientStockError as exc:  # stock changed since the question (another sale, a count)
                if not exc.needs_confirmation or confirmed:
                    raise
                if not confirm(self, exc.message):
                    return False
                confirmed = True
            except StoredValueNeedsOwner:  # stored value above the shop's limit: the owner's PIN (issue 17)
                if override or not guard.ensure_owner(self, self.services, "stored_value_pay"):
                    raise
                override = True
        else:
            return False
        self.last_sale = sale
        self._set_cart(Cart())
        change = tr("  Change: {amount}").format(amount=format_fen(sale.change)) if sale.change else ""
        # the change on its own line: the narrow box would otherwise break it anywhere
        self.last_label.setText("\n".join(part for part in (
            tr("Last sale {number}: {total}").format(number=sale.number, total=format_fen(sale.total)),
            change.strip()) if part))
        self.say(tr("Paid. {number}").format(number=sale.number) + change)
        self._receipt(sale, auto=True)
        self.sale_posted.emit(sale.number)
        return True

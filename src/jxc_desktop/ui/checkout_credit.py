"""The till's 挂账 (Shift+F12, beside F12 Pay): all or part of the sale on a chosen customer's
account. Above the credit limit the owner's PIN approves (ui/credit_approval.py); the receipt
names the customer and shows what they owe now."""

from __future__ import annotations

from dataclasses import replace

from jxc_desktop.domain.cart import Cart
from jxc_desktop.domain.money import format_fen
from jxc_desktop.services.accounts.dto import CustomerDTO
from jxc_desktop.services.sales.dto import SaleDTO, Tender
from jxc_desktop.ui.checkout_payment import TillPayment
from jxc_desktop.ui.credit_approval import post_on_account
from jxc_desktop.ui.dialogs.credit_dialog import CreditDialog
from jxc_desktop.ui.i18n import tr


class TillCredit(TillPayment):
    def on_account(self) -> None:
        if self._need_line() is None or not self._stock_ok_to_sell():
            return
        self.reprice()
        self._open(CreditDialog(self, self.services, self.totals.total, self._post_on_account))

    def _post_on_account(self, customer: CustomerDTO, tenders: list[Tender]) -> bool:
        dialog = self.dialog if isinstance(self.dialog, CreditDialog) else None
        got = post_on_account(dialog or self, self.services, lambda said: self.services.checkout.post_sale(
            self.cart, tenders, confirmed=said.confirmed or self._stock_confirmed, customer_id=customer.id,
            credit_override=said.credit_override), inline=dialog.fail if dialog else None)
        if not got or got.value is None:
            return False
        owes = self.services.customers.get(customer.id).balance
        sale: SaleDTO = replace(got.value, customer_name=customer.name, balance_owed=owes)
        self.last_sale = sale
        self._set_cart(Cart())
        self.last_label.setText(tr("Last sale {number}: {total}").format(number=sale.number,
                                                                        total=format_fen(sale.total)))
        credit = sum(p.amount for p in sale.payments if p.method == "credit")
        self.say(tr("{number}: {credit} on {name}'s account; {name} owes {balance}.").format(
            number=sale.number, credit=format_fen(credit), name=customer.name, balance=format_fen(owes)))
        self._receipt(sale, auto=True)
        self.sale_posted.emit(sale.number)
        return True

"""The till's customer return (F10): the owner's PIN when one is set, the return dialog, the refund
on the "last" line and its receipt."""

from __future__ import annotations

from jxc_desktop.domain.money import format_fen
from jxc_desktop.services.sales.dto import ReturnItem
from jxc_desktop.ui import guard  # guard.ensure_owner looked up per call: tests stand in for the owner
from jxc_desktop.ui.checkout_staff import TillStaff
from jxc_desktop.ui.dialogs.return_dialog import ReturnDialog
from jxc_desktop.ui.dialogs.till_dialog import method_name
from jxc_desktop.ui.i18n import tr


class TillReturns(TillStaff):
    def start_return(self) -> None:
        if not self.ready_to_sell():
            return
        if not guard.ensure_owner(self, self.services, "refund"):  # refunds need the owner when a PIN is set
            return

        def post(number: str, items: list[ReturnItem], method: str) -> None:
            ret = self.services.checkout.post_return(number, items, method=method, **self.who())
            self.last_sale = ret
            self.last_label.setText(tr("Return {number}: refund {total} by {method}").format(
                number=ret.number, total=format_fen(ret.total), method=", ".join(  # a member's: several ways back
                    f"{method_name(p.method)} {format_fen(p.amount)}" for p in ret.payments)
                if len(ret.payments) > 1 else method_name(method)))
            self.say(tr("Return {number} posted").format(number=ret.number))
            self._receipt(ret, auto=True)
            self.sale_posted.emit(ret.number)

        self._open(ReturnDialog(self, self.services.checkout.get_sale, post))

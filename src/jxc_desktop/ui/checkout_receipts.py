"""The till's receipts: render one, print it (automatically after a sale when the shop says so),
F11 reprint and the end-of-day summary. A printer problem is a line on the till, never lost work."""

from __future__ import annotations

from PySide6.QtWidgets import QApplication

from jxc_desktop.services.sales.dto import SaleDTO
from jxc_desktop.ui.checkout_till import TillBase
from jxc_desktop.ui.dialogs.reprint_dialog import ReprintDialog
from jxc_desktop.ui.i18n import tr
from jxc_desktop.ui.printing import print_pdf


class TillReceipts(TillBase):
    def _receipt(self, sale: SaleDTO, *, auto: bool = False, preview: bool = False) -> None:
        """Render the receipt and, if asked (or auto-print is on), print it. A printer problem
        is a message only: the sale is saved and can be reprinted."""
        # ReportLab loads with the first receipt (or the warm-up after start: app.warm_up), not
        # before the window shows (issue 15: cold start).
        from jxc_desktop.reports.receipt import receipt_pdf

        self.last_receipt_pdf = receipt_pdf(sale, self.services.checkout.shop_info())
        settings = self.services.settings.all()
        if auto and settings.get("auto_print_receipt") != "1":
            return
        self._print(self.last_receipt_pdf, settings.get("printer_name", ""), preview, sale.number, auto=auto)

    def _print(self, data: bytes, printer: str, preview: bool, title: str, *, auto: bool = False) -> None:
        # an automatic receipt with no printer is a line in the status bar, never a dialog while the
        # customer waits; a receipt asked for (F11, reprint, end of day) gets the preview/PDF offer
        self.last_print_error = print_pdf(self, data, printer_name=printer, preview=preview, quiet=True, offer=not auto,
                                          title=title)
        if self.last_print_error:
            QApplication.beep()
            self.say(tr("Not printed: {reason} The sale is saved; reprint it with F11.").format(
                reason=self.last_print_error), error=True)

    def reprint(self) -> None:
        def again(number: str, preview: bool) -> None:
            sale = self.services.checkout.get_sale(number)
            self._receipt(sale, preview=preview)
            if not self.last_print_error:
                self.say(tr("Receipt {number} printed").format(number=sale.number))

        def summary(preview: bool) -> None:
            from jxc_desktop.reports.receipt import day_summary_pdf  # loaded on use, as above

            data = day_summary_pdf(self.services.checkout.day_summary(), self.services.checkout.shop_info())
            self.last_receipt_pdf = data
            self._print(data, self.services.settings.get("printer_name"), preview, tr("End of day"))

        self._open(ReprintDialog(self, self.services.checkout.list_day(), again, summary))

"""The till's receipts: render one, print it (automatically after a sale when the shop says so),
F11 reprint, the end-of-day summary, a shift slip and the cash drawer. A printer problem is a line on the till,
never lost work: the sale is posted before anything is printed.

The printer is the one chosen in the till settings (ui/receipt_printer.py): the system printer
through Qt, an ESC/POS thermal printer (USB, serial, network) or none (preview, save as PDF)."""

from __future__ import annotations

from PySide6.QtWidgets import QApplication

from jxc_desktop.domain.clock import local_day
from jxc_desktop.reports.receipt_lines import day_summary_lines, receipt_lines
from jxc_desktop.services.sales.dto import SaleDTO
from jxc_desktop.services.shop.printer_setup import PrinterSetup, printer_setup
from jxc_desktop.services.staff.dto import ShiftSummary
from jxc_desktop.ui import escpos_device
from jxc_desktop.ui.actions import run
from jxc_desktop.ui.checkout_till import TillBase
from jxc_desktop.ui.dialogs.reprint_dialog import ReprintDialog
from jxc_desktop.ui.i18n import tr
from jxc_desktop.ui.receipt_printer import kick_drawer, print_lines, render_pdf


class TillReceipts(TillBase):
    def printer(self) -> PrinterSetup:
        return printer_setup(self.services.settings.all())

    def _receipt(self, sale: SaleDTO, *, auto: bool = False, preview: bool = False) -> None:
        """Render the receipt and, if asked (or auto-print is on), print it; after a cash sale or a
        cash refund (``auto``) open the drawer when the shop says so. A printer problem is a message
        only: the sale is saved and can be reprinted."""
        settings = self.services.settings.all()
        setup = printer_setup(settings)
        lines = receipt_lines(sale, self.services.checkout.shop_info())
        self.last_receipt_pdf = render_pdf(lines, setup.width_mm)
        drawer = auto and setup.drawer_on_cash and any(p.method == "cash" for p in sale.payments)
        if auto and settings.get("auto_print_receipt") != "1":
            if drawer:
                self._kick(setup)
            return
        self.last_print_error = print_lines(self, setup, lines, title=sale.number, preview=preview, auto=auto,
                                            drawer=drawer and setup.escpos, pdf=lambda: self.last_receipt_pdf)
        self._tell_print_error()
        if drawer and not setup.escpos and not self.last_print_error:
            self._kick(setup)  # says why the drawer cannot open on this printer

    def _kick(self, setup: PrinterSetup) -> None:
        try:  # not error -> message: a drawer that did not open is a line on the till, the sale stands
            kick_drawer(setup)
            self.last_print_error = None
        except escpos_device.PrinterOffline as exc:
            self.last_print_error = exc.message
            QApplication.beep()
            self.say(exc.message, error=True)

    def _tell_print_error(self) -> None:
        if self.last_print_error:
            QApplication.beep()
            self.say(tr("Not printed: {reason} The sale is saved; reprint it with F11.").format(
                reason=self.last_print_error), error=True)

    def print_shift_slip(self, shift: ShiftSummary, *, preview: bool = False) -> str | None:
        """A shift's slip on the till's printer (no printer: the preview / PDF offer). Returns the
        reason it was not printed, else None (also kept in ``last_print_error``)."""
        from jxc_desktop.reports.shift_slip import shift_slip_lines  # ReportLab on use, like the receipt

        setup = self.printer()
        lines = shift_slip_lines(shift, self.services.checkout.shop_info())
        self.last_receipt_pdf = render_pdf(lines, setup.width_mm)
        self.last_print_error = print_lines(self, setup, lines, title=tr("Shift {id}").format(id=shift.id),
                                            preview=preview, pdf=lambda: self.last_receipt_pdf)
        return self.last_print_error

    def drawer_actor(self) -> str:
        """Who opens the drawer by hand, for the audit trail: the cashier signed in at the till, else
        the owner (by name when the shop has named one)."""
        return self.cashier_name()

    def open_drawer(self) -> None:
        """"Open drawer" at the till: the pulse, and who opened it in the audit trail (nothing is
        recorded when the drawer could not be opened)."""
        setup = self.printer()

        def kick() -> None:
            try:
                kick_drawer(setup)
            except escpos_device.PrinterOffline as exc:
                self.last_print_error = exc.message
                raise
            self.last_print_error = None

        actor = self.drawer_actor()
        self.last_print_error = None
        if run(self, lambda: self.services.drawer.open(actor, kick),
               inline=lambda exc: self.say(exc.message, error=True)):
            self.say(tr("Cash drawer opened ({who})").format(who=actor))
        else:
            QApplication.beep()

    def reprint(self) -> None:
        def again(number: str, preview: bool) -> None:
            sale = self.services.checkout.get_sale(number)
            self._receipt(sale, preview=preview)
            if not self.last_print_error:
                self.say(tr("Receipt {number} printed").format(number=sale.number))

        def summary(preview: bool) -> None:
            setup = self.printer()
            lines = day_summary_lines(self.services.checkout.day_summary(), self.services.checkout.shop_info())
            self.last_receipt_pdf = render_pdf(lines, setup.width_mm)
            self.last_print_error = print_lines(self, setup, lines, title=tr("End of day"), preview=preview,
                                                pdf=lambda: self.last_receipt_pdf)
            self._tell_print_error()

        def slip(shift_id: int, preview: bool) -> None:
            shift = self.services.shifts.get(shift_id)
            reason = self.print_shift_slip(shift, preview=preview)
            if reason:
                QApplication.beep()
                self.say(tr("Shift slip {id} not printed: {reason}").format(id=shift_id, reason=reason), error=True)
            elif not preview:
                self.say(tr("Shift slip {id} printed").format(id=shift_id))

        today = local_day()
        self._open(ReprintDialog(self, self.services.checkout.list_day(), again, summary,
                                 self.services.shifts.list(today, today), slip))

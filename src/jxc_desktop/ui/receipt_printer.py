"""The till's printer as the shop set it up: receipts, slips, the test print and the cash drawer.

A receipt is built once as lines (reports/receipt_lines.py) and goes to the printer chosen in the
till settings (services/shop/printer_setup.py):

- ``system``: the PDF of those lines through Qt (ui/printing.print_pdf), as before;
- ``usb`` / ``serial`` / ``network``: the ESC/POS bytes of the same lines (reports/receipt_escpos.py)
  straight to the thermal printer (ui/escpos_device.py), with the drawer pulse when asked;
- ``none``: nothing is sent; asked for, the receipt is offered as a preview or a PDF file.

Every function returns None when done, else the reason it was not printed; nothing here raises for a
printer problem, because the sale or document is already saved and can be printed again (F11).
The PDF is made only when it is needed (ReportLab loads on first use: issue 15, cold start).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtWidgets import QWidget

from jxc_desktop.reports.receipt_lines import Line
from jxc_desktop.services.shop.printer_setup import NONE, PrinterSetup
from jxc_desktop.ui import escpos_device
from jxc_desktop.ui.i18n import tr
from jxc_desktop.ui.printing import no_printer_message, preview_pdf, print_pdf


def no_drawer_message(setup: PrinterSetup) -> str:
    if setup.kind == NONE:
        return tr("The cash drawer did not open: no receipt printer is set up. The drawer hangs on the "
                  "receipt printer; choose it (USB, serial or network) in Till settings.")
    return tr("The cash drawer did not open: it opens only through a receipt printer connected directly "
              "(USB, serial or network), not through the system printer. Choose it in Till settings.")


def render_pdf(lines: Sequence[Line], width_mm: int) -> bytes:
    # ReportLab loads with the first PDF, not with the window (issue 15)
    from jxc_desktop.reports.receipt import render_lines

    return render_lines(lines, width_mm)


def print_lines(parent: QWidget | None, setup: PrinterSetup, lines: Sequence[Line], *, title: str,
                preview: bool = False, auto: bool = False, drawer: bool = False,
                pdf: Callable[[], bytes] | None = None) -> str | None:
    """Print receipt lines on the shop's printer. ``auto``: after a sale, so a missing printer is a
    message for the status line, never a dialog; ``drawer``: the drawer pulse goes with the job (ESC/POS
    only: a system printer cannot send it, see ``no_drawer_message``). ``pdf`` makes the PDF (else from
    the lines)."""
    def make_pdf() -> bytes:
        return pdf() if pdf is not None else render_pdf(lines, setup.width_mm)

    if setup.escpos:
        def send() -> str | None:
            from jxc_desktop.reports.receipt_escpos import escpos_bytes  # python-escpos loads on first use

            try:
                escpos_device.send(setup, escpos_bytes(lines, setup.width_mm, drawer=drawer))
            except escpos_device.PrinterOffline as exc:
                return exc.message
            return None

        if preview:  # the same lines as a PDF on screen; "Print" sends them to the thermal printer
            return preview_pdf(parent, make_pdf(), title, print_it=send)
        return send()
    if setup.kind == NONE:
        if auto:
            return no_printer_message()
        # asked for: on screen, and a PDF file to print elsewhere
        return preview_pdf(parent, make_pdf(), title, note=tr("No receipt printer is set up (Till settings). "
                                                              "Save the receipt as a PDF to print it elsewhere."))
    return print_pdf(parent, make_pdf(), printer_name=setup.system_name, preview=preview, quiet=True,
                     offer=not auto, title=title)


def kick_drawer(setup: PrinterSetup) -> None:
    """Send only the drawer pulse; raises PrinterOffline with the reason (no ESC/POS printer too)."""
    if not setup.escpos:
        raise escpos_device.PrinterOffline(no_drawer_message(setup))
    from jxc_desktop.reports.receipt_escpos import drawer_bytes

    escpos_device.send(setup, drawer_bytes())

"""The thermal printer as a device: open the connection the shop set up, write one job, close.

The seam the tests replace is ``connect`` (a function from a PrinterSetup to a python-escpos printer
object); the job itself is bytes made before any device is opened (reports/receipt_escpos.py), so
a printer that is off, unplugged or out of reach fails here, after the sale is saved, with one
clear message and nothing half-done. No Qt here.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from typing import Any

from jxc_desktop.domain.errors import JxcError
from jxc_desktop.services.shop.printer_setup import NETWORK, SERIAL, USB, PrinterSetup
from jxc_desktop.ui.i18n import tr

NETWORK_TIMEOUT_S = 4  # a printer that does not answer must not freeze the till for a minute
USB_TIMEOUT_MS = 4000


class PrinterOffline(JxcError):
    """The printer could not take the job; ``message`` (already in the user's language) says what to
    check. A JxcError, so the action runner shows it like any refusal: nothing was changed."""

    def __init__(self, message: str) -> None:
        super().__init__(message.replace("{", "(").replace("}", ")"))


def open_printer(setup: PrinterSetup) -> Any:
    """A python-escpos printer for the setup (not yet connected: the first write connects)."""
    # python-escpos (with Pillow and its barcode modules) loads with the first job, not with the till
    from escpos.printer import Network, Serial, Usb

    if setup.kind == USB and setup.usb:
        return Usb(setup.usb[0], setup.usb[1], timeout=USB_TIMEOUT_MS)
    if setup.kind == SERIAL and setup.serial:
        return Serial(devfile=setup.serial, baudrate=setup.baud, timeout=2)
    if setup.kind == NETWORK and setup.network:
        return Network(setup.network[0], setup.network[1], timeout=NETWORK_TIMEOUT_S)
    raise PrinterOffline(tr("No receipt printer (ESC/POS) is set up. Choose one in Till settings."))


connect: Callable[[PrinterSetup], Any] = open_printer


def _reason(exc: BaseException) -> str:
    if type(exc).__name__ == "NoBackendError":  # pyusb found no libusb on this machine
        return tr("the USB library (libusb) is not installed")
    return " ".join(str(exc).split()) or type(exc).__name__


def send(setup: PrinterSetup, data: bytes) -> None:
    """Write ``data`` to the printer in one go; raises PrinterOffline with what to check."""
    from escpos.exceptions import Error as EscposError  # loaded with the first job, as above

    printer = connect(setup)
    try:
        printer.open()
        printer._raw(data)  # the whole job at once: python-escpos's raw write
    except (EscposError, OSError, RuntimeError, ValueError) as exc:
        # EscposError: device not found; OSError: USB/serial/socket errors (pyusb's and pyserial's
        # are OSErrors); RuntimeError: pyusb or pyserial missing; ValueError: no libusb backend
        raise PrinterOffline(tr("The receipt printer ({where}) did not answer: {reason}. Check that it is on, "
                                "connected and has paper.").format(where=setup.describe(), reason=_reason(exc))
                             ) from exc
    finally:
        # closing a connection that failed to open: nothing to release
        with contextlib.suppress(EscposError, OSError, RuntimeError, ValueError):
            printer.close()

"""The receipt printer as the shop set it up (till settings), read from the setting rows.

Kinds: ``system`` prints the receipt PDF through the system's printer (Qt, as before); ``usb``,
``serial`` and ``network`` send ESC/POS bytes straight to a thermal printer (the only way to kick a
cash drawer, which hangs on the printer's drawer port); ``none`` has no printer (preview and save as
PDF). The address of each ESC/POS kind is checked here, so a wrong one is refused when saved, not
found out at the first customer.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

from jxc_desktop.domain.errors import ValidationError

SYSTEM, USB, SERIAL, NETWORK, NONE = "system", "usb", "serial", "network", "none"
PRINTER_KINDS = (SYSTEM, USB, SERIAL, NETWORK, NONE)
ESCPOS_KINDS = (USB, SERIAL, NETWORK)
BAUD_RATES = ("9600", "19200", "38400", "57600", "115200")

_USB = re.compile(r"^(?:0x)?([0-9a-fA-F]{1,4}):(?:0x)?([0-9a-fA-F]{1,4})$")
_HOST = re.compile(r"^[A-Za-z0-9](?:[A-Za-z0-9.-]{0,252})$")


def validate_usb(value: str) -> tuple[int, int] | None:
    """``vendor:product`` in hex (as ``lsusb`` shows them), e.g. 0416:5011; "" is not set yet."""
    if not value:
        return None
    m = _USB.match(value.strip())
    if m is None:
        raise ValidationError("The USB printer must be given as vendor:product in hex, such as 0416:5011")
    return int(m.group(1), 16), int(m.group(2), 16)


def validate_network(value: str) -> tuple[str, int] | None:
    """``host:port`` (the port 9100 when left off); "" is not set yet."""
    if not value:
        return None
    host, _sep, port = value.strip().rpartition(":") if ":" in value else (value.strip(), ":", "9100")
    if not _HOST.match(host) or not (port.isascii() and port.isdigit() and 1 <= int(port) <= 65535):
        raise ValidationError("The network printer must be given as host:port, such as 192.168.1.50:9100")
    return host, int(port)


@dataclass(frozen=True)
class PrinterSetup:
    kind: str = SYSTEM
    system_name: str = ""  # "" = the system's default printer
    usb: tuple[int, int] | None = None
    serial: str = ""
    baud: int = 9600
    network: tuple[str, int] | None = None
    width_mm: int = 80
    drawer_on_cash: bool = False

    @property
    def escpos(self) -> bool:
        return self.kind in ESCPOS_KINDS

    @property
    def columns(self) -> int:
        """Half-width characters per line in the printer's font A (12 dots wide): 384 dots on 58 mm
        paper, 576 on 80 mm."""
        return 32 if self.width_mm == 58 else 48

    def describe(self) -> str:
        """The address as the owner typed it (for messages)."""
        if self.kind == USB and self.usb:
            return f"USB {self.usb[0]:04x}:{self.usb[1]:04x}"
        if self.kind == SERIAL:
            return f"{self.serial} ({self.baud})"
        if self.kind == NETWORK and self.network:
            return f"{self.network[0]}:{self.network[1]}"
        return self.system_name


def check_printer(values: Mapping[str, str]) -> None:
    """An ESC/POS kind without its address is refused (the drawer and the receipts would fail later)."""
    kind = values.get("printer_kind", SYSTEM)
    need = {USB: ("escpos_usb", "Give the USB printer's vendor:product, such as 0416:5011"),
            SERIAL: ("escpos_serial", "Give the serial port of the printer, such as COM3 or /dev/ttyUSB0"),
            NETWORK: ("escpos_network", "Give the network printer's host:port, such as 192.168.1.50:9100")}
    if kind in need and not values.get(need[kind][0], "").strip():
        raise ValidationError(need[kind][1])


def printer_setup(values: Mapping[str, str]) -> PrinterSetup:
    """The setup from the settings (``SettingsService.all()``); stored values were checked when saved."""
    kind = values.get("printer_kind", SYSTEM)
    baud = values.get("escpos_baud", "9600")
    return PrinterSetup(
        kind=kind if kind in PRINTER_KINDS else SYSTEM,
        system_name=values.get("printer_name", ""),
        usb=validate_usb(values.get("escpos_usb", "")),
        serial=values.get("escpos_serial", "").strip(),
        baud=int(baud) if baud in BAUD_RATES else 9600,
        network=validate_network(values.get("escpos_network", "")),
        width_mm=58 if values.get("receipt_width_mm") == "58" else 80,
        drawer_on_cash=values.get("drawer_on_cash") == "1",
    )

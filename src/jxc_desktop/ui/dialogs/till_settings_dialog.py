"""Till settings (收银设置), opened from the checkout tab: the receipt printer (the system's, or an
ESC/POS thermal printer on USB, a serial port or the network, or none), paper width, auto-print, the
cash drawer, the test print, discount limits, the expired-batch rule and the scale barcode rules.
Values are checked by services/shop/settings.py; a refused value shows its message and nothing is
saved. The test print uses the values on screen, before they are saved."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QFormLayout,
    QGroupBox,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from jxc_desktop.reports.receipt_lines import printer_test_lines
from jxc_desktop.services.sales.dto import ShopInfo
from jxc_desktop.services.shop.printer_setup import (
    BAUD_RATES,
    ESCPOS_KINDS,
    NETWORK,
    NONE,
    SERIAL,
    SYSTEM,
    USB,
    check_printer,
    printer_setup,
)
from jxc_desktop.services.shop.settings import SettingsService, validate
from jxc_desktop.ui.actions import into, run
from jxc_desktop.ui.i18n import tr
from jxc_desktop.ui.printing import printer_names
from jxc_desktop.ui.receipt_printer import print_lines
from jxc_desktop.ui.widgets.forms import error_label, save_cancel_buttons
from jxc_desktop.ui.widgets.member_money_form import MemberMoneyForm


class TillSettingsDialog(QDialog):
    def __init__(self, settings: SettingsService, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._settings = settings
        self.setWindowTitle(tr("Till settings"))
        self.setMinimumWidth(480)
        values = settings.all()
        self.printer = QComboBox()
        self.printer.addItem(tr("System default printer"), "")
        for name in printer_names():
            self.printer.addItem(name, name)
        if values["printer_name"] and self.printer.findData(values["printer_name"]) < 0:
            self.printer.addItem(tr("{name} (not found)").format(name=values["printer_name"]), values["printer_name"])
        self.printer.setCurrentIndex(max(0, self.printer.findData(values["printer_name"])))
        self.kind = QComboBox()
        for kind, label in ((SYSTEM, tr("System printer")), (USB, tr("Receipt printer on USB (ESC/POS)")),
                            (SERIAL, tr("Receipt printer on a serial port (ESC/POS)")),
                            (NETWORK, tr("Receipt printer on the network (ESC/POS)")), (NONE, tr("No printer"))):
            self.kind.addItem(label, kind)
        self.kind.setCurrentIndex(max(0, self.kind.findData(values["printer_kind"])))
        self.usb = QLineEdit(values["escpos_usb"])
        self.usb.setPlaceholderText(tr("vendor:product, such as 0416:5011"))
        self.serial = QLineEdit(values["escpos_serial"])
        self.serial.setPlaceholderText(tr("COM3 or /dev/ttyUSB0"))
        self.baud = QComboBox()
        for rate in BAUD_RATES:
            self.baud.addItem(rate, rate)
        self.baud.setCurrentIndex(max(0, self.baud.findData(values["escpos_baud"])))
        self.network = QLineEdit(values["escpos_network"])
        self.network.setPlaceholderText(tr("host:port, such as 192.168.1.50:9100"))
        self.drawer = QCheckBox(tr("Open the cash drawer after a cash sale or refund"))
        self.drawer.setChecked(values["drawer_on_cash"] == "1")
        self.test_button = QPushButton(tr("Test print"))
        self.test_button.clicked.connect(self.test_print)
        self.test_result = QLabel()
        self.test_result.setWordWrap(True)
        self._shop = values
        self.last_test_error: str | None = None
        self.auto_print = QCheckBox(tr("Print the receipt after each payment"))
        self.auto_print.setChecked(values["auto_print_receipt"] == "1")
        self.width = QComboBox()
        self.width.addItem(tr("58 mm"), "58")
        self.width.addItem(tr("80 mm"), "80")
        self.width.setCurrentIndex(max(0, self.width.findData(values["receipt_width_mm"])))
        self.line_pct = QSpinBox()
        self.sale_pct = QSpinBox()
        for spin, key in ((self.line_pct, "max_line_discount_pct"), (self.sale_pct, "max_sale_discount_pct")):
            spin.setRange(0, 100)
            spin.setSuffix(" %")
            spin.setValue(int(values[key]) if values[key].isascii() and values[key].isdigit() else 0)
        self.block_expired = QCheckBox(tr("Expired batches may not be sold"))
        self.block_expired.setChecked(values["block_expired_sale"] == "1")
        from jxc_desktop.ui.widgets.scale_rules_form import ScaleRulesForm

        self.scale_rules = ScaleRulesForm(values["scale_barcode_rules"])
        form = self.form = QFormLayout()
        form.addRow(tr("Printer kind"), self.kind)
        form.addRow(tr("Receipt printer"), self.printer)
        form.addRow(tr("USB printer"), self.usb)
        form.addRow(tr("Serial port"), self.serial)
        form.addRow(tr("Baud rate"), self.baud)
        form.addRow(tr("Network printer"), self.network)
        form.addRow(tr("Paper width"), self.width)
        form.addRow("", self.auto_print)
        form.addRow("", self.drawer)
        form.addRow(self.test_button, self.test_result)
        form.addRow(tr("Largest line discount"), self.line_pct)
        form.addRow(tr("Largest whole-sale discount"), self.sale_pct)
        form.addRow("", self.block_expired)
        scale = QGroupBox(tr("Scale barcode rules"))
        QVBoxLayout(scale).addWidget(self.scale_rules)
        self.member_money = MemberMoneyForm(values)  # points and stored value (issue 17)
        self.error = error_label()
        self.scale_rules.changed.connect(self.error.clear)  # an old refusal no longer applies
        buttons = save_cancel_buttons(self)
        lay = QVBoxLayout(self)
        lay.addLayout(form)
        lay.addWidget(scale)
        lay.addWidget(self.member_money)
        lay.addWidget(self.error)
        lay.addWidget(buttons)
        self.kind.currentIndexChanged.connect(self._kind_changed)
        self._kind_changed()

    def _kind_changed(self) -> None:
        """Only the address the chosen kind needs; the drawer hangs on an ESC/POS printer only."""
        kind = self.kind.currentData()
        for widget, shown in ((self.printer, kind == SYSTEM), (self.usb, kind == USB), (self.serial, kind == SERIAL),
                              (self.baud, kind == SERIAL), (self.network, kind == NETWORK)):
            self.form.setRowVisible(widget, shown)
        self.drawer.setEnabled(kind in ESCPOS_KINDS)
        self.test_button.setEnabled(kind != NONE)
        self.test_result.clear()

    def printer_values(self) -> dict[str, str]:
        return {
            "printer_kind": str(self.kind.currentData()),
            "printer_name": str(self.printer.currentData()),
            "escpos_usb": self.usb.text().strip(),
            "escpos_serial": self.serial.text().strip(),
            "escpos_baud": str(self.baud.currentData()),
            "escpos_network": self.network.text().strip(),
            "receipt_width_mm": str(self.width.currentData()),
            "drawer_on_cash": "1" if self.drawer.isChecked() and self.kind.currentData() in ESCPOS_KINDS else "0",
        }

    def test_print(self) -> None:
        """Print the test page on the printer as set on screen (and open the drawer when that is on)."""
        def work() -> str | None:
            values = {k: validate(k, v) for k, v in self.printer_values().items()}
            check_printer(values)
            setup = printer_setup(values)
            v = self._shop
            shop = ShopInfo(v["shop_name"], v["shop_address"], v["shop_phone"], v["receipt_header"],
                            v["receipt_footer"], setup.width_mm)
            lines = printer_test_lines(shop, setup.describe() or tr("System default printer"), setup.width_mm)
            return print_lines(self, setup, lines, title=tr("Printer test"), drawer=setup.drawer_on_cash)

        self.error.clear()
        outcome: list[str | None] = []
        if run(self, lambda: outcome.append(work()), inline=into(self.error)):
            self.last_test_error = outcome[0]
            self.test_result.setStyleSheet("color: #c0392b;" if outcome[0] else "color: #1e7e34;")
            self.test_result.setText(outcome[0] or tr("Sent to the printer."))

    def values(self) -> dict[str, str]:
        """The settings to save; raises ValidationError when a scale rule's parts do not fit."""
        return {
            **self.printer_values(),
            "auto_print_receipt": "1" if self.auto_print.isChecked() else "0",
            "max_line_discount_pct": str(self.line_pct.value()),
            "max_sale_discount_pct": str(self.sale_pct.value()),
            "block_expired_sale": "1" if self.block_expired.isChecked() else "0",
            "scale_barcode_rules": self.scale_rules.text(),  # parts joined into patterns (domain rules)
            **self.member_money.values(),
        }

    def accept(self) -> None:
        if run(self, lambda: self._settings.update(self.values()), inline=into(self.error)):
            super().accept()

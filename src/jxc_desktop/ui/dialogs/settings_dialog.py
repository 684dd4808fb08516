"""Shop settings: name, address, phone, receipt text and width, negative stock, expiry warning, language.

The values are checked by services/shop/settings.py; the dialog shows its message and stays open.
"""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFormLayout,
    QGroupBox,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from jxc_desktop.services.hub import Services
from jxc_desktop.ui.actions import into, run
from jxc_desktop.ui.i18n import tr
from jxc_desktop.ui.widgets.forms import error_label, save_cancel_buttons


class SettingsDialog(QDialog):
    saved = Signal(dict)  # the settings that changed

    def __init__(self, services: Services, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._services = services
        self.setWindowTitle(tr("Shop settings"))
        self.setMinimumWidth(520)
        values = services.settings.all()

        self.shop_name = QLineEdit(values["shop_name"])
        self.shop_address = QLineEdit(values["shop_address"])
        self.shop_phone = QLineEdit(values["shop_phone"])
        for w in (self.shop_name, self.shop_address, self.shop_phone):
            w.setMaxLength(200)
        self.receipt_header = QPlainTextEdit(values["receipt_header"])
        self.receipt_footer = QPlainTextEdit(values["receipt_footer"])
        for w in (self.receipt_header, self.receipt_footer):
            w.setFixedHeight(self.fontMetrics().lineSpacing() * 3 + 14)
        self.receipt_width = QComboBox()
        self.receipt_width.addItem(tr("58 mm"), "58")
        self.receipt_width.addItem(tr("80 mm"), "80")
        self.negative_stock = QComboBox()
        self.negative_stock.addItem(tr("Block the sale"), "block")
        self.negative_stock.addItem(tr("Warn and ask"), "warn")
        self.negative_stock.addItem(tr("Allow"), "allow")
        self.expiry_days = QSpinBox()
        self.expiry_days.setRange(0, 3650)
        self.expiry_days.setSuffix(tr(" days"))
        self.expiry_days.setValue(int(values["expiry_warning_days"] or 90))
        self.service_level = QSpinBox()  # the seasonal reorder rule's safety stock (issue 20)
        self.service_level.setRange(50, 99)
        self.service_level.setSuffix(" %")
        self.service_level.setValue(int(values["reorder_service_level"] or 95))
        self.lead_days = QSpinBox()
        self.lead_days.setRange(0, 180)
        self.lead_days.setSuffix(tr(" days"))
        self.lead_days.setValue(int(values["reorder_lead_days"] or 0))
        # ABC classes (the ABC report): A = the first a % of sales or profit, B = the next b %
        self.abc_a = QSpinBox()
        self.abc_a.setRange(1, 99)
        self.abc_a.setValue(int(values["abc_a_pct"] or 80))
        self.abc_b = QSpinBox()
        self.abc_b.setRange(0, 99)
        self.abc_b.setValue(int(values["abc_b_pct"] or 15))
        for spin in (self.abc_a, self.abc_b):
            spin.setSuffix(" %")
        self.language = QComboBox()
        self.language.addItem(tr("Follow the system"), "")
        self.language.addItem("中文", "zh_CN")
        self.language.addItem("English", "en")
        for combo, key in ((self.receipt_width, "receipt_width_mm"), (self.negative_stock, "negative_stock"),
                           (self.language, "language")):
            combo.setCurrentIndex(max(combo.findData(values[key]), 0))

        shop = QGroupBox(tr("Shop"))
        f1 = QFormLayout(shop)
        f1.addRow(tr("Shop name"), self.shop_name)
        f1.addRow(tr("Address"), self.shop_address)
        f1.addRow(tr("Phone"), self.shop_phone)
        receipt = QGroupBox(tr("Receipt"))
        f2 = QFormLayout(receipt)
        f2.addRow(tr("Header"), self.receipt_header)
        f2.addRow(tr("Footer"), self.receipt_footer)
        f2.addRow(tr("Paper width"), self.receipt_width)
        stock = QGroupBox(tr("Stock"))
        f3 = QFormLayout(stock)
        f3.addRow(tr("Selling below zero stock"), self.negative_stock)
        f3.addRow(tr("Warn before expiry"), self.expiry_days)
        f3.addRow(tr("Reorder service level"), self.service_level)
        f3.addRow(tr("Lead time of a supplier without one"), self.lead_days)
        reports = QGroupBox(tr("Reports"))
        f5 = QFormLayout(reports)
        f5.addRow(tr("ABC: class A, the first"), self.abc_a)
        f5.addRow(tr("ABC: class B, the next"), self.abc_b)
        other = QGroupBox(tr("Program"))
        f4 = QFormLayout(other)
        f4.addRow(tr("Language"), self.language)
        self.language_note = QLabel(tr("A new language takes effect the next time the program starts."))
        self.language_note.setStyleSheet("color: #666;")
        self.language_note.setWordWrap(True)
        f4.addRow("", self.language_note)

        self.error_label = error_label(hidden=True)
        self.buttons = save_cancel_buttons(self)

        layout = QVBoxLayout(self)
        for box in (shop, receipt, stock, reports, other):
            layout.addWidget(box)
        layout.addWidget(self.error_label)
        layout.addWidget(self.buttons)

    def values(self) -> dict[str, str]:
        return {
            "shop_name": self.shop_name.text(),
            "shop_address": self.shop_address.text(),
            "shop_phone": self.shop_phone.text(),
            "receipt_header": self.receipt_header.toPlainText(),
            "receipt_footer": self.receipt_footer.toPlainText(),
            "receipt_width_mm": self.receipt_width.currentData(),
            "negative_stock": self.negative_stock.currentData(),
            "expiry_warning_days": str(self.expiry_days.value()),
            "reorder_service_level": str(self.service_level.value()),
            "reorder_lead_days": str(self.lead_days.value()),
            "abc_a_pct": str(self.abc_a.value()),
            "abc_b_pct": str(self.abc_b.value()),
            "language": self.language.currentData(),
        }

    def save(self) -> dict[str, str] | None:
        got = run(self, lambda: self._services.settings.update(self.values()), inline=into(self.error_label))
        if not got or got.value is None:
            return None
        changed = got.value
        self.saved.emit(changed)
        return changed

    def accept(self) -> None:
        if self.save() is not None:
            super().accept()

"""Till settings (收银设置), opened from the checkout tab: receipt printer and auto-print, discount
limits, the expired-batch rule and the scale barcode rules. Values are checked by
services/shop/settings.py; a refused value shows its message and nothing is saved."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QFormLayout,
    QGroupBox,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from jxc_desktop.services.shop.settings import SettingsService
from jxc_desktop.ui.actions import into, run
from jxc_desktop.ui.i18n import tr
from jxc_desktop.ui.printing import printer_names
from jxc_desktop.ui.widgets.forms import error_label, save_cancel_buttons


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
        form = QFormLayout()
        form.addRow(tr("Receipt printer"), self.printer)
        form.addRow("", self.auto_print)
        form.addRow(tr("Paper width"), self.width)
        form.addRow(tr("Largest line discount"), self.line_pct)
        form.addRow(tr("Largest whole-sale discount"), self.sale_pct)
        form.addRow("", self.block_expired)
        scale = QGroupBox(tr("Scale barcode rules"))
        QVBoxLayout(scale).addWidget(self.scale_rules)
        self.error = error_label()
        self.scale_rules.changed.connect(self.error.clear)  # an old refusal no longer applies
        buttons = save_cancel_buttons(self)
        lay = QVBoxLayout(self)
        lay.addLayout(form)
        lay.addWidget(scale)
        lay.addWidget(self.error)
        lay.addWidget(buttons)

    def values(self) -> dict[str, str]:
        """The settings to save; raises ValidationError when a scale rule's parts do not fit."""
        return {
            "printer_name": str(self.printer.currentData()),
            "auto_print_receipt": "1" if self.auto_print.isChecked() else "0",
            "receipt_width_mm": str(self.width.currentData()),
            "max_line_discount_pct": str(self.line_pct.value()),
            "max_sale_discount_pct": str(self.sale_pct.value()),
            "block_expired_sale": "1" if self.block_expired.isChecked() else "0",
            "scale_barcode_rules": self.scale_rules.text(),  # parts joined into patterns (domain rules)
        }

    def accept(self) -> None:
        if run(self, lambda: self._settings.update(self.values()), inline=into(self.error)):
            super().accept()

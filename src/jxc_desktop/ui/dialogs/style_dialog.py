"""A new style (款号) with its whole colour × size grid in one dialog: code, name, category, season
and year, brand, unit, retail and purchase prices, the sizes (a size group or typed) and the
colours (code and name, one per line or separated by commas). Saving creates one product per
colour × size (services/catalog/styles.py); ``saved`` carries the StyleDTO."""

from __future__ import annotations

import re

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from jxc_desktop.domain.changes import Change
from jxc_desktop.domain.clock import local_today
from jxc_desktop.domain.errors import ValidationError
from jxc_desktop.domain.money import parse_yuan
from jxc_desktop.domain.variants import SEASONS, SIZE_GROUPS, parse_sizes
from jxc_desktop.services.catalog.dto import StyleDTO, StyleInput
from jxc_desktop.services.hub import Services
from jxc_desktop.ui.actions import run
from jxc_desktop.ui.i18n import tr

TYPED = "…"


def parse_colours(text: str) -> tuple[tuple[str, str], ...]:
    """"01 黑色, 02 白色" or one per line; "黑色" alone gets the next two-digit code."""
    out = []
    for n, part in enumerate((p.strip() for p in re.split(r"[,，;；\n]+", text) if p.strip()), start=1):
        bits = part.split(None, 1)
        if len(bits) == 2 and bits[0].isascii():
            out.append((bits[0], bits[1]))
        else:
            out.append((f"{n:02d}", part))
    return tuple(out)


class StyleDialog(QDialog):
    saved = Signal(object)

    def __init__(self, services: Services, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._services = services
        self.result_style: StyleDTO | None = None
        self.setWindowTitle(tr("New style"))
        self.setMinimumWidth(520)
        self.code = QLineEdit()
        self.code.setPlaceholderText(tr("e.g. 26Q101"))
        self.name = QLineEdit()
        self.category = QComboBox()
        self.category.setEditable(True)
        self.category.addItem("")
        for c in services.catalog.categories():
            self.category.addItem(c.name)
        self.season = QComboBox()
        self.season.addItem("")
        self.season.addItems(list(SEASONS))
        self.year = QSpinBox()
        self.year.setRange(2000, 2100)
        self.year.setValue(local_today().year)
        self.brand = QLineEdit()
        self.unit = QLineEdit("件")
        self.retail = QLineEdit()
        self.retail.setPlaceholderText("0.00")
        self.cost = QLineEdit()
        self.cost.setPlaceholderText("0.00")
        self.size_group = QComboBox()
        self.size_group.addItems([*SIZE_GROUPS, TYPED])
        self.sizes = QLineEdit(" ".join(SIZE_GROUPS["S-XXL"]))
        self.colours = QPlainTextEdit()
        self.colours.setPlaceholderText(tr("One colour per line or separated by commas: code and name, e.g. 01 黑色"))
        self.colours.setFixedHeight(80)
        self.preview = QLabel()
        self.error_label = QLabel()
        self.error_label.setWordWrap(True)
        self.error_label.setStyleSheet("color: #c0392b;")
        form = QFormLayout()
        for label, widget in ((tr("Style code (款号)"), self.code), (tr("Name"), self.name),
                              (tr("Category"), self.category), (tr("Season"), self.season), (tr("Year"), self.year),
                              (tr("Brand"), self.brand), (tr("Unit"), self.unit), (tr("Retail price"), self.retail),
                              (tr("Purchase price"), self.cost), (tr("Size group"), self.size_group),
                              (tr("Sizes"), self.sizes), (tr("Colours"), self.colours)):
            form.addRow(label, widget)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.preview)
        layout.addWidget(self.error_label)
        layout.addWidget(self.buttons)
        self.size_group.currentTextChanged.connect(self._group_chosen)
        self.sizes.textChanged.connect(self._show_preview)
        self.colours.textChanged.connect(self._show_preview)
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        self._show_preview()

    def _group_chosen(self, name: str) -> None:
        if name in SIZE_GROUPS:
            self.sizes.setText(" ".join(SIZE_GROUPS[name]))

    def _show_preview(self) -> None:
        try:
            n = len(parse_colours(self.colours.toPlainText())) * len(parse_sizes(self.sizes.text()))
        except ValidationError:
            n = 0
        self.preview.setText(tr("{n} products (one per colour and size)").format(n=n))

    def gather(self) -> StyleInput:
        group = self.size_group.currentText()
        sizes = parse_sizes(self.sizes.text())
        return StyleInput(
            code=self.code.text(), name=self.name.text(), colours=parse_colours(self.colours.toPlainText()),
            sizes=sizes, category=self.category.currentText().strip(), season=self.season.currentText(),
            year=self.year.value() if self.season.currentText() not in ("", "四季") else None,
            brand=self.brand.text(), unit=self.unit.text(),
            sale_price=parse_yuan(self.retail.text() or "0", field="Retail price"),
            ref_cost=parse_yuan(self.cost.text() or "0", field="Purchase price"),
            size_group=group if group in SIZE_GROUPS and SIZE_GROUPS[group] == sizes else "")

    def save(self) -> StyleDTO | None:
        got = run(self, lambda: self._services.styles.create_style(self.gather(), create_category=True),
                  changes=Change.PRODUCTS, services=self._services,
                  inline=lambda exc: self.error_label.setText(exc.message))
        if not got or got.value is None:
            return None
        self.result_style = got.value
        self.saved.emit(got.value)
        self.accept()
        return got.value

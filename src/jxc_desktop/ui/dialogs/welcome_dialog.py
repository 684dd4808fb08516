"""First run: ask the shop name and how to begin (empty, import a product list, or demo data)."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QRadioButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from jxc_desktop.services.catalog.starter import STARTER_CATEGORIES, add_starter_categories
from jxc_desktop.services.hub import Services
from jxc_desktop.ui.actions import into, run
from jxc_desktop.ui.i18n import tr
from jxc_desktop.ui.icons import app_icon

EMPTY, IMPORT, DEMO = "empty", "import", "demo"


class WelcomeDialog(QDialog):
    """After ``accept()``: the shop name and ``welcome_done`` are saved; ``choice`` says what next."""

    def __init__(self, services: Services, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._services = services
        self.choice = EMPTY
        self.setWindowTitle(tr("Welcome to JXC Desktop"))
        self.setMinimumWidth(480)
        logo = QLabel()
        logo.setPixmap(app_icon().pixmap(64, 64))
        intro = QLabel(tr("<b>Welcome!</b><br>This program keeps your purchases, stock and sales on this "
                          "computer. Enter the name of your shop and choose how to begin."))
        intro.setWordWrap(True)
        head = QHBoxLayout()
        head.addWidget(logo)
        head.addWidget(intro, 1)

        self.shop_name = QLineEdit()
        self.shop_name.setPlaceholderText(tr("e.g. 阳光便利店"))
        self.shop_name.setMaxLength(200)
        self.empty_radio = QRadioButton(tr("Start empty and add products myself"))
        self.import_radio = QRadioButton(tr("Import a product list (Excel or CSV)"))
        self.demo_radio = QRadioButton(tr("Load demo data to try the program"))
        self.empty_radio.setChecked(True)
        self.group = QButtonGroup(self)
        for b in (self.empty_radio, self.import_radio, self.demo_radio):
            self.group.addButton(b)
        self.demo_products = QSpinBox()
        self.demo_products.setRange(20, 5000)
        self.demo_products.setValue(300)
        self.demo_products.setSuffix(tr(" products"))
        self.demo_days = QSpinBox()
        self.demo_days.setRange(0, 365)
        self.demo_days.setValue(30)
        self.demo_days.setSuffix(tr(" days of history"))
        demo_row = QHBoxLayout()
        demo_row.addSpacing(24)
        demo_row.addWidget(self.demo_products)
        demo_row.addWidget(self.demo_days)
        demo_row.addStretch(1)
        self.starter_categories = QCheckBox(tr("Add common categories: {names}").format(
            names="、".join(STARTER_CATEGORIES[:5]) + "…"))
        self.starter_categories.setToolTip("、".join(STARTER_CATEGORIES))
        self.starter_categories.setChecked(True)
        self.demo_radio.toggled.connect(self._sync)

        self.error_label = QLabel()
        self.error_label.setStyleSheet("color: #c0392b;")
        self.error_label.hide()
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText(tr("Start"))
        self.buttons.accepted.connect(self.accept)

        layout = QVBoxLayout(self)
        layout.addLayout(head)
        layout.addSpacing(8)
        layout.addWidget(QLabel(tr("Shop name")))
        layout.addWidget(self.shop_name)
        layout.addSpacing(8)
        layout.addWidget(self.empty_radio)
        layout.addWidget(self.import_radio)
        layout.addWidget(self.demo_radio)
        layout.addLayout(demo_row)
        layout.addWidget(self.starter_categories)
        layout.addWidget(self.error_label)
        layout.addWidget(self.buttons)
        self._sync()

    def _sync(self) -> None:
        self.demo_products.setEnabled(self.demo_radio.isChecked())
        self.demo_days.setEnabled(self.demo_radio.isChecked())
        self.starter_categories.setEnabled(not self.demo_radio.isChecked())  # the demo brings its own

    def accept(self) -> None:
        if not run(self, lambda: self._services.settings.update(
                {"shop_name": self.shop_name.text(), "welcome_done": "1"}), inline=into(self.error_label)):
            return
        self.choice = DEMO if self.demo_radio.isChecked() else IMPORT if self.import_radio.isChecked() else EMPTY
        if self.choice != DEMO and self.starter_categories.isChecked():
            add_starter_categories(self._services.catalog)
        super().accept()

    def reject(self) -> None:
        # Closing the window means "start empty"; ask again next time only if nothing was saved.
        self.choice = EMPTY
        super().reject()

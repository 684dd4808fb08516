"""Suppliers: list with the last purchase date and the purchases of a period; add, edit,
deactivate / bring back."""

from __future__ import annotations

from PySide6.QtCore import QDate
from PySide6.QtWidgets import (
    QCheckBox,
    QDateEdit,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from jxc_desktop.domain.clock import local_today
from jxc_desktop.services.hub import Services
from jxc_desktop.ui.actions import run
from jxc_desktop.ui.changes import Change, subscribe
from jxc_desktop.ui.dialogs.supplier_dialog import SupplierDialog
from jxc_desktop.ui.i18n import tr
from jxc_desktop.ui.models.purchase_tables import SupplierModel, SupplierRow
from jxc_desktop.ui.widgets.tables import row_table


class SuppliersView(QWidget):
    """The supplier list; refreshes itself after any write to suppliers or purchases (ui/changes.py)."""

    def __init__(self, services: Services, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._services = services
        self.dialog: SupplierDialog | None = None
        today = local_today()
        self.first = QDateEdit(QDate(today.year, today.month, 1))
        self.last = QDateEdit(QDate(today.year, today.month, today.day))
        for d in (self.first, self.last):
            d.setCalendarPopup(True)
            d.setDisplayFormat("yyyy-MM-dd")
        self.search = QLineEdit()
        self.search.setPlaceholderText(tr("Search name, pinyin initials, contact or phone"))
        self.show_inactive = QCheckBox(tr("Show deactivated"))
        self.show_inactive.setChecked(True)
        bar = QHBoxLayout()
        bar.addWidget(self.search, 2)
        bar.addWidget(self.show_inactive)
        bar.addWidget(QLabel(tr("Period from")))
        bar.addWidget(self.first)
        bar.addWidget(QLabel(tr("to")))
        bar.addWidget(self.last)
        bar.addStretch(1)
        self.model = SupplierModel(self)
        self.table = row_table(self.model)
        self.table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.table.doubleClicked.connect(lambda _i: self.edit_current())
        self.add_button = QPushButton(tr("New supplier…"))
        self.edit_button = QPushButton(tr("Edit…"))
        self.active_button = QPushButton(tr("Deactivate"))
        foot = QHBoxLayout()
        foot.addStretch(1)
        for b in (self.add_button, self.edit_button, self.active_button):
            foot.addWidget(b)
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(self.table, 1)
        layout.addLayout(foot)
        self.search.textChanged.connect(lambda _t: self.refresh())
        self.show_inactive.toggled.connect(lambda _c: self.refresh())
        self.first.dateChanged.connect(lambda _d: self.refresh())
        self.last.dateChanged.connect(lambda _d: self.refresh())
        self.add_button.clicked.connect(self.add)
        self.edit_button.clicked.connect(self.edit_current)
        self.active_button.clicked.connect(self.toggle_active)
        self.table.selectionModel().currentRowChanged.connect(lambda *_: self._enable())
        self.refresh()
        subscribe(self, services, Change.SUPPLIERS | Change.PURCHASES, self.refresh)

    def refresh(self) -> None:
        first, last = self.first.date().toPython(), self.last.date().toPython()
        got = run(self, lambda: (
            {p.supplier_id: p for p in self._services.suppliers.purchases_in_period(first, max(first, last))},
            self._services.suppliers.list(active_only=not self.show_inactive.isChecked(), text=self.search.text())))
        if not got or got.value is None:
            return
        periods, rows = got.value
        self.model.set_rows([SupplierRow(s, periods.get(s.id)) for s in rows])
        self.table.resizeColumnsToContents()
        self._enable()

    def current(self) -> SupplierRow | None:
        idx = self.table.currentIndex()
        return self.model.row(idx.row()) if idx.isValid() else None

    def _enable(self) -> None:
        row = self.current()
        self.edit_button.setEnabled(row is not None)
        self.active_button.setEnabled(row is not None)
        self.active_button.setText(tr("Bring back") if row and not row.supplier.active else tr("Deactivate"))

    def add(self) -> SupplierDialog:
        self.dialog = SupplierDialog(self._services, parent=self)
        self.dialog.open()
        return self.dialog

    def edit_current(self) -> SupplierDialog | None:
        row = self.current()
        if row is None:
            return None
        self.dialog = SupplierDialog(self._services, row.supplier, parent=self)
        self.dialog.open()
        return self.dialog

    def toggle_active(self) -> None:
        row = self.current()
        if row is None:
            return
        run(self, lambda: self._services.suppliers.set_active(row.supplier.id, not row.supplier.active))

"""A simple category manager: add, rename, delete unused categories."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from jxc_desktop.services.hub import Services
from jxc_desktop.ui.actions import into, run
from jxc_desktop.ui.i18n import tr


class CategoryDialog(QDialog):
    def __init__(self, services: Services, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._services = services
        self.changed = False
        self.setWindowTitle(tr("Categories"))
        self.setMinimumSize(380, 420)
        self.list = QListWidget()
        self.name = QLineEdit()
        self.name.setPlaceholderText(tr("Category name"))
        self.add_button = QPushButton(tr("Add"))
        self.rename_button = QPushButton(tr("Rename"))
        self.delete_button = QPushButton(tr("Delete"))
        self.add_button.clicked.connect(self.add)
        self.rename_button.clicked.connect(self.rename)
        self.delete_button.clicked.connect(self.delete)
        self.name.returnPressed.connect(self.add)
        self.list.currentItemChanged.connect(
            lambda item, _prev: self.name.setText(item.text()) if item else None)
        self.error_label = QLabel()
        self.error_label.setWordWrap(True)
        self.error_label.setStyleSheet("color: #c0392b;")
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close.button(QDialogButtonBox.StandardButton.Close).setText(tr("Close"))
        close.rejected.connect(self.reject)
        row = QHBoxLayout()
        row.addWidget(self.name, 1)
        row.addWidget(self.add_button)
        row.addWidget(self.rename_button)
        row.addWidget(self.delete_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.list, 1)
        layout.addLayout(row)
        layout.addWidget(self.error_label)
        layout.addWidget(close)
        self.reload()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        # Enter in the name field has added the category already (returnPressed); QDialog would
        # then press its default button too: Add again with the emptied name ("category is
        # required") or Close. Enter does nothing more here; Esc still closes.
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            event.accept()
            return
        super().keyPressEvent(event)

    def reload(self, select: str = "") -> None:
        self.list.clear()
        for c in self._services.catalog.categories():
            item = QListWidgetItem(c.name)
            item.setData(Qt.ItemDataRole.UserRole, c.id)
            self.list.addItem(item)
            if c.name == select:
                self.list.setCurrentItem(item)

    def _current_id(self) -> int | None:
        item = self.list.currentItem()
        return item.data(Qt.ItemDataRole.UserRole) if item else None

    def _run(self, action) -> bool:  # type: ignore[no-untyped-def]
        got = run(self, action, inline=into(self.error_label))
        if not got:
            return False
        name = got.value
        self.error_label.clear()
        self.changed = True
        self.reload(name or "")
        return True

    def add(self) -> None:
        if self._run(lambda: self._services.catalog.create_category(self.name.text()).name):
            self.name.clear()  # ready for the next one

    def rename(self) -> None:
        cid = self._current_id()
        if cid is not None:
            self._run(lambda: self._services.catalog.rename_category(cid, self.name.text()).name)

    def delete(self) -> None:
        cid = self._current_id()
        if cid is not None:
            self._run(lambda: self._services.catalog.delete_category(cid))

"""The audit trail (审计日志): newest first, filtered by action, text and period."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from typing import Any

from PySide6.QtCore import QDate, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from jxc_desktop.domain.clock import local_today
from jxc_desktop.services.audit import AuditEntry
from jxc_desktop.services.hub import Services
from jxc_desktop.ui.i18n import tr
from jxc_desktop.ui.models.list_model import ListTableModel

_Index = QModelIndex | QPersistentModelIndex


def action_text(action: str) -> str:
    names = {
        "settings": tr("Settings changed"),
        "pin_set": tr("PIN set"),
        "pin_cleared": tr("PIN turned off"),
        "pin_reset": tr("PIN reset at the command line"),
        "pin_wrong": tr("Wrong PIN"),
        "pin_locked": tr("PIN entry locked"),
        "owner_authorized": tr("Owner allowed"),
        "backup": tr("Backup"),
        "restore": tr("Restore"),
        "reversal": tr("Reversal"),
        "price_change": tr("Price change"),
        "refund": tr("Refund"),
        "supplier_return": tr("Return to supplier"),
        "stock_count_posted": tr("Stock count posted"),
    }
    return names.get(action, action)


class AuditTableModel(ListTableModel[AuditEntry]):
    TIME, ACTION, DOCUMENT, BEFORE, AFTER, DETAIL = range(6)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__([tr("Time"), tr("Action"), tr("Document"), tr("Before"), tr("After"), tr("Detail")], parent)

    def entry(self, row: int) -> AuditEntry:
        return self._rows[row]

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        e = self._rows[index.row()]
        col = index.column()
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            values = (e.at.astimezone().strftime("%Y-%m-%d %H:%M:%S"), action_text(e.action), e.document,
                      e.before, e.after, e.detail)
            text = values[col] if 0 <= col < len(values) else None
            if role == Qt.ItemDataRole.DisplayRole and text is not None and len(text) > 120:
                return text[:117] + "…"
            return text
        return None


class AuditViewer(QDialog):
    def __init__(self, services: Services, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._services = services
        self.setWindowTitle(tr("Audit log"))
        self.resize(980, 560)
        self.action = QComboBox()
        self.action.addItem(tr("All actions"), "")
        for name in services.audit.actions():
            self.action.addItem(action_text(name), name)
        self.text = QLineEdit()
        self.text.setPlaceholderText(tr("Search document, before, after, detail"))
        self.since = QDateEdit(QDate(local_today()).addDays(-30))
        self.since.setCalendarPopup(True)
        self.since.setDisplayFormat("yyyy-MM-dd")
        self.until = QDateEdit(QDate(local_today()))
        self.until.setCalendarPopup(True)
        self.until.setDisplayFormat("yyyy-MM-dd")
        self.model = AuditTableModel(self)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.count_label = QLabel()
        filters = QHBoxLayout()
        for label, widget in ((tr("Action:"), self.action), (tr("From:"), self.since), (tr("To:"), self.until)):
            filters.addWidget(QLabel(label))
            filters.addWidget(widget)
        filters.addWidget(self.text, 1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(filters)
        layout.addWidget(self.table, 1)
        bottom = QHBoxLayout()
        bottom.addWidget(self.count_label, 1)
        bottom.addWidget(buttons)
        layout.addLayout(bottom)
        self.action.currentIndexChanged.connect(self.reload)
        self.text.textChanged.connect(self.reload)
        self.since.dateChanged.connect(self.reload)
        self.until.dateChanged.connect(self.reload)
        self.reload()
        for col, width in ((0, 150), (1, 140), (2, 140), (3, 180), (4, 180)):
            self.table.setColumnWidth(col, width)

    @staticmethod
    def _utc_start(day: QDate) -> datetime:
        local = datetime.combine(day.toPython(), time.min).astimezone()  # type: ignore[arg-type]
        return local.astimezone(UTC)

    def reload(self) -> None:
        since = self._utc_start(self.since.date())
        until = self._utc_start(self.until.date()) + timedelta(days=1)
        rows = self._services.audit.query(action=self.action.currentData() or "", text=self.text.text(),
                                          since=since, until=until, limit=5000)
        self.model.set_rows(rows)
        self.count_label.setText(tr("{count} entries").format(count=len(rows)))

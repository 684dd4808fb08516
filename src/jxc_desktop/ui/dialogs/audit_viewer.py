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
from jxc_desktop.services.hub import Services
from jxc_desktop.services.safety import audit_text
from jxc_desktop.services.safety.audit import AuditEntry
from jxc_desktop.ui.i18n import tr
from jxc_desktop.ui.models.list_model import ListTableModel

_Index = QModelIndex | QPersistentModelIndex


def action_text(action: str) -> str:
    """Every action the program writes, in words; an unknown one (a newer program's) as its code."""
    names = {
        "settings": tr("Settings changed"),
        "pin_set": tr("PIN set"),
        "pin_cleared": tr("PIN turned off"),
        "pin_reset": tr("PIN reset at the command line"),
        "pin_reset_recovery": tr("PIN reset with the recovery code"),
        "pin_reset_acknowledged": tr("PIN reset acknowledged by the owner"),
        "pin_wrong": tr("Wrong PIN"),
        "pin_recovery_wrong": tr("Wrong recovery code"),
        "pin_locked": tr("PIN entry locked"),
        "owner_authorized": tr("Owner allowed"),
        "backup": tr("Backup"),
        "restore": tr("Restore"),
        "reversal": tr("Reversal"),
        "price_change": tr("Price change"),
        "refund": tr("Refund"),
        "supplier_return": tr("Return to supplier"),
        "stock_count_posted": tr("Stock count posted"),
        "drawer_opened": tr("Cash drawer opened"),
        "staff_added": tr("Staff added"),
        "staff_pin_reset": tr("Cashier PIN reset"),
        "staff_changed": tr("Staff changed"),
        "sign_in": tr("Signed in"),
        "sign_in_wrong": tr("Wrong cashier PIN"),
        "sign_in_locked": tr("Cashier PIN entry locked"),
        "shift_opened": tr("Shift opened"),
        "shift_closed": tr("Shift closed"),
        "cash_move": tr("Cash in/out of the drawer"),
        # money owed (往来)
        "payment": tr("Payment to a supplier"),
        "collection": tr("Collection from a customer"),
        "write_off": tr("Written off"),
        "account_refund": tr("Refund of a credit balance"),
        "unallocate": tr("Settlement undone"),
        "credit_override": tr("Sale on account above the credit limit"),
        # members, their money and promotions (issue 17)
        "member_added": tr("Member added"),
        "member_changed": tr("Member changed"),
        "member_level": tr("Member level saved"),
        "stored_value_topup": tr("Stored value topped up"),
        "stored_value_pay": tr("Paid with stored value"),
        "stored_value_refund": tr("Stored value refunded"),
        "stored_value_adjust": tr("Stored value corrected"),
        "points_adjust": tr("Points corrected"),
        "promotion_add": tr("Promotion added"),
        "promotion_edit": tr("Promotion changed"),
        "promotion_end": tr("Promotion ended"),
    }
    return names.get(action, action)


def field_label(field: str) -> str:
    """The name of a field inside an entry's before/after/detail (settings keys included)."""
    labels = {
        "sale_price": tr("Sale price"), "ref_cost": tr("Purchase price"), "discount": tr("Discount"),
        "total": tr("Total"), "total_fen": tr("Total"), "supplier": tr("Supplier"), "lines": tr("Lines"),
        "sale": tr("Sale"), "method": tr("Payment method"), "kind": tr("Kind"), "moves": tr("Stock moves"),
        "gain_qty": tr("Gain quantity"), "gain_value": tr("Gain value"), "loss_qty": tr("Loss quantity"),
        "loss_value": tr("Loss value"), "uncounted": tr("Uncounted lines"), "zeroed": tr("Set to zero"),
        "made_at": tr("Made at"), "products": tr("Products"), "sales": tr("Sales"),
        "shop_name": tr("Shop name"), "shop_address": tr("Address"), "shop_phone": tr("Phone"),
        "receipt_header": tr("Header"), "receipt_footer": tr("Footer"), "language": tr("Language"),
        "receipt_width_mm": tr("Paper width"), "negative_stock": tr("Selling below zero stock"),
        "expiry_warning_days": tr("Warn before expiry"), "backup_dir": tr("Backup folder"),
        "max_line_discount_pct": tr("Line discount limit (%)"), "max_sale_discount_pct": tr("Sale discount limit (%)"),
        "scale_barcode_rules": tr("Scale barcodes"), "printer_name": tr("Receipt printer"),
        "printer_kind": tr("Printer kind"), "escpos_usb": tr("USB printer"), "escpos_serial": tr("Serial port"),
        "escpos_baud": tr("Baud rate"), "escpos_network": tr("Network printer"),
        "drawer_on_cash": tr("Open the drawer on cash"), "by": tr("By"), "reason": tr("Reason"),
        "reorder_service_level": tr("Reorder service level"),
        "reorder_lead_days": tr("Lead time of a supplier without one"),
        # members' money (issue 17)
        "member": tr("Member name"), "bonus": tr("Bonus"), "stored_value": tr("Stored value"), "points": tr("Points"),
        "points_added": tr("Points added"),
        "member_points_per_yuan": tr("Earning points"), "member_points_redeem_rate": tr("Paying with points"),
        "member_points_on_promoted": tr("Lines at a special price or in a quantity deal earn points too"),
        "member_sv_pin_limit": tr("Owner PIN for stored value above"),
    }
    return labels.get(field, field)


def _word(text: str) -> str:
    """The few plain codes the services store as a whole text."""
    words = {"set": tr("set"), "not set": tr("not set"), "changed": tr("changed"), "auto": tr("automatic"),
             "backup": tr("by hand"), "sale": tr("sale"), "return": tr("return"), "cash": tr("cash"),
             "manual": tr("opened by hand")}
    return words.get(text, text)


def readable(action: str, column: int, text: str) -> str:
    """One cell in words: JSON in fen becomes labelled yuan; an owner action code becomes its name."""
    from jxc_desktop.ui.dialogs.pin_dialog import action_label

    if column == AuditTableModel.DOCUMENT and action in ("owner_authorized", "pin_wrong", "pin_locked"):
        return action_label(text) if text else ""
    if column == AuditTableModel.DOCUMENT and action == "backup":
        return _word(text)
    pairs = audit_text.fields(text)
    if pairs is None:
        return _word(text)
    return ", ".join(f"{field_label(k)} {_word(v) if v != '' else '—'}" for k, v in pairs)


class AuditTableModel(ListTableModel[AuditEntry]):
    TIME, ACTION, DOCUMENT, BEFORE, AFTER, DETAIL, WHO = range(7)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__([tr("Time"), tr("Action"), tr("Document"), tr("Before"), tr("After"), tr("Detail"),
                          tr("Who")], parent)

    def entry(self, row: int) -> AuditEntry:
        return self._rows[row]

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        e = self._rows[index.row()]
        col = index.column()
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            if col == self.TIME:
                text: str | None = e.at.astimezone().strftime("%Y-%m-%d %H:%M:%S")
            elif col == self.ACTION:
                text = action_text(e.action)
            elif col in (self.DOCUMENT, self.BEFORE, self.AFTER, self.DETAIL):
                raw = (e.document, e.before, e.after, e.detail)[col - self.DOCUMENT]
                text = readable(e.action, col, raw)
            elif col == self.WHO:  # the person who did or approved it (migration 0010)
                text = e.actor
            else:
                text = None
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

"""Dialogs of the count tab: open a count, post it (uncounted lines: keep or zero), pick or add
the batch of a batch-tracked product. Each is shown with ``open()`` (never a blocking exec) and
reports through ``accepted`` so the tab stays testable."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from jxc_desktop.domain.clock import local_today
from jxc_desktop.domain.money import format_fen
from jxc_desktop.domain.quantity import format_qty
from jxc_desktop.services.catalog.products import CategoryDTO
from jxc_desktop.services.stock.dto import CountLineDTO, CountSummary
from jxc_desktop.ui.i18n import tr


def _buttons(dialog: QDialog, ok_text: str) -> QDialogButtonBox:
    box = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
    box.button(QDialogButtonBox.StandardButton.Ok).setText(ok_text)
    box.button(QDialogButtonBox.StandardButton.Cancel).setText(tr("Cancel"))
    box.accepted.connect(dialog.accept)
    box.rejected.connect(dialog.reject)
    return box


class NewCountDialog(QDialog):
    """All active products, or the ticked categories (with their sub-categories)."""

    def __init__(self, categories: list[CategoryDTO], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(tr("New stock count"))
        self.setMinimumWidth(380)
        self.all_radio = QRadioButton(tr("All active products"))
        self.some_radio = QRadioButton(tr("Only these categories:"))
        self.all_radio.setChecked(True)
        group = QButtonGroup(self)
        group.addButton(self.all_radio)
        group.addButton(self.some_radio)
        self.list = QListWidget()
        for c in categories:
            item = QListWidgetItem(c.name)
            item.setData(Qt.ItemDataRole.UserRole, c.id)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Unchecked)
            self.list.addItem(item)
        self.list.setEnabled(False)
        self.some_radio.toggled.connect(self.list.setEnabled)
        self.list.itemChanged.connect(lambda _i: self.some_radio.setChecked(True))
        self.note = QLineEdit()
        self.note.setPlaceholderText(tr("Note (optional)"))
        self.note.setMaxLength(200)
        self.hint = QLabel(tr("Selling and receiving may go on while you count."))
        self.hint.setWordWrap(True)
        layout = QVBoxLayout(self)
        for w in (self.all_radio, self.some_radio, self.list, self.note, self.hint):
            layout.addWidget(w)
        layout.addWidget(_buttons(self, tr("Open count")))

    def check_category(self, category_id: int) -> None:
        for i in range(self.list.count()):
            item = self.list.item(i)
            if item.data(Qt.ItemDataRole.UserRole) == category_id:
                item.setCheckState(Qt.CheckState.Checked)

    def category_ids(self) -> list[int]:
        if self.all_radio.isChecked():
            return []
        return [int(self.list.item(i).data(Qt.ItemDataRole.UserRole)) for i in range(self.list.count())
                if self.list.item(i).checkState() == Qt.CheckState.Checked]

    def accept(self) -> None:
        if self.some_radio.isChecked() and not self.category_ids():
            self.hint.setText(tr("Tick at least one category, or choose all products."))
            self.hint.setStyleSheet("color: #c62828;")
            return
        super().accept()


class PostCountDialog(QDialog):
    """Shows the totals and asks, explicitly, what happens to lines nobody counted."""

    def __init__(self, summary: CountSummary, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(tr("Post count {number}").format(number=summary.number))
        self.setMinimumWidth(440)
        text = tr("Counted {counted} of {lines} lines.\nGain: {gain_lines} lines, {gain_qty} units, {gain_value}\n"
                  "Loss: {loss_lines} lines, {loss_qty} units, {loss_value}\n"
                  "Posting writes these differences to stock and closes the count.").format(
            counted=summary.counted, lines=summary.lines, gain_lines=summary.gain_lines,
            gain_qty=format_qty(summary.gain_qty), gain_value=format_fen(summary.gain_value),
            loss_lines=summary.loss_lines, loss_qty=format_qty(summary.loss_qty),
            loss_value=format_fen(summary.loss_value))
        self.summary_label = QLabel(text)
        self.summary_label.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary_label)
        self.keep_radio = QRadioButton(tr("Keep the {n} uncounted lines as they are in the books").format(
            n=summary.uncounted))
        self.zero_radio = QRadioButton(tr("Count the {n} uncounted lines as ZERO (their whole stock is written off)")
                                       .format(n=summary.uncounted))
        self.keep_radio.setChecked(True)
        self.confirm_zero = QCheckBox(tr("Yes, write off the stock of {n} lines").format(n=summary.uncounted))
        self.confirm_zero.setVisible(False)
        self.zero_radio.toggled.connect(self.confirm_zero.setVisible)
        if summary.uncounted:
            group = QButtonGroup(self)
            group.addButton(self.keep_radio)
            group.addButton(self.zero_radio)
            layout.addWidget(QLabel(tr("{n} lines were not counted:").format(n=summary.uncounted)))
            layout.addWidget(self.keep_radio)
            layout.addWidget(self.zero_radio)
            layout.addWidget(self.confirm_zero)
        self.error = QLabel()
        self.error.setStyleSheet("color: #c62828;")
        layout.addWidget(self.error)
        layout.addWidget(_buttons(self, tr("Post")))
        self.uncounted_lines = summary.uncounted

    def uncounted(self) -> str:
        return "zero" if self.zero_radio.isChecked() and self.uncounted_lines else "keep"

    def accept(self) -> None:
        if self.uncounted() == "zero" and not self.confirm_zero.isChecked():
            self.error.setText(tr("Tick the box to confirm the write-off."))
            return
        super().accept()


class BatchDialog(QDialog):
    """Which batch of a batch-tracked product was scanned, or a new batch found on the shelf."""

    def __init__(self, name: str, lines: list[CountLineDTO], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(tr("Batch of {name}").format(name=name))
        self.setMinimumWidth(380)
        self.list = QListWidget()
        for line in lines:
            if line.batch_id is None:
                label = tr("(no batch)")
            else:
                expiry = line.expiry_date.isoformat() if line.expiry_date else "-"
                label = tr("{batch}  expires {expiry}  counted {counted}").format(
                    batch=line.batch_no, expiry=expiry,
                    counted=format_qty(line.counted_qty) if line.counted_qty is not None else "-")
            item = QListWidgetItem(label)
            item.setData(Qt.ItemDataRole.UserRole, line.batch_id)
            self.list.addItem(item)
        self.new_radio = QCheckBox(tr("A new batch not in the books:"))
        self.batch_no = QLineEdit()
        self.batch_no.setMaxLength(40)
        self.batch_no.setPlaceholderText(tr("Batch number"))
        self.expiry = QDateEdit()
        self.expiry.setCalendarPopup(True)
        self.expiry.setDisplayFormat("yyyy-MM-dd")
        self.expiry.setDate(QDate(local_today()).addDays(180))
        self.batch_no.textEdited.connect(lambda t: self.new_radio.setChecked(bool(t.strip())))
        form = QFormLayout()
        form.addRow(tr("Batch number"), self.batch_no)
        form.addRow(tr("Expiry date"), self.expiry)
        self.error = QLabel()
        self.error.setStyleSheet("color: #c62828;")
        layout = QVBoxLayout(self)
        layout.addWidget(self.list)
        layout.addWidget(self.new_radio)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(_buttons(self, tr("Count")))
        if self.list.count():
            self.list.setCurrentRow(0)
        self.list.itemDoubleClicked.connect(lambda _i: self.accept())

    def is_new(self) -> bool:
        return self.new_radio.isChecked()

    def chosen_batch_id(self) -> int | None:
        item = self.list.currentItem()
        return item.data(Qt.ItemDataRole.UserRole) if item else None

    def new_batch(self) -> tuple[str, date]:
        d = self.expiry.date()
        return self.batch_no.text().strip(), date(d.year(), d.month(), d.day())

    def accept(self) -> None:
        if self.is_new() and not self.batch_no.text().strip():
            self.error.setText(tr("Type the batch number."))
            return
        super().accept()

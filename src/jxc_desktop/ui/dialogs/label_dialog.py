"""Printing price tags and barcode labels: the labels to print with their number each, the size,
the kind, a preview of the first page(s) as they will come out, then print or save as PDF.

The products tab opens it for the chosen products and for the products whose price changed, the
purchase history for a posted note (one label per line, or per unit received).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace
from datetime import date

from PySide6.QtCore import QBuffer, QByteArray, QDate, QIODevice, QSize, Qt
from PySide6.QtGui import QImage, QPainter, QPixmap, QResizeEvent
from PySide6.QtPdf import QPdfDocument
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QScrollArea,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from jxc_desktop.domain.money import format_fen
from jxc_desktop.reports.labels import FORMATS, label_count, labels_pdf
from jxc_desktop.services.catalog.dto import LabelItem
from jxc_desktop.services.catalog.label_items import MAX_COPIES
from jxc_desktop.ui.actions import run
from jxc_desktop.ui.i18n import tr
from jxc_desktop.ui.printing import print_pdf, printer_names, save_pdf_as

PREVIEW_PAGES = 3  # thermal labels: the first three, side by side
PREVIEW_HEIGHT = 300  # pixels: thermal labels
SHEET_PREVIEW_HEIGHT = 1400  # an A4 sheet, scrolled (its labels readable)
COPIES_COL = 4


def format_titles() -> list[tuple[str, str]]:
    return [("40x30", tr("Thermal label 40×30 mm")), ("50x30", tr("Thermal label 50×30 mm")),
            ("60x40", tr("Thermal label 60×40 mm")), ("a4-3x8", tr("A4 sheet, 3×8 (24 labels)")),
            ("a4-4x10", tr("A4 sheet, 4×10 (40 labels)"))]


def first_labels(items: Sequence[LabelItem], count: int) -> list[LabelItem]:
    """The items that fill the first ``count`` labels (the last one with fewer copies if need be)."""
    out: list[LabelItem] = []
    left = count
    for item in items:
        if left <= 0:
            break
        take = min(item.copies, left)
        out.append(replace(item, copies=take))
        left -= take
    return out


def page_images(data: bytes, pages: int, height: int) -> list[QImage]:
    """The first ``pages`` pages of a PDF rendered ``height`` pixels high, on white paper."""
    array = QByteArray(data)
    buffer = QBuffer(array)
    buffer.open(QIODevice.OpenModeFlag.ReadOnly)
    doc = QPdfDocument()
    doc.load(buffer)
    images = []
    for page in range(min(pages, doc.pageCount())):
        size = doc.pagePointSize(page)
        width = max(1, round(size.width() * height / size.height()))
        image = QImage(width, height, QImage.Format.Format_RGB32)
        image.fill(Qt.GlobalColor.white)  # QtPdf renders onto a transparent image
        painter = QPainter(image)
        painter.drawImage(0, 0, doc.render(page, QSize(width, height)))
        painter.end()
        images.append(image)
    doc.close()
    return images


class LabelDialog(QDialog):
    def __init__(self, parent: QWidget | None, items: Sequence[LabelItem], *, title: str,
                 per_unit: Callable[[bool], list[LabelItem]] | None = None, kind: str = "price",
                 per_unit_text: str = "") -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.resize(1000, 760)
        self._title = title
        self._per_unit = per_unit
        self._items: list[LabelItem] = list(items)

        self.table = QTableWidget(0, 5)
        self.table.setHorizontalHeaderLabels([tr("Code"), tr("Name"), tr("Barcode"), tr("Price"), tr("Number of labels")])
        self.table.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.table.verticalHeader().setVisible(False)
        self.per_unit_box = QCheckBox(per_unit_text or tr("One label per unit received"))
        self.per_unit_box.setVisible(per_unit is not None)
        self.format_box = QComboBox()
        for key, text in format_titles():
            self.format_box.addItem(text, key)
        self.kind_box = QComboBox()
        self.kind_box.addItem(tr("Price tags"), "price")
        self.kind_box.addItem(tr("Barcode labels"), "barcode")
        self.kind_box.setCurrentIndex(0 if kind == "price" else 1)
        self.printer_box = QComboBox()
        names = printer_names()
        for name in names:
            self.printer_box.addItem(name, name)
        if not names:
            self.printer_box.addItem(tr("(no printer installed)"), "")
        self.preview = QLabel()
        self.preview.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.preview_area = QScrollArea()
        self.preview_area.setWidget(self.preview)
        self.preview_area.setWidgetResizable(True)
        self.preview_area.setMinimumHeight(PREVIEW_HEIGHT + 24)
        self.preview_area.setStyleSheet("background: #d8d8d8;")
        self.info = QLabel()

        form = QFormLayout()
        form.addRow(tr("Label size"), self.format_box)
        form.addRow(tr("Label kind"), self.kind_box)
        form.addRow(tr("Printer"), self.printer_box)
        self.print_button = QPushButton(tr("Print"))
        self.save_button = QPushButton(tr("Save as PDF…"))
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close.rejected.connect(self.reject)
        buttons = QHBoxLayout()
        buttons.addWidget(self.info, 1)
        buttons.addWidget(self.print_button)
        buttons.addWidget(self.save_button)
        buttons.addWidget(close)
        top = QHBoxLayout()
        top.addWidget(self.table, 3)
        side = QVBoxLayout()
        side.addLayout(form)
        side.addWidget(self.per_unit_box)
        side.addStretch(1)
        top.addLayout(side, 2)
        lay = QVBoxLayout(self)
        lay.addLayout(top)
        lay.addWidget(self.preview_area, 1)
        lay.addLayout(buttons)

        self._fill()
        self.table.itemChanged.connect(lambda _i: self.refresh_preview())
        self.format_box.currentIndexChanged.connect(lambda _i: self.refresh_preview())
        self.kind_box.currentIndexChanged.connect(lambda _i: self.refresh_preview())
        self.per_unit_box.toggled.connect(self._reload)
        self.print_button.clicked.connect(self.print_labels)
        self.save_button.clicked.connect(self.save_pdf)
        self._shown_width = 0
        self.refresh_preview()

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 (Qt's name)
        super().resizeEvent(event)
        # The preview fits the width it has: drawn again when the window is shown or resized.
        if abs(self.preview_area.viewport().width() - self._shown_width) > 40:
            self.refresh_preview()

    # ------------------------------------------------------------------ the labels
    def _fill(self) -> None:
        self.table.blockSignals(True)
        self.table.setRowCount(len(self._items))
        for row, item in enumerate(self._items):
            for col, text in enumerate((item.code, item.name, item.barcode, format_fen(item.price))):
                cell = QTableWidgetItem(text)
                cell.setFlags(cell.flags() & ~Qt.ItemFlag.ItemIsEditable)
                self.table.setItem(row, col, cell)
            copies = QTableWidgetItem()
            copies.setData(Qt.ItemDataRole.EditRole, item.copies)
            self.table.setItem(row, COPIES_COL, copies)
        self.table.blockSignals(False)

    def _reload(self, per_unit: bool) -> None:
        if self._per_unit is None:
            return
        loader = self._per_unit
        got = run(self, lambda: loader(per_unit))
        if got.ok and got.value is not None:
            self._items = got.value
            self._fill()
            self.refresh_preview()

    def items(self) -> list[LabelItem]:
        """The labels as listed, with the numbers typed in (1 to 999 each; 0 leaves a product out)."""
        out = []
        for row, item in enumerate(self._items):
            cell = self.table.item(row, COPIES_COL)
            try:
                copies = int(cell.data(Qt.ItemDataRole.EditRole)) if cell is not None else item.copies
            except (TypeError, ValueError):
                copies = item.copies
            copies = max(0, min(MAX_COPIES, copies))
            if copies:
                out.append(replace(item, copies=copies))
        return out

    def fmt(self) -> str:
        return str(self.format_box.currentData())

    def kind(self) -> str:
        return str(self.kind_box.currentData())

    def pdf(self) -> bytes:
        return labels_pdf(self.items(), self.fmt(), self.kind())

    # ------------------------------------------------------------------ preview and output
    def refresh_preview(self) -> None:
        form = FORMATS[self.fmt()]
        items = self.items()
        count = label_count(items)
        pages = -(-count // form.per_page)
        self.info.setText(tr("{labels} labels on {pages} pages").format(labels=count, pages=pages))
        self.print_button.setEnabled(count > 0)
        self.save_button.setEnabled(count > 0)
        if not count:
            self.preview.setPixmap(QPixmap())
            return
        shown = PREVIEW_PAGES if form.thermal else 1
        data = labels_pdf(first_labels(items, shown * form.per_page), form, self.kind())
        # As large as the preview fits across: three thermal labels side by side, or the sheet's width
        # (scrolled down to see its lower rows).
        self._shown_width = self.preview_area.viewport().width()
        room = max(300, self._shown_width - 16)
        aspect = form.page[0] / form.page[1]
        if form.thermal:
            height = min(PREVIEW_HEIGHT, int((room - 12 * (shown - 1)) / (shown * aspect)))
        else:
            height = min(SHEET_PREVIEW_HEIGHT, int(room / aspect))
        images = page_images(data, shown, height)
        gap = 12
        strip = QPixmap(sum(i.width() for i in images) + gap * (len(images) - 1), height)
        strip.fill(Qt.GlobalColor.transparent)
        painter = QPainter(strip)
        x = 0
        for image in images:
            painter.drawImage(x, 0, image)
            x += image.width() + gap
        painter.end()
        self.preview.setPixmap(strip)
        self.preview_area.horizontalScrollBar().setValue(0)
        self.preview_area.verticalScrollBar().setValue(0)

    def print_labels(self) -> str | None:
        got = run(self, self.pdf)
        if not got.ok or got.value is None:
            return None
        return print_pdf(self, got.value, printer_name=str(self.printer_box.currentData() or ""), title=self._title)

    def save_pdf(self) -> str | None:
        got = run(self, self.pdf)
        if not got.ok or got.value is None:
            return None
        error = save_pdf_as(self, got.value, self._title)
        if error:
            QMessageBox.warning(self, tr("Save as PDF"), error)
        return error


class DayDialog(QDialog):
    """Asks for the first day of the price changes to print labels for."""

    def __init__(self, parent: QWidget | None, today: date) -> None:
        super().__init__(parent)
        self.setWindowTitle(tr("Labels for price changes"))
        self.day = QDateEdit(QDate(today.year, today.month, today.day))
        self.day.setCalendarPopup(True)
        self.day.setDisplayFormat("yyyy-MM-dd")
        form = QFormLayout(self)
        form.addRow(tr("Prices changed since"), self.day)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)

    def chosen(self) -> date:
        d = self.day.date()
        return date(d.year(), d.month(), d.day())

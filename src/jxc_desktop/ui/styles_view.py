"""The styles window (products tab → Styles…): every style (款号) on the left; on the right the
chosen style's stock as colour × size, what it sold over a period as colour × size, its sales and
sell-through (售罄率) by colour and by size, and the shop's broken sizes (断码). From here a style is created with its grid, a
colour or a size added, a combination switched off or on, and the stock grids saved as PDF.

Sell-through = sold in the period ÷ (sold + on hand at its end) (services/catalog/style_grid.py).
"""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDateEdit,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QPushButton,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from jxc_desktop.domain.changes import Change
from jxc_desktop.domain.clock import local_today, utcnow
from jxc_desktop.domain.money import format_fen
from jxc_desktop.domain.quantity import format_qty
from jxc_desktop.domain.variants import format_rate
from jxc_desktop.reports.style_grid import style_grid_pdf
from jxc_desktop.services.catalog.dto import SellThroughRow, StyleDTO, StyleGridDTO
from jxc_desktop.services.hub import Services
from jxc_desktop.ui.actions import run
from jxc_desktop.ui.dialogs.label_dialog import LabelDialog
from jxc_desktop.ui.dialogs.style_dialog import StyleDialog
from jxc_desktop.ui.i18n import tr
from jxc_desktop.ui.printing import save_pdf_as
from jxc_desktop.ui.widgets.size_grid import SizeGrid


def _table(headers: list[str]) -> QTableWidget:
    t = QTableWidget(0, len(headers))
    t.setHorizontalHeaderLabels(headers)
    t.verticalHeader().setVisible(False)
    t.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    t.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    t.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    t.horizontalHeader().setStretchLastSection(True)
    return t


def _fill(table: QTableWidget, rows: list[list[str]], right_from: int = 99) -> None:
    table.setRowCount(len(rows))
    for r, row in enumerate(rows):
        for c, text in enumerate(row):
            item = QTableWidgetItem(text)
            if c >= right_from:
                item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            table.setItem(r, c, item)


class StylesWindow(QDialog):
    def __init__(self, services: Services, parent: QWidget | None = None, *, select_code: str | None = None) -> None:
        super().__init__(parent)
        self._services = services
        self.style_dto: StyleDTO | None = None
        self.stock: StyleGridDTO | None = None
        self.grid: SizeGrid | None = None
        self.new_dialog: StyleDialog | None = None
        self.setWindowTitle(tr("Styles (colour × size)"))
        self.resize(1150, 680)
        self.list = _table([tr("Style code"), tr("Name"), tr("Season"), tr("Stock")])
        self.new_button = QPushButton(tr("New style…"))
        self.pdf_button = QPushButton(tr("Stock grids PDF…"))
        left = QWidget()
        lv = QVBoxLayout(left)
        lv.setContentsMargins(0, 0, 0, 0)
        lv.addWidget(self.list, 1)
        row = QHBoxLayout()
        row.addWidget(self.new_button)
        row.addWidget(self.pdf_button)
        lv.addLayout(row)

        self.title = QLabel()
        self.title.setStyleSheet("font-size: 15px; font-weight: bold;")
        self.grid_box = QVBoxLayout()
        self.add_colour_button = QPushButton(tr("Add colour…"))
        self.add_size_button = QPushButton(tr("Add size…"))
        self.toggle_button = QPushButton(tr("Switch cell off/on"))
        self.labels_button = QPushButton(tr("Labels for the style…"))
        self.label_dialog: LabelDialog | None = None
        actions = QHBoxLayout()
        for b in (self.add_colour_button, self.add_size_button, self.toggle_button, self.labels_button):
            actions.addWidget(b)
        actions.addStretch(1)
        today = local_today()
        self.first = QDateEdit(QDate(today.year, today.month, 1))
        self.last = QDateEdit(QDate(today.year, today.month, today.day))
        for d in (self.first, self.last):
            d.setCalendarPopup(True)
            d.setDisplayFormat("yyyy-MM-dd")
        period = QHBoxLayout()
        period.addWidget(QLabel(tr("Sales from")))
        period.addWidget(self.first)
        period.addWidget(QLabel(tr("to")))
        period.addWidget(self.last)
        period.addStretch(1)
        figures = [tr("Sold"), tr("Net sales"), tr("On hand"), tr("Sell-through")]
        self.by_colour = _table([tr("Colour"), *figures])
        self.by_size = _table([tr("Size"), *figures])
        self.broken = _table([tr("Style code"), tr("Name"), tr("Colour"), tr("Sold out"), tr("Left"), tr("On hand")])
        self.sold_page = QWidget()
        self.sold_box = QVBoxLayout(self.sold_page)
        self.sold_box.addStretch(1)
        self.sold_grid: SizeGrid | None = None
        self.tabs = QTabWidget()
        self.tabs.addTab(self.sold_page, tr("Sold by colour × size"))
        self.tabs.addTab(self.by_colour, tr("By colour"))
        self.tabs.addTab(self.by_size, tr("By size"))
        self.tabs.addTab(self.broken, tr("Broken sizes (断码)"))
        self.note = QLabel(tr("Sell-through = sold in the period ÷ (sold + on hand at its end)"))
        self.note.setStyleSheet("color: #666;")
        right = QWidget()
        rv = QVBoxLayout(right)
        rv.setContentsMargins(0, 0, 0, 0)
        rv.addWidget(self.title)
        rv.addLayout(self.grid_box)
        rv.addLayout(actions)
        rv.addLayout(period)
        rv.addWidget(self.tabs, 2)
        rv.addWidget(self.note)
        split = QSplitter()
        split.addWidget(left)
        split.addWidget(right)
        split.setSizes([330, 820])
        layout = QVBoxLayout(self)
        layout.addWidget(split)

        self.list.currentCellChanged.connect(lambda r, _c, _pr, _pc: self._chosen(r))
        self.new_button.clicked.connect(self.new_style)
        self.pdf_button.clicked.connect(lambda: self.save_pdf())
        self.add_colour_button.clicked.connect(lambda: self.add_colour())
        self.add_size_button.clicked.connect(lambda: self.add_size())
        self.toggle_button.clicked.connect(self.toggle_cell)
        self.labels_button.clicked.connect(lambda: self.print_labels())
        self.first.dateChanged.connect(lambda _d: self.show_sales())
        self.last.dateChanged.connect(lambda _d: self.show_sales())
        self.reload(select_code)

    # ------------------------------------------------------------ the list
    def reload(self, select_code: str | None = None) -> None:
        rows = self._services.styles.list_styles()
        self._codes = [r.code for r in rows]
        keep = select_code or (self.style_dto.code if self.style_dto else None)
        self.list.blockSignals(True)
        _fill(self.list, [[r.code, r.name, " ".join(p for p in (str(r.year) if r.year else "", r.season) if p),
                           format_qty(r.stock_qty)] for r in rows], right_from=3)
        self.list.blockSignals(False)
        row = self._codes.index(keep) if keep in self._codes else (0 if rows else -1)
        if row >= 0:
            self.list.setCurrentCell(row, 0)
            self._chosen(row)
        self.show_broken()

    def _chosen(self, row: int) -> None:
        if 0 <= row < len(self._codes):
            self.show_style(self._codes[row])

    # ------------------------------------------------------------ one style
    def show_style(self, code: str) -> None:
        self.stock = self._services.style_grids.stock_grid(code)
        self.style_dto = s = self.stock.style
        season = " ".join(p for p in (str(s.year) if s.year else "", s.season) if p)
        self.title.setText(tr("{code} {name}  {season}  {brand}  Retail {price}  Stock {qty}").format(
            code=s.code, name=s.name, season=season, brand=s.brand, price=format_fen(s.sale_price),
            qty=format_qty(self.stock.grid.total)))
        if self.grid is not None:
            self.grid_box.removeWidget(self.grid)
            self.grid.hide()  # gone from the screen now, deleted when Qt is back in its loop
            self.grid.deleteLater()
        self.grid = SizeGrid(self.stock.grid, editable=False, parent=self)
        self.grid_box.addWidget(self.grid)
        self.show_sales()

    def select_cell(self, colour_code: str, size: str) -> None:
        """Put the cursor on one colour × size of the style shown (the variant asked about)."""
        if self.grid is None:
            return
        cells = [(r, c) for r in range(self.grid.rowCount()) for c in range(self.grid.columnCount())
                 if self.grid.cell_at(r, c) == (colour_code, size)]
        if cells:
            self.grid.setCurrentCell(*cells[0])

    def _period(self) -> tuple[date, date]:
        return self.first.date().toPython(), self.last.date().toPython()  # type: ignore[return-value]

    def show_sales(self) -> None:
        if self.style_dto is None:
            return
        first, last = self._period()
        code = self.style_dto.code
        grids = self._services.style_grids
        got = run(self, lambda: (grids.sell_through(first, last, level="colour", style_code=code),
                                 grids.sell_through(first, last, level="size", style_code=code),
                                 grids.sales_grid(code, first, last)))
        if not got or got.value is None:
            return
        colours, sizes, sold = got.value
        if self.sold_grid is not None:
            self.sold_box.removeWidget(self.sold_grid)
            self.sold_grid.hide()
            self.sold_grid.deleteLater()
        self.sold_grid = SizeGrid(sold.grid, editable=False, parent=self.sold_page)
        self.sold_box.insertWidget(0, self.sold_grid)

        def figures(r: SellThroughRow) -> list[str]:
            return [format_qty(r.sold), format_fen(r.amount), format_qty(r.on_hand), format_rate(r.rate_bp)]

        _fill(self.by_colour, [[r.colour, *figures(r)] for r in colours], right_from=1)
        _fill(self.by_size, [[r.size, *figures(r)] for r in sizes], right_from=1)

    def show_broken(self) -> None:
        rows = self._services.style_grids.broken_sizes()
        _fill(self.broken, [[r.style_code, r.style_name, r.colour, " ".join(r.missing), " ".join(r.remaining),
                             format_qty(r.on_hand)] for r in rows], right_from=5)
        self.tabs.setTabText(self.tabs.indexOf(self.broken), tr("Broken sizes (断码)") + f" {len(rows)}")

    # ------------------------------------------------------------ changes
    def new_style(self) -> StyleDialog:
        self.new_dialog = StyleDialog(self._services, self)
        self.new_dialog.saved.connect(lambda s: self.reload(s.code))
        self.new_dialog.open()
        return self.new_dialog

    def _changed(self, work: object) -> None:
        got = run(self, work, changes=Change.PRODUCTS, services=self._services)  # type: ignore[arg-type]
        if got and got.value is not None:
            self.reload(got.value.code)

    def add_colour(self, text: str | None = None) -> None:
        """A new colour row, typed as "code name" (e.g. "09 雾霾蓝")."""
        if self.style_dto is None:
            return
        if text is None:
            text, ok = QInputDialog.getText(self, tr("Add colour"), tr("Colour code and name, e.g. 09 雾霾蓝"))
            if not ok:
                return
        code, _sep, name = text.strip().partition(" ")
        style_id = self.style_dto.id
        self._changed(lambda: self._services.styles.add_colour(style_id, code, name))

    def add_size(self, size: str | None = None) -> None:
        if self.style_dto is None:
            return
        if size is None:
            size, ok = QInputDialog.getText(self, tr("Add size"), tr("Size"))
            if not ok:
                return
        style_id = self.style_dto.id
        self._changed(lambda: self._services.styles.add_size(style_id, size))

    def toggle_cell(self) -> None:
        """The selected cell's combination off (not made; its product deactivated) or back on."""
        if self.style_dto is None or self.grid is None:
            return
        cell = self.grid.cell_at(self.grid.currentRow(), self.grid.currentColumn())
        if cell is None:
            return
        variant = self.style_dto.variant(*cell)
        if variant is None:
            return
        style_id = self.style_dto.id
        self._changed(lambda: self._services.styles.set_variant_active(style_id, cell[0], cell[1],
                                                                       not variant.active))

    def print_labels(self) -> LabelDialog | None:
        """Price tags or barcode labels for every colour × size of the style shown: one each, or
        one per unit on hand (the dialog's box); previewed, then printed or saved as PDF."""
        if self.style_dto is None:
            return None
        code, labels = self.style_dto.code, self._services.labels
        got = run(self, lambda: labels.for_style(code))
        if not got.ok or not got.value:
            return None
        self.label_dialog = LabelDialog(self, got.value, title=tr("Labels for {code}").format(code=code),
                                        per_unit=lambda per_unit: labels.for_style(code, per_unit=per_unit),
                                        per_unit_text=tr("One label per unit on hand"), kind="barcode")
        self.label_dialog.open()
        return self.label_dialog

    def pdf_bytes(self) -> bytes:
        codes = [r.code for r in self._services.styles.list_styles() if r.active]
        grids = [self._services.style_grids.stock_grid(code) for code in codes]
        return style_grid_pdf(grids, shop=self._services.settings.get("shop_name"), printed_at=utcnow())

    def save_pdf(self) -> str | None:
        got = run(self, self.pdf_bytes)
        if not got or got.value is None:
            return None
        return save_pdf_as(self, got.value, tr("Stock by colour and size"))

"""Add / edit a product. The widget only gathers text; every rule is the catalog's (domain/product_rules)."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDialog,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from jxc_desktop.domain.errors import JxcError, ValidationError
from jxc_desktop.domain.money import fen_to_yuan_str, parse_yuan
from jxc_desktop.domain.product_rules import ProductInput
from jxc_desktop.domain.quantity import format_qty, parse_qty
from jxc_desktop.services.catalog.pinyin import warm_up_in_background
from jxc_desktop.services.catalog.products import ProductDTO, pinyin_initials
from jxc_desktop.services.hub import Services
from jxc_desktop.ui.actions import into, run
from jxc_desktop.ui.i18n import tr
from jxc_desktop.ui.widgets.forms import error_label, save_cancel_buttons

UNITS = ("个", "瓶", "袋", "盒", "包", "箱", "听", "罐", "桶", "杯", "支", "条", "件", "双", "斤", "千克", "克", "米")


def _int_field(text: str, error: ValidationError) -> int | None:
    text = text.strip()
    if not text:
        return None
    if not (text.isascii() and text.isdigit()):
        raise error
    return int(text)


BARCODE_ROWS = 3  # piece, inner pack and case barcodes visible without scrolling


def show_rows(table: QTableWidget, rows: int) -> None:
    """Give a table exactly the height of its header and ``rows`` rows, so a squeezed dialog cannot
    cut it to one and a half rows (the row height follows the font: not a fixed pixel count)."""
    height = (table.horizontalHeader().sizeHint().height() + rows * table.verticalHeader().defaultSectionSize()
              + 2 * table.frameWidth())
    table.setMinimumHeight(height)
    table.setMaximumHeight(height)


class ProductDialog(QDialog):
    """``ProductDialog(services, product=None)``; ``saved`` carries the stored ProductDTO."""

    saved = Signal(object)

    def __init__(self, services: Services, product: ProductDTO | None = None,
                 parent: QWidget | None = None, *, barcode: str = "") -> None:
        super().__init__(parent)
        self._services = services
        self.product = product
        self.result_product: ProductDTO | None = None
        warm_up_in_background()  # the 助记码 follows the name as typed: its dictionaries load meanwhile
        self.setWindowTitle(tr("Edit product") if product else tr("New product"))
        self.setMinimumWidth(560)

        self.name = QLineEdit()
        self.name.setMaxLength(120)
        self.code = QLineEdit()
        self.code.setPlaceholderText(tr("Empty: next free number"))
        self.pinyin = QLineEdit()
        self.pinyin.setPlaceholderText(tr("Made from the name"))
        self.spec = QLineEdit()
        self.unit = QComboBox()
        self.unit.setEditable(True)
        self.unit.addItems(UNITS)
        self.category = QComboBox()
        self.category.setEditable(False)
        self.sale_price = QLineEdit()
        self.ref_cost = QLineEdit()
        self.wholesale_price = QLineEdit()  # the wholesale note's price (销售单); empty = the retail price
        self.wholesale_price.setPlaceholderText(tr("Empty: the sale price"))
        self.member_price = QLineEdit()  # 会员价 (issue 17); empty = the member level's discount
        self.member_price.setPlaceholderText(tr("Empty: the member level's discount"))
        self._member: int | None = None
        for w in (self.sale_price, self.ref_cost, self.wholesale_price, self.member_price):
            w.setPlaceholderText(w.placeholderText() or "0.00")
            w.setAlignment(Qt.AlignmentFlag.AlignRight)
        self.min_stock = QLineEdit()
        self.max_stock = QLineEdit()
        self.shelf_life = QLineEdit()
        self.shelf_life.setPlaceholderText(tr("Empty: does not expire"))
        self.tracks_batches = QCheckBox(tr("Track batches and expiry dates"))
        self.opening_qty = QLineEdit()
        self.opening_qty.setPlaceholderText("0")
        self.opening_cost = QLineEdit()
        self.opening_cost.setPlaceholderText(tr("Empty: the purchase price"))

        basic = QGroupBox(tr("Product"))
        form = QFormLayout(basic)
        form.addRow(tr("Name *"), self.name)
        form.addRow(tr("Code"), self.code)
        form.addRow(tr("Pinyin initials"), self.pinyin)
        form.addRow(tr("Spec"), self.spec)
        row = QHBoxLayout()
        row.addWidget(self.unit, 1)
        row.addWidget(QLabel(tr("Category")))
        row.addWidget(self.category, 2)
        self.new_category_button = QPushButton(tr("New category…"))
        self.new_category_button.setAutoDefault(False)
        self.new_category_button.clicked.connect(lambda: self.new_category())
        row.addWidget(self.new_category_button)
        form.addRow(tr("Unit"), row)

        money = QGroupBox(tr("Prices and stock"))
        grid = QGridLayout(money)
        grid.addWidget(QLabel(tr("Sale price (¥)")), 0, 0)
        grid.addWidget(self.sale_price, 0, 1)
        cost_label = QLabel(tr("Purchase price (¥)"))
        grid.addWidget(cost_label, 0, 2)
        grid.addWidget(self.ref_cost, 0, 3)
        grid.addWidget(QLabel(tr("Minimum stock")), 1, 0)
        grid.addWidget(self.min_stock, 1, 1)
        grid.addWidget(QLabel(tr("Maximum stock")), 1, 2)
        grid.addWidget(self.max_stock, 1, 3)
        grid.addWidget(QLabel(tr("Shelf life (days)")), 2, 0)
        grid.addWidget(self.shelf_life, 2, 1)
        grid.addWidget(self.tracks_batches, 2, 2, 1, 2)
        grid.addWidget(QLabel(tr("Wholesale price (¥)")), 3, 0)
        grid.addWidget(self.wholesale_price, 3, 1)
        grid.addWidget(QLabel(tr("Member price (¥)")), 4, 0)
        grid.addWidget(self.member_price, 4, 1)
        if product is None:
            grid.addWidget(QLabel(tr("Opening stock")), 3, 0)
            grid.addWidget(self.opening_qty, 3, 1)
            opening_cost_label = QLabel(tr("Opening unit cost (¥)"))
            grid.addWidget(opening_cost_label, 3, 2)
            grid.addWidget(self.opening_cost, 3, 3)
        from jxc_desktop.ui.guard import costs_visible

        # With an owner PIN set and the owner away, the form neither shows nor changes the costs.
        self.costs_shown = costs_visible(services)
        if not self.costs_shown:
            for w in (cost_label, self.ref_cost, self.opening_cost):
                w.hide()
            if product is None:
                opening_cost_label.hide()

        codes = QGroupBox(tr("Barcodes"))
        codes_layout = QHBoxLayout(codes)
        self.barcodes = QTableWidget(0, 2)
        self.barcodes.setHorizontalHeaderLabels([tr("Barcode"), tr("Units per scan")])
        self.barcodes.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.barcodes.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        self.barcodes.verticalHeader().setVisible(False)
        self.barcodes.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        show_rows(self.barcodes, BARCODE_ROWS)
        buttons = QVBoxLayout()
        self.add_barcode_button = QPushButton(tr("Add barcode"))
        self.remove_barcode_button = QPushButton(tr("Remove"))
        self.add_barcode_button.clicked.connect(lambda: self.add_barcode_row("", 1, edit=True))
        self.remove_barcode_button.clicked.connect(self._remove_barcode)
        self.store_code_button = QPushButton(tr("In-store barcode"))
        self.store_code_button.setToolTip(tr("Fill in a new in-store EAN-13 code (20–29) for goods without a barcode"))
        self.store_code_button.clicked.connect(self.add_store_barcode)
        buttons.addWidget(self.add_barcode_button)
        buttons.addWidget(self.remove_barcode_button)
        buttons.addWidget(self.store_code_button)
        buttons.addStretch(1)
        codes_layout.addWidget(self.barcodes, 1)
        codes_layout.addLayout(buttons)
        hint = QLabel(tr("A case barcode can stand for several units, e.g. 12 per scan."))
        hint.setStyleSheet("color: #666;")

        self.error_label = error_label(hidden=True)

        self.buttons = save_cancel_buttons(self)

        layout = QVBoxLayout(self)
        layout.addWidget(basic)
        layout.addWidget(money)
        layout.addWidget(codes)
        layout.addWidget(hint)
        layout.addWidget(self.error_label)
        layout.addWidget(self.buttons)

        self._fill_categories(product.category if product else "")
        self._pinyin_auto = True
        self._wholesale = 0  # the stored wholesale price of the product being edited
        self.name.textEdited.connect(self._name_edited)
        self.pinyin.textEdited.connect(self._pinyin_edited)
        if product is not None:
            self._load(product)
        elif barcode:
            self.add_barcode_row(barcode, 1)
        self.name.setFocus()

    # ------------------------------------------------------------------ filling
    def new_category(self, name: str | None = None) -> str | None:
        """Add a category without leaving the form (an empty shop has none) and choose it."""
        if name is None:
            name, ok = QInputDialog.getText(self, tr("New category"), tr("Category name"))
            if not ok:
                return None
        category = name
        got = run(self, lambda: self._services.catalog.create_category(category).name, inline=into(self.error_label))
        if not got or got.value is None:
            return None
        created = got.value
        self.error_label.hide()
        self._fill_categories(created)
        return created

    def _fill_categories(self, current: str) -> None:
        self.category.clear()
        self.category.addItem(tr("(none)"), "")
        for c in self._services.catalog.categories():
            self.category.addItem(c.name, c.name)
        i = self.category.findData(current)
        self.category.setCurrentIndex(max(i, 0))

    def _load(self, p: ProductDTO) -> None:
        self.name.setText(p.name)
        self.code.setText(p.code)
        self.pinyin.setText(p.pinyin)
        self._pinyin_auto = not p.pinyin_manual
        self.spec.setText(p.spec)
        self.unit.setCurrentText(p.unit)
        self.sale_price.setText(fen_to_yuan_str(p.sale_price))
        self._wholesale = self._services.wholesale.wholesale_price(p.id)
        self.wholesale_price.setText(fen_to_yuan_str(self._wholesale) if self._wholesale else "")
        self._member = self._services.members.member_price(p.id)
        self.member_price.setText(fen_to_yuan_str(self._member) if self._member is not None else "")
        if self.costs_shown:
            self.ref_cost.setText(fen_to_yuan_str(p.ref_cost))
        self.min_stock.setText(format_qty(p.min_stock) if p.min_stock else "")
        self.max_stock.setText(format_qty(p.max_stock) if p.max_stock else "")
        self.shelf_life.setText(str(p.shelf_life_days) if p.shelf_life_days else "")
        self.tracks_batches.setChecked(p.tracks_batches)
        for code, mult in p.barcodes:
            self.add_barcode_row(code, mult)

    def add_barcode_row(self, code: str, multiplier: int, *, edit: bool = False) -> None:
        r = self.barcodes.rowCount()
        self.barcodes.insertRow(r)
        self.barcodes.setItem(r, 0, QTableWidgetItem(code))
        mult = QTableWidgetItem(str(multiplier))
        mult.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self.barcodes.setItem(r, 1, mult)
        if edit:
            self.barcodes.setCurrentCell(r, 0)
            self.barcodes.editItem(self.barcodes.item(r, 0))

    def add_store_barcode(self) -> str | None:
        """A new in-store code as a barcode row (saving the product checks it is still free)."""
        got = run(self, self._services.labels.propose_store_barcode)
        if not got.ok or got.value is None:
            return None
        self.add_barcode_row(got.value, 1)
        return got.value

    def _remove_barcode(self) -> None:
        r = self.barcodes.currentRow()
        if r >= 0:
            self.barcodes.removeRow(r)

    def _name_edited(self, text: str) -> None:
        if self._pinyin_auto:
            self.pinyin.setText(pinyin_initials(text))

    def _pinyin_edited(self, text: str) -> None:
        self._pinyin_auto = not text.strip()

    # ------------------------------------------------------------------ saving
    def gather(self) -> tuple[ProductInput, int, int | None]:
        """The form as a ProductInput (+ opening qty and cost); parsing errors are the domain's."""
        sale = parse_yuan(self.sale_price.text() or "0", field="Sale price")
        if self.costs_shown:
            cost = parse_yuan(self.ref_cost.text() or "0", field="Purchase price")
        else:  # hidden, so never loaded: keep what is stored
            cost = self.product.ref_cost if self.product is not None else 0
        min_stock = parse_qty(self.min_stock.text() or "0", field="Minimum stock", allow_zero=True)
        max_stock = parse_qty(self.max_stock.text() or "0", field="Maximum stock", allow_zero=True)
        shelf = _int_field(self.shelf_life.text(),
                           ValidationError("Shelf life must be between 1 and 36500 days"))
        barcodes: list[tuple[str, int]] = []
        for r in range(self.barcodes.rowCount()):
            code_item, mult_item = self.barcodes.item(r, 0), self.barcodes.item(r, 1)
            code = code_item.text().strip() if code_item else ""
            if not code:
                continue
            mult = _int_field(mult_item.text() if mult_item else "1",
                              ValidationError("Pack size of barcode {code} must be 1 to 10000", code=code))
            barcodes.append((code, 1 if mult is None else mult))
        pinyin = self.pinyin.text().strip()
        data = ProductInput(
            name=self.name.text(), code=self.code.text().strip(), spec=self.spec.text(),
            unit=self.unit.currentText(), category=self.category.currentData() or "",
            sale_price=sale, ref_cost=cost, min_stock=min_stock, max_stock=max_stock,
            shelf_life_days=shelf, tracks_batches=self.tracks_batches.isChecked(),
            # Typed by hand: kept; left empty or automatic: made from the name again (an explicit
            # value, so a product whose initials were once typed by hand goes back to automatic).
            pinyin=pinyin if (pinyin and not self._pinyin_auto) else pinyin_initials(self.name.text()),
            barcodes=tuple(barcodes))
        opening = parse_qty(self.opening_qty.text() or "0", field="Opening stock", allow_zero=True)
        opening_cost = (parse_yuan(self.opening_cost.text(), field="Opening unit cost")
                        if self.costs_shown and self.opening_cost.text().strip() else None)
        return data, opening, opening_cost

    def save(self) -> ProductDTO | None:
        """Store the product; on bad input show the reason in the dialog and keep it open."""
        got = run(self, self._store, inline=self.show_problem)
        if not got or got.value is None:
            return None
        dto = got.value
        self.result_product = dto
        self.saved.emit(dto)
        return dto

    def _store(self) -> ProductDTO | None:
        data, opening, opening_cost = self.gather()
        wholesale = parse_yuan(self.wholesale_price.text() or "0", field="Wholesale price")
        member_text = self.member_price.text().strip()
        member = parse_yuan(member_text, field="Member price") if member_text else None
        if member is not None and member > data.sale_price:  # checked before anything is written
            raise ValidationError("The member price of {name} is above its sale price", name=data.name)
        if self.product is None:
            dto = self._services.catalog.create_product(data, opening_qty=opening, opening_cost=opening_cost)
            if wholesale:
                self._services.wholesale.set_wholesale_price(dto.id, wholesale)
            if member is not None:
                self._services.members.set_member_price(dto.id, member)
            return dto
        if ((data.sale_price, data.ref_cost) != (self.product.sale_price, self.product.ref_cost)
                or wholesale != self._wholesale or member != self._member):
            from jxc_desktop.ui.guard import ensure_owner

            if not ensure_owner(self, self._services, "price_change"):  # owner PIN, when set (G)
                return None
        dto = self._services.catalog.update_product(self.product.id, data)
        self._services.wholesale.set_wholesale_price(dto.id, wholesale)  # its own check: same price, no write
        self._services.members.set_member_price(dto.id, member)  # the same
        return dto

    def show_problem(self, exc: JxcError) -> None:
        self.error_label.setText(exc.message)
        self.error_label.show()
        field_widget = {
            "Name": self.name, "Code": self.code, "Spec": self.spec, "Unit": self.unit,
            "Sale price": self.sale_price, "Purchase price": self.ref_cost, "Wholesale price": self.wholesale_price,
            "Member price": self.member_price,
            "Minimum stock": self.min_stock, "Maximum stock": self.max_stock,
            "Pinyin initials": self.pinyin, "Opening stock": self.opening_qty,
            "Opening unit cost": self.opening_cost,
        }.get(str(exc.params.get("field", "")))
        if field_widget is None and "Shelf life" in exc.template:
            field_widget = self.shelf_life
        if field_widget is None and "arcode" in exc.template:
            field_widget = self.barcodes
        if field_widget is not None:
            field_widget.setFocus()

    def accept(self) -> None:
        if self.save() is not None:
            super().accept()

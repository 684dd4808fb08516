"""Entering a wholesale sales note (销售单): the customer (searched by name, phone or pinyin), the
goods by scan or search at their wholesale price and in packs (a case barcode adds a case), the
price and discounts per line, a discount on the note, what is paid now (the rest goes on the
customer's account); post (F9) and print the A4 note with the amount in capitals.

The rules live in domain/wholesale_note.py and services/sales/wholesale.py (the till's sale path)."""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from jxc_desktop.domain.chinese_amount import amount_in_capitals
from jxc_desktop.domain.errors import JxcError, ValidationError
from jxc_desktop.domain.money import format_fen, parse_yuan
from jxc_desktop.domain.wholesale_note import WholesaleNote
from jxc_desktop.reports.sales_note import render_bytes
from jxc_desktop.services.accounts.dto import CustomerDTO
from jxc_desktop.services.catalog.dto import ProductDTO, ScanKind, StyleDTO
from jxc_desktop.services.hub import Services
from jxc_desktop.services.sales.dto import WholesaleNoteDTO
from jxc_desktop.ui.actions import run
from jxc_desktop.ui.credit_approval import post_on_account
from jxc_desktop.ui.dialogs.grid_entry_dialog import GridEntryDialog
from jxc_desktop.ui.dialogs.till_dialog import method_name
from jxc_desktop.ui.i18n import tr
from jxc_desktop.ui.models.wholesale_lines import Col, WholesaleLinesModel
from jxc_desktop.ui.printing import print_pdf
from jxc_desktop.ui.style_entry import pick_style, style_named, wholesale_grid
from jxc_desktop.ui.widgets.customer_picker import CustomerPicker
from jxc_desktop.ui.widgets.product_lookup import ProductLookup

PAID_METHODS = ("cash", "wechat", "alipay", "card")


def with_customer(note: WholesaleNoteDTO, customer: CustomerDTO) -> WholesaleNoteDTO:
    """The posted note with the customer's name, address and balance (the accounts' data)."""
    return replace(note, customer_name=customer.name, customer_phone=customer.phone,
                   customer_address=customer.address, balance_owed=customer.balance)


def print_wholesale_note(parent: QWidget | None, services: Services, note: WholesaleNoteDTO) -> None:
    print_pdf(parent, render_bytes(note, services.checkout.shop_info()),
              printer_name=services.settings.get("printer_name"), preview=True,
              title=f"{tr('Sales note')} {note.number}")


class WholesaleEditor(QWidget):
    posted = Signal(object)  # WholesaleNoteDTO

    def __init__(self, services: Services, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._services = services
        self.last_posted: WholesaleNoteDTO | None = None
        self.grid_dialog: GridEntryDialog | None = None
        self.picker = CustomerPicker(lambda text: services.customers.search(text), rows=4)
        self.lookup = ProductLookup(services.catalog.search, resolve=services.catalog.resolve_scan)
        self.lookup.setPlaceholderText(tr("Scan a barcode or type pinyin initials, name or code to add a line"))
        self.remove_button = QPushButton(tr("Remove line"))
        self.grid_button = QPushButton(tr("Colour × size… F6"))
        self.model = WholesaleLinesModel(self)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.DoubleClicked
                                   | QAbstractItemView.EditTrigger.EditKeyPressed
                                   | QAbstractItemView.EditTrigger.AnyKeyPressed)
        self.table.verticalHeader().setVisible(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(Col.NAME, QHeaderView.ResizeMode.Stretch)
        for col, width in ((Col.NO, 36), (Col.CODE, 80), (Col.UNIT, 44), (Col.PACKS, 56), (Col.PACK, 60),
                           (Col.LOOSE, 56), (Col.QTY, 64), (Col.PRICE, 76), (Col.DISCOUNT, 70), (Col.AMOUNT, 90)):
            self.table.setColumnWidth(col, width)

        self.discount = QLineEdit()
        self.discount.setPlaceholderText("0.00")
        self.paid = QLineEdit()
        self.paid.setPlaceholderText("0.00")
        self.method = QComboBox()
        for m in PAID_METHODS:
            self.method.addItem(method_name(m), m)
        self.note_text = QLineEdit()
        self.note_text.setPlaceholderText(tr("Note (delivery address, terms…)"))
        self.totals = QLabel()
        self.totals.setStyleSheet("font-size: 15px; font-weight: bold;")
        self.capitals = QLabel()
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.print_last_button = QPushButton(tr("Print the posted note…"))
        self.print_last_button.setEnabled(False)
        self.reprint_button = QPushButton(tr("Print a note again…"))
        self.clear_button = QPushButton(tr("New note"))
        self.post_button = QPushButton(tr("Post and print F9"))
        self.post_button.setStyleSheet("font-weight: bold;")

        left = QVBoxLayout()
        left.addWidget(QLabel(tr("Customer")))
        left.addWidget(self.picker)
        left.addStretch(1)
        scan = QHBoxLayout()
        scan.addWidget(self.lookup, 1)
        scan.addWidget(self.grid_button)
        scan.addWidget(self.remove_button)
        money = QGridLayout()
        money.addWidget(QLabel(tr("Discount on the note")), 0, 0)
        money.addWidget(self.discount, 0, 1)
        money.addWidget(QLabel(tr("Paid now")), 0, 2)
        money.addWidget(self.paid, 0, 3)
        money.addWidget(self.method, 0, 4)
        money.addWidget(self.note_text, 0, 5)
        money.setColumnStretch(5, 1)
        foot = QHBoxLayout()
        foot.addWidget(self.totals)
        foot.addWidget(self.message, 1)
        foot.addWidget(self.print_last_button)
        foot.addWidget(self.reprint_button)
        foot.addWidget(self.clear_button)
        foot.addWidget(self.post_button)
        right = QVBoxLayout()
        right.addLayout(scan)
        right.addWidget(self.table, 1)
        right.addLayout(money)
        right.addWidget(self.capitals)
        right.addLayout(foot)
        lay = QHBoxLayout(self)
        side = QWidget()
        side.setLayout(left)
        side.setFixedWidth(280)
        lay.addWidget(side)
        lay.addLayout(right, 1)

        self.lookup.scanned.connect(self.scan)
        self.lookup.picked.connect(self.add_product)
        self.remove_button.clicked.connect(self.remove_current)
        self.grid_button.clicked.connect(lambda: self.grid_entry())
        self.clear_button.clicked.connect(self.clear)
        self.reprint_button.clicked.connect(lambda: self.reprint())
        self.post_button.clicked.connect(self.post)
        self.print_last_button.clicked.connect(
            lambda: self.last_posted and print_wholesale_note(self, services, self.last_posted))
        self.picker.chosen.connect(lambda c: self.lookup.setFocus())
        self.model.changed.connect(self._show_totals)
        self.model.problem.connect(lambda exc: self.say(exc.message, error=True))
        self.discount.textChanged.connect(self._show_totals)
        self.paid.textChanged.connect(self._show_totals)
        sc = QShortcut(QKeySequence("F9"), self)
        sc.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        sc.activated.connect(self.post)
        f6 = QShortcut(QKeySequence("F6"), self)
        f6.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        f6.activated.connect(lambda: self.grid_entry())
        delete = QShortcut(QKeySequence(Qt.Key.Key_Delete), self.table)
        delete.setContext(Qt.ShortcutContext.WidgetShortcut)
        delete.activated.connect(self.remove_current)
        self._show_totals()

    # ------------------------------------------------------------ lines
    def scan(self, text: str) -> None:
        """Enter on the scan line: a case barcode adds a case, a unit barcode or a code one unit
        (one pack for goods sold in packs), several hits are shown to choose."""
        result = self.lookup.resolve(text)
        product = result.single
        if product is None and (style := style_named(self._services, text)) is not None:
            self.lookup.clear()
            self.grid_entry(style)  # a style code (款号): its quantities by colour × size
            return
        if product is None:
            self.say(self.lookup.problem_text(result), error=True)
            return
        self.add_product(product, result.qty if result.kind in (ScanKind.BARCODE, ScanKind.SCALE) else None)

    def add_product(self, product: ProductDTO, qty: int | None = None) -> None:
        got = run(self, lambda: self._services.wholesale.line_for(product.id), inline=lambda e: self.say(
            e.message, error=True))
        if not got or got.value is None:
            return
        line = got.value
        if qty is not None and line.pack_size > 1 and qty % (line.pack_size * 1000) == 0:
            line = replace(line, packs=qty // (line.pack_size * 1000), loose=0)
        elif qty is not None:
            line = replace(line, packs=0, loose=qty)
        try:
            row = self.model.add(line)
        except JxcError as exc:
            self.say(exc.message, error=True)
            return
        self.table.selectRow(row)
        self.say(tr("{name} at {price}").format(name=line.name, price=format_fen(line.price)))

    def grid_entry(self, style: StyleDTO | None = None) -> GridEntryDialog | None:
        """F6: the quantities of a style by colour × size — the style named, else that of the
        selected line, else one picked from the list."""
        idx = self.table.currentIndex()
        if style is None and idx.isValid():
            style = self._services.styles.style_of_product(self.model.note.lines[idx.row()].product_id)
        style = style or pick_style(self, self._services)
        if style is None:
            self.say(tr("No style to enter: type a style code (款号) or select a line of one."), error=True)
            return None
        self.grid_dialog = wholesale_grid(self, self, self._services, style)
        self.grid_dialog.open()
        return self.grid_dialog

    def remove_current(self) -> None:
        idx = self.table.currentIndex()
        if idx.isValid():
            self.model.remove(idx.row())

    # ------------------------------------------------------------ the note
    def note(self) -> WholesaleNote:
        discount = parse_yuan(self.discount.text() or "0", field=tr("Discount on the note"))
        return replace(self.model.note, discount=discount, note=self.note_text.text().strip())

    def paid_now(self) -> int:
        return parse_yuan(self.paid.text() or "0", field=tr("Paid now"))

    def clear(self) -> None:
        self.model.set_note(WholesaleNote())
        for edit in (self.discount, self.paid, self.note_text):
            edit.clear()
        self.picker.choose(None)
        self.picker.line.clear()
        self.picker.search_now()
        self.message.setText("")
        self.picker.line.setFocus()

    def post(self) -> WholesaleNoteDTO | None:
        customer = self.picker.customer
        if customer is None:
            self.say(tr("Choose the customer first."), error=True)
            return None
        if not self.model.note.lines:
            self.say(tr("Add lines first: scan or search the goods."), error=True)
            return None
        try:
            note, paid = self.note(), self.paid_now()
            if note.discount > note.subtotal:
                raise ValidationError("The discount {discount} is more than the amount {amount}",
                                      discount=format_fen(note.discount), amount=format_fen(note.subtotal))
        except JxcError as exc:
            self.say(exc.message, error=True)
            return None
        method = str(self.method.currentData())
        got = post_on_account(self, self._services, lambda said: self._services.wholesale.post(
            note, customer.id, paid_now=paid, method=method, confirmed=said.confirmed,
            credit_override=said.credit_override, owner_approved=said.discount_approved))
        if not got or got.value is None:
            return None
        dto = with_customer(got.value, self._services.customers.get(customer.id))
        self.last_posted = dto
        self.print_last_button.setEnabled(True)
        self.clear()
        self.say(tr("Posted {number}: {total}, on account {credit}; {name} owes {balance}.").format(
            number=dto.number, total=format_fen(dto.total), credit=format_fen(dto.on_account), name=dto.customer_name,
            balance=format_fen(dto.balance_owed or 0)))
        self.posted.emit(dto)
        print_wholesale_note(self, self._services, dto)
        return dto

    def reprint(self, number: str = "") -> WholesaleNoteDTO | None:
        """A posted note again by its number, with the customer's balance as it stands now."""
        if not number:
            number, ok = QInputDialog.getText(self, tr("Print a note again"), tr("Number of the sales note (XS…)"))
            if not ok or not number.strip():
                return None
        services = self._services

        def load() -> WholesaleNoteDTO:
            note = services.wholesale.get(number)
            return with_customer(note, services.customers.get(note.customer_id or 0))

        got = run(self, load)
        if not got or got.value is None:
            return None
        print_wholesale_note(self, services, got.value)
        return got.value

    # ------------------------------------------------------------ feedback
    def say(self, text: str, *, error: bool = False) -> None:
        self.message.setStyleSheet("color: #c0392b;" if error else "color: #1e7e34;")
        self.message.setText(text)

    def _show_totals(self) -> None:
        note = self.model.note
        try:
            total = note.subtotal - parse_yuan(self.discount.text() or "0")
            paid = self.paid_now()
        except JxcError:
            self.totals.setText(tr("{n} lines  Total {total}").format(n=len(note.lines), total="—"))
            return
        self.totals.setText(tr("{n} lines  Total {total}").format(n=len(note.lines), total=format_fen(total)))
        try:
            words = amount_in_capitals(total)
        except JxcError:
            words = ""
        credit = max(0, total - paid)
        self.capitals.setText(tr("In capitals: {words}    On account: {credit}").format(
            words=words, credit=format_fen(credit)))

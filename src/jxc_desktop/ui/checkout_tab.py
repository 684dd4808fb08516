"""The checkout tab (收银): keyboard first, for a cashier with a queue and a barcode scanner.

The scan line keeps the focus after every action. F-keys (shown on the buttons): F2 quantity,
F3 price, F4 line discount, F5 whole-sale discount, F6 delete line, F7 clear, F8 hold, F9 resume,
F10 return, F11 reprint, F12 pay. Up/Down on the empty scan line move the cart selection.
Every action is: gather input -> one service call -> refresh; the cart is an immutable value, so
a refused change (or a failed post) leaves it exactly as it was.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QFont, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QDialog,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from jxc_desktop.domain import cart as cartlib
from jxc_desktop.domain.cart import Cart, Limits, Totals
from jxc_desktop.domain.errors import InsufficientStockError, JxcError, NotFoundError, ValidationError
from jxc_desktop.domain.money import format_fen, parse_yuan
from jxc_desktop.domain.quantity import format_qty, parse_qty
from jxc_desktop.reports.receipt import day_summary_pdf, receipt_pdf
from jxc_desktop.services.catalog.products import ProductDTO
from jxc_desktop.services.hub import Services
from jxc_desktop.services.sales.dto import ReturnItem, SaleDTO, StockCheck, Tender
from jxc_desktop.ui.actions import run
from jxc_desktop.ui.changes import Change, subscribe
from jxc_desktop.ui.dialogs.checkout_dialogs import (
    HeldDialog,
    PayDialog,
    ReprintDialog,
    ReturnDialog,
    ValueDialog,
    method_name,
)
from jxc_desktop.ui.errors import confirm
from jxc_desktop.ui.i18n import tr
from jxc_desktop.ui.models.cart_model import AMOUNT, NAME, CartModel
from jxc_desktop.ui.printing import print_pdf
from jxc_desktop.ui.widgets.product_lookup import ProductLookup


def _font(widget: QWidget, points: int, bold: bool = True) -> None:
    font = QFont(widget.font())
    font.setPointSize(points)
    font.setBold(bold)
    widget.setFont(font)


class CheckoutTab(QWidget):
    sale_posted = Signal(str)  # the number of a sale or return just posted
    refreshes_itself = True  # today's figures, held carts, limits and the last sale: by subscription

    def __init__(self, services: Services, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.services = services
        self.cart = Cart()
        self.totals: Totals = cartlib.price(self.cart)
        self.limits = Limits()
        self.dialog: QDialog | None = None  # the dialog currently open (tests drive it)
        self.stock = StockCheck("allow")  # which cart lines sell more than is on hand
        self._stock_warned = False
        self._stock_confirmed = False  # the cashier said "sell anyway" for this payment
        self.last_sale: SaleDTO | None = None
        self.last_receipt_pdf: bytes = b""
        self.last_print_error: str | None = None

        self.lookup = ProductLookup(services.catalog.search, self, resolve=services.catalog.resolve_scan)
        _font(self.lookup, 16, bold=False)
        self.lookup.scanned.connect(self.scan)
        self.lookup.picked.connect(self.add_product)
        self.lookup.navigate.connect(self._navigate)
        self.message = QLabel()
        self.message.setWordWrap(True)
        _font(self.message, 11)

        self.model = CartModel(self)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.table.verticalHeader().hide()
        self.table.setAlternatingRowColors(True)
        _font(self.table, 12, bold=False)
        header = self.table.horizontalHeader()
        # Fixed widths sized for typical content (an empty cart would shrink-to-contents to the
        # header text); the name takes the rest.
        sample = self.table.fontMetrics()
        widths = {"#": "999", "barcode": "6901234567892", "money": "¥9,999.99", "qty": "9,999.999"}
        for col in range(self.model.columnCount()):
            if col == NAME:
                continue
            kind = "#" if col == 0 else "barcode" if col == 2 else "qty" if col == 4 else "money"
            header.setSectionResizeMode(col, QHeaderView.ResizeMode.Interactive)
            self.table.setColumnWidth(col, sample.horizontalAdvance(widths[kind]) + 24)
        header.setSectionResizeMode(NAME, QHeaderView.ResizeMode.Stretch)
        self.table.clicked.connect(lambda _i: self.lookup.setFocus())

        self.items_label = QLabel()
        self.subtotal_label = QLabel()
        self.discount_label = QLabel()
        self.due_label = QLabel()
        _font(self.items_label, 14)
        _font(self.subtotal_label, 12, bold=False)
        _font(self.discount_label, 12, bold=False)
        _font(self.due_label, 30)
        self.due_label.setStyleSheet("color: #c0392b;")
        self.last_label = QLabel()
        self.last_label.setWordWrap(True)
        _font(self.last_label, 12)
        self.today_label = QLabel()
        self.today_label.setWordWrap(True)
        self.today_label.setAlignment(Qt.AlignmentFlag.AlignTop)
        _font(self.today_label, 11, bold=False)
        self.held_label = QLabel()

        side = QVBoxLayout()
        side.addWidget(self.items_label)
        side.addWidget(self.subtotal_label)
        side.addWidget(self.discount_label)
        side.addWidget(QLabel(tr("Amount due")))
        side.addWidget(self.due_label)
        side.addWidget(self._rule())
        side.addWidget(self.last_label)
        side.addWidget(self._rule())
        today_title = QLabel(tr("Today"))
        _font(today_title, 12)
        side.addWidget(today_title)
        side.addWidget(self.today_label)
        side.addWidget(self.held_label)
        side.addStretch(1)
        side_box = QWidget()
        side_box.setLayout(side)
        side_box.setFixedWidth(300)

        buttons = QGridLayout()
        self.buttons: dict[str, QPushButton] = {}
        actions: list[tuple[str, str, Callable[[], None]]] = [
            ("F2", tr("Quantity"), self.change_qty), ("F3", tr("Price"), self.change_price),
            ("F4", tr("Line discount"), self.line_discount), ("F5", tr("Sale discount"), self.sale_discount),
            ("F6", tr("Delete line"), self.delete_line), ("F7", tr("Clear"), self.clear_cart),
            ("F8", tr("Hold"), self.hold), ("F9", tr("Resume"), self.resume),
            ("F10", tr("Return"), self.start_return), ("F11", tr("Reprint"), self.reprint),
            ("F12", tr("Pay"), self.pay),
        ]
        for n, (key, text, slot) in enumerate(actions):
            btn = QPushButton(f"{text}\n{key}")
            btn.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            btn.setMinimumHeight(52)
            _font(btn, 11, bold=key == "F12")
            btn.clicked.connect(slot)
            buttons.addWidget(btn, 0, n)
            self.buttons[key] = btn
            shortcut = QShortcut(QKeySequence(key), self)
            shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            shortcut.activated.connect(slot)
        self.buttons["F12"].setStyleSheet("background-color: #27ae60; color: white;")

        top = QHBoxLayout()
        scan_label = QLabel(tr("Scan"))
        _font(scan_label, 14)
        top.addWidget(scan_label)
        top.addWidget(self.lookup, 1)
        settings_btn = QPushButton(tr("Till settings…"))
        settings_btn.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        settings_btn.clicked.connect(self.open_settings)
        top.addWidget(settings_btn)
        middle = QHBoxLayout()
        middle.addWidget(self.table, 1)
        middle.addWidget(side_box)
        lay = QVBoxLayout(self)
        lay.addLayout(top)
        lay.addWidget(self.message)
        lay.addLayout(middle, 1)
        lay.addLayout(buttons)

        self._show_cart(None)
        self.refresh()
        subscribe(self, services, Change.SALES | Change.HELD | Change.SETTINGS, self._side_changed, lazy=True)

    @staticmethod
    def _rule() -> QFrame:
        line = QFrame()
        line.setFrameShape(QFrame.Shape.HLine)
        line.setFrameShadow(QFrame.Shadow.Sunken)
        return line

    # ------------------------------------------------------------------ state and display
    def refresh(self) -> None:
        """Re-read limits, today's figures and held carts (the window calls this on tab switch)."""
        self._side_changed()
        self.focus_scan()

    def _side_changed(self) -> None:
        """A write changed sales, held carts or settings (here, elsewhere, a restore): re-read the
        side panel; the cart and the focus stay as they are."""
        def read() -> None:
            self.limits = self.services.checkout.limits()
            self._refresh_today()

        run(self, read, inline=lambda exc: self.say(exc.message, error=True))

    def _check_last_sale(self) -> None:
        """"Last sale XS…" only while that sale exists (a restore may have taken it away)."""
        if self.last_sale is None:
            return
        try:
            same = self.services.checkout.get_sale(self.last_sale.number).created_at == self.last_sale.created_at
        except NotFoundError:
            same = False
        if not same:  # gone, or another sale under that number since
            if self.last_sale.number in self.message.text():  # "Paid. XS…" too
                self.message.clear()
            self.last_sale = None
            self.last_label.clear()

    def focus_scan(self) -> None:
        QTimer.singleShot(0, self.lookup, self.lookup.setFocus)  # dropped if the tab is gone by then
        self.lookup.setFocus()

    def say(self, text: str, *, error: bool = False) -> None:
        self.message.setStyleSheet("color: #c0392b;" if error else "color: #1e7e34;")
        self.message.setText(text)

    def _set_cart(self, cart: Cart, row: int | None = None) -> None:
        """Price the new cart first: a ValidationError leaves the old cart in place. A discount
        above the limit goes through only when the owner approves it (PIN, or a confirmation
        when the shop has no PIN)."""
        try:
            totals = cartlib.price(cart, self.limits)
        except cartlib.DiscountLimitError as exc:
            if cart.owner_approved or not self._owner_approves(exc):
                raise
            cart = replace(cart, owner_approved=True)
            totals = cartlib.price(cart, self.limits)
        self.cart, self.totals = cart, totals
        self._show_cart(row)

    def _owner_approves(self, exc: JxcError) -> bool:
        from jxc_desktop.ui.guard import ensure_owner

        if self.services.pin.is_set():
            return ensure_owner(self, self.services, "price_change")
        return confirm(self, tr("{reason}. Apply it anyway?").format(reason=exc.message))

    def _show_cart(self, row: int | None) -> None:
        t = self.totals
        self.model.set_totals(t)
        self._check_stock()
        self.items_label.setText(tr("Items: {qty}   Lines: {lines}").format(
            qty=cartlib.count_items(ln.qty for ln in self.cart.lines), lines=len(t.lines)))
        self.subtotal_label.setText(tr("Subtotal: {amount}").format(amount=format_fen(t.gross)))
        self.discount_label.setText(tr("Discount: {amount}").format(amount=format_fen(t.discount)))
        self.due_label.setText(format_fen(t.total))
        if t.lines:
            target = len(t.lines) - 1 if row is None else max(0, min(row, len(t.lines) - 1))
            self.table.selectRow(target)
            self.table.scrollTo(self.model.index(target, AMOUNT))
        else:
            self.table.clearSelection()

    def current_row(self) -> int:
        rows = self.table.selectionModel().selectedRows()
        return rows[0].row() if rows else (len(self.cart.lines) - 1)

    def _navigate(self, step: int) -> None:
        if self.cart.lines:
            self.table.selectRow(max(0, min(len(self.cart.lines) - 1, self.current_row() + step)))

    def _refresh_today(self) -> None:
        d = self.services.checkout.day_summary()
        lines = [tr("Sales: {n}   {amount}").format(n=d.sales_count, amount=format_fen(d.sales_total)),
                 tr("Returns: {n}   {amount}").format(n=d.returns_count, amount=format_fen(d.returns_total))]
        lines += [f"  {method_name(m)}: {format_fen(v)}" for m, v in d.by_method.items()]
        lines.append(tr("Net takings: {amount}").format(amount=format_fen(d.net_total)))
        self.today_label.setText("\n".join(lines))
        held = len(self.services.held_sales.list())
        self.held_label.setText(tr("Held sales: {n} (F9)").format(n=held) if held else "")
        self._check_last_sale()

    # ------------------------------------------------------------------ adding goods
    def scan(self, text: str) -> None:
        """Enter on the scan line: the catalogue's scan rule (barcode, pack barcode, scale label,
        product code, else search); a single search hit is taken, several are shown to choose."""
        result = self.lookup.resolve(text)
        if result.product is not None:
            try:
                line = self.services.checkout.line_for_scan_result(result)
            except JxcError as exc:
                QApplication.beep()
                self.say(exc.message, error=True)
                self.focus_scan()
                return
            self._add_line(line)
            return
        if result.single is not None:
            self.add_product(result.single)
            return
        QApplication.beep()
        self.say(self.lookup.problem_text(result), error=True)
        self.focus_scan()

    def add_product(self, product: ProductDTO) -> None:
        try:
            line = self.services.checkout.line_for_product(product.id)
        except JxcError as exc:
            QApplication.beep()
            self.say(exc.message, error=True)
            return
        self._add_line(line)

    def _add_line(self, line: cartlib.CartLine) -> None:
        try:
            cart, row = cartlib.add(self.cart, line)
            self._set_cart(cart, row)
        except JxcError as exc:
            QApplication.beep()
            self.say(exc.message, error=True)
            return
        if not self._stock_warned:
            self.say(tr("{name}  {qty} × {price}").format(name=line.name, qty=format_qty(line.qty),
                                                          price=format_fen(line.unit_price)))
        self.focus_scan()

    def _check_stock(self) -> None:
        """Mark lines that sell more than is on hand, and warn the moment a line becomes one of them
        (the customer is not yet waiting to pay). The sale itself is decided at payment."""
        previous = self.stock.product_ids
        self.stock = self.services.checkout.stock_check(self.cart)
        self.model.set_shortages({s.product_id: s.on_hand for s in self.stock.shortages})
        new = [s for s in self.stock.shortages if s.product_id not in previous]
        self._stock_warned = bool(new) and self.stock.policy != "allow"
        if self._stock_warned:
            QApplication.beep()
            text = (tr("{name}: only {qty} in stock. The shop does not sell below zero stock.")
                    if self.stock.policy == "block" else
                    tr("{name}: only {qty} in stock; selling it takes the stock below zero."))
            self.say(text.format(name=new[0].name, qty=format_qty(new[0].on_hand)), error=True)

    # ------------------------------------------------------------------ editing the cart
    def _open(self, dialog: QDialog) -> None:
        self.dialog = dialog
        dialog.finished.connect(self._dialog_closed)
        dialog.open()

    def _dialog_closed(self, _result: int) -> None:
        self.dialog = None
        self.focus_scan()

    def _need_line(self) -> int | None:
        if not self.cart.lines:
            QApplication.beep()
            self.say(ValidationError("The cart is empty").message, error=True)
            return None
        return self.current_row()

    def _ask(self, title: str, prompt: str, initial: str, apply: Callable[[str], Cart], row: int | None) -> None:
        def done(text: str) -> None:
            self._set_cart(apply(text), row)

        self._open(ValueDialog(self, title, prompt, initial, done))

    def change_qty(self) -> None:
        row = self._need_line()
        if row is None:
            return
        ln = self.cart.lines[row]
        self._ask(tr("Quantity"), tr("Quantity of {name}").format(name=ln.name), format_qty(ln.qty),
                  lambda t: cartlib.set_qty(self.cart, row, parse_qty(t, field="Quantity")), row)

    def change_price(self) -> None:
        row = self._need_line()
        if row is None:
            return
        from jxc_desktop.ui.guard import ensure_owner

        if not ensure_owner(self, self.services, "price_change"):  # the owner PIN, when one is set
            return
        ln = self.cart.lines[row]
        self._ask(tr("Price"), tr("Unit price of {name} (catalogue {price})").format(
            name=ln.name, price=format_fen(ln.catalogue_price)), format_fen(ln.unit_price, symbol=False),
            lambda t: cartlib.set_price(self.cart, row, parse_yuan(t, field="Price")), row)

    def line_discount(self) -> None:
        row = self._need_line()
        if row is None:
            return
        ln = self.cart.lines[row]
        self._ask(tr("Line discount"), tr("Discount on {name} ({amount}): yuan off, or a percentage like 10%").format(
            name=ln.name, amount=format_fen(ln.gross)), format_fen(ln.line_discount, symbol=False),
            lambda t: cartlib.set_line_discount(self.cart, row, cartlib.discount_from_text(t, ln.gross)), row)

    def sale_discount(self) -> None:
        if self._need_line() is None:
            return
        subtotal = self.totals.subtotal
        self._ask(tr("Sale discount"), tr("Discount on the whole sale ({amount}): yuan off, or a percentage like 5%")
                  .format(amount=format_fen(subtotal)), format_fen(self.cart.sale_discount, symbol=False),
                  lambda t: cartlib.set_sale_discount(self.cart, cartlib.discount_from_text(t, subtotal)),
                  self.current_row())

    def delete_line(self) -> None:
        row = self._need_line()
        if row is None:
            return
        name = self.cart.lines[row].name
        self._set_cart(cartlib.remove(self.cart, row), row)
        self.say(tr("Removed {name}").format(name=name))
        self.focus_scan()

    def clear_cart(self) -> None:
        if self.cart.empty:
            self.focus_scan()
            return
        if confirm(self, tr("Remove all {n} lines from the cart?").format(n=len(self.cart.lines))):
            self._set_cart(Cart())
            self.say(tr("Cart cleared"))
        self.focus_scan()

    # ------------------------------------------------------------------ hold / resume
    def can_close(self) -> bool:
        """Quitting with goods in the cart holds them (F9 resumes them after the restart), as a
        cashier would before leaving the till: nothing to decide while closing, nothing lost."""
        if self.cart.empty:
            return True
        try:
            self.services.held_sales.hold(self.cart, tr("Held when the program closed"))
        except JxcError as exc:
            return confirm(self, tr("The cart could not be held: {reason}\n\nQuit anyway and lose it?")
                           .format(reason=exc.message))
        self._set_cart(Cart())
        return True

    def hold(self) -> None:
        """F8: an optional note (the customer's name, "comes back at 5"), Enter alone holds without one."""
        if self._need_line() is None:
            return
        self._open(ValueDialog(self, tr("Hold sale"), tr("Note for this held sale (may stay empty):"), "",
                               self.hold_with_note))

    def hold_with_note(self, note: str) -> None:
        """Raises JxcError (a note too long) so the note dialog stays open with the reason."""
        self.services.held_sales.hold(self.cart, note.strip())
        self._set_cart(Cart())
        self.say(tr("Sale held. F9 resumes it."))
        self.focus_scan()

    def resume(self) -> None:
        if not self.cart.empty:
            QApplication.beep()
            self.say(tr("Finish, hold (F8) or clear (F7) the current cart first"), error=True)
            return
        held = self.services.held_sales.list()
        if not held:
            self.say(tr("No held sales"), error=True)
            return

        def take(held_id: int) -> None:
            cart = self.services.held_sales.resume(held_id)
            try:
                self._set_cart(cart)
            except ValidationError:  # limits changed since: keep the goods, drop the discounts
                self._set_cart(Cart(tuple(replace(ln, line_discount=0) for ln in cart.lines)))
            self.say(tr("Held sale resumed"))

        def delete(held_id: int) -> None:
            from jxc_desktop.domain.errors import PermissionDeniedError
            from jxc_desktop.ui.guard import ensure_owner

            if not ensure_owner(self, self.services, "delete_held_sale"):
                raise PermissionDeniedError("This needs the owner PIN")
            self.services.held_sales.delete(held_id)

        self._open(HeldDialog(self, held, take, delete))

    # ------------------------------------------------------------------ pay
    def pay(self) -> None:
        if self._need_line() is None or not self._stock_ok_to_sell():
            return
        self._open(PayDialog(self, self.totals.total, self._post_sale))

    def _stock_ok_to_sell(self) -> bool:
        """Ask once, before the money is taken, about the marked lines. "Yes" is the default: the
        goods are in the customer's hands, so the book stock is what is wrong (a count or the
        purchase note corrects it); the sale is not lost to an Enter pressed out of habit."""
        self.stock = check = self.services.checkout.stock_check(self.cart)
        self._stock_confirmed = False
        if not check.shortages or check.policy == "allow":
            return True
        detail = "; ".join(tr("{name} (in stock {on_hand}, selling {wanted})").format(
            name=s.name, on_hand=format_qty(s.on_hand), wanted=format_qty(s.wanted)) for s in check.shortages)
        if check.policy == "block":
            QApplication.beep()
            self.say(tr("Not enough stock: {detail}").format(detail=detail), error=True)
            return False
        self._stock_confirmed = confirm(
            self, tr("Stock goes below zero for: {detail}.\n\nSell anyway? The stock can be corrected "
                     "later by a count or a purchase note.").format(detail=detail),
            tr("Stock below zero"), default_yes=True)
        return self._stock_confirmed

    def _post_sale(self, tenders: list[Tender]) -> bool:
        try:
            sale = self.services.checkout.post_sale(self.cart, tenders, confirmed=self._stock_confirmed)
        except InsufficientStockError as exc:  # stock changed since the question (another sale, a count)
            if not exc.needs_confirmation:
                raise
            if not confirm(self, exc.message):
                return False
            sale = self.services.checkout.post_sale(self.cart, tenders, confirmed=True)
        self.last_sale = sale
        self._set_cart(Cart())
        change = tr("  Change: {amount}").format(amount=format_fen(sale.change)) if sale.change else ""
        # the change on its own line: the narrow box would otherwise break it anywhere
        self.last_label.setText("\n".join(part for part in (
            tr("Last sale {number}: {total}").format(number=sale.number, total=format_fen(sale.total)),
            change.strip()) if part))
        self.say(tr("Paid. {number}").format(number=sale.number) + change)
        self._receipt(sale, auto=True)
        self.sale_posted.emit(sale.number)
        return True

    # ------------------------------------------------------------------ receipts
    def _receipt(self, sale: SaleDTO, *, auto: bool = False, preview: bool = False) -> None:
        """Render the receipt and, if asked (or auto-print is on), print it. A printer problem
        is a message only: the sale is saved and can be reprinted."""
        self.last_receipt_pdf = receipt_pdf(sale, self.services.checkout.shop_info())
        settings = self.services.settings.all()
        if auto and settings.get("auto_print_receipt") != "1":
            return
        self._print(self.last_receipt_pdf, settings.get("printer_name", ""), preview, sale.number, auto=auto)

    def _print(self, data: bytes, printer: str, preview: bool, title: str, *, auto: bool = False) -> None:
        # an automatic receipt with no printer is a line in the status bar, never a dialog while the
        # customer waits; a receipt asked for (F11, reprint, end of day) gets the preview/PDF offer
        self.last_print_error = print_pdf(self, data, printer_name=printer, preview=preview, quiet=True, offer=not auto,
                                          title=title)
        if self.last_print_error:
            QApplication.beep()
            self.say(tr("Not printed: {reason} The sale is saved; reprint it with F11.").format(
                reason=self.last_print_error), error=True)

    def reprint(self) -> None:
        def again(number: str, preview: bool) -> None:
            sale = self.services.checkout.get_sale(number)
            self._receipt(sale, preview=preview)
            if not self.last_print_error:
                self.say(tr("Receipt {number} printed").format(number=sale.number))

        def summary(preview: bool) -> None:
            data = day_summary_pdf(self.services.checkout.day_summary(), self.services.checkout.shop_info())
            self.last_receipt_pdf = data
            self._print(data, self.services.settings.get("printer_name"), preview, tr("End of day"))

        self._open(ReprintDialog(self, self.services.checkout.list_day(), again, summary))

    def open_settings(self) -> None:
        from jxc_desktop.ui.dialogs.till_settings_dialog import TillSettingsDialog
        from jxc_desktop.ui.guard import ensure_owner

        if not ensure_owner(self, self.services, "settings"):
            return
        dialog = TillSettingsDialog(self.services.settings, self)
        dialog.accepted.connect(self.refresh)
        self._open(dialog)

    # ------------------------------------------------------------------ returns
    def start_return(self) -> None:
        from jxc_desktop.ui.guard import ensure_owner

        if not ensure_owner(self, self.services, "refund"):  # refunds need the owner when a PIN is set
            return

        def post(number: str, items: list[ReturnItem], method: str) -> None:
            ret = self.services.checkout.post_return(number, items, method=method)
            self.last_sale = ret
            self.last_label.setText(tr("Return {number}: refund {total} by {method}").format(
                number=ret.number, total=format_fen(ret.total), method=method_name(method)))
            self.say(tr("Return {number} posted").format(number=ret.number))
            self._receipt(ret, auto=True)
            self.sale_posted.emit(ret.number)

        self._open(ReturnDialog(self, self.services.checkout.get_sale, post))

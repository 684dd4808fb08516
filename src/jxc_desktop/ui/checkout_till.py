"""The till's state and display, which every till action uses: the scan line, the cart and its
totals, the message line, the side panel, the dialog currently open.

The checkout tab (checkout_tab.py) is this plus its actions, one module each: the cart and scan
line (checkout_cart.py), held sales (checkout_held.py), pay (checkout_payment.py), returns
(checkout_returns.py), receipts (checkout_receipts.py). The cart is an immutable value, so a
refused change (or a failed post) leaves it exactly as it was.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QDialog,
    QHeaderView,
    QLabel,
    QTableView,
    QWidget,
)

from jxc_desktop.domain import cart as cartlib
from jxc_desktop.domain.cart import Cart, Limits, Totals
from jxc_desktop.domain.errors import JxcError, NotFoundError, ValidationError
from jxc_desktop.domain.money import format_fen
from jxc_desktop.domain.quantity import format_qty
from jxc_desktop.services.hub import Services
from jxc_desktop.services.sales.dto import SaleDTO, StockCheck
from jxc_desktop.ui import guard  # guard.ensure_owner looked up per call: tests stand in for the owner
from jxc_desktop.ui.actions import run
from jxc_desktop.ui.checkout_side_panel import TillSidePanel, till_font
from jxc_desktop.ui.errors import confirm
from jxc_desktop.ui.i18n import tr
from jxc_desktop.ui.models.cart_model import AMOUNT, NAME, CartModel
from jxc_desktop.ui.till_session import TillSession, session_for
from jxc_desktop.ui.widgets.product_lookup import ProductLookup


class TillBase(QWidget):
    sale_posted = Signal(str)  # the number of a sale or return just posted

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
        till_font(self.lookup, 16, bold=False)
        self.message = QLabel()
        self.message.setWordWrap(True)
        till_font(self.message, 11)

        self.model = CartModel(self)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.table.verticalHeader().hide()
        self.table.setAlternatingRowColors(True)
        till_font(self.table, 12, bold=False)
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

        # each promotion the cart gets, a visible line under the cart, live as the cashier scans
        self.promo_label = QLabel()
        self.promo_label.setWordWrap(True)
        self.promo_label.setStyleSheet("color: #c0392b;")
        till_font(self.promo_label, 12)
        self.promo_label.hide()

        self.side = TillSidePanel()
        # the panel's lines under the names the till has always had (tests read them)
        self.due_label = self.side.due_label
        self.last_label = self.side.last_label
        self.today_label = self.side.today_label
        self.held_label = self.side.held_label

    # ------------------------------------------------------------------ who works here (services/staff)
    @property
    def till_session(self) -> TillSession:
        return session_for(self.services)

    def cashier_name(self) -> str:
        """The person at the till (a drawer opening records this name)."""
        return self.till_session.cashier_name()

    def who(self) -> dict[str, Any]:
        """The cashier, the open shift and the owner approving (while present) for a sale or return."""
        approver = self.services.staff.owner_name() if guard.owner_present(self.services) else ""
        return {**self.till_session.attribution(), "approved_by": approver}

    # ------------------------------------------------------------------ side panel
    def refresh(self) -> None:
        """Re-read limits, today's figures and held carts (the window calls this on tab switch)."""
        self._side_changed()
        self.reprice()  # time has passed: a promotion may have started or ended
        self.focus_scan()

    def _side_changed(self) -> None:
        """A write changed sales, held carts or settings (here, elsewhere, a restore): re-read the
        side panel; the cart and the focus stay as they are."""
        def read() -> None:
            self.limits = self.services.checkout.limits()
            self._refresh_today()

        run(self, read, inline=lambda exc: self.say(exc.message, error=True))

    def _refresh_today(self) -> None:
        self.side.show_today(self.services.checkout.day_summary())
        self.side.show_held(len(self.services.held_sales.list()))
        self._check_last_sale()

    def _check_last_sale(self) -> None:
        """"Last sale XS…" only while that sale exists (a restore may have taken it away)."""
        if self.last_sale is None:
            return
        try:  # a question, not error -> message: a sale not found is one that is gone
            same = self.services.checkout.get_sale(self.last_sale.number).created_at == self.last_sale.created_at
        except NotFoundError:
            same = False
        if not same:  # gone, or another sale under that number since
            if self.last_sale.number in self.message.text():  # "Paid. XS…" too
                self.message.clear()
            self.last_sale = None
            self.last_label.clear()

    # ------------------------------------------------------------------ focus, messages, dialogs
    def focus_scan(self) -> None:
        QTimer.singleShot(0, self.lookup, self.lookup.setFocus)  # dropped if the tab is gone by then
        self.lookup.setFocus()

    def say(self, text: str, *, error: bool = False) -> None:
        self.message.setStyleSheet("color: #c0392b;" if error else "color: #1e7e34;")
        self.message.setText(text)

    def refuse(self, exc: JxcError) -> None:
        """A refused scan or cart change: a beep and the reason on the till's own line, no box."""
        QApplication.beep()
        self.say(exc.message, error=True)

    def _open(self, dialog: QDialog) -> None:
        self.dialog = dialog
        dialog.finished.connect(self._dialog_closed)
        dialog.open()

    def _dialog_closed(self, _result: int) -> None:
        self.dialog = None
        self.focus_scan()

    # ------------------------------------------------------------------ the cart
    def _set_cart(self, cart: Cart, row: int | None = None) -> None:
        """Price the new cart first: a ValidationError leaves the old cart in place. A discount
        above the limit goes through only when the owner approves it (PIN, or a confirmation
        when the shop has no PIN)."""
        try:  # not error -> message: above the limit asks the owner, and re-raises when refused
            totals = self._priced(cart)
        except cartlib.DiscountLimitError as exc:
            if cart.owner_approved or not self._owner_approves(exc):
                raise
            cart = replace(cart, owner_approved=True)
            totals = self._priced(cart)
        self.cart, self.totals = cart, totals
        self._show_cart(row)

    def _priced(self, cart: Cart) -> Totals:
        """The cart as it will be posted: with the promotions running now (member-only ones with a member)."""
        if cart.empty:
            return cartlib.price(cart, self.limits)
        return self.services.checkout.price_at_till(cart, self.limits)  # the cart's member, if any

    def reprice(self) -> None:
        """Price the cart again (a promotion started, ended or changed; the member changed); a cart
        the new prices refuse stays as it was, with the reason on the till's line."""
        if not self.cart.empty:
            run(self, lambda: self._set_cart(self.cart, self.current_row()), inline=self.refuse)

    def _owner_approves(self, exc: JxcError) -> bool:
        if self.services.pin.is_set():
            return guard.ensure_owner(self, self.services, "price_change")
        return confirm(self, tr("{reason}. Apply it anyway?").format(reason=exc.message))

    def _show_cart(self, row: int | None) -> None:
        t = self.totals
        self.model.set_totals(t)
        self.promo_label.setText("\n".join(tr("Promotion: {name}  −{amount}").format(
            name=a.name, amount=format_fen(a.amount)) for a in t.promotions))
        self.promo_label.setVisible(bool(t.promotions))
        self._check_stock()
        self.side.show_totals(self.cart, t)
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

    def _need_line(self) -> int | None:
        if not self.cart.lines:
            QApplication.beep()
            self.say(ValidationError("The cart is empty").message, error=True)
            return None
        return self.current_row()

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

"""The checkout tab (收银): keyboard first, for a cashier with a queue and a barcode scanner.

The scan line keeps the focus after every action. F-keys (shown on the buttons): F2 quantity,
F3 price, F4 line discount, F5 whole-sale discount, F6 delete line, F7 clear, F8 hold, F9 resume,
F10 return, F11 reprint, F12 pay, Shift+F12 on account (挂账). Up/Down on the empty scan line move the cart selection.
Every action is: gather input -> one service call -> refresh; the cart is an immutable value, so
a refused change (or a failed post) leaves it exactly as it was.

This module lays the till out and binds its keys; what the till holds and shows is
checkout_till.py, each group of actions a module of its own (see there).
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence, QShortcut
from PySide6.QtWidgets import QGridLayout, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from jxc_desktop.services.hub import Services
from jxc_desktop.ui import guard  # guard.ensure_owner looked up per call: tests stand in for the owner
from jxc_desktop.ui.changes import Change, subscribe
from jxc_desktop.ui.checkout_cart import TillCart
from jxc_desktop.ui.checkout_credit import TillCredit
from jxc_desktop.ui.checkout_held import TillHeldSales
from jxc_desktop.ui.checkout_payment import TillPayment
from jxc_desktop.ui.checkout_returns import TillReturns
from jxc_desktop.ui.checkout_side_panel import till_font
from jxc_desktop.ui.dialogs.till_settings_dialog import TillSettingsDialog
from jxc_desktop.ui.i18n import tr


class CheckoutTab(TillCart, TillHeldSales, TillCredit, TillPayment, TillReturns):
    refreshes_itself = True  # today's figures, held carts, limits and the last sale: by subscription

    def __init__(self, services: Services, parent: QWidget | None = None) -> None:
        super().__init__(services, parent)
        guard.attach(services)  # audit rows name the owner who approved, else the person signed in here
        self.lookup.scanned.connect(self.scan)
        self.lookup.picked.connect(self.add_product)
        self.lookup.navigate.connect(self._navigate)

        buttons = QGridLayout()
        self.buttons: dict[str, QPushButton] = {}
        actions: list[tuple[str, str, Callable[[], None]]] = [
            ("F2", tr("Quantity"), self.change_qty), ("F3", tr("Price"), self.change_price),
            ("F4", tr("Line discount"), self.line_discount), ("F5", tr("Sale discount"), self.sale_discount),
            ("F6", tr("Delete line"), self.delete_line), ("F7", tr("Clear"), self.clear_cart),
            ("F8", tr("Hold"), self.hold), ("F9", tr("Resume"), self.resume),
            ("F10", tr("Return"), self.start_return), ("F11", tr("Reprint"), self.reprint),
            ("F12", tr("Pay"), self.pay), ("Shift+F12", tr("On account"), self.on_account),
        ]
        for n, (key, text, slot) in enumerate(actions):
            btn = QPushButton(f"{text}\n{key}")
            btn.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            btn.setMinimumHeight(52)
            till_font(btn, 11, bold=key == "F12")
            btn.clicked.connect(slot)
            buttons.addWidget(btn, 0, n)
            self.buttons[key] = btn
            shortcut = QShortcut(QKeySequence(key), self)
            shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            shortcut.activated.connect(slot)
        self.buttons["F12"].setStyleSheet("background-color: #27ae60; color: white;")

        top = QHBoxLayout()
        scan_label = QLabel(tr("Scan"))
        till_font(scan_label, 14)
        top.addWidget(scan_label)
        top.addWidget(self.lookup, 1)
        # open the cash drawer with no sale (change for a note, a pay-out): Ctrl+D or the button
        self.drawer_action = QAction(tr("Open drawer"), self)
        self.drawer_action.setShortcut(QKeySequence("Ctrl+D"))
        self.drawer_action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.drawer_action.triggered.connect(self.open_drawer)
        self.addAction(self.drawer_action)
        # the sale's member (会员): Ctrl+M or the button (checkout_member.py)
        self.member_action = QAction(tr("Member (Ctrl+M)"), self)
        self.member_action.setShortcut(QKeySequence("Ctrl+M"))
        self.member_action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.member_action.triggered.connect(self.choose_member)
        self.addAction(self.member_action)
        member_btn = QPushButton(tr("Member (Ctrl+M)"))
        member_btn.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        member_btn.clicked.connect(self.member_action.trigger)
        top.addWidget(member_btn)
        drawer_btn = QPushButton(tr("Open drawer (Ctrl+D)"))
        drawer_btn.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        drawer_btn.clicked.connect(self.drawer_action.trigger)
        top.addWidget(drawer_btn)
        top.addWidget(self.staff_bar)  # sign in, shift, cash in/out, staff (checkout_staff.py)
        settings_btn = QPushButton(tr("Till settings…"))
        settings_btn.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        settings_btn.clicked.connect(self.open_settings)
        top.addWidget(settings_btn)
        middle = QHBoxLayout()
        cart_column = QVBoxLayout()
        cart_column.addWidget(self.table, 1)
        cart_column.addWidget(self.promo_label)
        middle.addLayout(cart_column, 1)
        middle.addWidget(self.side)
        lay = QVBoxLayout(self)
        lay.addLayout(top)
        lay.addWidget(self.message)
        lay.addLayout(middle, 1)
        lay.addLayout(buttons)

        self._show_cart(None)
        self.refresh()
        subscribe(self, services, Change.SALES | Change.HELD | Change.SETTINGS, self._side_changed, lazy=True)
        subscribe(self, services, Change.PROMOTIONS, self.reprice, lazy=True)  # the cart shows what it gets now

    def open_settings(self) -> None:
        if not guard.ensure_owner(self, self.services, "settings"):
            return
        dialog = TillSettingsDialog(self.services.settings, self)
        dialog.accepted.connect(self.refresh)
        self._open(dialog)

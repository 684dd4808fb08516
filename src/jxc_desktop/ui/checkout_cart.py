"""The till's scan line and cart keys: Enter adds what was scanned or picked; F2 quantity,
F3 price, F4 line discount, F5 whole-sale discount, F6 delete line, F7 clear."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QApplication

from jxc_desktop.domain import cart as cartlib
from jxc_desktop.domain.cart import Cart
from jxc_desktop.domain.money import format_fen, parse_yuan
from jxc_desktop.domain.quantity import format_qty, parse_qty
from jxc_desktop.services.catalog.products import ProductDTO
from jxc_desktop.ui import guard  # guard.ensure_owner looked up per call: tests stand in for the owner
from jxc_desktop.ui.actions import run
from jxc_desktop.ui.checkout_member import TillMember
from jxc_desktop.ui.dialogs.till_dialog import ValueDialog
from jxc_desktop.ui.errors import confirm
from jxc_desktop.ui.i18n import tr


class TillCart(TillMember):
    # ------------------------------------------------------------------ adding goods
    def scan(self, text: str) -> None:
        """Enter on the scan line: the catalogue's scan rule (barcode, pack barcode, scale label,
        product code, else search); a single search hit is taken, several are shown to choose."""
        result = self.lookup.resolve(text)
        if result.product is not None:
            got = run(self, lambda: self.services.checkout.line_for_scan_result(result), inline=self.refuse)
            if not got or got.value is None:
                self.focus_scan()
                return
            self._add_line(got.value)
            return
        if result.single is not None:
            self.add_product(result.single)
            return
        QApplication.beep()
        self.say(self.lookup.problem_text(result), error=True)
        self.focus_scan()

    def add_product(self, product: ProductDTO) -> None:
        got = run(self, lambda: self.services.checkout.line_for_product(product.id), inline=self.refuse)
        if got and got.value is not None:
            self._add_line(got.value)

    def _add_line(self, line: cartlib.CartLine) -> None:
        def add() -> cartlib.CartLine:
            # at the member's price level when the cart has a member (checkout_member.py)
            priced = self.at_member_level(line)
            cart, row = cartlib.add(self.cart, priced)
            self._set_cart(cart, row)
            return priced

        got = run(self, add, inline=self.refuse)
        if not got or got.value is None:
            return
        if not self._stock_warned:
            self.say(tr("{name}  {qty} × {price}").format(name=line.name, qty=format_qty(line.qty),
                                                          price=format_fen(got.value.unit_price)))
        self.focus_scan()

    # ------------------------------------------------------------------ editing the cart
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
        if not guard.ensure_owner(self, self.services, "price_change"):  # the owner PIN, when one is set
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

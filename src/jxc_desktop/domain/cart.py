"""The checkout cart: lines, prices, discounts and totals, to the fen (pure, no database).

A cart is immutable; every edit returns a new one, so the UI can keep the old one if a service
call fails. The whole-sale discount is spread over the lines in proportion to their net amounts
(largest remainder, so the shares add up exactly), because each sale line stores its own net
amount for returns and reports. The arithmetic itself (line values, percentages, limits,
allocation) is domain/pricing.py; this module is the cart value, its checks and its edits.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace

from jxc_desktop.domain.errors import ValidationError
from jxc_desktop.domain.money import format_fen
from jxc_desktop.domain.pricing import (
    DiscountLimitError as DiscountLimitError,  # re-exported: callers catch cart.DiscountLimitError
)
from jxc_desktop.domain.pricing import Limits, allocate, check_line_limit, check_sale_limit, line_value
from jxc_desktop.domain.pricing import discount_from_text as discount_from_text  # re-exported for the till
from jxc_desktop.domain.promotions import AppliedPromotion
from jxc_desktop.domain.quantity import MILLI, format_qty

# A till line beyond these is a typo (a scanned barcode in the quantity field, say).
MAX_LINE_QTY = 100_000 * MILLI
MAX_UNIT_PRICE = 100_000_000  # ¥1 000 000.00 per unit
MAX_LINES = 500


@dataclass(frozen=True)
class CartLine:
    product_id: int
    name: str
    unit_price: int  # fen per unit, as charged
    qty: int  # thousandths
    list_price: int = -1  # catalogue price; -1 = same as unit_price
    barcode: str = ""
    unit: str = ""
    line_discount: int = 0  # fen
    fixed_amount: int | None = None  # price-embedded barcode: the label's amount is the gross
    # issue 17: the price level the line is at (retail | member | wholesale, domain/price_levels.py)
    # and, at another level than retail, the retail price it was lowered from (saved = retail − unit)
    price_level: str = "retail"
    retail_price: int = -1
    manual_price: bool = False  # the cashier set the price (F3): the line takes no promotion

    @property
    def manual(self) -> bool:
        """A manual price or line discount: the line keeps it and takes no promotion."""
        return self.manual_price or self.line_discount > 0

    @property
    def catalogue_price(self) -> int:
        return self.unit_price if self.list_price < 0 else self.list_price

    @property
    def gross(self) -> int:
        if self.fixed_amount is not None:
            return self.fixed_amount
        return line_value(self.qty, self.unit_price)

    @property
    def list_gross(self) -> int:
        if self.fixed_amount is not None and self.unit_price == self.catalogue_price:
            return self.fixed_amount
        return line_value(self.qty, self.catalogue_price)

    @property
    def net(self) -> int:
        return self.gross - self.line_discount

    @property
    def level_saving(self) -> int:
        """Fen the price level saves on this line against the retail price (0 at retail)."""
        if self.price_level == "retail" or self.retail_price < 0:
            return 0
        return max(0, line_value(self.qty, self.retail_price) - line_value(self.qty, self.unit_price))


@dataclass(frozen=True)
class PricedLine:
    line: CartLine
    gross: int
    line_discount: int
    sale_discount_share: int
    amount: int  # what the customer pays for the line
    promo_discount: int = 0  # what promotions took off the line (before the whole-sale discount)

    @property
    def discount(self) -> int:
        return self.line_discount + self.promo_discount + self.sale_discount_share


@dataclass(frozen=True)
class Totals:
    lines: tuple[PricedLine, ...]
    gross: int  # Σ gross before any discount
    subtotal: int  # after line discounts and promotions, before the whole-sale discount
    sale_discount: int
    total: int  # amount due
    item_qty: int  # Σ qty (thousandths) — "items" on the screen
    promo_discount: int = 0  # Σ what promotions took off
    promotions: tuple[AppliedPromotion, ...] = ()  # each applied promotion: a visible line

    @property
    def discount(self) -> int:
        return self.gross - self.total


@dataclass(frozen=True)
class Cart:
    lines: tuple[CartLine, ...] = field(default_factory=tuple)
    sale_discount: int = 0  # fen
    # The owner allowed discounts beyond the limits for this cart (PIN entered at the till).
    owner_approved: bool = False
    # The member (会员, a customer id) the cart is sold to: chosen at the till, kept when held (issue 17).
    member_id: int | None = None

    @property
    def empty(self) -> bool:
        return not self.lines


def count_items(qtys: Iterable[int]) -> int:
    """"Items" for the customer: whole units count as many pieces, a weighed line as one."""
    return sum(q // MILLI if q % MILLI == 0 else 1 for q in qtys)


# ---------------------------------------------------------------- validation


def check_qty(qty: int) -> int:
    if not isinstance(qty, int) or isinstance(qty, bool):
        raise ValidationError("Quantity is not a number")
    if qty <= 0:
        raise ValidationError("Quantity must be greater than zero")
    if qty > MAX_LINE_QTY:
        raise ValidationError("Quantity {qty} is too large for one line", qty=format_qty(qty))
    return qty


def check_price(price: int) -> int:
    if not isinstance(price, int) or isinstance(price, bool):
        raise ValidationError("Price is not an amount of money")
    if price <= 0:
        raise ValidationError("Price must be greater than zero")
    if price > MAX_UNIT_PRICE:
        raise ValidationError("Price {price} is too large", price=format_fen(price))
    return price


def _is_int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _check_money(value: object, *, allow_unset: bool = False) -> None:
    """A price or amount on a line: int fen from 0 to the line limit (-1 = unset, for list_price)."""
    if not _is_int(value):
        raise ValidationError("Price is not an amount of money")
    assert isinstance(value, int)
    if value < (-1 if allow_unset else 0):
        raise ValidationError("A price must not be negative")
    if value > MAX_UNIT_PRICE:
        raise ValidationError("Price {price} is too large", price=format_fen(value))


def check_line_values(line: CartLine) -> None:
    """Types and ranges of a line built outside :func:`add` (a held cart, a service caller): a
    float or Decimal quantity would be stored as REAL or make the database driver fail."""
    if not isinstance(line, CartLine) or not _is_int(line.product_id) or line.product_id <= 0:
        raise ValidationError("A cart line does not name a product")
    if not all(isinstance(t, str) for t in (line.name, line.barcode, line.unit)):
        raise ValidationError("A cart line does not name a product")
    check_qty(line.qty)
    _check_money(line.unit_price)
    _check_money(line.list_price, allow_unset=True)
    if not _is_int(line.line_discount):
        raise ValidationError("Discount is not an amount of money")
    if not isinstance(line.manual_price, bool):
        raise ValidationError("A cart line does not name a product")
    if line.line_discount < 0:
        raise ValidationError("A discount must not be negative")
    if line.fixed_amount is not None:
        _check_money(line.fixed_amount)
    if line.price_level not in ("retail", "member", "wholesale"):
        raise ValidationError("Unknown price level {level}", level=str(line.price_level)[:20])
    _check_money(line.retail_price, allow_unset=True)


def check_cart(cart: Cart) -> None:
    """Every line's types and ranges and the whole-sale discount's type (ValidationError)."""
    if not isinstance(cart, Cart) or not isinstance(cart.lines, tuple):
        raise ValidationError("The cart cannot be read")
    if len(cart.lines) > MAX_LINES:
        raise ValidationError("The cart is full ({n} lines)", n=MAX_LINES)
    for line in cart.lines:
        check_line_values(line)
    if not _is_int(cart.sale_discount):
        raise ValidationError("Discount is not an amount of money")
    if cart.member_id is not None and (not _is_int(cart.member_id) or cart.member_id <= 0):
        raise ValidationError("The cart's member cannot be read")


def _check_line(line: CartLine, limits: Limits) -> None:
    if line.line_discount < 0:
        raise ValidationError("A discount must not be negative")
    if line.line_discount > line.gross:
        raise ValidationError("The discount on {name} is more than the line amount", name=line.name)
    # Lowering the price is a discount too: measure both against the catalogue price.
    check_line_limit(line.name, line.list_gross, line.net, limits)


# ---------------------------------------------------------------- pricing


def _check_promo(cart: Cart, promo_off: Sequence[int]) -> list[int]:
    """What promotions take off each line: none off a manual line, never more than the line's net."""
    if not promo_off:
        return [0] * len(cart.lines)
    if len(promo_off) != len(cart.lines):
        raise ValidationError("The promotions do not match the cart; scan again")
    for line, off in zip(cart.lines, promo_off, strict=True):
        if not _is_int(off) or off < 0 or off > line.net or (off and line.manual):
            raise ValidationError("The promotions do not match the cart; scan again")
    return list(promo_off)


def price(cart: Cart, limits: Limits = Limits(), promo_off: Sequence[int] = (),
          promotions: tuple[AppliedPromotion, ...] = ()) -> Totals:
    """Totals of a cart, enforcing the discount limits (ValidationError names the line); the
    lines' types and ranges are checked first, so posting never stores a bad value.

    ``promo_off``: what promotions take off each line (domain/promotions.py, ``line_discounts``),
    ``promotions`` the applied ones to show. Promotions come first, then the whole-sale discount
    on what is left. They are the shop's own deals, so the cashier's line limit measures only the
    manual price and discount; the sale limit measures the whole-sale discount on what is left."""
    check_cart(cart)
    if cart.owner_approved:
        limits = Limits()  # the owner approved it: only the hard rules (not above the amount) remain
    for line in cart.lines:
        _check_line(line, limits)
    promo = _check_promo(cart, promo_off)
    nets = [line.net - off for line, off in zip(cart.lines, promo, strict=True)]
    subtotal = sum(nets)
    if cart.sale_discount < 0:
        raise ValidationError("A discount must not be negative")
    if cart.sale_discount > subtotal:
        raise ValidationError("The discount {discount} is more than the amount {amount}",
                              discount=format_fen(cart.sale_discount), amount=format_fen(subtotal))
    check_sale_limit(cart.sale_discount, subtotal, limits)
    shares = allocate(cart.sale_discount, nets)
    priced = tuple(PricedLine(line, line.gross, line.line_discount, share, net - share, off)
                   for line, net, share, off in zip(cart.lines, nets, shares, promo, strict=True))
    return Totals(priced, sum(p.gross for p in priced), subtotal, cart.sale_discount,
                  subtotal - cart.sale_discount, sum(line.qty for line in cart.lines), sum(promo),
                  promotions if sum(promo) else ())


# ---------------------------------------------------------------- edits (each returns a new cart)


def _at(cart: Cart, index: int) -> CartLine:
    if not 0 <= index < len(cart.lines):
        raise ValidationError("Choose a line first")
    return cart.lines[index]


def _with(cart: Cart, index: int, line: CartLine | None) -> Cart:
    lines = list(cart.lines)
    if line is None:
        del lines[index]
    else:
        lines[index] = line
    return replace(cart, lines=tuple(lines), sale_discount=cart.sale_discount if lines else 0)


def add(cart: Cart, line: CartLine) -> tuple[Cart, int]:
    """Add a line, or increase the same product's line (same price, no fixed amount).
    Returns the new cart and the index of the line that changed."""
    check_line_values(line)
    if line.fixed_amount is None:
        for i, old in enumerate(cart.lines):
            if (old.product_id == line.product_id and old.fixed_amount is None
                    and old.unit_price == line.unit_price and old.line_discount == 0):
                merged = replace(old, qty=check_qty(old.qty + line.qty))
                return _with(cart, i, merged), i
    if len(cart.lines) >= MAX_LINES:
        raise ValidationError("The cart is full ({n} lines)", n=MAX_LINES)
    return replace(cart, lines=(*cart.lines, line)), len(cart.lines)


def set_qty(cart: Cart, index: int, qty: int) -> Cart:
    line = _at(cart, index)
    return _with(cart, index, replace(line, qty=check_qty(qty), fixed_amount=None, line_discount=0))


def set_price(cart: Cart, index: int, unit_price: int) -> Cart:
    line = _at(cart, index)
    return _with(cart, index, replace(line, unit_price=check_price(unit_price), fixed_amount=None,
                                      list_price=line.catalogue_price, line_discount=0, manual_price=True))


def set_line_discount(cart: Cart, index: int, discount: int) -> Cart:
    line = _at(cart, index)
    if discount < 0:
        raise ValidationError("A discount must not be negative")
    return _with(cart, index, replace(line, line_discount=discount))


def set_sale_discount(cart: Cart, discount: int) -> Cart:
    if cart.empty:
        raise ValidationError("The cart is empty")
    if discount < 0:
        raise ValidationError("A discount must not be negative")
    return replace(cart, sale_discount=discount)


def remove(cart: Cart, index: int) -> Cart:
    _at(cart, index)
    return _with(cart, index, None)

"""Price and discount arithmetic to the fen (pure): line values, percentages, discount limits,
spreading an amount over lines, the pieces of a partial return, the quantity of a price label.

Every rounding is :func:`money.div_round` (half away from zero); wherever pieces of one amount are
taken, they add up to it exactly, because each stored line keeps its own amount for returns and
reports. The cart (domain/cart.py) prices itself with these; the sales services use them for
returns and scale labels.
"""

from __future__ import annotations

from dataclasses import dataclass

from jxc_desktop.domain.errors import ValidationError
from jxc_desktop.domain.money import div_round, parse_yuan
from jxc_desktop.domain.quantity import MILLI


@dataclass(frozen=True)
class Limits:
    """Discount limits in percent of the list value (settings max_line/sale_discount_pct)."""

    max_line_discount_pct: int = 100
    max_sale_discount_pct: int = 100


class DiscountLimitError(ValidationError):
    """A discount (or price cut) above the shop's limit: the owner may approve it."""


def line_value(qty: int, unit_price: int) -> int:
    """Fen for ``qty`` thousandths at ``unit_price`` fen per unit."""
    return div_round(qty * unit_price, MILLI)


def percent_of(base: int, pct: int) -> int:
    """``pct`` percent of ``base`` fen."""
    return div_round(base * pct, 100)


def allocate(amount: int, weights: list[int]) -> list[int]:
    """Split ``amount`` fen over ``weights`` proportionally; the shares sum exactly to ``amount``
    (largest remainder; ties go to the earlier line)."""
    total = sum(weights)
    if amount == 0 or total <= 0:
        return [0] * len(weights)
    shares = [amount * w // total for w in weights]
    rest = amount - sum(shares)
    order = sorted(range(len(weights)), key=lambda i: (-(amount * weights[i] % total), i))
    for i in order[:rest]:
        shares[i] += 1
    return shares


def prorate(total: int, part: int, whole: int, done: int, last: bool) -> int:
    """``part/whole`` of ``total``, of which ``done`` was already taken by earlier pieces; the last
    piece takes what is left, so the pieces add up to ``total`` exactly."""
    return total - done if last else div_round(total * part, whole)


def qty_for_amount(amount: int, unit_price: int) -> int:
    """The quantity (thousandths, at least one) a price label's ``amount`` buys at ``unit_price``."""
    return max(1, div_round(amount * MILLI, unit_price))


def line_discount_given(list_gross: int, net: int) -> int:
    """Lowering the price is a discount too: what a line gives away against its catalogue value."""
    return list_gross - net


def check_line_limit(name: str, list_gross: int, net: int, limits: Limits) -> None:
    """DiscountLimitError when a line gives away more than the line limit allows."""
    if line_discount_given(list_gross, net) > percent_of(list_gross, limits.max_line_discount_pct):
        raise DiscountLimitError("The discount on {name} is above the allowed {pct}%", name=name,
                                 pct=limits.max_line_discount_pct)


def check_sale_limit(discount: int, subtotal: int, limits: Limits) -> None:
    """DiscountLimitError when the whole-sale discount is above the sale limit."""
    if discount > percent_of(subtotal, limits.max_sale_discount_pct):
        raise DiscountLimitError("The whole-sale discount is above the allowed {pct}%",
                                 pct=limits.max_sale_discount_pct)


def discount_from_text(text: str, base: int) -> int:
    """A discount typed by the cashier: ``5`` or ``5.5`` yuan off, or ``10%`` of ``base`` fen."""
    raw = text.strip()
    if raw.endswith("%"):
        digits = raw[:-1].strip()
        if not (digits.isascii() and digits.isdigit()) or not 0 <= int(digits) <= 100:
            raise ValidationError("'{value}' is not a percentage from 0 to 100", value=raw[:20])
        return percent_of(base, int(digits))
    return parse_yuan(raw, field="Discount")

"""The rows a sale writes — header, lines, payments — built from the priced cart, and whether an
owner-approved discount went beyond the shop's limits: shared by the till's posting (checkout.py)
and the bulk path (bulk_post.py), so both write the same columns."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import replace
from datetime import date, datetime
from typing import Any

from jxc_desktop.domain import cart as cartlib
from jxc_desktop.domain.cart import Cart, Limits, Totals
from jxc_desktop.domain.clock import local_day
from jxc_desktop.domain.errors import InsufficientStockError, NotFoundError, ValidationError
from jxc_desktop.domain.policy import enforce_negative_stock
from jxc_desktop.domain.quantity import format_qty


def wanted_stock(cart: Cart, products: Mapping[int, Any]) -> dict[int, int]:
    """What the cart takes of each product (thousandths by id), after a sale's first checks of the
    products as read under the lock (``.name``, ``.active``): each exists and is active — a held cart
    may name a product deactivated since it was held."""
    missing = {ln.product_id for ln in cart.lines if ln.product_id not in products}
    if missing:
        raise NotFoundError("Product {id} does not exist", id=min(missing))
    wanted: dict[int, int] = defaultdict(int)
    for line in cart.lines:
        product = products[line.product_id]
        if not product.active:
            raise ValidationError("{name} is deactivated and cannot be sold", name=product.name)
        wanted[line.product_id] += line.qty
    return wanted


def check_stock(wanted: Mapping[int, int], on_hand: Callable[[int], tuple[str, int, bool]],
                available: Callable[[int], int], *, block_expired: bool, policy: str, confirmed: bool) -> None:
    """The expired-batch rule and the negative-stock policy over what a sale takes of each product.
    ``on_hand(id)``: its name, quantity on hand and whether it tracks batches; ``available(id)``: what
    may be sold of it (without its expired batches when ``block_expired``), asked only when the
    quantity on hand alone does not settle it."""
    shortages: list[tuple[str, int, int]] = []
    for pid, qty in wanted.items():
        name, qty_on_hand, batches = on_hand(pid)
        if qty <= qty_on_hand and not (block_expired and batches):
            continue
        free = available(pid)
        if qty <= free:
            continue
        if free < qty_on_hand and qty <= qty_on_hand:
            raise InsufficientStockError(
                "{name}: only {available} not expired; expired batches may not be sold. "
                "Take them off the shelf or record a loss.", name=name, available=format_qty(free))
        shortages.append((name, free, qty))
    enforce_negative_stock(policy, shortages, confirmed=confirmed)


def beyond_limits(cart: Cart, limits: Limits, totals: Totals | None = None) -> bool:
    """Whether the cart's discounts would be refused without the owner's approval."""
    promo = [p.promo_discount for p in totals.lines] if totals is not None else ()
    try:
        cartlib.price(replace(cart, owner_approved=False), limits, promo)
    except cartlib.DiscountLimitError:
        return True
    return False


def sale_fields(number: str, totals: Totals, paid: int, change: int, at: datetime, note: str) -> dict[str, Any]:
    """The sale header's columns (cost filled in after the stock moves); bulk_post.py writes the same."""
    return dict(number=number, kind="sale", status="posted", created_at=at, business_day=local_day(at),
                subtotal=totals.subtotal, discount=totals.sale_discount, total=totals.total, paid=paid,
                change=change, cost=0, note=note)


def line_fields(totals: Totals, day: date) -> list[dict[str, Any]]:
    """One row per priced line; day, kind and status are the sale's, for the report index."""
    return [dict(line_no=i, product_id=p.line.product_id, barcode=p.line.barcode[:32], name=p.line.name[:120],
                 qty=p.line.qty, unit_price=p.line.unit_price, discount=p.discount, amount=p.amount, cost=0,
                 business_day=day, kind="sale", status="posted", price_level=p.line.price_level,
                 list_price=p.line.retail_price if p.line.price_level != "retail" and p.line.retail_price >= 0 else None,
                 promo_discount=p.promo_discount)
            for i, p in enumerate(totals.lines, start=1)]


def deal_lines(totals: Totals) -> set[int]:
    """The lines (by index) sold at a special price, which earn points only where the shop says so:
    a line-level deal (特价, 买N付M, 第N件) — a 满减's share is only a reduction of what is paid, which
    earns like the rest."""
    return {index for applied in totals.promotions if applied.kind.line_level
            for index, amount in applied.lines if amount}


def payment_fields(payments: Sequence[Any]) -> list[dict[str, Any]]:
    return [dict(method=p.method, amount=p.amount, tendered=p.tendered) for p in payments]

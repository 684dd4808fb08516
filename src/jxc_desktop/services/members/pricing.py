"""Member prices at the till: which price level a member buys at, each product's member price, and
a cart's lines put at the member's level (the rule itself is the pure domain/price_levels.py).

A member whose customer record says ``wholesale`` buys at wholesale prices; every other member at
member prices (the product's own, else the level discount). No member: retail.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import replace
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from jxc_desktop.db.models import Customer, MemberLevel, Product
from jxc_desktop.domain.cart import Cart, CartLine, check_price
from jxc_desktop.domain.errors import NotFoundError, ValidationError
from jxc_desktop.domain.price_levels import MEMBER, WHOLESALE, LevelRule, ProductPrices, at_level
from jxc_desktop.services.safety import api as safety


def level_rule_in(session: Session, member_id: int | None) -> LevelRule:
    """The price level of a sale's member (retail without one)."""
    if member_id is None:
        return LevelRule()
    row = session.execute(select(Customer.level, MemberLevel.price_pct)
                          .join(MemberLevel, MemberLevel.id == Customer.member_level_id)
                          .where(Customer.id == member_id)).first()
    if row is None:
        raise NotFoundError("Member {id} does not exist", id=member_id)
    if row[0] == "wholesale":
        return LevelRule(WHOLESALE)
    return LevelRule(MEMBER, int(row[1]))


def product_prices_in(session: Session, product_ids: Iterable[int]) -> dict[int, ProductPrices]:
    ids = set(product_ids)
    if not ids:
        return {}
    rows = session.execute(select(Product.id, Product.sale_price, Product.member_price, Product.wholesale_price)
                           .where(Product.id.in_(ids)))
    return {int(pid): ProductPrices(int(sale), None if member is None else int(member), int(wholesale or 0))
            for pid, sale, member, wholesale in rows}


def lines_at_level_in(session: Session, lines: Sequence[CartLine], member_id: int | None) -> tuple[CartLine, ...]:
    """The lines at the member's price level (back to retail without a member); lines changed by
    hand keep their price."""
    rule = level_rule_in(session, member_id)
    prices = product_prices_in(session, {ln.product_id for ln in lines})
    return tuple(at_level(ln, rule, prices.get(ln.product_id)) for ln in lines)


def cart_for_member_in(session: Session, cart: Cart, member_id: int | None) -> Cart:
    """The cart sold to ``member_id`` (None: no member any more), its lines repriced."""
    return replace(cart, lines=lines_at_level_in(session, cart.lines, member_id), member_id=member_id)


def check_levels_in(session: Session, cart: Cart, member_id: int | None) -> None:
    """A line at member prices needs the sale's member (a held cart may have lost it)."""
    if member_id is None and any(ln.price_level == MEMBER for ln in cart.lines):
        raise ValidationError("Member prices need the member: choose the member again or sell at retail")


def set_member_price(session: Session, product_id: int, price: int | None, *, at: datetime | None = None) -> bool:
    """A product's member price (None: the level discount applies); audited like a price change.
    True when it changed."""
    product = session.get(Product, product_id)
    if product is None:
        raise NotFoundError("Product {id} does not exist", id=product_id)
    if price is not None:
        check_price(price)
        if price > product.sale_price:
            raise ValidationError("The member price of {name} is above its sale price", name=product.name)
    if product.member_price == price:
        return False
    safety.record(session, safety.PRICE_CHANGE, document=product.code, at=at,
                  before={"member_price": product.member_price}, after={"member_price": price})
    product.member_price = price
    return True


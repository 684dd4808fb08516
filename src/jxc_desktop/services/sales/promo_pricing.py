"""Promotions at the till: a cart priced with the promotions running at the moment of the sale, and
what they took written beside the sale (``sale_line.promo_discount``, one ``sale_promotion`` row per
line and promotion), in the caller's transaction (the ORM's or, at the till, sale_post.py's Core insert).

Which promotions apply is the pure domain/promotions.py, reached through ``promotions.api``; the
cart arithmetic (promotions first, then the whole-sale discount on what is left) is
domain/cart.price. A line with a manual price or discount takes no promotion and counts towards no
threshold. Nothing else re-prices: the screen, the posting and the receipt all use these totals.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from jxc_desktop.db.models import Sale, SaleLine, SalePromotion
from jxc_desktop.db.uow import Database
from jxc_desktop.domain import cart as cartlib
from jxc_desktop.domain.cart import Cart, Limits, Totals
from jxc_desktop.services.promotions import api as promotions


def local_moment(at: datetime) -> datetime:
    """Promotion times are the shop's wall clock (naive); ``at`` is an aware instant."""
    return at.astimezone().replace(tzinfo=None)


def promo_items(cart: Cart) -> list[promotions.CartItem]:
    return [promotions.CartItem(ln.product_id, ln.qty, ln.unit_price, ln.manual, ln.fixed_amount)
            for ln in cart.lines]


def price_in(session: Session, cart: Cart, limits: Limits, at: datetime, *, member: bool,
             kept_for: Database | None = None) -> Totals:
    """The cart's totals with the promotions running at ``at`` (aware); ``member``: the sale has a
    member, so member-only promotions count. The cart's own checks run first, so a bad line is
    refused with its own message before any promotion is looked up. ``kept_for``: the screen's
    call, with the rules kept between scans (promotions.api.price_cart_in)."""
    plain = cartlib.price(cart, limits)
    if cart.empty:
        return plain
    result = promotions.price_cart_in(session, promo_items(cart), local_moment(at), member, kept_for=kept_for)
    return cartlib.price(cart, limits, result.line_discounts, result.applied)


def promotion_rows(sale_id: int, line_ids: Sequence[int], totals: Totals) -> list[dict[str, Any]]:
    """The ``sale_promotion`` rows of a sale: one per (line, promotion) the totals applied, in the
    order applied; ``line_ids`` are the sale's lines in cart order. ``promo_discount`` is already on
    the lines (sale_rows.line_fields)."""
    return [dict(sale_id=sale_id, sale_line_id=line_ids[index], promotion_id=applied.promotion_id,
                 name=applied.name[:60], amount=amount)
            for applied in totals.promotions for index, amount in applied.lines if amount]


def write_promotions(session: Session, sale: Sale, rows: Sequence[SaleLine], totals: Totals) -> None:
    """:func:`promotion_rows` added to the session; ``rows`` are the sale's lines in cart order,
    flushed (their ids are known)."""
    session.add_all(SalePromotion(**fields) for fields in promotion_rows(sale.id, [r.id for r in rows], totals))

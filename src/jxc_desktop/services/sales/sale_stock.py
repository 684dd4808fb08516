"""Which lines of a cart would take stock below zero, read while the cart is being filled, so the
cashier is warned when the line is added (a mark on it), not only when the customer is paying.

Posting re-checks under the negative-stock policy (checkout._stock_checks) and stays the authority:
this is the early, cheap look at ``Product.stock_qty`` (one query per cart change).
"""

from __future__ import annotations

from collections import defaultdict

from sqlalchemy import select
from sqlalchemy.orm import Session

from jxc_desktop.db.models import Product
from jxc_desktop.domain.cart import Cart
from jxc_desktop.services.sales.dto import Shortage, StockCheck
from jxc_desktop.services.shop import api as shop


def stock_check_in(session: Session, cart: Cart) -> StockCheck:
    policy = shop.read_all(session).get("negative_stock", "warn")
    wanted: dict[int, int] = defaultdict(int)
    for line in cart.lines:
        wanted[line.product_id] += line.qty
    if not wanted:
        return StockCheck(policy)
    rows = session.execute(select(Product.id, Product.name, Product.stock_qty)
                           .where(Product.id.in_(wanted))).all()
    shortages = tuple(Shortage(pid, name, on_hand, wanted[pid])
                      for pid, name, on_hand in sorted(rows, key=lambda r: r[0]) if wanted[pid] > on_hand)
    return StockCheck(policy, shortages)

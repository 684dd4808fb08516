"""Test helpers for the purchase tests: a scripted sales history written the way a posted sale is
(sale + line + ledger moves in one unit of work), without depending on the checkout screen; a long
history of one product through the till's bulk path (``post_history``)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from datetime import UTC, date, datetime, time
from itertools import count

from sqlalchemy.orm import Session

from jxc_desktop.db.models import Product, Sale, SaleLine
from jxc_desktop.db.uow import Database
from jxc_desktop.domain.cart import Cart
from jxc_desktop.domain.costing import value_of
from jxc_desktop.domain.moves import MoveKind
from jxc_desktop.services.hub import Services
from jxc_desktop.services.sales.dto import Tender
from jxc_desktop.services.stock import ledger

_numbers = count(1)


def _one(s: Session, product_id: int, qty: int, day: date, kind: str, status: str) -> int:
    at = datetime.combine(day, time(12, 0)).astimezone().astimezone(UTC)
    prod = s.get(Product, product_id)
    assert prod is not None
    n = next(_numbers)
    sale = Sale(number=f"{'XS' if kind == 'sale' else 'TH'}T{n:08d}", kind=kind, status=status,
                created_at=at, business_day=day)
    s.add(sale)
    s.flush()
    ref = ledger.DocRef("sale", sale.id, sale.number)
    if kind == "sale":
        moves = ledger.issue_fefo(s, prod, qty, MoveKind.SALE, ref, at=at)
        cost = -sum(m.value for m in moves)
    else:
        cost = value_of(qty, prod.avg_cost)
        ledger.receive(s, prod, qty, MoveKind.SALE_RETURN, ref, value=cost, at=at)
    amount = value_of(qty, prod.sale_price)
    sale.lines.append(SaleLine(line_no=1, product_id=prod.id, name=prod.name, qty=qty,
                               unit_price=prod.sale_price, amount=amount, cost=cost))
    sale.subtotal = sale.total = sale.paid = amount
    sale.cost = cost
    return cost


def record_sales(db: Database, sales: Iterable[tuple[int, int, date, str, str]]) -> list[int]:
    """Several posted sales / customer returns ``(product_id, qty, day, kind, status)`` in one
    transaction; returns each one's cost of goods."""
    with db.write() as uow:
        costs = [_one(uow.session, *item) for item in sales]
        uow.commit()
    return costs


def record_sale(db: Database, product_id: int, qty: int, day: date, *, kind: str = "sale",
                status: str = "posted") -> int:
    """One posted sale (or customer return) of ``qty`` thousandths on local ``day``; returns its cost."""
    return record_sales(db, [(product_id, qty, day, kind, status)])[0]


def post_history(services: Services, product_id: int, sales: Iterable[tuple[int, date]]) -> int:
    """Posted cash sales of one product at its price, ``(qty thousandths, local day)`` each at noon,
    in time order through the bulk path ``jxc demo`` writes its history with (the till's Core
    posting, one transaction): the same sale, line and ledger rows as ``record_sales`` at a fraction
    of its cost, for tests about what is read from a long history. Returns how many were posted."""
    one = services.checkout.line_for_product(product_id)
    carts = []
    for qty, day in sales:
        line = replace(one, qty=qty)
        at = datetime.combine(day, time(12, 0)).astimezone()
        carts.append((Cart((line,)), [Tender("cash", value_of(qty, line.unit_price))], at))
    return services.checkout.post_sales_bulk(carts, per_commit=len(carts) + 1)

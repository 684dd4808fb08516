"""Test helpers for the purchase tests: a scripted sales history written the way a posted sale is
(sale + line + ledger moves in one unit of work), without depending on the checkout screen."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, date, datetime, time
from itertools import count

from sqlalchemy.orm import Session

from jxc_desktop.db.models import Product, Sale, SaleLine
from jxc_desktop.db.uow import Database
from jxc_desktop.domain.costing import value_of
from jxc_desktop.domain.moves import MoveKind
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

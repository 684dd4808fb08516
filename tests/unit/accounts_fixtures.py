"""Helpers for the accounts tests: suppliers with terms, notes posted on a day, sales on account."""

from __future__ import annotations

from datetime import UTC, date, datetime, time

from jxc_desktop.domain.cart import Cart
from jxc_desktop.domain.quantity import MILLI
from jxc_desktop.domain.tender import Tender
from jxc_desktop.services.accounts.dto import CustomerInput
from jxc_desktop.services.hub import Services
from jxc_desktop.services.purchasing.dto import (
    LineInput,
    NoteInput,
    ReturnInput,
    ReturnLineInput,
    SupplierInput,
)


def noon(day: date) -> datetime:
    """Local noon of ``day`` in UTC (what the services take as ``at``)."""
    return datetime.combine(day, time(12, 0)).astimezone().astimezone(UTC)


def supplier(services: Services, name: str, terms: int) -> int:
    return services.suppliers.add(SupplierInput(name, terms_days=terms)).id


def customer(services: Services, name: str, limit: int | None = None, level: str = "retail") -> int:
    return services.customers.add(CustomerInput(name, phone="13800000000", level=level, credit_limit=limit))


def deliver(services: Services, supplier_id: int, day: date, lines: list[tuple[int, int, int]],
            paid_now: bool | None = None):  # type: ignore[no-untyped-def]
    """A purchase note of (product_id, units, unit cost fen) posted on ``day``."""
    note = NoteInput(supplier_id, tuple(LineInput(pid, units * MILLI, cost) for pid, units, cost in lines), day,
                     paid_now=paid_now)
    return services.purchasing.post(note, at=noon(day), confirmed=True)


def send_back(services: Services, note, day: date, units: int, line: int = 0):  # type: ignore[no-untyped-def]
    ln = note.lines[line]
    return services.purchasing.post_return(
        ReturnInput(None, (ReturnLineInput(ln.product_id, units * MILLI, ln.id),), origin_id=note.id, doc_date=day),
        at=noon(day), confirmed=True)


def sell(services: Services, product, units: int, day: date, *, customer_id: int | None = None,  # type: ignore[no-untyped-def]
         credit: int | None = None, override: bool = False):
    """A till sale of ``units`` at the sale price; ``credit`` fen on account (None: all of it)."""
    line = services.checkout.line_for_product(product.id, units * MILLI)
    cart = Cart((line,))
    total = services.checkout.price(cart).total
    on_account = (total if customer_id is not None else 0) if credit is None else credit
    tenders = [Tender("credit", on_account)] if on_account else []
    if total - on_account:
        tenders.append(Tender("cash", total - on_account))
    return services.checkout.post_sale(cart, tenders, at=noon(day), customer_id=customer_id,
                                       credit_override=override, confirmed=True)

"""Many sales in one transaction, for loading history (benchmarks, a big demo): the rows and moves
:func:`checkout.post_sale_in` writes, at a fraction of its cost, through the Core posting of
sale_post.py that the till's sale takes too.

The same rules and builders: each cart is priced (``cart.price``: history keeps its prices, no
promotions) and settled (``tender.settle``) as at the till, the negative-stock policy and the
expired-batch rule applied per sale against the stock as it stands at that sale (a
:class:`sale_post.StockBook` kept in memory through the call); then the whole chunk is written with
one executemany per table and all its moves with one ``stock.write_many``.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime

from sqlalchemy.orm import Session

from jxc_desktop.db.uow import Database
from jxc_desktop.domain.cart import Cart
from jxc_desktop.domain.errors import InsufficientStockError
from jxc_desktop.services.sales.dto import Tender
from jxc_desktop.services.sales.sale_post import PlannedSale, StockBook, plan_sale, write_sales
from jxc_desktop.services.sales.sale_settings import SaleRules, sale_rules

SaleInput = tuple[Cart, Sequence[Tender], datetime]


def post_sales_many(session: Session, sales: Sequence[SaleInput], rules: SaleRules, *,
                    confirmed: bool = True) -> int:
    """Post ``sales`` (in the order given, which should be time order) inside the caller's
    transaction. A sale refused by the stock rules is skipped, nothing of it written (as
    ``CheckoutService.post_sales_bulk``); other bad input raises. Returns how many were posted.

    First every sale is priced, checked and its stock takes planned against the stock as it
    stands at that sale (kept in memory); then the numbers are taken per day, the sales, lines
    and payments written with one executemany each, and all the moves with one ``write_many``."""
    book = StockBook()
    book.read(session, {ln.product_id for cart, _t, _a in sales for ln in cart.lines})
    planned: list[PlannedSale] = []
    for cart, tenders, at in sales:
        try:
            planned.append(plan_sale(session, book, cart, tenders, at, rules, confirmed=confirmed))
        except InsufficientStockError:
            continue  # nothing of this sale taken
    write_sales(session, planned, rules)
    return len(planned)


def post_sales_bulk(db: Database, sales: Iterable[SaleInput], *, per_commit: int = 250,
                    confirmed: bool = True) -> int:
    """:func:`post_sales_many` over an iterable, ``per_commit`` sales per transaction (the shop's
    sale rules read once per transaction; a few hundred keeps the session's objects few, which
    ``write_many`` walks on every call). Returns how many were posted."""
    posted = 0
    chunk: list[SaleInput] = []

    def flush() -> None:
        nonlocal posted
        with db.write() as uow:
            posted += post_sales_many(uow.session, chunk, sale_rules(uow.session), confirmed=confirmed)
            uow.commit()
        chunk.clear()

    for item in sales:
        chunk.append(item)
        if len(chunk) >= per_commit:
            flush()
    if chunk:
        flush()
    return posted

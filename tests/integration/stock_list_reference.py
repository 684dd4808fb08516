"""The SQLAlchemy read of ``jxc stock --expiring DAYS [--low]`` before session 18 made it SQL text
(stock_lines.py), kept word for word as the reference the text is compared with
(test_stock_expiring_reference.py, test_cli_stock_expiring.py): the stock view's ORM walk
(StockViewService.iter_plain_lines) over _where's conditions for StockQuery(EXPIRING,
days=DAYS, include_expired=True) — the branches of the other filters left out — and ``--low`` as
cmd_stock took it: only the products that the list below the minimum held. What it called and
session 18 left as it was (the primary barcode, get_int) is called from where it lives."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from jxc_desktop.db.models import Batch, Product
from jxc_desktop.services.catalog import api as catalog
from jxc_desktop.services.shop.api import get_int
from jxc_desktop.services.stock.stock_lines import PlainLine
from jxc_desktop.services.stock.stock_view import StockFilter, StockQuery, _primary_barcode


def _where(session: Session, q: StockQuery, today: date) -> list:  # type: ignore[type-arg]
    conds: list = []  # type: ignore[type-arg]
    if not q.include_inactive:
        conds.append(Product.active.is_(True))
    if q.category_id is not None:
        conds.append(Product.category_id == q.category_id)
    text = q.text.strip()
    if text:
        conds.append(catalog.text_matches(text))  # the catalogue's rule: 助记码 anywhere, 全拼 too
    f = q.filter
    if f == StockFilter.BELOW_MIN:
        conds += [Product.min_stock > 0, Product.stock_qty < Product.min_stock]
    elif f == StockFilter.EXPIRING:
        days = q.days if q.days is not None else get_int(session, "expiry_warning_days")
        window = [Batch.expiry_date <= today + timedelta(days=days)]
        if not q.include_expired:
            window.append(Batch.expiry_date >= today)
        # IN over the batches found by the expiry index, not a probe per product (100 000 of them)
        conds.append(Product.id.in_(select(Batch.product_id).where(Batch.qty > 0, *window)))
    return conds


def iter_plain_lines(session: Session, query: StockQuery, today: date, chunk: int = 20000) -> Iterator[list[PlainLine]]:
    """StockViewService.iter_plain_lines's walk for a query other than every product or --low
    (one session here instead of a read per chunk)."""
    after: str | None = None
    while True:
        s = session
        conds = _where(s, query, today)
        if after is not None:
            conds.append(Product.code > after)
        result = s.connection().execute(
            select(Product.id, Product.code, func.coalesce(_primary_barcode(), ""), Product.name,
                   Product.stock_qty, Product.avg_cost, Product.stock_value)
            .where(*conds).order_by(Product.code).limit(chunk))
        # Integer and text columns need no result processing: the driver's rows as they come
        page: list[PlainLine] = result.cursor.fetchall()
        result.close()
        if page:
            yield page
        if len(page) < chunk:
            return
        after = page[-1][1]  # the code


def expiring_pages(session: Session, days: int, today: date, *, low: bool,
                   chunk: int = 20000) -> Iterator[list[PlainLine]]:
    """cmd_stock's pages for ``--expiring DAYS`` (and ``--low``)."""
    query = StockQuery(StockFilter.EXPIRING, days=days, include_expired=True)
    pages = iter_plain_lines(session, query, today, chunk)
    if low:
        low_ids = {r[0] for page in iter_plain_lines(session, StockQuery(StockFilter.BELOW_MIN), today) for r in page}
        pages = ([r for r in page if r[0] in low_ids] for page in pages)
    return pages


def expiring_lines(session: Session, days: int, today: date, *, low: bool, chunk: int = 20000) -> list[PlainLine]:
    """The rows ``jxc stock --expiring DAYS [--low]`` printed, in order."""
    return [r for page in expiring_pages(session, days, today, low=low, chunk=chunk) for r in page]

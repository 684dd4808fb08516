"""The rows of ``jxc stock`` (every active product, or those below their minimum) as SQL text, run
by either driver (db/text_reads.py): by the stock view on its units of work (SQLite or PostgreSQL)
and by ``jxc stock`` on sqlite3 alone, which then never builds SQLAlchemy (issue 15: the whole
command within 1.5x of the bare query)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager
from typing import cast

from jxc_desktop.db.text_reads import Rows

# A StockLine as the driver returns it: (product_id, code, barcode, name, qty, avg_cost, value).
PlainLine = tuple[int, str, str, str, int, int, int]

# The primary barcode: the single unit's first (ix_barcode_primary), "" for a product without one.
_LINES = ("SELECT p.id, p.code, coalesce((SELECT b.code FROM barcode b WHERE b.product_id = p.id "
          "ORDER BY b.multiplier, b.id LIMIT 1), ''), p.name, p.stock_qty, p.avg_cost, p.stock_value "
          "FROM product p WHERE p.active = :active{below}{after} ORDER BY p.code LIMIT :chunk")
_BELOW_MIN = " AND p.min_stock > 0 AND p.stock_qty < p.min_stock"
_AFTER = " AND p.code > :after"
LINES = {(below, after): _LINES.format(below=_BELOW_MIN if below else "", after=_AFTER if after else "")
         for below in (False, True) for after in (False, True)}


def plain_lines(read: Callable[[], AbstractContextManager[Rows]], *, below_min: bool = False,
                chunk: int = 20000) -> Iterator[list[PlainLine]]:
    """Every active product (``below_min``: only those under their minimum stock) in code order,
    ``chunk`` at a time; each chunk one short read (``read()``) seeking past the last code given,
    so the walk is linear and no read holds the file while the caller writes rows out."""
    after: str | None = None
    while True:
        with read() as rows:
            if after is None:
                page = rows.all(LINES[below_min, False], active=True, chunk=chunk)
            else:
                page = rows.all(LINES[below_min, True], active=True, after=after, chunk=chunk)
        if page:
            yield cast("list[PlainLine]", page)
        if len(page) < chunk:
            return
        after = page[-1][1]  # the code

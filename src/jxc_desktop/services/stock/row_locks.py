"""Row locks for writers that change stock: the product rows a document changes, locked
(``SELECT … FOR UPDATE``) in product-id order before its stock check or average-cost read.

On a server database several tills write at once under READ COMMITTED: without the lock two sales
could both read the last unit and both pass the block policy, and two receipts could both read the
same average and one overwrite the other's. Locking in one order (ascending id, every writer)
means two writers never wait for each other round a loop. The lock also re-reads the row
(``populate_existing``), so a product object the session held from before the lock is current.

On SQLite ``FOR UPDATE`` is not rendered and not needed: a write begins with ``BEGIN IMMEDIATE``
(db/engine.py), which already lets one writer in at a time.

The ledger (ledger.py) checks at its write that the product row is locked (:func:`ensure_locked`):
a path that forgot to lock up front locks there, and if the row had changed since it was read, the
transaction is refused as a write conflict, which the unit of work's retry runs again from the start.
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import select
from sqlalchemy.orm import Session

from jxc_desktop.db.models import Product
from jxc_desktop.domain.errors import WriteConflictError

LOCKED = "jxc_locked_products"  # session.info key: ids of product rows this transaction holds
CHUNK = 500


def row_locks(session: Session) -> bool:
    """Whether this database needs row locks (a server; SQLite serialises writers itself)."""
    return session.get_bind().dialect.name != "sqlite"


def held(session: Session) -> set[int]:
    return session.info.setdefault(LOCKED, set())  # type: ignore[no-any-return]


def locked_ids(session: Session) -> set[int] | None:
    """The product rows this transaction has locked; None where rows are not locked (SQLite)."""
    return held(session) if row_locks(session) else None


def lock_products(session: Session, ids: Iterable[int]) -> dict[int, Product]:
    """The products with these ids, their rows locked for this transaction in ascending id order
    and read afresh. Ids that do not exist are left out (the caller says which are missing)."""
    wanted = sorted(set(ids))
    found: dict[int, Product] = {}
    locks = row_locks(session)
    for i in range(0, len(wanted), CHUNK):
        query = select(Product).where(Product.id.in_(wanted[i:i + CHUNK])).order_by(Product.id)
        if locks:
            query = query.with_for_update().execution_options(populate_existing=True)
        found.update({p.id: p for p in session.scalars(query)})
    if locks:
        held(session).update(found)
    return found


def lock_product_ids(session: Session, ids: Iterable[int]) -> None:
    """Lock the rows only (Core writers that read the columns themselves: ledger.write_many)."""
    if not row_locks(session):
        return
    wanted = sorted(set(ids) - held(session))
    for i in range(0, len(wanted), CHUNK):
        session.execute(select(Product.id).where(Product.id.in_(wanted[i:i + CHUNK]))
                        .order_by(Product.id).with_for_update())
    held(session).update(wanted)


def ensure_locked(session: Session, product: Product) -> None:
    """The ledger's safety net (see the module doc): lock now if the caller did not, and refuse the
    write if the position it read is no longer the row's (another till changed it meanwhile)."""
    if product.id is None or product.id in held(session) or not row_locks(session):
        return
    if product not in session.new:
        row = session.execute(select(Product.stock_qty, Product.stock_value, Product.avg_cost)
                              .where(Product.id == product.id).with_for_update()).one()
        held(session).add(product.id)
        if tuple(row) != (product.stock_qty, product.stock_value, product.avg_cost):
            raise WriteConflictError()  # read before the lock: run the whole write again
    held(session).add(product.id)

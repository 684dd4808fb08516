"""Public face of the stock package for the other process packages: the ledger calls a sale, a
purchase or a return makes inside its own transaction (each writes its stock moves), a value-only
correction (a reversal the shelf cannot bear), the row locks a writer takes before it reads stock or
cost (row_locks.py), the ledger check, and what a batch-tracked product
holds in no batch. DTOs are in stock/dto.py.
"""

from __future__ import annotations

from jxc_desktop.services.stock.batches import unbatched, unbatched_qty
from jxc_desktop.services.stock.ledger import (
    DocRef,
    LedgerProblem,
    PlannedMove,
    available_qty,
    fefo_batches,
    fefo_order,
    fefo_split,
    issue,
    issue_fefo,
    newest_batch,
    position,
    receive,
    reconcile,
    revalue,
    write_many,
)
from jxc_desktop.services.stock.row_locks import lock_product_ids, lock_products, locked_ids

__all__ = ["DocRef", "LedgerProblem", "PlannedMove", "available_qty", "fefo_batches", "fefo_order", "fefo_split", "issue",
           "issue_fefo", "lock_product_ids", "lock_products", "locked_ids", "newest_batch", "position", "receive", "reconcile", "revalue", "unbatched", "unbatched_qty", "write_many"]

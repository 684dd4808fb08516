"""Public face of the stock package for the other process packages: the ledger calls a sale, a
purchase or a return makes inside its own transaction (each writes its stock moves).

(Only what sales/ and purchasing/ use is listed here; the stock package adds its own.)
"""

from __future__ import annotations

from jxc_desktop.services.stock.ledger import (
    DocRef,
    PlannedMove,
    available_qty,
    fefo_batches,
    issue,
    issue_fefo,
    position,
    receive,
    write_many,
)

__all__ = ["DocRef", "PlannedMove", "available_qty", "fefo_batches", "issue", "issue_fefo", "position", "receive",
           "write_many"]

"""Shop policies that several flows share."""

from __future__ import annotations

from collections.abc import Sequence
from enum import StrEnum

from jxc_desktop.domain.errors import InsufficientStockError
from jxc_desktop.domain.quantity import format_qty


class NegativeStock(StrEnum):
    BLOCK = "block"
    WARN = "warn"
    ALLOW = "allow"


def enforce_negative_stock(policy: str, shortages: Sequence[tuple[str, int, int]], *, confirmed: bool) -> None:
    """``shortages`` holds (product name, on hand, wanted) for each line that would go below zero.

    block: always refuse; warn: refuse with ``needs_confirmation`` until the user confirms;
    allow: let it through.
    """
    if not shortages or policy == NegativeStock.ALLOW:
        return
    name, on_hand, wanted = shortages[0]
    detail = "; ".join(f"{n} ({format_qty(h)} < {format_qty(w)})" for n, h, w in shortages)
    if policy == NegativeStock.BLOCK:
        raise InsufficientStockError("Not enough stock: {detail}", detail=detail)
    if not confirmed:
        raise InsufficientStockError("Stock would go below zero: {detail}. Continue anyway?",
                                     detail=detail, needs_confirmation=True)

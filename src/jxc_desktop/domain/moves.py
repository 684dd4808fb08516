"""Kinds of stock move written to the ledger."""

from __future__ import annotations

from enum import StrEnum


class MoveKind(StrEnum):
    OPENING = "opening"
    PURCHASE = "purchase"
    PURCHASE_RETURN = "purchase_return"
    SALE = "sale"
    SALE_RETURN = "sale_return"
    COUNT_GAIN = "count_gain"
    COUNT_LOSS = "count_loss"
    ADJUST = "adjust"
    REVALUATION = "revaluation"
    COST_FIX = "cost_fix"  # a receipt filling negative stock corrects the issuing line's cost


# The note of the single revaluation move a re-base wrote before cost_fix moves existed.
LEGACY_REBASE_NOTE = "re-based after negative stock"


# Kinds whose move brings goods in at a value the caller must state (the others in take the average).
RECEIPT_KINDS_WITH_VALUE = {MoveKind.OPENING, MoveKind.PURCHASE, MoveKind.SALE_RETURN}

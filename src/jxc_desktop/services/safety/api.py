"""Public face of the safety package for the other process packages: writing the audit trail (the
actions a service records inside its own transaction) and reading entries of one action back."""

from __future__ import annotations

from jxc_desktop.services.safety.audit import (
    DRAWER_OPENED,
    PRICE_CHANGE,
    REFUND,
    REVERSAL,
    SETTINGS,
    STOCK_COUNT,
    AuditEntry,
    entries_since,
    record,
)

__all__ = ["DRAWER_OPENED", "PRICE_CHANGE", "REFUND", "REVERSAL", "SETTINGS", "STOCK_COUNT", "AuditEntry", "entries_since", "record"]

"""Public face of the safety package for the other process packages: writing the audit trail (the
actions a service records inside its own transaction), reading entries of one action back, and the PIN
hashing scheme that the staff package uses for each person's own PIN."""

from __future__ import annotations

from jxc_desktop.services.safety.audit import (
    DRAWER_OPENED,
    PRICE_CHANGE,
    REFUND,
    REVERSAL,
    SETTINGS,
    STOCK_COUNT,
    AuditEntry,
    record,
)
from jxc_desktop.services.safety.audit_list import entries_since  # SQL text over the caller's Rows
from jxc_desktop.services.safety.pin import (
    LOCK_SECONDS,
    MAX_TRIES,
    OWNER,
    PinService,
    check_hash,
    hash_pin,
    validate_pin,
)

__all__ = ["DRAWER_OPENED", "LOCK_SECONDS", "MAX_TRIES", "OWNER", "PRICE_CHANGE", "REFUND", "REVERSAL", "SETTINGS",
           "STOCK_COUNT", "AuditEntry", "PinService", "check_hash", "entries_since", "hash_pin", "record",
           "validate_pin"]

"""Public face of the safety package for the other process packages: writing the audit trail (the
actions a service records inside its own transaction), and the PIN hashing scheme that the staff
package uses for each person's own PIN."""

from __future__ import annotations

from jxc_desktop.services.safety.audit import PRICE_CHANGE, REFUND, REVERSAL, SETTINGS, STOCK_COUNT, record
from jxc_desktop.services.safety.pin import (
    LOCK_SECONDS,
    MAX_TRIES,
    OWNER,
    PinService,
    check_hash,
    hash_pin,
    validate_pin,
)

__all__ = ["LOCK_SECONDS", "MAX_TRIES", "OWNER", "PRICE_CHANGE", "PinService", "REFUND", "REVERSAL", "SETTINGS", "STOCK_COUNT",
           "check_hash", "hash_pin", "record", "validate_pin"]

"""Public face of the safety package for the other process packages: writing the audit trail.

(Only what sales/ and purchasing/ use is listed here; the safety package adds its own.)
"""

from __future__ import annotations

from jxc_desktop.services.safety.audit import PRICE_CHANGE, REFUND, record

__all__ = ["PRICE_CHANGE", "REFUND", "record"]

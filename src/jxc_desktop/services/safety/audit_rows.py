"""One audit entry as the trail stores it, and its append as plain SQL text.

``audit.record`` adds the entry through the ORM in a service's unit of work; :func:`append` writes
the same row as SQL text through :class:`~jxc_desktop.db.text_reads.Writes` — a session, or sqlite3
alone where ``jxc`` checks the owner PIN without SQLAlchemy (services/safety/pin_check.py, issue 15).
Both take the row's values from :func:`values`: one rule for what an entry may hold.
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from jxc_desktop.db.dialect_text import utc_bind
from jxc_desktop.db.text_reads import Writes
from jxc_desktop.domain.clock import utcnow
from jxc_desktop.domain.errors import ValidationError

# Actions written by this program (others may add their own short snake_case names).
SETTINGS = "settings"
PIN_SET = "pin_set"
PIN_CLEARED = "pin_cleared"
PIN_RESET = "pin_reset"
PIN_RESET_RECOVERY = "pin_reset_recovery"
PIN_RESET_ACK = "pin_reset_acknowledged"
PIN_RECOVERY_WRONG = "pin_recovery_wrong"
PIN_WRONG = "pin_wrong"
PIN_LOCKED = "pin_locked"
AUTHORIZED = "owner_authorized"
BACKUP = "backup"
RESTORE = "restore"
PRICE_CHANGE = "price_change"
REVERSAL = "reversal"
REFUND = "refund"
STOCK_COUNT = "stock_count_posted"
DRAWER_OPENED = "drawer_opened"  # the cash drawer opened from the till (not by a cash sale)

_TEXT_LIMIT = 4000
# "before" and "after" are keywords (of triggers): quoted, as any SQL reads them as columns
APPEND = ('INSERT INTO audit_log (at, action, document, "before", "after", detail, actor) '
          "VALUES (:at, :action, :document, :before, :after, :detail, :actor)")


def as_text(value: Any) -> str:
    """Dicts and lists as compact JSON (Chinese kept readable); everything else as text."""
    if value is None:
        return ""
    if isinstance(value, str):
        text = value
    else:
        text = json.dumps(value, ensure_ascii=False, sort_keys=True, default=str, separators=(",", ":"))
    return text[:_TEXT_LIMIT]


def values(action: str, *, document: Any = "", before: Any = None, after: Any = None, detail: Any = None,
           at: datetime | None = None, actor: str = "") -> dict[str, Any]:
    """The columns of one entry (``at`` an aware instant, now when not given); a bad action name
    is refused (ValidationError) before anything is written."""
    action = (action or "").strip()
    if not action or len(action) > 40:
        raise ValidationError("Audit action must be 1 to 40 characters")
    return {"at": at or utcnow(), "action": action, "document": as_text(document)[:40], "before": as_text(before),
            "after": as_text(after), "detail": as_text(detail), "actor": (actor or "").strip()[:40]}


def append(tx: Writes, action: str, *, document: Any = "", before: Any = None, after: Any = None,
           detail: Any = None, at: datetime | None = None, actor: str = "") -> None:
    """Append one entry in the caller's write transaction (it commits with what it describes)."""
    row = values(action, document=document, before=before, after=after, detail=detail, at=at, actor=actor)
    row["at"] = utc_bind(row["at"], tx.dialect)
    tx.run(APPEND, **row)

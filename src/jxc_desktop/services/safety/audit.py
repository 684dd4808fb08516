"""The audit trail: append-only rows (time, action, document, before -> after).

``record()`` writes inside the caller's unit of work, so the trail entry commits or rolls back
together with the change it describes. Triggers (migration 0002) refuse UPDATE and DELETE on
``audit_log``, so even a bug or a hand-edited query cannot rewrite history.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from jxc_desktop.db.models import AuditLog
from jxc_desktop.db.text_reads import SessionRows
from jxc_desktop.db.uow import ACTOR, Database
from jxc_desktop.services.safety.audit_list import AuditEntry, query_entries
from jxc_desktop.services.safety.audit_rows import (  # noqa: F401  (the action names callers read as audit.X)
    AUTHORIZED,
    BACKUP,
    DRAWER_OPENED,
    PIN_CLEARED,
    PIN_LOCKED,
    PIN_RECOVERY_WRONG,
    PIN_RESET,
    PIN_RESET_ACK,
    PIN_RESET_RECOVERY,
    PIN_SET,
    PIN_WRONG,
    PRICE_CHANGE,
    REFUND,
    RESTORE,
    REVERSAL,
    SETTINGS,
    STOCK_COUNT,
    values,
)


def record(session: Session, action: str, *, document: str = "", before: Any = None, after: Any = None,
           detail: Any = None, at: datetime | None = None, actor: str = "") -> None:
    """Append one entry in the caller's transaction (it commits with the change it describes).
    ``actor`` names the person who did it, or who approved it with their PIN; left empty, the person
    the front end named for this write (``Database.acting``, e.g. the owner who unlocked)."""
    actor = actor or str(session.info.get(ACTOR) or "")
    session.add(AuditLog(**values(action, document=document, before=before, after=after, detail=detail, at=at,
                                  actor=actor)))


@dataclass(frozen=True)
class AuditService:
    db: Database

    def record(self, action: str, *, document: str = "", before: Any = None, after: Any = None,
               detail: Any = None, actor: str = "") -> None:
        """An entry on its own (for events that change nothing else, e.g. a backup made)."""
        with self.db.write() as uow:
            record(uow.session, action, document=document, before=before, after=after, detail=detail,
                   actor=actor)
            uow.commit()

    def actions(self) -> list[str]:
        """Every action name that occurs (for the viewer's filter box)."""
        with self.db.read() as uow:
            return list(uow.session.scalars(select(AuditLog.action).distinct().order_by(AuditLog.action)))

    def query(self, *, action: str = "", text: str = "", since: datetime | None = None,
              until: datetime | None = None, limit: int = 1000) -> list[AuditEntry]:
        """Newest first. ``text`` matches document, before, after, detail or actor; ``until`` is exclusive."""
        with self.db.read() as uow:
            return query_entries(SessionRows(uow.session), action=action, text=text, since=since, until=until,
                                 limit=limit)

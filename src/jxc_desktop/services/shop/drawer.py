"""The cash drawer opened by hand at the till ("open drawer"): who opened it goes in the audit trail.

The kick itself is the caller's (a pulse the receipt printer sends, ui/receipt_printer.py); it runs
inside the transaction that writes the audit row, so a drawer that did not open leaves no row, and a
row is committed only for a drawer that was sent its pulse. A cash sale opens the drawer without a
row of its own: the sale records its cash.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from jxc_desktop.db.uow import Database
from jxc_desktop.domain.errors import ValidationError
from jxc_desktop.services.safety.api import DRAWER_OPENED, record

MANUAL = "manual"


@dataclass(frozen=True)
class DrawerService:
    db: Database

    def open(self, actor: str, kick: Callable[[], None], reason: str = MANUAL) -> None:
        """Record that ``actor`` opened the drawer and send the pulse (``kick`` raises if the printer
        cannot take it: then nothing is recorded)."""
        actor = (actor or "").strip()
        if not actor:
            raise ValidationError("Who opens the drawer must be named")
        with self.db.write() as uow:
            record(uow.session, DRAWER_OPENED, detail={"by": actor[:40], "reason": reason})
            kick()
            uow.commit()

"""Who is working at this till: the signed-in person and the open shift, one object per open
database (``session_for(services)``), shared by the checkout tab, the status bar and whoever
needs the name of the person at the till.

``TillSession.cashier_name()`` is the name a drawer opening or any other till action records
(the signed-in person; with nobody signed in, the owner's name, as a shop without cashiers has
always worked). Sign-out on idle: the shop's ``idle_sign_out_min`` (0 = never), measured from the
last key press or click anywhere in the program.
"""

from __future__ import annotations

import time
from typing import Any

from PySide6.QtCore import QEvent, QObject, QTimer, Signal
from PySide6.QtWidgets import QApplication

from jxc_desktop.services.hub import Services
from jxc_desktop.services.staff.dto import PersonDTO, ShiftSummary

_sessions: dict[int, TillSession] = {}
_ACTIVITY = (QEvent.Type.KeyPress, QEvent.Type.MouseButtonPress)


class TillSession(QObject):
    changed = Signal()  # signed in or out, a shift opened or closed

    def __init__(self, services: Services) -> None:
        super().__init__()
        self.services = services
        self.person: PersonDTO | None = None
        self.last_activity = time.monotonic()
        self.idle_timer = QTimer(self)
        self.idle_timer.setInterval(15_000)
        self.idle_timer.timeout.connect(self.check_idle)
        self.idle_timer.start()
        app = QApplication.instance()
        if app is not None:
            app.installEventFilter(self)

    # ------------------------------------------------------------------ who
    def cashier_name(self) -> str:
        """The person at the till: signed in, else the owner (a shop without cashiers)."""
        if self.person is not None:
            return self.person.name
        return self.services.staff.owner_name()

    def cashier_id(self) -> int | None:
        return self.person.id if self.person is not None else None

    def needs_sign_in(self) -> bool:
        """Cashiers are defined and nobody is signed in (a shop without cashiers never asks)."""
        return self.person is None and self.services.staff.has_cashiers()

    def sign_in(self, person: PersonDTO) -> None:
        self.person = person
        self.last_activity = time.monotonic()
        self.changed.emit()

    def sign_out(self) -> None:
        if self.person is None:
            return
        self.person = None
        self.changed.emit()

    # ------------------------------------------------------------------ the shift
    def shift(self) -> ShiftSummary | None:
        """The open shift of this till (whoever opened it)."""
        return self.services.shifts.current()

    def shift_id(self) -> int | None:
        return self.services.shifts.current_id()

    def attribution(self) -> dict[str, Any]:
        """What a sale or return records about who and when: the cashier and the open shift."""
        return {"cashier_id": self.cashier_id(), "shift_id": self.shift_id()}

    # ------------------------------------------------------------------ idle
    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt's name)
        if event.type() in _ACTIVITY:
            self.last_activity = time.monotonic()
        return False

    def idle_limit(self) -> float:
        try:
            minutes = int(self.services.settings.get("idle_sign_out_min") or 0)
        except ValueError:
            minutes = 0
        return minutes * 60.0

    def check_idle(self, now: float | None = None) -> bool:
        """Sign out after the shop's idle minutes; True when it did."""
        limit = self.idle_limit() if self.person is not None else 0
        if limit <= 0:
            return False
        if (now if now is not None else time.monotonic()) - self.last_activity < limit:
            return False
        self.sign_out()
        return True


def signed_in(services: Services) -> PersonDTO | None:
    """The person signed in at this database's till, if any (makes no session)."""
    session = _sessions.get(id(services))
    return session.person if session is not None and session.services is services else None


def session_for(services: Services) -> TillSession:
    session = _sessions.get(id(services))
    if session is None or session.services is not services:
        session = _sessions[id(services)] = TillSession(services)
    return session

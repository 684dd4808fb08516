"""The optional owner PIN (老板密码).

Stored as a salted scrypt hash in the ``setting`` table under internal ``sys.`` keys (the settings
dialog cannot see or change them: they are not in ``settings.DEFAULTS``). Five wrong tries lock PIN
entry for a minute; the count and the lock are stored in the file, so restarting the program does
not reset them. Setting the PIN gives the owner a recovery code (shown once; only its hash is kept):
``jxc pin reset --recovery-code-file F`` removes a forgotten PIN with it. Without the code,
``jxc pin reset --i-am-the-owner`` still works, but it is audited and the window shows a banner
until the owner acknowledges it, so a reset behind the owner's back does not go unnoticed.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.orm import Session

from jxc_desktop.db.text_reads import SessionRows
from jxc_desktop.db.uow import ACTOR, Database
from jxc_desktop.domain.clock import utcnow
from jxc_desktop.domain.errors import PermissionDeniedError, ValidationError
from jxc_desktop.services.safety import audit, pin_check
from jxc_desktop.services.safety.owner_actions import (  # noqa: F401  (the names callers read as pin.X)
    BACKUP,
    DELETE_HELD,
    EDIT_DATA,
    HASH_KEY,
    POST_COUNT,
    PRICE_CHANGE,
    PROTECTED_ACTIONS,
    REFUND,
    RESTORE,
    REVERSAL,
    SETTINGS,
    STAFF,
    STOCK_ADJUST,
    VIEW_PROFIT,
)
from jxc_desktop.services.safety.pin_check import OWNER, check_hash, hash_pin  # noqa: F401  (read as pin.X)
from jxc_desktop.services.safety.pin_state import (  # noqa: F401  (read by callers as pin.X)
    FAILS_KEY,
    LOCK_SECONDS,
    LOCKED_KEY,
    MAX_TRIES,
    PinStatus,
    failures,
    locked_until,
    pin_status,
)

RECOVERY_KEY = "sys.pin_recovery_hash"
RESET_NOTICE_KEY = "sys.pin_reset_unacknowledged"  # "<iso time>|<reason>" of a reset without the code
# Recovery codes: 20 characters from an alphabet without look-alikes (0/O, 1/I/L), ~100 bits.
RECOVERY_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
RECOVERY_GROUPS, RECOVERY_GROUP_LEN = 5, 4
MIN_LEN, MAX_LEN = 4, 12


def validate_pin(pin: str) -> str:
    pin = str(pin)
    if not (pin.isascii() and pin.isdigit() and MIN_LEN <= len(pin) <= MAX_LEN):
        raise ValidationError("The PIN must be {lo} to {hi} digits", lo=MIN_LEN, hi=MAX_LEN)
    return pin


def new_recovery_code() -> str:
    size = RECOVERY_GROUPS * RECOVERY_GROUP_LEN
    chars = [RECOVERY_ALPHABET[b % len(RECOVERY_ALPHABET)] for b in _unbiased_bytes(size)]
    return "-".join("".join(chars[i:i + RECOVERY_GROUP_LEN])
                    for i in range(0, len(chars), RECOVERY_GROUP_LEN))


def _unbiased_bytes(n: int) -> list[int]:
    """Random bytes below the largest multiple of the alphabet size (so every letter is equally likely)."""
    limit = 256 - 256 % len(RECOVERY_ALPHABET)
    out: list[int] = []
    while len(out) < n:
        out.extend(b for b in os.urandom(n) if b < limit)
    return out[:n]


def normalize_recovery_code(code: str) -> str:
    """Typed or pasted: case, spaces and dashes do not matter."""
    return "".join(ch for ch in str(code or "").upper() if ch.isalnum())


def _get(session: Session, key: str) -> str:
    return pin_check.get(SessionRows(session), key)


def _put(session: Session, key: str, value: str) -> None:
    pin_check.put(SessionRows(session), key, value)


def _delete(session: Session, key: str) -> None:
    pin_check.delete(SessionRows(session), key)


def _acting(session: Session) -> str:
    """Who the front end named for this write (the till's signed-in person), for a wrong try's entry."""
    return str(session.info.get(ACTOR) or "")


@dataclass(frozen=True)
class ResetNotice:
    at: datetime | None
    reason: str


class PinService:
    def __init__(self, db: Database, clock: Callable[[], datetime] = utcnow) -> None:
        self.db = db
        self.clock = clock

    # ------------------------------------------------------------------ state
    def is_set(self) -> bool:
        with self.db.read() as uow:
            return bool(_get(uow.session, HASH_KEY))

    def status(self) -> PinStatus:
        with self.db.read() as uow:
            return pin_status(lambda key: _get(uow.session, key), self.clock())

    # ------------------------------------------------------------------ changing it
    def set_pin(self, new_pin: str, *, current_pin: str | None = None) -> str:
        """Set or change the PIN; changing an existing PIN needs the current one. Returns a new
        recovery code for the owner to keep (the previous one stops working)."""
        new_pin = validate_pin(new_pin)
        if self.is_set():
            self.verify(current_pin or "", action="pin_change")
        code = new_recovery_code()
        stored, recovery = hash_pin(new_pin), hash_pin(normalize_recovery_code(code))
        with self.db.write() as uow:
            s = uow.session
            was_set = bool(_get(s, HASH_KEY))
            _put(s, HASH_KEY, stored)
            _put(s, RECOVERY_KEY, recovery)
            _delete(s, FAILS_KEY)
            _delete(s, LOCKED_KEY)
            audit.record(s, audit.PIN_SET, detail="changed" if was_set else "set", at=self.clock())
            uow.commit()
        return code

    def clear_pin(self, current_pin: str) -> None:
        """Turn the PIN off (needs the PIN)."""
        self.verify(current_pin, action="pin_clear")
        with self.db.write() as uow:
            s = uow.session
            for key in (HASH_KEY, FAILS_KEY, LOCKED_KEY, RECOVERY_KEY):
                _delete(s, key)
            audit.record(s, audit.PIN_CLEARED, at=self.clock())
            uow.commit()

    def reset(self, *, reason: str = "") -> None:
        """Remove the PIN without knowing it or the recovery code (command line only): audited, and
        left as a notice the window shows until the owner acknowledges it."""
        now = self.clock()
        with self.db.write() as uow:
            s = uow.session
            had = bool(_get(s, HASH_KEY))
            for key in (HASH_KEY, FAILS_KEY, LOCKED_KEY, RECOVERY_KEY):
                _delete(s, key)
            reason = reason[:200] or "jxc pin reset"
            if had:
                _put(s, RESET_NOTICE_KEY, f"{now.isoformat()}|{reason}")
            audit.record(s, audit.PIN_RESET, before="set" if had else "not set", after="not set",
                         detail=reason, at=now)
            uow.commit()

    def reset_with_code(self, code: str) -> None:
        """The owner forgot the PIN and has the recovery code: remove the PIN (works during a lock;
        the code is too long to guess, and every wrong one is audited)."""
        now = self.clock()
        with self.db.write() as uow:
            s = uow.session
            stored = _get(s, RECOVERY_KEY)
            if not _get(s, HASH_KEY):
                return
            if not stored or not check_hash(normalize_recovery_code(code), stored):
                audit.record(s, audit.PIN_RECOVERY_WRONG, at=now)
                uow.commit()
                raise PermissionDeniedError("This is not the recovery code of this shop file")
            for key in (HASH_KEY, FAILS_KEY, LOCKED_KEY, RECOVERY_KEY):
                _delete(s, key)
            audit.record(s, audit.PIN_RESET_RECOVERY, before="set", after="not set", at=now)
            uow.commit()

    def has_recovery_code(self) -> bool:
        with self.db.read() as uow:
            return bool(_get(uow.session, RECOVERY_KEY))

    def reset_notice(self) -> ResetNotice | None:
        """A reset without the recovery code that the owner has not acknowledged yet."""
        with self.db.read() as uow:
            text = _get(uow.session, RESET_NOTICE_KEY)
        if not text:
            return None
        when, _sep, reason = text.partition("|")
        try:
            at = datetime.fromisoformat(when)
        except ValueError:
            at = None
        return ResetNotice(at, reason)

    def acknowledge_reset(self) -> None:
        """The owner has seen the notice. Needs a (new) PIN to be set and the owner present: the
        caller asks the PIN first, so whoever reset it cannot quietly hide the notice."""
        with self.db.write() as uow:
            s = uow.session
            if not _get(s, HASH_KEY):
                raise PermissionDeniedError("Set a new owner PIN first, then acknowledge the reset")
            notice = _get(s, RESET_NOTICE_KEY)
            if not notice:
                return
            _delete(s, RESET_NOTICE_KEY)
            audit.record(s, audit.PIN_RESET_ACK, before=notice[:200], at=self.clock())
            uow.commit()

    # ------------------------------------------------------------------ checking it
    def verify(self, pin: str, *, action: str = "") -> None:
        """Raise PermissionDeniedError unless ``pin`` is right; wrong tries count towards the lock."""
        with self.db.write() as uow:
            refusal = pin_check.verify(SessionRows(uow.session), pin, action, self.clock(), acting=_acting(uow.session))
            uow.commit()  # a wrong try is counted before it is refused
        if refusal is not None:
            raise refusal

    def authorize(self, action: str, pin: str | None, *, actor: str = "", for_whom: str = "") -> bool:
        """Allow ``action``: True at once when no PIN is set, else the PIN must be right (audited,
        naming ``actor``, the owner who approved it, and ``for_whom``, who was signed in).
        Raises PermissionDeniedError otherwise; returns True so callers can write ``if authorize(...)``."""
        if not self.is_set():
            return True
        if pin is None or pin == "":
            raise PermissionDeniedError("This needs the owner PIN")
        with self.db.write() as uow:
            refusal = pin_check.authorize(SessionRows(uow.session), action, pin, self.clock(), actor=actor,
                                          for_whom=for_whom, acting=_acting(uow.session))
            uow.commit()
        if refusal is not None:
            raise refusal
        return True

    def require(self, action: str, pin: str | None, *, actor: str = "") -> None:
        """Same as :meth:`authorize`, for call sites that only need the exception."""
        self.authorize(action, pin, actor=actor)

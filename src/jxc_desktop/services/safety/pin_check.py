"""Checking the owner PIN, written once as SQL text on :class:`~jxc_desktop.db.text_reads.Writes`:
the PIN service runs it in its units of work (the window, PostgreSQL), ``jxc`` on sqlite3 alone
before a protected command (db/text_writes.py, cli/owner.py; issue 15: a shop with a PIN no longer
builds SQLAlchemy for ``jxc stock``). Also the PIN's hash, which needs nothing but hashlib.

A check writes what it learns — a wrong try counted (five lock entry for a minute), a lock capped
after the clock was turned back, the count cleared by the right PIN, the approval — and returns the
refusal, if any, for the caller to raise once that is committed.
"""

from __future__ import annotations

import hashlib
import hmac
import os
from datetime import datetime, timedelta

from jxc_desktop.db.text_reads import Rows, Writes
from jxc_desktop.domain.errors import PermissionDeniedError
from jxc_desktop.services.safety import audit_rows
from jxc_desktop.services.safety.owner_actions import HASH_KEY
from jxc_desktop.services.safety.pin_state import (
    FAILS_KEY,
    LOCK_SECONDS,
    LOCKED_KEY,
    MAX_TRIES,
    failures,
    locked_until,
)

OWNER = "owner"  # the audit actor of an owner-PIN approval when the shop has named no owner (services/staff)
# scrypt cost: ~50 ms and 16 MiB per check on a shop PC; slow enough to make guessing a stolen file's
# hash expensive, quick enough for the till.
_N, _R, _P = 2**14, 8, 1
# The PIN's own sys.* keys of the setting table (not shop settings: the settings service never shows them).
GET = "SELECT value FROM setting WHERE key = :key"
PUT = ("INSERT INTO setting (key, value) VALUES (:key, :value) "
       "ON CONFLICT (key) DO UPDATE SET value = excluded.value")
DELETE = "DELETE FROM setting WHERE key = :key"


def hash_pin(pin: str, salt: bytes | None = None) -> str:
    salt = salt if salt is not None else os.urandom(16)
    digest = hashlib.scrypt(pin.encode("utf-8"), salt=salt, n=_N, r=_R, p=_P, dklen=32)
    return f"scrypt${_N}${_R}${_P}${salt.hex()}${digest.hex()}"


def check_hash(pin: str, stored: str) -> bool:
    try:
        scheme, n, r, p, salt, digest = stored.split("$")
        if scheme != "scrypt":
            return False
        got = hashlib.scrypt(pin.encode("utf-8"), salt=bytes.fromhex(salt), n=int(n), r=int(r), p=int(p),
                             dklen=len(digest) // 2)
    except (ValueError, MemoryError):
        return False
    return hmac.compare_digest(got.hex(), digest)


def get(rows: Rows, key: str) -> str:
    """A stored setting's value, "" when there is none."""
    found = rows.all(GET, key=key)
    return str(found[0][0] or "") if found else ""


def put(tx: Writes, key: str, value: str) -> None:
    tx.run(PUT, key=key, value=value)


def delete(tx: Writes, key: str) -> None:
    tx.run(DELETE, key=key)


def locked_refusal(seconds: int) -> PermissionDeniedError:
    return PermissionDeniedError("Too many wrong PINs: PIN entry is locked for {seconds} more seconds",
                                 seconds=seconds)


def verify(tx: Writes, pin: str | None, action: str, now: datetime, *, acting: str = "") -> PermissionDeniedError | None:
    """Is ``pin`` the owner PIN (always, when none is set)? None when it is; else the refusal, with
    the wrong try counted in ``tx`` (audited, naming ``acting``: who was signed in)."""
    stored = get(tx, HASH_KEY)
    if not stored:
        return None
    if not str(pin or ""):  # nothing given (e.g. no --pin-file): not a guess, so no try used
        return PermissionDeniedError("This needs the owner PIN")
    lock_text = get(tx, LOCKED_KEY)
    locked = locked_until(lock_text, now)
    if locked is not None:
        if locked.isoformat() != lock_text:  # capped after a clock change: store it
            put(tx, LOCKED_KEY, locked.isoformat())
        return locked_refusal(max(1, int((locked - now).total_seconds() + 0.999)))
    fails_text = get(tx, FAILS_KEY)
    if check_hash(str(pin), stored):
        if fails_text or lock_text:
            delete(tx, FAILS_KEY)
            delete(tx, LOCKED_KEY)
        return None
    fails = failures(fails_text) + 1
    if fails >= MAX_TRIES:
        put(tx, LOCKED_KEY, (now + timedelta(seconds=LOCK_SECONDS)).isoformat())
        delete(tx, FAILS_KEY)
        audit_rows.append(tx, audit_rows.PIN_LOCKED, document=action, detail=f"{MAX_TRIES} wrong tries", at=now,
                          actor=acting)
        return locked_refusal(LOCK_SECONDS)
    put(tx, FAILS_KEY, str(fails))
    audit_rows.append(tx, audit_rows.PIN_WRONG, document=action, at=now, actor=acting)
    return PermissionDeniedError("Wrong PIN ({left} tries left)", left=MAX_TRIES - fails)


def authorize(tx: Writes, action: str, pin: str | None, now: datetime, *, actor: str = "", for_whom: str = "",
              acting: str = "") -> PermissionDeniedError | None:
    """Allow ``action`` (None) when no PIN is set, or when ``pin`` is right: then the approval is
    audited in ``tx``, naming ``actor`` (the owner who approved) and ``for_whom`` (who was signed in).
    Else the refusal, as :func:`verify` gives it."""
    if not get(tx, HASH_KEY):
        return None
    refusal = verify(tx, pin, action, now, acting=acting)
    if refusal is None:
        audit_rows.append(tx, audit_rows.AUTHORIZED, document=action[:40], at=now, actor=actor or OWNER,
                          detail=f"for {for_whom}" if for_whom else None)
    return refusal
